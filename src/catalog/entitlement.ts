/**
 * Entitlement management (issue 15 item 8): access package catalogs, access packages, their
 * assignment policies, and the assignments themselves (requested again). Graph facts and sources: docs/graph-facts.md §3 "Entitlement management"
 * (S135–S143).
 *
 * - An access package names its catalog, and a policy its access package, through a
 *   navigation property Graph returns only when expanded (`$expand=catalog`,
 *   `$expand=accessPackage`) and takes on create as `{ "catalog": { "id": … } }`,
 *   `{ "accessPackage": { "id": … } }` (S136, S137). The archive keeps the expanded `{ id }`
 *   (catalog `inlineNavigation`), so the generic reference rules remap it to the catalog or
 *   package the restore recreated and order the create after it.
 * - A policy's approvers, reviewers, on-behalf requestors and specific allowed targets name
 *   users and groups by id (`singleUser.userId`, `groupMembers.groupId`, S137). Not required:
 *   an unresolvable one is taken out with its subject set (src/restore/plan/entitlement.ts)
 *   and listed in a manual step, never silently dropped.
 * - An assignment (`accessPackageAssignment`) is not POSTed: Graph makes one only from an
 *   assignment request (S139). Archived with its target, package, policy and schedule; a
 *   delivered assignment of a user is requested again by the restore (requestType adminAdd
 *   naming the user, policy and package, with its archived end date: S384,
 *   src/restore/execute/assignment-requests.ts), and is then the same assignment under a new id.
 *   It is matched by its package, policy and user (each re-linked), and compared by those and
 *   its end date: its start is the request's (src/restore/plan/entitlement.ts). Any other (not
 *   delivered, or of a service principal) is listed in a manual step and reported not restored.
 * - Connected organizations are created with their identity sources (a tenant id or a domain,
 *   create-only); their internal and external sponsors are relations written with `$ref`
 *   (S142). The settings singleton is patched (S143).
 * - A policy's questions to the requestor (`accessPackageTextInputQuestion`,
 *   `accessPackageMultipleChoiceQuestion`) are a navigation read with `$expand=questions` and
 *   written inline in the policy's create body (S240, S241); the archive keeps them with the
 *   policy. A question's `id` is Graph's own: it leaves the create body (QUESTION_SERVER_SET).
 */
import type { ReferenceRule, ResourceDescriptor, ResourceType } from './types.js';
import { define, ms } from './define.js';
import { structuralProperties } from './schema.js';
import { accessPackageCustomWorkflowExtension } from './entitlement-extensions.js';

const P = { read: 'EntitlementManagement.Read.All', write: 'EntitlementManagement.ReadWrite.All' } as const;
const BASE = '/identityGovernance/entitlementManagement';

/** A subject set list's user and group ids (`singleUser.userId`, `groupMembers.groupId`, and the on-behalf/requestor variants). */
function subjectRefs(path: string): ReferenceRule[] {
  return [
    { path: `${path}.userId`, by: 'id', targets: ['user'], required: false },
    { path: `${path}.groupId`, by: 'id', targets: ['group'], required: false },
  ];
}

/** The subject-set lists of an assignment policy that name users and groups (S137). */
export const POLICY_SUBJECT_PATHS: readonly string[] = [
  'requestApprovalSettings.stages.primaryApprovers',
  'requestApprovalSettings.stages.fallbackPrimaryApprovers',
  'requestApprovalSettings.stages.escalationApprovers',
  'requestApprovalSettings.stages.fallbackEscalationApprovers',
  'reviewSettings.primaryReviewers',
  'reviewSettings.fallbackReviewers',
  'requestorSettings.onBehalfRequestors',
  'specificAllowedTargets',
];

const POLICY_REFS: readonly ReferenceRule[] = [
  { path: 'accessPackage.id', by: 'id', targets: ['accessPackage'], required: true },
  // the custom workflow extension a stage runs, in the package's catalog (S246)
  { path: 'customExtensionStageSettings.customExtension.id', by: 'id', targets: ['accessPackageCustomWorkflowExtension'], required: true },
  // users of a connected organization as requestors (`connectedOrganizationMembers`, S137)
  { path: 'specificAllowedTargets.connectedOrganizationId', by: 'id', targets: ['connectedOrganization'], required: false },
  ...POLICY_SUBJECT_PATHS.flatMap(subjectRefs),
];

/** Graph returns every structural property without `$select` (the emulator's default list). */
const all = (entityType: string): readonly string[] => structuralProperties(entityType, false).map((p) => p.name);

