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
 * - profile sources and the precedence (https://learn.microsoft.com/graph/profilesource-configure-settings,
 *   https://learn.microsoft.com/graph/api/profilesource-update, https://learn.microsoft.com/graph/profilepriority-configure-profilepropertysetting;
 *   docs/graph-facts.md S370-S372): the HR source is created with its sourceId and labels; the new
 *   tenant's own MSEntra source (another sourceId) is renamed as archived, not duplicated; the one
 *   nameless property setting lists the HR source first, then the new tenant's Entra source by its
 *   Graph id (archived as `…/profileSources/{id}` of the old tenant's, kept as `@graphId`,
 *   docs/graph-facts.md S377-S379); fidelity reports no difference for either type.
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

  await checkProfileSources(archive, graph, r);

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

async function checkProfileSources(archive: TenantData, graph: GraphClient, r: RunRestoreResult): Promise<void> {
  const archived = archive.objects.profileSource ?? [];
  const entra = archived.find((s) => s['kind'] === 'MSEntra')!;
  const hr = archived.find((s) => s['sourceId'] === 'contosohr1')!;
  expect(entra && hr, 'the drill archive holds the Entra and the HR source').toBeTruthy();
  const live: DirObject[] = [];
  for await (const s of graph.list<DirObject>('/admin/people/profileSources')) live.push(s);
  const liveEntra = live.filter((s) => s['kind'] === 'MSEntra');
  expect(liveEntra).toHaveLength(1);
  expect(liveEntra[0]!['sourceId']).not.toBe(entra['sourceId']);
  expect(liveEntra[0]!['displayName']).toBe(entra['displayName']);
  expect(live.filter((s) => s['sourceId'] === 'contosohr1')).toHaveLength(1);
  expect(live.find((s) => s['sourceId'] === 'contosohr1')).toMatchObject(
    { sourceId: 'contosohr1', kind: hr['kind'], displayName: hr['displayName'], webUrl: hr['webUrl'], localizations: hr['localizations'] },
  );
  const settings: DirObject[] = [];
  for await (const s of graph.list<DirObject>('/admin/people/profilePropertySettings')) settings.push(s);
  const url = (sourceId: unknown): string => `https://graph.microsoft.com/v1.0/admin/people/profileSources(sourceId='${String(sourceId)}')`;
  // the archived precedence names the Entra source by its Graph id: it names the new tenant's by its id now
  const archivedUrls = (archive.objects.profilePropertySetting ?? [])[0]?.['prioritizedSourceUrls'];
  expect(archivedUrls).toEqual([url('contosohr1'), `https://graph.microsoft.com/v1.0/admin/people/profileSources/${String(entra['@graphId'])}`]);
  expect(liveEntra[0]!.id).not.toBe(entra['@graphId']);
  expect(settings.map((s) => [s['name'] ?? null, s['prioritizedSourceUrls']])).toEqual([[null, [url('contosohr1'), `https://graph.microsoft.com/v1.0/admin/people/profileSources/${liveEntra[0]!.id}`]]]);
  const types = new Set(['profileSource', 'profilePropertySetting']);
  expect(r.fidelity!.deviations.filter((d) => types.has(d.type ?? ''))).toEqual([]);
}
