/**
 * The restore's memory marks (src/mem-probe.ts, src/cli/mem-log.ts; issue 17 item 1): a full
 * collection at each phase end, and ENTRA_VAULT_MEMLOG's one line per mark.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fullGcFunction, installMemLog } from '../../src/cli/mem-log.js';
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
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { label: string; liveHeapMiB: number; peakRssMiB: number });
      expect(lines.map((l) => l.label)).toEqual(['plan', 'execute:tier1-start']);
      for (const l of lines) {
        expect(l.liveHeapMiB).toBeGreaterThan(0);
        expect(l.peakRssMiB).toBeGreaterThan(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
