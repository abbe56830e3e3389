/**
 * External-tenant sign-up flows, `/identity/authenticationEventsFlows` (issue 15 "the whole
 * tenant"): self-service sign-up user flows built from events (externalUsersSelfServiceSignUpEventsFlow,
 * the one kind v1.0 creates).
 *
 * Graph facts (docs/graph-facts.md §3 "External-tenant sign-up flows", S252, S361, S373-S375):
 * - POST with `@odata.type` (required), displayName (required, unique), description, conditions,
 *   priority (default 500) and the event handlers; EventListener.Read.All / ReadWrite.All;
 * - the apps a flow applies to (`conditions.applications.includeApplications`, `{ appId }`), its
 *   identity providers (`onAuthenticationMethodLoadStart.identityProviders`, `{ id }`) and the
 *   attributes it collects (`onAttributeCollection.attributes`, `{ id }`) are sent inline in the
 *   create body, but Graph never returns them inline: each is read from its own navigation
 *   (src/snapshot/events-flow-navs.ts) and archived inline, in the shape the create body takes
 *   (docs/archive-format.md §2 "Sign-up events flows");
 * - the flow "creates, modifies, or deletes" the event listeners it manages: a listener with an
 *   `authenticationEventsFlowId` comes back with its flow (src/restore/plan/identity-providers.ts).
 * Every reference is re-linked: a recreated app's new appId, a custom attribute's new
 * `extension_<guid>_<name>` id (matched by displayName, ./user-flow-attributes.ts); identity
 * provider ids are `<type>-OAUTH` in every tenant. One that cannot be re-linked is taken out of
 * the body and named in a manual step (src/restore/plan/events-flows.ts), never dropped silently.
 */
import type { ReferenceRule } from './types.js';
import { define, ms } from './define.js';

/** The references a sign-up flow holds, in the archive's inline shape. */
const FLOW_REFS: readonly ReferenceRule[] = [
  // an app that cannot be resolved narrows the flow to fewer apps, never widens it
  { path: 'conditions.applications.includeApplications.appId', by: 'appId', targets: ['application', 'servicePrincipal'], required: false },
  { path: 'onAuthenticationMethodLoadStart.identityProviders.id', by: 'id', targets: ['identityProvider'], required: false },
  { path: 'onAttributeCollection.attributes.id', by: 'id', targets: ['userFlowAttribute'], required: false },
  // the sign-up page's inputs name the attribute each collects
  { path: 'onAttributeCollection.attributeCollectionPage.views.inputs.attribute', by: 'id', targets: ['userFlowAttribute'], required: false },
  // the custom extensions the attribute collection start and submit handlers call, when Graph returns them
  // inline (a navigation in the CSDL; unverified, docs/graph-facts.md S376): a missing one is a manual step
  { path: 'onAttributeCollectionStart.customExtension.id', by: 'id', targets: ['customAuthenticationExtension'], required: false },
  { path: 'onAttributeCollectionSubmit.customExtension.id', by: 'id', targets: ['customAuthenticationExtension'], required: false },
];

export const authenticationEventsFlow = define({
  type: 'authenticationEventsFlow', entityType: ms('authenticationEventsFlow'), title: 'Sign-up events flow',
  path: '/identity/authenticationEventsFlows', shape: 'collection', polymorphic: true,
  // displayName "Must be unique" (S361): the natural key
  requiredOnCreate: ['displayName'], references: FLOW_REFS, naturalKey: ['displayName'], softDelete: 'hard',
  // after the apps (tier 2), identity providers (tier 1) and custom attributes it names (tier 3, ordered by reference)
  tier: 3,
  permissions: { read: 'EventListener.Read.All', write: 'EventListener.ReadWrite.All' },
});
