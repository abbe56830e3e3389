/**
 * Access reviews and lifecycle workflows as Graph v1.0 serves them (issue 15 item 9), beyond
 * the catalog's generic rules. Sources in docs/graph-facts.md §3 "Access reviews and lifecycle
 * workflows" (S175–S184):
 * - An access review definition is created with its scope (a query) and settings; the ids its
 *   queries name must exist (S175). Graph updates it only with PUT of the whole object, and
 *   its scope cannot change (S177): PATCH is 405 here, a PUT changing the scope 400.
 * - A workflow is created with its execution conditions and tasks in one POST (S178); Graph
 *   numbers the tasks (`executionSequence`) and gives each an id. A list shows neither the
 *   execution conditions nor the tasks; a GET of one workflow shows both (S179). PATCH changes
 *   only description, displayName, isEnabled and isSchedulingEnabled (S180). A deleted workflow
 *   goes to `…/deletedItems/workflows`, from which it can be restored (S183; ./recycle.ts).
 * - A task's category is its task definition's, whatever the workflow's: Graph answers a joiner
 *   workflow's "Enable User Account" task as `joiner,leaver` (S380). A task of a definition the
 *   emulator does not know is refused, 400, rather than given a category Graph would not give it.
 * - A custom task extension names a Logic App (`logicAppTriggerEndpointConfiguration`) and the
 *   app it authenticates with (`azureAdTokenAuthentication.resourceId`) (S184).
 */
import { canonicalJson } from '../json.js';
import type { ResourceType } from '../catalog/types.js';
import { REVIEW_QUERY_ID } from '../catalog/governance.js';
import type { DirObject, Json } from '../model.js';
import type { Ctx } from './context.js';
import { badRequest, GraphHttpError } from './graph-error.js';
import type { CreateContext } from './writes.js';
import { checkScopeTargets } from './workflow-scopes.js';

type Obj = Record<string, Json>;
const isObj = (v: Json | undefined): v is Obj => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
const T = (name: string): string => `#microsoft.graph.identityGovernance.${name}`;

/**
 * Microsoft's built-in task definitions the emulator knows (https://learn.microsoft.com/graph/api/resources/identitygovernance-taskdefinition):
 * each id with the category the List workflowTemplates response and the task definitions table
 * give it (docs/graph-facts.md S380).
 */
const BUILT_IN_TASKS = {
  enableUser: ['6fc52c9d-398b-4305-9763-15f42c1676fc', 'joiner,leaver'], // Enable User Account
  welcomeEmail: ['70b29d51-b59a-4773-9280-8841dfd3f2ea', 'joiner'], // Send Welcome Email
  generateTap: ['1b555e50-7f65-41d5-b514-5894a026d10d', 'joiner'], // Generate TAP And Send Email
  addToGroups: ['22085229-5809-45e8-97fd-270d28d66910', 'joiner,leaver'], // Add User To Groups
  disableUser: ['1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950', 'joiner,leaver'], // Disable User Account
  removeFromAllGroups: ['b3a31406-2a15-4c9a-b25b-a658fa5f07fc', 'leaver'], // Remove user from all groups
  removeFromAllTeams: ['81f7b200-2816-4b3b-8c5d-dc556f07b024', 'leaver'], // Remove user from all Teams
  deleteUser: ['8d18588d-9ad3-4c0f-99d0-ec215f0e3dff', 'leaver'], // Delete User Account
  removeFromSelectedGroups: ['1953a66c-751c-45e5-8bfe-01462c70da3c', 'joiner,leaver'], // Remove user from selected groups
  removeFromSelectedTeams: ['06aa7acb-01af-4824-8899-b14e5ed788d6', 'joiner,leaver'], // Remove user from selected Teams
  customExtension: ['4262b724-8dba-4fad-afc3-43fcbb497a0e', 'joiner,leaver'], // Run a Custom Task Extension
  notifyManagerOfMove: ['aab41899-9972-422a-9d97-f626014578b7', 'mover'], // Send email to notify manager of user move
} as const;

