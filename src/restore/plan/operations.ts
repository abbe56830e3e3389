/**
 * The planner's finalize phase: candidates become operations. A blocked candidate is
 * reported (skipped, with its unresolved required reference); an open optional
 * reference is dropped from the body and reported, except in a CA policy, which keeps
 * it out and stays report-only (a disabled one stays disabled). Dependencies come from the resolved references, the
 * parent and the candidate's own ordering constraints. CA policies whose references
 * all resolve get a separate enable op (docs/reliability.md 22). Pure.
 */
import type { ResourceType } from '../../catalog/types.js';
import type { DirObject, JsonObject } from '../../model.js';
import type { Operation, Plan, UnresolvedRef } from '../types.js';
import { cloneJson, cmp, removeAt, type JsonPath } from '../json.js';
import { isCA, sortedCandidates, type ArchivedEntry, type Candidate, type PlanContext } from './context.js';
import type { Candidates } from './candidates.js';
import { reviewScopeOf } from './governance.js';
import { resolveBody, type OpenRef, type ResolvedBody } from './refs.js';
import type { BodyStore } from '../held-bodies.js';
import type { Resolved } from './updates.js';
import { dropEmptyReviewers } from './consent.js';
import { dropEmptySubjects } from './entitlement.js';
import { dropEmptyFlowRefs } from './events-flows.js';

/** What finalizing produces; later phases append relation ops and their unresolved edges. */
export interface Finalized {
  ops: Operation[];
  unresolved: UnresolvedRef[];
  reportOnly: Plan['reportOnly'];
}

interface EnableCandidate {
  caOpId: string;
  archivedId: string;
  deps: string[];
}

function unresolvedOf(out: Finalized, c: Candidate, refs: OpenRef[], effect: UnresolvedRef['effect']): void {
  for (const u of refs) out.unresolved.push({ opId: c.opId, type: c.type, archivedId: c.archivedId, path: u.path, value: u.value, effect });
}

/** Reports a blocked candidate (and the role assignments its PIM schedule covered) as skipped. */
function reportBlocked(ctx: PlanContext, c: Candidate, cands: Candidates, res: Resolved, out: Finalized): void {
  const body = c.body;
  const r = body ? resolveBody(ctx.catalog.descriptor(c.type), body, res.rc) : undefined;
  const req = r?.unresolved.filter((u) => u.required) ?? [];
  if (req.length) unresolvedOf(out, c, req, 'blocked');
  else if (c.parent) unresolvedOf(out, c, [{ at: [], path: '(parent)', value: c.parent, required: true }], 'blocked');
  const first = req[0];
  const synced = first !== undefined && cands.syncedMissingIds.has(first.value);
  const why = first
    ? `blocked: required reference ${first.path} → ${ctx.nameOf(first.value)} is neither in the target nor restored by this plan${synced ? ' (synced from on-premises: directory sync brings it back, then plan again)' : ''}`
    : c.parent ? `blocked: its parent ${ctx.nameOf(c.parent)} is not restored` : `blocked: a required reference cannot be resolved (${c.kind})`;
  ctx.skip(c.archivedId, why);
  for (const cov of cands.covers.get(c.opId) ?? []) ctx.skip(cov, why);
}

/**
 * How a report-only policy's reason marks a reference to no object of the archive. The backup reads
 * every user, group and service principal, so such an id named nothing in the source either: Graph
 * keeps a deleted user's or group's id in a policy (the stale references Maester's MT.1038 finds).
 */
export const STALE = ' (not in the archive: already gone from the source when the backup was taken)';

/** Whether a reference's value names an archived object: by id, or by appId (an application or service principal). Rare: report-only policies only. */
function namesArchived(ctx: PlanContext, value: string): boolean {
  if (ctx.archivedById.has(value)) return true;
  const byAppId = (t: 'application' | 'servicePrincipal') => (ctx.archive.objects[t] ?? []).some((o) => o['appId'] === value);
  return byAppId('application') || byAppId('servicePrincipal');
}

/**
 * The candidate's body with its references resolved. Unresolvable values are reported
 * and taken out of the body (a report-only CA policy enforces nothing).
 */
