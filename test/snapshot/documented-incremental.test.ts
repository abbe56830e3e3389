/**
 * `backup --incremental` on a tenant the seed generator did not make: every documented v1.0 example
 * of the conformance suite is replayed into a small tenant (test/emulator/conformance/replay.ts), so
 * its conditional access policies, authentication strengths, access packages, workflows and role
 * assignments are shaped as Graph's reference pages show them. A chain starts with a full backup;
 * then objects the examples made are changed and deleted through plain Graph calls, and an
 * incremental backup follows. The chain composed at that point must equal a full backup taken at
 * the same moment, fact by fact (every object, every relation), as for the seeded tenant
 * (./incremental.test.ts). Delta and change-feed behaviour relied on: docs/graph-facts.md §5 "Delta".
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { loadSigningKey, type InitKeysResult } from '../../src/crypto/keys.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { createGraphClient } from '../../src/graph/index.js';
import { openArchiveForUse } from '../../src/ops/open-archive.js';
import { loadProfile } from '../../src/profile.js';
import { silentReporter } from '../../src/progress.js';
import { runBackup, type BackupResult } from '../../src/snapshot/backup.js';
import type { DirObject } from '../../src/model.js';
import { FakeClock, labOn, type Lab } from '../emulator/helpers.js';
import { replayAll, replayTenant } from '../emulator/conformance/replay.js';
import { newKeys, tmp } from './helpers.js';

const tenant = replayTenant();
const tid = tenant.tenantId;
let emu: EmulatorHandle;
let keys: InitKeysResult;
let vault: string;
let readerPath: string;
let L: Lab;

async function backup(incremental: boolean): Promise<BackupResult> {
  const graph = await createGraphClient(await loadProfile(readerPath), { clock: systemClock });
  return runBackup({
    graph, vaultDir: vault, recipients: [keys.recipient], signingKey: await loadSigningKey(keys.signingKeyPath),
    reporter: silentReporter, clock: systemClock, toolVersion: 'test', createVault: true, incremental,
  });
}

async function facts(archivePath: string): Promise<{ objects: unknown; relations: unknown }> {
  const { data } = await openArchiveForUse({ archivePath, identityPath: keys.identityPath, expectedTenantId: tid, via: 'cli', readOnly: true });
  return { objects: data.objects, relations: data.relations };
}

/** Objects of `type` in the full backup that the examples made (not in the seeded tenant). */
let made: (type: string) => DirObject[];

describe('backup --incremental of a tenant written by the documented examples', () => {
  let full: BackupResult;
  let inc: BackupResult;
  const changed: string[] = [];

  beforeAll(async () => {
    keys = await newKeys();
    const dir = tmp('ev-doc-incr-');
    vault = join(dir, 'vault');
    // the emulator on the real clock: the change feed (audit log) and the delta tokens are timed by it
    emu = await startEmulator({ port: 0, tenants: [tenant], clock: systemClock });
    readerPath = join(dir, 'r.json');
    await emu.writeProfiles(tid, { readerPath, writerPath: join(dir, 'w.json') });
    const seeded = new Set(Object.values(tenant.objects).flatMap((objs) => (objs ?? []).map((o) => o.id)));
    L = await labOn(emu, tenant, new FakeClock());
    const { writer } = L;
    await replayAll(L);
    full = await backup(true);
    const { data } = await openArchiveForUse({ archivePath: full.archivePath, identityPath: keys.identityPath, expectedTenantId: tid, via: 'cli', readOnly: true });
    made = (type) => ((data.objects as Record<string, DirObject[] | undefined>)[type] ?? []).filter((o) => !seeded.has(o.id));
    // the churn, through plain Graph calls on what the examples made
    const write = async (method: string, path: string, body?: unknown) => {
      const r = await writer(method, path, body);
      expect(r.status, `${method} ${path}: ${JSON.stringify(r.json)}`).toBeLessThan(300);
      changed.push(`${method} ${path}`);
    };
    // The examples' policies name a group a later example deleted. Graph keeps such stale ids in a
    // policy (what Maester's MT.1038 looks for); whether it takes a PATCH of such a policy is not
    // documented, and the emulator refuses it (it checks the whole policy it would store). So one
    // of them is deleted, and the first policy that takes a PATCH (a seeded one) is changed.
    const policies = made('conditionalAccessPolicy');
    const all = ((data.objects as Record<string, DirObject[] | undefined>)['conditionalAccessPolicy'] ?? []).filter((p) => p !== policies[0]);
    let ca1: DirObject | undefined;
    for (const p of all) {
      if ((await writer('PATCH', `/identity/conditionalAccess/policies/${p.id}`, { displayName: 'Changed after the full backup' })).status < 300) {
        ca1 = p;
        changed.push(`PATCH ${p.id}`);
        break;
      }
    }
    expect(ca1).toBeDefined();
    await write('DELETE', `/identity/conditionalAccess/policies/${policies[0]!.id}`);
    // an object the examples made where one is left, else one of the seeded tenant's
    const pick = (type: string): DirObject => made(type)[0] ?? ((data.objects as Record<string, DirObject[] | undefined>)[type] ?? [])[0]!;
    const wf = pick('lifecycleWorkflow');
    await write('PATCH', `/identityGovernance/lifecycleWorkflows/workflows/${wf!.id}`, { description: 'Changed after the full backup' });
    const pkg = pick('accessPackage');
    await write('PATCH', `/identityGovernance/entitlementManagement/accessPackages/${pkg!.id}`, { description: 'Changed after the full backup' });
    const strength = made('authenticationStrengthPolicy').find((p) => p['policyType'] === 'custom') ?? pick('authenticationStrengthPolicy');
    await write('PATCH', `/policies/authenticationStrengthPolicies/${strength!.id}`, { displayName: 'Changed strength' });
    const loc = pick('namedLocation');
    await write('PATCH', `/identity/conditionalAccess/namedLocations/${loc!.id}`, { '@odata.type': String(loc!['@odata.type']), displayName: 'Changed location' });
    inc = await backup(true);
  }, 120_000);

  afterAll(async () => {
    await emu?.close();
  });

  it('composes at its incremental point to the facts of a full backup taken at the same moment', async () => {
    expect(full.kind).toBe('full');
    expect(inc.kind).toBe('incremental');
    expect(changed.length).toBe(6);
    const now = await backup(false);
    expect(now.kind).toBe('full');
    const [a, b] = [await facts(inc.archivePath), await facts(now.archivePath)];
    // compared type by type, so a difference names its type
    const objs = (f: { objects: unknown }) => f.objects as Record<string, DirObject[]>;
    for (const t of new Set([...Object.keys(objs(a)), ...Object.keys(objs(b))])) expect(objs(a)[t], t).toEqual(objs(b)[t]);
    expect(a.relations).toEqual(b.relations);
    // and the churn is in it: the chain differs from its full base in each changed type
    const before = objs(await facts(full.archivePath));
    for (const t of ['conditionalAccessPolicy', 'lifecycleWorkflow', 'accessPackage', 'authenticationStrengthPolicy', 'namedLocation']) expect(objs(a)[t], t).not.toEqual(before[t]);
    expect(JSON.stringify(objs(a)['lifecycleWorkflow'])).toContain('Changed after the full backup');
  });
});