/** The built-in task definitions' ids by name (the seed and the tests name them). */
export const TASK_DEFINITIONS = Object.fromEntries(Object.entries(BUILT_IN_TASKS).map(([k, [id]]) => [k, id])) as { readonly [K in keyof typeof BUILT_IN_TASKS]: (typeof BUILT_IN_TASKS)[K][0] };

/** A built-in task definition's category, by its id. */
export const TASK_DEFINITION_CATEGORY: Readonly<Record<string, string>> = Object.fromEntries(Object.values(BUILT_IN_TASKS));

/** Every `query` string of a definition's scopes, reviewers and notification recipients. */
function reviewQueries(o: Obj): string[] {
  const out: string[] = [];
  const q = (v: Json | undefined): void => {
    if (isObj(v) && typeof v.query === 'string') out.push(v.query);
    if (isObj(v)) for (const k of ['principalScopes', 'resourceScopes']) if (Array.isArray(v[k])) for (const s of v[k]) q(s);
  };
  q(o.scope);
  q(o.instanceEnumerationScope);
  for (const k of ['reviewers', 'fallbackReviewers']) if (Array.isArray(o[k])) for (const r of o[k]) q(r);
  if (Array.isArray(o.stageSettings)) for (const s of o.stageSettings) if (isObj(s)) for (const k of ['reviewers', 'fallbackReviewers']) if (Array.isArray(s[k])) for (const r of s[k]) q(r);
  if (Array.isArray(o.additionalNotificationRecipients)) for (const r of o.additionalNotificationRecipients) if (isObj(r)) q(r.notificationRecipientScope);
  return out;
}

const QUERY_TYPES: readonly ResourceType[] = ['user', 'group', 'servicePrincipal', 'accessPackage'];

/** @throws GraphHttpError 400 when a query names an object the tenant does not have. */
function checkQueries(ctx: Ctx, o: Obj): void {
  const re = new RegExp(REVIEW_QUERY_ID);
  for (const query of reviewQueries(o)) {
    const id = re.exec(query)?.[1];
    if (id && !QUERY_TYPES.some((t) => ctx.rt.store.get(t, id))) throw badRequest(`The query '${query}' names an object that does not exist.`, 'InvalidRequest');
  }
}

function prepareAccessReview(ctx: Ctx, o: DirObject, c: CreateContext): void {
  if (!isObj(o.scope) || (typeof o.scope.query !== 'string' && !Array.isArray(o.scope.principalScopes))) {
    throw badRequest('An access review needs a scope: an accessReviewQueryScope with a query, or a principalResourceMembershipsScope.', 'InvalidRequest');
  }
  checkQueries(ctx, o as Obj);
  o.status = 'NotStarted';
  o.createdDateTime = c.now;
  o.lastModifiedDateTime = c.now;
  o.createdBy ??= null;
}

/** The properties a PUT of an access review definition may change (S177). */
const REVIEW_PUT = ['displayName', 'descriptionForAdmins', 'descriptionForReviewers', 'fallbackReviewers', 'reviewers', 'settings', 'additionalNotificationRecipients'];
// an unset collection reads as [] (./odata/listing.ts project): the same as absent

/**
 * PUT of a whole access review definition: the writable properties are replaced, the scope
 * must be the definition's own, read-only properties are taken as they are (S177).
 * @throws GraphHttpError 400 for a changed scope, a query naming no object, an unknown property
 */
/**
 * A scope as a comparison sees it: without its `@odata.type` annotation and its null properties.
 * Graph's own PUT example names the definition's unchanged scope without either (answered 204,
 * https://learn.microsoft.com/graph/api/accessreviewscheduledefinition-update, replayed by
 * test/emulator/conformance/examples/accessreviewscheduledefinition-update-1.json).
 */
function plain(v: Json | undefined): Json {
  if (v === undefined || (Array.isArray(v) && v.length === 0)) return null;
  if (Array.isArray(v)) return v.map(plain);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([k, x]) => k !== '@odata.type' && x !== null).map(([k, x]) => [k, plain(x)]));
}

