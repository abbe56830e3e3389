/**
 * External identities (issue 15 item 6): the tenant's authentication flows policy and its
 * identity providers.
 *
 * Graph facts (docs/graph-facts.md §3 "Authentication flows policy", "Identity providers", S93, S95):
 * - a singleton, `/policies/authenticationFlowsPolicy`, read with Policy.Read.All and updated
 *   with PATCH (Policy.ReadWrite.AuthenticationFlows); only `selfServiceSignUp` is writable
 *   (displayName, description and id are read-only)
 *   https://learn.microsoft.com/graph/api/resources/authenticationflowspolicy,
 *   https://learn.microsoft.com/graph/api/authenticationflowspolicy-update
 *
 * - identity providers, `/identity/identityProviders` (S95): social providers (Google,
 *   Facebook) with a client id and a write-only client secret ("A read operation returns ****"),
 *   and the built-in ones Entra adds to every tenant (AADSignup-OAUTH, EmailOtpSignup-OAUTH,
 *   MSASignup-OAUTH). The secret is never readable, so a provider is never created by a restore:
 *   a manual step names the provider and the secret to re-enter (restore/plan/identity-providers.ts),
 *   and fidelity reports it. One that exists is patched (clientId, displayName) without its secret.
 *   Ids are `<type>-OAUTH`, the same in every tenant: the natural key.
 *
 * - domain federation, `/domains/{id}/federationConfiguration` (`internalDomainFederation`, S96):
 *   created by POST under its domain (Domain.ReadWrite.All); the signing certificates are the
 *   public halves, restorable as archived. The domain must exist and be verified first, so a
 *   tenant-loss restore writes it only once the domain is verified in the target (before that it
 *   is skipped with a manual step, restore/plan/domain-federation.ts); natural key issuerUri.
 *
 * - custom authentication extensions, `/identity/customAuthenticationExtensions` (S97): created by
 *   POST with their `@odata.type` (v1.0 documents onTokenIssuanceStartCustomExtension), displayName,
 *   authenticationConfiguration and endpointConfiguration; CustomAuthenticationExtension.ReadWrite.All.
 *   `authenticationConfiguration.resourceId` is the API app's identifier URI, which embeds its
 *   appId: a recreated app's new appId is written there (restore/plan/embed.ts), so tier 3, after apps.
 *
 * - self-service sign-up user flows, `/identity/b2xUserFlows` (S98): POST with id (the name, which
 *   Graph prefixes with `B2X_1_`), userFlowType `signUpOrSignIn` and userFlowTypeVersion 1, all
 *   required; IdentityUserFlow.ReadWrite.All. The id comes back as `B2X_1_<name>` in every tenant,
 *   so it is the natural key; the create sends the name without the prefix (restore/plan/candidates.ts).
 *
 * - authentication event listeners, `/identity/authenticationEventListeners` (S250): what makes
 *   Entra call a custom authentication extension. POST with their `@odata.type`
 *   (onTokenIssuanceStartListener…), `conditions.applications.includeApplications` (the appIds of
 *   the apps whose sign-ins trigger it) and `handler` (`customExtension.id` names the extension);
 *   PATCH names the `@odata.type` too (restore/plan/updates.ts); EventListener.ReadWrite.All.
 *   Both references are re-linked: a recreated app's new appId, a recreated extension's new id.
 *   No natural key is documented: matched by displayName, else (displayName is optional) by the
 *   extension its handler calls, after that extension is matched (so a re-run finds it again).
 *
 * A user flow's identity providers are the relation b2xUserFlowIdentityProviders (./relations.ts);
 * its attribute assignments, the attributes they collect and its languages are ./user-flow-attributes.ts.
 */
import type { ReferenceRule } from './types.js';
import { define, ms } from './define.js';

// a user flow's attribute assignments and their attributes, listed next to these by ./resources.ts
export { userFlowAttribute, userFlowAttributeAssignment, userFlowLanguage } from './user-flow-attributes.js';
// the external-tenant sign-up flows, which name identity providers, attributes and apps
export { authenticationEventsFlow } from './events-flows.js';

export const authenticationFlowsPolicy = define({
  type: 'authenticationFlowsPolicy', entityType: ms('authenticationFlowsPolicy'), title: 'Authentication flows policy',
  path: '/policies/authenticationFlowsPolicy', shape: 'singleton',
  readOnly: ['description', 'displayName'], requiredOnCreate: [], naturalKey: [], softDelete: 'notDeletable', tier: 1,
  permissions: { read: 'Policy.Read.All', write: 'Policy.ReadWrite.AuthenticationFlows' },
});

