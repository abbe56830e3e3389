/**
 * A full garbage collection at every phase end of a restore (the memory marks, src/mem-probe.ts):
 * between two of V8's own major collections a restore's heap grew to 2–3× what was live, and
 * where that growth fell, not what the client holds, set its peak RSS (issue 17 item 1, measured
 * with the log below). A collection at a phase end frees the phase's garbage and lets the next
 * phase grow from what is live; from the first mark on, the growth is capped (HEAP_GROWING_PERCENT). bin/entra-vault.js turns it on for the CLI's own process
 * (enablePhaseGc), never for a host that calls runCli in-process; ENTRA_VAULT_PHASE_GC=0 turns it off.
 *
 * ENTRA_VAULT_MEMLOG=<file>: at every memory mark (src/mem-probe.ts) append one JSON line with
 * the process's RSS, the V8 heap in use (after a full GC when the process runs with
 * --expose-gc, i.e. the live heap), the peaks sampled every 20 ms since the previous mark, and on
 * Linux the process's exact peak RSS so far (`hwmMiB`, the kernel's high-water mark: the phase
 * that ends where it first reaches its last value holds the restore's peak) (issue 17 item 1:
 * measuring where the restoring client's peak is), and the bytes its set-asides hold in the spill
 * file (`spillMiB`, src/spill-file.ts); with it every mark collects.
 * ENTRA_VAULT_MEMLOG_SNAPSHOT=<mark> also writes a V8 heap snapshot at that mark.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setMemProbe } from '../mem-probe.js';
import { spillInUse } from '../spill-file.js';

const MiB = 2 ** 20;

let found: (() => void) | null | undefined;

/** V8's full collection: the global `gc` of --expose-gc, else one from a context made after the flag is set; undefined if refused. */
export function fullGcFunction(): (() => void) | undefined {
  if (found !== undefined) return found ?? undefined;
  const exposed = (globalThis as { gc?: unknown }).gc;
  found = null;
  if (typeof exposed === 'function') found = exposed as () => void;
  else {
    try {
      setFlagsFromString('--expose-gc');
      const gc: unknown = runInNewContext('gc');
      if (typeof gc === 'function') found = gc as () => void;
    } catch {
      // the engine refused: no collection at phase ends
    }
  }
  return found ?? undefined;
}

let phaseGc: ((label: string) => void) | undefined;

/**
 * How far V8 lets the heap grow past what the last full collection found live (25: to 1.25×).
 * Left to itself V8 chose up to 4× when the process allocated fast (an unloaded machine): at 20k
 * users the heap reached 790 MiB around 220 MiB live during the relation tier. Measured at 20k
 * users, one run each, same load: peak RSS 816 MiB without the cap, 486 MiB with it (then 50),
 * 16 % longer. From 50 to 25 (issue 17 item 1, `npm run bench -- client --users 10000,100000`,
 * one run each at load 1.8–2.5): peak RSS 304 → 289 MiB at 10k, 1,558 → 1,476 MiB at 100k, for
 * 2–4 % more client CPU per operation. A restore against Graph waits on the write quota, not on
 * the client's CPU (docs/design.md "Performance stance").
 */
export const HEAP_GROWING_PERCENT = 25;

/**
 * The cap during the final verify (from the mark `plan-aside` on, src/ops/restore-pipeline.ts
 * verifyRestore): the archive is parsed again beside the target read back, and where the heap grew
 * past them set the restore's peak RSS at 100k users (issue 17 item 1). Measured, one run each at
 * 100k (`npm run bench -- client --users 100000`): peak RSS 994 → 943 MiB, the verify 83–88 s →
 * 99 s of a seven-minute restore. The same cap while the plan is built (peak 908 → 888 MiB there,
 * not the restore's peak) made planning 55 → 68 s, so the plan and the execute kept
 * HEAP_GROWING_PERCENT until session 38 (TIGHT_STEPS).
 */
export const VERIFY_HEAP_GROWING_PERCENT = 10;

/**
 * Marks from which the next step runs under the verify's cap although it is not the verify: the
 * whole of the planner (from the target's read, `live` or `rest:live`, through its stages
 * `plan:*`, src/restore/plan/planner.ts), the plan stored beside the journal (from `plan` or
 * `rest:plan` to `store-plan` or `rest:store-plan`, src/ops/restore-pipeline.ts,
 * src/ops/restore-bootstrap.ts), the run's start, which holds the plan's labels and dependencies
 * (from `archive-aside` or `rest:archive-aside`), the run itself (every `execute:` mark,
 * src/restore/execute/run.ts) and the spent plan set aside (from the execute's end to
 * `plan-aside`, src/ops/restore-pipeline.ts verifyRestore). Only the archive's read, the
 * target's reads and the plan's store keep HEAP_GROWING_PERCENT. Once the set-asides spilled to
 * disk (src/spill-file.ts), the planner's sort, the plan's store and the plan set aside were among
 * the restore's highest steps at 100k users (507, 500 and 516 MiB). Session 38 (one fresh 100k
 * restore each, `bench/fresh-memlog.sh`): the candidates' step 487 → 443 MiB, the run's start
 * 482–489 → 471, the run's relation tier 474–496 → 461; planning took as long (35 s), the tiers
 * ran as fast (tier 2 700 → 672 ops/s, tier 3 5,217 → 5,409, within runs' spread), client CPU
 * 359 → 378 s. A restore against Graph waits on the write quota, not on the client's CPU
 * (docs/design.md "Performance stance").
 */
