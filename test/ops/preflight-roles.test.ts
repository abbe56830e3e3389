/**
 * The preflight checks the recovery app's own directory roles (docs/graph-facts.md §4
 * "Sensitive actions"): Graph refuses an app-only caller without Privileged Authentication
 * Administrator when it restores, deletes or resets a user who holds an admin role, whatever
 * permissions it holds (https://learn.microsoft.com/graph/api/user-delete,
 * https://learn.microsoft.com/graph/api/resources/users "Who can update sensitive
 * attributes?"). A drill that passed without the role would fail in a real tenant, so the
 * preflight lists the role as missing, which blocks the restore.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLOBAL_ADMIN_TEMPLATE_ID, PRIVILEGED_AUTH_ADMIN_TEMPLATE_ID } from '../../src/catalog/permissions.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { emptyTenant } from '../../src/emulator/seed/index.js';
import { preflight } from '../../src/ops/preflight.js';
import { writerOf } from './emulator-fixture.js';

describe('preflight: the recovery app holds its directory roles', () => {
  let emu: EmulatorHandle;
  let dir: string;
  const t = emptyTenant({ seed: 94 });
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ev-preflight-roles-'));
    emu = await startEmulator({ port: 0, tenants: [t] });
  });
  afterAll(async () => {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists Privileged Authentication Administrator as missing when the app lacks it, and nothing once it holds Global Administrator', async () => {
    const { graph } = await writerOf(emu, t.tenantId, dir);
    const clientId = t.credentials.find((c) => c.role === 'restoreWriter')!.clientId;
    expect((await preflight(graph, t.tenantId, clientId, 'writer')).missing).toEqual([]);

    const sp = await graph.get<{ id: string }>(`/servicePrincipals(appId='${clientId}')?$select=id`);
    const mine = async () => {
      const out: { id: string; roleDefinitionId: string }[] = [];
      for await (const a of graph.list<{ id: string; roleDefinitionId: string }>(`/roleManagement/directory/roleAssignments?$filter=principalId eq '${sp.id}'`)) out.push(a);
      return out;
    };
    const paa = (await mine()).find((a) => a.roleDefinitionId === PRIVILEGED_AUTH_ADMIN_TEMPLATE_ID)!;
    await graph.delete(`/roleManagement/directory/roleAssignments/${paa.id}`);
    expect((await preflight(graph, t.tenantId, clientId, 'writer')).missing).toEqual(['Privileged Authentication Administrator role for the app (directory role on its service principal)']);

    // Global Administrator on the app covers every sensitive action
    await graph.post('/roleManagement/directory/roleAssignments', { principalId: sp.id, roleDefinitionId: GLOBAL_ADMIN_TEMPLATE_ID, directoryScopeId: '/' });
    expect((await preflight(graph, t.tenantId, clientId, 'writer')).missing).toEqual([]);
  });
});
