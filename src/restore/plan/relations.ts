/**
 * The planner's relation phase: one addRelation op per archived edge missing in the
 * target whose two ends exist or are produced by this plan; an edge with a missing end
 * is reported as blocked. Dynamic groups' members are Entra's to compute; owners of
 * role-assignable groups are restored like any other owners; Exchange groups' members and
 * owners are left to a manual step (./exchange.ts). Pure.
 */
import type { DirObject, Relation } from '../../model.js';
import type { RelationKind } from '../../catalog/types.js';
import type { ScenarioName } from '../types.js';
import { visitRelations } from '../relation-diff.js';
import { isRuleMembership } from '../catalog.js';
import { cmp } from '../json.js';
import type { GlobalAdmins } from './admins.js';
import { isExchangeGroup } from './exchange.js';
import { writesLifecycleEdge } from './group-lifecycle.js';
import { grantedByPimAssignment, pimGrantedEdges } from './pim-groups.js';
import { packageGrantedEdges } from './entitlement.js';
import type { PlanContext } from './context.js';
import { blockedEdge, EdgeStore } from './relation-op.js';
import type { Finalized } from './operations.js';
import type { PlanScope } from './scope.js';
import type { Resolved } from './updates.js';

/**
 * Appends the relation ops (tier 3, or tier 0 for the memberships that make a bootstrap
 * admin) and the blocked edges to `out`. An `attributes` scope writes no relations.
 * `afterKind` is called once each kind of edge is planned, in name order (the planner lets go of
 * that kind's archived edges there when its caller handed the archive over, ./release.ts).
 * @returns the dynamic groups whose rule processing is paused (a manual step each)
 */
export function relationOps(
  ctx: PlanContext,
  scenario: ScenarioName,
  scope: PlanScope,
  admins: GlobalAdmins | undefined,
  res: Resolved,
  out: Finalized,
  exchangeEdges: Relation[] = [],
  afterKind?: (kind: RelationKind) => void,
): DirObject[] {
  const pausedDynamic: DirObject[] = [];
  if (scope.attributes) return pausedDynamic;
  const { match, archivedById, catalog } = ctx;
  const available = (id: string): { ok: boolean; dep?: string } => {
    const e = match.entries.get(id);
    if (e?.state === 'live') return { ok: true };
    const p = res.producer.get(id);
    if (p) return { ok: true, dep: p };
    if (!e && match.liveById.has(id)) return { ok: true };
    return { ok: false };
  };
  const pimGranted = pimGrantedEdges(ctx.archive);
  const packageGranted = packageGrantedEdges(ctx.archive);
  const pimBack = (id: string): boolean => res.producer.has(id) || match.entries.get(id)?.state === 'live';
  const bootstrapEdges = new Set((admins?.memberships ?? []).map((e) => `${e.kind}|${e.from}|${e.to}`));
  // the plan's edge operations, in columns (./relation-op.ts): about 300 bytes each as objects
  const edges = new EdgeStore();
  // edge by edge as the diff walks them (../relation-diff.ts), never a list of every archived edge's
  // diff: at 100k users 640,000 of them, held while the operations were made (issue 17 item 1)
  const planEdge = (e: Relation): void => {
    if (scenario === 'objects' && !scope.ids.has(e.from) && !scope.ids.has(e.to)) return;
    const fromType = catalog.relation(e.kind)?.fromType ?? archivedById.get(e.from)?.type ?? 'group';
    if (isRuleMembership(e.kind, archivedById.get(e.from)?.obj)) {
      // Entra maintains a dynamic group's (or dynamic administrative unit's) members from its
      // rule and refuses manual $ref writes (docs/graph-facts.md §3 "Groups"): no op; a
      // paused rule is a manual step.
      const g = archivedById.get(e.from)?.obj as DirObject;
      if (g['membershipRuleProcessingState'] === 'Paused' && !pausedDynamic.some((x) => x.id === g.id)) pausedDynamic.push(g);
      return;
    }
    // an All (or None) lifecycle policy's groups are Graph's to compute (./group-lifecycle.ts)
    if (!writesLifecycleEdge(e, archivedById.get(e.to)?.obj)) return;
    if ((e.kind === 'groupMembers' || e.kind === 'groupOwners') && isExchangeGroup(archivedById.get(e.from)?.obj)) {
      // Exchange manages these groups' members and owners; Graph only reads them (./exchange.ts).
      exchangeEdges.push(e);
      return;
    }
    // A membership an active PIM for Groups assignment grants comes back with the assignment
    // and its end date, never as a permanent $ref (./pim-groups.ts).
    if (grantedByPimAssignment(pimGranted, e, pimBack)) return;
    // and one an access package assignment gives comes back with the assignment the plan requests
    // again, which ends when the archived one did (./entitlement.ts packageGrantedEdges); one whose
    // assignment is still there was removed by hand, and Graph would not give it again: written
    if (grantedByPimAssignment(packageGranted, e, (id) => res.producer.has(id))) return;
    // A role-assignable group's owners are restored like any group's: the current "Add
    // owners" page sets no such limit (docs/graph-facts.md §3 "Groups"); the older
    // wording that they "can't have an owner" dropped them silently.
    const f = available(e.from);
    const t = available(e.to);
    if (!f.ok || !t.ok) {
      // its op id made when read (./relation-op.ts): 141,000 of them at 100k users
      out.unresolved.push(blockedEdge(e, fromType, !f.ok ? e.from : e.to));
      return;
    }
    // The op id (`add:<kind>:<from>:<to>`) and the label are made when read, from the ends and
    // their names (./relation-op.ts): at 100k users the edges' op ids were 27 MiB of strings and
    // their labels 30 MiB, held from here until the run (issue 17 item 1).
    const deps = [f.dep, t.dep].filter((d): d is string => d !== undefined);
    out.ops.push(edges.add({
      tier: bootstrapEdges.has(`${e.kind}|${e.from}|${e.to}`) ? 0 : 3,
      dependsOn: [...new Set(deps)].sort(cmp), kind: e.kind, from: e.from, to: e.to, toType: e.toType,
    }, ctx.nameOf(e.from), ctx.nameOf(e.to)));
  };
  // kind by kind, in the walk's order (the same edges, in the same order, as one walk of every
  // kind): a caller that hands the archive over lets go of each kind's edges once it is planned
  // (`afterKind`, ./release.ts), instead of holding them all until the last kind's operations are made
  const kinds = [...new Set([...Object.keys(ctx.archive.relations), ...Object.keys(ctx.live.relations)] as RelationKind[])].sort(cmp);
  for (const kind of kinds) {
    visitRelations(ctx.archive, ctx.live, match.idMap, new Set([kind]), (_kind, status, e) => {
      if (status === 'missing') planEdge(e);
    });
    afterKind?.(kind);
  }
  return pausedDynamic;
}
