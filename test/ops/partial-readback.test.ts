/**
 * The read-back comparison (./readback.ts) for the partial scenarios, objects and attributes. A
 * seeded tenant (every catalog type) is backed up, then damaged through plain Graph calls
 * (test/oracle/graph-io.ts: fetch and a token, nothing of src/graph), read through Graph, restored in
 * place with a selection, and read back. `comparePartial` then holds the restore to two things:
 * - what was selected (and what the plan included with it) is back, every property as archived, or
 *   for attributes every selected property as archived and every other as it was;
 * - nothing else moved: every other object, property and relation is as it was before the restore
 *   (or, for objects, as archived: a reference re-linked to an object that came back with a new id).
 * The damage mixes the recycle bin and deletion for good, so objects come back both with their own
 * id (restored) and with a new one (recreated, their references re-linked).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { seedTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import type { DirObject, TenantData } from '../../src/model.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import type { RestoreSelection, ScenarioName } from '../../src/restore/types.js';
import { restoreComplete, runRestore } from '../../src/ops/restore.js';
import { graphIo, tokenFor, type Io } from '../oracle/graph-io.js';
import { backupOf, readBackOf, writerOf } from './emulator-fixture.js';
import { recording, undocumentedOf } from './documented-requests.js';
import { comparePartial } from './readback.js';

let dir: string;
let emu: EmulatorHandle;
const tenants: SeededTenant[] = [seedTenant({ seed: 71, users: 40 }), seedTenant({ seed: 73, users: 40 }), seedTenant({ seed: 75, users: 40 }), seedTenant({ seed: 77, users: 40 }), seedTenant({ seed: 79, users: 40 }), seedTenant({ seed: 81, users: 40 }), seedTenant({ seed: 83, users: 40 }), seedTenant({ seed: 85, users: 40 }), seedTenant({ seed: 87, users: 40 }), seedTenant({ seed: 89, users: 40 }), seedTenant({ seed: 91, users: 40 }), seedTenant({ seed: 93, users: 40 }), seedTenant({ seed: 95, users: 40 }), seedTenant({ seed: 103, users: 40 }), seedTenant({ seed: 105, users: 40 })];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ev-partial-readback-'));
  emu = await startEmulator({ port: 0, tenants });
}, 60_000);

afterAll(async () => {
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Tenant `i`, backed up (the archive a case restores from), and plain Graph access to damage it. */
async function backedUp(i: number, tag: string) {
  const t = tenants[i]!;
  const { archive, archiveMeta } = await backupOf(emu, t.tenantId, join(dir, `${tag}-before`));
  return { t, archive, archiveMeta, io: await ioFor(t) };
}

async function ioFor(t: SeededTenant): Promise<Io> {
  const cred = t.credentials.find((c) => c.role === 'restoreWriter')!;
  return graphIo(emu.graphBaseUrl, await tokenFor(emu.url, t.tenantId, cred.clientId, cred.secret));
}

/** Cloud-only member users that hold no directory role (deleting an admin is the all-admins-deleted scenario's). */
function plainUsers(archive: TenantData): DirObject[] {
  const privileged = new Set((archive.objects.roleAssignment ?? []).map((a) => String(a.principalId)));
  return (archive.objects.user ?? []).filter((u) => u.userType === 'Member' && u.onPremisesSyncEnabled !== true && !privileged.has(u.id));
}

/** Cloud-only groups with members and assigned membership: Microsoft 365 groups, then role-assignable security groups. */
function plainGroups(archive: TenantData): { m365: DirObject[]; roleAssignable: DirObject[] } {
  const withMembers = new Set((archive.relations.groupMembers ?? []).map((e) => e.from));
  const types = (g: DirObject) => (Array.isArray(g.groupTypes) ? g.groupTypes : []);
  const plain = (archive.objects.group ?? []).filter((g) => g.onPremisesSyncEnabled !== true && !types(g).includes('DynamicMembership') && withMembers.has(g.id));
  return { m365: plain.filter((g) => types(g).includes('Unified')), roleAssignable: plain.filter((g) => g.isAssignableToRole === true) };
}

/**
 * Reads the damaged tenant, restores it in place with `selection`, reads it back and compares
 * (`comparePartial`: the selection and, for objects, what the plan included with it). Also
 * returns the deviations no manual step names, which every case expects to be none.
 */
/** The kinds of write the restores of this file sent (./documented-requests.ts), checked by the last test. */
const KINDS = new Set<string>();

