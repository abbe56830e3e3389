/**
 * ENTRA_VAULT_MEMLOG=<file>: at every memory mark (src/mem-probe.ts) append one JSON line with
 * the process's RSS, the V8 heap in use (after a full GC when the process runs with
 * --expose-gc, i.e. the live heap) and the peaks sampled since the previous mark (issue 17
 * item 1: measuring where the restoring client's peak is). Off unless the variable is set.
 * ENTRA_VAULT_MEMLOG_SNAPSHOT=<mark> also writes a V8 heap snapshot at that mark.
 */
import { appendFileSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';
import { setMemProbe } from '../mem-probe.js';

const MiB = 2 ** 20;

/** Installs the probe when `env.ENTRA_VAULT_MEMLOG` is set; returns a function that stops it. */
export function installMemLog(env: Readonly<Record<string, string | undefined>>): () => void {
  const file = env.ENTRA_VAULT_MEMLOG;
  if (!file) return () => undefined;
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
  const gc = (globalThis as { gc?: () => void }).gc;
  setMemProbe((label) => {
    sample();
    const before = process.memoryUsage();
    gc?.();
    const m = process.memoryUsage();
    appendFileSync(file, `${JSON.stringify({
      label, s: +((Date.now() - t0) / 1000).toFixed(1), rssMiB: Math.round(before.rss / MiB), heapMiB: Math.round(before.heapUsed / MiB),
      liveHeapMiB: gc ? Math.round(m.heapUsed / MiB) : null, heapTotalMiB: Math.round(before.heapTotal / MiB), externalMiB: Math.round(m.external / MiB), arrayBuffersMiB: Math.round(m.arrayBuffers / MiB),
      peakRssMiB: Math.round(peakRss / MiB), peakHeapMiB: Math.round(peakHeap / MiB),
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
