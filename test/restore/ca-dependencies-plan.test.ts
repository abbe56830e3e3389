/**
 * Issue 15 item 5 in the planner: a CA policy's authentication contexts and terms of use join
 * the rule "switched on only after every reference verifies" (docs/reliability.md 22).
 * - An archived authentication context is created (its id kept: c1…c99 is the acrs claim value,
 *   https://learn.microsoft.com/graph/api/resources/authenticationcontextclassreference) before the
 *   policy's enable op; one neither archived nor live keeps the policy report-only.
 * - Terms of use agreements are not restorable through Graph v1.0 (delegated only, file content
 *   never returned: https://learn.microsoft.com/graph/api/agreement-list-files), so in another
 *   tenant a policy requiring one stays report-only and a manual step names the agreement; in the
 *   same tenant the id is kept.
 */
import { describe, expect, test } from 'vitest';
import { buildPlan } from '../../src/restore/plan/planner.js';
import type { Operation } from '../../src/restore/types.js';
import type { JsonObject } from '../../src/model.js';
import { emptyLive, liveCopy, meta, sampleArchive } from './planner-fixtures.js';
import { diffTenant } from '../../src/restore/diff.js';

const CA = 'create:conditionalAccessPolicy:ca-1';
const ENABLE = 'enable:conditionalAccessPolicy:ca-1';

function withContexts(refs: string[], archived: string[]) {
  const archive = sampleArchive();
  const ca = archive.objects.conditionalAccessPolicy![0]!;
  (ca['conditions'] as { applications: JsonObject }).applications['includeAuthenticationContextClassReferences'] = refs;
  archive.objects.authenticationContextClassReference = archived.map((id) => ({ id, displayName: `Context ${id}`, description: null, isAvailable: true }));
  return archive;
}

