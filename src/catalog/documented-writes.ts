/**
 * The writes Graph's v1.0 reference does not document for a catalog type: the "Methods" table of
 * the type's resource page lists no Create, Update or Delete for objects at the catalog's path.
 * Derived from vendor/graph-docs/resource-methods.json (each type's page, commit and Methods
 * rows; test/emulator/documented-methods.test.ts checks this table against it). The emulator
 * refuses these writes (src/emulator/documented-methods.ts); the planner never plans an update
 * Graph does not document (src/restore/plan/updates.ts).
 */
import type { ResourceType } from './types.js';

export type WriteKind = 'create' | 'update' | 'delete';

/** Per type, the writes its page does not document (absent: all three documented, or served apart). */
export const UNDOCUMENTED_WRITES: Partial<Record<ResourceType, readonly WriteKind[]>> = {
  organization: ['create', 'delete'],
  certificateBasedAuthConfiguration: ['update'], // "To change …, first delete and then create a new"
  permissionGrantPolicyInclude: ['update'],
  permissionGrantPolicyExclude: ['update'],
  attributeSet: ['delete'], // "can't be renamed or deleted"
  customSecurityAttributeDefinition: ['delete'],
  orgContact: ['create', 'update', 'delete'], // read-only in Graph (src/emulator/org-contacts.ts)
  extensionProperty: ['update'],
  b2xUserFlow: ['update'],
  appRoleAssignment: ['update'],
  roleAssignment: ['update'],
  roleEligibilitySchedule: ['create', 'update', 'delete'], // by schedule request (src/emulator/pim.ts)
  roleAssignmentSchedule: ['create', 'update', 'delete'],
  roleManagementPolicy: ['create', 'delete'],
  roleManagementPolicyAssignment: ['create', 'update', 'delete'],
  pimGroupEligibilitySchedule: ['create', 'update', 'delete'], // by schedule request (src/emulator/pim-groups.ts)
  pimGroupAssignmentSchedule: ['create', 'update', 'delete'],
  pimGroupPolicy: ['create', 'delete'],
  pimGroupPolicyAssignment: ['create', 'update', 'delete'],
  scopedRoleMembership: ['update'],
  delegatedPermissionClassification: ['update'],
  accessPackageAssignment: ['create', 'update', 'delete'], // by assignment request (src/emulator/assignment-requests.ts)
  accessPackageResource: ['create', 'update', 'delete'], // by resource request (src/emulator/resource-requests.ts)
  accessPackageResourceRoleScope: ['update'],
  authenticationMethodConfiguration: ['create'],
  userFlowLanguage: ['create', 'update', 'delete'], // only its pages' content is written (src/restore/plan/user-flow-languages.ts)
};

/**
 * Types whose objects are changed apart from a write of the object, as Graph documents: PIM
 * schedules (`adminUpdate` schedule requests, docs/graph-facts.md S386), access package
 * assignments (assignment requests, S384), catalog resources (resource requests, S247), a user
 * flow language (its override pages' content, PUT as a stream, S332).
 */
export const WRITTEN_APART: ReadonlySet<ResourceType> = new Set<ResourceType>([
  'roleEligibilitySchedule', 'roleAssignmentSchedule', 'pimGroupEligibilitySchedule', 'pimGroupAssignmentSchedule',
  'accessPackageAssignment', 'accessPackageResource', 'userFlowLanguage',
]);

/** True when Graph documents no update of `type`'s objects: not by PATCH or PUT, not apart. */
export function updateUndocumented(type: ResourceType): boolean {
  return (UNDOCUMENTED_WRITES[type]?.includes('update') ?? false) && !WRITTEN_APART.has(type);
}
