/**
 * App management and consent governance as Graph v1.0 serves them (issue 15 items 3 and 4),
 * beyond the catalog's generic create/patch/delete rules. Sources in docs/graph-facts.md §3
 * "App management and consent governance" (S75–S85):
 * - Microsoft's built-in permission grant policies (`microsoft-…`) "can't be edited": their
 *   properties and condition sets are neither changed nor deleted (manage-app-consent-policies).
 * - A condition set's unset properties take their documented defaults (`all`, `any`, false);
 *   `delegatedUserConsentable` "cannot be used in custom policies" (permissiongrantconditionset).
 * - Condition sets and delegated permission classifications have no Update method.
 * - A classification is `low` and names one of its service principal's delegated permissions
 *   (serviceprincipal-post-delegatedpermissionclassifications, delegatedpermissionclassification).
 * - The admin consent request policy is written with PUT (adminconsentrequestpolicy-update);
 *   its version counts the updates.
 * - An application or service principal carries at most one app management policy
 *   (appmanagementpolicy-post-appliesto).
 * - The default user role's permission grant policies name existing policies by id
 *   (configure-user-consent: "the ID of the policy"; an id of no policy is refused).
 */
import type { RelationDescriptor, ResourceType } from '../catalog/types.js';
import type { DirObject, Json } from '../model.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, GraphHttpError, notFound } from './graph-error.js';
import type { TenantStore } from './store.js';
import type { CreateContext } from './writes.js';

/** Microsoft's built-in permission grant policies are the ids starting `microsoft-`. */
export const isBuiltInGrantPolicyId = (id: string): boolean => id.startsWith('microsoft-');

const CONDITION_TYPES = new Set<ResourceType>(['permissionGrantPolicyInclude', 'permissionGrantPolicyExclude']);

/** Defaults of a condition set's properties (https://learn.microsoft.com/graph/api/resources/permissiongrantconditionset). */
export const CONDITION_DEFAULTS: Readonly<Record<string, Json>> = {
  clientApplicationIds: ['all'], clientApplicationPublisherIds: ['all'], clientApplicationsFromVerifiedPublisherOnly: false,
  clientApplicationTenantIds: ['all'], permissionClassification: 'all', permissions: ['all'], resourceApplication: 'any',
};

const notEditable = (): GraphHttpError => badRequest('Built-in permission grant policies cannot be modified.', 'InvalidRequest');

function prepareConditionSet(ctx: Ctx, o: DirObject, c: CreateContext): void {
  const policy = c.parentId ? ctx.rt.store.get('permissionGrantPolicy', c.parentId) : undefined;
  if (!policy) throw notFound(c.parentId ?? '');
  if (isBuiltInGrantPolicyId(policy.id)) throw notEditable();
  if (o.permissionType !== 'application' && o.permissionType !== 'delegated') {
    throw badRequest(`Invalid value specified for property 'permissionType' of resource 'PermissionGrantConditionSet': custom policies take 'application' or 'delegated'.`);
  }
  for (const [k, v] of Object.entries(CONDITION_DEFAULTS)) if (o[k] === undefined || o[k] === null) o[k] = structuredClone(v);
}

function prepareClassification(ctx: Ctx, o: DirObject, c: CreateContext): void {
  const sp = c.parentId ? ctx.rt.store.get('servicePrincipal', c.parentId) : undefined;
  if (!sp) throw notFound(c.parentId ?? '');
  if (o.classification !== 'low') throw badRequest(`Invalid value specified for property 'classification' of resource 'DelegatedPermissionClassification'.`);
  const scopes = Array.isArray(sp.oauth2PermissionScopes) ? (sp.oauth2PermissionScopes as Json[]) : [];
  const scope = scopes.find((s) => s !== null && typeof s === 'object' && !Array.isArray(s) && s.id === o.permissionId) as Record<string, Json> | undefined;
  if (!scope) throw badRequest(`Permission ${String(o.permissionId)} is not a delegated permission of service principal ${sp.id}.`);
  if (o.permissionName !== undefined && o.permissionName !== scope.value) throw badRequest(`permissionName does not match permission ${String(o.permissionId)}.`);
  o.permissionName = scope.value ?? null;
  const dup = [...(ctx.rt.store.live.get('delegatedPermissionClassification')?.values() ?? [])]
    .some((x) => ctx.rt.store.parentOf.get(x.id) === sp.id && x.permissionId === o.permissionId);
  if (dup) throw new GraphHttpError(409, 'Request_MultipleObjectsWithSameKeyValue', 'The permission is already classified.');
}

