/**
 * Labels and dependency lists held compressed (src/restore/held-fields.ts, issue 17 item 1): a
 * held operation reads as the one it replaced, a body held before stays held, what it held is let
 * go of, and a change in place fails loudly instead of vanishing.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BodyStore, holdBodies } from '../../src/restore/held-bodies.js';
import { FieldStore, holdFields, isHeldField } from '../../src/restore/held-fields.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import type { Operation } from '../../src/restore/types.js';
import { emptyLive, meta, sampleArchive } from './planner-fixtures.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function edge(i: number): Operation {
  return {
    opId: `add:groupMembers:g${i % 7}:u${i}`,
    kind: 'addRelation',
    tier: 3,
    dependsOn: [`create:group:g${i % 7}`, `create:user:u${i}`],
    label: `Add user ${'é'.repeat(i % 3)}u${i} "quoted" to group g${i % 7}`,
    relation: 'groupMembers',
    from: `g${i % 7}`,
    to: `u${i}`,
    toType: 'user',
  };
}

function create(i: number): Operation {
  return {
    opId: `create:user:u${i}`, kind: 'create', tier: 2, dependsOn: [], label: `Create user u${i}`,
    type: 'user', archivedId: `u${i}`, body: { displayName: `U${i}`, '3': 'three' }, refs: [],
  };
}

describe('FieldStore', () => {
  it('holds many operations over several chunks; each reads as before, in any order', () => {
    const plain = Array.from({ length: 4000 }, (_, i) => edge(i));
    const ops = plain.map((_, i) => edge(i));
    const store = holdFields(ops);
    const json = JSON.stringify(plain.map((o) => [o.label, o.dependsOn]));
    expect(store.bytes).toBeLessThan(json.length / 3);
    expect(JSON.stringify(ops)).toBe(JSON.stringify(plain));
    expect(Object.keys(ops[9] as Operation)).toEqual(Object.keys(plain[9] as Operation));
    for (const i of [3999, 0, 2000, 17, 3998, 640, 1, 3100]) {
      expect(ops[i]).toEqual(plain[i]);
      expect(isHeldField(ops[i] as Operation, 'label') && isHeldField(ops[i] as Operation, 'dependsOn')).toBe(true);
    }
    // held again by its store: nothing changes; by another store: equal, held there
    const again = [...ops];
    holdFields(again, store);
    again.forEach((o, i) => expect(o).toBe(ops[i]));
    const other = new FieldStore().hold(ops[5] as Operation);
    expect(other).not.toBe(ops[5]);
    expect(other).toEqual(plain[5]);
  });

  it('keeps a held body held, in the same key order', () => {
    const plain = Array.from({ length: 5 }, (_, i) => create(i));
    const ops = plain.map((_, i) => create(i));
    holdBodies(ops, new BodyStore());
    holdFields(ops);
    for (const [i, o] of ops.entries()) {
      expect(Object.getOwnPropertyDescriptor(o, 'body')?.get).toBeTypeOf('function');
      expect(isHeldField(o, 'label')).toBe(true);
      expect(o).toEqual(plain[i]);
      expect(JSON.stringify(o)).toBe(JSON.stringify(plain[i]));
    }
    // and a body held after its fields keeps the fields held
    const other = [create(9)];
    holdFields(other);
    holdBodies(other, new BodyStore());
    expect(isHeldField(other[0] as Operation, 'dependsOn')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(other[0], 'body')?.get).toBeTypeOf('function');
    expect(other[0]).toEqual(create(9));
  });

  it('gives a frozen dependency list; assigning replaces a field', () => {
    const ops = [edge(1), edge(2)];
    holdFields(ops);
    const op = ops[0] as Operation;
    expect(() => (op.dependsOn as string[]).push('x')).toThrow(TypeError);
    expect(op.dependsOn).toEqual(['create:group:g1', 'create:user:u1']);
    op.label = 'renamed';
    expect(op.label).toBe('renamed');
    expect(op.dependsOn).toEqual(['create:group:g1', 'create:user:u1']);
    op.dependsOn = ['only'];
    expect(op.dependsOn).toEqual(['only']);
    expect(op.label).toBe('renamed');
    // the other operation is untouched, and a spread is a plain operation
    expect(ops[1]).toEqual(edge(2));
    const copy = { ...(ops[1] as Operation), dependsOn: [] };
    expect(isHeldField(copy, 'dependsOn')).toBe(false);
  });

  it('lets go of the lists it held', async () => {
    const ops = [edge(1), edge(2)];
    const refs = ops.map((o) => new WeakRef(o.dependsOn));
    holdFields(ops);
    await tick();
    gc();
    expect(refs.map((r) => r.deref())).toEqual([undefined, undefined]);
    expect(ops[1]?.dependsOn).toEqual(['create:group:g2', 'create:user:u2']);
  });
});

describe('holdFields', () => {
  it('leaves an operation another store holds as it is', () => {
    const ops = [edge(1), edge(2)];
    holdFields(ops);
    const held = [...ops];
    holdFields(ops, new FieldStore());
    ops.forEach((o, i) => expect(o).toBe(held[i]));
  });
});

describe('the planner', () => {
  it('leaves labels and dependencies plain: the sort and the stored plan read them (the run holds them)', () => {
    const plan = buildPlan({ archive: sampleArchive(), archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    expect(plan.operations.length).toBeGreaterThan(5);
    for (const o of plan.operations) expect(isHeldField(o, 'label') || isHeldField(o, 'dependsOn')).toBe(false);
  });
});

describe('V8 hidden classes', () => {
  // %HasFastProperties: false for an object V8 turned into a slow dictionary
  setFlagsFromString('--allow-natives-syntax');
  const fast = runInNewContext('(o) => %HasFastProperties(o)') as (o: object) => boolean;

  it('operations held by a second store stay fast, fields and bodies alike (a bootstrap plan, then the rest plan)', () => {
    const plans = [0, 1].map(() => [edge(1), edge(2), create(3), create(4)]);
    for (const ops of plans) {
      holdBodies(ops, new BodyStore());
      holdFields(ops);
    }
    for (const ops of plans) for (const o of ops) expect(fast(o)).toBe(true);
    expect(plans[1]).toEqual([edge(1), edge(2), create(3), create(4)]);
  });
});
