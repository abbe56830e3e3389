/**
 * The organization's people settings under `/admin/people` (peopleAdminSettings; issue 15 item
 * 10): whether users may set pronouns, and whether item insights are shown (and for whom not).
 *
 * Graph facts (docs/graph-facts.md §3 "People settings", S263, S340, S341):
 * - `/admin/people/pronouns` is a pronounsSettings singleton (isEnabledInOrganization, false by
 *   default);
 * - `/admin/people/itemInsights` is an insightsSettings singleton (isEnabledInOrganization, true
 *   by default; disabledForGroup, the id of a group whose members' item insights are off, empty by
 *   default and never checked by Graph): the restore re-links it to the recreated group, and a
 *   group it cannot resolve blocks the PATCH (dropping it would show those members' insights);
 * - both are read with PeopleSettings.Read.All and updated by PATCH with
 *   PeopleSettings.ReadWrite.All, application permissions included. Graph returns no id: the walker
 *   archives each under its type's name (src/snapshot/walker.ts `normalize`), and a restore PATCHes
 *   it like every singleton.
 * - `/admin/people/profileCardProperties` (profileCardProperty: directoryPropertyName, its key in
 *   the URL; annotations with their localizations) is listed by an application with
 *   PeopleSettings.Read.All, but created, updated and deleted by a signed-in administrator only
 *   ("Application: Not supported", S342). The backup archives each (id
 *   `profileCardProperty:{directoryPropertyName}`, the same in every tenant); a restore never
 *   writes one and lists the exact requests in manual:profileCardProperties
 *   (src/restore/plan/people-settings.ts).
 * - `/admin/people/profileSources` (profileSource) lists the tenant's own profile sources and
 *   Microsoft's (the Entra ID source, kind `MSEntra`, S370). Graph gives each a GUID id but
 *   addresses it by sourceId only (`profileSources(sourceId='…')` for Get, Update and Delete,
 *   S371), and sourceId cannot change: the backup archives each under its sourceId
 *   (src/snapshot/walker.ts `normalize`), the restore matches by it, and the MSEntra source by
 *   kind (src/restore/plan/profile-sources.ts; the rule in docs/graph-facts.md §3).
 * - `/admin/people/profilePropertySettings` (profilePropertySetting: name, displayName,
 *   prioritizedSourceUrls naming sources by URL, S372) is matched by name (the one nameless
 *   setting to the target's nameless one); its URLs are re-linked by sourceId, or by Graph id
 *   (`…/profileSources/{id}`, the source's id archived as GRAPH_ID_KEY), and one naming no source of
 *   the target is left out and reported. Both are tier 3, the
 *   settings listed after the sources, so a plan creates a source before the precedence naming it
 *   (src/restore/plan/order.ts sorts a tier by catalog order).
 */
import { define, ms } from './define.js';
import type { ResourceDescriptor } from './types.js';

const PEOPLE_SETTINGS = { read: 'PeopleSettings.Read.All', write: 'PeopleSettings.ReadWrite.All' } as const;

export const pronounsSettings = define({
  type: 'pronounsSettings', entityType: ms('pronounsSettings'), title: 'Pronouns settings',
  path: '/admin/people/pronouns', shape: 'singleton',
  requiredOnCreate: [], naturalKey: [], softDelete: 'notDeletable', tier: 3,
  permissions: PEOPLE_SETTINGS,
});

export const itemInsightsSettings = define({
  type: 'itemInsightsSettings', entityType: ms('insightsSettings'), title: 'Item insights settings',
  path: '/admin/people/itemInsights', shape: 'singleton',
  references: [{ path: 'disabledForGroup', by: 'id', targets: ['group'], required: true }],
  requiredOnCreate: [], naturalKey: [], softDelete: 'notDeletable', tier: 3,
  permissions: PEOPLE_SETTINGS,
});

export const profileCardProperty = define({
  type: 'profileCardProperty', entityType: ms('profileCardProperty'), title: 'Profile card property',
  path: '/admin/people/profileCardProperties', shape: 'collection', keyProperty: 'directoryPropertyName',
  requiredOnCreate: ['directoryPropertyName'], naturalKey: ['directoryPropertyName'], softDelete: 'hard', tier: 3,
  permissions: PEOPLE_SETTINGS,
});

export const profileSource = define({
  type: 'profileSource', entityType: ms('profileSource'), title: 'Profile source',
  path: '/admin/people/profileSources', shape: 'collection', createOnly: ['sourceId'],
  requiredOnCreate: ['sourceId'], naturalKey: ['sourceId'], softDelete: 'hard', tier: 3,
  permissions: PEOPLE_SETTINGS,
});

export const profilePropertySetting = define({
  type: 'profilePropertySetting', entityType: ms('profilePropertySetting'), title: 'Profile property setting',
  path: '/admin/people/profilePropertySettings', shape: 'collection',
  requiredOnCreate: [], naturalKey: ['name'], softDelete: 'hard', tier: 3,
  permissions: PEOPLE_SETTINGS,
});

/**
 * The annotation on an archived profile source that keeps its Graph `id` (a GUID, S343): the
 * archive id is its sourceId, but a precedence may name the source as `…/profileSources/{id}`
 * (src/restore/plan/profile-sources.ts; docs/archive-format.md §2).
 */
export const GRAPH_ID_KEY = '@graphId';

/** The archive id of the profile card property `name` (Graph returns none). */
export function profileCardArchiveId(name: string): string {
  return `profileCardProperty:${name}`;
}

/** The people settings, in the order src/catalog/resources.ts lists them. */
export const peopleSettingsTypes: readonly ResourceDescriptor[] = [pronounsSettings, itemInsightsSettings, profileCardProperty, profileSource, profilePropertySetting];
