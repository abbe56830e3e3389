/**
 * Branding streams in the backup and the restore body, without a tenant (issue 15 item 10;
 * docs/graph-facts.md S235, https://learn.microsoft.com/graph/api/organizationalbranding-update):
 * a stream Graph answers 404 or nothing for is not archived, one over the 1 MiB bound is skipped
 * with a message, the rest are archived as base64 with their media type; the restore takes them
 * out of the JSON body (Graph refuses Stream types with other data) and refuses a malformed record.
 */
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../src/graph/errors.js';
import type { GraphBytes, GraphClient } from '../../src/graph/types.js';
import type { DirObject, Json } from '../../src/model.js';
import { takeStreams } from '../../src/restore/execute/branding-streams.js';
import { MAX_STREAM_BYTES, readBrandingStreams, STREAMS_KEY, streamPath } from '../../src/snapshot/branding-streams.js';

function streams(answers: Record<string, GraphBytes | 'missing' | undefined>, asked: string[]): GraphClient {
  return {
    getBytes: async (p: string) => {
      asked.push(p);
      const a = answers[p];
      if (a === 'missing') throw new GraphError('GRAPH_NOT_FOUND', 'not found', undefined, { status: 404 });
      return a;
    },
  } as unknown as GraphClient;
}

describe('branding streams: backup and restore body', () => {
  it('archives the set streams, skips none-set and over-size ones, per localization path', async () => {
    const asked: string[] = [];
    const p = (n: string) => streamPath('organizationalBrandingLocalization', 'org-1', 'fr-FR', n);
    const g = streams({
      [p('squareLogo')]: { contentType: 'image/png', bytes: new Uint8Array([1, 2, 3]) },
      [p('bannerLogo')]: 'missing',
      [p('backgroundImage')]: { contentType: 'image/jpeg', bytes: new Uint8Array(MAX_STREAM_BYTES + 1) },
    }, asked);
    const obj: DirObject = { id: 'fr-FR' };
    const skipped = await readBrandingStreams(g, 'organizationalBrandingLocalization', 'org-1', obj);
    expect(asked).toHaveLength(7);
    expect(asked[0]).toBe('/organization/org-1/branding/localizations/fr-FR/backgroundImage');
    expect(skipped).toEqual([`fr-FR/backgroundImage: ${MAX_STREAM_BYTES + 1} bytes, over the ${MAX_STREAM_BYTES}-byte bound`]);
    expect(obj[STREAMS_KEY]).toEqual({ squareLogo: { contentType: 'image/png', base64: 'AQID' } });
    expect(streamPath('organizationalBranding', 'org-1', '0', 'favicon')).toBe('/organization/org-1/branding/favicon');
  });

  it('a 403 is not "none": it reaches the walker as a warning', async () => {
    const g = { getBytes: async () => { throw new GraphError('GRAPH_FORBIDDEN', 'no', undefined, { status: 403 }); } } as unknown as GraphClient;
    await expect(readBrandingStreams(g, 'organizationalBranding', 'o', { id: '0' })).rejects.toMatchObject({ code: 'GRAPH_FORBIDDEN' });
  });

  it('the restore takes @streams out of the JSON body and refuses a malformed record', () => {
    const body: Record<string, Json> = { id: 'fr-FR', signInPageText: 'x', [STREAMS_KEY]: { customCSS: { contentType: 'text/css', base64: Buffer.from('a{}').toString('base64') } } };
    const got = takeStreams('organizationalBrandingLocalization', body);
    expect(body).toEqual({ id: 'fr-FR', signInPageText: 'x' });
    expect(got.map((s) => [s.name, s.contentType, Buffer.from(s.bytes).toString()])).toEqual([['customCSS', 'text/css', 'a{}']]);
    expect(takeStreams('user', { [STREAMS_KEY]: {} })).toEqual([]);
    expect(() => takeStreams('organizationalBranding', { [STREAMS_KEY]: { squareLogo: { base64: 1 } } })).toThrow(/malformed/);
  });
});
