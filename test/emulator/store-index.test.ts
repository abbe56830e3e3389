/**
 * The emulator store's equality index (src/emulator/store.ts idsWhereEqual): what `$filter=prop eq 'v'`
 * and the duplicate checks of app role and directory role assignments read instead of walking
 * every object of the type. It must hold every live object whose string property matches,
 * ignoring case, through creates, replacements and removals (issue 17 item 2).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParentMap, TenantStore } from '../../src/emulator/store.js';

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
              expect(s.sortedIds('user')).toEqual([...live].sort());
            }
          }
          expect(s.sortedIds('user')).toEqual([...live].sort());
        },
      ),
      { numRuns: 300 },
    );
  });
});