function resolveOrDrop(ctx: PlanContext, c: Candidate, res: Resolved, out: Finalized): ResolvedBody {
  const desc = ctx.catalog.descriptor(c.type);
  let body = c.body as JsonObject;
  const r = resolveBody(desc, body, res.rc);
  if (r.unresolved.length === 0) return r;
  // A disabled policy enforces nothing and stays disabled: its unresolved references are
  // dropped and reported, it is never left report-only (issue 11 item 7).
  const disabledCa = isCA(c.type) && (ctx.archivedById.get(c.archivedId) as ArchivedEntry | undefined)?.obj['state'] === 'disabled';
  const ca = isCA(c.type) && !disabledCa;
  unresolvedOf(out, c, r.unresolved, ca ? 'keptReportOnly' : 'dropped');
  if (disabledCa) {
    ctx.warnings.push(
      `${desc.title} ${ctx.nameOf(c.archivedId)}: restored disabled without its unresolved reference(s) ${r.unresolved.map((u) => `${u.path}=${u.value}`).join(', ')}; review them before enabling it`,
    );
  } else if (ca) {
    out.reportOnly.push({
      archivedId: c.archivedId,
      displayName: ctx.nameOf(c.archivedId),
      reason: `${r.unresolved.length} unresolved reference(s): ${r.unresolved.slice(0, 3).map((u) => `${u.path}=${u.value}${namesArchived(ctx, u.value) ? '' : STALE}`).join(', ')}${r.unresolved.length > 3 ? ', …' : ''}`,
    });
  } else {
    ctx.warnings.push(`${desc.title} ${ctx.nameOf(c.archivedId)}: dropped unresolved optional reference(s) ${r.unresolved.map((u) => u.path).join(', ')}`);
  }
  body = cloneJson(body);
  // an access review's reviewer or recipient scope goes whole with its query (./governance.ts)
  const paths: JsonPath[] = [...new Map(r.unresolved.map((u) => reviewScopeOf(c.type, u.at)).map((p) => [JSON.stringify(p), p])).values()];
  const renamed = paths.filter((p) => p.length === 1);
  removeAt(body, paths.filter((p) => p.length !== 1));
  for (const p of renamed) delete body[p[0] as string];
  if (c.type === 'adminConsentRequestPolicy') dropEmptyReviewers(body);
  if (c.type === 'accessPackageAssignmentPolicy') dropEmptySubjects(body);
  if (c.type === 'authenticationEventsFlow') dropEmptyFlowRefs(body);
  return resolveBody(desc, body, res.rc);
}

/** The create or update operation of an unblocked candidate whose body is resolved. */
function operationOf(ctx: PlanContext, c: Candidate, r: ResolvedBody, cands: Candidates, res: Resolved): Operation {
  const desc = ctx.catalog.descriptor(c.type);
  // a group policy waits for the group's schedules that this plan still restores (./group-policies.ts)
  // a flow's order waits only for the assignment creates not blocked (./user-flow-order.ts)
  const after = c.type === 'pimGroupPolicy' || c.type === 'b2xUserFlow' ? c.after.filter((a) => cands.cands.has(a) && !cands.cands.get(a)?.blocked) : c.after;
  const deps = new Set<string>([...r.deps, ...after]);
  if (c.kind === 'create' && c.parent) {
    const p = res.producer.get(c.parent);
    if (p) deps.add(p);
  }
  if (c.kind === 'update') {
    const own = res.producer.get(c.archivedId);
    if (own) deps.add(own);
  }
  deps.delete(c.opId);
  const dependsOn = [...deps].sort(cmp);
  const label = (verb: string): string => [verb, desc.title, ctx.describe(c.type, c.archivedId)].join(' '); // flat, as in ./relations.ts
  if (c.kind === 'create') {
    const op: Extract<Operation, { kind: 'create' }> = {
      opId: c.opId, kind: 'create', tier: c.tier, dependsOn, label: label('Create'),
      type: c.type, archivedId: c.archivedId, body: r.body, refs: r.refs,
    };
    if (c.parent) op.parentArchivedId = c.parent;
    const nk = desc.naturalKey.find((k) => !k.includes('+') && !k.includes('.') && typeof r.body[k] === 'string');
    if (nk) op.naturalKey = { property: nk, value: r.body[nk] as string };
    if (c.type === 'user') op.needsPassword = true;
    const covers = cands.covers.get(c.opId) ?? [];
    if (covers.length) op.covers = covers.map((archivedId) => ({ type: ctx.archivedById.get(archivedId)?.type ?? 'roleAssignment', archivedId }));
    return op;
  }
  const op: Extract<Operation, { kind: 'update' }> = {
    opId: c.opId, kind: 'update', tier: c.tier, dependsOn, label: label('Update'),
    type: c.type, archivedId: c.archivedId, changes: c.changes ?? [], body: r.body, refs: r.refs,
  };
  if (c.parent) op.parentArchivedId = c.parent;
  return op;
}

/**
 * One enable op per archived CA policy that was enabled or disabled, once every op
 * writing it and everything it references has run. A CA policy with any op carrying an
 * unresolved reference is never enabled.
 */