export function putAccessReview(ctx: Ctx, o: DirObject, body: Obj): void {
  for (const k of ['scope', 'instanceEnumerationScope', 'stageSettings']) {
    if (k in body && canonicalJson(plain(body[k])) !== canonicalJson(plain(o[k]))) throw badRequest(`The property '${k}' of an access review cannot be updated.`, 'InvalidRequest');
  }
  const known = new Set([...REVIEW_PUT, 'id', 'scope', 'instanceEnumerationScope', 'stageSettings', 'createdBy', 'createdDateTime', 'lastModifiedDateTime', 'status', '@odata.type']);
  for (const k of Object.keys(body)) if (!known.has(k)) throw badRequest(`Could not find a property named '${k}' on type 'microsoft.graph.accessReviewScheduleDefinition'.`, 'BadRequest');
  // only what the PUT writes must name existing objects: the scope it cannot change may name a deleted group
  const written: Obj = {};
  for (const k of REVIEW_PUT) if (k in body) written[k] = body[k]!;
  checkQueries(ctx, written);
  for (const k of REVIEW_PUT) o[k] = body[k] ?? (k.endsWith('Reviewers') || k === 'reviewers' || k === 'additionalNotificationRecipients' ? [] : null);
  o.lastModifiedDateTime = ctx.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The ids a workflow's tasks and execution scope name, each checked against `types`. */
function checkWorkflowLinks(ctx: Ctx, o: Obj): void {
  const store = ctx.rt.store;
  const tasks = Array.isArray(o.tasks) ? o.tasks : [];
  for (const t of tasks) {
    if (!isObj(t) || !Array.isArray(t.arguments)) continue;
    for (const a of t.arguments) {
      if (!isObj(a) || typeof a.value !== 'string') continue;
      const name = String(a.name ?? '').toLowerCase();
      const types: ResourceType[] | undefined = name === 'groupid' || name === 'teamid' ? ['group'] : name === 'customtaskextensionid' ? ['customTaskExtension'] : name === 'cc' ? ['user'] : undefined;
      if (!types) continue;
      for (const id of a.value.split(',').map((s) => s.trim()).filter(Boolean)) {
        if (!types.some((ty) => store.get(ty, id))) throw badRequest(`The task argument '${String(a.name)}' names '${id}', which does not exist.`, 'InvalidRequest');
      }
    }
  }
  const scope = isObj(o.executionConditions) ? o.executionConditions.scope : undefined;
  if (isObj(scope) && Array.isArray(scope.groups)) {
    for (const g of scope.groups) if (!isObj(g) || typeof g.id !== 'string' || !store.get('group', g.id)) throw badRequest('The execution scope names a group that does not exist.', 'InvalidRequest');
  }
}

/** Checks a workflow body (create or new version) and gives its tasks their ids and sequence. @throws GraphHttpError 400 */
function checkWorkflowBody(ctx: Ctx, o: DirObject): void {
  if (!['joiner', 'leaver', 'mover'].includes(String(o.category))) throw badRequest("A workflow's category is joiner, leaver or mover.", 'InvalidRequest');
  if (!isObj(o.executionConditions) || typeof o.executionConditions['@odata.type'] !== 'string') throw badRequest('A workflow needs its executionConditions.', 'InvalidRequest');
  if (!Array.isArray(o.tasks) || o.tasks.length === 0) throw badRequest('A workflow is created with its tasks.', 'InvalidRequest');
  if (o.tasks.length > 25) throw badRequest('A workflow can have up to 25 tasks.', 'InvalidRequest');
  o.tasks = o.tasks.map((t, i) => {
    if (!isObj(t) || typeof t.taskDefinitionId !== 'string' || typeof t.displayName !== 'string') throw badRequest('A task needs its displayName and taskDefinitionId.', 'InvalidRequest');
    for (const k of ['id', 'executionSequence']) if (k in t) throw badRequest(`The task property '${k}' is set by the service.`, 'InvalidRequest');
    const category = TASK_DEFINITION_CATEGORY[t.taskDefinitionId.toLowerCase()];
    if (category === undefined) throw badRequest(`The task definition '${t.taskDefinitionId}' does not exist.`, 'InvalidRequest');
    return { continueOnError: false, description: null, isEnabled: true, arguments: [], ...t, category, id: ctx.rt.ids.guid(), executionSequence: i + 1 };
  });
  checkWorkflowLinks(ctx, o as Obj);
  checkScopeTargets(ctx, o);
}

function prepareWorkflow(ctx: Ctx, o: DirObject, c: CreateContext): void {
  checkWorkflowBody(ctx, o);
  o.isEnabled ??= true;
  o.isSchedulingEnabled ??= false;
  o.version = 1;
  o.createdDateTime = c.now;
  o.lastModifiedDateTime = c.now;
  o.nextScheduleRunDateTime = null;
  o.quarantineDetails = null;
  o.settings ??= { '@odata.type': T('workflowSetting'), quarantineConfiguration: null };
}

function prepareCustomTaskExtension(_ctx: Ctx, o: DirObject, c: CreateContext): void {
  const ep = o.endpointConfiguration;
  if (!isObj(ep) || ep['@odata.type'] !== '#microsoft.graph.logicAppTriggerEndpointConfiguration' || !['subscriptionId', 'resourceGroupName', 'logicAppWorkflowName'].every((k) => typeof ep[k] === 'string')) {
    throw badRequest('endpointConfiguration must be a logicAppTriggerEndpointConfiguration with subscriptionId, resourceGroupName and logicAppWorkflowName.', 'InvalidRequest');
  }
  const auth = o.authenticationConfiguration;
  if (!isObj(auth) || typeof auth.resourceId !== 'string') throw badRequest('authenticationConfiguration must name the resourceId of the app the extension authenticates with.', 'InvalidRequest');
  o.createdDateTime = c.now;
  o.lastModifiedDateTime = c.now;
}

/** Create rules of the governance types (writes.ts PREPARE). */
export const GOVERNANCE_PREPARE: Partial<Record<ResourceType, (ctx: Ctx, o: DirObject, c: CreateContext) => void>> = {
  accessReviewDefinition: prepareAccessReview,
  lifecycleWorkflow: prepareWorkflow,
  customTaskExtension: prepareCustomTaskExtension,
};

/**
 * `POST …/workflows/{id}/createNewVersion` with `{ workflow: {…} }`: the workflow keeps its id,
 * takes the new definition (execution conditions and tasks included) and its version grows by one (S180).
 * @throws GraphHttpError 400 for a body without a workflow, or one a create would refuse
 */
export function newWorkflowVersion(ctx: Ctx, o: DirObject, body: Obj): void {
  const w = body.workflow;
  if (!isObj(w)) throw badRequest("The request body must hold the new version as 'workflow'.", 'InvalidRequest');
  const next: DirObject = { ...(w as DirObject), id: o.id };
  checkWorkflowBody(ctx, next);
  for (const k of ['category', 'description', 'displayName', 'isEnabled', 'isSchedulingEnabled', 'executionConditions', 'tasks', 'administrationScopeTargets']) if (next[k] !== undefined) o[k] = next[k];
  o.version = (typeof o.version === 'number' ? o.version : 1) + 1;
  o.lastModifiedDateTime = ctx.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** What PATCH may change on a workflow (S180). */
const WORKFLOW_PATCH = new Set(['description', 'displayName', 'isEnabled', 'isSchedulingEnabled']);

/** @throws GraphHttpError 405 for PATCH of an access review (PUT only), 400 for a workflow property PATCH cannot change. */
export function checkGovernancePatch(type: ResourceType, body: Record<string, Json>): void {
  if (type === 'accessReviewDefinition') throw new GraphHttpError(405, 'Request_BadRequest', "The HTTP method 'PATCH' is not allowed on an access review definition; use PUT.");
  if (type !== 'lifecycleWorkflow') return;
  for (const k of Object.keys(body)) {
    if (!WORKFLOW_PATCH.has(k)) throw badRequest(`The workflow property '${k}' cannot be updated; create a new version of the workflow.`, 'InvalidRequest');
  }
}

/** The properties a single GET of a workflow adds to the list's: its execution conditions and tasks (S179). */
export function workflowDetail(o: DirObject, select: readonly string[] | undefined): Obj {
  const out: Obj = {};
  if (!select || select.includes('executionConditions')) out.executionConditions = o.executionConditions ?? null;
  if (!select) out.tasks = o.tasks ?? [];
  return out;
}
