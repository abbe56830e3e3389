/**
 * Incremental contained reads (docs/archive-format.md §12.3, src/snapshot/contained-read.ts):
 * which parents' children are read again, and what becomes `removed/` — a child gone from a
 * re-read parent, every child of a removed parent — while an untouched parent's children are
 * carried into the next delta state. Unit level: no emulator.
 */
import { describe, expect, it } from 'vitest';
import { catalog } from '../../src/catalog/index.js';
import type { ResourceDescriptor } from '../../src/catalog/types.js';
import { finishScoped, scopedRead } from '../../src/snapshot/contained-read.js';
import { ChangeReader, DeltaCapture, type ChangeSink, type DeltaBase } from '../../src/snapshot/delta-read.js';

const settings = catalog.find((d) => d.type === 'groupSpecificSetting') as ResourceDescriptor;

function reader(audit: ChangeReader['audit'], children = true): { r: ChangeReader; removed: string[] } {
  const removed: string[] = [];
  const base: DeltaBase = {
    links: { group: 'https://graph.example/delta?token=1' },
    ids: { group: ['g1', 'g2', 'g3', 'g4'] },
    ...(children ? { children: { groupSpecificSetting: { g1: ['s1'], g2: ['s2a', 's2b'], g3: ['s3'] } } } : {}),
  };
  const sink = { addChange: async (prefix: string, _n: string, _k: string, rec: { id?: unknown }) => void (prefix === 'removed' && removed.push(String(rec.id))) } as unknown as ChangeSink;
  const r = new ChangeReader(base, sink, new DeltaCapture(), audit);
  // the delta round: g1 changed, g4 removed, g5 new
  (r as unknown as { changed: Map<string, string[]> }).changed.set('group', ['g1', 'g5']);
  return { r, removed };
}

describe('incremental contained reads', () => {
  it('re-reads the changed, audited and new parents only; records vanished children as removed; carries the rest', async () => {
    const { r, removed } = reader({ ok: true, ids: new Set(['g2']), events: 1 });
    const live = ['g1', 'g2', 'g3', 'g5'];
    const s = scopedRead(r, settings, live)!;
    expect(s.parents).toEqual(['g1', 'g2', 'g5']);
    // what this run read under the re-read parents: s2b is gone, g5 has a new one
    r.capture.child('groupSpecificSetting', 'g1', 's1');
    r.capture.child('groupSpecificSetting', 'g2', 's2a');
    r.capture.child('groupSpecificSetting', 'g5', 's5');
    expect(await finishScoped(r, s, live)).toEqual(['s1', 's2a', 's3', 's5']);
    expect(removed).toEqual(['s2b']);
    expect(r.capture.children.groupSpecificSetting).toEqual({ g1: ['s1'], g2: ['s2a'], g3: ['s3'], g5: ['s5'] });
  });

  it('drops every child of a removed parent', async () => {
    const { r, removed } = reader({ ok: true, ids: new Set(), events: 0 });
    const live = ['g1', 'g2', 'g5']; // g3 removed since
    const s = scopedRead(r, settings, live)!;
    r.capture.child('groupSpecificSetting', 'g1', 's1');
    await finishScoped(r, s, live);
    expect(removed).toEqual(['s3']);
  });

  it('reads in full without the audit log or without stored child ids', () => {
    expect(scopedRead(reader({ ok: false, reason: '403' }).r, settings, ['g1'])).toBeUndefined();
    expect(scopedRead(reader({ ok: true, ids: new Set(), events: 0 }, false).r, settings, ['g1'])).toBeUndefined();
  });
});
