/**
 * Issue 15 item 10, the people settings under /admin/people, checked after a tenant-loss restore
 * into a new tenant, read back through Graph
 * (https://learn.microsoft.com/graph/api/peopleadminsettings-list-pronouns,
 * https://learn.microsoft.com/graph/api/peopleadminsettings-list-iteminsights):
 * - pronouns: on in the drill tenant's archive, off in the new tenant (Graph's default), on again
 *   after the restore PATCHed them;
 * - item insights: off for one group's members in the archive; after the restore disabledForGroup
 *   names the recreated group (found by mailNickname, a new id), not the archived id;
 * - fidelity reports no difference for either;
 * - profile card properties (https://learn.microsoft.com/graph/api/peopleadminsettings-post-profilecardproperties,
 *   "Application: Not supported"): the two archived ones are not written (the new tenant lists
 *   none), manual:profileCardProperties gives the exact POST for each with its archived labels, and
 *   fidelity reports each as missing (the exit rule already says incomplete for other reasons).
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
  const [insights] = archive.objects.itemInsightsSettings ?? [];
  const group = (archive.objects.group ?? []).find((g) => g.id === insights?.['disabledForGroup']);
  expect(group, 'disabledForGroup names an archived group').toBeDefined();
  const found: DirObject[] = [];
  for await (const g of graph.list<DirObject>(`/groups?$filter=mailNickname eq '${String(group!['mailNickname'])}'&$select=id`)) found.push(g);
  expect(found).toHaveLength(1);
  expect(found[0]!.id).not.toBe(group!.id);
  expect(await graph.get<DirObject>('/admin/people/itemInsights')).toMatchObject({ isEnabledInOrganization: true, disabledForGroup: found[0]!.id });
  const types = new Set(['pronounsSettings', 'itemInsightsSettings']);
  expect(r.fidelity!.deviations.filter((d) => types.has(d.type ?? ''))).toEqual([]);

  const cards = archive.objects.profileCardProperty ?? [];
  expect(cards.map((c) => c['directoryPropertyName']).sort()).toEqual(['CustomAttribute1', 'Fax']);
  const live: DirObject[] = [];
  for await (const c of graph.list<DirObject>('/admin/people/profileCardProperties')) live.push(c);
  expect(live).toEqual([]);
  const step = r.plan.manualSteps.find((s) => s.id === 'manual:profileCardProperties');
  for (const c of cards) {
    const body = { directoryPropertyName: c['directoryPropertyName'], annotations: c['annotations'] };
    expect(step?.instructions).toContain(`- ${String(c['directoryPropertyName'])}: POST /admin/people/profileCardProperties with ${JSON.stringify(body)}`);
  }
  expect(step!.instructions).toContain('Kostenstelle');
  const missing = r.fidelity!.deviations.filter((d) => d.type === 'profileCardProperty' && d.what === 'objectMissing');
  expect(missing.map((d) => d.archivedId).sort()).toEqual(cards.map((c) => c.id).sort());
}
