/**
 * Who holds Global Administrator after a restore that brings admins back (all admins
 * deleted, tenant loss), from the real run: the archive's Global Administrators
 * (src/restore/plan/admins.ts) whose operations in the executed plan all succeeded, and
 * the emergency-access account when it was created. An admin whose restore, role
 * assignment or role-group membership failed, was skipped or did not run is listed apart;
 * one the plan did not touch is not listed (nothing says what the tenant holds for it).
 * The Report step shows both lists (issue 12 item 14f). Pure.
 */
import type { DirObject, TenantData } from '../src/model.js';
import type { Operation, Plan } from '../src/restore/types.js';
import type { OpOutcome } from '../src/restore/execute/executor.js';
import { findGlobalAdmins } from '../src/restore/plan/admins.js';
import type { GlobalAdminsAfter } from './services.js';

/** Outcomes after which the operation's effect is in the tenant. */
const DONE = new Set<OpOutcome>(['created', 'restored', 'updated', 'related', 'enabled', 'alreadyPresent', 'resumed']);

/** The archived ids an object operation acts on (its object, and the objects it covers). */
function touched(op: Operation): string[] {
  const ids = 'archivedId' in op ? [op.archivedId] : [];
  if (op.kind === 'create' && op.covers) ids.push(...op.covers.map((c) => c.archivedId));
  return ids;
}

/** A user's UPN as it is in the target: the archived one, its domain mapped as the plan mapped it. */
function upnOf(user: DirObject | undefined, domainMap: Record<string, string>): string | null {
  const upn = user?.['userPrincipalName'];
  if (typeof upn !== 'string') return null;
  const at = upn.lastIndexOf('@');
  const mapped = at >= 0 ? domainMap[upn.slice(at + 1).toLowerCase()] ?? domainMap[upn.slice(at + 1)] : undefined;
  return mapped ? `${upn.slice(0, at + 1)}${mapped}` : upn;
}

/**
 * The Global Administrators a finished (or paused) run restored, and those it did not.
 * `outcomes`: the executor's per-operation results (ExecutionResult.outcomes).
 */
export function globalAdminsAfter(
  archive: TenantData,
  plan: Pick<Plan, 'operations'> & { domainMap?: Record<string, string> },
  outcomes: readonly { opId: string; outcome: OpOutcome }[],
): GlobalAdminsAfter {
  const admins = findGlobalAdmins(archive);
  const outcome = new Map(outcomes.map((o) => [o.opId, o.outcome]));
  const users = new Map((archive.objects.user ?? []).map((u) => [u.id, u]));
  const restored: string[] = [];
  const notRestored: string[] = [];
  for (const u of admins.users) {
    // what makes u an admin: u itself, its GA assignments, the role groups it is in and those memberships
    const groups = admins.memberships.filter((m) => m.to === u).map((m) => m.from);
    const principals = new Set([u, ...groups]);
    const assignments = admins.assignments.filter((a) => typeof a['principalId'] === 'string' && principals.has(a['principalId'])).map((a) => a.id);
    const ids = new Set([u, ...groups, ...assignments]);
    // of relations, only the role-group memberships that make u an admin count (not u's manager, other members)
    const ops = plan.operations.filter((op) =>
      op.kind === 'addRelation' ? op.relation === 'groupMembers' && op.to === u && groups.includes(op.from) : touched(op).some((id) => ids.has(id)),
    );
    if (ops.length === 0) continue;
    const upn = upnOf(users.get(u), plan.domainMap ?? {}) ?? u;
    (ops.every((op) => DONE.has(outcome.get(op.opId) ?? 'notRun')) ? restored : notRestored).push(upn);
  }
  for (const op of plan.operations) {
    if (op.kind !== 'createBreakGlassAdmin') continue;
    (DONE.has(outcome.get(op.opId) ?? 'notRun') ? restored : notRestored).push(`${op.userPrincipalName} (emergency access)`);
  }
  return { restored, notRestored };
}

/**
 * The `globalAdmins` of a run's result, for the scenarios that bring admins back and a run
 * that wrote (a dry run restores nobody); an empty object otherwise, to spread into the result.
 * After a recovery script, `archive` is the one the wizard opened to plan (the script opened
 * its own copy of the same file) and the plan and outcomes are the script's own files.
 */
export function adminsOfRun(
  scenario: string,
  archive: TenantData | undefined,
  plan: (Pick<Plan, 'operations'> & { domainMap?: Record<string, string> }) | undefined,
  outcomes: readonly { opId: string; outcome: OpOutcome }[] | undefined,
): { globalAdmins?: GlobalAdminsAfter } {
  if ((scenario !== 'all-admins-deleted' && scenario !== 'tenant-loss') || !archive || !plan || !outcomes) return {};
  return { globalAdmins: globalAdminsAfter(archive, plan, outcomes) };
}
