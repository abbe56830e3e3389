/**
 * Issue 11, role items, as emulator round trips: the source tenant is changed through
 * plain Graph calls (not the seed generator), backed up through the real pipeline,
 * restored into an empty tenant, and the result is read back through Graph.
 * - item 2: a custom role created with an explicit templateId (Graph "Create
 *   unifiedRoleDefinition", https://learn.microsoft.com/graph/api/rbacapplication-post-roledefinitions;
 *   templateId "can be set when isBuiltIn is false",
 *   https://learn.microsoft.com/en-us/graph/api/resources/unifiedroledefinition) has
 *   id ≠ templateId; its assignments and PIM eligibilities must follow the recreated role.
 * - item 4: the lost tenant's `admin@<initial domain>` Global Administrator and the new
 *   tenant's own initial admin share the UPN after the domain remap; the target's admin
 *   is never changed, the archived one is restored as itself.
 * - item 7: a disabled CA policy whose group is not in the archive comes back disabled
 *   (an enabled one with the same loss stays report-only).
 * - item 8: a scoped role member's roleId is the tenant's directoryRole object id (Graph
 *   "Activate directoryRole", https://learn.microsoft.com/en-us/graph/api/directoryrole-post-directoryroles:
 *   a role must be activated from its template before members are assigned to it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import type { GraphClient } from '../../src/graph/types.js';
import type { TenantData } from '../../src/model.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import type { ArchiveMeta } from '../../src/ops/restore-pipeline.js';
import { runRestore } from '../../src/ops/restore.js';
import { backupOf, writerOf } from './emulator-fixture.js';

interface Obj { id: string; [k: string]: unknown }

let dir: string;
let emu: EmulatorHandle;
let source: SeededTenant;
const targets: SeededTenant[] = [];
let archive: TenantData;
let archiveMeta: ArchiveMeta;
const CUSTOM_ROLE = 'Issue11 Explicit Template Role';
const TEMPLATE_ID = '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
let assignee = '';
let eligible = '';
let runs = 0;
const LOST_ADMIN = 'Lost Tenant Admin';
const GA = '62e90394-69f5-4237-9190-012177145e10';

async function all(g: GraphClient, path: string): Promise<Obj[]> {
  const out: Obj[] = [];
  for await (const o of g.list<Obj>(path)) out.push(o);
  return out;
}

/** The tenant's user whose mailNickname is `nick`. */
async function userByNick(g: GraphClient, nick: string): Promise<Obj> {
  const u = (await all(g, '/users?$select=id,mailNickname,userPrincipalName')).find((x) => x['mailNickname'] === nick);
  if (!u) throw new Error(`no user ${nick}`);
  return u;
}

