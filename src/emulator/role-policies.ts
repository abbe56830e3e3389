/**
 * PIM role settings as Graph v1.0 serves them (issue 15 item 1): every built-in and custom
 * directory role has exactly one role management policy per tenant (scopeId '/', scopeType
 * 'DirectoryRole') and one policy assignment naming the role. They cannot be created or
 * deleted, only their rules updated, one at a time.
 *
 * - https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementpolicy (methods:
 *   list, get, list/get/update rules; no create or delete)
 * - https://learn.microsoft.com/graph/api/policyroot-list-rolemanagementpolicies and
 *   https://learn.microsoft.com/graph/api/policyroot-list-rolemanagementpolicyassignments:
 *   "This method requires the $filter (eq) query parameter to scope the request to a scopeId
 *   and a scopeType"; assignments may also be filtered by roleDefinitionId
 * - https://learn.microsoft.com/graph/api/unifiedrolemanagementpolicyrule-update
 * The default rules are the documented example (./builtin/pim-default-rules.ts). PIM for Groups
 * policies (scopeType 'Group', ./group-policies.ts) are served and patched by the same routes,
 * under their own store types and the RoleManagementPolicy.*.AzureADGroup permissions.
 */
import { createHash } from 'node:crypto';
import type { DirObject, Json, JsonObject } from '../model.js';
import { isJsonObject } from '../json.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { checkEntityBody } from './json-types.js';
import { badRequest, GraphHttpError, notFound, unknownSegment } from './graph-error.js';
import type { TenantStore } from './store.js';
import { defaultDirectoryRoleRules } from './builtin/pim-default-rules.js';
import { parseScopeFilter, projectPolicy, projectPolicyWhole } from './role-policy-query.js';

