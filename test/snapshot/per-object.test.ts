/**
 * Properties Graph returns only on a single-object GET (catalog `perObjectProperties`)
 * are read per object through $batch and merged; an object whose per-object read is
 * refused keeps its list properties and is counted in one READ_FAILED warning.
 */
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { createGraphClient } from '../../src/graph/index.js';
import type { BatchRequest, BatchResponse, GraphClient } from '../../src/graph/types.js';
import { loadProfile } from '../../src/profile.js';
import { silentReporter } from '../../src/progress.js';
import { MemorySink } from '../../src/snapshot/sink.js';
import { walkTenant } from '../../src/snapshot/walker.js';
import { join } from 'node:path';
import { overriding, tmp, withEmulator, withPerObjectProperties } from './helpers.js';

/** The client, except that per-object user reads of the listed ids are answered 403. */
function refusing(g: GraphClient, refused: Set<string>): GraphClient {
  const isRefused = (url: string) => /^\/users\/[^/?]+\?\$select=aboutMe/.test(url) && refused.has(decodeURIComponent(url.split('/')[2]!.split('?')[0]!));
  return overriding(g, {
    batch: async (reqs: BatchRequest[]): Promise<BatchResponse[]> => {
      const res = await g.batch(reqs);
      return res.map((r) => {
        const req = reqs.find((q) => q.id === r.id)!;
        return isRefused(req.url) ? { id: r.id, status: 403, headers: {}, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } } : r;
      });
    },
  });
}

describe('per-object properties', () => {
  it('are merged from single-object GETs; a refused one becomes a READ_FAILED warning, not a crash', async () => {
    const tenant = withPerObjectProperties(seedTenant({ seed: 3, users: 30 }));
    const users = tenant.objects.user!;
    const withSkills = users.filter((u) => u.skills !== undefined);
    expect(withSkills.length).toBeGreaterThan(3);
    const refusedIds = new Set([withSkills[0]!.id, withSkills[1]!.id]);
    await withEmulator(tenant, async (emu) => {
      const dir = tmp();
      await emu.writeProfiles(tenant.tenantId, { readerPath: join(dir, 'r.json'), writerPath: join(dir, 'w.json') });
      const graph = refusing(await createGraphClient(await loadProfile(join(dir, 'r.json')), { clock: systemClock }), refusedIds);
      const sink = new MemorySink();
      await walkTenant({ graph, sink, reporter: silentReporter, clock: systemClock, types: ['user'], relations: false });
      const got = new Map((sink.objects.user ?? []).map((u) => [u.id, u]));
      expect(got.size).toBe(users.length);
      for (const u of withSkills) {
        const a = got.get(u.id)!;
        if (refusedIds.has(u.id)) {
          expect(a.skills).toBeUndefined();
          expect(a.displayName).toBe(u.displayName);
        } else {
          expect([a.skills, a.hireDate, a.aboutMe]).toEqual([u.skills, u.hireDate, u.aboutMe]);
        }
      }
      expect(sink.warnings).toHaveLength(1);
      expect(sink.warnings[0]).toMatchObject({ code: 'READ_FAILED', type: 'user', permission: 'User.Read.All' });
      expect(sink.warnings[0]!.message).toContain('2 object(s)');
    });
  });
});
