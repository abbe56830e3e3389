/**
 * Entitlement management in a restore plan (src/catalog/entitlement.ts). Pure.
 *
 * - Access package assignments are not POSTed: Graph creates one only from an assignment
 *   request (docs/graph-facts.md §3 "Entitlement management", S139, S384). A missing delivered
 *   assignment of a user is requested again, as an administrator's direct assignment (adminAdd)
 *   naming the re-linked user, policy and package, with its archived end date
 *   (src/restore/execute/assignment-requests.ts); it is never turned into plain group
 *   memberships, which would hand out access no policy governs. It comes back with a new id and
 *   a new start (`comparableAssignment`). One that was not delivered when archived, or is a
 *   service principal's, is skipped with its reason (fidelity reports it, the exit code says so)
 *   and a manual step lists who had which package, through which policy, until when.
 * - An assignment policy's approver, reviewer, requestor or allowed-target user or group that
 *   the plan neither finds in the target nor recreates is taken out with its subject set
 *   (plan `unresolved`, effect `dropped`) and listed in a manual step with the archived id to
 *   replace: never silently dropped.
 */
import type { ResourceType } from '../../catalog/types.js';
import { SUBJECT_ASSIGNMENTS, QUESTION_SERVER_SET } from '../../catalog/entitlement.js';
import type { DirObject, Json, JsonObject, TenantData } from '../../model.js';
import { parentIdOf } from '../catalog.js';
import type { ManualStep, Operation, Plan, UnresolvedRef } from '../types.js';
import { cmp, itemsWithout } from '../json.js';
import { createdArchived, isRecreated, type PlanContext } from './context.js';
import type { ScopeResult } from './scope.js';

export const ASSIGNMENTS_STEP_ID = 'manual:accessPackageAssignments';
export const POLICY_SUBJECTS_STEP_ID = 'manual:accessPackagePolicySubjects';
/** A review step: it records history and never explains a missing object (src/restore/fidelity.ts). */
export const ASSIGNMENT_STARTS_STEP_ID = 'manual:accessPackageAssignmentStarts';

const isObj = (v: Json | undefined): v is JsonObject => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);

/**
 * Why a missing archived access package assignment is not requested again (undefined: it is, or
 * another type). Graph's adminAdd assigns a user named by `targetId` (S384); an assignment that
 * was not delivered when archived (pending approval, expired, being removed) gave no access then.
 */
export function assignmentSkipReason(type: ResourceType, o: DirObject): string | undefined {
  if (!SUBJECT_ASSIGNMENTS.has(type)) return undefined;
  const state = str(o['state']);
  if (state !== 'delivered') return `an access package assignment in state ${state ?? 'unknown'} when archived is not requested again, only a delivered one (${ASSIGNMENTS_STEP_ID})`;
  const target = o['target'];
  const kind = isObj(target) ? str(target['subjectType']) : undefined;
  if (kind !== undefined && kind !== 'user') return `an administrator's assignment request (adminAdd) names a user; this assignment is a ${kind}'s (${ASSIGNMENTS_STEP_ID})`;
  return undefined;
}

/** Whole days, hours, minutes and seconds of an ISO 8601 duration (P365D, PT8H, P1W), in ms; undefined for months and years. */
function durationMs(d: string): number | undefined {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(d);
  if (!m || d === 'P' || d.endsWith('T')) return undefined;
  const [w, dd, h, mi, se] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number];
  return ((((w * 7 + dd) * 24 + h) * 60 + mi) * 60 + se) * 1000;
}

/**
 * When an assignment's access ends: its `endDateTime`, or its start plus its `duration`; null
 * when it does not end; undefined when the schedule says neither in a form this reads (a
 * duration in months or years).
 */
export function assignmentEnd(schedule: Json | undefined): string | null | undefined {
  if (!isObj(schedule)) return null;
  const exp = schedule['expiration'];
  if (!isObj(exp)) return null;
  const end = str(exp['endDateTime']);
  if (end) return new Date(end).toISOString();
  const duration = str(exp['duration']);
  const start = str(schedule['startDateTime']);
  if (!duration) return null;
  const ms = durationMs(duration);
  if (ms === undefined || !start || Number.isNaN(Date.parse(start))) return undefined;
  return new Date(Date.parse(start) + ms).toISOString();
}

/**
 * An assignment's property as a restore compares it: the package, policy and user by id (the
 * subject's names are the user's, compared there), the schedule by its end only (a request
 * starts a new assignment now: its archived start is history no request sets, docs/limits.md).
 * Other properties (and types) as they are.
 */
