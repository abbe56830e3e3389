/**
 * The planner's edge operations held in columns (src/restore/plan/relation-op.ts, issue 17 item 1):
 * each reads, serialises and compares as the plain operation the planner made before, a field
 * assigned replaces it for that operation alone, its op id is kept once a run asks for it, and a
 * run holds its label and dependencies compressed (src/restore/held-fields.ts) as any operation's.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { holdFields, isHeldField } from '../../src/restore/held-fields.js';
import fc from 'fast-check';
import { asBlockedEdge, blockedEdge, EdgeStore, isEdgeRow, relationLabel } from '../../src/restore/plan/relation-op.js';
import type { Operation, UnresolvedRef } from '../../src/restore/types.js';

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
  return new EdgeStore().add({ opId: p.opId, tier: p.tier, dependsOn: p.dependsOn, kind: p.relation, from: p.from, to: p.to, toType: p.toType }, `Group ${i % 7}`, `User ${'é'.repeat(i % 3)}${i} "q"`);
}

const slotNames = (o: object): (string | undefined)[] => Object.getOwnPropertySymbols(o).map((s) => s.description);

describe('EdgeStore', () => {
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

  it('keeps a field assigned for that operation alone, in JSON too', () => {
    const store = new EdgeStore();
    const [a, b] = [4, 5].map((i) => { const p = plain(i); return store.add({ tier: p.tier, dependsOn: p.dependsOn, kind: p.relation, from: p.from, to: p.to, toType: p.toType }, `Group ${i % 7}`, `User ${'é'.repeat(i % 3)}${i} "q"`); }) as [Edge, Edge];
    a.label = 'Add the owner again';
    a.tier = 0;
    a.dependsOn = ['x', 'y', 'z'];
    a.opId = 'add:other';
    expect(a.label).toBe('Add the owner again');
    expect(JSON.parse(JSON.stringify(a))).toEqual({ ...plain(4), label: 'Add the owner again', tier: 0, dependsOn: ['x', 'y', 'z'], opId: 'add:other' });
    expect(Object.keys(a)).toEqual(Object.keys(plain(4)));
    expect(b).toEqual(plain(5));
  });

  it('gives its dependencies frozen: a change in place throws, never lost', () => {
    const a = lazy(2);
    expect(() => (a.dependsOn as string[]).push('x')).toThrow(TypeError);
    expect(a.dependsOn).toEqual(plain(2).dependsOn);
    const none = new EdgeStore().add({ tier: 3, dependsOn: [], kind: 'groupMembers', from: 'g', to: 'u', toType: 'user' }, 'G', 'U');
    expect(none.dependsOn).toEqual([]);
    expect(() => (none.dependsOn as string[]).push('x')).toThrow(TypeError);
  });

  it('makes its op id each time it is read and keeps none made; keeps one given that its fields do not make', () => {
    const store = new EdgeStore();
    const ops: Operation[] = Array.from({ length: 20 }, (_, i) => { const p = plain(i); return store.add({ tier: p.tier, dependsOn: p.dependsOn, kind: p.relation, from: p.from, to: p.to, toType: p.toType }, 'G', 'U'); });
    ops.forEach((o, i) => expect(o.opId).toBe(plain(i).opId));
    ops.forEach((o, i) => expect(o.opId).toBe(plain(i).opId));
    expect(store.keptIds).toBe(0);
    const p = plain(1);
    const given = store.add({ opId: `${p.opId}#2`, tier: p.tier, dependsOn: p.dependsOn, kind: p.relation, from: p.from, to: p.to, toType: p.toType }, 'G', 'U');
    expect(given.opId).toBe(`${p.opId}#2`);
    expect(store.keptIds).toBe(1);
    expect(isEdgeRow(ops[0] as Operation)).toBe(true);
    expect(isEdgeRow(plain(0))).toBe(false);
  });

  it('equals the plain operation for any edge, held by a run or not (property)', () => {
    const id = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
    const edge = fc.record({
      kind: fc.constantFrom('groupMembers', 'groupOwners', 'userManager', 'administrativeUnitMembers'),
      from: id, to: id, toType: fc.constantFrom('user', 'group', 'servicePrincipal'), tier: fc.constantFrom(0, 3),
      deps: fc.uniqueArray(fc.string({ maxLength: 8 }), { maxLength: 4 }), fromName: fc.string(), toName: fc.string(),
    });
    fc.assert(fc.property(fc.array(edge, { maxLength: 30 }), (es) => {
      const store = new EdgeStore();
      const want: Edge[] = es.map((e) => ({
        opId: ['add', e.kind, e.from, e.to].join(':'), kind: 'addRelation', tier: e.tier as 0 | 3, dependsOn: [...e.deps].sort(),
        label: relationLabel(e.kind as Edge['relation'], e.fromName, e.toName), relation: e.kind as Edge['relation'], from: e.from, to: e.to, toType: e.toType as Edge['toType'],
      }));
      const ops: Operation[] = es.map((e, i) => store.add({ tier: e.tier as 0 | 3, dependsOn: want[i]!.dependsOn, kind: e.kind as Edge['relation'], from: e.from, to: e.to, toType: e.toType as Edge['toType'] }, e.fromName, e.toName));
      expect(JSON.stringify(ops)).toBe(JSON.stringify(want));
      expect(ops).toEqual(want);
      // frozen however many there are (more than two are kept beside the columns)
      for (const o of ops) expect(Object.isFrozen(o.dependsOn)).toBe(true);
      holdFields(ops);
      expect(ops).toEqual(want);
      expect(JSON.stringify(ops)).toBe(JSON.stringify(want));
    }), { numRuns: 200 });
  });

  it('held by a run (held-fields) it equals the plain operation, its label held there and its names let go of', () => {
    const ops: Operation[] = Array.from({ length: 50 }, (_, i) => lazy(i));
    expect(slotNames(ops[3] as object)).toEqual(['edgeOpStore', 'edgeOpRow']);
    const replaced = ops[3] as Operation;
    holdFields(ops);
    // its store let go of the names: the operation replaced cannot make its label any more
    expect(() => replaced.label).toThrow(/held elsewhere/);
    expect(replaced.opId).toBe(plain(3).opId);
    ops.forEach((o, i) => {
      expect(o).toEqual(plain(i));
      expect(isHeldField(o, 'label')).toBe(true);
      expect(isEdgeRow(o)).toBe(true);
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
  it('comes back as made when parsed again (asBlockedEdge), its op id made when read; any other entry as it is', () => {
    const made = blockedEdge({ kind: 'groupOwners', from: 'g-1', to: 'u-2' }, 'group', 'u-2');
    const parsed = JSON.parse(JSON.stringify(made)) as UnresolvedRef;
    const seen: string[] = [];
    const back = asBlockedEdge(parsed, (id) => (seen.push(id), id));
    expect(back).toEqual(plainBlocked('u-2', 'u-2'));
    expect(JSON.stringify(back)).toBe(JSON.stringify(made));
    expect(Object.getOwnPropertyDescriptor(back, 'opId')?.get).toBeTypeOf('function');
    expect(seen).toEqual(['u-2']);
    const others: UnresolvedRef[] = [
      { ...parsed, effect: 'dropped' },
      { ...parsed, opId: 'create:group:g-1' },
      { opId: 'add:groupOwners:g-1:u-2', type: 'group', archivedId: 'g-1', path: 'groupOwners', value: 'u-2', effect: 'blocked', required: true } as UnresolvedRef,
    ];
    for (const u of others) expect(asBlockedEdge(u, (id) => id)).toBe(u);
  });
});