async function restoreInto(t: SeededTenant, data: TenantData = archive) {
  const { graph } = await writerOf(emu, t.tenantId, dir);
  const r = await runRestore({
    archive: data, archiveMeta, graph, targetTenantId: t.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: t.tenantId,
    journalPath: join(dir, `${t.tenantId}-${++runs}.journal`), credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
  });
  return { r, graph };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ev-issue11-roles-'));
  source = seedTenant({ seed: 1111, users: 12 });
  for (let i = 0; i < 5; i++) targets.push(emptyTenant({ seed: 1200 + i }));
  emu = await startEmulator({ port: 0, tenants: [source, ...targets] });
  const { graph: src } = await writerOf(emu, source.tenantId, dir);
  const users = (await all(src, '/users?$select=id,mailNickname,userType,accountEnabled'))
    .filter((u) => u['userType'] === 'Member' && u['accountEnabled'] === true && typeof u['mailNickname'] === 'string')
    .sort((a, b) => String(a['mailNickname']).localeCompare(String(b['mailNickname'])));
  const [a, b] = users.slice(-2);
  if (!a || !b) throw new Error('seed has too few users');
  assignee = String(a['mailNickname']);
  eligible = String(b['mailNickname']);
  const role = await src.post<Obj>('/roleManagement/directory/roleDefinitions', {
    displayName: CUSTOM_ROLE, description: 'custom role with an explicit templateId', isEnabled: true, templateId: TEMPLATE_ID,
    rolePermissions: [{ allowedResourceActions: ['microsoft.directory/users/basic/update'] }],
  });
  await src.post('/roleManagement/directory/roleAssignments', { principalId: a.id, roleDefinitionId: role.id, directoryScopeId: '/' });
  await src.post('/roleManagement/directory/roleEligibilityScheduleRequests', {
    action: 'adminAssign', principalId: b.id, roleDefinitionId: role.id, directoryScopeId: '/', justification: 'issue 11',
    scheduleInfo: { startDateTime: '2026-01-01T00:00:00Z', expiration: { type: 'noExpiration' } },
  });
  const lost = await src.post<Obj>('/users', {
    accountEnabled: true, displayName: LOST_ADMIN, mailNickname: 'admin', userPrincipalName: `admin@${source.initialDomain}`,
    jobTitle: 'Founder', passwordProfile: { forceChangePasswordNextSignIn: true, password: 'Xy!9-long-enough-Pa55' },
  });
  await src.post('/roleManagement/directory/roleAssignments', { principalId: lost.id, roleDefinitionId: GA, directoryScopeId: '/' });
  const lostGroup = await src.post<Obj>('/groups', { displayName: 'Issue11 Lost Group', mailEnabled: false, mailNickname: 'issue11lost', securityEnabled: true });
  for (const [name, state] of [['Issue11 Disabled', 'disabled'], ['Issue11 Enabled', 'enabled']] as const) {
    await src.post('/identity/conditionalAccess/policies', {
      displayName: name, state,
      conditions: { users: { includeGroups: [lostGroup.id] }, applications: { includeApplications: ['All'] } },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
  }
  ({ archive, archiveMeta } = await backupOf(emu, source.tenantId, dir));
}, 60_000);

afterAll(async () => {
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** `AU name → sorted "template|member display name"` of a tenant's scoped role members, read through Graph. */
async function scopedMembers(g: GraphClient): Promise<Record<string, string[]>> {
  const roles = new Map((await all(g, '/directoryRoles')).map((r) => [r.id, String(r['roleTemplateId'])]));
  const out: Record<string, string[]> = {};
  for (const au of await all(g, '/directory/administrativeUnits')) {
    const members = await all(g, `/directory/administrativeUnits/${au.id}/scopedRoleMembers`);
    if (members.length === 0) continue;
    out[String(au['displayName'])] = members.map((m) => {
      const template = roles.get(String(m['roleId']));
      if (!template) throw new Error(`scoped role member ${m.id}: roleId ${String(m['roleId'])} is not a directoryRole of the tenant`);
      return `${template}|${String((m['roleMemberInfo'] as { displayName?: string }).displayName)}`;
    }).sort();
  }
  return out;
}

describe('issue 11: roles survive a tenant-loss restore', () => {
  it('the emulator refuses a role template id as a scoped role member\'s roleId, as Graph does, and activates roles from templates', async () => {
    const t = targets[2]!;
    const { graph } = await writerOf(emu, t.tenantId, dir);
    const au = await graph.post<Obj>('/directory/administrativeUnits', { displayName: 'Issue11 AU' });
    const user = (await all(graph, '/users'))[0]!;
    const HELPDESK = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
    await expect(graph.post(`/directory/administrativeUnits/${au.id}/scopedRoleMembers`, { roleId: HELPDESK, roleMemberInfo: { id: user.id } }))
      .rejects.toMatchObject({ code: 'GRAPH_NOT_FOUND' });
    const role = await graph.post<Obj>('/directoryRoles', { roleTemplateId: HELPDESK });
    expect(role.id).not.toBe(HELPDESK);
    expect(role['roleTemplateId']).toBe(HELPDESK);
    await graph.post(`/directory/administrativeUnits/${au.id}/scopedRoleMembers`, { roleId: role.id, roleMemberInfo: { id: user.id } });
    expect((await all(graph, '/directoryRoles')).map((r) => r.id)).toContain(role.id);
  });

  it('item 7: a disabled CA policy with an unresolvable group stays disabled; an enabled one stays report-only', async () => {
    // the group is not in the archive (lost before the backup, say): its reference cannot resolve
    const data = JSON.parse(JSON.stringify(archive)) as TenantData;
    data.objects.group = (data.objects.group ?? []).filter((g) => g['displayName'] !== 'Issue11 Lost Group');
    const t = targets[4]!;
    const { r, graph } = await restoreInto(t, data);
    expect(r.execution?.failures).toEqual([]);
    const policies = await all(graph, '/identity/conditionalAccess/policies');
    const state = (name: string) => policies.filter((p) => p['displayName'] === name).map((p) => p['state']);
    expect(state('Issue11 Disabled')).toEqual(['disabled']);
    expect(state('Issue11 Enabled')).toEqual(['enabledForReportingButNotEnforced']);
    expect(r.plan.reportOnly.map((x) => x.displayName)).toEqual(expect.arrayContaining(['Issue11 Enabled']));
    expect(r.plan.reportOnly.map((x) => x.displayName)).not.toContain('Issue11 Disabled');
    // the dropped reference is a reported deviation, never a silent loss
    const dev = r.fidelity?.deviations.filter((x) => x.displayName === 'Issue11 Disabled') ?? [];
    expect(dev).toContainEqual(expect.objectContaining({ what: 'attributeDiffers', property: 'conditions', reason: expect.stringContaining('dropped') }));
  }, 90_000);

  it('item 8: scoped role members come back on the target\'s activated directoryRole ids, same templates and members', async () => {
    const { graph: src } = await writerOf(emu, source.tenantId, dir);
    const expected = await scopedMembers(src);
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    const t = targets[3]!;
    const { r, graph } = await restoreInto(t);
    expect(r.execution?.failures).toEqual([]);
    expect(await scopedMembers(graph)).toEqual(expected);
    // a second run finds them all: nothing left to write
    const again = await restoreInto(t);
    expect(again.r.execution?.failures).toEqual([]);
    expect(again.r.plan.operations.filter((o) => o.kind === 'create' && o.type === 'scopedRoleMembership')).toEqual([]);
  }, 90_000);

  it('the emulator keeps a POSTed templateId (id differs), and names the role by its id otherwise', async () => {
    const { graph: src } = await writerOf(emu, source.tenantId, dir);
    const defs = await all(src, '/roleManagement/directory/roleDefinitions');
    const explicit = defs.find((d) => d['displayName'] === CUSTOM_ROLE);
    expect(explicit?.['templateId']).toBe(TEMPLATE_ID);
    expect(explicit?.id).not.toBe(TEMPLATE_ID);
    const plain = await src.post<Obj>('/roleManagement/directory/roleDefinitions', {
      displayName: 'Issue11 Plain Role', isEnabled: true, rolePermissions: [{ allowedResourceActions: ['microsoft.directory/users/basic/update'] }],
    });
    expect(plain['templateId']).toBe(plain.id);
    await src.delete(`/roleManagement/directory/roleDefinitions/${plain.id}`);
  });

  it('item 2: assignments and eligibilities of a recreated custom role (templateId ≠ id) point at the live role', async () => {
    const t = targets[0]!;
    const { r, graph } = await restoreInto(t);
    expect(r.execution?.failures).toEqual([]);
    const live = (await all(graph, '/roleManagement/directory/roleDefinitions')).find((d) => d['displayName'] === CUSTOM_ROLE);
    expect(live?.['templateId']).toBe(TEMPLATE_ID);
    const a = await userByNick(graph, assignee);
    const b = await userByNick(graph, eligible);
    const assignments = await all(graph, '/roleManagement/directory/roleAssignments');
    expect(assignments.filter((x) => x['principalId'] === a.id && x['roleDefinitionId'] === live?.id)).toHaveLength(1);
    const eligibilities = await all(graph, '/roleManagement/directory/roleEligibilitySchedules');
    expect(eligibilities.filter((x) => x['principalId'] === b.id && x['roleDefinitionId'] === live?.id)).toHaveLength(1);
  }, 90_000);

  it("item 4: the target's own initial admin is never changed; the archived admin comes back as itself and holds GA", async () => {
    const t = targets[1]!;
    const { graph: before } = await writerOf(emu, t.tenantId, dir);
    const select = '$select=id,displayName,userPrincipalName,jobTitle,mailNickname,identities,givenName,surname';
    const own = (await all(before, `/users?${select}`)).find((u) => String(u['userPrincipalName']).startsWith('admin@'));
    expect(own).toBeDefined();
    const snapshot = await before.get<Obj>(`/users/${own!.id}?${select}`);
    const { r, graph } = await restoreInto(t);
    expect(r.execution?.failures).toEqual([]);
    expect(await graph.get<Obj>(`/users/${own!.id}?${select}`)).toEqual(snapshot);
    const restored = (await all(graph, `/users?${select}`)).filter((u) => u['displayName'] === LOST_ADMIN);
    expect(restored).toHaveLength(1);
    expect(restored[0]!['userPrincipalName']).toBe(`admin-${source.initialDomain.split('.')[0]}@${t.initialDomain}`);
    expect(restored[0]!['jobTitle']).toBe('Founder');
    const ga = (await all(graph, '/roleManagement/directory/roleAssignments')).filter((x) => x['roleDefinitionId'] === GA);
    expect(ga.map((x) => x['principalId'])).toEqual(expect.arrayContaining([own!.id, restored[0]!.id]));
    expect(r.plan.warnings.some((w) => w.includes(LOST_ADMIN) && w.includes('never changed'))).toBe(true);
  }, 90_000);
});
