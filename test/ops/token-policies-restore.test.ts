/**
 * Issue 15 item 3 (first part): the token and session policies — activity-based timeout,
 * claims-mapping, home realm discovery, token issuance and token lifetime
 * (https://learn.microsoft.com/graph/api/resources/policy-overview) — are archived and a
 * tenant-loss restore writes them into a new tenant with the same definition and default
 * flag, and their assignments to apps and service principals are re-linked to the new ids,
 * all checked through Graph after the restore.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { runRestore } from '../../src/ops/restore.js';
import { backupOf, writerOf } from './emulator-fixture.js';
import { useSourceAndTarget } from './source-target.js';

let dir: string;
let emu: EmulatorHandle;
let source: SeededTenant;
let target: SeededTenant;
const PATHS = ['activityBasedTimeoutPolicies', 'claimsMappingPolicies', 'homeRealmDiscoveryPolicies', 'tokenIssuancePolicies', 'tokenLifetimePolicies'];

useSourceAndTarget('ev-sts-', { seed: 31, users: 12 }, (f) => ({ dir, emu, source, target } = f));

type Sts = { displayName: string; definition: string[]; isOrganizationDefault: boolean };
const shape = (p: Sts) => ({ displayName: p.displayName, definition: p.definition, isOrganizationDefault: p.isOrganizationDefault });

describe('token and session policies on a tenant-loss restore', () => {
  it('come back with their definitions, read through Graph', { timeout: 180_000 }, async () => {
    const { archive, archiveMeta } = await backupOf(emu, source.tenantId, dir);
    const { graph } = await writerOf(emu, target.tenantId, dir);
    const before: Record<string, Sts[]> = {};
    for (const p of PATHS) {
      const type = p.replace(/ies$/, 'y') as keyof typeof archive.objects;
      before[p] = (archive.objects[type] ?? []) as unknown as Sts[];
      expect(before[p]!.length, `${p} archived`).toBeGreaterThan(0);
    }
    const r = await runRestore({
      archive, archiveMeta, graph, targetTenantId: target.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: target.tenantId,
      journalPath: join(dir, 'sts.journal'), credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
    });
    expect(r.execution?.failures).toEqual([]);
    for (const p of PATHS) {
      const live: Sts[] = [];
      for await (const x of graph.list<Sts>(`/policies/${p}`)) live.push(x);
      expect(live.map(shape), p).toEqual(before[p]!.map(shape));
    }
    // Their assignments: each archived edge comes back between the recreated app or service
    // principal (new id) and the recreated policy (new id), matched by display names.
    const nameOf = new Map<string, string>();
    for (const list of Object.values(archive.objects)) for (const o of list ?? []) nameOf.set(o.id, String(o.displayName ?? o.id));
    const kinds = [
      ['applicationTokenLifetimePolicies', 'applications', 'tokenLifetimePolicies'],
      ['applicationTokenIssuancePolicies', 'applications', 'tokenIssuancePolicies'],
      ['servicePrincipalClaimsMappingPolicies', 'servicePrincipals', 'claimsMappingPolicies'],
      ['servicePrincipalHomeRealmDiscoveryPolicies', 'servicePrincipals', 'homeRealmDiscoveryPolicies'],
    ] as const;
    for (const [kind, owners, nav] of kinds) {
      const edges = archive.relations[kind] ?? [];
      expect(edges.length, `${kind} archived`).toBeGreaterThan(0);
      for (const e of edges) {
        const owner = nameOf.get(e.from)!;
        const found: { id: string; displayName: string }[] = [];
        for await (const o of graph.list<{ id: string; displayName: string }>(`/${owners}?$filter=displayName eq '${owner.replace(/'/g, "''")}'&$select=id,displayName`)) found.push(o);
        expect(found, `${kind}: ${owner}`).toHaveLength(1);
        expect(found[0]!.id).not.toBe(e.from);
        const assigned: string[] = [];
        for await (const x of graph.list<{ displayName: string }>(`/${owners}/${found[0]!.id}/${nav}`)) assigned.push(x.displayName);
        expect(assigned, kind).toEqual([nameOf.get(e.to)]);
      }
    }
  });
});