function enableOps(ctx: PlanContext, enableFor: EnableCandidate[], res: Resolved, out: Finalized): void {
  const keptReportOnly = new Set(out.reportOnly.map((x) => x.archivedId));
  const securityDefaults = securityDefaultsOff(ctx, out);
  // Security defaults on in the target and kept on by this plan: no CA policy can be switched on.
  const blockedByDefaults = !securityDefaults && (ctx.live.objects.identitySecurityDefaultsEnforcementPolicy ?? []).some((o) => o['isEnabled'] === true);
  const caOps = new Map<string, string[]>();
  for (const e of enableFor) caOps.set(e.archivedId, [...(caOps.get(e.archivedId) ?? []), e.caOpId, ...e.deps]);
  for (const [archivedId, deps] of [...caOps].sort((a, b) => cmp(a[0], b[0]))) {
    if (keptReportOnly.has(archivedId)) continue;
    const archived: DirObject = (ctx.archivedById.get(archivedId) as ArchivedEntry).obj;
    const state = archived['state'];
    if (state !== 'enabled' && state !== 'disabled') continue;
    if (state === 'enabled' && blockedByDefaults) {
      out.reportOnly.push({
        archivedId, displayName: ctx.nameOf(archivedId),
        reason: 'security defaults are on in the target and Graph refuses to switch a CA policy on while they are: turn them off, then switch the policy on',
      });
      continue;
    }
    // Every op that creates/restores something the policy references, and the policy's own ops.
    const restore = res.producer.get(archivedId);
    const all = new Set(deps);
    if (restore) all.add(restore);
    // Graph refuses to switch a CA policy on while security defaults are on.
    if (securityDefaults && state === 'enabled') all.add(securityDefaults);
    out.ops.push({
      opId: `enable:conditionalAccessPolicy:${archivedId}`, kind: 'enableConditionalAccess', tier: 4,
      dependsOn: [...all].sort(cmp), label: `Switch CA policy ${ctx.nameOf(archivedId)} to ${state}`, archivedId, state,
    });
  }
}

/**
 * The op that turns the target's security defaults off because the archive had them off
 * (a new tenant has them on, and Graph refuses to switch a CA policy on while they are:
 * src/emulator/security-defaults.ts names the source). Its label says why; every CA enable
 * op waits for it. Returns its opId, or undefined when the plan does not change them.
 */
function securityDefaultsOff(ctx: PlanContext, out: Finalized): string | undefined {
  const op = out.ops.find((o) => (o.kind === 'create' || o.kind === 'update') && o.type === 'identitySecurityDefaultsEnforcementPolicy');
  if (!op || (op.kind !== 'create' && op.kind !== 'update') || op.body['isEnabled'] !== false) return undefined;
  op.label = 'Turn security defaults off, as archived, before Conditional Access policies are switched on (kept on if they stay report-only)';
  return op.opId;
}

/** Turns the candidates into operations, in opId order, then adds the CA enable ops. */
export function finalizeCandidates(ctx: PlanContext, cands: Candidates, res: Resolved, bodies: BodyStore): Finalized {
  const out: Finalized = { ops: [], unresolved: [], reportOnly: [] };
  const enableFor: EnableCandidate[] = [];
  const restoreLabel = (type: ResourceType, id: string): string => `Restore ${ctx.catalog.descriptor(type).title} ${ctx.describe(type, id)}`;
  for (const c of sortedCandidates(cands.cands)) {
    if (c.blocked) {
      reportBlocked(ctx, c, cands, res, out);
      continue;
    }
    if (c.kind === 'restoreDeleted') {
      const deletedId = c.archivedId;
      out.ops.push({ opId: c.opId, kind: 'restoreDeleted', tier: c.tier, dependsOn: [], label: restoreLabel(c.type, c.archivedId), type: c.type, archivedId: c.archivedId, deletedId });
      continue;
    }
    if (c.relink) {
      // a live policy's re-link (./relink.ts): written only when every reference resolves; never switched
      const r = resolveBody(ctx.catalog.descriptor(c.type), c.body as JsonObject, res.rc);
      if (r.unresolved.length === 0) out.ops.push(bodies.hold(operationOf(ctx, c, r, cands, res)));
      else ctx.warnings.push(`${ctx.catalog.descriptor(c.type).title} ${ctx.nameOf(c.archivedId)}: not re-linked (${r.unresolved.map((u) => `${u.path}=${u.value}`).join(', ')} cannot be resolved); add the restored object(s) to it by hand`);
      continue;
    }
    const r = resolveOrDrop(ctx, c, res, out);
    // held as it is made: at 100k users the bodies made whole first were 86 MiB on the heap at once
    const op = bodies.hold(operationOf(ctx, c, r, cands, res));
    out.ops.push(op);
    // and the candidate's own body goes with it: nothing reads it once its operation is made (other
    // candidates are read for `blocked` alone), where all were held until the last was made (issue 17 item 1)
    c.body = undefined;
    // the properties an update leaves alone because what they name cannot be resolved (./updates.ts)
    if (c.withheld) unresolvedOf(out, c, c.withheld, 'propertyKept');
    if (isCA(c.type) && r.unresolved.length === 0 && !out.unresolved.some((u) => u.opId === c.opId && u.effect === 'keptReportOnly')) {
      enableFor.push({ caOpId: c.opId, archivedId: c.archivedId, deps: op.dependsOn });
    }
  }
  enableOps(ctx, enableFor, res, out);
  return out;
}
