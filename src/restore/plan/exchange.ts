/**
 * Mail-enabled security groups and distribution lists (mailEnabled true, no 'Unified' in
 * groupTypes) are Exchange's: Graph neither creates them nor changes their members or
 * owners, it only reads them (docs/graph-facts.md §3 "Mail-enabled groups"). The planner
 * therefore writes nothing for them and hands them to the operator as one manual step
 * with every archived member and owner listed. Pure.
 */
import type { DirObject, Relation } from '../../model.js';
import type { ManualStep } from '../types.js';
import { displayNameOf } from '../diff.js';
import { cmp } from '../json.js';
import { str, type PlanContext } from './context.js';

/** True for a mail-enabled group that is not a Microsoft 365 group (Exchange manages it). */
export function isExchangeGroup(o: DirObject | undefined): boolean {
  if (!o || o['mailEnabled'] !== true) return false;
  const types = o['groupTypes'];
  return !(Array.isArray(types) && types.includes('Unified'));
}

/** The reason recorded for a missing Exchange group the plan cannot create. */
export const EXCHANGE_GROUP_REASON =
  'mail-enabled security group or distribution list: Microsoft Graph cannot create it or write its members; recreate it in Exchange Online (manual step)';

/** The reason for a member or owner edge of an Exchange group. */
export const EXCHANGE_EDGE_REASON = 'member/owner of a mail-enabled security group or distribution list: Graph cannot write it; add it in Exchange Online (manual step)';

function who(ctx: PlanContext, id: string): string {
  const o = ctx.archivedById.get(id)?.obj;
  if (!o) return id;
  const upn = str(o['userPrincipalName']) ?? str(o['mail']);
  return upn ? `${displayNameOf(o)} <${upn}>` : displayNameOf(o);
}

/** The member and owner edges of the groups in `ids`, by `kind NUL group id`, in their order. */
function edgesByGroup(relations: Partial<Record<string, Relation[]>>, ids: Set<string>): Map<string, Relation[]> {
  const out = new Map<string, Relation[]>();
  for (const kind of ['groupMembers', 'groupOwners'] as const) {
    for (const r of relations[kind] ?? []) {
      if (!ids.has(r.from)) continue;
      const k = `${kind}\u0000${r.from}`;
      const list = out.get(k);
      if (list) list.push(r);
      else out.set(k, [r]);
    }
  }
  return out;
}

/**
 * One manual step for the Exchange groups the target lacks (`missing`) and for those it
 * has whose archived members or owners are missing (`edges`, groupMembers/groupOwners).
 */
export function exchangeGroupStep(ctx: PlanContext, missing: DirObject[], edges: Relation[]): ManualStep[] {
  const ids = new Set([...missing.map((g) => g.id), ...edges.map((e) => e.from)]);
  if (ids.size === 0) return [];
  const missingIds = new Set(missing.map((g) => g.id));
  // edges by group, read once: filtering every archived edge for each group was quadratic
  // (7 s of a 100k-user plan, issue 17 item 2)
  const archivedEdges = edgesByGroup(ctx.archive.relations, missingIds);
  const liveEdges = edgesByGroup({ groupMembers: edges.filter((r) => r.kind === 'groupMembers'), groupOwners: edges.filter((r) => r.kind === 'groupOwners') }, ids);
  const lines: string[] = [];
  for (const id of [...ids].sort(cmp)) {
    const g = ctx.archivedById.get(id)?.obj;
    if (!g) continue;
    const of = (kind: 'groupMembers' | 'groupOwners'): string[] => {
      // A missing group needs every archived edge; a live one only those the target lacks.
      const rel: Relation[] = (missingIds.has(id) ? archivedEdges : liveEdges).get(`${kind}\u0000${id}`) ?? [];
      return rel.map((r) => who(ctx, r.to)).sort(cmp);
    };
    const members = of('groupMembers');
    const owners = of('groupOwners');
    const kind = g['securityEnabled'] === true ? 'mail-enabled security group' : 'distribution list';
    const head = `${displayNameOf(g)} (${kind}${str(g['mail']) ? `, ${str(g['mail'])}` : ''}${missingIds.has(id) ? ', recreate it' : ''})`;
    lines.push(`${head}: members ${members.length ? members.join(', ') : '(none)'}; owners ${owners.length ? owners.join(', ') : '(none)'}`);
  }
  return [{
    id: 'manual:exchangeGroups',
    kind: 'other',
    title: `Recreate or complete ${ids.size} mail-enabled security group(s) / distribution list(s) in Exchange Online`,
    instructions:
      `Microsoft Graph cannot create mail-enabled security groups or distribution lists, nor change their members or owners (https://learn.microsoft.com/graph/api/group-post-groups). In the Exchange admin center or with New-DistributionGroup / Add-DistributionGroupMember, recreate each one listed and add its members and owners, then plan again so the remaining references (app role assignments, CA policies, memberships in other groups) can be restored: ${lines.join(' | ')}.`,
    objects: [...ids].sort(cmp),
  }];
}
