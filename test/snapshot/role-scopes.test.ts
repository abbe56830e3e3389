/**
 * The backup reads access package resource role scopes the way Graph v1.0 documents it:
 * `GET …/accessPackages/{id}?$expand=resourceRoleScopes($expand=role,scope)`
 * (https://learn.microsoft.com/graph/api/accesspackage-list-resourcerolescopes?view=graph-rest-1.0,
 * docs/graph-facts.md S225), one GET per package through `$batch`, since the v1.0 list of
 * access packages documents no `$expand` (S226). The archived objects are the ones the
 * containment path `…/accessPackages/{id}/resourceRoleScopes?$expand=role,scope` lists.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { systemClock } from '../../src/clock.js';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { createGraphClient } from '../../src/graph/index.js';
import type { BatchRequest, GraphClient } from '../../src/graph/types.js';
import { loadProfile } from '../../src/profile.js';
import { silentReporter } from '../../src/progress.js';
import { MemorySink } from '../../src/snapshot/sink.js';
import { walkTenant } from '../../src/snapshot/walker.js';
import { overriding, tmp, withEmulator } from './helpers.js';

const EM = '/identityGovernance/entitlementManagement';

/** The client, recording every URL it GETs or batches. */
function recording(g: GraphClient, urls: string[]): GraphClient {
  return overriding(g, {
    batch: async (reqs: BatchRequest[]) => { urls.push(...reqs.map((r) => r.url)); return g.batch(reqs); },
    get: ((url: string) => { urls.push(url); return g.get(url); }) as GraphClient['get'],
    list: ((url: string) => { urls.push(url); return g.list(url); }) as GraphClient['list'],
  });
}

describe('access package resource role scopes in the backup', () => {
  it('are read expanded on each package GET, and archived as the containment path lists them', async () => {
    const tenant = seedTenant({ seed: 96, users: 12 });
    await withEmulator(tenant, async (emu) => {
      const dir = tmp();
      await emu.writeProfiles(tenant.tenantId, { readerPath: join(dir, 'r.json'), writerPath: join(dir, 'w.json') });
      const plain = await createGraphClient(await loadProfile(join(dir, 'r.json')), { clock: systemClock });
      const urls: string[] = [];
      const sink = new MemorySink();
      await walkTenant({ graph: recording(plain, urls), sink, reporter: silentReporter, clock: systemClock, types: ['accessPackage', 'accessPackageResourceRoleScope'], relations: false });
      const packages = sink.objects.accessPackage ?? [];
      expect(packages.length).toBeGreaterThan(0);
      const reads = urls.filter((u) => u.includes('resourceRoleScopes'));
      expect(reads.sort()).toEqual(packages.map((p) => `${EM}/accessPackages/${encodeURIComponent(p.id)}?$select=id&$expand=resourceRoleScopes($expand=role,scope)`).sort());
      const archived = sink.objects.accessPackageResourceRoleScope ?? [];
      expect(archived.length).toBeGreaterThan(0);
      const listed: Record<string, unknown>[] = [];
      for (const p of packages) {
        for await (const o of plain.list<Record<string, unknown>>(`${EM}/accessPackages/${p.id}/resourceRoleScopes?$expand=role,scope`)) listed.push({ ...o, '@parentId': p.id });
      }
      const byId = (a: { id?: unknown }, b: { id?: unknown }): number => String(a.id).localeCompare(String(b.id));
      expect([...archived].sort(byId)).toEqual(listed.sort(byId));
    });
  });
});
