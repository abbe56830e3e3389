/**
 * The emulator store's equality index (src/emulator/store.ts idsWhereEqual): what `$filter=prop eq 'v'`
 * and the duplicate checks of app role and directory role assignments read instead of walking
 * every object of the type. It must hold every live object whose string property matches,
 * ignoring case, through creates, replacements and removals (issue 17 item 2).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParentMap, TenantStore } from '../../src/emulator/store.js';
import { SortedIds, type IdSequence } from '../../src/emulator/sorted-ids.js';
import { lowerBound } from '../../src/emulator/odata/listing.js';

function store(): TenantStore {
  return new TenantStore({ tenantId: 't', initialDomain: 't.onmicrosoft.com', credentials: [], onPremisesIds: [] });
}

describe('TenantStore.idsWhereEqual', () => {
  it('answers from objects there before the first lookup and those inserted after, ignoring case, in id order', () => {
    const s = store();
    s.insert('group', { id: 'b', mailNickname: 'Sales' });
    s.insert('group', { id: 'c', mailNickname: 'other' });
    expect(s.idsWhereEqual('group', 'mailNickname', 'sales')).toEqual(['b']);
    s.insert('group', { id: 'a', mailNickname: 'SALES' });
    s.insert('group', { id: 'd', mailNickname: null });
    expect(s.idsWhereEqual('group', 'mailNickname', 'Sales')).toEqual(['a', 'b']);
    expect(s.idsWhereEqual('group', 'mailNickname', 'none')).toEqual([]);
    expect(s.idsWhereEqual('user', 'mailNickname', 'sales')).toEqual([]);
  });

  it('follows a replaced value and forgets a removed object', () => {
    const s = store();
    s.insert('group', { id: 'a', mailNickname: 'sales' });
    s.insert('group', { id: 'b', mailNickname: 'sales' });
    expect(s.idsWhereEqual('group', 'mailNickname', 'sales')).toEqual(['a', 'b']);
    s.replace('group', { id: 'a', mailNickname: 'ops' });
    s.unlink('group', 'b');
    expect(s.idsWhereEqual('group', 'mailNickname', 'sales')).toEqual([]);
    expect(s.idsWhereEqual('group', 'mailNickname', 'OPS')).toEqual(['a']);
    // an index of another property of the same type is kept apart
    s.replace('group', { id: 'a', mailNickname: 'ops', displayName: 'Ops' });
    expect(s.idsWhereEqual('group', 'displayName', 'ops')).toEqual(['a']);
    s.unlink('group', 'a');
    expect(s.idsWhereEqual('group', 'displayName', 'ops')).toEqual([]);
    expect(s.idsWhereEqual('group', 'mailNickname', 'ops')).toEqual([]);
  });
});

describe('ParentMap.childrenOf', () => {
  it('follows every set, re-parent and delete of the child → parent map', () => {
    const m = new ParentMap();
    m.set('a', 'p').set('b', 'p').set('c', 'q');
    expect([...m.childrenOf('p')].sort()).toEqual(['a', 'b']);
    m.set('b', 'q');
    m.delete('c');
    expect([...m.childrenOf('p')]).toEqual(['a']);
    expect([...m.childrenOf('q')]).toEqual(['b']);
    expect(m.get('b')).toBe('q');
    m.clear();
    expect([...m.childrenOf('p')]).toEqual([]);
    expect(m.size).toBe(0);
  });
});

/** An id sequence read position by position, as a page reads it. */
function idsOf(seq: IdSequence): string[] {
  return Array.from({ length: seq.length }, (_, i) => seq.at(i)!);
}

describe('SortedIds (the chunked list behind a collection\'s pages)', () => {
  it('holds every inserted id not removed since, in JS string order, read by position in any order, with chunks split and emptied', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.constantFrom('a', 'b', 'B', 'c', 'aa', 'b0', 'z', 'Z', '0', 'é'), { maxLength: 10 }),
        // few ids, so inserts repeat and removals hit; a chunk of 1–4 splits and empties often
        fc.array(fc.oneof(
          fc.record({ op: fc.constant('insert' as const), id: fc.constantFrom('a', 'b', 'B', 'c', 'aa', 'b0', 'z', 'Z', '0', 'é', 'ab', 'ba') }),
          fc.record({ op: fc.constant('remove' as const), id: fc.constantFrom('a', 'b', 'B', 'c', 'aa', 'b0', 'z', 'Z', '0', 'é', 'ab', 'ba') }),
          fc.record({ op: fc.constant('read' as const), id: fc.nat({ max: 15 }).map(String) }),
        ), { maxLength: 120 }),
        (chunk, initial, steps) => {
          const s = new SortedIds(initial, chunk);
          const model = new Set<string>(initial);
          const check = () => {
            const want = [...model].sort();
            expect(s.length).toBe(want.length);
            expect(idsOf(s)).toEqual(want);
            expect(s.toArray()).toEqual(want);
            // backwards too: a position read after a far one still finds its chunk
            for (let i = want.length - 1; i >= 0; i--) expect(s.at(i)).toBe(want[i]);
            expect(s.at(want.length)).toBeUndefined();
            expect(s.at(-1)).toBeUndefined();
          };
          for (const { op, id } of steps) {
            if (op === 'insert') {
              s.insert(id);
              model.add(id);
            } else if (op === 'remove') {
              s.remove(id);
              model.delete(id);
            } else {
              const want = [...model].sort();
              expect(s.at(Number(id))).toBe(want[Number(id)]);
            }
          }
          check();
        },
      ),
      { numRuns: 500 },
    );
  });

  it('pages a list of 20,000 ids built by single inserts as the sorted array does (lowerBound finds each page start)', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `${(i * 7919) % 20_000}`.padStart(5, '0') + (i % 3 ? 'x' : ''));
    const s = new SortedIds();
    for (const id of ids) s.insert(id);
    const want = [...new Set(ids)].sort();
    expect(idsOf(s)).toEqual(want);
    for (const after of ['', '00000', '09999x', '12345', 'zzz']) expect(lowerBound(s, after)).toBe(lowerBound(want, after));
  });
});

describe('TenantStore.sortedIds', () => {
  it('is every live id in JS string order through any mix of inserts, removals and reads (the list is kept across changes, not rebuilt)', () => {
    fc.assert(
      fc.property(
        // few ids, so removals hit inserted ones, before and after the list was first read
        fc.array(fc.oneof(
          fc.record({ op: fc.constant('insert' as const), id: fc.constantFrom('a', 'b', 'B', 'c', 'aa', 'b0', 'z') }),
          fc.record({ op: fc.constant('unlink' as const), id: fc.constantFrom('a', 'b', 'B', 'c', 'aa', 'b0', 'z') }),
          fc.record({ op: fc.constant('read' as const), id: fc.constant('') }),
        ), { maxLength: 80 }),
        (steps) => {
          const s = store();
          const live = new Set<string>();
          for (const { op, id } of steps) {
            if (op === 'insert' && !live.has(id)) {
              s.insert('user', { id });
              live.add(id);
            } else if (op === 'unlink') {
              s.unlink('user', id);
              live.delete(id);
            } else if (op === 'read') {
              expect(idsOf(s.sortedIds('user'))).toEqual([...live].sort());
            }
          }
          expect(idsOf(s.sortedIds('user'))).toEqual([...live].sort());
        },
      ),
      { numRuns: 300 },
    );
  });
});
