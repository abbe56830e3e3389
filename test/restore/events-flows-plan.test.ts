/**
 * Sign-up events flows in the planner (issue 15; src/catalog/events-flows.ts, src/restore/plan/events-flows.ts):
 * - a listener with an `authenticationEventsFlowId` comes back with its flow, which "creates, modifies, or
 *   deletes" the listeners it manages (https://learn.microsoft.com/graph/api/resources/authenticationeventsflow,
 *   docs/graph-facts.md S361);
 * - a flow's PATCH names its `@odata.type` (https://learn.microsoft.com/graph/api/authenticationeventsflow-update, S373);
 * - a reference nothing resolves is taken out of the body with the entry that held it, and named in a
 *   manual step (the add calls of https://learn.microsoft.com/graph/api/onauthenticationmethodloadstartexternalusersselfservicesignup-post-identityproviders, S374).
 */
import { describe, expect, test } from 'vitest';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { dropEmptyFlowRefs, EVENTS_FLOW_STEP_ID } from '../../src/restore/plan/events-flows.js';
import type { Operation } from '../../src/restore/types.js';
import type { JsonObject } from '../../src/model.js';
import { emptyLive, liveCopy, meta, sampleArchive } from './planner-fixtures.js';

const FLOW = '#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow';
const LOAD = '#microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp';

function flow(providers: string[]): JsonObject {
  return {
    id: 'flow-1', '@odata.type': FLOW, displayName: 'Partners', description: null, priority: 500,
    onAuthenticationMethodLoadStart: { '@odata.type': LOAD, identityProviders: providers.map((id) => ({ id })) },
  };
}

