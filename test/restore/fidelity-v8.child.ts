/**
 * Run by test/restore/fidelity.test.ts as `node --allow-natives-syntax --import tsx`: a fidelity
 * report with deviations of every shape (missing objects, differing attributes, with and without a
 * display name, missing edges) made many times over, and whether the deviations of one key list
 * share one V8 hidden class; and the users' match entries made slim as the final verify makes them
 * (releaseUser), and whether they keep fast properties. Prints one JSON line: per key list, how
 * many deviations and how many have the first one's map; how many entries, and how many are fast.
 */
import { computeFidelity, plannerCatalog, releaseUser } from '../../src/restore/fidelity.js';
import { matchTenant } from '../../src/restore/diff.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import type { DirObject } from '../../src/model.js';
import { emptyLive, liveCopy, meta, sampleArchive, user } from './planner-fixtures.js';

const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
const archive = sampleArchive();
// users with and without a display name; some missing from the target, some with other values
for (let i = 0; i < 300; i++) archive.objects.user!.push(user(`u-x${i}`, `x${i}@contoso.example`, i % 3 === 0 ? { displayName: undefined } : { jobTitle: `title ${i}` }));
for (const u of archive.objects.user!) if (u['displayName'] === undefined) delete u['displayName'];
const plan = buildPlan({ archive, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
const live = liveCopy(archive);
live.objects.user = (live.objects.user as DirObject[]).filter((_, i) => i % 4 !== 1).map((u, i) => (i % 2 ? { ...u, jobTitle: 'changed', department: 'elsewhere' } : u));
live.relations = {};
const report = computeFidelity(archive, live, plan, undefined);
const groups = new Map<string, object[]>();
for (const d of report.deviations) {
  const k = Object.keys(d).join(',');
  groups.set(k, [...(groups.get(k) ?? []), d]);
}
const out = [...groups].map(([keys, ds]) => ({ keys, n: ds.length, shared: ds.filter((d) => sameMap(d, ds[0] as object)).length }));
// the users' match entries once made slim, as the final verify makes them (releaseUser): still fast
const match = matchTenant(plannerCatalog, archive, liveCopy(archive));
const users = [...match.entries.values()].filter((e) => e.type === 'user');
for (const e of users) releaseUser(e, match);
const entries = { n: users.length, live: users.filter((e) => e.state === 'live').length, fast: users.filter(hasFastProperties).length };
process.stdout.write(`${JSON.stringify({ groups: out, entries })}\n`);
