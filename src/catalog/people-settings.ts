/**
 * The organization's people settings under `/admin/people` (peopleAdminSettings; issue 15 item
 * 10): whether users may set pronouns.
 *
 * Graph facts (docs/graph-facts.md §3 "People settings", S340): `/admin/people/pronouns` is a
 * pronounsSettings singleton (isEnabledInOrganization, false by default), read with
 * PeopleSettings.Read.All and updated by PATCH with PeopleSettings.ReadWrite.All, application
 * permissions included. Graph returns no id: the walker archives it under the type's name
 * (src/snapshot/walker.ts `normalize`), and a restore PATCHes it like every singleton.
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

/** The people settings, in the order src/catalog/resources.ts lists them. */
export const peopleSettingsTypes: readonly ResourceDescriptor[] = [pronounsSettings];
