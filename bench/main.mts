/**
 * `npm run bench -- [backup|restore|drill|verify|incremental|client|kill-resume] [--users 1000,10000]`: prints figures, asserts nothing.
 * incremental: full backup vs `backup --incremental` after 1 % churn (bench/incremental.mts).
 * backup: objects/s, Graph requests per object, peak RSS, archive bytes per object.
 * verify: `entra-vault verify --read-data` (the built CLI, as an operator runs it) against
 * stock `age -d | gunzip | tar t` on the same archive, median of 5 runs each, wall and CPU
 * (user + system) with the load average (issue 17 item 5).
 * restore: plan time and restore objects/s (a tenant-loss drill per size), with and
 * without throttling (`--throttle`: the emulator's resource-unit bucket), or under any fault
 * mix the emulator takes (`--faults throttle429=0.3,lag=500,errors=0.05`, `--faults throttleFor=300`:
 * the same syntax as `entra-vault emulator --faults`; issue 13's figure at 1,000 users).
 * `restore --throttle --apps N`: the restore writes through N recovery apps of the target
 * (issue 17 item 3), with each app's own write bound and the tenant's (18,000 per 300 s).
 * `restore --scenario all-admins-deleted`: the same, and the time until the first Global
 * Administrator works again (issue 17 item 4: under 60 s whatever the tenant size); the bootstrap
 * phase alone at 100k: `npx tsx bench/bootstrap-phase.mts 100000`.
 * client: the built CLI's `backup` and tenant-loss `restore` as an operator runs them, each in
 * its own process against two emulator processes (source seeded, target empty), with the
 * client's own peak RSS (issue 17 item 1) and the restore's per-tier objects/s (item 2);
 * `--keep DIR`, `--cli PATH`, `--restore-runs N` (or `5,1`: per size), BENCH_CPU_PROF: bench/client.mts;
 * over two sizes a last line gives issue 17's ratios, each size's figures the median of its runs.
 * kill-resume: `--apps N [--throttle] [--kill-at F]`: a restore killed with SIGKILL after a
 * fraction F of its operations, resumed, against an uninterrupted one: duplicates and missing
 * natural keys (issue 17 item 3; bench/kill-resume.mts).
 */
import { execFileSync, fork } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../src/clock.js';
import { initKeys, loadSigningKey } from '../src/crypto/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { seedTenant } from '../src/emulator/seed/index.js';
import { createGraphClient } from '../src/graph/index.js';
import { loadProfile } from '../src/profile.js';
import { silentReporter } from '../src/progress.js';
import { runBackup } from '../src/snapshot/backup.js';
import { runDrill } from '../src/ops/drill.js';
import { parseFaults } from '../src/cli/commands/emulator.js';

const args = process.argv.slice(2);
const what = args.find((a) => !a.startsWith('--')) ?? 'backup';
const usersArg = args[args.indexOf('--users') + 1];
const sizes = args.includes('--users') && usersArg ? usersArg.split(',').map(Number) : what === 'backup' || what === 'verify' || what === 'client' || what === 'incremental' ? [1000, 10000] : [1000];
const throttle = args.includes('--throttle');
const faultsSpec = args.includes('--faults') ? args[args.indexOf('--faults') + 1] : undefined;
const faults = parseFaults(faultsSpec);
/** restore: `--scenario all-admins-deleted` measures the time to the first Global Administrator at scale. */
/** restore: `--apps N` writes through N recovery apps of the target tenant (issue 17 item 3). */
const apps = args.includes('--apps') ? Number(args[args.indexOf('--apps') + 1]) : 1;
const scenario = args.includes('--scenario') && args[args.indexOf('--scenario') + 1] === 'all-admins-deleted' ? 'all-admins-deleted' : 'tenant-loss';

let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);

interface ChildEmulator {
  url: string;
  tenantId: string;
  objects: number;
  childRssMiB: number;
  stats(): Promise<{ requests: number; ru: number; throttled: number }>;
  close(): Promise<void>;
}

