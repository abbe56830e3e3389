/**
 * Custom workflow extensions of access package catalogs (issue 15 item 8, part 3):
 * `…/catalogs/{id}/customWorkflowExtensions`, each an `accessPackageAssignmentRequestWorkflowExtension`
 * or an `accessPackageAssignmentWorkflowExtension` (the `@odata.type` is required on create) with
 * a display name, a Logic App `endpointConfiguration` (subscription, resource group, workflow name;
 * Graph fills its `url`) and an `authenticationConfiguration` (docs/graph-facts.md §3
 * "Entitlement management", S245). A policy runs one at a stage of a request
 * (`customExtensionStageSettings`, ./entitlement.ts), naming it by id.
 * Recreated as archived in its recreated catalog; the Logic App it calls lives in Azure and
 * authorizes the calling tenant itself: a manual step (src/restore/plan/entitlement-extensions.ts).
 */
import type { ResourceDescriptor } from './types.js';
import { define, ms } from './define.js';

const P = { read: 'EntitlementManagement.Read.All', write: 'EntitlementManagement.ReadWrite.All' } as const;

/** The two derived types a catalog's customWorkflowExtensions holds (S245). */
export const WORKFLOW_EXTENSION_TYPES: readonly string[] = [ms('accessPackageAssignmentRequestWorkflowExtension'), ms('accessPackageAssignmentWorkflowExtension')];

export const accessPackageCustomWorkflowExtension: ResourceDescriptor = define({
  type: 'accessPackageCustomWorkflowExtension', entityType: ms('accessPackageAssignmentRequestWorkflowExtension'), title: 'Access package custom workflow extension',
  path: '/identityGovernance/entitlementManagement/catalogs/{parentId}/customWorkflowExtensions', shape: 'contained', parentType: 'accessPackageCatalog',
  polymorphic: true, derivedTypes: WORKFLOW_EXTENSION_TYPES,
  readOnly: ['createdBy', 'createdDateTime', 'lastModifiedBy', 'lastModifiedDateTime'],
  requiredOnCreate: ['displayName', 'endpointConfiguration', 'authenticationConfiguration'],
  // a display name is unique within its catalog (the key is scoped by the parent catalog)
  naturalKey: ['displayName'], softDelete: 'hard', tier: 3, permissions: P,
});
