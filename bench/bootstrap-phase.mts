/**
 * `npx tsx bench/bootstrap-phase.mts 100000`: the bootstrap phase of an all-admins-deleted
 * restore alone (issue 17 item 4), at a size where the full drill does not fit the machine:
 * seeds the tenant in the emulator, keeps its state as the archive, deletes every admin, then
 * times the narrow read, the bootstrap plan and its execution until the first Global
 * Administrator grant. Prints figures, asserts nothing. The archive here is the emulator's
 * own export, not a backup: the drill (`npm run bench -- restore --scenario all-admins-deleted`)
 * is the end-to-end figure.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { systemClock } from '../src/clock.js';
import { startEmulator } from '../src/emulator/index.js';
import { seedTenant } from '../src/emulator/seed/index.js';
import { createGraphClient } from '../src/graph/index.js';
import { loadProfile } from '../src/profile.js';
import { silentReporter } from '../src/progress.js';
import { MemoryCredentialsSink } from '../src/restore/credentials.js';
import { runRestore } from '../src/ops/restore.js';

const users = Number(process.argv[2] ?? 100000);
const t0 = performance.now();
const source = seedTenant({ seed: 1, users });
const emu = await startEmulator({ port: 0, tenants: [source] });
const ctl = emu.tenant(source.tenantId);
const archive = ctl.exportState().data;
const seeded = (performance.now() - t0) / 1000;
ctl.damage('deleteAllAdmins');
ctl.damage('hardDeleteSecurityGroups');
const dir = await mkdtemp(join(tmpdir(), 'ev-bench-boot-'));
const cred = source.credentials.find((c) => c.role === 'breakGlass')!;
const profile = { tenantId: source.tenantId, authorityHost: emu.authorityHost, graphBaseUrl: emu.graphBaseUrl, clientId: cred.clientId, auth: { kind: 'clientSecret' as const, secret: cred.secret }, name: 'break-glass', emulator: true };
const { writeFile } = await import('node:fs/promises');
await writeFile(join(dir, 'bg.json'), JSON.stringify(profile), { mode: 0o600 });
const graph = await createGraphClient(await loadProfile(join(dir, 'bg.json')), { clock: systemClock });
const operatorIdentity = await generateX25519Identity();
const recipient = await identityToRecipient(operatorIdentity);
const ac = new AbortController();
let firstGa: number | undefined;
const tRestore = performance.now();
// stop at the rest phase: the bootstrap phase is what is measured here
const reporter = { report(e: { kind: string; message?: string }) { if (e.kind === 'phase' && e.message?.includes('rest phase') && firstGa === undefined) { firstGa = performance.now() - tRestore; ac.abort(); } } };
const r = await runRestore({
  archive, archiveMeta: { tenantId: source.tenantId, takenAt: '2026-01-01T00:00:00Z', manifestSha256: '0'.repeat(64) },
  graph, targetTenantId: source.tenantId, scenario: 'all-admins-deleted', dryRun: false, confirmTenantId: source.tenantId,
  journalPath: join(dir, 'restore.journal'), credentialsRecipient: recipient, operatorIdentity, credentialsSink: new MemoryCredentialsSink(), reporter: reporter as never, signal: ac.signal,
}).catch((e: unknown) => ({ error: String(e) }));
console.log(JSON.stringify({
  bench: 'bootstrap-phase', scenario: 'all-admins-deleted', users, seedSeconds: +seeded.toFixed(2),
  firstGlobalAdminSeconds: 'timings' in r && r.timings?.firstGlobalAdminMs !== undefined ? +(r.timings.firstGlobalAdminMs / 1000).toFixed(2) : null,
  bootstrapPhaseSeconds: firstGa !== undefined ? +(firstGa / 1000).toFixed(2) : null,
  ...('error' in r ? { stoppedWith: r.error.slice(0, 120) } : {}),
}));
await emu.close();
process.exit(0);
