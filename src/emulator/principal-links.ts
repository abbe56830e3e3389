/**
 * Assignment-like objects that point at principals (roles, app roles, grants, scoped role
 * memberships): hidden while their principal is in the recycle bin, removed with it for good.
 */
import type { ResourceType } from '../catalog/types.js';
import type { DirObject, Json } from '../model.js';
import type { TenantStore } from './store.js';

/** Types whose objects reference principals; hidden while the principal is soft-deleted. */
export const PRINCIPAL_LINKED: readonly ResourceType[] = [
  'roleAssignment',
  'roleEligibilitySchedule',
  'roleAssignmentSchedule',
  'appRoleAssignment',
  'oauth2PermissionGrant',
  'scopedRoleMembership',
  // PIM for Groups schedules name their member or owner as principalId (a group's own ones go with
  // the group, their parent): a schedule of a user purged for good does not outlive the user, as a
  // role assignment schedule does not (found by the all-admins-deleted read-back, issue 15)
  'pimGroupEligibilitySchedule',
  'pimGroupAssignmentSchedule',
];

export function linkedIds(o: DirObject): string[] {
  const out: string[] = [];
  for (const k of ['principalId', 'resourceId', 'clientId']) if (typeof o[k] === 'string') out.push(o[k] as string);
  const info = o.roleMemberInfo as Record<string, Json> | null | undefined;
  if (info && typeof info.id === 'string') out.push(info.id);
  return out;
}

/** True when an assignment-like object points at a soft-deleted principal (kept, but hidden). */
export function hiddenByPrincipal(store: TenantStore, o: DirObject): boolean {
  for (const id of linkedIds(o)) if (store.typeOf.has(id) && !store.isLive(id)) return true;
  return false;
}
