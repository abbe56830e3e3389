/**
 * Issue 13 item 1, at test scale: a tenant-loss restore under Graph's bad days — 30 % of calls
 * answered 429 with Retry-After, 5 % answered 5xx, 500 ms replication lag — and under a
 * sustained throttle window, ends in the same state as a fault-free restore (natural keys, no
 * duplicates, no failed operation). Retries run until a per-operation deadline
 * (src/graph/pacing.ts), not an attempt count. Graph's throttling guidance:
 * https://learn.microsoft.com/graph/throttling
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import type { FaultConfig } from '../../src/emulator/types.js';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import type { TenantData } from '../../src/model.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import type { ArchiveMeta } from '../../src/ops/restore-pipeline.js';
import { runRestore } from '../../src/ops/restore.js';
import { backupOf, naturalState, writerOf } from './emulator-fixture.js';
import { createGraphClient } from '../../src/graph/index.js';
import { loadProfile } from '../../src/profile.js';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import type { ProgressEvent, Reporter } from '../../src/progress.js';

/**
 * 12 users in `npm test`. At 30 % throttling every request has a 30 % chance of a shared 1 s
 * Retry-After pause, so that case takes minutes at any size (12 users: 5.3 min, 40: 6.5 min,
 * 200: 11 min on a 2-core machine) and runs only in `npm run test:soak`, at the 200
 * users (ENTRA_VAULT_SOAK_USERS).
 */
const SOAK = process.env.ENTRA_VAULT_SOAK_USERS !== undefined;
const USERS = Number(process.env.ENTRA_VAULT_SOAK_USERS ?? 12);
let dir: string;
let emu: EmulatorHandle;
let source: SeededTenant;
const targets: SeededTenant[] = [];
let archive: TenantData;
let archiveMeta: ArchiveMeta;
/** The fault-free restore's end state, by natural keys (the first restore into targets[0]). */
let cleanState: string[] | undefined;

async function restoreInto(t: SeededTenant, faults: FaultConfig | undefined) {
  const ctl = emu.tenant(t.tenantId);
  const { graph } = await writerOf(emu, t.tenantId, join(dir, t.tenantId));
  if (faults) ctl.setFaults(faults);
  const r = await runRestore({
    archive, archiveMeta, graph, targetTenantId: t.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: t.tenantId,
    journalPath: join(dir, `${t.tenantId}.journal`), credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
  });
  ctl.setFaults({});
  return { r, state: naturalState(ctl.exportState()), throttled: ctl.stats().throttled };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ev-faults-restore-'));
  source = seedTenant({ seed: 17, users: USERS });
  for (let i = 0; i < 4; i++) targets.push(emptyTenant({ seed: 900 + i }));
  emu = await startEmulator({ port: 0, tenants: [source, ...targets] });
  ({ archive, archiveMeta } = await backupOf(emu, source.tenantId, dir));
  for (const t of targets) await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, t.tenantId)));
}, 120_000);