export function comparableAssignment(prop: string, v: Json | undefined): Json | undefined {
  if (!isObj(v)) return v;
  if (prop === 'accessPackage' || prop === 'assignmentPolicy') return { id: v['id'] ?? null };
  if (prop === 'target') return { objectId: v['objectId'] ?? null };
  if (prop === 'schedule') return { end: assignmentEnd(v) ?? 'unreadable' };
  return v;
}

/** The id of the user (or other subject) an access package assignment is for: `target.objectId`. */
export function assignmentSubject(o: DirObject): string | undefined {
  const target = o['target'];
  return isObj(target) ? str(target['objectId']) : undefined;
}

/** A subject set whose user or group id was taken out names nobody: the entry goes (in place). */
function keepNamed(list: Json | undefined): Json | undefined {
  if (!Array.isArray(list)) return list;
  return list.filter((s) => {
    if (!isObj(s)) return false;
    if (s['@odata.type'] === '#microsoft.graph.singleUser') return typeof s['userId'] === 'string';
    if (s['@odata.type'] === '#microsoft.graph.groupMembers') return typeof s['groupId'] === 'string';
    return true;
  });
}

/**
 * A policy's questions without what Graph sets on each (their `id`): the form a create body
 * carries and a comparison uses (docs/graph-facts.md §3 "Entitlement management", S241).
 */
export function withoutQuestionIds(v: Json | undefined): Json | undefined {
  return itemsWithout(v, QUESTION_SERVER_SET);
}

/** Removes the subject sets left without their user or group id from a policy body (in place). */
export function dropEmptySubjects(body: JsonObject): void {
  const fix = (o: Json | undefined, keys: readonly string[]): void => {
    if (!isObj(o)) return;
    for (const k of keys) if (k in o) o[k] = keepNamed(o[k]) ?? null;
  };
  const approval = body['requestApprovalSettings'];
  if (isObj(approval) && Array.isArray(approval['stages'])) {
    for (const s of approval['stages']) fix(s, ['primaryApprovers', 'fallbackPrimaryApprovers', 'escalationApprovers', 'fallbackEscalationApprovers']);
  }
  fix(body['reviewSettings'], ['primaryReviewers', 'fallbackReviewers']);
  fix(body['requestorSettings'], ['onBehalfRequestors']);
  if ('specificAllowedTargets' in body) body['specificAllowedTargets'] = keepNamed(body['specificAllowedTargets']) ?? [];
}

/** The manual step for the policies' subjects that were taken out (undefined: none). */
export function policySubjectStep(unresolved: readonly UnresolvedRef[], nameOf: (id: string) => string): ManualStep | undefined {
  const dropped = unresolved.filter((u) => u.type === 'accessPackageAssignmentPolicy' && u.effect === 'dropped');
  if (dropped.length === 0) return undefined;
  const lines = dropped.map((u) => `- policy ${nameOf(u.archivedId)}: ${u.path} ${u.value} (archived id)`);
  return {
    id: POLICY_SUBJECTS_STEP_ID,
    kind: 'other',
    title: 'Add again the access package approvers, reviewers and requestors whose user or group was not restored',
    instructions: [
      'These access package assignment policies were restored without the users and groups below: each is neither in the target nor restored by this plan.',
      'Recreate (or pick) the user or group, then add it to the policy in the Entra admin center (Identity Governance > Access packages > Policies) or with PUT /identityGovernance/entitlementManagement/assignmentPolicies/{id}:',
      ...lines,
    ].join('\n'),
    objects: [...new Set(dropped.map((u) => u.archivedId))],
  };
}

const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** "until <end>" or "without end" from an assignment's schedule. */
function until(o: DirObject): string {
  const s = o['schedule'];
  const exp = isObj(s) ? s['expiration'] : undefined;
  const end = isObj(exp) ? str(exp['endDateTime']) : undefined;
  const duration = isObj(exp) ? str(exp['duration']) : undefined;
  const start = isObj(s) ? str(s['startDateTime']) : undefined;
  if (end) return `until ${end}`;
  if (duration) return `for ${duration} from ${start ?? 'its start'}`;
  return 'without end';
}

/** One line per assignment: who, which package, which policy, until when. */
export function assignmentLine(o: DirObject): string {
  const target = isObj(o['target']) ? o['target'] : {};
  const pkg = isObj(o['accessPackage']) ? o['accessPackage'] : {};
  const policy = isObj(o['assignmentPolicy']) ? o['assignmentPolicy'] : {};
  const who = str(target['principalName']) ?? str(target['email']) ?? str(target['displayName']) ?? str(target['objectId']) ?? 'an unknown subject';
  return `${who} had "${str(pkg['displayName']) ?? str(pkg['id']) ?? '?'}" through policy "${str(policy['displayName']) ?? str(policy['id']) ?? '?'}" ${until(o)} (state ${str(o['state']) ?? '?'})`;
}

