/**
 * Operations that decide who gets in: the emergency-access Global Administrator
 * (tier 0) and switching a restored CA policy from report-only to its archived state
 * (tier 4), only once every object it references is verified live (docs/reliability.md 22).
 */
import { VaultError } from '../../errors.js';
import { GLOBAL_ADMIN_TEMPLATE_ID } from '../../catalog/permissions.js';
import type { Operation } from '../types.js';
import type { OpOutcome } from './executor.js';
import { itemPath } from './endpoints.js';
import { filtered, generateTemporaryPassword, tryGet, withLagRetry } from './graph.js';
import { lag, patientFind, stringProp, type Ctx, type Done } from './context.js';
import { definitelyRefused } from './objects.js';

/**
 * Finds or creates the emergency-access user and gives it Global Administrator at
 * tenant scope; a created user's password goes to the CredentialsSink only.
 * @throws VaultError from Graph
 */
export async function runBreakGlass(op: Extract<Operation, { kind: 'createBreakGlassAdmin' }>, ctx: Ctx): Promise<Done> {
  const g = ctx.graph;
  let user = await patientFind(ctx, async () => (await filtered(g, '/users', 'userPrincipalName', op.userPrincipalName))[0]);
  let outcome: OpOutcome = 'alreadyPresent';
  if (!user) {
    const password = generateTemporaryPassword();
    // a user's mailNickname is at most 64 characters (docs/graph-facts.md §3 "Documented value sets and lengths")
    const nick = op.userPrincipalName.split('@')[0]?.replace(/[^A-Za-z0-9._-]/g, '').slice(0, 64) || 'breakglass';
    // durable before the create, as for every user (src/restore/execute/objects.ts)
    await ctx.opts.credentialsSink.add({ userPrincipalName: op.userPrincipalName, temporaryPassword: password });
    try {
      user = await g.post<Record<string, unknown>>('/users', {
        accountEnabled: true,
        displayName: op.displayName,
        mailNickname: nick,
        userPrincipalName: op.userPrincipalName,
        passwordProfile: { forceChangePasswordNextSignIn: true, password },
      });
    } catch (e) {
      if (definitelyRefused(e)) await ctx.opts.credentialsSink.withdraw(op.userPrincipalName);
      throw e;
    }
    outcome = 'created';
  }
  const userId = stringProp(user, 'id');
  if (!userId) throw new VaultError('GRAPH_BAD_RESPONSE', `${op.label}: Graph returned no id for the user`);
  // Global Administrator by template id at tenant scope: the documented way back (docs/graph-facts.md §7).
  const assignments = await patientFind(ctx, async () => {
    const l = await filtered(g, '/roleManagement/directory/roleAssignments', 'principalId', userId);
    const hit = l.filter((a) => a.roleDefinitionId === GLOBAL_ADMIN_TEMPLATE_ID && (a.directoryScopeId ?? '/') === '/');
    return hit.length ? hit : undefined;
  });
  if (!assignments) {
    const path = '/roleManagement/directory/roleAssignments';
    await lag(ctx, path, () => g.post(path, { roleDefinitionId: GLOBAL_ADMIN_TEMPLATE_ID, principalId: userId, directoryScopeId: '/' }));
    outcome = 'created';
  }
  return { outcome, liveId: userId };
}

/**
 * Switches a CA policy to its archived state. Enabling happens only when the operator
 * asked for it, the plan left no reference of the policy unresolved, and every
 * referenced object verifies live; otherwise the policy stays report-only.
 * @throws VaultError from Graph, or PLAN_BLOCKED when a reference does not verify
 */
export async function runEnableCa(op: Extract<Operation, { kind: 'enableConditionalAccess' }>, ctx: Ctx): Promise<Done> {
  const d = ctx.opts.catalog('conditionalAccessPolicy');
  const liveId = ctx.idMap.get(op.archivedId);
  if (!liveId) throw new VaultError('PLAN_BLOCKED', `${op.label}: the policy has no live counterpart`);
  const blockedByPlan =
    ctx.plan.reportOnly.some((r) => r.archivedId === op.archivedId) ||
    ctx.plan.unresolved.some((u) => u.archivedId === op.archivedId && u.type === 'conditionalAccessPolicy');
  if (op.state !== 'disabled' && (!ctx.opts.enableConditionalAccess || blockedByPlan)) return { outcome: 'leftReportOnly', liveId };
  if (op.state !== 'disabled') await verifyCaReferences(op.archivedId, ctx);
  const path = itemPath(d, liveId);
  const live = await lag(ctx, path, () => ctx.graph.get<Record<string, unknown>>(`${path}?$select=id,state`));
  if (live.state === op.state) return { outcome: 'alreadyPresent', liveId };
  await lag(ctx, path, () => ctx.graph.patch(path, { state: op.state }));
  return { outcome: 'enabled', liveId };
}

/**
 * Before a CA policy is switched on, every object it references must resolve to a live
 * object that exists now (docs/reliability.md 22: an unresolved reference never gets enforced).
 * @throws VaultError PLAN_BLOCKED naming the first reference that does not verify
 */
async function verifyCaReferences(archivedId: string, ctx: Ctx): Promise<void> {
  const src = ctx.plan.operations.find(
    (o): o is Extract<Operation, { kind: 'create' | 'update' }> => (o.kind === 'create' || o.kind === 'update') && o.type === 'conditionalAccessPolicy' && o.archivedId === archivedId,
  );
  for (const slot of src?.refs ?? []) {
    if (slot.by === 'roleTemplateId') continue;
    const live = slot.by === 'appId' ? ctx.idMap.get(slot.archivedTargetId) ?? (ctx.appIds.has(slot.archivedTargetId) ? 'app' : undefined) : ctx.idMap.get(slot.archivedTargetId);
    if (!live) throw new VaultError('PLAN_BLOCKED', `conditional-access policy ${archivedId}: reference ${slot.at.join('.')} does not resolve; the policy stays report-only`);
    if (slot.by !== 'id' || live === 'app') continue;
    const d = ctx.opts.catalog(slot.targetType);
    if (d.shape !== 'collection') continue;
    const path = itemPath(d, live);
    const ok = await withLagRetry(() => tryGet(ctx.graph, `${path}?$select=id`), { clock: ctx.opts.clock, reporter: ctx.opts.reporter, path });
    if (!ok) throw new VaultError('PLAN_BLOCKED', `conditional-access policy ${archivedId}: referenced ${slot.targetType} ${live} is not in the target; the policy stays report-only`);
  }
}