/**
 * Seeds and serves the tenant from a child process (bench/backup-emulator.mts), so the
 * seed's memory is not in this process and peak RSS below is the backup's alone.
 */
async function childEmulator(users: number, profileOut: string): Promise<ChildEmulator> {
  const child = fork(fileURLToPath(new URL('./backup-emulator.mts', import.meta.url)), [String(users), profileOut, throttle ? 'throttle' : 'off'], {
    // BENCH_CPU_PROF=<dir>: the emulator child writes a V8 CPU profile there too (the parent
    // is profiled with `node --cpu-prof --cpu-prof-dir <dir> --import tsx bench/main.mts …`).
    execArgv: ['--import', 'tsx', '--max-old-space-size=8192', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [])],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ url: string; tenantId: string; objects: number; childRssMiB: number }>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)));
    });
    child.once('exit', (code) => reject(new Error(`bench emulator exited (${code}) before it was ready`)));
  });
  return {
    ...ready,
    stats: () =>
      new Promise((resolve) => {
        child.once('message', (m: { stats: { requests: number; ru: number; throttled: number } }) => resolve(m.stats));
        child.send({ op: 'stats' });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send({ op: 'close' });
      }),
  };
}

async function benchBackup(users: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ev-bench-'));
  try {
    const keys = await initKeys(join(dir, 'keys'), { x25519: true });
    const sk = await loadSigningKey(keys.signingKeyPath);
    const emu = await childEmulator(users, join(dir, 'r.json'));
    try {
      const graph = await createGraphClient(await loadProfile(join(dir, 'r.json')), { clock: systemClock });
      global.gc?.();
      const baseRss = process.memoryUsage().rss;
      peakRss = baseRss;
      const t0 = performance.now();
      const r = await runBackup({ graph, vaultDir: join(dir, 'vault'), recipients: [keys.recipient], signingKey: sk, reporter: silentReporter, clock: systemClock, toolVersion: 'bench', concurrency: 4, createVault: true });
      const secs = (performance.now() - t0) / 1000;
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      const objects = Object.entries(r.counts).filter(([k]) => k.startsWith('objects/')).reduce((a, [, n]) => a + n, 0);
      const relations = Object.entries(r.counts).filter(([k]) => k.startsWith('relations/')).reduce((a, [, n]) => a + n, 0);
      const st = await emu.stats();
      // Lower bound from the RU bucket (docs/graph-facts.md §5): it starts full, then refills
      // capacity per 10 s, so no client can spend RU faster than that.
      const capacity = users < 50 ? 3500 : users <= 500 ? 5000 : 8000;
      const boundSeconds = (Math.max(0, st.ru - capacity) / capacity) * 10;
      console.log(JSON.stringify({
        bench: 'backup', users, throttle, objects, relations, seconds: +secs.toFixed(2),
        objectsPerSec: Math.round(objects / secs), graphCalls: st.requests, httpRequests: r.graphRequests,
        requestsPerObject: +(st.requests / objects).toFixed(3), ru: st.ru, throttled: st.throttled,
        throttleBoundSeconds: +boundSeconds.toFixed(2),
        ...(throttle ? { wallToBoundRatio: boundSeconds > 0 ? +(secs / boundSeconds).toFixed(2) : null } : {}),
        peakRssMiB: Math.round(peakRss / 2 ** 20), baseRssMiB: Math.round(baseRss / 2 ** 20), emulatorRssMiB: emu.childRssMiB,
        archiveBytes: r.bytes, bytesPerObject: Math.round(r.bytes / objects), warnings: r.warnings,
      }));
    } finally {
      await emu.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** restore: `--keep-out DIR` keeps the drill's output (report, plan, journal) in DIR/<users>-<apps>app instead of deleting it. */
const keepOut = args.includes('--keep-out') ? args[args.indexOf('--keep-out') + 1] : undefined;

async function benchRestore(users: number): Promise<void> {
  const dir = keepOut ? join(keepOut, `${users}-${apps}app`) : await mkdtemp(join(tmpdir(), 'ev-bench-'));
  if (keepOut) await mkdir(dir, { recursive: true });
  try {
    peakRss = process.memoryUsage().rss;
    const t0 = performance.now();
    const r = await runDrill({
      scenario, users, seed: 1, outDir: dir, reporter: silentReporter, toolVersion: 'bench',
      ...(throttle ? { faults: { ...faults, throttle: { enabled: true } } } : faults ? { faults } : {}),
      ...(faultsSpec ? { faultsSpec } : {}),
      ...(apps > 1 ? { recoveryApps: apps } : {}),
    });
    // Throttle-model bound (docs/graph-facts.md §5, src/emulator/faults.ts): writes refill 3,000 per
    // 150 s and resource units 8,000 per 10 s (tenant size L above 500 users), both buckets
    // starting full; no client can restore faster than the slower of the two allows.
    // Only admitted calls consume quota: a 429 costs nothing, so the bound counts those.
    // With N recovery apps (issue 17 item 3) each app has its own RU and write buckets, and all
    // of them together the tenant's write bucket, 18,000 per 300 s (docs/graph-facts.md §5).
    const ru = r.graph.admittedRu ?? r.graph.restoreRu ?? 0;
    const capacity = (users < 50 ? 3500 : users <= 500 ? 5000 : 8000) * apps;
    const ruBound = (Math.max(0, ru - capacity) / capacity) * 10;
    const writes = r.graph.admittedWrites ?? r.graph.restoreWrites;
    const appBound = (w: number): number => (Math.max(0, w - 3000) / 3000) * 150;
    const perApp = Object.entries(r.graph.admittedWritesByApp ?? {}).map(([app, w]) => ({ app: app.slice(0, 8), writes: w, boundSeconds: +appBound(w).toFixed(2) }));
    const tenantBound = (Math.max(0, writes - 18000) / 18000) * 300;
    const writeBound = Math.max(tenantBound, ...perApp.map((a) => a.boundSeconds), apps === 1 ? appBound(writes) : 0);
    const boundSeconds = Math.max(ruBound, writeBound);
    const execSeconds = (r.timings.executeMs ?? r.timings.restoreMs) / 1000;
    console.log(JSON.stringify({
      bench: 'restore', scenario, users, throttle, apps, ...(faultsSpec ? { faults: faultsSpec } : {}), result: r.result, operations: r.plan.operations,
      planSeconds: +((r.timings.planMs ?? 0) / 1000).toFixed(2), liveReadSeconds: +((r.timings.liveMs ?? 0) / 1000).toFixed(2),
      executeSeconds: +execSeconds.toFixed(2), verifySeconds: +(r.timings.verifyMs / 1000).toFixed(2),
      restoreSeconds: +(r.timings.restoreMs / 1000).toFixed(2), objectsRestored: r.fidelity.objectsRestored,
      objectsPerSec: Math.round(r.fidelity.objectsRestored / (r.timings.restoreMs / 1000)),
      objectsPerSecExecuting: Math.round(r.fidelity.objectsRestored / execSeconds),
      restoreRequests: r.graph.restoreRequests, writes: r.graph.restoreWrites, admittedWrites: r.graph.admittedWrites, ru, throttled: r.graph.throttled,
      failedOperations: r.failures.length, unexplained: r.unexplained.length,
      throttleBoundSeconds: +boundSeconds.toFixed(2), tenantWriteBoundSeconds: +tenantBound.toFixed(2),
      // each app's own bound, and the restore's wall time against it (≤ 1.1 for issue 17's done-when)
      // executeToOwnBound leaves out the plan and the final verify, which write nothing (about 36 s at 10k users)
      perApp: perApp.map((a) => ({ ...a, ...(a.boundSeconds > 0 ? { restoreToOwnBound: +((r.timings.restoreMs / 1000) / a.boundSeconds).toFixed(2), executeToOwnBound: +(execSeconds / a.boundSeconds).toFixed(2) } : {}) })),
      ...(boundSeconds > 0 ? { restoreToBoundRatio: +((r.timings.restoreMs / 1000) / boundSeconds).toFixed(2), executeToBoundRatio: +(execSeconds / boundSeconds).toFixed(2) } : {}),
      ...(r.timings.firstGlobalAdminMs !== undefined ? { firstGlobalAdminSeconds: +(r.timings.firstGlobalAdminMs / 1000).toFixed(2) } : {}),
      perTierMs: r.timings.perTierMs, totalSeconds: +((performance.now() - t0) / 1000).toFixed(2), peakRssMiB: Math.round(peakRss / 2 ** 20),
      ...(keepOut ? { kept: dir } : {}),
    }));
  } finally {
    if (!keepOut) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Wall and CPU (user + system, every process of the pipeline) seconds of one run of a shell
 * command, stdout discarded: the machine is shared, so wall time swings with the load and CPU
 * time is the steadier figure. CPU is the children's line of the POSIX `times` builtin
 * (https://pubs.opengroup.org/onlinepubs/9799919799/utilities/times.html), which counts every
 * process the shell waited for, so all three stages of `age -d | gunzip | tar t`.
 */
function timeRun(script: string, params: string[]): { wall: number; cpu: number } {
  const t0 = performance.now();
  const out = execFileSync('sh', ['-c', `${script} > /dev/null; times`, 'sh', ...params], { stdio: ['ignore', 'pipe', 'inherit'] }).toString();
  const wall = (performance.now() - t0) / 1000;
  const children = out.trim().split('\n').at(-1) ?? '';
  const cpu = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
  return { wall, cpu };
}

/**
 * `--keep DIR`: the keys, vault and archive stay in DIR/<users> and a later run reuses them,
 * so the comparison can be repeated without another backup (a 100k-user backup takes minutes).
 * `--runs N`: runs of each command (default 5); the median is printed with the spread.
 */
const keepDir = args.includes('--keep') ? args[args.indexOf('--keep') + 1] : undefined;
const runsArg = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 5;

async function verifyArchiveFor(users: number, dir: string): Promise<{ archive: string; identityPath: string }> {
  const keys = await initKeys(join(dir, 'keys'), { x25519: true });
  const emu = await childEmulator(users, join(dir, 'r.json'));
  try {
    const graph = await createGraphClient(await loadProfile(join(dir, 'r.json')), { clock: systemClock });
    await runBackup({ graph, vaultDir: join(dir, 'vault'), recipients: [keys.recipient], signingKey: await loadSigningKey(keys.signingKeyPath), reporter: silentReporter, clock: systemClock, toolVersion: 'bench', concurrency: 4, createVault: true });
  } finally {
    await emu.close();
  }
  const tenantDir = join(dir, 'vault', readdirSync(join(dir, 'vault')).find((n) => /^[0-9a-f-]{36}$/.test(n))!);
  return { archive: join(tenantDir, readdirSync(tenantDir).find((n) => n.endsWith('.evault'))!), identityPath: keys.identityPath };
}

function findKept(dir: string): { archive: string; identityPath: string } | undefined {
  if (!existsSync(join(dir, 'vault'))) return undefined;
  const t = readdirSync(join(dir, 'vault')).find((n) => /^[0-9a-f-]{36}$/.test(n));
  const a = t ? readdirSync(join(dir, 'vault', t)).find((n) => n.endsWith('.evault')) : undefined;
  return t && a ? { archive: join(dir, 'vault', t, a), identityPath: join(dir, 'keys', 'identity.txt') } : undefined;
}

async function benchVerify(users: number): Promise<void> {
  const dir = keepDir ? join(keepDir, String(users)) : await mkdtemp(join(tmpdir(), 'ev-bench-'));
  try {
    if (keepDir) await mkdir(dir, { recursive: true });
    const { archive, identityPath } = (keepDir ? findKept(dir) : undefined) ?? (await verifyArchiveFor(users, dir));
    const cli = fileURLToPath(new URL('../bin/entra-vault.js', import.meta.url));
    const plainBytes = Number(execFileSync('sh', ['-c', 'age -d -i "$1" "$2" | gunzip | wc -c', 'sh', identityPath, archive]).toString().trim());
    // Alternated, so a burst of load from elsewhere on the machine hits both sides alike.
    const ours: number[] = [];
    const stock: number[] = [];
    const oursCpu: number[] = [];
    const stockCpu: number[] = [];
    const load: number[] = [];
    for (let i = 0; i < runsArg; i++) {
      load.push(loadavg()[0]!);
      const o = timeRun('"$1" "$2" verify "$3" --identity "$4" --read-data -q', [process.execPath, cli, archive, identityPath]);
      const s = timeRun('age -d -i "$1" "$2" | gunzip | tar t', [identityPath, archive]);
      ours.push(o.wall);
      oursCpu.push(o.cpu);
      stock.push(s.wall);
      stockCpu.push(s.cpu);
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratios = ours.map((o, i) => stock[i]! / o);
    console.log(JSON.stringify({
      bench: 'verify', users, archiveBytes: statSync(archive).size, plainBytes, runs: runsArg,
      oursSeconds: +med(ours).toFixed(3), stockAgeGunzipTarSeconds: +med(stock).toFixed(3),
      oursRange: [+Math.min(...ours).toFixed(3), +Math.max(...ours).toFixed(3)],
      stockRange: [+Math.min(...stock).toFixed(3), +Math.max(...stock).toFixed(3)],
      // ≥ 1: at least as fast as the stock pipeline (issue 17's done-when)
      throughputVsStock: +(med(stock) / med(ours)).toFixed(2),
      // per pair of back-to-back runs: min and max of stock/ours
      pairRatioRange: [+Math.min(...ratios).toFixed(2), +Math.max(...ratios).toFixed(2)],
      // CPU seconds (user + system) of each side, medians: steadier than wall on a shared machine
      oursCpuSeconds: +med(oursCpu).toFixed(2), stockCpuSeconds: +med(stockCpu).toFixed(2),
      cpuVsStock: +(med(stockCpu) / med(oursCpu)).toFixed(2),
      load1: [+Math.min(...load).toFixed(1), +Math.max(...load).toFixed(1)],
    }));
  } finally {
    if (!keepDir) await rm(dir, { recursive: true, force: true });
  }
}

/** `--restore-runs 5,1`: restores per size, in the order of `--users` (one number: every size). */
const restoreRunsArg = args.includes('--restore-runs') ? args[args.indexOf('--restore-runs') + 1]!.split(',').map(Number) : [1];
const clientRuns: import('./client.mts').ClientRun[] = [];
for (const [i, n] of sizes.entries()) {
  if (what === 'backup') await benchBackup(n);
  else if (what === 'verify') await benchVerify(n);
  else if (what === 'client') clientRuns.push(...(await (await import('./client.mts')).benchClient(n, { ...(keepDir ? { keepDir } : {}), ...(args.includes('--cli') ? { cli: args[args.indexOf('--cli') + 1]! } : {}), restoreRuns: restoreRunsArg[i] ?? restoreRunsArg[0] ?? 1 })));
  else if (what === 'incremental') await (await import('./incremental.mts')).benchIncremental(n);
  else if (what === 'kill-resume') await (await import('./kill-resume.mts')).benchKillResume(n, { apps, throttle, killAt: args.includes('--kill-at') ? Number(args[args.indexOf('--kill-at') + 1]) : 0.5 });
  else await benchRestore(n);
}
if (what === 'client') {
  const ratios = (await import('./client.mts')).clientRatios(clientRuns);
  if (ratios) console.log(JSON.stringify(ratios));
}
clearInterval(sampler);
