/**
 * Access reviews and lifecycle workflows (issue 15 item 9). Graph facts and sources:
 * docs/graph-facts.md §3 "Access reviews and lifecycle workflows" (S175–S184).
 *
 * - An access review definition (`/identityGovernance/accessReviews/definitions`) names what
 *   it reviews and who reviews in OData query strings: `scope.query`
 *   (`/groups/{id}/transitiveMembers`, `/servicePrincipals/{id}/appRoleAssignedTo`,
 *   `…accessPackageAssignments?$filter=(accessPackage/id eq '{id}')`), `instanceEnumerationScope.query`,
 *   `reviewers[].query` and `fallbackReviewers[].query` (`/users/{id}`, `/groups/{id}/owners`).
 *   Each holds at most one object id, re-linked by `idInText` to the restored object's new id.
 *   The scope is required (a review of nothing is no review); so are the reviewers, since a
 *   definition without reviewers is a self-review (S176), which a restore must never turn a
 *   reviewed access into. Fallback reviewers and notification recipients may be dropped and listed.
 *   Graph updates a definition only with PUT of the whole object (S177): src/restore/execute/objects.ts.
 * - A lifecycle workflow (`/identityGovernance/lifecycleWorkflows/workflows`) is created with its
 *   tasks in one POST (S178). The list returns neither its execution conditions nor its tasks;
 *   a GET of one workflow returns both, the tasks expanded by default (S179), so both are read
 *   per object (catalog `perObjectProperties`, `inlineNavigation`). PATCH changes only its
 *   description, displayName, isEnabled and isSchedulingEnabled; anything else takes a new
 *   version (S180), so category, execution conditions and tasks are create-only here.
 *   A task argument holding an object id or a comma-separated list of them (`groupID`, `cc`
 *   with several users, `customTaskExtensionID`; S270) has each id re-linked; the execution
 *   scope's groups (`groupBasedSubjectSet.groups[].id`) too.
 * - Its `administrationScopeTargets` (the administrative units whose scoped Lifecycle Workflows
 *   Administrators may manage it) are a navigation Graph serves only at
 *   `…/workflows/{id}/administrationScopeTargets` and takes inline in the create body (S272):
 *   read per object (catalog `navigationReads`), re-linked to the restored units, create-only
 *   here (PATCH cannot change them).
 * - Custom task extensions (`…/customTaskExtensions`) point at an Azure Logic App and
 *   authenticate with an app (`authenticationConfiguration.resourceId`, an appId the embedded-appId
 *   phase rewrites, src/restore/plan/embed.ts); they are recreated as archived, and the Logic App's
 *   own authorization (tenant, app) is a manual step (src/restore/plan/governance.ts).
 * - The lifecycle workflow settings singleton (`…/settings`) is patched (S181).
 * - A workflow deleted within 30 days is in `…/deletedItems/workflows`: a restore brings it back
 *   from there with its id and tasks (`POST …/deletedItems/workflows/{id}/restore`, S183, S271)
 *   instead of creating a new one (softDelete `lifecycleDeletedItems`, src/restore/live.ts).
 * Instances, decisions, history definitions, workflow runs, versions and task reports are not
 * archived (src/report/coverage.ts says why).
 */
import type { ReferenceRule, ResourceDescriptor } from './types.js';
import { define, ms } from './define.js';
import { structuralProperties } from './schema.js';

const AR = { read: 'AccessReview.Read.All', write: 'AccessReview.ReadWrite.All' } as const;
const LW = { read: 'LifecycleWorkflows.Read.All', write: 'LifecycleWorkflows.ReadWrite.All' } as const;
const LW_BASE = '/identityGovernance/lifecycleWorkflows';
const ig = (name: string): string => `microsoft.graph.identityGovernance.${name}`;

/** The one object id a review query names (users, groups, service principals, an access package). */
export const REVIEW_QUERY_ID = "(?:/(?:users|groups|servicePrincipals)/|accessPackage/id eq '|accessPackageId eq ')([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})";
const REVIEW_TARGETS = ['user', 'group', 'servicePrincipal', 'accessPackage'] as const;

const query = (path: string, required: boolean): ReferenceRule => ({ path, by: 'idInText', pattern: REVIEW_QUERY_ID, targets: REVIEW_TARGETS, required });

