/**
 * Labels and dependency lists held compressed (src/restore/held-fields.ts, issue 17 item 1): a
 * held operation reads as the one it replaced, a body held before stays held, what it held is let
 * go of, and a change in place fails loudly instead of vanishing.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BodyStore, holdBodies } from '../../src/restore/held-bodies.js';
import { FieldStore, holdFields, isHeldField, withHeldLabel } from '../../src/restore/held-fields.js';
import { Settled } from '../../src/restore/execute/settled.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import type { Operation } from '../../src/restore/types.js';
import { emptyLive, meta, sampleArchive } from './planner-fixtures.js';
import { create, edge } from './held-fixtures.js';

const V8_CHILD = join(process.cwd(), 'test', 'restore', 'held-fields-v8.child.ts');

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

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
  // %HasFastProperties (false for an object V8 turned into a slow dictionary), in a process of its
  // own: the suite's workers share one module graph (vitest.config.ts), and a file that resets
  // modules leaves a second copy of the held-fields module whose accessors differ from the first's,
  // which makes V8 turn the next file's held operations into dictionaries. The product loads one copy.
  it('operations held by a second store stay fast, fields and bodies alike (a bootstrap plan, then the rest plan)', () => {
    const child = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', V8_CHILD], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    const { fast, equal, freshFast } = JSON.parse(child.stdout) as { fast: boolean[][]; equal: boolean; freshFast: boolean };
    // edge operations made with their label as an accessor (src/restore/plan/relation-op.ts) too
    expect(freshFast).toBe(true);
    expect(fast.flat()).toHaveLength(12);
    for (const ops of fast) for (const f of ops) expect(f).toBe(true);
    expect(equal).toBe(true);
  });
});

describe('withHeldLabel (a run\'s results)', () => {
  it('a result reads its label where its op\'s is held: equal, same JSON, and assigning it leaves the op alone', () => {
    const ops = Array.from({ length: 30 }, (_, i) => edge(i));
    holdFields(ops);
    const op = ops[7] as Operation;
    const plain = { opId: op.opId, kind: op.kind, tier: op.tier, label: op.label, outcome: 'related' as const, liveId: 'x' };
    const r = withHeldLabel(plain, op);
    expect(r).not.toBe(plain);
    expect(r).toEqual(plain);
    expect(JSON.stringify(r)).toBe(JSON.stringify(plain));
    expect(Object.keys(r)).toEqual(Object.keys(plain));
    expect(typeof Object.getOwnPropertyDescriptor(r, 'label')?.get).toBe('function');
    r.label = 'only this result';
    expect(r.label).toBe('only this result');
    expect(op.label).toBe(edge(7).label);
    expect(JSON.parse(JSON.stringify(r)).label).toBe('only this result');
    // a label that is not the op's, or an op not held: the result as it is
    const other = { ...plain, label: 'another' };
    expect(withHeldLabel(other, op)).toBe(other);
    const loose = edge(3);
    const l = { ...plain, label: loose.label };
    expect(withHeldLabel(l, loose)).toBe(l);
  });

  it('the results a run settles read their labels from the held ops', () => {
    const ops = Array.from({ length: 10 }, (_, i) => edge(i));
    holdFields(ops);
    const settled = new Settled(ops.length);
    settled.set(0, ops[0] as Operation, { opId: ops[0]!.opId, kind: 'addRelation', tier: 3, label: ops[0]!.label, outcome: 'related' });
    settled.set(1, ops[1] as Operation, { opId: ops[1]!.opId, kind: 'addRelation', tier: 3, label: ops[1]!.label, outcome: 'failed', error: { code: 'GRAPH_REQUEST_FAILED', message: 'no' } });
    for (const i of [0, 1]) {
      const r = settled.result(i, ops[i] as Operation);
      expect(r?.label).toBe(edge(i).label);
      expect(typeof Object.getOwnPropertyDescriptor(r, 'label')?.get).toBe('function');
    }
    expect(settled.result(1, ops[1] as Operation)).toEqual({ opId: ops[1]!.opId, kind: 'addRelation', tier: 3, label: edge(1).label, outcome: 'failed', error: { code: 'GRAPH_REQUEST_FAILED', message: 'no' } });
  });
});