/** Properties only the SAML/WS-Fed derived types carry (domainFederation below). */
const FEDERATION_ONLY = ['issuerUri', 'metadataExchangeUri', 'passiveSignInUri', 'preferredAuthenticationProtocol', 'signingCertificate',
  'activeSignInUri', 'federatedIdpMfaBehavior', 'isSignedAuthenticationRequestRequired', 'nextSigningCertificate', 'passwordResetUri',
  'promptLoginBehavior', 'signingCertificateUpdateStatus', 'signOutUri'];

export const identityProvider = define({
  type: 'identityProvider', entityType: ms('identityProviderBase'), title: 'Identity provider', path: '/identity/identityProviders',
  shape: 'collection', polymorphic: true,
  derivedTypes: ['socialIdentityProvider', 'builtInIdentityProvider', 'appleManagedIdentityProvider', 'oidcIdentityProvider'].map(ms),
  excluded: Object.fromEntries(FEDERATION_ONLY.map((p) => [p, 'a domain federation property (samlOrWsFedProvider): served under /domains/{id}/federationConfiguration (domainFederation), never by this list'])),
  // clientSecret and certificateData are write-only (read back as "****", S95): never compared or
  // written from the archive (src/restore/catalog.ts NEVER_WRITTEN)
  requiredOnCreate: ['displayName'], naturalKey: ['id'], softDelete: 'hard', tier: 1,
  permissions: { read: 'IdentityProvider.Read.All', write: 'IdentityProvider.ReadWrite.All' },
});

export const domainFederation = define({
  type: 'domainFederation', entityType: ms('internalDomainFederation'), title: 'Domain federation',
  path: '/domains/{parentId}/federationConfiguration', shape: 'contained', parentType: 'domain',
  // the status of Entra's own certificate rollover
  readOnly: ['signingCertificateUpdateStatus'],
  requiredOnCreate: [], naturalKey: ['issuerUri'], softDelete: 'hard', tier: 1,
  permissions: { read: 'Domain.Read.All', write: 'Domain.ReadWrite.All' },
});

export const customAuthenticationExtension = define({
  type: 'customAuthenticationExtension', entityType: ms('customAuthenticationExtension'), title: 'Custom authentication extension',
  path: '/identity/customAuthenticationExtensions', shape: 'collection', polymorphic: true,
  requiredOnCreate: ['authenticationConfiguration', 'displayName', 'endpointConfiguration'], naturalKey: ['displayName'], softDelete: 'hard', tier: 3,
  permissions: { read: 'CustomAuthenticationExtension.Read.All', write: 'CustomAuthenticationExtension.ReadWrite.All' },
});

export const b2xUserFlow = define({
  type: 'b2xUserFlow', entityType: ms('b2xIdentityUserFlow'), title: 'Self-service sign-up user flow', path: '/identity/b2xUserFlows',
  shape: 'collection', createOnly: ['id', 'userFlowType', 'userFlowTypeVersion'], requiredOnCreate: ['id', 'userFlowType', 'userFlowTypeVersion'],
  naturalKey: ['id'], softDelete: 'hard', tier: 2,
  permissions: { read: 'IdentityUserFlow.Read.All', write: 'IdentityUserFlow.ReadWrite.All' },
});

/** The apps a listener applies to (by appId) and the extension its handler calls (by id). */
const LISTENER_REFS: readonly ReferenceRule[] = [
  // an app that cannot be resolved narrows the listener, never widens it: not required
  { path: 'conditions.applications.includeApplications.appId', by: 'appId', targets: ['application', 'servicePrincipal'], required: false },
  { path: 'handler.customExtension.id', by: 'id', targets: ['customAuthenticationExtension'], required: true },
];

export const authenticationEventListener = define({
  type: 'authenticationEventListener', entityType: ms('authenticationEventListener'), title: 'Authentication event listener',
  path: '/identity/authenticationEventListeners', shape: 'collection', polymorphic: true,
  // the sign-up flow a listener belongs to (./events-flows.ts): such a listener comes back with its flow
  readOnly: ['authenticationEventsFlowId'],
  // displayName is optional: an unnamed listener is found again by the extension it calls (mapped to the live one)
  requiredOnCreate: ['handler'], references: LISTENER_REFS, naturalKey: ['displayName', 'handler.customExtension.id'], softDelete: 'hard', tier: 3,
  permissions: { read: 'EventListener.Read.All', write: 'EventListener.ReadWrite.All' },
});