/** In restore order: settings, connected organizations, catalog → access package → assignment policy; assignments last (never written). */
export const entitlementTypes: readonly ResourceDescriptor[] = [
  define({
    type: 'entitlementManagementSettings', entityType: ms('entitlementManagementSettings'), title: 'Entitlement management settings',
    path: `${BASE}/settings`, shape: 'singleton', defaultProperties: all(ms('entitlementManagementSettings')),
    requiredOnCreate: [], naturalKey: [], softDelete: 'notDeletable', tier: 3, permissions: P,
  }),
  define({
    // its internal and external sponsors are relations (./relations.ts), written after users and groups
    type: 'connectedOrganization', entityType: ms('connectedOrganization'), title: 'Connected organization',
    path: `${BASE}/connectedOrganizations`, shape: 'collection', defaultProperties: all(ms('connectedOrganization')),
    readOnly: ['createdDateTime', 'modifiedDateTime'], createOnly: ['identitySources'], requiredOnCreate: ['displayName', 'identitySources'],
    naturalKey: ['displayName'], softDelete: 'hard', tier: 3, permissions: P,
  }),
  define({
    type: 'accessPackageCatalog', entityType: ms('accessPackageCatalog'), title: 'Access package catalog',
    path: `${BASE}/catalogs`, shape: 'collection', defaultProperties: all(ms('accessPackageCatalog')),
    readOnly: ['createdDateTime', 'modifiedDateTime', 'catalogType'], requiredOnCreate: ['displayName'],
    naturalKey: ['displayName'], softDelete: 'hard', tier: 3, permissions: P,
  }),
  // in its catalog, before the policies that run it (./entitlement-extensions.ts)
  accessPackageCustomWorkflowExtension,
  define({
    type: 'accessPackage', entityType: ms('accessPackage'), title: 'Access package',
    path: `${BASE}/accessPackages`, shape: 'collection', defaultProperties: all(ms('accessPackage')),
    inlineNavigation: ['catalog'], listQuery: '$expand=catalog($select=id)',
    readOnly: ['createdDateTime', 'modifiedDateTime'], requiredOnCreate: ['displayName'],
    references: [{ path: 'catalog.id', by: 'id', targets: ['accessPackageCatalog'], required: true }],
    // a display name is unique only within its catalog
    naturalKey: ['displayName+catalog.id'], softDelete: 'hard', tier: 3, permissions: P,
  }),
  define({
    type: 'accessPackageAssignmentPolicy', entityType: ms('accessPackageAssignmentPolicy'), title: 'Access package assignment policy',
    path: `${BASE}/assignmentPolicies`, shape: 'collection', defaultProperties: all(ms('accessPackageAssignmentPolicy')),
    // its questions come with `$expand=questions` and go inline in the create body (S240, S241)
    // and the custom extensions it runs by stage, `$expand=customExtensionStageSettings($expand=customExtension)` (S246)
    inlineNavigation: ['accessPackage', 'questions', 'customExtensionStageSettings'],
    listQuery: '$expand=accessPackage($select=id),questions,customExtensionStageSettings($expand=customExtension)',
    readOnly: ['createdDateTime', 'modifiedDateTime'], requiredOnCreate: ['displayName'], references: POLICY_REFS,
    // tier 3: its approvers and reviewers are users and groups restored in tier 2; a display
    // name is unique only within its access package ("Direct assignment" on every package)
    naturalKey: ['displayName+accessPackage.id'], softDelete: 'hard', tier: 3, permissions: P,
  }),
  define({
    type: 'accessPackageAssignment', entityType: ms('accessPackageAssignment'), title: 'Access package assignment',
    path: `${BASE}/assignments`, shape: 'collection', defaultProperties: all(ms('accessPackageAssignment')),
    inlineNavigation: ['target', 'accessPackage', 'assignmentPolicy'],
    listQuery: '$expand=target,accessPackage($select=id,displayName),assignmentPolicy($select=id,displayName)',
    // Created only by a request (S139, S384): its state is Graph's; its package, policy and user
    // are re-linked references and its key
    // its schedule is the request's: Graph has no update of it but another request (adminUpdate),
    // so a difference in a live assignment is reported, not written (its package, policy and user
    // are its key: a live one matched has the same)
    readOnly: ['customExtensionCalloutInstances', 'expiredDateTime', 'state', 'status'], requiredOnCreate: [],
    createOnly: ['schedule'],
    references: [
      { path: 'accessPackage.id', by: 'id', targets: ['accessPackage'], required: true },
      { path: 'assignmentPolicy.id', by: 'id', targets: ['accessPackageAssignmentPolicy'], required: true },
      { path: 'target.objectId', by: 'id', targets: ['user'], required: true },
    ],
    naturalKey: ['accessPackage.id+assignmentPolicy.id+target.objectId'], softDelete: 'hard', tier: 3, permissions: P,
  }),
];

/** What Graph sets on each question of a policy: never in a create body, never compared (src/restore/plan/entitlement-questions.ts). */
export const QUESTION_SERVER_SET: readonly string[] = ['id'];

/** Types that hold a subject's access and are created only by a request naming the subject (src/restore/plan/entitlement.ts). */
export const SUBJECT_ASSIGNMENTS: ReadonlySet<ResourceType> = new Set<ResourceType>(['accessPackageAssignment']);