function guidOf(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The policy and assignment of one role in one tenant. Ids follow the documented shape
 * (`DirectoryRole_{tenantId}_{guid}`, assignment `{policyId}_{roleDefinitionId}`) and differ
 * per tenant, as Graph's do.
 */
export function rolePolicyObjects(tenantId: string, roleDefinitionId: string, rules: JsonObject[] = defaultDirectoryRoleRules()): { policy: DirObject; assignment: DirObject } {
  const policyId = `DirectoryRole_${tenantId}_${guidOf(`rolePolicy|${tenantId}|${roleDefinitionId.toLowerCase()}`)}`;
  const policy: DirObject = {
    id: policyId, '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicy', displayName: 'DirectoryRole', description: 'DirectoryRole', isOrganizationDefault: false, scopeId: '/', scopeType: 'DirectoryRole',
    lastModifiedDateTime: null, lastModifiedBy: { displayName: null, id: null }, rules,
  };
  const assignment: DirObject = {
    id: `${policyId}_${roleDefinitionId}`, '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyAssignment', policyId, scopeId: '/', scopeType: 'DirectoryRole', roleDefinitionId,
  };
  return { policy, assignment };
}

/** Gives a role definition created through Graph its policy, as Entra does for a new custom role. */
export function addRolePolicy(store: TenantStore, roleDefinitionId: string): void {
  const { policy, assignment } = rolePolicyObjects(store.tenantId, roleDefinitionId);
  if (store.get('roleManagementPolicy', policy.id)) return;
  store.insert('roleManagementPolicy', policy);
  store.insert('roleManagementPolicyAssignment', assignment);
  store.touch('roleManagementPolicy', policy.id, 'live');
  store.touch('roleManagementPolicyAssignment', assignment.id, 'live');
}

/** A deleted custom role takes its policy with it. */
export function removeRolePolicy(store: TenantStore, roleDefinitionId: string): void {
  const a = [...(store.live.get('roleManagementPolicyAssignment')?.values() ?? [])].find((x) => x['roleDefinitionId'] === roleDefinitionId);
  if (!a) return;
  store.unlink('roleManagementPolicyAssignment', a.id);
  store.unlink('roleManagementPolicy', String(a['policyId']));
}

type PolicyType = 'roleManagementPolicy' | 'pimGroupPolicy';

/** Where policies of a scope type live: a group's under its own type (./group-policies.ts). */
function policyTypeOf(scopeType: string): { policy: PolicyType; assignment: 'roleManagementPolicyAssignment' | 'pimGroupPolicyAssignment' } {
  return scopeType === 'Group' ? { policy: 'pimGroupPolicy', assignment: 'pimGroupPolicyAssignment' } : { policy: 'roleManagementPolicy', assignment: 'roleManagementPolicyAssignment' };
}

function listOf(ctx: Ctx, entitySet: string, value: Json[]): Answer {
  return { status: 200, body: { '@odata.context': `${ctx.base}/$metadata#policies/${entitySet}`, value } };
}

function policyOf(ctx: Ctx, id: string): { policy: DirObject; type: PolicyType } {
  const lowered = id.toLowerCase();
  for (const type of ['roleManagementPolicy', 'pimGroupPolicy'] as const) {
    const p = [...(ctx.rt.store.live.get(type)?.values() ?? [])].find((x) => x.id.toLowerCase() === lowered);
    if (p) return { policy: p, type };
  }
  throw notFound(id);
}

const NOT_ALLOWED = (method: string): GraphHttpError =>
  new GraphHttpError(405, 'Request_BadRequest', `The HTTP method '${method}' is not allowed on this resource.`);

/** `/policies/roleManagementPolicies[/{id}[/rules[/{ruleId}]]]` */
export function roleManagementPolicies(ctx: Ctx, rest: string[]): Answer {
  const store = ctx.rt.store;
  if (rest.length === 0) {
    // Policies exist for every role and are never created or deleted (no POST in the reference).
    if (ctx.method !== 'GET') throw NOT_ALLOWED(ctx.method);
    const f = parseScopeFilter(ctx.query.get('$filter'), false);
    const type = policyTypeOf(f.scopeType).policy;
    requirePermission(ctx.caller, ctx.reg.descriptor(type), false);
    const all = [...(store.live.get(type)?.values() ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1));
    const hits = all.filter((p) => String(p['scopeId']).toLowerCase() === f.scopeId.toLowerCase() && (p['scopeType'] === f.scopeType || (f.scopeType === 'Directory' && p['scopeType'] === 'DirectoryRole')));
    // $expand and $select are answered even when the list is empty (a group not onboarded to PIM)
    const withRules = /(^|,)\s*rules\b/i.test(ctx.query.get('$expand') ?? '');
    ctx.query.get('$select');
    return listOf(ctx, 'roleManagementPolicies', hits.map((p) => projectPolicy(ctx, p, withRules)));
  }
  const { policy, type } = policyOf(ctx, rest[0]!);
  const d = ctx.reg.descriptor(type);
  if (rest.length === 1) {
    if (ctx.method !== 'GET') throw NOT_ALLOWED(ctx.method);
    requirePermission(ctx.caller, d, false);
    return { status: 200, body: { '@odata.context': `${ctx.base}/$metadata#policies/roleManagementPolicies/$entity`, ...projectPolicy(ctx, policy) } };
  }
  if (rest[1]!.toLowerCase() !== 'rules') throw unknownSegment(rest[1]!);
  const rules = (policy['rules'] as JsonObject[] | undefined) ?? [];
  if (rest.length === 2) {
    if (ctx.method !== 'GET') throw NOT_ALLOWED(ctx.method);
    requirePermission(ctx.caller, d, false);
    return { status: 200, body: { '@odata.context': `${ctx.base}/$metadata#policies/roleManagementPolicies('${policy.id}')/rules`, value: rules } };
  }
  if (rest.length !== 3) throw unknownSegment(rest[3]!);
  const at = rules.findIndex((r) => String(r['id']).toLowerCase() === rest[2]!.toLowerCase());
  if (at < 0) throw notFound(rest[2]!);
  if (ctx.method === 'GET') {
    requirePermission(ctx.caller, d, false);
    return { status: 200, body: { '@odata.context': `${ctx.base}/$metadata#policies/roleManagementPolicies('${policy.id}')/rules/$entity`, ...rules[at]! } };
  }
  if (ctx.method !== 'PATCH') throw NOT_ALLOWED(ctx.method);
  requirePermission(ctx.caller, d, true);
  const next = patchedRule(rules[at]!, ctx.body, store);
  const nextRules = rules.map((r, i) => (i === at ? next : r));
  store.replace(type, { ...policy, rules: nextRules, lastModifiedDateTime: ctx.clock.now().toISOString() });
  store.touch(type, policy.id, 'live');
  return { status: 204, mutated: true };
}

/**
 * A rule PATCH: the body names the rule's type (`@odata.type`) and carries its settings; the
 * rule's id and type cannot change ("Update unifiedRoleManagementPolicyRule").
 */
function patchedRule(rule: JsonObject, raw: unknown, store: TenantStore): JsonObject {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('The request body must be a JSON object.');
  const body = raw as JsonObject;
  const type = body['@odata.type'];
  if (typeof type === 'string' && type.replace(/^#/, '').toLowerCase() !== String(rule['@odata.type']).replace(/^#/, '').toLowerCase()) {
    throw badRequest(`The rule type '${type}' does not match rule '${String(rule['id'])}'.`);
  }
  if (body['id'] !== undefined && String(body['id']).toLowerCase() !== String(rule['id']).toLowerCase()) {
    throw badRequest('The rule id in the body does not match the rule in the request path.');
  }
  // checked against the rule's CSDL type as Graph's OData reader does: a duration that is no
  // duration, an unknown property, a value of the wrong type are 400 (docs/graph-facts.md §5 "Write validation")
  checkEntityBody(String(rule['@odata.type']).replace(/^#/, ''), body);
  checkApprovers(body, store);
  const next: JsonObject = { ...rule };
  for (const [k, v] of Object.entries(body)) if (!k.startsWith('@') && k !== 'id') next[k] = v;
  return next;
}

/**
 * An approval rule's approvers name a user (`singleUser.userId`) or a group (`groupMembers.groupId`)
 * of the tenant. Our model, as for conditional access and entitlement subject sets (docs/graph-facts.md
 * "(unverified) The service rejects a policy that names an object id it does not know"): an approver
 * without its id, or naming nobody, is 400 rather than stored.
 * @throws GraphHttpError 400
 */
function checkApprovers(body: JsonObject, store: TenantStore): void {
  const setting = body['setting'];
  const stages = isJsonObject(setting) ? setting['approvalStages'] : undefined;
  if (!Array.isArray(stages)) return;
  for (const st of stages) {
    if (!isJsonObject(st)) continue;
    for (const ap of [...(Array.isArray(st['primaryApprovers']) ? st['primaryApprovers'] : []), ...(Array.isArray(st['escalationApprovers']) ? st['escalationApprovers'] : [])]) {
      if (!isJsonObject(ap)) continue;
      const t = String(ap['@odata.type'] ?? '').replace(/^#/, '').toLowerCase();
      if (t === 'microsoft.graph.singleuser' && !(typeof ap['userId'] === 'string' && store.get('user', ap['userId']))) {
        throw badRequest(`The approver user '${String(ap['userId'])}' does not exist in this tenant.`);
      }
      if (t === 'microsoft.graph.groupmembers' && !(typeof ap['groupId'] === 'string' && store.get('group', ap['groupId']))) {
        throw badRequest(`The approver group '${String(ap['groupId'])}' does not exist in this tenant.`);
      }
    }
  }
}

/** `/policies/roleManagementPolicyAssignments[/{id}]` */
export function roleManagementPolicyAssignments(ctx: Ctx, rest: string[]): Answer {
  if (ctx.method !== 'GET') throw NOT_ALLOWED(ctx.method);
  const sorted = (t: 'roleManagementPolicyAssignment' | 'pimGroupPolicyAssignment'): DirObject[] =>
    [...(ctx.rt.store.live.get(t)?.values() ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1));
  if (rest.length === 1) {
    const a = sorted('roleManagementPolicyAssignment').find((x) => x.id.toLowerCase() === rest[0]!.toLowerCase())
      ?? sorted('pimGroupPolicyAssignment').find((x) => x.id.toLowerCase() === rest[0]!.toLowerCase());
    if (!a) throw notFound(rest[0]!);
    requirePermission(ctx.caller, ctx.reg.descriptor(a['scopeType'] === 'Group' ? 'pimGroupPolicyAssignment' : 'roleManagementPolicyAssignment'), false);
    return { status: 200, body: { '@odata.context': `${ctx.base}/$metadata#policies/roleManagementPolicyAssignments/$entity`, ...a } };
  }
  if (rest.length > 1) throw unknownSegment(rest[1]!);
  const f = parseScopeFilter(ctx.query.get('$filter'), true);
  const types = policyTypeOf(f.scopeType);
  requirePermission(ctx.caller, ctx.reg.descriptor(types.assignment), false);
  const hits = sorted(types.assignment).filter((a) => String(a['scopeId']).toLowerCase() === f.scopeId.toLowerCase()
    && (a['scopeType'] === f.scopeType || (f.scopeType === 'Directory' && a['scopeType'] === 'DirectoryRole'))
    && (f.roleDefinitionId === undefined || String(a['roleDefinitionId']).toLowerCase() === f.roleDefinitionId.toLowerCase()));
  const expand = ctx.query.get('$expand') ?? '';
  const select = (ctx.query.get('$select') ?? '').split(',').map((x) => x.trim()).filter((x) => x);
  const value = hits.map((a): Json => {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(a)) if (v !== undefined && (select.length === 0 || k === 'id' || select.includes(k))) out[k] = v;
    if (!/^policy\b/i.test(expand)) return out;
    const p = ctx.rt.store.get(types.policy, String(a['policyId']));
    // the nested $select of the policy is not the outer one: a policy expanded whole
    return { ...out, policy: p ? projectPolicyWhole(p, /\$expand=rules/i.test(expand)) : null };
  });
  return listOf(ctx, 'roleManagementPolicyAssignments', value);
}