/** The manual step for the assignments the plan skipped (undefined: none). */
export function assignmentStep(skipped: Plan['skipped'], archivedById: ReadonlyMap<string, { obj: DirObject }>): ManualStep | undefined {
  const list = (skipped ?? [])
    .filter((s) => s.type === 'accessPackageAssignment')
    .map((s) => archivedById.get(s.archivedId)?.obj)
    .filter((o): o is DirObject => o !== undefined)
    .sort((a, b) => cmp(a.id, b.id));
  if (list.length === 0) return undefined;
  return {
    id: ASSIGNMENTS_STEP_ID,
    kind: 'other',
    title: `Request again ${list.length} access package assignment(s)`,
    instructions: [
      'The restore requests again each delivered access package assignment of a user; these it could not (each line says what it was), and it does not add their subjects to the package\'s groups directly.',
      'Decide for each whether it should be given again, then assign it (Identity Governance > Access packages > Assignments > New assignment, or POST /identityGovernance/entitlementManagement/assignmentRequests with requestType adminAdd), with the same end date:',
      ...list.map((o) => `- ${assignmentLine(o)}`),
    ].join('\n'),
    objects: list.map((o) => o.id),
  };
}

/**
 * `kind|group|user` of every group membership and ownership an archived delivered access package
 * assignment gives through its package's group roles (`Member_<groupId>`, `Owner_<groupId>`), with
 * the assignment's id: "When a subject receives an access package assignment, the subject will be
 * provisioned with the role in that scope of each access package resource role scope" (S385). The
 * plan leaves such an edge to the assignment it requests again (./relations.ts), as it leaves a PIM
 * for Groups one to its schedule: written with `$ref` it would be permanent and outlive the
 * assignment's end. An edge whose assignment is still in the target is written: it was removed by
 * hand, and Graph gives the role only when it delivers an assignment. App roles: `packageAppRoles`.
 */
export function packageGrantedEdges(archive: TenantData): Map<string, string> {
  const roles = packageRoles(archive);
  const out = new Map<string, string>();
  for (const a of archive.objects.accessPackageAssignment ?? []) {
    const g = grantsOf(a, roles);
    for (const r of g?.groups ?? []) if (!out.has(`${r}|${g!.user}`)) out.set(`${r}|${g!.user}`, a.id);
  }
  return out;
}

/** The user of a delivered assignment and what its package's roles give (undefined: not delivered, or no package or user). */
function grantsOf(a: DirObject, roles: ReturnType<typeof packageRoles>): { user: string; groups: string[]; apps: string[] } | undefined {
  const pkg = isObj(a['accessPackage']) ? str(a['accessPackage']['id']) : undefined;
  const user = assignmentSubject(a);
  if (a['state'] !== 'delivered' || !pkg || !user) return undefined;
  return { user, groups: roles.get(pkg)?.groups ?? [], apps: roles.get(pkg)?.apps ?? [] };
}

/**
 * What each archived access package's role scopes give (S385, src/catalog/entitlement-resources.ts):
 * a group's Member or Owner role as `groupMembers|<groupId>` / `groupOwners|<groupId>`, an
 * application's app role as `<servicePrincipalId>|<appRoleId>` (the role's originId is the app
 * role, the scope's the principal). A SharePoint role gives nothing the archive holds.
 */
function packageRoles(archive: TenantData): Map<string, { groups: string[]; apps: string[] }> {
  const out = new Map<string, { groups: string[]; apps: string[] }>();
  for (const rs of archive.objects.accessPackageResourceRoleScope ?? []) {
    const [role, scope, pkg] = [rs['role'], rs['scope'], parentIdOf(rs)];
    if (!isObj(role) || !pkg) continue;
    const of = out.get(pkg) ?? { groups: [], apps: [] };
    out.set(pkg, of);
    const group = role['originSystem'] === 'AadGroup' ? /^(Member|Owner)_(.+)$/.exec(str(role['originId']) ?? '') : null;
    if (group) of.groups.push(`${group[1] === 'Member' ? 'groupMembers' : 'groupOwners'}|${group[2]}`);
    const [appRole, sp] = [str(role['originId']), isObj(scope) ? str(scope['originId']) : undefined];
    if (role['originSystem'] === 'AadApplication' && appRole && sp) of.apps.push(`${sp}|${appRole}`);
  }
  return out;
}

/**
 * The archived app role assignments that access package assignments the plan requests again give
 * through their package's app role scopes (role originId the app role, scope originId the service
 * principal: S385): archived id → the requesting op. Each is taken out of the candidates (the
 * request brings it; a POST of its own would outlive the assignment's end, or conflict).
 */
