/**
 * Company branding images and stylesheet in the emulator, through the product's GraphClient
 * (getBytes / putBytes, src/graph/client.ts) — issue 15 item 10, docs/graph-facts.md S235:
 * - https://learn.microsoft.com/graph/api/organizationalbranding-update ("To update Stream data
 *   types, such as backgroundLogo and backgroundImage, use the PUT method. You can't update
 *   Stream types with other data types in the same request")
 * - https://learn.microsoft.com/graph/api/resources/organizationalbranding (the Edm.Stream
 *   properties backgroundImage, bannerLogo, customCSS, favicon, headerLogo, squareLogo, squareLogoDark)
 * - https://learn.microsoft.com/graph/api/organizationalbrandinglocalization-update (the same per locale)
 * File sizes as the Entra admin center states them (S235): banner logo 10 KB, square logo 50 KB, background 300 KB.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { isVaultError } from '../../src/errors.js';
import type { GraphClient } from '../../src/graph/types.js';
import { writerOf } from '../ops/emulator-fixture.js';

/** A 1×1 transparent PNG (67 bytes). */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

async function status(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
    return 200;
  } catch (e) {
    return isVaultError(e) ? (e as { status?: number }).status : -1;
  }
}

describe('emulator: branding streams', () => {
  let emu: EmulatorHandle;
  let dir: string;
  let graph: GraphClient;
  let org: string;
  beforeAll(async () => {
    const t = seedTenant({ seed: 98, users: 12 });
    emu = await startEmulator({ tenants: [t] });
    dir = await mkdtemp(join(tmpdir(), 'ev-brand-streams-'));
    graph = (await writerOf(emu, t.tenantId, dir)).graph;
    org = `/organization/${t.tenantId}/branding`;
  });
  afterAll(async () => {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('PUT writes the bytes and GET reads them back with their media type, per branding and locale', async () => {
    await graph.putBytes(`${org}/squareLogo`, TINY_PNG, 'image/png');
    const got = await graph.getBytes(`${org}/squareLogo`);
    expect(got?.contentType).toBe('image/png');
    expect(Buffer.from(got!.bytes).equals(TINY_PNG)).toBe(true);
    const css = Buffer.from('.ext-sign-in-box { border-radius: 4px; }');
    await graph.putBytes(`${org}/localizations/fr-FR/customCSS`, css, 'text/css');
    expect(Buffer.from((await graph.getBytes(`${org}/localizations/fr-FR/customCSS`))!.bytes).toString()).toBe(css.toString());
    // none set: no content; the JSON object never shows a stream
    expect(await graph.getBytes(`${org}/localizations/de-DE/bannerLogo`)).toBeUndefined();
    const obj = await graph.get<Record<string, unknown>>(org, { 'Accept-Language': '0' });
    expect(Object.keys(obj).some((k) => k.startsWith('@em') || k === 'squareLogo')).toBe(false);
  });

  it('400 on a wrong content type or an over-size image; 404 for a locale without branding', async () => {
    expect(await status(graph.putBytes(`${org}/bannerLogo`, TINY_PNG, 'application/json'))).toBe(400);
    expect(await status(graph.putBytes(`${org}/customCSS`, TINY_PNG, 'image/png'))).toBe(400);
    expect(await status(graph.putBytes(`${org}/bannerLogo`, Buffer.alloc(10 * 1024 + 1, 1), 'image/png'))).toBe(400);
    expect(await status(graph.putBytes(`${org}/bannerLogo`, Buffer.alloc(10 * 1024, 1), 'image/png'))).toBe(200);
    expect(await status(graph.getBytes(`${org}/localizations/it-IT/bannerLogo`))).toBe(404);
  });
});
