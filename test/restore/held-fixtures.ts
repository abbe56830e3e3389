/**
 * Operations for the tests of the held fields (test/restore/held-fields.test.ts) and the child
 * process that checks V8's hidden classes for them (./held-fields-v8.child.ts).
 */
import type { Operation } from '../../src/restore/types.js';

export function edge(i: number): Operation {
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

export function create(i: number): Operation {
  return {
    opId: `create:user:u${i}`, kind: 'create', tier: 2, dependsOn: [], label: `Create user u${i}`,
    type: 'user', archivedId: `u${i}`, body: { displayName: `U${i}`, '3': 'three' }, refs: [],
  };
}