export function packageAppRoles(cands: Map<string, { opId: string; kind: string; type: ResourceType; archivedId: string }>, archivedById: ReadonlyMap<string, { obj: DirObject }>, archive: TenantData): Map<string, string> {
  const roles = packageRoles(archive);
  const given = new Map<string, string>();
  for (const c of cands.values()) {
    if (c.kind !== 'create' || c.type !== 'accessPackageAssignment') continue;
    const a = archivedById.get(c.archivedId)?.obj;
    const g = a ? grantsOf(a, roles) : undefined;
    for (const r of g?.apps ?? []) if (!given.has(`${g!.user}|${r}`)) given.set(`${g!.user}|${r}`, c.opId);
  }
  const covered = new Map<string, string>();
  if (given.size === 0) return covered;
  for (const c of [...cands.values()]) {
    if (c.kind !== 'create' || c.type !== 'appRoleAssignment') continue;
    const o = archivedById.get(c.archivedId)?.obj;
    const op = o ? given.get(`${String(o['principalId'])}|${String(o['resourceId'])}|${String(o['appRoleId'])}`) : undefined;
    if (!op) continue;
    cands.delete(c.opId);
    covered.set(c.archivedId, op);
  }
  return covered;
}

/**
 * The review step for the assignments the plan requests again (undefined: none). Each starts when
 * the restore's request is delivered: its archived start, history that no request sets, is listed
 * here for the audit trail (and the comparison leaves it out, `comparableAssignment`).
 */
export function assignmentStartStep(ops: readonly Operation[], archivedById: ReadonlyMap<string, DirObject>): ManualStep | undefined {
  const list = createdArchived(ops, archivedById, 'accessPackageAssignment');
  if (list.length === 0) return undefined;
  const start = (o: DirObject): string => (isObj(o['schedule']) ? str(o['schedule']['startDateTime']) : undefined) ?? 'an unknown date';
  return {
    id: ASSIGNMENT_STARTS_STEP_ID,
    kind: 'other',
    title: `Keep the original start of ${list.length} access package assignment(s) requested again`,
    instructions: [
      'The restore requests these assignments again (an administrator\'s direct assignment); each starts when Graph delivers the request, and its archived start cannot be set. Keep this list with the restore report as the record of when each access began:',
      ...list.map((o) => `- ${assignmentLine(o)}, started ${start(o)}`),
    ].join('\n'),
    objects: list.map((o) => o.id),
  };
}

/**
 * `objects` scenario: a selected user (or other subject) the plan recreates brings its archived
 * access package assignments. None follows it to its new id by itself, and one the target still
 * lists for the old id is not matched to the archived one (src/restore/diff.ts `staleSubject`),
 * so each is missing: requested again for the new id (or skipped with its reason), and in
 * `included` with the subject that brought it.
 */
export function addSubjectAssignments(ctx: PlanContext, closed: ScopeResult): void {
  for (const [id, a] of ctx.inIdOrder()) {
    if (!SUBJECT_ASSIGNMENTS.has(a.type) || closed.ids.has(id)) continue;
    const subject = assignmentSubject(a.obj);
    if (subject === undefined || !closed.ids.has(subject) || !isRecreated(ctx, subject)) continue;
    closed.ids.add(id);
    closed.included.push({ archivedId: id, type: a.type, displayName: ctx.nameOf(id), requiredBy: subject });
  }
}

/** The types that hang off an access package: its policies (restored) and assignments (listed). */
const OF_PACKAGE: readonly ResourceType[] = ['accessPackageAssignmentPolicy', 'accessPackageAssignment'];

/**
 * `objects` scenario: a recreated access package brings its missing assignment policies (with
 * what they need in turn) and its missing assignments (skipped, listed in the manual step),
 * each in `included` with the package that brought it. Only the package link counts: restoring
 * a user who approves a deleted package's policy does not bring the package back.
 */
export function addPackageDependents(ctx: PlanContext, closed: ScopeResult, close: (ids: string[]) => ScopeResult): void {
  for (const [id, a] of ctx.inIdOrder()) {
    if (!OF_PACKAGE.includes(a.type) || closed.ids.has(id) || ctx.match.entries.get(id)?.state === 'live') continue;
    const link = a.obj['accessPackage'];
    const pkg = isObj(link) ? str(link['id']) : undefined;
    if (!pkg || !closed.ids.has(pkg)) continue;
    const more = close([id]);
    // what was in already (the selection, the package itself) is not included by what follows it
    const before = new Set(closed.ids);
    for (const x of more.ids) closed.ids.add(x);
    closed.included.push({ archivedId: id, type: a.type, displayName: ctx.nameOf(id), requiredBy: pkg });
    for (const inc of more.included) if (!before.has(inc.archivedId) && !closed.included.some((c) => c.archivedId === inc.archivedId)) closed.included.push(inc);
  }
}
