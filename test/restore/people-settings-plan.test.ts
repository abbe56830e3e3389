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
import { computeFidelity } from '../../src/restore/fidelity.js';
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

/**
 * Profile sources and profile property settings (docs/graph-facts.md §3 "People settings", S370-S372):
 * sources are archived under their sourceId (the alternate key of
 * https://learn.microsoft.com/graph/api/profilesource-update), Microsoft's Entra ID source (kind
 * MSEntra, a GUID sourceId that differs per tenant, https://learn.microsoft.com/graph/profilesource-configure-settings)
 * is matched by kind and never created, and prioritizedSourceUrls
 * (https://learn.microsoft.com/graph/profilepriority-configure-profilepropertysetting) is re-linked by sourceId.
 */
describe('profile sources and property settings in a plan', () => {
  const url = (sourceId: string): string => `https://graph.microsoft.com/v1.0/admin/people/profileSources(sourceId='${sourceId}')`;
  const entra = (sourceId: string, displayName: string): DirObject => ({ id: sourceId, sourceId, kind: 'MSEntra', displayName, webUrl: 'https://login.microsoftonline.com', localizations: [] });
  const hr: DirObject = { id: 'contosohr1', sourceId: 'contosohr1', kind: 'BambooHR', displayName: 'HR Platform', webUrl: 'https://hr.contoso.com', localizations: [{ languageTag: 'de', displayName: 'HR-Plattform', webUrl: 'https://hr.contoso.com/de' }] };
  const setting = (id: string, urls: string[]): DirObject => ({ id, name: null, displayName: 'Precedence', prioritizedSourceUrls: urls });
  const archived = { profileSource: [entra('aaaaaaaa-0000-0000-0000-00000000000a', 'Contoso Entra'), hr], profilePropertySetting: [setting('s-old', [url('contosohr1'), url('aaaaaaaa-0000-0000-0000-00000000000a')])] };
  const ids = ['aaaaaaaa-0000-0000-0000-00000000000a', 'contosohr1', 's-old'];

  function plan(live: { profileSource: DirObject[]; profilePropertySetting: DirObject[] }): ReturnType<typeof buildPlan> {
    const archive: TenantData = { tenantId: 'tenant-a', initialDomain: 'contoso.onmicrosoft.com', objects: archived, relations: {} };
    const state: LiveState = { tenantId: 'tenant-b', initialDomain: 'fabrikam.onmicrosoft.com', relations: {}, deleted: {}, verifiedDomains: ['fabrikam.onmicrosoft.com'], objects: live };
    return buildPlan({ archive, archiveMeta: meta, live: state, scenario: 'objects', selection: { objectIds: ids } });
  }
  const writes = (p: ReturnType<typeof buildPlan>) => p.operations.filter((o) => (o.kind === 'create' || o.kind === 'update') && (o.type === 'profileSource' || o.type === 'profilePropertySetting'));

  it('creates the tenant\'s source with its sourceId, never the built-in Entra source: that one is matched by kind and only its name patched', () => {
    const p = plan({ profileSource: [entra('bbbbbbbb-0000-0000-0000-00000000000b', 'Microsoft Entra')], profilePropertySetting: [] });
    const creates = writes(p).filter((o) => o.kind === 'create' && o.type === 'profileSource');
    expect(creates.map((o) => (o.kind === 'create' ? o.body['sourceId'] : undefined))).toEqual(['contosohr1']);
    const upd = writes(p).find((o) => o.kind === 'update' && o.type === 'profileSource');
    expect(upd && upd.kind === 'update' ? upd.body : undefined).toEqual({ displayName: 'Contoso Entra' });
  });

  it('re-links prioritizedSourceUrls: the created source keeps its sourceId, the Entra source becomes the target\'s', () => {
    const p = plan({ profileSource: [entra('bbbbbbbb-0000-0000-0000-00000000000b', 'Microsoft Entra')], profilePropertySetting: [] });
    const c = writes(p).find((o) => o.kind === 'create' && o.type === 'profilePropertySetting');
    expect(c && c.kind === 'create' ? c.body['prioritizedSourceUrls'] : undefined).toEqual([url('contosohr1'), url('bbbbbbbb-0000-0000-0000-00000000000b')]);
  });

  it('patches the target\'s nameless setting rather than creating a second one', () => {
    const p = plan({ profileSource: [entra('bbbbbbbb-0000-0000-0000-00000000000b', 'Contoso Entra'), hr], profilePropertySetting: [setting('s-new', [url('bbbbbbbb-0000-0000-0000-00000000000b')])] });
    expect(writes(p).map((o) => [o.kind, o.type, o.kind === 'update' ? o.body : undefined])).toEqual([
      ['update', 'profilePropertySetting', { prioritizedSourceUrls: [url('contosohr1'), url('bbbbbbbb-0000-0000-0000-00000000000b')] }],
    ]);
  });

  it('a second run, against the restored target, writes nothing', () => {
    const p = plan({ profileSource: [entra('bbbbbbbb-0000-0000-0000-00000000000b', 'Contoso Entra'), hr], profilePropertySetting: [setting('s-new', [url('contosohr1'), url('bbbbbbbb-0000-0000-0000-00000000000b')])] });
    expect(writes(p)).toEqual([]);
  });
});

