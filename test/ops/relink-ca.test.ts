/**
 * Issue 11 item 5, end to end: restoring a hard-deleted group with the `objects` scenario
 * recreates it with a new id, and the live Conditional Access policies that named it (one
 * including it, one excluding it) are re-linked to the new id, keeping their live state.
 * Security groups are deleted for good, not moved to the recycle bin
 * (https://learn.microsoft.com/graph/api/directory-deleteditems-restore: "security groups
 * can't be restored").
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { seedTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { runRestore } from '../../src/ops/restore.js';
import { backupOf, writerOf } from './emulator-fixture.js';

let dir: string;
let emu: EmulatorHandle;
let source: SeededTenant;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ev-relink-'));
  source = seedTenant({ seed: 17, users: 12 });
  emu = await startEmulator({ port: 0, tenants: [source] });
}, 60_000);

afterAll(async () => {
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Policy = { id: string; displayName: string; state: string; conditions: { users: { includeGroups: string[]; excludeGroups: string[] } } };

describe('objects scenario re-links live CA policies to a recreated group', () => {
  it('adds the new id where the policies named the old one, and leaves their state alone', { timeout: 120_000 }, async () => {
    const { archive, archiveMeta } = await backupOf(emu, source.tenantId, dir);
    const policies = archive.objects.conditionalAccessPolicy as unknown as Policy[];
    const named = policies.filter((p) => p.conditions.users.includeGroups.length + p.conditions.users.excludeGroups.length > 0);
    const groupId = named[0]!.conditions.users.includeGroups[0] ?? named[0]!.conditions.users.excludeGroups[0]!;
    const group = archive.objects.group!.find((g) => g.id === groupId)!;
    const { graph } = await writerOf(emu, source.tenantId, dir);
    await graph.delete(`/groups/${groupId}`);
    const r = await runRestore({
      archive, archiveMeta, graph, targetTenantId: source.tenantId, scenario: 'objects', selection: { objectIds: [groupId] },
      dryRun: false, confirmTenantId: source.tenantId, journalPath: join(dir, 'relink.journal'),
      credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
    });
    expect(r.execution?.failures).toEqual([]);
    expect(r.plan.included?.filter((x) => x.type === 'conditionalAccessPolicy').map((x) => x.archivedId).sort()).toEqual(named.map((p) => p.id).sort());
    const live = emu.tenant(source.tenantId).exportState().data.objects;
    const recreated = live.group!.find((g) => g.displayName === group.displayName)!;
    expect(recreated.id).not.toBe(groupId);
    for (const p of named) {
      const now = live.conditionalAccessPolicy!.find((x) => x.id === p.id) as unknown as Policy;
      expect(now.state).toBe(p.state);
      const was = p.conditions.users.includeGroups.includes(groupId) ? 'includeGroups' : 'excludeGroups';
      expect(now.conditions.users[was]).toContain(recreated.id);
    }
  });
});
