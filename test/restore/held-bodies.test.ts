/**
 * Bodies held compressed (src/restore/held-bodies.ts, issue 17 item 1): a held operation reads as
 * the one it replaced, the body it held is let go of, and a change in place fails loudly instead
 * of vanishing.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BodyStore, holdBodies } from '../../src/restore/held-bodies.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import type { Operation } from '../../src/restore/types.js';
import { emptyLive, meta, sampleArchive } from './planner-fixtures.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function createOp(i: number): Operation {
  return {
    opId: `create:user:${i}`,
    kind: 'create',
    tier: 2,
    dependsOn: i > 0 ? [`create:user:${i - 1}`] : [],
    label: `Create user u${i}`,
    type: 'user',
    archivedId: `a${i}`,
    // numeric-looking keys move first in any JS object: the copy must order them as the original does
    body: { displayName: `User ${i}`, '7': 'seven', nested: { list: [i, { deep: 'x'.repeat(i % 50) }], n: null }, accountEnabled: i % 2 === 0 },
    refs: [{ at: ['manager'], by: 'id', archivedTargetId: 'm', targetType: 'user' }],
    naturalKey: { property: 'userPrincipalName', value: `u${i}@contoso.com` },
  };
}

const relation: Operation = { opId: 'add:member:g:u', kind: 'addRelation', tier: 3, dependsOn: [], label: 'Add member', relation: 'groupMembers', from: 'g', to: 'u', toType: 'user' };

describe('BodyStore', () => {
  it('holds many bodies over several chunks; each operation reads as before, in any order', () => {
    const plain = Array.from({ length: 3000 }, (_, i) => createOp(i));
    const ops: Operation[] = [...plain.map((_, i) => createOp(i)), relation];
    const store = new BodyStore();
    holdBodies(ops, store);
    expect(ops.at(-1)).toBe(relation);
    // several compressed chunks, and far fewer bytes than the JSON
    const json = JSON.stringify(plain.map((o) => ('body' in o ? o.body : null)));
    expect(store.bytes).toBeLessThan(json.length / 4);
    expect(JSON.stringify(ops.slice(0, -1))).toBe(JSON.stringify(plain));
    expect(Object.keys(ops[5] as Operation)).toEqual(Object.keys(plain[5] as Operation));
    // random order: more chunks than the cache holds, each read right
    for (const i of [2999, 0, 1500, 17, 2998, 640, 1, 2200]) expect(ops[i]).toEqual(plain[i]);
    // held again: nothing changes
    const again = [...ops];
    holdBodies(again, store);
    again.forEach((o, i) => expect(o).toBe(ops[i]));
  });

  it('gives a new frozen copy at each read; assigning replaces the body', () => {
    const ops = [createOp(1)];
    holdBodies(ops, new BodyStore());
    const op = ops[0] as Extract<Operation, { kind: 'create' }>;
    expect(op.body).not.toBe(op.body);
    expect(() => {
      (op.body as Record<string, unknown>)['displayName'] = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      ((op.body['nested'] as { list: unknown[] }).list as unknown[]).push(1);
    }).toThrow(TypeError);
    expect(op.body['displayName']).toBe('User 1');
    const spent = Object.freeze({});
    op.body = spent;
    expect(op.body).toBe(spent);
    expect(JSON.stringify(op)).toContain('"body":{}');
    // a spread is a plain operation
    const copy = { ...op, body: { ...op.body, x: 1 } };
    expect(copy.body).toEqual({ x: 1 });
  });

  it('lets go of the bodies it held', async () => {
    const ops = [createOp(1), createOp(2)];
    const refs = ops.map((o) => new WeakRef((o as Extract<Operation, { kind: 'create' }>).body));
    holdBodies(ops, new BodyStore());
    // a WeakRef's target lives until the task that made it ends (ECMAScript KeepDuringJob)
    await tick();
    gc();
    expect(refs.map((r) => r.deref())).toEqual([undefined, undefined]);
    expect((ops[1] as Extract<Operation, { kind: 'create' }>).body['displayName']).toBe('User 2');
  });
});

describe('the planner', () => {
  it('returns create and update operations whose bodies are held', () => {
    const plan = buildPlan({ archive: sampleArchive(), archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    const withBody = plan.operations.filter((o) => o.kind === 'create' || o.kind === 'update');
    expect(withBody.length).toBeGreaterThan(0);
    for (const o of withBody) expect(Object.getOwnPropertyDescriptor(o, 'body')?.get).toBeTypeOf('function');
  });
});
