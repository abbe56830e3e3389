// node --expose-gc --import tsx bench/held-bodies.mts STORED_PLAN IDENTITY (issue 17 item 1): the live heap of a
// stored plan with its create and update bodies as plain objects, then held (src/restore/held-bodies.ts),
// the time to hold them and to read every body once, and the compressed bytes.
// A stored plan is the journal's `*.plan.age` beside a restore's journal (bench/fresh-memlog.sh keeps one).
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { loadIdentity, openAgeDecryption } from '../src/crypto/age.js';
import { holdBodies } from '../src/restore/held-bodies.js';
import { planFromFile } from '../src/restore/plan-file.js';
import type { Operation, Plan } from '../src/restore/types.js';

const [path, idf] = process.argv.slice(2) as [string, string];
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc || !path || !idf) throw new Error('usage: node --expose-gc --import tsx bench/held-bodies.mts STORED_PLAN IDENTITY');
const MiB = 2 ** 20;
const mem = (): { liveMiB: number; arrayBuffersMiB: number } => {
  gc();
  gc();
  const m = process.memoryUsage();
  return { liveMiB: Math.round(m.heapUsed / MiB), arrayBuffersMiB: Math.round(m.arrayBuffers / MiB) };
};
const identity = (await loadIdentity(idf))[0];
if (!identity) throw new Error(`${idf}: no identity`);
const fh = await open(path, 'r');
const { payload } = await openAgeDecryption(fh.createReadStream({ start: 0, autoClose: false, highWaterMark: 1 << 20 }), { identities: [identity] });
let plan: Plan | undefined;
await pipeline(payload, createGunzip(), async (text: AsyncIterable<Buffer>) => {
  plan = (await planFromFile(text, path)).plan;
});
await fh.close();
if (!plan) throw new Error('no plan read');
// a loaded plan's bodies are held as it is read: plain copies first, as the planner made them before
plan.operations = plan.operations.map((o) => ({ ...o }) as Operation);
const plain = mem();
const t0 = performance.now();
const store = holdBodies(plan.operations);
const holdSeconds = (performance.now() - t0) / 1000;
const held = mem();
const t1 = performance.now();
let keys = 0;
for (const o of plan.operations) if (o.kind === 'create' || o.kind === 'update') keys += Object.keys(o.body).length;
const readSeconds = (performance.now() - t1) / 1000;
console.log(JSON.stringify({ operations: plan.operations.length, plain, held, heldMiB: +(store.bytes / MiB).toFixed(1), holdSeconds: +holdSeconds.toFixed(2), readAllSeconds: +readSeconds.toFixed(2), bodyKeys: keys }));