const TIGHT_STEPS: ReadonlySet<string> = new Set([
  'rest:live', 'live', 'plan', 'rest:plan', 'rest:archive-aside', 'archive-aside', 'rest:execute', 'execute', 'plan-aside', 'outcomes-aside',
]);
/** Every mark of the planner's stages, of the run and of the verify. */
const TIGHT_PREFIXES = ['plan:', 'execute:', 'verify:'] as const;

/** The growth cap from mark `label` on: the verify's, or the restore's. */
export function growingPercentAt(label: string): number {
  return TIGHT_STEPS.has(label) || TIGHT_PREFIXES.some((p) => label.startsWith(p)) ? VERIFY_HEAP_GROWING_PERCENT : HEAP_GROWING_PERCENT;
}

/**
 * The CLI's own process (bin/entra-vault.js), unless ENTRA_VAULT_PHASE_GC=0: a full collection
 * at every phase end of a restore, and from its first mark on, the heap's growth capped
 * (HEAP_GROWING_PERCENT). A command that runs no restore is left as it was.
 */
export function enablePhaseGc(env: Readonly<Record<string, string | undefined>>): void {
  if (env.ENTRA_VAULT_PHASE_GC === '0') {
    phaseGc = undefined;
    return;
  }
  const gc = fullGcFunction();
  let cap: number | undefined;
  phaseGc = (label) => {
    const want = growingPercentAt(label);
    if (cap !== want) {
      cap = want;
      try {
        setFlagsFromString(`--heap-growing-percent=${want}`);
      } catch {
        // the engine refused: V8's own growth
      }
    }
    gc?.();
  };
}

/**
 * Linux: the process's peak RSS so far (`VmHWM`), in bytes; undefined elsewhere. Exact where the
 * log's 20 ms sampler is not: a synchronous phase (the plan's sort, setting the plan aside, the
 * verify's comparison) runs no timer, so its peak fell between two samples. Never reset
 * (/proc/self/clear_refs would): the process's maximum RSS that `getrusage` and `/usr/bin/time`
 * report is the same mark, and resetting it would make them report the peak since the last reset.
 */
function highWaterMark(): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Installs the phase-end collection (when enabled) and, when `env.ENTRA_VAULT_MEMLOG` is set,
 * the log; returns a function that stops both.
 */
export function installMemLog(env: Readonly<Record<string, string | undefined>>): () => void {
  const file = env.ENTRA_VAULT_MEMLOG;
  const gc: ((label: string) => void) | undefined = phaseGc ?? (file ? fullGcFunction() : undefined);
  if (!file) {
    if (!gc) return () => undefined;
    setMemProbe((label) => gc(label));
    return () => setMemProbe(undefined);
  }
  const t0 = Date.now();
  let peakRss = 0;
  let peakHeap = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 20);
  timer.unref();
  setMemProbe((label) => {
    sample();
    const spill = spillInUse();
    const before = process.memoryUsage();
    // after `before`: the kernel's mark is at least any RSS seen so far
    const hwm = highWaterMark();
    gc?.(label);
    const m = process.memoryUsage();
    appendFileSync(file, `${JSON.stringify({
      label, s: +((Date.now() - t0) / 1000).toFixed(1), rssMiB: Math.round(before.rss / MiB), heapMiB: Math.round(before.heapUsed / MiB),
      liveHeapMiB: gc ? Math.round(m.heapUsed / MiB) : null, heapTotalMiB: Math.round(before.heapTotal / MiB), externalMiB: Math.round(m.external / MiB), arrayBuffersMiB: Math.round(m.arrayBuffers / MiB),
      peakRssMiB: Math.round(peakRss / MiB), peakHeapMiB: Math.round(peakHeap / MiB), hwmMiB: hwm === undefined ? null : Math.round(hwm / MiB),
      // what the process's set-asides hold on disk, not in memory (src/spill-file.ts); null without a spill file
      spillMiB: spill ? +(spill.fileBytes / MiB).toFixed(2) : null, ...(spill?.failure !== undefined ? { spillFailure: spill.failure } : {}),
    })}\n`);
    peakRss = 0;
    peakHeap = 0;
    // ENTRA_VAULT_MEMLOG_SNAPSHOT=<label>: a heap snapshot beside the log at that mark
    if (env.ENTRA_VAULT_MEMLOG_SNAPSHOT === label) writeHeapSnapshot(`${file}.${label.replace(/[^a-z0-9-]/gi, '_')}.heapsnapshot`);
  });
  return () => {
    clearInterval(timer);
    setMemProbe(undefined);
  };
}
