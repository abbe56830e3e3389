/**
 * `npm run bench -- incremental --users 10000`: a full backup, then 1 % of the users changed
 * through Graph (and as many group memberships added), then `backup --incremental`; prints the
 * Graph requests (counted by the emulator) and wall time of both, and their ratio (issue 18:
 * target ≤ 5 %). Figures, not a test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/clock.js';
import { initKeys, loadSigningKey } from '../src/crypto/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { seedTenant } from '../src/emulator/seed/index.js';
import { createGraphClient } from '../src/graph/index.js';
import { loadProfile } from '../src/profile.js';
import { silentReporter } from '../src/progress.js';
import { runBackup, type BackupResult } from '../src/snapshot/backup.js';

export async function benchIncremental(users: number, churn = 0.01): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ev-bench-incr-'));
  const tenant = seedTenant({ seed: 1, users });
  const emu = await startEmulator({ port: 0, tenants: [tenant] });
  try {
    await emu.writeProfiles(tenant.tenantId, { readerPath: join(dir, 'r.json'), writerPath: join(dir, 'w.json') });
    const keys = await initKeys(join(dir, 'keys'), { x25519: true });
    const sk = await loadSigningKey(keys.signingKeyPath);
    const ctl = emu.tenant(tenant.tenantId);
    const run = async (incremental: boolean): Promise<{ r: BackupResult; requests: number; seconds: number; byPath: Record<string, number> }> => {
      const graph = await createGraphClient(await loadProfile(join(dir, 'r.json')), { clock: systemClock });
      const before = ctl.stats().requests;
      const pathsBefore = { ...(ctl.stats().byPath ?? {}) };
      const t0 = performance.now();
      const r = await runBackup({ graph, vaultDir: join(dir, 'vault'), recipients: [keys.recipient], signingKey: sk, reporter: silentReporter, clock: systemClock, toolVersion: 'bench', concurrency: 4, createVault: true, incremental });
      // requests by path shape during this run, the costliest first (which types cost the requests)
      const byPath = Object.entries(ctl.stats().byPath ?? {}).map(([k, v]) => [k, v - (pathsBefore[k] ?? 0)] as const).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
      return { r, requests: ctl.stats().requests - before, seconds: (performance.now() - t0) / 1000, byPath: Object.fromEntries(byPath.slice(0, 15)) };
    };
    const full = await run(false);
    // churn: 1 % of the users changed, and as many membership changes
    const writer = await createGraphClient(await loadProfile(join(dir, 'w.json')), { clock: systemClock });
    // cloud users only: Graph refuses to change a synced user's jobTitle
    const userIds = (tenant.objects.user ?? []).filter((u) => u.onPremisesSyncEnabled !== true).map((u) => String(u.id));
    const groupIds = (tenant.objects.group ?? []).filter((g) => !(Array.isArray(g.groupTypes) && g.groupTypes.includes('DynamicMembership'))).map((g) => String(g.id));
    const n = Math.max(1, Math.round(users * churn));
    for (let i = 0; i < n; i++) {
      const u = userIds[(i * 97) % userIds.length]!;
      await writer.patch(`/users/${u}`, { jobTitle: `churn ${i}` });
      await writer.post(`/groups/${groupIds[i % groupIds.length]}/members/$ref`, { '@odata.id': `${emu.graphBaseUrl}/directoryObjects/${userIds[(i * 89 + 7) % userIds.length]}` }).catch(() => undefined);
    }
    const inc = await run(true);
    console.log(JSON.stringify({
      bench: 'incremental', users, churnPercent: churn * 100, changedUsers: n,
      full: { requests: full.requests, seconds: +full.seconds.toFixed(2), kind: full.r.kind },
      incremental: { requests: inc.requests, seconds: +inc.seconds.toFixed(2), kind: inc.r.kind, chainIndex: inc.r.chainIndex, ...(inc.r.fallback ? { fallback: inc.r.fallback } : {}) },
      incrementalRequestsByPath: inc.byPath,
      fullRequestsByPath: full.byPath,
      requestRatioPercent: +((inc.requests / full.requests) * 100).toFixed(2),
      timeRatioPercent: +((inc.seconds / full.seconds) * 100).toFixed(2),
    }));
  } finally {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  }
}
