/**
 * `npm run bench -- kill-resume --users 10000 --apps 3 [--throttle] [--kill-at 0.5]` (issue 17 item 3:
 * "zero duplicates after a kill and resume"): one seeded tenant backed up, then restored
 * (tenant loss) twice through N recovery apps of two fresh targets in one emulator:
 * - the reference: one uninterrupted run;
 * - the crash run: a child process (test/ops/emulator-restore-child.ts) is killed with SIGKILL
 *   right after the journal record of operation k = kill-at × the plan's operations, then the
 *   restore is resumed in this process from its journal and stored plan.
 * The two end states are compared by natural keys, ids aside (test/ops/emulator-fixture.ts
 * `naturalState`, the comparison test/ops/sharded-restore.test.ts makes at 30 users): a
 * duplicate is a natural key the crash target holds more often than the reference. Prints one
 * JSON line; asserts nothing.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../src/emulator/index.js';
import { withRecoveryApps } from '../src/emulator/recovery-apps.js';
import { emptyTenant, seedTenant } from '../src/emulator/seed/index.js';
import type { SeededTenant } from '../src/emulator/seed/types.js';
import { createGraphClientForApps } from '../src/graph/index.js';
import { loadProfile } from '../src/profile.js';
import { silentReporter } from '../src/progress.js';
import { MemoryCredentialsSink } from '../src/restore/credentials.js';
import { runRestore } from '../src/ops/restore.js';
import { backupOf, naturalState, operatorKey, recoveryWriterProfiles, withoutRecoveryApps as ownApps, type ChildInput } from '../test/ops/emulator-fixture.js';

const CHILD = join(process.cwd(), 'test', 'ops', 'emulator-restore-child.ts');

function counts(lines: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
}

export async function benchKillResume(users: number, o: { apps: number; throttle: boolean; killAt: number }): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ev-bench-kr-'));
  const source = seedTenant({ seed: 1, users });
  const ref = withRecoveryApps(emptyTenant({ seed: 2 }), o.apps - 1);
  const crash = withRecoveryApps(emptyTenant({ seed: 3 }), o.apps - 1);
  const emu = await startEmulator({ port: 0, tenants: [source, ref, crash] });
  try {
    const { archive, archiveMeta } = await backupOf(emu, source.tenantId, dir);
    for (const t of [ref, crash]) if (o.throttle) emu.tenant(t.tenantId).setFaults({ throttle: { enabled: true } });
    const restoreOf = async (t: SeededTenant, paths: string[], journalPath: string, resume?: { identity: string; recipient: string }) => runRestore({
      archive, archiveMeta, graph: await createGraphClientForApps(await Promise.all(paths.map((p) => loadProfile(p))), { reporter: silentReporter }),
      targetTenantId: t.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: t.tenantId, journalPath,
      ...(resume ? { resume: true, operatorIdentity: resume.identity, credentialsRecipient: resume.recipient } : {}),
      credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
    });

    let t0 = performance.now();
    const whole = await restoreOf(ref, await recoveryWriterProfiles(emu, ref.tenantId, dir, 'ref', o.apps), join(dir, 'ref.journal'));
    const referenceSeconds = (performance.now() - t0) / 1000;
    const operations = whole.plan.operations.length;
    const reference = ownApps(naturalState(emu.tenant(ref.tenantId).exportState()));

    const paths = await recoveryWriterProfiles(emu, crash.tenantId, dir, 'crash', o.apps);
    const key = await operatorKey();
    const k = Math.max(1, Math.floor(operations * o.killAt));
    const input: ChildInput = { archive, archiveMeta, profilePath: paths[0]!, profilePaths: paths, journalPath: join(dir, 'crash.journal'), recipient: key.recipient, identity: key.identity, k };
    const inputPath = join(dir, 'crash-input.json');
    await writeFile(inputPath, JSON.stringify(input));
    t0 = performance.now();
    const signal = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
      const c = spawn(process.execPath, ['--import', 'tsx', CHILD, inputPath], { stdio: ['ignore', 'ignore', 'inherit'] });
      c.on('error', reject);
      c.on('exit', (_code, sig) => resolve(sig));
    });
    const killedAfterSeconds = (performance.now() - t0) / 1000;
    const atKill = ownApps(naturalState(emu.tenant(crash.tenantId).exportState())).length;
    t0 = performance.now();
    const resumed = await restoreOf(crash, paths, input.journalPath, key);
    const resumeSeconds = (performance.now() - t0) / 1000;
    const after = ownApps(naturalState(emu.tenant(crash.tenantId).exportState()));

    const want = counts(reference);
    const got = counts(after);
    const duplicates = [...got].filter(([l, n]) => n > (want.get(l) ?? 0)).map(([l, n]) => `${l} ×${n - (want.get(l) ?? 0)}`);
    const missing = [...want].filter(([l, n]) => (got.get(l) ?? 0) < n).map(([l]) => l);
    console.log(JSON.stringify({
      bench: 'kill-resume', users, apps: o.apps, throttle: o.throttle, operations, killedAfterOperation: k, childSignal: signal,
      referenceSeconds: +referenceSeconds.toFixed(1), killedAfterSeconds: +killedAfterSeconds.toFixed(1), resumeSeconds: +resumeSeconds.toFixed(1),
      naturalKeys: { reference: reference.length, atKill, afterResume: after.length },
      duplicates: duplicates.length, missing: missing.length, identical: duplicates.length === 0 && missing.length === 0,
      ...(duplicates.length > 0 ? { firstDuplicates: duplicates.slice(0, 5) } : {}), ...(missing.length > 0 ? { firstMissing: missing.slice(0, 5) } : {}),
      failures: { reference: whole.execution?.failures.length, resumed: resumed.execution?.failures.length },
      writesByApp: emu.tenant(crash.tenantId).stats().admittedWritesByApp,
    }));
  } finally {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  }
}