async function restoreAndReadBack(t: SeededTenant, tag: string, archive: TenantData, archiveMeta: Parameters<typeof runRestore>[0]['archiveMeta'], scenario: ScenarioName, selection: RestoreSelection) {
  const damaged = await readBackOf(emu, t.tenantId, join(dir, `${tag}-damaged`));
  const { graph } = await writerOf(emu, t.tenantId, join(dir, tag));
  const credentials = new MemoryCredentialsSink();
  const r = await runRestore({
    archive, archiveMeta, graph: recording(graph, KINDS), targetTenantId: t.tenantId, scenario, selection, dryRun: false, confirmTenantId: t.tenantId,
    journalPath: join(dir, tag, 'partial.journal'), credentialsSink: credentials, reporter: silentReporter, enableConditionalAccess: true,
  });
  expect(r.execution?.failures).toEqual([]);
  const live = await readBackOf(emu, t.tenantId, join(dir, `${tag}-after`));
  const facts = { manualSteps: r.plan.manualSteps, warnings: r.plan.warnings, newPasswords: credentials.credentials.map((c) => c.userPrincipalName) };
  const chosen = [...(selection.objectIds ?? []), ...(r.plan.included ?? []).map((i) => i.archivedId)];
  const { findings, equal } = comparePartial(archive, damaged, live, facts, { objectIds: chosen, ...(selection.attributes ? { attributes: selection.attributes } : {}) });
  const named = new Set(r.plan.manualSteps.flatMap((st) => st.objects));
  const unnamed = (r.fidelity?.deviations ?? []).filter((d) => !named.has(d.archivedId ?? ''));
  return { r, live, findings, equal, unnamed };
}