/** Create rules of the consent types (writes.ts PREPARE). */
export const CONSENT_PREPARE: Partial<Record<ResourceType, (ctx: Ctx, o: DirObject, c: CreateContext) => void>> = {
  permissionGrantPolicyInclude: prepareConditionSet,
  permissionGrantPolicyExclude: prepareConditionSet,
  delegatedPermissionClassification: prepareClassification,
};

/** The policy ids `ManagePermissionGrantsFor….{id}` entries name (others are kept as they are). */
function assignedPolicyIds(v: Json | undefined): string[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((x) => {
    const m = typeof x === 'string' ? /^ManagePermissionGrantsFor(?:Self|OwnedResource)\.(.+)$/.exec(x) : null;
    return m ? [m[1] as string] : [];
  });
}

/** @throws GraphHttpError for a PATCH Graph refuses on the consent types (and on the authorization policy's grant policies). */
export function checkConsentPatch(store: TenantStore, type: ResourceType, o: DirObject, body: Record<string, Json>): void {
  if (CONDITION_TYPES.has(type) || type === 'delegatedPermissionClassification') {
    throw new GraphHttpError(405, 'Request_BadRequest', `The HTTP method 'PATCH' is not allowed on this resource.`);
  }
  if (type === 'permissionGrantPolicy' && isBuiltInGrantPolicyId(o.id)) throw notEditable();
  if (type === 'authorizationPolicy') {
    const drup = body.defaultUserRolePermissions;
    const list = drup !== null && typeof drup === 'object' && !Array.isArray(drup) ? drup.permissionGrantPoliciesAssigned : undefined;
    for (const id of assignedPolicyIds(list)) {
      if (!store.get('permissionGrantPolicy', id)) throw badRequest(`Invalid value specified for property 'permissionGrantPoliciesAssigned': permission grant policy '${id}' does not exist.`);
    }
  }
}

/** @throws GraphHttpError 400 when a built-in policy or one of its condition sets is deleted. */
export function checkConsentDelete(store: TenantStore, type: ResourceType, o: DirObject): void {
  if (type === 'permissionGrantPolicy' && isBuiltInGrantPolicyId(o.id)) throw notEditable();
  if (CONDITION_TYPES.has(type) && isBuiltInGrantPolicyId(store.parentOf.get(o.id) ?? '')) throw notEditable();
}

/** @throws GraphHttpError 400 when an app or SP that has an app management policy gets a second one. */
export function checkSinglePolicy(rel: RelationDescriptor, current: readonly string[]): void {
  if (rel.targets.includes('appManagementPolicy') && current.length > 0) {
    throw badRequest('Only one app management policy can be assigned to an application or service principal.');
  }
}

const CONSENT_REQUEST_REQUIRED = ['isEnabled', 'notifyReviewers', 'remindersEnabled', 'requestDurationInDays', 'reviewers'] as const;

/**
 * PUT /policies/adminConsentRequestPolicy: the whole policy (its five documented properties
 * required), version bumped. `patch` is the generic PATCH (property checks and store).
 */
export function putAdminConsentRequestPolicy(ctx: Ctx, o: DirObject, patch: (body: unknown) => void): Answer {
  const body = ctx.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('A request body is required.');
  const missing = CONSENT_REQUEST_REQUIRED.filter((k) => (body as Record<string, unknown>)[k] === undefined);
  if (missing.length) throw badRequest(`The following properties are required: ${missing.join(', ')}.`);
  patch(body);
  const cur = ctx.rt.store.get('adminConsentRequestPolicy', o.id) as DirObject;
  ctx.rt.store.replace('adminConsentRequestPolicy', { ...cur, version: (typeof cur.version === 'number' ? cur.version : 0) + 1 });
  return { status: 204, mutated: true };
}

/**
 * A permission grant policy's `includes` and `excludes`, which Graph returns with the policy
 * when no `$select` is given (https://learn.microsoft.com/graph/api/permissiongrantpolicy-get:
 * the example response carries both lists).
 */
export function conditionSetsOf(ctx: Ctx, policyId: string): { includes: Json[]; excludes: Json[] } {
  const store = ctx.rt.store;
  const of = (type: ResourceType): Json[] => [...(store.live.get(type)?.values() ?? [])]
    .filter((c) => store.parentOf.get(c.id) === policyId).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((c) => { const { '@odata.type': _t, ...rest } = c; return rest as Json; });
  return { includes: of('permissionGrantPolicyInclude'), excludes: of('permissionGrantPolicyExclude') };
}
