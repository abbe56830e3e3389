/**
 * `npx tsx bench/plan-phases.mts ARCHIVE IDENTITY EMPTY_PROFILE [FULL_PROFILE]`: the restore's
 * in-process phases at scale, without a restore (issue 17 item 2): reads the archive, reads the
 * empty target (EMPTY_PROFILE) and times `buildPlan` for tenant-loss; with FULL_PROFILE (a
 * target that holds the whole tenant, e.g. the seeded source emulator) reads it as a final
 * verify would and times `computeFidelity` against it. Live reads are cached beside the archive
 * (`<archive>.<profile name>.live.v8`, v8.serialize) so a second run measures the pure phases.
 * Prints one JSON line of seconds and heap figures; asserts nothing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { systemClock } from '../src/clock.js';
import { createGraphClient } from '../src/graph/client.js';
import { loadProfile } from '../src/profile.js';
import { openArchiveForUse } from '../src/ops/open-archive.js';
import { readLiveState } from '../src/restore/live.js';
import { buildPlan } from '../src/restore/plan/planner.js';
import { computeFidelity } from '../src/restore/fidelity.js';
import type { LiveState } from '../src/restore/types.js';
import { planSha256 } from '../src/ops/restore-pipeline.js';

const [archivePath, identityPath, emptyProfile, fullProfile] = process.argv.slice(2);
if (!archivePath || !identityPath || !emptyProfile) throw new Error('usage: plan-phases.mts ARCHIVE IDENTITY EMPTY_PROFILE [FULL_PROFILE]');
const silent = { report: () => undefined };
const sec = (t0: number) => +((performance.now() - t0) / 1000).toFixed(2);
// CPU seconds of this process (user + system): less sensitive to other work on the machine than wall time
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const mib = () => Math.round(process.memoryUsage().heapUsed / 2 ** 20);

async function live(profilePath: string): Promise<LiveState> {
  const cache = `${archivePath}.${basename(profilePath)}.live.v8`;
  if (existsSync(cache)) return deserialize(readFileSync(cache)) as LiveState;
  const graph = await createGraphClient(await loadProfile(profilePath), { clock: systemClock });
  const l = await readLiveState(graph, { reporter: silent, clock: systemClock, tenantId: JSON.parse(readFileSync(profilePath, 'utf8')).tenantId });
  writeFileSync(cache, serialize(l));
  return l;
}

const out: Record<string, number> = {};
let t = performance.now();
const { data, meta } = await openArchiveForUse({ archivePath, identityPath, via: 'cli' });
out.archiveSeconds = sec(t);
const empty = await live(emptyProfile);
t = performance.now();
let c = cpu();
const plan = buildPlan({ archive: data, archiveMeta: meta, live: empty, scenario: 'tenant-loss' });
out.planSeconds = sec(t);
out.planCpuSeconds = +(cpu() - c).toFixed(2);
out.operations = plan.operations.length;
const sha = planSha256(plan);
out.heapAfterPlanMiB = mib();
if (fullProfile) {
  const full = await live(fullProfile);
  t = performance.now();
  c = cpu();
  const f = computeFidelity(data, full, plan, undefined);
  out.fidelitySeconds = sec(t);
  out.fidelityCpuSeconds = +(cpu() - c).toFixed(2);
  out.deviations = f.deviations.length;
  out.heapAfterFidelityMiB = mib();
}
console.log(JSON.stringify({ ...out, planSha256: sha, load1: +loadavg()[0]!.toFixed(1) }));
