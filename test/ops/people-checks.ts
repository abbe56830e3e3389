/**
 * Issue 15 item 10, the people settings under /admin/people, checked after a tenant-loss restore
 * into a new tenant, read back through Graph
 * (https://learn.microsoft.com/graph/api/peopleadminsettings-list-pronouns):
 * - pronouns: on in the drill tenant's archive, off in the new tenant (Graph's default), on again
 *   after the restore PATCHed them; fidelity reports no difference.
 * Shared by test/ops/group-lifecycle-restore.test.ts, which already restores a drill tenant.
 */
import { expect } from 'vitest';
import type { GraphClient } from '../../src/graph/types.js';
import type { DirObject, TenantData } from '../../src/model.js';
import type { RunRestoreResult } from '../../src/ops/restore.js';

/** The checks above, for a restore `r` of `archive`. */
export async function checkPeopleSettingsAfterTenantLoss(archive: TenantData, graph: GraphClient, r: RunRestoreResult): Promise<void> {
  expect(archive.objects.pronounsSettings?.map((o) => o['isEnabledInOrganization'])).toEqual([true]);
  expect(r.plan.operations.some((o) => o.kind !== 'verify' && 'type' in o && o.type === 'pronounsSettings'), 'pronouns patched').toBe(true);
  expect(await graph.get<DirObject>('/admin/people/pronouns')).toMatchObject({ isEnabledInOrganization: true });
  const types = new Set(['pronounsSettings']);
  expect(r.fidelity!.deviations.filter((d) => types.has(d.type ?? ''))).toEqual([]);
}
