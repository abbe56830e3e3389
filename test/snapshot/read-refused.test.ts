/**
 * What a backup says about a type Graph will not list: a 404 is a feature this tenant does not
 * have (NOT_AVAILABLE: nothing is lost), any other refusal — a 400 is usually the request's
 * fault — is a READ_FAILED warning that says nothing of the type is in the archive, and it
 * counts as incomplete (the CLI's exit 1, test/snapshot/permissions.test.ts).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { createGraphClient } from '../../src/graph/index.js';
import { GraphError } from '../../src/graph/errors.js';
import type { GraphClient } from '../../src/graph/types.js';
import { loadProfile } from '../../src/profile.js';
import { silentReporter } from '../../src/progress.js';
import { MemorySink } from '../../src/snapshot/sink.js';
import { walkTenant } from '../../src/snapshot/walker.js';
import { overriding, tmp, withEmulator } from './helpers.js';

/** The client, except that listing a path in `refused` throws the error Graph's answer maps to. */
function refusing(g: GraphClient, refused: Record<string, GraphError>): GraphClient {
  return overriding(g, {
    list: ((path: string, headers?: Record<string, string>) => {
      const e = refused[path.split('?')[0]!];
      if (!e) return g.list(path, headers);
      return (async function* () {
        yield* [];
        throw e;
      })();
    }) as GraphClient['list'],
  });
}

describe('a type Graph will not list', () => {
  it('404: NOT_AVAILABLE, not incomplete; 400: READ_FAILED naming Graph\'s refusal, incomplete', async () => {
    const tenant = seedTenant({ seed: 4, users: 10 });
    await withEmulator(tenant, async (emu) => {
      const dir = tmp();
      await emu.writeProfiles(tenant.tenantId, { readerPath: join(dir, 'r.json'), writerPath: join(dir, 'w.json') });
      const graph = refusing(await createGraphClient(await loadProfile(join(dir, 'r.json')), { clock: systemClock }), {
        '/identity/identityProviders': new GraphError('GRAPH_NOT_FOUND', 'Graph GET /identity/identityProviders not found (404 Request_ResourceNotFound: gone)', undefined, { status: 404 }),
        '/policies/claimsMappingPolicies': new GraphError('GRAPH_REQUEST_FAILED', 'Graph GET /policies/claimsMappingPolicies failed (400 BadRequest: Invalid filter clause)', undefined, { status: 400 }),
      });
      const sink = new MemorySink();
      const summary = await walkTenant({ graph, sink, reporter: silentReporter, clock: systemClock, types: ['identityProvider', 'claimsMappingPolicy', 'tokenLifetimePolicy'], relations: false });
      const byType = new Map(sink.warnings.map((w) => [w.type, w]));
      expect(byType.get('identityProvider')).toMatchObject({ code: 'NOT_AVAILABLE' });
      expect(byType.get('identityProvider')!.message).toContain('not available in this tenant');
      const refused = byType.get('claimsMappingPolicy')!;
      expect(refused.code).toBe('READ_FAILED');
      expect(refused.message).not.toContain('not available');
      expect(refused.message).toContain('Graph refused the request');
      expect(refused.message).toContain('400 BadRequest: Invalid filter clause');
      // the other type was read as usual
      expect(byType.has('tokenLifetimePolicy')).toBe(false);
      expect(sink.warnings).toHaveLength(2);
      expect(summary).toMatchObject({ warnings: 2, incomplete: 1 });
    });
  });
});