describe('sign-up events flows in the plan', () => {
  test('a listener of an archived flow is skipped as coming back with that flow, named by its displayName', () => {
    const archive = sampleArchive();
    archive.objects.authenticationEventsFlow = [flow(['EmailOtpSignup-OAUTH'])];
    archive.objects.identityProvider = [{ id: 'EmailOtpSignup-OAUTH', '@odata.type': '#microsoft.graph.builtInIdentityProvider', displayName: 'Email One Time Passcode' }];
    archive.objects.authenticationEventListener = [{ id: 'l-1', '@odata.type': '#microsoft.graph.onAttributeCollectionListener', displayName: null, authenticationEventsFlowId: 'flow-1', conditions: null, handler: null }];
    const plan = buildPlan({ archive, archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    expect(plan.skipped).toContainEqual(expect.objectContaining({ archivedId: 'l-1', reason: expect.stringContaining('sign-up events flow Partners: Entra recreates it with that flow') }));
    expect(plan.operations.some((o) => o.opId === 'create:authenticationEventsFlow:flow-1')).toBe(true);
  });

  test('an unresolvable identity provider is taken out with its entry and named in manual:authenticationEventsFlows', () => {
    const archive = sampleArchive();
    archive.objects.authenticationEventsFlow = [flow(['EmailOtpSignup-OAUTH', 'Google-OAUTH'])];
    archive.objects.identityProvider = [{ id: 'EmailOtpSignup-OAUTH', '@odata.type': '#microsoft.graph.builtInIdentityProvider', displayName: 'Email One Time Passcode' }];
    const live = emptyLive();
    live.objects.identityProvider = [{ id: 'EmailOtpSignup-OAUTH', '@odata.type': '#microsoft.graph.builtInIdentityProvider', displayName: 'Email One Time Passcode' }];
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    const create = plan.operations.find((o) => o.opId === 'create:authenticationEventsFlow:flow-1') as Extract<Operation, { kind: 'create' }>;
    expect(create.body['onAuthenticationMethodLoadStart']).toEqual({ '@odata.type': LOAD, identityProviders: [{ id: 'EmailOtpSignup-OAUTH' }] });
    expect(plan.unresolved).toContainEqual(expect.objectContaining({ archivedId: 'flow-1', value: 'Google-OAUTH', effect: 'dropped' }));
    const step = plan.manualSteps.find((s) => s.id === EVENTS_FLOW_STEP_ID);
    expect(step?.objects).toEqual(['flow-1']);
    expect(step?.instructions).toContain('flow Partners: identity provider Google-OAUTH');
  });

  test('a custom-extension handler: its extension re-linked when archived, a manual step when the archive does not name it', () => {
    const archive = sampleArchive();
    const f = flow(['EmailOtpSignup-OAUTH']);
    f['onAttributeCollectionStart'] = { '@odata.type': '#microsoft.graph.onAttributeCollectionStartCustomExtensionHandler', configuration: null, customExtension: { id: 'cae-1' } };
    f['onAttributeCollectionSubmit'] = { '@odata.type': '#microsoft.graph.onAttributeCollectionSubmitCustomExtensionHandler', configuration: null };
    archive.objects.authenticationEventsFlow = [f];
    archive.objects.customAuthenticationExtension = [{ id: 'cae-1', '@odata.type': '#microsoft.graph.onAttributeCollectionStartCustomExtension', displayName: 'Validate partner' }];
    const live = emptyLive();
    live.objects.identityProvider = [{ id: 'EmailOtpSignup-OAUTH', '@odata.type': '#microsoft.graph.builtInIdentityProvider', displayName: 'Email One Time Passcode' }];
    live.objects.customAuthenticationExtension = [{ id: 'new-cae-1', '@odata.type': '#microsoft.graph.onAttributeCollectionStartCustomExtension', displayName: 'Validate partner' }];
    archive.objects.identityProvider = live.objects.identityProvider;
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    const create = plan.operations.find((o) => o.opId === 'create:authenticationEventsFlow:flow-1') as Extract<Operation, { kind: 'create' }>;
    expect((create.body['onAttributeCollectionStart'] as JsonObject)['customExtension']).toEqual({ id: 'new-cae-1' });
    const step = plan.manualSteps.find((s) => s.id === EVENTS_FLOW_STEP_ID);
    expect(step?.instructions).toContain('flow Partners: onAttributeCollectionSubmit (onAttributeCollectionSubmitCustomExtensionHandler) calls a custom authentication extension the archive does not name');
    expect(step?.instructions).not.toContain('onAttributeCollectionStart (');
  });

  test('an update of a matched flow names its @odata.type', () => {
    const archive = sampleArchive();
    archive.objects.authenticationEventsFlow = [flow([])];
    const live = liveCopy(archive);
    live.objects.authenticationEventsFlow![0]!.id = 'live-flow';
    live.objects.authenticationEventsFlow![0]!['description'] = 'changed';
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    const update = plan.operations.find((o) => o.kind === 'update' && o.type === 'authenticationEventsFlow') as Extract<Operation, { kind: 'update' }>;
    expect(update.body).toEqual({ '@odata.type': FLOW, description: null });
  });

  test('dropEmptyFlowRefs keeps only the entries that still name something', () => {
    const body: JsonObject = {
      conditions: { applications: { includeApplications: [{ appId: 'a' }, {}] } },
      onAuthenticationMethodLoadStart: { identityProviders: [{}, { id: 'EmailOtpSignup-OAUTH' }] },
      onAttributeCollection: { attributes: [{ id: 'email' }, {}], attributeCollectionPage: { views: [{ inputs: [{ label: 'Color' }, { attribute: 'email', label: 'Email' }] }] } },
    };
    dropEmptyFlowRefs(body);
    expect(body).toEqual({
      conditions: { applications: { includeApplications: [{ appId: 'a' }] } },
      onAuthenticationMethodLoadStart: { identityProviders: [{ id: 'EmailOtpSignup-OAUTH' }] },
      onAttributeCollection: { attributes: [{ id: 'email' }], attributeCollectionPage: { views: [{ inputs: [{ attribute: 'email', label: 'Email' }] }] } },
    });
  });
});
