/**
 * The restore's memory marks (src/mem-probe.ts, src/cli/mem-log.ts; issue 17 item 1): a full
 * collection at each phase end, and ENTRA_VAULT_MEMLOG's one line per mark.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fullGcFunction, growingPercentAt, HEAP_GROWING_PERCENT, installMemLog, VERIFY_HEAP_GROWING_PERCENT } from '../../src/cli/mem-log.js';
import { memMark } from '../../src/mem-probe.js';

let stop: () => void = () => undefined;
afterEach(() => stop());

describe('memory marks', () => {
  it('a full collection is available and frees what is no longer held', () => {
    const gc = fullGcFunction();
    expect(typeof gc).toBe('function');
    let garbage: object[] | null = Array.from({ length: 200_000 }, (_, i) => ({ i }));
    const held = process.memoryUsage().heapUsed;
    garbage = null;
    gc!();
    expect(garbage).toBeNull();
    expect(process.memoryUsage().heapUsed).toBeLessThan(held);
  });

  it('ENTRA_VAULT_MEMLOG: one JSON line per mark, the live heap measured after the collection; nothing after stop', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ev-memlog-'));
    try {
      const file = join(dir, 'mem.jsonl');
      stop = installMemLog({ ENTRA_VAULT_MEMLOG: file });
      memMark('plan');
      memMark('execute:tier1-start');
      stop();
      memMark('after-stop');
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { label: string; liveHeapMiB: number; peakRssMiB: number; rssMiB: number; hwmMiB: number | null });
      expect(lines.map((l) => l.label)).toEqual(['plan', 'execute:tier1-start']);
      for (const l of lines) {
        expect(l.liveHeapMiB).toBeGreaterThan(0);
        expect(l.peakRssMiB).toBeGreaterThan(0);
        // the kernel's high-water mark (Linux): at least the RSS at this mark
        if (process.platform === 'linux') expect(l.hwmMiB).toBeGreaterThanOrEqual(l.rssMiB);
        else expect(l.hwmMiB).toBeNull();
      }

    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the heap may grow less during the final verify than before it', () => {
    expect(VERIFY_HEAP_GROWING_PERCENT).toBeLessThan(HEAP_GROWING_PERCENT);
    // a tenant-loss restore's marks in order (src/ops/restore-bootstrap.ts, src/ops/restore-pipeline.ts), and the cap each sets
    const marks: [string, 'restore' | 'verify'][] = [
      ['open', 'restore'], ['archive', 'restore'], ['bootstrap:live', 'restore'], ['plan:users-released', 'verify'], ['plan:candidates', 'verify'], ['plan:resolved', 'verify'], ['plan:finalized', 'verify'], ['plan:relation-kind', 'verify'], ['plan:relations', 'verify'], ['plan:remapped', 'verify'], ['plan:ordered', 'verify'], ['bootstrap:plan', 'restore'],
      ['execute:tier0-start', 'verify'], ['execute:settled', 'verify'], ['bootstrap:execute', 'restore'], ['rest:live', 'verify'], ['rest:plan', 'verify'], ['rest:store-plan', 'restore'],
      ['rest:archive-aside', 'verify'], ['execute:tier1-start', 'verify'], ['execute:tier3-start', 'verify'], ['execute:outcomes', 'verify'], ['execute:ran', 'verify'], ['rest:execute', 'verify'],
      ['plan-aside', 'verify'], ['outcomes-aside', 'verify'], ['verify:live', 'verify'], ['verify:archive', 'verify'], ['verify:match', 'verify'], ['verify:objects', 'verify'], ['verify:relations', 'verify'], ['verify:fidelity', 'verify'],
      // a restore without the bootstrap phase
      ['live', 'verify'], ['plan', 'verify'], ['store-plan', 'restore'], ['archive-aside', 'verify'], ['execute', 'verify'],
    ];
    for (const [label, phase] of marks) expect(growingPercentAt(label), label).toBe(phase === 'verify' ? VERIFY_HEAP_GROWING_PERCENT : HEAP_GROWING_PERCENT);
    // a mark of no phase (a command that runs no restore) keeps V8's growth as the restore's cap
    expect(growingPercentAt('result')).toBe(HEAP_GROWING_PERCENT);
  });

  it.runIf(process.platform === 'linux')('the high-water mark is read, never reset: the maximum RSS /usr/bin/time reports keeps an earlier peak', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ev-memlog-'));
    try {
      const file = join(dir, 'mem.jsonl');
      stop = installMemLog({ ENTRA_VAULT_MEMLOG: file });
      // a peak of 256 MiB more, let go of before the marks: RSS falls back under it
      let big: Buffer | null = Buffer.alloc(256 * 2 ** 20, 1);
      const peak = Math.round(process.resourceUsage().maxRSS / 1024);
      expect(big.length).toBeGreaterThan(0);
      big = null;
      fullGcFunction()!();
      await new Promise((r) => setTimeout(r, 100));
      memMark('plan');
      memMark('execute:tier1-start');
      stop();
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { hwmMiB: number; rssMiB: number });
      expect(lines[0]!.hwmMiB).toBeGreaterThanOrEqual(peak - 1);
      // a reset at a mark would make the process's maximum RSS the RSS since then, under the peak
      expect(Math.round(process.resourceUsage().maxRSS / 1024)).toBeGreaterThanOrEqual(peak - 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
