/**
 * Issue 17 item 5, the pipeline-split question: does moving the per-entry work of
 * `verify --read-data` (SHA-256 + the line scan of src/archive/line-scan.ts) off the main
 * thread pay? `npx tsx bench/verify-split.mts ARCHIVE IDENTITY [rounds]` decrypts and
 * inflates the payload as src/archive/stage.ts does, then, alternating per round:
 *   none   — inflate only (the floor: what decrypt + gunzip cost alone);
 *   main   — hash + scan on the main thread (what the product does);
 *   worker — hash + scan in a node:worker_threads Worker, 1 MiB batches copied into a fresh
 *            ArrayBuffer and transferred (zlib's output buffers cannot be transferred: it
 *            keeps writing into them), at most 8 batches in flight (bounded queue).
 * Prints wall and process CPU (main + worker) per run, with the load average. Asserts nothing.
 * Worker transfer list: https://nodejs.org/docs/latest-v20.x/api/worker_threads.html#portpostmessagevalue-transferlist
 */
import { createReadStream } from 'node:fs';
import { loadavg } from 'node:os';
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { LineScanner } from '../src/archive/line-scan.js';

// values bounded, as the product's verify sets it for any archive under 2·10⁹ bytes (src/archive/stage.ts)
const scanner = () => new LineScanner('bench', { maxLineBytes: 1 << 24, maxDepth: 64 }, { max: 1e12, used: 0, maxValues: 1e15, values: 0, valuesBounded: true });
const GUNZIP = { chunkSize: 256 * 1024, readableHighWaterMark: 4 << 20 };
const BATCH = 1 << 20;
const IN_FLIGHT = 8;

if (!isMainThread) {
  const port = parentPort!;
  const h = createHash('sha256');
  const s = scanner();
  port.on('message', (m: ArrayBuffer | null) => {
    if (m === null) return port.postMessage({ digest: h.digest('hex') });
    const c = new Uint8Array(m);
    s.write(c);
    h.update(c);
    port.postMessage(1);
  });
} else {
  const { loadIdentity, openAgeDecryption } = await import('../src/crypto/age.js');
  const [archive, identity, roundsArg] = process.argv.slice(2);
  if (!archive || !identity) throw new Error('usage: verify-split.mts ARCHIVE IDENTITY [rounds]');
  const identities = await loadIdentity(identity);

  const run = async (mode: 'none' | 'main' | 'worker'): Promise<void> => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { payload } = await openAgeDecryption(createReadStream(archive, { highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>, { identities });
    let digest = '';
    if (mode === 'worker') digest = await viaWorker(payload);
    else {
      const h = createHash('sha256');
      const s = scanner();
      await pipeline(payload, createGunzip(GUNZIP), async (src: AsyncIterable<Buffer>) => {
        for await (const c of src) if (mode === 'main') (s.write(c), h.update(c));
      });
      digest = mode === 'main' ? h.digest('hex') : '';
    }
    const cpu = process.cpuUsage(cpu0); // process-wide: includes the worker's thread
    console.log(JSON.stringify({ mode, wallSeconds: +((performance.now() - t0) / 1000).toFixed(2), cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2), load1: +loadavg()[0]!.toFixed(1), digest: digest.slice(0, 12) }));
  };

  const viaWorker = async (payload: AsyncIterable<Uint8Array>): Promise<string> => {
    // tsx's loader is not inherited by a Worker, and on Node 20 `execArgv: ['--import', 'tsx']`
    // still loads the .mts entry before the hook (ERR_UNKNOWN_FILE_EXTENSION): a plain-JS
    // `eval` entry registers tsx first, then imports this file
    // (https://nodejs.org/docs/latest-v20.x/api/worker_threads.html#new-workerfilename-options, `eval`).
    const boot = `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(import.meta.url)}); })`;
    const w = new Worker(boot, { eval: true });
    let inFlight = 0;
    let wake: (() => void) | undefined;
    let finish!: (d: string) => void;
    let fail!: (e: unknown) => void;
    const done = new Promise<string>((r, j) => ((finish = r), (fail = j)));
    w.on('error', (e) => fail(e));
    w.on('message', (m: 1 | { digest: string }) => {
      if (m === 1) {
        inFlight--;
        wake?.();
        wake = undefined;
      } else finish(m.digest);
    });
    let batch: Buffer[] = [];
    let bytes = 0;
    const flush = async () => {
      const ab = new ArrayBuffer(bytes);
      const u = new Uint8Array(ab);
      let o = 0;
      for (const b of batch) (u.set(b, o), (o += b.length));
      batch = [];
      bytes = 0;
      while (inFlight >= IN_FLIGHT) await new Promise<void>((r) => (wake = r));
      inFlight++;
      w.postMessage(ab, [ab]);
    };
    try {
      await pipeline(payload, createGunzip(GUNZIP), async (src: AsyncIterable<Buffer>) => {
        for await (const c of src) {
          batch.push(c);
          bytes += c.length;
          if (bytes >= BATCH) await flush();
        }
      });
      if (bytes > 0) await flush();
      w.postMessage(null);
      return await done;
    } finally {
      await w.terminate();
    }
  };

  for (let r = 0; r < Number(roundsArg ?? 3); r++) for (const m of ['none', 'main', 'worker'] as const) await run(m);
}