/** Where an access review definition names objects (S175, S176). */
export const REVIEW_REFS: readonly ReferenceRule[] = [
  query('scope.query', true),
  query('scope.principalScopes.query', true),
  query('scope.resourceScopes.query', true),
  query('instanceEnumerationScope.query', true),
  query('reviewers.query', true),
  query('stageSettings.reviewers.query', true),
  query('fallbackReviewers.query', false),
  query('stageSettings.fallbackReviewers.query', false),
  query('additionalNotificationRecipients.notificationRecipientScope.query', false),
];

/**
 * One id of a task argument that holds an object id or a comma-separated list of them
 * (`cc` "id1,id2", `groupID` "id1, id2, id3": S182, S270); a value with anything else between
 * the commas (a subject, a locale, `Managers`) is no reference.
 */
export const ID_IN_LIST = '(?:^|,)\\s*([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\\s*(?=,|$)';

/** Where a workflow names objects: its tasks' arguments and its group-based execution scope. */
export const WORKFLOW_REFS: readonly ReferenceRule[] = [
  { path: 'tasks.arguments.value', by: 'idInText', pattern: ID_IN_LIST, several: true, targets: ['group', 'user', 'customTaskExtension'], required: true },
  { path: 'executionConditions.scope.groups.id', by: 'id', targets: ['group'], required: true },
  // who may manage it: never dropped (that would widen who can), S272
  { path: 'administrationScopeTargets.id', by: 'id', targets: ['administrativeUnit'], required: true },
];

const all = (entityType: string): readonly string[] => structuralProperties(entityType, false).map((p) => p.name);

/** In restore order: extensions and settings before the workflows whose tasks name them. */
export const governanceTypes: readonly ResourceDescriptor[] = [
  define({
    type: 'accessReviewDefinition', entityType: ms('accessReviewScheduleDefinition'), title: 'Access review',
    path: '/identityGovernance/accessReviews/definitions', shape: 'collection',
    readOnly: ['createdBy', 'createdDateTime', 'lastModifiedDateTime', 'status'],
    createOnly: ['scope', 'instanceEnumerationScope', 'stageSettings'], requiredOnCreate: ['displayName', 'scope', 'settings'],
    references: REVIEW_REFS, naturalKey: ['displayName'], softDelete: 'hard', tier: 3, permissions: AR,
  }),
  define({
    type: 'lifecycleWorkflowSettings', entityType: ig('lifecycleManagementSettings'), title: 'Lifecycle workflow settings',
    path: `${LW_BASE}/settings`, shape: 'singleton', defaultProperties: all(ig('lifecycleManagementSettings')),
    requiredOnCreate: [], naturalKey: [], softDelete: 'notDeletable', tier: 3, permissions: LW,
  }),
  define({
    type: 'customTaskExtension', entityType: ig('customTaskExtension'), title: 'Custom task extension',
    path: `${LW_BASE}/customTaskExtensions`, shape: 'collection', defaultProperties: all(ig('customTaskExtension')),
    readOnly: ['createdDateTime', 'lastModifiedDateTime'],
    requiredOnCreate: ['displayName', 'endpointConfiguration', 'authenticationConfiguration'],
    naturalKey: ['displayName'], softDelete: 'hard', tier: 3, permissions: LW,
  }),
  define({
    type: 'lifecycleWorkflow', entityType: ig('workflow'), title: 'Lifecycle workflow',
    path: `${LW_BASE}/workflows`, shape: 'collection', defaultProperties: all(ig('workflow')).filter((p) => p !== 'executionConditions'),
    perObjectProperties: ['executionConditions'], inlineNavigation: ['tasks'], navigationReads: ['administrationScopeTargets'],
    readOnly: ['createdDateTime', 'lastModifiedDateTime', 'deletedDateTime', 'nextScheduleRunDateTime', 'quarantineDetails', 'version', 'id'],
    createOnly: ['category', 'settings'], requiredOnCreate: ['category', 'displayName'],
    references: WORKFLOW_REFS, naturalKey: ['displayName'], softDelete: 'lifecycleDeletedItems', tier: 3, permissions: LW,
  }),
];

/** A task's properties Graph sets itself: never in a create body (S178). */
export const TASK_SERVER_SET: readonly string[] = ['id', 'executionSequence', 'category'];
