/**
 * Issue 15 item 10: the group expiration policy and the Microsoft 365 groups it is applied to
 * come back after a tenant-loss restore into a new tenant: the policy is recreated with its
 * archived values and every selected group, recreated with a new id, is added to it again
 * through `addGroup`; a group's own setting (Group.Unified.Guest) comes back under the
 * recreated group. Read back through Graph
 * (https://learn.microsoft.com/graph/api/grouplifecyclepolicy-list,
 * https://learn.microsoft.com/graph/api/group-list-grouplifecyclepolicies,
 * https://learn.microsoft.com/graph/api/group-list-settings).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import type { GraphClient } from '../../src/graph/types.js';
import type { DirObject } from '../../src/model.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { runRestore } from '../../src/ops/restore.js';
import { backupOf, writerOf } from './emulator-fixture.js';
import { useSourceAndTarget } from './source-target.js';
import { checkDevicesAndSyncAfterTenantLoss } from './devices-checks.js';
import { checkMtoAfterTenantLoss } from './mto-checks.js';
import { checkOrgContactsAfterTenantLoss } from './org-contacts-checks.js';
import { checkPeopleSettingsAfterTenantLoss } from './people-checks.js';

let dir: string;
let emu: EmulatorHandle;
let source: SeededTenant;
let target: SeededTenant;

useSourceAndTarget('ev-lifecycle-', { seed: 43, users: 12 }, (f) => ({ dir, emu, source, target } = f));

async function all<T>(graph: GraphClient, path: string): Promise<T[]> {
  const out: T[] = [];
  for await (const x of graph.list<T>(path)) out.push(x);
  return out;
}

describe('group lifecycle policy on a tenant-loss restore', () => {
  it('comes back with its values, applied to the recreated Microsoft 365 groups, read through Graph', { timeout: 120_000 }, async () => {
    const { archive, archiveMeta } = await backupOf(emu, source.tenantId, dir);
    const { graph } = await writerOf(emu, target.tenantId, dir);
    const archived = archive.objects.groupLifecyclePolicy ?? [];
    expect(archived, 'policy archived').toHaveLength(1);
    expect(archived[0]!['managedGroupTypes']).toBe('Selected');
    const edges = archive.relations.groupLifecyclePolicies ?? [];
    expect(edges.length, 'selected groups archived').toBeGreaterThan(0);
    const r = await runRestore({
      archive, archiveMeta, graph, targetTenantId: target.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: target.tenantId,
      journalPath: join(dir, 'lifecycle.journal'), credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
    });
    expect(r.execution?.failures).toEqual([]);
    expect(r.fidelity?.deviations.filter((d) => ['groupLifecyclePolicy', 'groupSpecificSetting', 'groupLifecyclePolicies'].includes(d.type ?? d.relation ?? ''))).toEqual([]);

    const live = await all<DirObject>(graph, '/groupLifecyclePolicies');
    const { id: _id, ...values } = archived[0]!;
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject(values);
    expect(live[0]!.id).not.toBe(archived[0]!.id);
    const groups = archive.objects.group ?? [];
    for (const e of edges) {
      const nick = String(groups.find((g) => g.id === e.from)!['mailNickname']);
      const found = await all<DirObject>(graph, `/groups?$filter=mailNickname eq '${nick}'&$select=id`);
      expect(found, nick).toHaveLength(1);
      expect(found[0]!.id).not.toBe(e.from);
      expect((await all<DirObject>(graph, `/groups/${found[0]!.id}/groupLifecyclePolicies`)).map((p) => p.id), nick).toEqual([live[0]!.id]);
    }
    // the group's own setting, under the recreated group
    const settings = archive.objects.groupSpecificSetting ?? [];
    expect(settings, 'group-specific setting archived').toHaveLength(1);
    const owner = groups.find((g) => g.id === settings[0]!['@parentId'])!;
    const [liveOwner] = await all<DirObject>(graph, `/groups?$filter=mailNickname eq '${String(owner['mailNickname'])}'&$select=id`);
    expect(liveOwner!.id).not.toBe(owner.id);
    const liveSettings = await all<DirObject>(graph, `/groups/${liveOwner!.id}/settings`);
    expect(liveSettings.map((x) => [x['templateId'], x['displayName'], x['values']])).toEqual([[settings[0]!['templateId'], 'Group.Unified.Guest', [{ name: 'AllowToAddGuests', value: 'false' }]]]);

    // a Microsoft 365 group that was not selected is not added
    const selected = new Set(edges.map((e) => e.from));
    const other = groups.find((g) => !selected.has(g.id) && Array.isArray(g['groupTypes']) && (g['groupTypes'] as string[]).includes('Unified') && !g['onPremisesSyncEnabled']);
    if (other) {
      const found = await all<DirObject>(graph, `/groups?$filter=mailNickname eq '${String(other['mailNickname'])}'&$select=id`);
      expect((await all<DirObject>(graph, `/groups/${found[0]!.id}/groupLifecyclePolicies`))).toEqual([]);
    }
    // issue 15 items 7 and 10 on the same restore: devices, registration policy, CBA trust store, identity synchronization
    await checkDevicesAndSyncAfterTenantLoss(archive, graph, r, target.tenantId);
    // issue 15 item 7, last part: the multi-tenant organization is a manual step, never written
    await checkMtoAfterTenantLoss(archive, graph, r, target.tenantId);
    // issue 15 item 10: organizational contacts and their membership (manual:orgContacts)
    await checkOrgContactsAfterTenantLoss(archive, graph, r);
    // issue 15 item 10: the people settings under /admin/people, patched back
    await checkPeopleSettingsAfterTenantLoss(archive, graph, r);
  });
});
