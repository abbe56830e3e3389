/**
 * Identity providers (issue 15 item 6) as Graph v1.0 documents them for a workforce tenant
 * (docs/graph-facts.md §3 "Identity providers"):
 * - `POST /identity/identityProviders` creates a `socialIdentityProvider` (Google or Facebook
 *   in a workforce tenant) with displayName, identityProviderType, clientId and clientSecret,
 *   all required https://learn.microsoft.com/graph/api/identitycontainer-post-identityproviders,
 *   https://learn.microsoft.com/graph/api/resources/socialidentityprovider
 * - the client secret "is write-only. A read operation returns ****" (same page)
 * - built-in providers (AADSignup-OAUTH, EmailOtpSignup-OAUTH, MSASignup-OAUTH) are Entra's own
 *   https://learn.microsoft.com/graph/api/resources/builtinidentityprovider: never created.
 * The id is `<identityProviderType>-OAUTH`, as the documented list shows. Also the create rules
 * of the other external-identity types: custom authentication extensions and user flows.
 */
import type { DirObject, Json } from '../model.js';
import type { Ctx } from './context.js';
import { badRequest, GraphHttpError } from './graph-error.js';
import type { CreateContext } from './writes.js';

const SOCIAL = '#microsoft.graph.socialIdentityProvider';
/** The social providers a workforce tenant may add. */
const WORKFORCE_SOCIAL = new Set(['Google', 'Facebook']);
/** What Graph answers in place of a write-only secret. */
export const MASKED_SECRET = '****';

/** Validates and completes a new identity provider. @throws GraphHttpError 400 / 409 */
export function prepareIdentityProvider(ctx: Ctx, o: DirObject, _c: CreateContext): void {
  if (o['@odata.type'] !== SOCIAL) {
    throw badRequest(`Only a '${SOCIAL}' can be created in this tenant; built-in identity providers are added by Microsoft Entra.`);
  }
  for (const p of ['displayName', 'identityProviderType', 'clientId', 'clientSecret']) {
    if (typeof o[p] !== 'string' || o[p] === '') throw badRequest(`Property '${p}' is required when creating a socialIdentityProvider.`);
  }
  const kind = String(o['identityProviderType']);
  if (!WORKFORCE_SOCIAL.has(kind)) throw badRequest(`Invalid identityProviderType '${kind}': a workforce tenant supports Google and Facebook.`);
  o.id = `${kind}-OAUTH`;
  if (ctx.rt.store.get('identityProvider', o.id)) {
    throw new GraphHttpError(409, 'Request_MultipleObjectsWithSameKeyValue', `An identity provider of type ${kind} already exists.`);
  }
}

/** A projected provider with its write-only secret read back as Graph does. */
export function maskWriteOnly(out: Record<string, Json>): void {
  if (typeof out['clientSecret'] === 'string' && out['clientSecret'] !== '') out['clientSecret'] = MASKED_SECRET;
}

/**
 * A new custom authentication extension names its kind: v1.0's create page supports
 * `#microsoft.graph.onTokenIssuanceStartCustomExtension`
 * (https://learn.microsoft.com/graph/api/identitycontainer-post-customauthenticationextensions).
 * @throws GraphHttpError 400 for another or a missing `@odata.type`
 */
export function prepareCustomAuthenticationExtension(_ctx: Ctx, o: DirObject, _c: CreateContext): void {
  if (o['@odata.type'] !== '#microsoft.graph.onTokenIssuanceStartCustomExtension') {
    throw badRequest("The '@odata.type' of a custom authentication extension must be '#microsoft.graph.onTokenIssuanceStartCustomExtension'.");
  }
}

/**
 * A self-service sign-up user flow: POST names it, Graph keeps it as `B2X_1_<name>`;
 * userFlowType is always signUpOrSignIn and userFlowTypeVersion 1
 * (https://learn.microsoft.com/graph/api/identitycontainer-post-b2xuserflows).
 * @throws GraphHttpError 400 for other values, 409 for a name in use
 */
export function prepareB2xUserFlow(ctx: Ctx, o: DirObject, _c: CreateContext): void {
  if (o['userFlowType'] !== 'signUpOrSignIn') throw badRequest("Invalid userFlowType: the value is always 'signUpOrSignIn'.");
  if (o['userFlowTypeVersion'] !== 1) throw badRequest('Invalid userFlowTypeVersion: the value is always 1.');
  if (!o.id.startsWith('B2X_1_')) o.id = `B2X_1_${o.id}`;
  if (ctx.rt.store.get('b2xUserFlow', o.id)) throw new GraphHttpError(409, 'Request_MultipleObjectsWithSameKeyValue', `A user flow named ${o.id} already exists.`);
  o['apiConnectorConfiguration'] ??= {};
}

/** The listener kinds v1.0's create page names (identitycontainer-post-authenticationeventlisteners). */
const LISTENER_TYPES = new Set(['#microsoft.graph.onTokenIssuanceStartListener', '#microsoft.graph.onFraudProtectionLoadStartListener',
  '#microsoft.graph.onVerifiedIdClaimValidationListener']);

/**
 * A new authentication event listener names its kind in `@odata.type`
 * (https://learn.microsoft.com/graph/api/identitycontainer-post-authenticationeventlisteners).
 * @throws GraphHttpError 400 for another or a missing `@odata.type`
 */
export function prepareAuthenticationEventListener(_ctx: Ctx, o: DirObject, _c: CreateContext): void {
  if (!LISTENER_TYPES.has(String(o['@odata.type']))) {
    throw badRequest("The '@odata.type' of an authentication event listener must name its kind, e.g. '#microsoft.graph.onTokenIssuanceStartListener'.");
  }
  o['authenticationEventsFlowId'] ??= null;
}

/**
 * A listener's PATCH "must specify the @odata.type property", its own kind
 * (https://learn.microsoft.com/graph/api/authenticationeventlistener-update).
 * @throws GraphHttpError 400 when it is missing or names another kind
 */
export function checkListenerPatch(type: string, o: DirObject, body: Record<string, unknown>): void {
  if (type === 'authenticationEventListener' && body['@odata.type'] !== o['@odata.type']) {
    throw badRequest(`An authentication event listener's update must specify its '@odata.type' (${String(o['@odata.type'])}).`);
  }
  // "The @odata.type property with a value of #microsoft.graph.fido2AuthenticationMethodConfiguration
  // must be included in the body" (each method's update page, docs/graph-facts.md S388)
  if (type === 'authenticationMethodConfiguration' && body['@odata.type'] !== o['@odata.type']) {
    throw badRequest(`An authentication method configuration's update must specify its '@odata.type' (${String(o['@odata.type'])}).`);
  }
}
