/**
 * Issue 11 item 1 against the emulator, through the real backup and restore pipeline:
 * custom security attribute VALUES on users are archived and restored (they were excluded
 * and lost silently), read back through Graph after the restore. Reading them needs
 * CustomSecAttributeAssignment.Read.All and writing them CustomSecAttributeAssignment.ReadWrite.All,
 * which Directory.* does not include ("Assign, update, list, or remove custom security
 * attributes using the Microsoft Graph API",
 * https://learn.microsoft.com/graph/custom-security-attributes-examples): the emulator refuses
 * both without them (403).
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import type { Json, TenantData } from '../../src/model.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import type { ArchiveMeta, RunRestoreResult } from '../../src/ops/restore-pipeline.js';
import { runRestore } from '../../src/ops/restore.js';
import { BACKUP_READER_PERMISSIONS, RESTORE_WRITER_PERMISSIONS } from '../../src/catalog/permissions.js';
import { backupOf, writerOf } from './emulator-fixture.js';

let dir: string;
let emu: EmulatorHandle;
let source: SeededTenant;
let target: SeededTenant;
let archive: TenantData;
let archiveMeta: ArchiveMeta;
let r: RunRestoreResult;

function users0(list: readonly { id: string }[] | undefined): string {
  return String(list?.[0]?.id);
}

/** UPN → its custom security attribute values, for the users that have any. */
function valuesByUpn(users: readonly Record<string, Json>[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const u of users) {
    const v = u['customSecurityAttributes'];
    if (v && typeof v === 'object' && Object.keys(v).length > 0) out.set(String(u['userPrincipalName']).split('@')[0]!.toLowerCase(), JSON.stringify(v));
  }
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ev-issue11-csa-'));
  await mkdir(join(dir, 'admin'));
  await mkdir(join(dir, 'without'));
  source = seedTenant({ seed: 13, users: 60 });
  target = emptyTenant({ seed: 613 });
  emu = await startEmulator({ port: 0, tenants: [source, target] });
  ({ archive, archiveMeta } = await backupOf(emu, source.tenantId, dir));
  const { graph } = await writerOf(emu, target.tenantId, dir);
  r = await runRestore({
    archive, archiveMeta, graph, targetTenantId: target.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: target.tenantId,
    journalPath: join(dir, 'restore.journal'), credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
  });
}, 120_000);

afterAll(async () => {
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('custom security attribute values (issue 11 item 1)', () => {
  it('the reader and writer permission sets hold the assignment permissions', () => {
    expect(BACKUP_READER_PERMISSIONS).toContain('CustomSecAttributeAssignment.Read.All');
    expect(RESTORE_WRITER_PERMISSIONS).toContain('CustomSecAttributeAssignment.ReadWrite.All');
  });

  it('are archived, restored, and read back through Graph equal to the source', async () => {
    // users synced from on-premises AD come back through directory sync, not Graph (a manual step)
    const archived = valuesByUpn((archive.objects.user ?? []).filter((u) => u['onPremisesSyncEnabled'] !== true));
    expect(archived.size).toBeGreaterThan(0);
    expect(r.execution?.failures).toEqual([]);
    // read back through Graph with the writer's own token (it holds ReadWrite.All)
    const { graph } = await writerOf(emu, target.tenantId, dir);
    const users: Record<string, Json>[] = [];
    for await (const u of graph.list<Record<string, Json>>('/users?$select=id,userPrincipalName,customSecurityAttributes')) users.push(u);
    const restored = valuesByUpn(users);
    for (const [upn, v] of archived) expect(restored.get(upn), upn).toBe(v);
    // and fidelity counts them: no deviation names the property
    expect((r.fidelity?.deviations ?? []).filter((d) => d.property === 'customSecurityAttributes')).toEqual([]);
  });

  it('the emulator refuses reading and writing the values without the assignment permissions (403)', async () => {
    // take both assignment permissions away from the target's writer app, through Graph
    const { graph: admin, profilePath } = await writerOf(emu, target.tenantId, join(dir, 'admin'));
    const clientId = (JSON.parse(await readFile(profilePath, 'utf8')) as { clientId: string }).clientId;
    const sps: Record<string, Json>[] = [];
    for await (const sp of admin.list<Record<string, Json>>(`/servicePrincipals?$filter=appId eq '${clientId}'`)) sps.push(sp);
    const spId = String(sps[0]?.['id']);
    const graphSp: Record<string, Json>[] = [];
    for await (const sp of admin.list<Record<string, Json>>("/servicePrincipals?$filter=appId eq '00000003-0000-0000-c000-000000000000'")) graphSp.push(sp);
    const roleIds = new Map(((graphSp[0]?.['appRoles'] ?? []) as { id: string; value: string }[]).map((x) => [x.id, x.value]));
    for await (const a of admin.list<Record<string, Json>>(`/servicePrincipals/${spId}/appRoleAssignments`)) {
      if (String(roleIds.get(String(a['appRoleId']))).startsWith('CustomSecAttributeAssignment.')) await admin.delete(`/servicePrincipals/${spId}/appRoleAssignments/${String(a['id'])}`);
    }
    // a fresh client (a fresh token) without them
    const { graph: without } = await writerOf(emu, target.tenantId, join(dir, 'without'));
    await expect((async () => {
      for await (const _ of without.list('/users?$select=id,customSecurityAttributes')) break;
    })()).rejects.toMatchObject({ status: 403 });
    const someone = users0(emu.tenant(target.tenantId).exportState().data.objects.user);
    await expect(without.patch(`/users/${someone}`, { customSecurityAttributes: { Engineering: { '@odata.type': '#Microsoft.DirectoryServices.CustomSecurityAttributeValue', Project: 'Alpine' } } })).rejects.toMatchObject({ status: 403 });
    // the other properties stay readable with Directory.Read.All
    for await (const _ of without.list('/users?$select=id,displayName')) break;
  });
});
