import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLOBAL_ADMIN_TEMPLATE_ID } from '../../src/catalog/permissions.js';
import { startEmulator } from '../../src/emulator/index.js';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { loadProfile } from '../../src/profile.js';
import { client, lab, token } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emu-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('emulator state and drill controls', () => {
  it('keeps a tenant across restarts through the state file', async () => {
    const t = seedTenant({ seed: 21, users: 20 });
    const stateFile = join(dir, 'state.json');
    const L = await lab(t, undefined, stateFile);
    const g = await L.writer('POST', '/groups', { displayName: 'persisted', mailEnabled: false, mailNickname: 'persisted', securityEnabled: true });
    expect(g.status).toBe(201);
    const victim = t.objects.user!.find((u) => !u.onPremisesSyncEnabled)!;
    expect((await L.writer('DELETE', `/users/${victim.id}`)).status).toBe(204);
    await L.emu.close();
    expect((await stat(stateFile)).mode & 0o777).toBe(0o600);
    const emu2 = await startEmulator({ tenants: [t], stateFile });
    try {
      const w = client(emu2, await token(emu2, t, 'restoreWriter'));
      expect((await w('GET', `/groups/${g.json.id}`)).json.displayName).toBe('persisted');
      expect((await w('GET', `/users/${victim.id}`)).status).toBe(404);
      const bin = await w('GET', '/directory/deletedItems/microsoft.graph.user');
      expect(bin.json.value.map((u: { id: string }) => u.id)).toContain(victim.id);
    } finally {
      await emu2.close();
    }
  });

  it('writes reader and writer profiles with mode 0600 that load as emulator profiles', async () => {
    const t = seedTenant({ seed: 22, users: 10 });
    const emu = await startEmulator({ tenants: [t] });
    try {
      const readerPath = join(dir, 'reader.json');
      const writerPath = join(dir, 'writer.json');
      await emu.writeProfiles(t.tenantId, { readerPath, writerPath });
      for (const p of [readerPath, writerPath]) expect((await stat(p)).mode & 0o777).toBe(0o600);
      const reader = await loadProfile(readerPath);
      const writer = await loadProfile(writerPath);
      expect(reader.clientId).toBe(t.credentials.find((c) => c.role === 'backupReader')!.clientId);
      expect(writer.clientId).toBe(t.credentials.find((c) => c.role === 'restoreWriter')!.clientId);
      expect(reader.graphBaseUrl).toBe(emu.graphBaseUrl);
      expect(reader.authorityHost).toBe(emu.url);
      expect(reader.emulator).toBe(true);
    } finally {
      await emu.close();
    }
  });

  it('deleteAllAdmins removes every privileged holder; some stay restorable, half are purged', async () => {
    const t = seedTenant({ seed: 23, users: 30 });
    const L = await lab(t);
    try {
      const c = L.emu.tenant(t.tenantId);
      const report = c.damage('deleteAllAdmins');
      expect(report.softDeleted.length).toBeGreaterThan(1);
      const state = c.exportState();
      const gaLeft = (state.data.objects.roleAssignment ?? []).filter((a) => a.roleDefinitionId === GLOBAL_ADMIN_TEMPLATE_ID);
      expect(gaLeft.filter((a) => state.data.objects.user!.some((u) => u.id === a.principalId))).toEqual([]);
      const binned = (state.deleted.user ?? []).map((u) => u.id);
      const purged = report.softDeleted.filter((id) => !binned.includes(id));
      expect(purged.length).toBe(Math.floor(report.softDeleted.length / 2));
      // the break-glass path: an app with RoleManagement.ReadWrite.Directory makes a new GA
      const restored = report.softDeleted.find((id) => binned.includes(id))!;
      expect((await L.writer('POST', `/directory/deletedItems/${restored}/restore`)).status).toBe(200);
      const ga = await L.writer('POST', '/roleManagement/directory/roleAssignments', {
        principalId: restored, roleDefinitionId: GLOBAL_ADMIN_TEMPLATE_ID, directoryScopeId: '/',
      });
      expect(ga.status).toBe(201);
    } finally {
      await L.emu.close();
    }
  });

  it('hardDeleteSecurityGroups, wipePolicies and purgeRecycleBin leave what Graph would', async () => {
    const t = seedTenant({ seed: 24, users: 30 });
    const L = await lab(t);
    try {
      const c = L.emu.tenant(t.tenantId);
      c.damage('hardDeleteSecurityGroups');
      let s = c.exportState();
      expect(s.data.objects.group!.every((g) => (g.groupTypes as string[]).includes('Unified'))).toBe(true);
      c.damage('wipePolicies');
      s = c.exportState();
      expect(s.data.objects.conditionalAccessPolicy ?? []).toEqual([]);
      expect(s.deleted.conditionalAccessPolicy!.length).toBe(t.objects.conditionalAccessPolicy!.length);
      expect((await L.reader('GET', '/identity/conditionalAccess/deletedItems/namedLocations')).json.value.length).toBe(t.objects.namedLocation!.length);
      c.damage('purgeRecycleBin');
      s = c.exportState();
      expect(Object.values(s.deleted).flat()).toEqual([]);
    } finally {
      await L.emu.close();
    }
  });

  it('directory sync recreates lost on-premises objects with new ids and the same anchors', async () => {
    const t = seedTenant({ seed: 25, users: 40 });
    const L = await lab(t);
    try {
      const c = L.emu.tenant(t.tenantId);
      const synced = t.objects.user!.filter((u) => t.onPremisesIds.includes(u.id) && u.onPremisesSyncEnabled === true);
      const [gone, binned] = [synced[0]!, synced[1]!];
      expect((await L.writer('DELETE', `/users/${gone.id}`)).status).toBe(204);
      expect((await L.writer('DELETE', `/directory/deletedItems/${gone.id}`)).status).toBe(204);
      expect((await L.writer('DELETE', `/users/${binned.id}`)).status).toBe(204);
      c.damage('hardDeleteSecurityGroups');
      const report = c.directorySync();
      const groupsBack = report.recreated.filter((r) => r.type === 'group');
      const syncedGroups = t.objects.group!.filter((g) => t.onPremisesIds.includes(g.id));
      expect(groupsBack.length).toBe(syncedGroups.length);
      for (const r of groupsBack) {
        const before = t.objects.group!.find((g) => g.id === r.oldId)!;
        const now = await L.reader('GET', `/groups/${r.newId}?$select=id,onPremisesSecurityIdentifier,onPremisesSyncEnabled,displayName`);
        expect(now.json.onPremisesSecurityIdentifier).toBe(before.onPremisesSecurityIdentifier);
        expect(now.json.onPremisesSyncEnabled).toBe(true);
        expect(r.newId).not.toBe(r.oldId);
      }
      // a purged synced user comes back as a new object with the same anchor; a binned one keeps its id
      const userBack = report.recreated.find((r) => r.oldId === gone.id)!;
      const u = await L.reader('GET', `/users/${userBack.newId}?$select=id,onPremisesImmutableId,userPrincipalName,usageLocation`);
      expect(u.json.onPremisesImmutableId).toBe(gone.onPremisesImmutableId);
      expect(u.json.userPrincipalName).toBe(gone.userPrincipalName);
      expect(u.json.usageLocation).toBeNull();
      expect(report.restored).toContain(binned.id);
      expect((await L.reader('GET', `/users/${binned.id}`)).status).toBe(200);
      expect(c.directorySync().recreated).toEqual([]);
    } finally {
      await L.emu.close();
    }
  });

  it('exports a deep, sorted copy that does not alias the live tenant', async () => {
    const t = seedTenant({ seed: 26, users: 10 });
    const L = await lab(t);
    try {
      const c = L.emu.tenant(t.tenantId);
      const a = c.exportState();
      const ids = a.data.objects.user!.map((u) => u.id);
      expect(ids).toEqual([...ids].sort());
      a.data.objects.user![0]!.displayName = 'mutated';
      expect(c.exportState().data.objects.user![0]!.displayName).not.toBe('mutated');
      expect(a.data.relations.groupMembers!.length).toBe(t.relations.groupMembers!.length);
      const u = t.objects.user!.find((x) => !x.onPremisesSyncEnabled)!;
      const before = u.jobTitle;
      await L.writer('PATCH', `/users/${u.id}`, { jobTitle: 'new title' });
      expect(u.jobTitle).toBe(before);
    } finally {
      await L.emu.close();
    }
  });

  it('loads a 10k-user tenant (figure printed, not asserted)', async () => {
    const t = seedTenant({ seed: 27, users: 10_000 });
    const start = performance.now();
    const emu = await startEmulator({ tenants: [t] });
    const loadMs = performance.now() - start;
    try {
      const w = client(emu, await token(emu, t, 'backupReader'));
      let url: string | undefined = '/users?$top=999&$select=id';
      let n = 0;
      const pageStart = performance.now();
      while (url) {
        const r = await w('GET', url);
        n += r.json.value.length;
        url = r.json['@odata.nextLink'];
      }
      console.log(`emulator: 10k-user tenant loaded in ${loadMs.toFixed(0)} ms; ${n} users paged in ${(performance.now() - pageStart).toFixed(0)} ms`);
      expect(n).toBe(t.objects.user!.length);
    } finally {
      await emu.close();
    }
  });
});
