/**
 * A restore through several recovery apps of one tenant (issue 17 item 3, src/graph/shard.ts):
 * the writes spread over every app, the end state is the single-app restore's (natural keys,
 * ids aside), and a SIGKILL mid-restore then a resume through the same apps leaves no
 * duplicate (docs/reliability.md 12).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { withRecoveryApps } from '../../src/emulator/recovery-apps.js';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import { createGraphClientForApps, ShardedGraphClient } from '../../src/graph/index.js';
import type { TenantData } from '../../src/model.js';
import { loadProfile } from '../../src/profile.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import type { ArchiveMeta } from '../../src/ops/restore-pipeline.js';
import { runRestore } from '../../src/ops/restore.js';
import { backupOf, naturalState, operatorKey, recoveryWriterProfiles, withoutRecoveryApps as ownApps, writerOf, type ChildInput } from './emulator-fixture.js';

const CHILD = join(process.cwd(), 'test', 'ops', 'emulator-restore-child.ts');
const APPS = 3;

let dir: string;
let emu: EmulatorHandle;
let single: SeededTenant;
let multi: SeededTenant;
let crash: SeededTenant;
let archive: TenantData;
let archiveMeta: ArchiveMeta;
let reference: string[];

const profilesOf = (t: SeededTenant, tag: string): Promise<string[]> => recoveryWriterProfiles(emu, t.tenantId, dir, tag, APPS);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ev-shard-'));
  const source = seedTenant({ seed: 61, users: 30 });
  single = emptyTenant({ seed: 62 });
  multi = withRecoveryApps(emptyTenant({ seed: 63 }), APPS - 1);
  crash = withRecoveryApps(emptyTenant({ seed: 64 }), APPS - 1);
  emu = await startEmulator({ port: 0, tenants: [source, single, multi, crash] });
  ({ archive, archiveMeta } = await backupOf(emu, source.tenantId, dir));
  const { graph } = await writerOf(emu, single.tenantId, dir);
  const r = await runRestore({
    archive, archiveMeta, graph, targetTenantId: single.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: single.tenantId,
    journalPath: join(dir, 'single.journal'), credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
  });
  expect(r.execution?.failures).toEqual([]);
  reference = ownApps(naturalState(emu.tenant(single.tenantId).exportState()));
}, 120_000);

afterAll(async () => {
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('restore through several recovery apps', () => {
  it('each app was provisioned with the writer\'s permissions and signs in on its own', async () => {
    const creds = multi.credentials.filter((c) => c.role === 'restoreWriter');
    expect(creds).toHaveLength(APPS);
    expect(new Set(creds.map((c) => c.clientId)).size).toBe(APPS);
  });

  it('spreads its writes over every app and ends in the single-app restore\'s state', async () => {
    const profiles = await Promise.all((await profilesOf(multi, 'multi')).map((p) => loadProfile(p)));
    const graph = await createGraphClientForApps(profiles, { reporter: silentReporter });
    expect(graph).toBeInstanceOf(ShardedGraphClient);
    const ctl = emu.tenant(multi.tenantId);
    ctl.resetStats();
    const r = await runRestore({
      archive, archiveMeta, graph, targetTenantId: multi.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: multi.tenantId,
      journalPath: join(dir, 'multi.journal'), credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
    });
    expect(r.execution?.failures).toEqual([]);
    const byApp = ctl.stats().admittedWritesByApp ?? {};
    expect(Object.keys(byApp).sort()).toEqual(profiles.map((p) => p.clientId).sort());
    const writes = Object.values(byApp);
    const total = writes.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(100);
    // spread, not all on one app: each carries at least a fifth of the writes
    for (const w of writes) expect(w).toBeGreaterThan(total / (APPS * 5 / 3) / 3);
    expect(ownApps(naturalState(ctl.exportState()))).toEqual(reference);
  }, 120_000);

  it('SIGKILL mid-restore through three apps, resume through them: the same state, zero duplicates', async () => {
    const profilePaths = await profilesOf(crash, 'crash');
    const key = await operatorKey();
    const k = 1 + (20261204 % 97);
    const input: ChildInput = { archive, archiveMeta, profilePath: profilePaths[0]!, profilePaths, journalPath: join(dir, 'crash.journal'), recipient: key.recipient, identity: key.identity, k };
    const inputPath = join(dir, 'crash-input.json');
    await writeFile(inputPath, JSON.stringify(input));
    const child = await new Promise<{ signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
      const c = spawn(process.execPath, ['--import', 'tsx', CHILD, inputPath], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      c.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
      const timer = setTimeout(() => c.kill('SIGTERM'), 120_000);
      c.on('error', reject);
      c.on('exit', (_code, signal) => { clearTimeout(timer); resolve({ signal, stderr }); });
    });
    expect(child.signal, `child (k=${k}): ${child.stderr}`).toBe('SIGKILL');
    expect(ownApps(naturalState(emu.tenant(crash.tenantId).exportState()))).not.toEqual(reference);
    const graph = await createGraphClientForApps(await Promise.all(profilePaths.map((p) => loadProfile(p))), { reporter: silentReporter });
    const resumed = await runRestore({
      archive, archiveMeta, graph, targetTenantId: crash.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: crash.tenantId,
      journalPath: input.journalPath, resume: true, operatorIdentity: key.identity, credentialsRecipient: key.recipient,
      credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
    });
    expect(resumed.execution?.failures, `k=${k}`).toEqual([]);
    // a duplicate would be a second line for the same natural key
    expect(ownApps(naturalState(emu.tenant(crash.tenantId).exportState())), `k=${k}`).toEqual(reference);
  }, 150_000);
});
