/**
 * `node --expose-gc --import tsx bench/mem-split.mts ARCHIVE IDENTITY EMPTY_LIVE_CACHE`: where a
 * tenant-loss plan's memory is (issue 17 item 1). Loads the archive, plans against the cached read
 * of an empty target (`<archive>.<profile>.live.v8`, written by bench/plan-phases.mts), then drops
 * the operations' parts one by one (bodies, refs, labels, dependencies, ids, the operation objects)
 * and prints the live heap each one held, in MiB, after full collections. Asserts nothing.
 */
import { readFileSync } from 'node:fs';
import { deserialize } from 'node:v8';
import { openArchiveForUse } from '../src/ops/open-archive.js';
import { buildPlan } from '../src/restore/plan/planner.js';
import type { LiveState } from '../src/restore/types.js';
const [archivePath, identityPath, emptyCache] = process.argv.slice(2) as [string, string, string];
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const live = () => { gc(); gc(); return Math.round(process.memoryUsage().heapUsed / 2 ** 20); };
const out: Record<string, number> = { base: live() };
const { data, meta } = await openArchiveForUse({ archivePath, identityPath, via: 'cli' });
out.archive = live() - out.base!;
const empty = deserialize(readFileSync(emptyCache)) as LiveState;
const l0 = live();
const plan = buildPlan({ archive: data, archiveMeta: meta, live: empty, scenario: 'tenant-loss' });
out.plan = live() - l0;
const counts: Record<string, number> = {};
for (const o of plan.operations) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
let l = live();
for (const o of plan.operations) if ('body' in o) (o as { body: unknown }).body = undefined;
out.bodies = l - live(); l = live();
for (const o of plan.operations) if ('refs' in o) (o as { refs: unknown }).refs = undefined;
out.refs = l - live(); l = live();
for (const o of plan.operations) (o as { label: unknown }).label = undefined;
out.labels = l - live(); l = live();
for (const o of plan.operations) (o as { dependsOn: unknown }).dependsOn = undefined;
out.dependsOn = l - live(); l = live();
for (const o of plan.operations) (o as { opId: unknown }).opId = undefined;
out.opIds = l - live(); l = live();
plan.operations.length = 0;
out.opShells = l - live(); l = live();
console.log(JSON.stringify({ ...out, rest: l - l0, counts }));
