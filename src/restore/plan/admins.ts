/**
 * Bootstrap admins (docs/design.md "Restore", tier 0; docs/graph-facts.md §7): who held Global
 * Administrator in the archive — directly, or as a member of a role-assignable group
 * the role was assigned to — and which assignments made them so; and the emergency-access
 * account the plan creates when none of them can sign in again. Pure.
 */
import type { DirObject, Relation, TenantData } from '../../model.js';
import type { Operation } from '../types.js';
import { GLOBAL_ADMIN_TEMPLATE, isOnPremisesSynced } from '../catalog.js';
import { cmp } from '../json.js';
import type { PlanContext } from './context.js';

const BREAK_GLASS_OP = 'bootstrap:breakGlassAdmin';

export interface GlobalAdmins {
  /** Archived roleAssignment objects granting Global Administrator at tenant scope. */
  assignments: DirObject[];
  /** Archived user ids holding GA directly or through a role-assignable group. */
  users: string[];
  /** Archived role-assignable group ids GA was assigned to. */
  groups: string[];
  /** Membership edges group → user that make those users GA. */
  memberships: Relation[];
}

/**
 * True when `roleDefinitionId` is Global Administrator: the template id itself (built-in
 * role ids equal their template ids, docs/graph-facts.md §3) or an archived role definition
 * whose templateId is GA's.
 */
export function isGlobalAdminRole(roleDefinitionId: string, archive: TenantData): boolean {
  if (roleDefinitionId === GLOBAL_ADMIN_TEMPLATE) return true;
  const def = (archive.objects.roleDefinition ?? []).find((d) => d.id === roleDefinitionId);
  return def?.['templateId'] === GLOBAL_ADMIN_TEMPLATE;
}

/** The archive's Global Administrators (sorted, deterministic). */
export function findGlobalAdmins(archive: TenantData): GlobalAdmins {
  const userIds = new Set((archive.objects.user ?? []).map((u) => u.id));
  const groupById = new Map((archive.objects.group ?? []).map((g) => [g.id, g]));
  const assignments = (archive.objects.roleAssignment ?? [])
    .filter((a) => {
      const def = a['roleDefinitionId'];
      const scope = a['directoryScopeId'];
      return typeof def === 'string' && isGlobalAdminRole(def, archive) && (scope === undefined || scope === null || scope === '/');
    })
    .sort((a, b) => cmp(a.id, b.id));
  const users = new Set<string>();
  const groups = new Set<string>();
  const memberships: Relation[] = [];
  for (const a of assignments) {
    const p = a['principalId'];
    if (typeof p !== 'string') continue;
    if (userIds.has(p)) users.add(p);
    const g = groupById.get(p);
    if (g && g['isAssignableToRole'] === true) {
      groups.add(p);
      for (const e of archive.relations.groupMembers ?? []) {
        if (e.from === p && userIds.has(e.to)) {
          users.add(e.to);
          memberships.push(e);
        }
      }
    }
  }
  memberships.sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to));
  return { assignments, users: [...users].sort(cmp), groups: [...groups].sort(cmp), memberships };
}

/**
 * The emergency-access Global Administrator op, when no archived Global Administrator
 * comes back able to sign in (restored from the recycle bin, or live and enabled or
 * re-enabled by this plan); undefined otherwise. Warns when it plans one.
 */
export function breakGlassOp(ctx: PlanContext, admins: GlobalAdmins, breakGlassUpn: string | undefined): Operation | undefined {
  const comesBack = admins.users.some((u) => {
    const e = ctx.match.entries.get(u);
    if (e?.state === 'softDeleted') return ctx.preferRecycleBin;
    if (e?.state !== 'live') return false;
    // A disabled admin is no way in (docs/graph-facts.md §7) unless this plan re-enables it.
    const willEnable = e.archived['accountEnabled'] === true && !isOnPremisesSynced(e.archived);
    return e.live?.['accountEnabled'] !== false || willEnable;
  });
  if (comesBack) return undefined;
  const upn = breakGlassUpn ?? `entra-vault-breakglass@${ctx.live.initialDomain}`;
  ctx.warnings.push('no archived Global Administrator can come back with its credentials: an emergency-access account is created');
  return {
    opId: BREAK_GLASS_OP, kind: 'createBreakGlassAdmin', tier: 0, dependsOn: [],
    label: `Create emergency-access Global Administrator ${upn}`, userPrincipalName: upn,
    displayName: 'Emergency access (entra-vault)',
  };
}
