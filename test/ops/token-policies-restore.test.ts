/**
 * Issue 15 item 3 (first part): the token and session policies — activity-based timeout,
 * claims-mapping, home realm discovery, token issuance and token lifetime
 * (https://learn.microsoft.com/graph/api/resources/policy-overview) — are archived and a
 * tenant-loss restore writes them into a new tenant with the same definition and default
 * flag, checked through Graph after the restore. Their assignments to apps and service
 * principals are not covered yet (docs/coverage.md).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { runRestore } from '../../src/ops/restore.js';
import { backupOf, writerOf } from './emulator-fixture.js';

let dir: string;
let emu: EmulatorHandle;
let source: SeededTenant;
let target: SeededTenant;
const PATHS = ['activityBasedTimeoutPolicies', 'claimsMappingPolicies', 'homeRealmDiscoveryPolicies', 'tokenIssuancePolicies', 'tokenLifetimePolicies'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ev-sts-'));
  source = seedTenant({ seed: 31, users: 12 });
  target = emptyTenant({ seed: 32 });
  emu = await startEmulator({ port: 0, tenants: [source, target] });
}, 60_000);

afterAll(async () => {
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

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
  });
});
