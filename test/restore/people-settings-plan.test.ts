/**
 * People settings in a plan (issue 15 item 10; docs/graph-facts.md §3 "People settings"):
 * - profile card properties: an application may list them but not create or update them
 *   ("Application: Not supported", https://learn.microsoft.com/graph/api/peopleadminsettings-post-profilecardproperties,
 *   https://learn.microsoft.com/graph/api/profilecardproperty-update, S342): one missing is listed
 *   with its POST, one differing with its PATCH by directoryPropertyName, one equal not at all;
 *   nothing is written;
 * - item insights (https://learn.microsoft.com/graph/api/insightssettings-update, S341): only what
 *   differs is PATCHed, disabledForGroup re-linked to the target's group; an archived group the
 *   target lacks blocks the PATCH rather than writing a stale id.
 */
import { describe, expect, it } from 'vitest';
import type { DirObject, TenantData } from '../../src/model.js';
import type { LiveState } from '../../src/restore/types.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { meta } from './planner-fixtures.js';

const card = (name: string, label: string): DirObject => ({ id: `profileCardProperty:${name}`, directoryPropertyName: name, annotations: [{ displayName: label, localizations: [{ languageTag: 'de-DE', displayName: `${label} (de)` }] }], isVisible: true });
const group = { id: 'g1', displayName: 'Sales', mailEnabled: false, mailNickname: 'sales', securityEnabled: true, groupTypes: [] };
const insights = (groupId: string | null): DirObject => ({ id: 'itemInsightsSettings', isEnabledInOrganization: true, disabledForGroup: groupId });

function planOf(liveGroups: DirObject[], liveInsights: DirObject, archivedGroup: DirObject = group): ReturnType<typeof buildPlan> {
  const archive: TenantData = {
    tenantId: 'tenant-a', initialDomain: 'contoso.onmicrosoft.com',
    objects: { group: [archivedGroup], itemInsightsSettings: [insights('g1')], profileCardProperty: [card('CustomAttribute1', 'Cost Center'), card('Fax', 'Fax'), card('Alias', 'Alias')] },
    relations: {},
  };
  const live: LiveState = {
    tenantId: 'tenant-a', initialDomain: 'contoso.onmicrosoft.com', relations: {}, deleted: {}, verifiedDomains: ['contoso.onmicrosoft.com'],
    objects: { group: liveGroups, itemInsightsSettings: [liveInsights], profileCardProperty: [card('Fax', 'Fax number'), card('Alias', 'Alias')] },
  };
  return buildPlan({ archive, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ['g1', 'itemInsightsSettings', 'profileCardProperty:CustomAttribute1', 'profileCardProperty:Fax', 'profileCardProperty:Alias'] } });
}

describe('people settings in a plan', () => {
  it('never writes a profile card property; lists the missing one with POST and the differing one with PATCH', () => {
    const plan = planOf([{ ...group, id: 'x1' }], insights(null));
    expect(plan.operations.some((o) => o.kind !== 'verify' && 'type' in o && o.type === 'profileCardProperty')).toBe(false);
    const step = plan.manualSteps.find((s) => s.id === 'manual:profileCardProperties');
    expect(step?.objects).toEqual(['profileCardProperty:CustomAttribute1', 'profileCardProperty:Fax']);
    expect(step?.instructions).toContain('- CustomAttribute1: POST /admin/people/profileCardProperties with {"directoryPropertyName":"CustomAttribute1","annotations":[{"displayName":"Cost Center","localizations":[{"languageTag":"de-DE","displayName":"Cost Center (de)"}]}]}');
    expect(step?.instructions).toContain('- Fax: PATCH /admin/people/profileCardProperties/Fax with {"directoryPropertyName":"Fax","annotations":[{"displayName":"Fax","localizations":[{"languageTag":"de-DE","displayName":"Fax (de)"}]}]}');
    expect(step?.instructions).not.toContain('Alias');
  });

  it('patches only disabledForGroup, re-linked to the target\'s group', () => {
    const plan = planOf([{ ...group, id: 'x1' }], insights(null));
    const op = plan.operations.find((o) => o.kind === 'update' && o.type === 'itemInsightsSettings');
    expect(op && op.kind === 'update' ? op.body : undefined).toEqual({ disabledForGroup: 'x1' });
  });

  it('blocks the item insights PATCH when the group cannot be restored (synced from on-premises, not yet back), never writing the archived id', () => {
    const synced = { ...group, onPremisesSyncEnabled: true, onPremisesSecurityIdentifier: 'S-1-5-21-1-2-3-1104' };
    const plan = planOf([], insights(null), synced);
    const ops = plan.operations.filter((o) => (o.kind === 'update' || o.kind === 'create') && o.type === 'itemInsightsSettings');
    for (const o of ops) expect(JSON.stringify(o)).not.toContain('"disabledForGroup":"g1"');
    expect(plan.unresolved.some((u) => u.value === 'g1' && u.effect === 'blocked')).toBe(true);
  });
});
