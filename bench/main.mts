/**
 * `npm run bench -- [backup|restore|drill] [--users 1000,10000]`: prints figures, asserts nothing.
 * backup: objects/s, Graph requests per object, peak RSS, archive bytes per object.
 * restore: plan time and restore objects/s (a tenant-loss drill per size), with and
 * without throttling (`--throttle`: the emulator's resource-unit bucket).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/clock.js';
import { initKeys, loadSigningKey } from '../src/crypto/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { seedTenant } from '../src/emulator/seed.js';
import { createGraphClient } from '../src/graph/index.js';
import { loadProfile } from '../src/profile.js';
import { silentReporter } from '../src/progress.js';
import { runBackup } from '../src/snapshot/backup.js';
import { runDrill } from '../src/scenarios/drill.js';

const args = process.argv.slice(2);
const what = args.find((a) => !a.startsWith('--')) ?? 'backup';
const usersArg = args[args.indexOf('--users') + 1];
const sizes = args.includes('--users') && usersArg ? usersArg.split(',').map(Number) : what === 'backup' ? [1000, 10000] : [1000];
const throttle = args.includes('--throttle');

let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);

async function benchBackup(users: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ev-bench-'));
  try {
    const keys = await initKeys(join(dir, 'keys'), { x25519: true });
    const sk = await loadSigningKey(keys.signingKeyPath);
    const tenant = seedTenant({ seed: 1, users });
    const emu = await startEmulator({ port: 0, tenants: [tenant], ...(throttle ? { faults: { throttle: { enabled: true } } } : {}) });
    try {
      await emu.writeProfiles(tenant.tenantId, { readerPath: join(dir, 'r.json'), writerPath: join(dir, 'w.json') });
      const graph = await createGraphClient(await loadProfile(join(dir, 'r.json')), { clock: systemClock });
      peakRss = process.memoryUsage().rss;
      const t0 = performance.now();
      const r = await runBackup({ graph, vaultDir: join(dir, 'vault'), recipients: [keys.recipient], signingKey: sk, reporter: silentReporter, clock: systemClock, toolVersion: 'bench', concurrency: 4 });
      const secs = (performance.now() - t0) / 1000;
      const objects = Object.entries(r.counts).filter(([k]) => k.startsWith('objects/')).reduce((a, [, n]) => a + n, 0);
      const relations = Object.entries(r.counts).filter(([k]) => k.startsWith('relations/')).reduce((a, [, n]) => a + n, 0);
      const st = emu.tenant(tenant.tenantId).stats();
      console.log(JSON.stringify({
        bench: 'backup', users, throttle, objects, relations, seconds: +secs.toFixed(2),
        objectsPerSec: Math.round(objects / secs), graphCalls: st.requests, httpRequests: r.graphRequests,
        requestsPerObject: +(st.requests / objects).toFixed(3), ru: st.ru, throttled: st.throttled,
        // lower bound from the RU bucket: RU spent / (RU per 10 s) * 10 s
        throttleBoundSeconds: +((st.ru / (users > 500 ? 8000 : users >= 50 ? 5000 : 3500)) * 10).toFixed(2),
        peakRssMiB: Math.round(peakRss / 2 ** 20), archiveBytes: r.bytes, bytesPerObject: Math.round(r.bytes / objects),
      }));
    } finally {
      await emu.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function benchRestore(users: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ev-bench-'));
  try {
    peakRss = process.memoryUsage().rss;
    const t0 = performance.now();
    const r = await runDrill({
      scenario: 'tenant-loss', users, seed: 1, outDir: dir, reporter: silentReporter, toolVersion: 'bench',
      ...(throttle ? { faults: { throttle: { enabled: true } } } : {}),
    });
    console.log(JSON.stringify({
      bench: 'restore', users, throttle, result: r.result, operations: r.plan.operations,
      restoreSeconds: +(r.timings.restoreMs / 1000).toFixed(2), objectsRestored: r.fidelity.objectsRestored,
      objectsPerSec: Math.round(r.fidelity.objectsRestored / (r.timings.restoreMs / 1000)),
      restoreRequests: r.graph.restoreRequests, writes: r.graph.restoreWrites, throttled: r.graph.throttled,
      perTierMs: r.timings.perTierMs, totalSeconds: +((performance.now() - t0) / 1000).toFixed(2), peakRssMiB: Math.round(peakRss / 2 ** 20),
    }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

for (const n of sizes) {
  if (what === 'backup') await benchBackup(n);
  else await benchRestore(n);
}
clearInterval(sampler);
