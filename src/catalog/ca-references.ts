/**
 * The references a Conditional Access policy holds (docs/graph-facts.md §3 "Conditional
 * Access"): users, groups, roles, applications, client service principals, named locations,
 * authentication strengths and (./ca-dependencies.ts) authentication contexts. Kept apart from
 * resources.ts, which is the declarative table of types.
 */
import type { ReferenceRule } from './types.js';
import { CA_DEPENDENCY_REFS } from './ca-dependencies.js';

/** Built-in authentication strengths exist in every tenant with these ids. */
const BUILT_IN_AUTH_STRENGTHS = [
  '00000000-0000-0000-0000-000000000002',
  '00000000-0000-0000-0000-000000000003',
  '00000000-0000-0000-0000-000000000004',
] as const;

/** Every CA reference (docs/graph-facts.md §3 "Conditional Access"); all required: never weaken a policy. */
export const CA_REFS: readonly ReferenceRule[] = [
  ...(['includeUsers', 'excludeUsers'] as const).map((p): ReferenceRule => ({
    path: `conditions.users.${p}`, by: 'id', targets: ['user'], specialValues: ['All', 'None', 'GuestsOrExternalUsers'], required: true,
  })),
  ...(['includeGroups', 'excludeGroups'] as const).map((p): ReferenceRule => ({
    path: `conditions.users.${p}`, by: 'id', targets: ['group'], required: true,
  })),
  ...(['includeRoles', 'excludeRoles'] as const).map((p): ReferenceRule => ({
    path: `conditions.users.${p}`, by: 'roleTemplateId', targets: ['roleDefinition'], required: true,
  })),
  ...(['includeApplications', 'excludeApplications'] as const).map((p): ReferenceRule => ({
    path: `conditions.applications.${p}`, by: 'appId', targets: ['servicePrincipal'],
    specialValues: ['All', 'None', 'Office365', 'MicrosoftAdminPortals'], required: true,
  })),
  ...(['includeServicePrincipals', 'excludeServicePrincipals'] as const).map((p): ReferenceRule => ({
    path: `conditions.clientApplications.${p}`, by: 'id', targets: ['servicePrincipal'],
    specialValues: ['ServicePrincipalsInMyTenant'], required: true,
  })),
  ...(['includeLocations', 'excludeLocations'] as const).map((p): ReferenceRule => ({
    path: `conditions.locations.${p}`, by: 'id', targets: ['namedLocation'], specialValues: ['All', 'AllTrusted'], required: true,
  })),
  {
    path: 'grantControls.authenticationStrength.id', by: 'id', targets: ['authenticationStrengthPolicy'],
    specialValues: BUILT_IN_AUTH_STRENGTHS, required: true,
  },
  ...CA_DEPENDENCY_REFS,
];
