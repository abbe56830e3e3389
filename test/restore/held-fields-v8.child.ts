/**
 * Run by test/restore/held-fields.test.ts as `node --allow-natives-syntax --import tsx` (a process
 * with one copy of each module, as the product has): two plans held one after the other, each with
 * its own stores, as a bootstrap-first restore holds them. Prints, as one JSON line, whether each
 * operation still has fast properties, and whether the second plan still equals its plain copy.
 */
import { isDeepStrictEqual } from 'node:util';
import { BodyStore, holdBodies } from '../../src/restore/held-bodies.js';
import { holdFields } from '../../src/restore/held-fields.js';
import { create, edge } from './held-fixtures.js';

const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
const plans = [0, 1].map(() => [edge(1), edge(2), create(3), create(4)]);
for (const ops of plans) {
  holdBodies(ops, new BodyStore());
  holdFields(ops);
}
const plain = [edge(1), edge(2), create(3), create(4)];
const equal = isDeepStrictEqual(plans[1], plain);
process.stdout.write(`${JSON.stringify({ fast: plans.map((ops) => ops.map(hasFastProperties)), equal })}\n`);