afterAll(async () => {
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The fault-free restore every other one is compared with (restored once, into targets[0]). */
async function cleanRun(): Promise<string[]> {
  if (!cleanState) {
    const clean = await restoreInto(targets[0]!, undefined);
    expect(clean.r.execution?.failures).toEqual([]);
    cleanState = clean.state;
  }
  return cleanState;
}

describe('restore under sustained faults (issue 13 item 1)', () => {
  // About 5 minutes even at 12 users (each request has a 30 % chance of a shared
  // 1 s pause), so it runs in `npm run test:soak` (200 users), not in `npm test`.
  it.runIf(SOAK)('throttle429=0.3, errors=0.05, lag=500 ends like a fault-free run', { tags: ['slow'], timeout: 3_600_000 }, async () => {
    const clean = await cleanRun();
    const noisy = await restoreInto(targets[1]!, { throttleFraction: 0.3, retryAfterSeconds: 1, errorRate: 0.05, replicationLagMs: 500, seed: 7 });
    expect(noisy.throttled).toBeGreaterThan(0);
    expect(noisy.r.execution?.failures).toEqual([]);
    expect(noisy.r.execution?.paused).toBe(false);
    expect(noisy.state).toEqual(clean);
  });

  it('a tenant throttled for a sustained window (every call 429 for 10 s) ends like a fault-free run', { tags: ['slow'], timeout: 600_000 }, async () => {
    const clean = await cleanRun();
    const window = await restoreInto(targets[2]!, { throttleForSeconds: 10, retryAfterSeconds: 3 });
    expect(window.throttled).toBeGreaterThan(0);
    expect(window.r.execution?.failures).toEqual([]);
    expect(window.r.execution?.paused).toBe(false);
    expect(window.state).toEqual(clean);
  });

  it('a throttle that outlasts the retry deadline pauses at an operation boundary (no failure); bootstrap ops are retried longest; --resume finishes like a fault-free run', { tags: ['slow'], timeout: 600_000 }, async () => {
    const clean = await cleanRun();
    const t = targets[3]!;
    const ctl = emu.tenant(t.tenantId);
    const profilePath = join(dir, t.tenantId, 'writer-short.json');
    await emu.writeProfiles(t.tenantId, { readerPath: join(dir, t.tenantId, 'reader-short.json'), writerPath: profilePath });
    // A 2 s deadline against a 3 s throttle window, opened when the first write tier starts
    // (planning reads are not throttled). With Retry-After 1 s every round lasts over 1 s, so
    // the first ops outlast their deadline inside the window, and a bootstrap op's three rounds
    // (src/restore/execute/run.ts BOOTSTRAP_EXTRA_ROUNDS) outlast the window.
    const graph = await createGraphClient(await loadProfile(profilePath), { deadlineMs: 2000 });
    // A writing tenant-loss restore runs its bootstrap tier first, then reads and plans the
    // rest (src/ops/restore-bootstrap.ts): the window opens on the bootstrap tier (its ops
    // must come through it) and again when the rest phase starts writing (those must pause).
    let opened = false;
    const events: ProgressEvent[] = [];
    const reporter: Reporter = {
      report(e) {
        events.push(e);
        const bootstrapTier = !opened && e.kind === 'phase' && e.phase.startsWith('restore tier');
        const restPhase = e.kind === 'phase' && e.phase === 'restore' && e.message.startsWith('rest phase');
        if (bootstrapTier || restPhase) {
          opened = true;
          ctl.setFaults({ throttleForSeconds: 3, retryAfterSeconds: 1 });
        }
      },
    };
    const identity = await generateX25519Identity();
    const base = {
      archive, archiveMeta, graph, targetTenantId: t.tenantId, scenario: 'tenant-loss' as const, dryRun: false, confirmTenantId: t.tenantId,
      journalPath: join(dir, `${t.tenantId}.journal`), credentialsRecipient: await identityToRecipient(identity), operatorIdentity: identity, enableConditionalAccess: true,
    };
    const first = await runRestore({ ...base, reporter });
    ctl.setFaults({});
    const ex = first.execution!;
    expect(ex.paused).toBe(true);
    expect(ex.pauseReason).toMatch(/throttled/);
    expect(ex.failures).toEqual([]);
    expect(ex.counts.notRun).toBeGreaterThan(0);
    // tier 0 (the bootstrap admins) got extra rounds and came through the window
    const tier0 = ex.outcomes.filter((o) => o.tier === 0);
    expect(tier0.length).toBeGreaterThan(0);
    expect(tier0.every((o) => o.outcome !== 'notRun' && o.outcome !== 'failed')).toBe(true);
    expect(events.some((e) => e.kind === 'log' && /pausing: Graph kept answering GRAPH_THROTTLED/.test(e.message))).toBe(true);
    const again = await runRestore({ ...base, reporter: silentReporter, resume: true });
    expect(again.execution?.paused).toBe(false);
    expect(again.execution?.failures).toEqual([]);
    expect(naturalState(ctl.exportState())).toEqual(clean);
  });
});
