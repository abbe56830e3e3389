/**
 * The bootstrap plan of a bootstrap-first restore (docs/design.md "Bootstrap-first restore"):
 * the planner (./planner.ts buildPlan) applied to the part of the archive the bootstrap tier
 * needs, keeping only its tier-0 operations. Pure: no I/O, no clock, no randomness.
 *
 * The subset is what findGlobalAdmins (./admins.ts) and the tier-0 operations read: the
 * Global Administrator role assignments, the users and role-assignable groups they name,
 * those groups' memberships, every role definition (a custom role's template decides whether
 * it is Global Administrator), the PIM active assignments (roleAssignmentSchedule) of Global
 * Administrator to those principals, and the organization and domains (UPN domain remapping).
 */
import type { ResourceType } from '../../catalog/types.js';
import type { DirObject, Relation, TenantData } from '../../model.js';
import type { Plan, ScenarioName } from '../types.js';
import { findGlobalAdmins, isGlobalAdminRole } from './admins.js';
import { buildPlan, type BuildPlanInput } from './planner.js';

/** Scenarios whose restore runs its bootstrap tier first (the target may have no working admin). */
export function isBootstrapScenario(scenario: ScenarioName): boolean {
  return scenario === 'tenant-loss' || scenario === 'all-admins-deleted';
}

/** Types read whole from the archive and from the target for the bootstrap phase (all small). */
export const BOOTSTRAP_WHOLE_TYPES: readonly ResourceType[] = ['organization', 'domain', 'roleDefinition'];

/**
 * The part of `archive` the bootstrap tier needs, in the archive's own order. Pure.
 * Objects not named here (a GA user's manager, its licences…) come back in the rest phase,
 * which plans the whole archive against the target the bootstrap phase left.
 */
export function bootstrapArchive(archive: TenantData): TenantData {
  const admins = findGlobalAdmins(archive);
  // every principal a Global Administrator assignment names, role-assignable group or not: the
  // assignment is a tier-0 operation and needs its principal
  const principals = admins.assignments.map((a) => a['principalId']).filter((p): p is string => typeof p === 'string');
  const users = new Set([...admins.users, ...principals]);
  const groups = new Set([...admins.groups, ...principals]);
  const assignments = new Set(admins.assignments.map((a) => a.id));
  const edges = new Set(admins.memberships.map((e) => `${e.from}|${e.to}`));
  const objects: TenantData['objects'] = {};
  for (const t of BOOTSTRAP_WHOLE_TYPES) if (archive.objects[t]) objects[t] = archive.objects[t];
  // Directory extension values name their application (a later tier): the tier-0 create leaves
  // them to a follow-up update (./planner.ts stageOperations), so the subset leaves them out and
  // the rest phase writes them.
  const withoutExtensions = (o: DirObject): DirObject => Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('extension_'))) as DirObject;
  const pick = (t: ResourceType, ids: Set<string>): void => {
    const list = (archive.objects[t] ?? []).filter((o) => ids.has(o.id)).map(withoutExtensions);
    if (list.length) objects[t] = list;
  };
  pick('user', users);
  pick('group', groups);
  pick('roleAssignment', assignments);
  // A PIM active assignment covers the role assignment it made (catalog roleAssignmentSchedule):
  // the plan writes the schedule, so Global Administrator schedules of these principals come too.
  const holders = new Set([...users, ...groups]);
  const schedules = (archive.objects.roleAssignmentSchedule ?? []).filter((s) => {
    const def = s['roleDefinitionId'];
    const p = s['principalId'];
    return typeof def === 'string' && isGlobalAdminRole(def, archive) && typeof p === 'string' && holders.has(p);
  });
  if (schedules.length) objects.roleAssignmentSchedule = schedules;
  const members: Relation[] = (archive.relations.groupMembers ?? []).filter((e) => edges.has(`${e.from}|${e.to}`));
  return { tenantId: archive.tenantId, initialDomain: archive.initialDomain, objects, relations: members.length ? { groupMembers: members } : {} };
}

/** The archived ids the bootstrap phase looks up in the target by id and natural key. */
export function bootstrapLookups(archive: TenantData): { users: string[]; groups: string[] } {
  const admins = findGlobalAdmins(archive);
  return { users: admins.users, groups: admins.groups };
}

/**
 * The bootstrap plan: buildPlan over bootstrapArchive(archive), only its tier-0 operations
 * (no verify: the rest phase verifies the whole restore), marked `phase: 'bootstrap'`.
 * Tier-0 operations depend only on tier-0 operations (./planner.ts stageOperations splits
 * a tier-0 create's later references into follow-up updates), so the filter keeps a DAG.
 * Pure; throws only on a planner bug.
 */
export function buildBootstrapPlan(input: Omit<BuildPlanInput, 'selection'>): Plan {
  const plan = buildPlan({ ...input, archive: bootstrapArchive(input.archive) });
  const operations = plan.operations.filter((o) => o.tier === 0);
  const kept = new Set(operations.map((o) => o.opId));
  return {
    ...plan,
    phase: 'bootstrap',
    operations: operations.map((o) => ({ ...o, dependsOn: o.dependsOn.filter((d) => kept.has(d)) })),
    unresolved: plan.unresolved.filter((u) => kept.has(u.opId)),
    manualSteps: [],
    reportOnly: [],
  };
}