describe('a partial restore read back through Graph', () => {
  it('objects: the selection is back as archived, from the recycle bin or recreated, and nothing else moved', { timeout: 300_000 }, async () => {
    const { t, archive, archiveMeta, io } = await backedUp(0, 'objects');
    const users = plainUsers(archive).slice(0, 3);
    const { m365, roleAssignable } = plainGroups(archive);
    const groups = [...m365.slice(0, 2), ...roleAssignable.slice(0, 1)];
    const unit = (archive.objects.administrativeUnit ?? [])[0];
    const location = (archive.objects.namedLocation ?? [])[0];
    expect(users).toHaveLength(3);
    expect(groups).toHaveLength(3);
    // to the recycle bin: users[0], the first Microsoft 365 group, the unit; for good: users[1..2], the
    // second Microsoft 365 group (purged), the role-assignable security group (a security group's
    // deletion is permanent, docs/graph-facts.md §4) and the named location
    for (const u of users) await io.send('DELETE', `/users/${u.id}`);
    for (const g of groups) await io.send('DELETE', `/groups/${g.id}`);
    if (unit) await io.send('DELETE', `/directory/administrativeUnits/${unit.id}`);
    if (location) await io.send('DELETE', `/identity/conditionalAccess/namedLocations/${location.id}`);
    for (const u of users.slice(1)) await io.send('DELETE', `/directory/deletedItems/${u.id}`);
    await io.send('DELETE', `/directory/deletedItems/${groups[1]!.id}`);
    const objectIds = [...users, ...groups, ...(unit ? [unit] : []), ...(location ? [location] : [])].map((o) => o.id);

    const { r, findings, equal, unnamed } = await restoreAndReadBack(t, 'objects', archive, archiveMeta, 'objects', { objectIds });
    expect(findings).toEqual([]);
    // the comparison compared: the selected objects came back equal in every property
    expect(equal).toBeGreaterThanOrEqual(objectIds.length - 2);
    // A user recreated with a new id does not take its access package assignment back by itself (it
    // names the old id): the restore requests each again for the new id (adminAdd), its archived start
    // listed in the review step, and the restore is complete.
    const recreated = new Set(users.slice(1).map((u) => u.id));
    const assignments = (archive.objects.accessPackageAssignment ?? []).filter((a) => recreated.has(String((a.target as { objectId?: string } | undefined)?.objectId)));
    expect(assignments.length).toBeGreaterThan(0);
    expect(r.plan.manualSteps.find((s) => s.id === 'manual:accessPackageAssignments')).toBeUndefined();
    const starts = r.plan.manualSteps.find((s) => s.id === 'manual:accessPackageAssignmentStarts');
    for (const a of assignments) {
      expect(r.plan.operations.some((o) => o.kind === 'create' && o.archivedId === a.id)).toBe(true);
      expect(starts?.objects).toContain(a.id);
    }
    expect(r.fidelity?.deviations).toEqual([]);
    expect(restoreComplete(r)).toBe(true);
    expect(unnamed).toEqual([]);
  });

  it('objects: applications back from the recycle bin and recreated with a new appId, with what names them', { timeout: 300_000 }, async () => {
    const { t, archive, archiveMeta, io } = await backedUp(2, 'apps');
    const sps = new Map((archive.objects.servicePrincipal ?? []).map((sp) => [String(sp.appId), sp]));
    // apps this tenant's users and admins use: assigned app roles, delegated grants, a Conditional
    // Access policy naming the appId (test/ops/partial-readback.test.ts picks them by what they hold)
    const assignedTo = new Set((archive.objects.appRoleAssignment ?? []).map((a) => String(a.resourceId)));
    const apps = (archive.objects.application ?? []).filter((a) => !/entra-vault/i.test(String(a.displayName)) && sps.has(String(a.appId)) && assignedTo.has(sps.get(String(a.appId))!.id));
    expect(apps.length).toBeGreaterThanOrEqual(3);
    // deleted for good: HR Connector (it owns extension attributes that users hold values of) and
    // Payroll Portal (a sign-up flow and an access package name it); Service Desk to the recycle bin
    const purgedApps = apps.slice(0, 2);
    const binned = apps[2]!;
    // deleting an application deletes its service principal with it (both to the recycle bin)
    for (const a of [...purgedApps, binned]) await io.send('DELETE', `/applications/${a.id}`);
    for (const a of purgedApps) {
      await io.send('DELETE', `/directory/deletedItems/${a.id}`);
      await io.send('DELETE', `/directory/deletedItems/${sps.get(String(a.appId))!.id}`);
    }
    const objectIds = [...purgedApps, binned].flatMap((a) => [a.id, sps.get(String(a.appId))!.id]);

    const { r, live, findings, equal, unnamed } = await restoreAndReadBack(t, 'apps', archive, archiveMeta, 'objects', { objectIds });
    expect(findings).toEqual([]);
    expect(equal).toBeGreaterThan(0);
    // the purged apps came back with new appIds, and what named the old ones names the new ones
    // (comparePartial above: users' extension attribute values under the new names among them)
    for (const purged of purgedApps) {
      const again = (live.objects.application ?? []).find((a) => a.displayName === purged.displayName);
      expect(again?.appId).not.toBe(purged.appId);
    }
    const extensions = (archive.objects.extensionProperty ?? []).filter((x) => purgedApps.some((a) => x['@parentId'] === a.id));
    expect(extensions.length).toBeGreaterThan(0);
    // A sign-up flow's apps are re-linked with the add and remove calls Graph documents for them
    // (https://learn.microsoft.com/graph/api/authenticationconditionsapplications-post-includeapplications):
    // the flow names the recreated app's new appId, not the old one, and is not listed by hand.
    const byHand = r.plan.manualSteps.find((s) => s.id === 'manual:relinkByHand');
    const purgedSps = new Set(purgedApps.map((a) => sps.get(String(a.appId))!.id));
    const flows = (archive.objects.authenticationEventsFlow ?? []).filter((f) => purgedApps.some((a) => JSON.stringify(f).includes(String(a.appId))));
    expect(flows.length).toBeGreaterThan(0);
    const deviating = new Set((r.fidelity?.deviations ?? []).map((d) => d.archivedId));
    for (const f of flows) {
      expect(byHand?.objects ?? []).not.toContain(f.id);
      expect(deviating.has(f.id)).toBe(false);
      const apps = ((await io.get(`/identity/authenticationEventsFlows/${f.id}/conditions/applications/includeApplications`)).value as { appId: string }[]).map((a) => a.appId);
      for (const a of purgedApps.filter((x) => JSON.stringify(f).includes(String(x.appId)))) {
        expect(apps).not.toContain(a.appId);
        expect(apps).toContain((live.objects.application ?? []).find((x) => x.displayName === a.displayName)?.appId);
      }
    }
    // What still names the old appId and takes no write the restore can make (an access package's
    // resource) is listed to change by hand (src/restore/plan/relink.ts), reported as not as
    // archived, and the restore does not call itself complete.
    const resources = (archive.objects.accessPackageResource ?? []).filter((x) => purgedSps.has(String(x.originId)));
    expect(resources.length).toBeGreaterThan(0);
    for (const o of resources) expect(byHand?.objects).toContain(o.id);
    // and nothing a write re-links is among them (users' extension values, other apps' permissions, flows)
    const typeOf = new Map(Object.entries(archive.objects).flatMap(([t, list]) => (list ?? []).map((o) => [o.id, t] as const)));
    expect(new Set((byHand?.objects ?? []).map((id) => typeOf.get(id)))).toEqual(new Set(['accessPackageResource', 'accessPackageResourceRoleScope']));
    for (const o of resources) expect(deviating.has(o.id)).toBe(true);
    expect(restoreComplete(r)).toBe(false);
    // and every deviation is an object a manual step names
    expect(unnamed).toEqual([]);
  });

  it('objects: an administrative unit, a named location and a Conditional Access policy, with what is scoped to them or names them', { timeout: 300_000 }, async () => {
    const { t, archive, archiveMeta, io } = await backedUp(3, 'scopes');
    // an administrative unit that scopes a role (a scoped role member or an assignment on it), to the
    // recycle bin (Graph keeps a deleted unit 30 days and deletes none for good before that)
    const scoped = new Set([
      ...(archive.objects.scopedRoleMembership ?? []).map((m) => String(m['@parentId'] ?? m.administrativeUnitId)),
      ...(archive.objects.roleAssignment ?? []).map((a) => String(a.directoryScopeId).replace('/administrativeUnits/', '')),
    ]);
    const unit = (archive.objects.administrativeUnit ?? []).find((u) => scoped.has(u.id));
    // a named location a policy names, deleted for good; a policy to the Conditional Access recycle bin,
    // which the restore recreates (Graph offers an application no restore from that bin, docs/graph-facts.md S392)
    const policies = archive.objects.conditionalAccessPolicy ?? [];
    const location = (archive.objects.namedLocation ?? []).find((l) => policies.some((p) => JSON.stringify(p.conditions).includes(l.id)));
    const binnedPolicy = policies.find((p) => p.state !== 'enabled' && (!location || !JSON.stringify(p.conditions).includes(location.id))) ?? policies[0];
    expect(unit).toBeDefined();
    expect(location).toBeDefined();
    expect(binnedPolicy).toBeDefined();
    await io.send('DELETE', `/directory/administrativeUnits/${unit!.id}`);
    await io.send('DELETE', `/identity/conditionalAccess/namedLocations/${location!.id}`);
    await io.send('DELETE', `/identity/conditionalAccess/deletedItems/namedLocations/${location!.id}`);
    await io.send('DELETE', `/identity/conditionalAccess/policies/${binnedPolicy!.id}`);
    const objectIds = [unit!.id, location!.id, binnedPolicy!.id];

    const { r, findings, equal, unnamed } = await restoreAndReadBack(t, 'scopes', archive, archiveMeta, 'objects', { objectIds });
    expect(findings).toEqual([]);
    expect(equal).toBeGreaterThanOrEqual(objectIds.length);
    // the policies naming the recreated location were re-linked by the restore, none left by hand
    expect(r.plan.manualSteps.some((st) => st.id === 'manual:relinkByHand')).toBe(false);
    expect(unnamed).toEqual([]);
    expect(restoreComplete(r)).toBe((r.fidelity?.deviations ?? []).length === 0);
  });

  it('objects: a custom directory role deleted with its assignments comes back with a new id, and they with it', { timeout: 300_000 }, async () => {
    const { t, archive, archiveMeta, io } = await backedUp(4, 'roles');
    const assignments = archive.objects.roleAssignment ?? [];
    const role = (archive.objects.roleDefinition ?? []).filter((r) => r.isBuiltIn === false)
      .sort((a, b) => assignments.filter((x) => x.roleDefinitionId === b.id).length - assignments.filter((x) => x.roleDefinitionId === a.id).length)[0];
    expect(role).toBeDefined();
    const its = assignments.filter((a) => a.roleDefinitionId === role!.id);
    expect(its.length).toBeGreaterThan(0);
    // a role definition with assignments cannot be deleted: the assignments go first, as an admin would
    for (const a of its) await io.send('DELETE', `/roleManagement/directory/roleAssignments/${a.id}`);
    await io.send('DELETE', `/roleManagement/directory/roleDefinitions/${role!.id}`);
    const objectIds = [role!.id];

    const { r, findings, equal, unnamed } = await restoreAndReadBack(t, 'roles', archive, archiveMeta, 'objects', { objectIds });
    // the assignments of the recreated role came with it
    for (const a of its) expect((r.plan.included ?? []).map((i) => i.archivedId)).toContain(a.id);
    expect(findings).toEqual([]);
    expect(equal).toBeGreaterThan(its.length);
    expect(unnamed).toEqual([]);
    expect(restoreComplete(r)).toBe((r.fidelity?.deviations ?? []).length === 0);
  });

  it('objects: security groups with PIM for Groups eligibility and settings, deleted (for good, as Graph deletes them) and recreated', { timeout: 300_000 }, async () => {
    const { t, archive, archiveMeta, io } = await backedUp(5, 'pim');
    const governed = new Set([...(archive.objects.pimGroupEligibilitySchedule ?? []), ...(archive.objects.pimGroupAssignmentSchedule ?? [])].map((x) => String(x.groupId)));
    const groups = (archive.objects.group ?? []).filter((g) => governed.has(g.id) && g.securityEnabled === true && !(Array.isArray(g.groupTypes) && g.groupTypes.includes('Unified')));
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) await io.send('DELETE', `/groups/${g.id}`);
    const objectIds = groups.map((g) => g.id);

    const { r, findings, equal, unnamed } = await restoreAndReadBack(t, 'pim', archive, archiveMeta, 'objects', { objectIds });
    expect(findings).toEqual([]);
    // the group setting that names a group (who may create groups) is re-linked; the device
    // registration policy, which Graph v1.0 cannot write, is listed by hand (./readback.ts checks both)
    const byHand = r.plan.manualSteps.find((st) => st.id === 'manual:relinkByHand')?.objects ?? [];
    const typeOf = new Map(Object.entries(archive.objects).flatMap(([ty, list]) => (list ?? []).map((o) => [o.id, ty] as const)));
    expect(byHand.map((id) => typeOf.get(id))).not.toContain('groupSetting');
    expect(equal).toBeGreaterThanOrEqual(objectIds.length);
    expect(unnamed).toEqual([]);
    expect(restoreComplete(r)).toBe((r.fidelity?.deviations ?? []).length === 0);
  });

  it('objects: lifecycle workflows, one from their recycle bin and one deleted for good', { timeout: 300_000 }, async () => {
    const { t, archive, archiveMeta, io } = await backedUp(6, 'wf');
    const workflows = (archive.objects.lifecycleWorkflow ?? []).slice(0, 2);
    expect(workflows).toHaveLength(2);
    for (const w of workflows) await io.send('DELETE', `/identityGovernance/lifecycleWorkflows/workflows/${w.id}`);
    await io.send('DELETE', `/identityGovernance/lifecycleWorkflows/deletedItems/workflows/${workflows[1]!.id}`);
    const objectIds = workflows.map((w) => w.id);

    const { r, findings, equal, unnamed } = await restoreAndReadBack(t, 'wf', archive, archiveMeta, 'objects', { objectIds });
    expect(findings).toEqual([]);
    expect(equal).toBeGreaterThanOrEqual(1);
    expect(unnamed).toEqual([]);
    expect(restoreComplete(r)).toBe((r.fidelity?.deviations ?? []).length === 0);
  });

  it('objects: an access package without assignments, deleted after its policies, comes back with them', { timeout: 300_000 }, async () => {
    const { t, archive, archiveMeta, io } = await backedUp(8, 'ap');
    const assigned = new Set((archive.objects.accessPackageAssignment ?? []).map((a) => String((a.accessPackage as { id?: string } | undefined)?.id)));
    const pkg = (archive.objects.accessPackage ?? []).find((p) => !assigned.has(p.id));
    expect(pkg).toBeDefined();
    // its policies first: Graph deletes no package a policy still names (docs/graph-facts.md S140)
    const policies = (archive.objects.accessPackageAssignmentPolicy ?? []).filter((x) => (x.accessPackage as { id?: string } | undefined)?.id === pkg!.id);
    expect(policies.length).toBeGreaterThan(0);
    for (const p of policies) await io.send('DELETE', `/identityGovernance/entitlementManagement/assignmentPolicies/${p.id}`);
    await io.send('DELETE', `/identityGovernance/entitlementManagement/accessPackages/${pkg!.id}`);
    const objectIds = [pkg!.id];

    const { r, findings, equal, unnamed } = await restoreAndReadBack(t, 'ap', archive, archiveMeta, 'objects', { objectIds });
    expect(findings).toEqual([]);
    // the package and its policies (included with it) came back equal in every property
    expect(equal).toBeGreaterThanOrEqual(1 + policies.length);
    expect(unnamed).toEqual([]);
    expect(restoreComplete(r)).toBe((r.fidelity?.deviations ?? []).length === 0);
  });

  it('objects: an access package deleted after its assignments were removed and its policies deleted comes back with them, its assignments requested again', { timeout: 300_000 }, async () => {
    const { t, archive, archiveMeta, io } = await backedUp(13, 'ap-asg');
    const assigned = (archive.objects.accessPackageAssignment ?? []);
    const pkgId = String((assigned[0]?.accessPackage as { id?: string } | undefined)?.id);
    const pkg = (archive.objects.accessPackage ?? []).find((p) => p.id === pkgId);
    expect(pkg).toBeDefined();
    const its = assigned.filter((a) => (a.accessPackage as { id: string }).id === pkgId);
    expect(its.length).toBeGreaterThan(0);
    // Graph deletes no package that has assignments (S140): removed first by request (S384), then its policies (S140), then it
    for (const a of its) await io.send('POST', '/identityGovernance/entitlementManagement/assignmentRequests', { requestType: 'adminRemove', assignment: { id: a.id } });
    const policies = (archive.objects.accessPackageAssignmentPolicy ?? []).filter((x) => (x.accessPackage as { id?: string } | undefined)?.id === pkgId);
    for (const p of policies) await io.send('DELETE', `/identityGovernance/entitlementManagement/assignmentPolicies/${p.id}`);
    await io.send('DELETE', `/identityGovernance/entitlementManagement/accessPackages/${pkgId}`);
    const objectIds = [pkgId];

    const { r, live, findings, equal, unnamed } = await restoreAndReadBack(t, 'ap-asg', archive, archiveMeta, 'objects', { objectIds });
    expect(findings).toEqual([]);
    // the package, its policies and its assignments (included with it) came back equal, the assignments but for their start
    expect(equal).toBeGreaterThanOrEqual(1 + policies.length);
    for (const a of its) expect(r.plan.included?.map((i) => i.archivedId)).toContain(a.id);
    const back = (live.objects.accessPackageAssignment ?? []).map((a) => String((a.target as { objectId: string }).objectId));
    for (const a of its) expect(back).toContain(String((a.target as { objectId: string }).objectId));
    expect(unnamed).toEqual([]);
    // the access review of the package's assignments names it in its scope, which no write re-links
    // (manual:relinkByHand): the one deviation, and the restore does not call itself complete
    const reviews = (archive.objects.accessReviewDefinition ?? []).filter((x) => JSON.stringify(x.scope ?? null).includes(pkgId));
    expect((r.fidelity?.deviations ?? []).map((d) => d.archivedId).sort()).toEqual(reviews.map((x) => x.id).sort());
    expect(r.plan.manualSteps.find((x) => x.id === 'manual:relinkByHand')?.objects.sort()).toEqual(reviews.map((x) => x.id).sort());
    expect(restoreComplete(r)).toBe(reviews.length === 0);
  });

  it('objects: a group still there whose members and owners were removed, and a user whose manager was cleared, get them back', { timeout: 300_000 }, async () => {
    const { t, archive, archiveMeta, io } = await backedUp(9, 'rel');
    const group = plainGroups(archive).m365[0]!;
    const members = (archive.relations.groupMembers ?? []).filter((e) => e.from === group.id).slice(0, 3);
    const owners = (archive.relations.groupOwners ?? []).filter((e) => e.from === group.id).slice(0, 1);
    const managed = (archive.relations.userManager ?? [])[0];
    expect(members.length).toBeGreaterThan(0);
    expect(managed).toBeDefined();
    for (const m of members) await io.send('DELETE', `/groups/${group.id}/members/${m.to}/$ref`);
    // an owner only when another one stays (Graph keeps a group's last owner)
    if ((archive.relations.groupOwners ?? []).filter((e) => e.from === group.id).length > 1) for (const o of owners) await io.send('DELETE', `/groups/${group.id}/owners/${o.to}/$ref`);
    await io.send('DELETE', `/users/${managed!.from}/manager/$ref`);
    const objectIds = [group.id, managed!.from];

    const { r, findings, unnamed } = await restoreAndReadBack(t, 'rel', archive, archiveMeta, 'objects', { objectIds });
    expect(findings).toEqual([]);
    expect(unnamed).toEqual([]);
    expect(restoreComplete(r)).toBe((r.fidelity?.deviations ?? []).length === 0);
  });

  it('objects: users and a group deleted for good, naming each other (manager, member, owner), come back with new ids and name each other again', { timeout: 300_000 }, async () => {
    const { t, archive, archiveMeta, io } = await backedUp(10, 'mutual');
    const plain = new Set(plainUsers(archive).map((u) => u.id));
    const { m365 } = plainGroups(archive);
    const members = (g: DirObject) => new Set((archive.relations.groupMembers ?? []).filter((e) => e.from === g.id).map((e) => e.to));
    // a manager and a report, both plain users, the manager a member of a Microsoft 365 group
    const pair = (archive.relations.userManager ?? []).filter((e) => plain.has(e.from) && plain.has(e.to)).find((e) => m365.some((g) => members(g).has(e.to)));
    expect(pair).toBeDefined();
    const group = m365.find((g) => members(g).has(pair!.to))!;
    const [report, manager] = [pair!.from, pair!.to];
    // the manager owns the group too (added before the backup is taken again below)
    await io.send('POST', `/groups/${group.id}/owners/$ref`, { '@odata.id': `${emu.graphBaseUrl}/v1.0/directoryObjects/${manager}` });
    const { archive: withOwner, archiveMeta: withOwnerMeta } = await backupOf(emu, t.tenantId, join(dir, 'mutual-owner'));
    expect((withOwner.relations.groupOwners ?? []).some((e) => e.from === group.id && e.to === manager)).toBe(true);
    for (const id of [report, manager]) await io.send('DELETE', `/users/${id}`);
    await io.send('DELETE', `/groups/${group.id}`);
    for (const id of [report, manager, group.id]) await io.send('DELETE', `/directory/deletedItems/${id}`);
    const objectIds = [report, manager, group.id];

    const { r, live, findings, equal, unnamed } = await restoreAndReadBack(t, 'mutual', withOwner, withOwnerMeta, 'objects', { objectIds });
    expect(findings).toEqual([]);
    expect(equal).toBeGreaterThanOrEqual(objectIds.length);
    expect(unnamed).toEqual([]);
    // each came back with a new id, and each names the others' new ids
    const upn = (id: string) => String((withOwner.objects.user ?? []).find((u) => u.id === id)?.userPrincipalName);
    const now = new Map((live.objects.user ?? []).map((u) => [String(u.userPrincipalName), u.id]));
    const [newReport, newManager] = [now.get(upn(report)), now.get(upn(manager))];
    const newGroup = (live.objects.group ?? []).find((g) => g.mailNickname === group.mailNickname)?.id;
    expect(newReport && newManager && newGroup).toBeTruthy();
    expect([newReport, newManager, newGroup]).not.toContain(report);
    expect(newManager).not.toBe(manager);
    expect(live.relations.userManager ?? []).toContainEqual(expect.objectContaining({ from: newReport, to: newManager }));
    expect(live.relations.groupMembers ?? []).toContainEqual(expect.objectContaining({ from: newGroup, to: newManager }));
    expect(live.relations.groupOwners ?? []).toContainEqual(expect.objectContaining({ from: newGroup, to: newManager }));
    expect(restoreComplete(r)).toBe((r.fidelity?.deviations ?? []).length === 0);
  });

  it('objects: users deleted for good get their access package assignments requested again, one ended since the backup is reported, and a second run requests none twice', { timeout: 300_000 }, async () => {
    const { t, archive: taken, archiveMeta, io } = await backedUp(11, 'asg');
    // https://learn.microsoft.com/graph/api/entitlementmanagement-post-assignmentrequests: adminAdd with
    // the user, policy and package, and the schedule the assignment takes
    const archive = structuredClone(taken);
    const assignments = archive.objects.accessPackageAssignment ?? [];
    expect(assignments).toHaveLength(2);
    const [ended, byDuration] = assignments as [DirObject, DirObject];
    // one ended after the backup was taken; one runs 90 days from a start just before it
    ended.schedule = { startDateTime: '2025-03-01T09:00:00Z', expiration: { type: 'afterDateTime', endDateTime: '2026-01-01T00:00:00Z', duration: null }, recurrence: null };
    byDuration.schedule = { startDateTime: '2026-11-01T00:00:00Z', expiration: { type: 'afterDuration', endDateTime: null, duration: 'P90D' }, recurrence: null };
    const subject = (a: DirObject) => String((a.target as { objectId: string }).objectId);
    for (const a of assignments) await io.send('POST', '/identityGovernance/entitlementManagement/assignmentRequests', { requestType: 'adminRemove', assignment: { id: a.id } });
    for (const a of assignments) await io.send('DELETE', `/users/${subject(a)}`);
    for (const a of assignments) await io.send('DELETE', `/directory/deletedItems/${subject(a)}`);
    const objectIds = assignments.map(subject);

    const { graph } = await writerOf(emu, t.tenantId, join(dir, 'asg-run'));
    const run = (n: number) => runRestore({
      archive, archiveMeta, graph, targetTenantId: t.tenantId, scenario: 'objects', selection: { objectIds }, dryRun: false, confirmTenantId: t.tenantId,
      journalPath: join(dir, 'asg-run', `${n}.journal`), credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
    });
    const r = await run(1);
    // the ended one: not requested, its failure says why, reported missing, the restore not complete
    const failed = r.execution?.failures ?? [];
    expect(failed.map((f) => f.opId)).toEqual([`create:accessPackageAssignment:${ended.id}`]);
    expect(failed[0]!.message).toContain('ended on 2026-01-01');
    expect((r.fidelity?.deviations ?? []).filter((d) => d.what === 'objectMissing').map((d) => d.archivedId)).toEqual([ended.id]);
    // the membership the ended assignment gave (its package's group role) is left to it, so it is missing too, and says why
    const gave = (r.fidelity?.deviations ?? []).filter((d) => d.what === 'relationMissing' && d.reason.includes(ended.id));
    expect(gave.length).toBeGreaterThan(0);
    for (const d of gave) expect(d.reason).toContain('left to it, which is not back: operation failed: PLAN_BLOCKED');
    expect(restoreComplete(r)).toBe(false);
    // the other: for the user's new id, ending 90 days after its archived start
    const EMA = '/identityGovernance/entitlementManagement/assignments?$expand=target,accessPackage($select=id),assignmentPolicy($select=id)';
    const upn = (a: DirObject) => String((a.target as { principalName: string }).principalName);
    const users = new Map(((await io.get('/users?$select=id,userPrincipalName')).value as DirObject[]).map((u) => [String(u.userPrincipalName), u.id]));
    const newId = users.get(upn(byDuration))!;
    expect(newId).toBeDefined();
    expect(newId).not.toBe(subject(byDuration));
    const mine = ((await io.get(EMA)).value as DirObject[]).filter((a) => (a.target as { objectId: string }).objectId === newId);
    expect(mine).toHaveLength(1);
    expect((mine[0]!.schedule as { expiration: { endDateTime: string } }).expiration.endDateTime).toBe('2027-01-30T00:00:00.000Z');
    expect((mine[0]!.accessPackage as { id: string }).id).toBe((byDuration.accessPackage as { id: string }).id);
    // a second run (another journal) finds it and requests nothing again
    const again = await run(2);
    expect(again.execution?.outcomes.find((o) => o.opId === `create:accessPackageAssignment:${byDuration.id}`)?.outcome ?? 'none').toMatch(/alreadyPresent|none/);
    const after = ((await io.get(EMA)).value as DirObject[]).filter((a) => (a.target as { objectId: string }).objectId === newId);
    expect(after.map((a) => a.id)).toEqual([mine[0]!.id]);
  });

  it('attributes: a group\'s name and a Conditional Access policy\'s state, changed by the attacker, come back', { timeout: 300_000 }, async () => {
    const { t, archive, archiveMeta, io } = await backedUp(7, 'names');
    const group = plainGroups(archive).m365[0];
    const policy = (archive.objects.conditionalAccessPolicy ?? []).find((p) => p.state === 'enabled');
    expect(group).toBeDefined();
    expect(policy).toBeDefined();
    await io.send('PATCH', `/groups/${group!.id}`, { displayName: 'Renamed by the attacker' });
    await io.send('PATCH', `/identity/conditionalAccess/policies/${policy!.id}`, { state: 'disabled' });
    const objectIds = [group!.id, policy!.id];

    const { r, findings, equal, unnamed } = await restoreAndReadBack(t, 'names', archive, archiveMeta, 'attributes', { objectIds, attributes: ['displayName', 'state'] });
    expect(findings).toEqual([]);
    expect(equal).toBe(objectIds.length);
    expect(unnamed).toEqual([]);
    expect(restoreComplete(r)).toBe(true);
  });

  it('objects: a directory role\'s PIM settings (activation length, MFA on activation), changed by the attacker, come back rule by rule', { timeout: 300_000 }, async () => {
    const { t, archive, archiveMeta, io } = await backedUp(12, 'pim-rules');
    // https://learn.microsoft.com/graph/api/unifiedrolemanagementpolicyrule-update (PATCH one rule, its @odata.type named)
    type Rule = { '@odata.type': string; id: string; [k: string]: unknown };
    const rulesOf = (p: DirObject) => (p.rules as Rule[] | undefined) ?? [];
    const policy = (archive.objects.roleManagementPolicy ?? []).find((p) => rulesOf(p).some((r) => r.id === 'Expiration_EndUser_Assignment') && rulesOf(p).some((r) => r.id === 'Enablement_EndUser_Assignment'));
    expect(policy).toBeDefined();
    const expiration = rulesOf(policy!).find((r) => r.id === 'Expiration_EndUser_Assignment')!;
    const enablement = rulesOf(policy!).find((r) => r.id === 'Enablement_EndUser_Assignment')!;
    const longer = expiration.maximumDuration === 'PT2H' ? 'PT4H' : 'PT2H';
    await io.send('PATCH', `/policies/roleManagementPolicies/${policy!.id}/rules/${expiration.id}`, { ...expiration, maximumDuration: longer });
    await io.send('PATCH', `/policies/roleManagementPolicies/${policy!.id}/rules/${enablement.id}`, { ...enablement, enabledRules: [] });
    const damaged = await readBackOf(emu, t.tenantId, join(dir, 'pim-rules-check'));
    const after = rulesOf((damaged.objects.roleManagementPolicy ?? []).find((p) => p.id === policy!.id)!);
    expect(after.find((r) => r.id === expiration.id)?.maximumDuration).toBe(longer);
    const objectIds = [policy!.id];

    // rules are a navigation, not an attribute: the attributes scenario refuses them (ATTRIBUTE_UNSUPPORTED); the objects scenario writes them
    const { r, findings, equal, unnamed } = await restoreAndReadBack(t, 'pim-rules', archive, archiveMeta, 'objects', { objectIds });
    expect(findings).toEqual([]);
    expect(equal).toBe(1);
    expect(unnamed).toEqual([]);
    expect(restoreComplete(r)).toBe(true);
  });

  it('attributes: a PIM role assignment\'s and a PIM for Groups eligibility\'s periods, changed by the attacker, come back by adminUpdate requests', { timeout: 300_000 }, async () => {
    // Graph documents only List and Get for the schedules: a change is an adminUpdate schedule request
    // (https://learn.microsoft.com/graph/api/resources/unifiedroleassignmentschedulerequest,
    // https://learn.microsoft.com/graph/api/resources/privilegedaccessgroupeligibilityschedulerequest; docs/graph-facts.md S386)
    const { t, archive, archiveMeta, io } = await backedUp(14, 'pim-periods');
    const role = (archive.objects.roleAssignmentSchedule ?? []).find((x) => (x.directoryScopeId ?? '/') === '/');
    const group = (archive.objects.pimGroupEligibilitySchedule ?? [])[0];
    expect(role).toBeDefined();
    expect(group).toBeDefined();
    const soon = { startDateTime: '2026-01-01T00:00:00Z', recurrence: null, expiration: { type: 'afterDateTime', endDateTime: '2026-12-31T00:00:00Z', duration: null } };
    await io.send('POST', '/roleManagement/directory/roleAssignmentScheduleRequests', { action: 'adminUpdate', principalId: role!.principalId, roleDefinitionId: role!.roleDefinitionId, directoryScopeId: '/', scheduleInfo: soon });
    await io.send('POST', '/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests', { action: 'adminUpdate', accessId: group!.accessId, principalId: group!.principalId, groupId: group!.groupId, scheduleInfo: soon });
    const objectIds = [role!.id, group!.id];

    const { r, findings, equal, unnamed } = await restoreAndReadBack(t, 'pim-periods', archive, archiveMeta, 'attributes', { objectIds, attributes: ['scheduleInfo'] });
    expect(findings).toEqual([]);
    expect(equal).toBe(objectIds.length);
    expect(unnamed).toEqual([]);
    expect(restoreComplete(r)).toBe(true);
    // two writes, both requests; no schedule was PATCHed (the emulator would have refused it, 405)
    expect(r.execution?.outcomes.filter((o) => o.outcome === 'updated').length).toBe(2);
  });

  it('attributes: the selected properties are back as archived, every other as it was', { timeout: 300_000 }, async () => {
    const { t, archive, archiveMeta, io } = await backedUp(1, 'attributes');
    const users = plainUsers(archive).slice(0, 4);
    const groups = plainGroups(archive).m365.slice(0, 2);
    expect(users).toHaveLength(4);
    // changed by the attacker: jobTitle, department and officeLocation, of which only the first two are restored
    for (const u of users) await io.send('PATCH', `/users/${u.id}`, { jobTitle: 'Changed', department: 'Nowhere', officeLocation: 'Elsewhere' });
    for (const g of groups) await io.send('PATCH', `/groups/${g.id}`, { description: 'Changed by the attacker' });
    const objectIds = [...users, ...groups].map((o) => o.id);
    const attributes = ['jobTitle', 'department', 'description'];

    const { r, live, findings, equal, unnamed } = await restoreAndReadBack(t, 'attributes', archive, archiveMeta, 'attributes', { objectIds, attributes });
    expect(findings).toEqual([]);
    expect(unnamed).toEqual([]);
    expect(equal).toBe(objectIds.length);
    // the unselected attribute stayed as the attacker left it
    const after = new Map((live.objects.user ?? []).map((u) => [u.id, u]));
    for (const u of users) expect(after.get(u.id)?.officeLocation).toBe('Elsewhere');
    expect(restoreComplete(r)).toBe(true);
  });

  it('every kind of write these restores sent is a request the v1.0 reference documents (vendor/graph-docs/documented-requests.json)', () => {
    expect(KINDS.size).toBeGreaterThan(0);
    expect(undocumentedOf(KINDS)).toEqual([]);
  });
});
