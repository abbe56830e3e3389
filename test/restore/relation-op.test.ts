/**
 * An edge operation whose label is made when read (src/restore/plan/relation-op.ts, issue 17
 * item 1): it reads, serialises and compares as the plain operation the planner made before, a
 * label assigned replaces it, and once a run holds its label compressed (src/restore/held-fields.ts)
 * the two names it was made from are no longer kept.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { holdFields, isHeldField } from '../../src/restore/held-fields.js';
import { blockedEdge, relationLabel, relationOp } from '../../src/restore/plan/relation-op.js';
import type { Operation } from '../../src/restore/types.js';

type Edge = Extract<Operation, { kind: 'addRelation' }>;

function plain(i: number): Edge {
  return {
    opId: `add:groupMembers:g${i % 7}:u${i}`, kind: 'addRelation', tier: 3, dependsOn: [`create:group:g${i % 7}`, `create:user:u${i}`],
    label: ['Add', 'groupMembers', `Group ${i % 7}`, '→', `User ${'é'.repeat(i % 3)}${i} "q"`].join(' '),
    relation: 'groupMembers', from: `g${i % 7}`, to: `u${i}`, toType: 'user',
  };
}

function lazy(i: number): Edge {
  const p = plain(i);
  return relationOp({ opId: p.opId, tier: p.tier, dependsOn: p.dependsOn, kind: p.relation, from: p.from, to: p.to, toType: p.toType }, `Group ${i % 7}`, `User ${'é'.repeat(i % 3)}${i} "q"`);
}

const slotNames = (o: object): (string | undefined)[] => Object.getOwnPropertySymbols(o).map((s) => s.description);

describe('relationOp', () => {
  it('reads, serialises and compares as the plain operation, keys in the same order', () => {
    for (const i of [0, 1, 2, 9]) {
      const [a, b] = [lazy(i), plain(i)];
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      expect(Object.keys(a)).toEqual(Object.keys(b));
      expect(a.label).toBe(b.label);
      expect(a).toEqual(b);
      expect(isDeepStrictEqual({ ...a }, b)).toBe(true);
      expect(structuredClone(a)).toEqual(b);
    }
    expect(relationLabel('groupOwners', 'A', 'B')).toBe('Add groupOwners A → B');
  });

  it('keeps an assigned label, in JSON too, and its names are gone', () => {
    const a = lazy(4);
    a.label = 'Add the owner again';
    expect(a.label).toBe('Add the owner again');
    expect(JSON.parse(JSON.stringify(a)).label).toBe('Add the owner again');
    expect(Object.keys(a)).toEqual(Object.keys(plain(4)));
  });

  it('held by a run (held-fields) it equals the plain operation, without the names it was made from', () => {
    const ops: Operation[] = Array.from({ length: 50 }, (_, i) => lazy(i));
    expect(slotNames(ops[3] as object)).toEqual(['relationOpFromName', 'relationOpToName']);
    holdFields(ops);
    ops.forEach((o, i) => {
      expect(o).toEqual(plain(i));
      expect(isHeldField(o, 'label')).toBe(true);
      expect(slotNames(o).filter((n) => n?.startsWith('relationOp'))).toEqual([]);
    });
    expect(JSON.stringify(ops)).toBe(JSON.stringify(Array.from({ length: 50 }, (_, i) => plain(i))));
  });
});

describe('blockedEdge', () => {
  const plainBlocked = (to: string, missing: string) => ({ opId: `add:groupOwners:g-1:${to}`, type: 'group', archivedId: 'g-1', path: 'groupOwners', value: missing, effect: 'blocked' });
  it('reads, serialises and compares as the plain entry, whichever end is missing', () => {
    for (const [to, missing] of [['u-2', 'u-2'], ['u-3', 'g-1']] as const) {
      const u = blockedEdge({ kind: 'groupOwners', from: 'g-1', to }, 'group', missing);
      expect(JSON.stringify(u)).toBe(JSON.stringify(plainBlocked(to, missing)));
      expect(Object.keys(u)).toEqual(Object.keys(plainBlocked(to, missing)));
      expect(u).toEqual(plainBlocked(to, missing));
      expect({ ...u }).toEqual(plainBlocked(to, missing));
    }
  });
  it('keeps an assigned op id', () => {
    const u = blockedEdge({ kind: 'groupOwners', from: 'g-1', to: 'u-2' }, 'group', 'u-2');
    u.opId = 'add:other';
    expect(u.opId).toBe('add:other');
    expect(JSON.parse(JSON.stringify(u)).opId).toBe('add:other');
  });
});