describe('authentication contexts referenced by a CA policy', () => {
  test('an archived context is created with its id, and the policy is switched on only after it', () => {
    const plan = buildPlan({ archive: withContexts(['c1'], ['c1', 'c2']), archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    const create = plan.operations.find((o) => o.opId === 'create:authenticationContextClassReference:c1') as Extract<Operation, { kind: 'create' }>;
    expect(create).toMatchObject({ tier: 1, body: { id: 'c1', displayName: 'Context c1' } });
    const caOp = plan.operations.find((o) => o.opId === CA) as Extract<Operation, { kind: 'create' }>;
    expect(caOp.dependsOn).toContain(create.opId);
    expect(caOp.refs).toContainEqual(expect.objectContaining({ archivedTargetId: 'c1', targetType: 'authenticationContextClassReference' }));
    expect(plan.operations.find((o) => o.opId === ENABLE)?.dependsOn).toContain(create.opId);
    expect(plan.reportOnly).toEqual([]);
  });

  test('a context neither archived nor in the target keeps the policy report-only, named', () => {
    const plan = buildPlan({ archive: withContexts(['c7'], ['c1']), archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    expect(plan.operations.find((o) => o.opId === ENABLE)).toBeUndefined();
    expect(plan.unresolved).toContainEqual(expect.objectContaining({ archivedId: 'ca-1', value: 'c7', effect: 'keptReportOnly' }));
    expect(plan.reportOnly.map((r) => r.archivedId)).toEqual(['ca-1']);
  });

  test('a context the target already has is kept as it is, nothing created', () => {
    const live = emptyLive();
    live.objects.authenticationContextClassReference = [{ id: 'c1', displayName: 'Context c1', description: null, isAvailable: true }];
    const plan = buildPlan({ archive: withContexts(['c1'], ['c1']), archiveMeta: meta, live, scenario: 'tenant-loss' });
    expect(plan.operations.some((o) => o.opId === 'create:authenticationContextClassReference:c1')).toBe(false);
    expect(plan.operations.find((o) => o.opId === ENABLE)).toBeDefined();
  });
});

describe('terms of use required by a CA policy', () => {
  const archive = sampleArchive();
  (archive.objects.conditionalAccessPolicy![0]!['grantControls'] as JsonObject)['termsOfUse'] = ['tou-guid-1'];

  test('in a new tenant: report-only, never switched on, a manual step names the agreement', () => {
    const plan = buildPlan({ archive, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    expect(plan.operations.find((o) => o.opId === ENABLE)).toBeUndefined();
    expect(plan.unresolved).toContainEqual(expect.objectContaining({ archivedId: 'ca-1', path: 'grantControls.termsOfUse[0]', value: 'tou-guid-1', effect: 'keptReportOnly' }));
    const step = plan.manualSteps.find((s) => s.id === 'manual:termsOfUse');
    expect(step?.objects).toEqual(['ca-1']);
    expect(step?.instructions).toContain('Sales MFA (agreement tou-guid-1)');
  });

  test('in the same tenant the agreement id is kept and the policy is switched on', () => {
    const live = { ...emptyLive(), tenantId: 'tenant-a', initialDomain: 'contoso.onmicrosoft.com' };
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    const caOp = plan.operations.find((o) => o.opId === CA) as Extract<Operation, { kind: 'create' }>;
    expect((caOp.body['grantControls'] as JsonObject)['termsOfUse']).toEqual(['tou-guid-1']);
    expect(plan.operations.find((o) => o.opId === ENABLE)).toBeDefined();
    expect(plan.manualSteps.some((s) => s.id === 'manual:termsOfUse')).toBe(false);
  });
});

describe('authentication event listeners (https://learn.microsoft.com/graph/api/resources/authenticationeventlistener)', () => {
  const listener = (id: string, type: string, flow: string | null): JsonObject => ({
    id, '@odata.type': `#microsoft.graph.${type}`, displayName: id, authenticationEventsFlowId: flow,
    conditions: { applications: { includeApplications: [] } }, handler: null,
  });
  test('one of a sign-up events flow (authenticationEventsFlowId, read-only) is skipped with its reason, a standalone one created', () => {
    const archive = sampleArchive();
    archive.objects.authenticationEventListener = [listener('l-flow', 'onAttributeCollectionListener', 'flow-1'), listener('l-own', 'onTokenIssuanceStartListener', null)];
    const plan = buildPlan({ archive, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    expect(plan.skipped).toContainEqual(expect.objectContaining({ archivedId: 'l-flow', reason: expect.stringContaining('sign-up events flow flow-1') }));
    const create = plan.operations.find((o) => o.opId === 'create:authenticationEventListener:l-own') as Extract<Operation, { kind: 'create' }>;
    expect(create.body).toMatchObject({ '@odata.type': '#microsoft.graph.onTokenIssuanceStartListener', displayName: 'l-own' });
    expect(create.body).not.toHaveProperty('authenticationEventsFlowId');
  });

  test('an unnamed listener is found again in the target by the extension it calls (mapped to the live extension), not recreated', () => {
    const archive = sampleArchive();
    archive.objects.customAuthenticationExtension = [{ id: 'cae-1', '@odata.type': '#microsoft.graph.onTokenIssuanceStartCustomExtension', displayName: 'HR claims' }];
    const own = listener('l-1', 'onTokenIssuanceStartListener', null);
    delete own['displayName'];
    own['handler'] = { '@odata.type': '#microsoft.graph.onTokenIssuanceStartCustomExtensionHandler', customExtension: { id: 'cae-1' } };
    archive.objects.authenticationEventListener = [own];
    const live = liveCopy(archive);
    live.objects.customAuthenticationExtension![0]!.id = 'new-cae-1';
    const liveListener = live.objects.authenticationEventListener![0]!;
    liveListener.id = 'new-l-1';
    liveListener['handler'] = { '@odata.type': '#microsoft.graph.onTokenIssuanceStartCustomExtensionHandler', customExtension: { id: 'new-cae-1' } };
    const entry = diffTenant(archive, live).objects.find((o) => o.archivedId === 'l-1');
    expect(entry).toMatchObject({ liveId: 'new-l-1', matchedBy: 'naturalKey', status: 'equal' });
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    expect(plan.operations.some((o) => o.opId === 'create:authenticationEventListener:l-1')).toBe(false);
  });
});
