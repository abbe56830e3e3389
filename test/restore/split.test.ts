/**
 * src/restore/plan/split.ts: a create is cut into the create and a follow-up update whose opId is
 * unique among the plan's, from the set of opIds in use the planner makes only when an op is
 * really split (src/restore/plan/planner.ts stageOperations).
 */
import { describe, expect, test } from 'vitest';
import { defaultPlannerCatalog } from '../../src/restore/catalog.js';
import { followUpId, makeSplitter, opIdsInUse } from '../../src/restore/plan/split.js';
import type { Operation } from '../../src/restore/types.js';

const B_CREATE = 'create:application:app-b';

function appCreate(): Operation {
  return {
    opId: 'create:application:app-a', kind: 'create', tier: 2, dependsOn: [B_CREATE], label: 'Create A', type: 'application', archivedId: 'app-a',
    body: { displayName: 'A', requiredResourceAccess: [{ resourceAppId: 'bbbbbbbb-0000-0000-0000-000000000002', resourceAccess: [] }] },
    refs: [{ at: ['requiredResourceAccess', 0, 'resourceAppId'], by: 'appId', archivedTargetId: 'app-b', targetType: 'application' }],
  };
}

describe('makeSplitter', () => {
  test('the follow-up gets the next free opId, and each one it makes is taken', () => {
    let made = 0;
    const inUse = new Set(['create:application:app-a', B_CREATE, 'update:application:app-a']);
    const split = makeSplitter({
      catalog: defaultPlannerCatalog, producer: new Map([['app-b', B_CREATE]]), nameOf: (id) => id,
      taken: () => {
        made++;
        return inUse;
      },
    });
    const [created, follow] = split(appCreate(), new Set([B_CREATE])) ?? [];
    expect(follow?.opId).toBe('update:application:app-a#2');
    expect(created?.dependsOn).toEqual([]);
    expect(follow?.dependsOn).toEqual(['create:application:app-a', B_CREATE]);
    expect(follow?.kind === 'update' && Object.keys(follow.body)).toEqual(['requiredResourceAccess']);
    expect(split(appCreate(), new Set([B_CREATE]))?.[1]?.opId).toBe('update:application:app-a#3');
    expect(made).toBe(2);
  });

  test('asks for the opIds in use only when it splits', () => {
    let made = 0;
    const split = makeSplitter({ catalog: defaultPlannerCatalog, producer: new Map([['app-b', B_CREATE]]), nameOf: (id) => id, taken: () => (made++, new Set<string>()) });
    // nothing the cut names is in the body: no split
    expect(split(appCreate(), new Set(['create:group:g1']))).toBeUndefined();
    expect(split({ ...appCreate(), kind: 'update', changes: [] } as Operation, new Set([B_CREATE]))).toBeUndefined();
    expect(made).toBe(0);
  });
});

describe('opIdsInUse', () => {
  test('holds the ids a follow-up could take, and never makes an edge operation\'s', () => {
    // an edge operation makes its op id when read (src/restore/plan/relation-op.ts): at 100k users the
    // set of every op id was 250,000 such strings made for nothing
    const edge = { kind: 'addRelation', get opId(): string { throw new Error('an edge op id was read'); } } as unknown as Operation;
    const ops: Operation[] = [appCreate(), edge, { ...appCreate(), opId: 'update:application:app-a', kind: 'update', changes: [] } as Operation];
    const taken = opIdsInUse(ops)();
    expect([...taken]).toEqual(['update:application:app-a']);
    // the follow-up of app-a's create takes the next free id
    expect(followUpId(taken, { type: 'application', archivedId: 'app-a' })).toBe('update:application:app-a#2');
    expect(taken.has('update:application:app-a#2')).toBe(true);
  });
});