/**
 * prioritizedSourceUrls naming a source by its Graph id, `…/profileSources/{id}` (the id a
 * profileSource has, "System-generated GUID", https://learn.microsoft.com/graph/api/resources/profilesource;
 * the documented examples use the sourceId form, https://learn.microsoft.com/graph/profilepriority-configure-profilepropertysetting,
 * so this is a form a tenant may hold): the archive keeps the source's id as `@graphId`
 * (docs/archive-format.md §2), the restore writes the target's id of the matched source, the
 * sourceId form for a source it creates, and leaves out (reported, manual step) an entry naming no
 * source of the target. A target without the MSEntra source every tenant has is reported, and
 * the entry naming the archived one is left out, never written stale.
 */
describe('profile property settings naming sources by Graph id', () => {
  const base = 'https://graph.microsoft.com/v1.0/admin/people/profileSources';
  const byId = (guid: string): string => `${base}/${guid}`;
  const bySid = (sourceId: string): string => `${base}(sourceId='${sourceId}')`;
  const A_ENTRA = '11111111-0000-0000-0000-00000000000a';
  const A_HR = '22222222-0000-0000-0000-00000000000a';
  const B_ENTRA = '11111111-0000-0000-0000-00000000000b';
  const B_HR = '22222222-0000-0000-0000-00000000000b';
  const entra = (sourceId: string, graphId: string, displayName = 'Contoso Entra'): DirObject => ({ id: sourceId, '@graphId': graphId, sourceId, kind: 'MSEntra', displayName, webUrl: 'https://login.microsoftonline.com', localizations: [] });
  const hr = (graphId: string): DirObject => ({ id: 'contosohr1', '@graphId': graphId, sourceId: 'contosohr1', kind: 'BambooHR', displayName: 'HR Platform', webUrl: 'https://hr.contoso.com', localizations: [] });
  const setting = (id: string, urls: string[]): DirObject => ({ id, name: null, displayName: 'Precedence', prioritizedSourceUrls: urls });
  const archivedUrls = [byId(A_HR), byId(A_ENTRA)];
  const archive: TenantData = {
    tenantId: 'tenant-a', initialDomain: 'contoso.onmicrosoft.com', relations: {},
    objects: { profileSource: [entra('aaaa-entra', A_ENTRA), hr(A_HR)], profilePropertySetting: [setting('s-old', archivedUrls)] },
  };
  const ids = ['aaaa-entra', 'contosohr1', 's-old'];
  const liveOf = (objects: { profileSource: DirObject[]; profilePropertySetting: DirObject[] }): LiveState => (
    { tenantId: 'tenant-b', initialDomain: 'fabrikam.onmicrosoft.com', relations: {}, deleted: {}, verifiedDomains: ['fabrikam.onmicrosoft.com'], objects });
  const plan = (live: LiveState): ReturnType<typeof buildPlan> => buildPlan({ archive, archiveMeta: meta, live, scenario: 'objects', selection: { objectIds: ids } });
  const settingWrite = (p: ReturnType<typeof buildPlan>) => p.operations.find((o) => (o.kind === 'create' || o.kind === 'update') && o.type === 'profilePropertySetting');
  const urlsOf = (p: ReturnType<typeof buildPlan>): unknown => {
    const o = settingWrite(p);
    return o && (o.kind === 'create' || o.kind === 'update') ? o.body['prioritizedSourceUrls'] : undefined;
  };

  it('re-links each entry to the target\'s Graph id of the matched source', () => {
    const p = plan(liveOf({ profileSource: [entra('bbbb-entra', B_ENTRA, 'Contoso Entra'), hr(B_HR)], profilePropertySetting: [setting('s-new', [])] }));
    expect(urlsOf(p)).toEqual([byId(B_HR), byId(B_ENTRA)]);
    expect(p.unresolved).toEqual([]);
  });

  it('names a source the restore creates by its sourceId (its new id is unknown), and a second run writes nothing', () => {
    const p = plan(liveOf({ profileSource: [entra('bbbb-entra', B_ENTRA)], profilePropertySetting: [] }));
    expect(urlsOf(p)).toEqual([bySid('contosohr1'), byId(B_ENTRA)]);
    const restored = liveOf({ profileSource: [entra('bbbb-entra', B_ENTRA), hr(B_HR)], profilePropertySetting: [setting('s-new', [bySid('contosohr1'), byId(B_ENTRA)])] });
    expect(settingWrite(plan(restored))).toBeUndefined();
    const f = computeFidelity(archive, restored, plan(restored), undefined, { selection: { objectIds: ids } });
    expect(f.deviations.filter((d) => d.type === 'profilePropertySetting')).toEqual([]);
  });

  it('leaves out and reports an entry whose source the archive has without its Graph id, never writing the stale id', () => {
    const old: TenantData = { ...archive, objects: { ...archive.objects, profileSource: [entra('aaaa-entra', A_ENTRA), { ...hr(A_HR), '@graphId': undefined } as unknown as DirObject].map((o) => JSON.parse(JSON.stringify(o)) as DirObject) } };
    const p = buildPlan({ archive: old, archiveMeta: meta, live: liveOf({ profileSource: [entra('bbbb-entra', B_ENTRA), hr(B_HR)], profilePropertySetting: [setting('s-new', [])] }), scenario: 'objects', selection: { objectIds: ids } });
    expect(urlsOf(p)).toEqual([byId(B_ENTRA)]);
    expect(p.unresolved.map((u) => [u.type, u.path, u.value, u.effect])).toEqual([['profilePropertySetting', 'prioritizedSourceUrls[0]', byId(A_HR), 'dropped']]);
    expect(p.manualSteps.find((s) => s.id === 'manual:profilePrecedence')?.instructions).toContain(`- Precedence: prioritizedSourceUrls[0] = ${byId(A_HR)} names no source of the target`);
  });

  it('reports a target without the MSEntra source: the source skipped with its reason and manual step, its entry left out, fidelity naming the reason', () => {
    const live = liveOf({ profileSource: [hr(B_HR)], profilePropertySetting: [setting('s-new', [])] });
    const p = plan(live);
    expect(p.skipped?.find((s) => s.archivedId === 'aaaa-entra')?.reason).toMatch(/no Microsoft Entra ID profile source \(kind MSEntra\).*manual:profileSources/);
    const step = p.manualSteps.find((s) => s.id === 'manual:profileSources');
    expect(step?.objects).toEqual(['aaaa-entra']);
    expect(step?.instructions).toContain('- Contoso Entra (archived sourceId aaaa-entra)');
    expect(p.manualSteps.find((s) => s.id === 'manual:profilePrecedence')?.objects).toEqual(['s-old']);
    expect(urlsOf(p)).toEqual([byId(B_HR)]);
    const bodies = JSON.stringify(p.operations.map((o) => ('body' in o ? o.body : null)));
    expect(bodies).not.toContain(A_ENTRA);
    expect(bodies).not.toContain('aaaa-entra');
    expect(p.unresolved.map((u) => [u.path, u.value, u.effect])).toEqual([['prioritizedSourceUrls[1]', byId(A_ENTRA), 'dropped']]);
    const after = liveOf({ profileSource: [hr(B_HR)], profilePropertySetting: [setting('s-new', [byId(B_HR)])] });
    const f = computeFidelity(archive, after, p, undefined, { selection: { objectIds: ids } });
    expect(f.deviations.find((d) => d.archivedId === 'aaaa-entra')).toMatchObject({ what: 'objectMissing', reason: expect.stringContaining('no Microsoft Entra ID profile source') });
    expect(f.deviations.find((d) => d.archivedId === 's-old')).toMatchObject({ what: 'attributeDiffers', property: 'prioritizedSourceUrls', reason: expect.stringContaining('unresolved reference prioritizedSourceUrls[1]') });
  });
});
