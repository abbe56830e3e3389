/**
 * PIM role settings are written one rule at a time: Graph v1.0 has no update of a whole
 * role management policy, only `PATCH /policies/roleManagementPolicies/{id}/rules/{ruleId}`
 * ("Update unifiedRoleManagementPolicyRule",
 * https://learn.microsoft.com/graph/api/unifiedrolemanagementpolicyrule-update). Rule ids
 * (`Approval_EndUser_Assignment`, …) are the same in every tenant; only the rules whose live
 * value differs are patched, so a repeated run writes nothing.
 */
import type { Json, JsonObject } from '../../model.js';
import { canonicalJson } from '../../json.js';
import { lag, type Ctx, type Done } from './context.js';

function isObject(v: Json | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * An approver whose user or group could not be resolved had its id taken out by the plan
 * (reported there as an unresolved reference): the approver entry itself goes, so the
 * stage never names a subject without its id.
 */
function withoutEmptyApprovers(rule: JsonObject): JsonObject {
  const setting = rule['setting'];
  if (!isObject(setting) || !Array.isArray(setting['approvalStages'])) return rule;
  const stages = setting['approvalStages'].map((st) => {
    if (!isObject(st)) return st;
    const out: JsonObject = { ...st };
    for (const list of ['primaryApprovers', 'escalationApprovers']) {
      const v = st[list];
      if (!Array.isArray(v)) continue;
      out[list] = v.filter((ap) => {
        if (!isObject(ap)) return false;
        const t = String(ap['@odata.type'] ?? '');
        if (/singleUser$/i.test(t)) return typeof ap['userId'] === 'string';
        if (/groupMembers$/i.test(t)) return typeof ap['groupId'] === 'string';
        return true;
      });
    }
    return out;
  });
  return { ...rule, setting: { ...setting, approvalStages: stages } };
}

/**
 * PATCHes each archived rule whose live counterpart differs. `relocate`, when given, names the
 * policy's live path again after each PATCH: a rule update onboards a group not yet onboarded
 * to PIM, and "After PIM onboards a group, the IDs of the PIM policies and policy assignments
 * for the specific group change" (docs/graph-facts.md S231), so the next rule goes to the new id.
 * @throws VaultError from Graph (the run records the op as failed)
 */
export async function patchPolicyRules(ctx: Ctx, policyPath: string, body: JsonObject, relocate?: () => Promise<string | undefined>): Promise<Done> {
  const rules = Array.isArray(body['rules']) ? body['rules'].filter(isObject) : [];
  if (rules.length === 0) return { outcome: 'alreadyPresent' };
  let rulesPath = `${policyPath}/rules`;
  const live = await lag(ctx, rulesPath, () => ctx.graph.get<{ value?: Json[] }>(rulesPath));
  const liveById = new Map<string, JsonObject>();
  for (const r of live?.value ?? []) if (isObject(r) && typeof r['id'] === 'string') liveById.set(r['id'].toLowerCase(), r);
  let patched = 0;
  for (const rule of rules) {
    const id = rule['id'];
    if (typeof id !== 'string') continue;
    const want = withoutEmptyApprovers(rule);
    const have = liveById.get(id.toLowerCase());
    if (have && canonicalJson(have) === canonicalJson(want)) continue;
    const path = `${rulesPath}/${encodeURIComponent(id)}`;
    await lag(ctx, path, () => ctx.graph.patch(path, want));
    patched += 1;
    const moved = relocate ? await relocate() : undefined;
    if (moved !== undefined) rulesPath = `${moved}/rules`;
  }
  return { outcome: patched > 0 ? 'updated' : 'alreadyPresent' };
}

/**
 * The live policy of the role an update names in `@roleDefinitionId` (archived id): the role
 * was created by this run, so its live id comes from the run's id map; Graph names the policy
 * in the role's policy assignment (List roleManagementPolicyAssignments, filtered by roleDefinitionId).
 */
export async function livePolicyOfRole(ctx: Ctx, body: JsonObject): Promise<string | undefined> {
  const archivedRole = body['@roleDefinitionId'];
  if (typeof archivedRole !== 'string') return undefined;
  const role = ctx.idMap.get(archivedRole) ?? archivedRole;
  const path = `/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${role}'`;
  const r = await lag(ctx, path, () => ctx.graph.get<{ value?: Json[] }>(path));
  const a = (r?.value ?? []).find(isObject);
  return typeof a?.['policyId'] === 'string' ? a['policyId'] : undefined;
}

/**
 * The live PIM for Groups policy an update names in `@groupId` (archived id) and
 * `@roleDefinitionId` (`member` / `owner`): the group was recreated and onboarded by this run,
 * so its live id comes from the run's id map; Graph names the policy in the group's policy
 * assignment (List roleManagementPolicyAssignments, scopeType Group, filtered by roleDefinitionId).
 */
export async function livePolicyOfGroup(ctx: Ctx, body: JsonObject): Promise<string | undefined> {
  const archivedGroup = body['@groupId'];
  const role = body['@roleDefinitionId'];
  if (typeof archivedGroup !== 'string' || typeof role !== 'string') return undefined;
  const group = ctx.idMap.get(archivedGroup) ?? archivedGroup;
  const path = `/policies/roleManagementPolicyAssignments?$filter=scopeId eq '${group}' and scopeType eq 'Group' and roleDefinitionId eq '${role}'`;
  const r = await lag(ctx, path, () => ctx.graph.get<{ value?: Json[] }>(path));
  const a = (r?.value ?? []).find(isObject);
  return typeof a?.['policyId'] === 'string' ? a['policyId'] : undefined;
}
