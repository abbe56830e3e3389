/**
 * Run by test/restore/held-fields.test.ts as `node --allow-natives-syntax --import tsx` (a process
 * with one copy of each module, as the product has): two plans held one after the other, each with
 * its own stores, as a bootstrap-first restore holds them. Prints, as one JSON line, whether each
 * operation still has fast properties, and whether the second plan still equals its plain copy.
 */
import { isDeepStrictEqual } from 'node:util';
import { BodyStore, holdBodies } from '../../src/restore/held-bodies.js';
import { holdFields } from '../../src/restore/held-fields.js';
import { blockedEdge, EdgeStore } from '../../src/restore/plan/relation-op.js';
import type { Operation } from '../../src/restore/types.js';
import { create, edge } from './held-fixtures.js';

const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
/** `edge(i)` as the planner makes it, its label made when read (src/restore/plan/relation-op.ts). */
const lazyEdge = (i: number): Operation => {
  const e = edge(i) as Extract<Operation, { kind: 'addRelation' }>;
  const op = new EdgeStore().add({ opId: e.opId, tier: e.tier, dependsOn: e.dependsOn, kind: e.relation, from: e.from, to: e.to, toType: e.toType }, 'a', 'b');
  op.label = e.label;
  return op;
};
// as the planner makes them, beside the edge operations: an object with an accessor op id of its own
const blocked = [blockedEdge({ kind: 'groupMembers', from: 'g', to: 'u' }, 'group', 'u')];
const plans = [0, 1].map(() => [edge(1), edge(2), create(3), create(4), lazyEdge(5), lazyEdge(6)]);
const freshFast = plans.flat().every(hasFastProperties);
for (const ops of plans) {
  holdBodies(ops, new BodyStore());
  holdFields(ops);
}
const plain = [edge(1), edge(2), create(3), create(4), edge(5), edge(6)];
const equal = isDeepStrictEqual(plans[1], plain);
process.stdout.write(`${JSON.stringify({ fast: plans.map((ops) => ops.map(hasFastProperties)), equal, freshFast: freshFast && blocked.every(hasFastProperties) })}\n`);
