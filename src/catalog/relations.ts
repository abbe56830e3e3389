/**
 * Pure edges (no id or properties of their own), archived as `relations/<kind>.jsonl`.
 * Written with `$ref` (`/groups/{id}/members/$ref`) or `@odata.bind`; the manager with
 * `PUT /users/{id}/manager/$ref` (docs/graph-facts.md §3 "Membership and ownership").
 * Devices and org contacts may also be members, but they are not catalog types: the
 * snapshot records them as warnings, not edges.
 */
import type { RelationDescriptor } from './types.js';

export const relations: readonly RelationDescriptor[] = [
  {
    kind: 'groupMembers', fromType: 'group', path: '/groups/{id}/members',
    targets: ['user', 'group', 'servicePrincipal'], singleValued: false,
    permissions: { read: 'Group.Read.All', write: 'Group.ReadWrite.All' },
  },
  {
    kind: 'groupOwners', fromType: 'group', path: '/groups/{id}/owners',
    targets: ['user', 'servicePrincipal'], singleValued: false,
    permissions: { read: 'Group.Read.All', write: 'Group.ReadWrite.All' },
  },
  {
    kind: 'applicationOwners', fromType: 'application', path: '/applications/{id}/owners',
    targets: ['user', 'servicePrincipal'], singleValued: false,
    permissions: { read: 'Application.Read.All', write: 'Application.ReadWrite.All' },
  },
  {
    kind: 'servicePrincipalOwners', fromType: 'servicePrincipal', path: '/servicePrincipals/{id}/owners',
    targets: ['user', 'servicePrincipal'], singleValued: false,
    permissions: { read: 'Application.Read.All', write: 'Application.ReadWrite.All' },
  },
  {
    kind: 'userManager', fromType: 'user', path: '/users/{id}/manager',
    targets: ['user'], singleValued: true,
    permissions: { read: 'User.Read.All', write: 'User.ReadWrite.All' },
  },
  {
    kind: 'administrativeUnitMembers', fromType: 'administrativeUnit', path: '/directory/administrativeUnits/{id}/members',
    targets: ['user', 'group'], singleValued: false,
    permissions: { read: 'AdministrativeUnit.Read.All', write: 'AdministrativeUnit.ReadWrite.All' },
  },
];
