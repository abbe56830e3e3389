/**
 * Authentication contexts and the authentication flows policy in the emulator (issue 15 items
 * 5-6), as Graph v1.0 documents them:
 * - https://learn.microsoft.com/graph/api/authenticationcontextclassreference-update ("Create or
 *   update": PATCH …/authenticationContextClassReferences/{id} creates the object when the id is
 *   unused, updates it otherwise; 204 No Content; Policy.ReadWrite.ConditionalAccess)
 * - https://learn.microsoft.com/graph/api/resources/authenticationcontextclassreference (id: the
 *   acrs claim value, c1 through c99; no create by POST is documented in v1.0)
 * - https://learn.microsoft.com/graph/api/authenticationflowspolicy-update (PATCH selfServiceSignUp,
 *   204; id, displayName and description cannot be modified; Policy.ReadWrite.AuthenticationFlows)
 * - https://learn.microsoft.com/graph/api/identitycontainer-post-identityproviders and
 *   https://learn.microsoft.com/graph/api/resources/socialidentityprovider (a workforce tenant adds
 *   Google or Facebook; clientId and clientSecret required; the secret "is write-only. A read
 *   operation returns ****"), https://learn.microsoft.com/graph/api/resources/builtinidentityprovider
 * - https://learn.microsoft.com/graph/api/domain-post-federationconfiguration (POST under the domain,
 *   Domain.ReadWrite.All) and https://learn.microsoft.com/graph/api/resources/domain (authenticationType
 *   Managed or Federated); the domain must be verified (Entra's rule, docs/graph-facts.md §3 "Domain federation")
 * - https://learn.microsoft.com/graph/api/identitycontainer-post-customauthenticationextensions (@odata.type
 *   onTokenIssuanceStartCustomExtension; authenticationConfiguration, displayName, endpointConfiguration)
 * - https://learn.microsoft.com/graph/api/identitycontainer-post-b2xuserflows (id "will be prepended with
 *   B2X_1"; userFlowType always signUpOrSignIn, userFlowTypeVersion always 1; all three required) and
 *   https://learn.microsoft.com/graph/api/b2xidentityuserflow-post-identityproviders (POST …/identityProviders/$ref
 *   naming https://graph.microsoft.com/v1.0/identityProviders/{id}; 204)
 * - https://learn.microsoft.com/graph/api/identitycontainer-post-authenticationeventlisteners (@odata.type
 *   required; conditions.applications.includeApplications [{ appId }], handler.customExtension { id }; 201)
 *   and https://learn.microsoft.com/graph/api/authenticationeventlistener-update (PATCH must specify
 *   @odata.type; 204) [docs/graph-facts.md S250]
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyTenant } from '../../src/emulator/seed/index.js';
import { lab, type Lab } from './helpers.js';
import type { Json } from '../../src/model.js';

const PATH = '/identity/conditionalAccess/authenticationContextClassReferences';

describe('emulator: authentication contexts and the authentication flows policy', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(emptyTenant({ seed: 95 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('PATCH of an unused id creates the context (204), a second PATCH updates it, POST is refused', async () => {
    expect((await L.writer('GET', PATH)).json.value).toEqual([]);
    const created = await L.writer('PATCH', `${PATH}/c1`, { displayName: 'Contoso medium', description: 'Medium protection level defined for Contoso policy', isAvailable: true });
    expect(created.status).toBe(204);
    expect((await L.writer('GET', `${PATH}/c1`)).json).toMatchObject({ id: 'c1', displayName: 'Contoso medium', isAvailable: true });
    expect((await L.writer('PATCH', `${PATH}/c1`, { isAvailable: false })).status).toBe(204);
    expect((await L.writer('GET', `${PATH}/c1`)).json).toMatchObject({ id: 'c1', displayName: 'Contoso medium', isAvailable: false });
    // an empty body creates one with null properties ("A request using an empty JSON object … will create a new … object")
    expect((await L.writer('PATCH', `${PATH}/c99`, {})).status).toBe(204);
    expect((await L.writer('GET', `${PATH}/c99`)).json).toMatchObject({ id: 'c99', displayName: null, description: null, isAvailable: null });
    expect((await L.writer('GET', PATH)).json.value.map((c: { id: string }) => c.id)).toEqual(['c1', 'c99']);
    // outside c1…c99, or POSTed: refused, never stored
    for (const id of ['c0', 'c100', 'x1', 'C5']) expect((await L.writer('PATCH', `${PATH}/${id}`, { displayName: 'x' })).status, id).toBe(400);
    expect((await L.writer('POST', PATH, { id: 'c7', displayName: 'x' })).status).toBe(405);
    expect((await L.writer('GET', `${PATH}/c7`)).status).toBe(404);
    expect((await L.writer('DELETE', `${PATH}/c99`)).status).toBe(204);
    expect((await L.writer('GET', `${PATH}/c99`)).status).toBe(404);
  });

  // https://learn.microsoft.com/graph/api/resources/conditionalaccessapplications (includeAuthenticationContextClassReferences:
  // the contexts a policy applies to); a context the tenant lacks is refused, the emulator's model for every CA reference
  // (docs/graph-facts.md "(unverified) The service rejects a policy that names an object id it does not know")
  it('a CA policy naming an authentication context the tenant lacks is refused; once created, taken', async () => {
    const policy = { displayName: 'Step-up for c7', state: 'enabledForReportingButNotEnforced', conditions: {
      applications: { includeAuthenticationContextClassReferences: ['c7'] }, users: { includeUsers: ['All'] }, clientAppTypes: ['all'],
    }, grantControls: { operator: 'OR', builtInControls: ['mfa'] } };
    const refused = await L.writer('POST', '/identity/conditionalAccess/policies', policy);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("authentication context 'c7'");
    expect((await L.writer('PATCH', '/identity/conditionalAccess/authenticationContextClassReferences/c7', { displayName: 'Step-up', isAvailable: true })).status).toBe(204);
    expect((await L.writer('POST', '/identity/conditionalAccess/policies', policy)).status).toBe(201);
  });

  it('the authentication flows policy is a singleton: PATCH of selfServiceSignUp, read-only names refused', async () => {
    const before = await L.writer('GET', '/policies/authenticationFlowsPolicy');
    expect(before.json).toMatchObject({ id: 'authenticationFlowsPolicy', displayName: 'Authentication flows policy', selfServiceSignUp: { isEnabled: false } });
    expect((await L.writer('PATCH', '/policies/authenticationFlowsPolicy', { selfServiceSignUp: { isEnabled: true } })).status).toBe(204);
    expect((await L.writer('GET', '/policies/authenticationFlowsPolicy')).json.selfServiceSignUp).toEqual({ isEnabled: true });
    expect((await L.writer('PATCH', '/policies/authenticationFlowsPolicy', { description: 'changed' })).status).toBe(400);
    expect((await L.writer('POST', '/policies/authenticationFlowsPolicy', { selfServiceSignUp: { isEnabled: true } })).status).toBe(405);
  });

  it('identity providers: a social provider is created with its secret, which reads back as ****; built-ins are not created', async () => {
    const list = async () => ((await L.writer('GET', '/identity/identityProviders')).json.value as { id: string }[]).map((p) => p.id);
    expect(await list()).toEqual(['AADSignup-OAUTH', 'EmailOtpSignup-OAUTH', 'MSASignup-OAUTH']);
    const body = { '@odata.type': '#microsoft.graph.socialIdentityProvider', displayName: 'Login with Google', identityProviderType: 'Google', clientId: '56433757-cadd-4135-8431-2c9e3fd68ae8', clientSecret: '000000000000' };
    const created = await L.writer('POST', '/identity/identityProviders', body);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: 'Google-OAUTH', clientId: body.clientId, clientSecret: '****' });
    expect((await L.writer('GET', '/identity/identityProviders/Google-OAUTH')).json.clientSecret).toBe('****');
    expect((await L.writer('POST', '/identity/identityProviders', body)).status).toBe(409);
    expect((await L.writer('POST', '/identity/identityProviders', { ...body, identityProviderType: 'Facebook', clientSecret: undefined })).status).toBe(400);
    expect((await L.writer('POST', '/identity/identityProviders', { ...body, identityProviderType: 'Amazon' })).status).toBe(400);
    expect((await L.writer('POST', '/identity/identityProviders', { '@odata.type': '#microsoft.graph.builtInIdentityProvider', displayName: 'x', identityProviderType: 'EmailOTP' })).status).toBe(400);
    expect((await L.writer('PATCH', '/identity/identityProviders/Google-OAUTH', { clientId: 'other' })).status).toBe(204);
    expect((await L.writer('GET', '/identity/identityProviders/Google-OAUTH')).json).toMatchObject({ clientId: 'other', clientSecret: '****' });
    expect(await list()).toEqual(['AADSignup-OAUTH', 'EmailOtpSignup-OAUTH', 'Google-OAUTH', 'MSASignup-OAUTH']);
  });

  it('domain federation: only on a verified, non-initial domain, once; the domain then reads Federated', async () => {
    const fed = {
      '@odata.type': '#microsoft.graph.internalDomainFederation', displayName: 'Contoso', issuerUri: 'http://contoso.com/adfs/services/trust',
      metadataExchangeUri: 'https://sts.contoso.com/adfs/services/trust/mex', signingCertificate: 'MIIE3jCCAsagAwIBAgIQQcyDaZz3MI', passiveSignInUri: 'https://sts.contoso.com/adfs/ls',
      preferredAuthenticationProtocol: 'wsFed', activeSignInUri: 'https://sts.contoso.com/adfs/services/trust/2005/usernamemixed', signOutUri: 'https://sts.contoso.com/adfs/ls',
      promptLoginBehavior: 'nativeSupport', isSignedAuthenticationRequestRequired: true, nextSigningCertificate: 'MIIE3jCCAsagAwIBAgIQQcyDaZz3MI', federatedIdpMfaBehavior: 'rejectMfaByFederatedIdp',
    };
    expect((await L.writer('POST', '/domains', { id: 'contoso-fed.example' })).status).toBe(201);
    expect((await L.writer('POST', '/domains/contoso-fed.example/federationConfiguration', fed)).status).toBe(400);
    expect((await L.writer('POST', `/domains/${L.tenant.initialDomain}/federationConfiguration`, fed)).status).toBe(400);
    expect((await L.writer('POST', '/domains/contoso-fed.example/verify', {})).status).toBe(200);
    const created = await L.writer('POST', '/domains/contoso-fed.example/federationConfiguration', fed);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ issuerUri: fed.issuerUri, signingCertificate: fed.signingCertificate, federatedIdpMfaBehavior: 'rejectMfaByFederatedIdp' });
    expect((await L.writer('GET', '/domains/contoso-fed.example')).json.authenticationType).toBe('Federated');
    expect((await L.writer('GET', '/domains/contoso-fed.example/federationConfiguration')).json.value).toHaveLength(1);
    expect((await L.writer('POST', '/domains/contoso-fed.example/federationConfiguration', fed)).status).toBe(409);
  });

  it('custom authentication extensions: created with their kind and required configurations, refused without', async () => {
    const body = {
      '@odata.type': '#microsoft.graph.onTokenIssuanceStartCustomExtension', displayName: 'onTokenIssuanceStartCustomExtension', description: 'Fetch additional claims from custom user store',
      endpointConfiguration: { '@odata.type': '#microsoft.graph.httpRequestEndpoint', targetUrl: 'https://authenticationeventsAPI.contoso.com' },
      authenticationConfiguration: { '@odata.type': '#microsoft.graph.azureAdTokenAuthentication', resourceId: 'api://authenticationeventsAPI.contoso.com/a13d0fc1-04ab-4ede-b215-63de0174cbb4' },
      claimsForTokenConfiguration: [{ claimIdInApiResponse: 'DateOfBirth' }, { claimIdInApiResponse: 'CustomRoles' }],
    };
    const created = await L.writer('POST', '/identity/customAuthenticationExtensions', body);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ '@odata.type': body['@odata.type'], authenticationConfiguration: body.authenticationConfiguration, claimsForTokenConfiguration: body.claimsForTokenConfiguration });
    expect((await L.writer('GET', `/identity/customAuthenticationExtensions/${String(created.json.id)}`)).json.displayName).toBe(body.displayName);
    expect((await L.writer('POST', '/identity/customAuthenticationExtensions', { ...body, '@odata.type': undefined })).status).toBe(400);
    expect((await L.writer('POST', '/identity/customAuthenticationExtensions', { ...body, authenticationConfiguration: undefined })).status).toBe(400);
  });

  it('self-service sign-up user flows: created by name, kept as B2X_1_<name>', async () => {
    const created = await L.writer('POST', '/identity/b2xUserFlows', { id: 'Partner', userFlowType: 'signUpOrSignIn', userFlowTypeVersion: 1 });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: 'B2X_1_Partner', userFlowType: 'signUpOrSignIn', userFlowTypeVersion: 1 });
    expect((await L.writer('GET', '/identity/b2xUserFlows/B2X_1_Partner')).status).toBe(200);
    expect((await L.writer('POST', '/identity/b2xUserFlows', { id: 'Partner', userFlowType: 'signUpOrSignIn', userFlowTypeVersion: 1 })).status).toBe(409);
    expect((await L.writer('POST', '/identity/b2xUserFlows', { id: 'Other', userFlowType: 'signIn', userFlowTypeVersion: 1 })).status).toBe(400);
    expect((await L.writer('POST', '/identity/b2xUserFlows', { id: 'Other', userFlowType: 'signUpOrSignIn' })).status).toBe(400);
    const ref = await L.writer('POST', '/identity/b2xUserFlows/B2X_1_Partner/identityProviders/$ref', { '@odata.id': 'https://graph.microsoft.com/v1.0/identityProviders/Google-OAUTH' });
    expect(ref.status).toBe(204);
    expect((await L.writer('GET', '/identity/b2xUserFlows/B2X_1_Partner/identityProviders')).json.value.map((p: { id: string }) => p.id)).toEqual(['Google-OAUTH']);
    expect((await L.writer('POST', '/identity/b2xUserFlows/B2X_1_Partner/identityProviders/$ref', { '@odata.id': 'https://graph.microsoft.com/v1.0/identityProviders/Nope-OAUTH' })).status).toBe(404);
  });

  // https://learn.microsoft.com/graph/api/identityuserflowattribute-post (id extension_<guid>_<name>, custom),
  // https://learn.microsoft.com/graph/api/identityuserflowattribute-update (custom only, description only),
  // https://learn.microsoft.com/graph/api/b2xidentityuserflow-post-userattributeassignments (the id is the
  // attribute's), https://learn.microsoft.com/graph/api/b2xidentityuserflow-list-userattributeassignments
  // ($expand=userAttribute), https://learn.microsoft.com/graph/api/identityuserflowattributeassignment-update
  // [docs/graph-facts.md S251, S330, S331]
  it('user flow attributes and assignments: a custom attribute named extension_<guid>_<name>, assignments keyed by their attribute in each flow', async () => {
    const attrs = await L.writer('GET', '/identity/userFlowAttributes');
    expect(attrs.json.value.find((a: { id: string }) => a.id === 'email')).toMatchObject({ userFlowAttributeType: 'builtIn', dataType: 'string' });
    const made = await L.writer('POST', '/identity/userFlowAttributes', { displayName: 'Hobby', description: 'Your hobby', dataType: 'string' });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ displayName: 'Hobby', userFlowAttributeType: 'custom', dataType: 'string' });
    const hobby = String(made.json.id);
    expect(hobby).toMatch(/^extension_[0-9a-f]{32}_Hobby$/);
    expect((await L.writer('POST', '/identity/userFlowAttributes', { displayName: 'Age', dataType: 'decimal' })).status).toBe(400);
    expect((await L.writer('PATCH', `/identity/userFlowAttributes/${hobby}`, { description: 'Your new hobby' })).status).toBe(204);
    expect((await L.writer('PATCH', `/identity/userFlowAttributes/${hobby}`, { displayName: 'Pastime' })).status).toBe(400);
    expect((await L.writer('PATCH', '/identity/userFlowAttributes/city', { description: 'Town' })).status).toBe(400);
    expect((await L.writer('POST', '/identity/b2xUserFlows', { id: 'Staff', userFlowType: 'signUpOrSignIn', userFlowTypeVersion: 1 })).status).toBe(201);
    const body = { isOptional: false, requiresVerification: false, userInputType: 'TextBox', displayName: 'Hobby', userAttributeValues: [], userAttribute: { id: hobby } };
    for (const flow of ['B2X_1_Partner', 'B2X_1_Staff']) {
      const asg = await L.writer('POST', `/identity/b2xUserFlows/${flow}/userAttributeAssignments`, body);
      expect(asg.status).toBe(201);
      expect(asg.json).toMatchObject({ id: hobby, displayName: 'Hobby', userInputType: 'TextBox' });
    }
    expect((await L.writer('POST', '/identity/b2xUserFlows/B2X_1_Partner/userAttributeAssignments', body)).status).toBe(409);
    expect((await L.writer('POST', '/identity/b2xUserFlows/B2X_1_Partner/userAttributeAssignments', { ...body, userAttribute: { id: 'extension_0_Nope' } })).status).toBe(404);
    // the same id in two flows, each its own object
    expect((await L.writer('PATCH', `/identity/b2xUserFlows/B2X_1_Staff/userAttributeAssignments/${hobby}`, { displayName: 'Pastime', isOptional: true })).status).toBe(204);
    const partner = await L.writer('GET', '/identity/b2xUserFlows/B2X_1_Partner/userAttributeAssignments?$expand=userAttribute($select=id)');
    const staff = await L.writer('GET', `/identity/b2xUserFlows/B2X_1_Staff/userAttributeAssignments/${hobby}`);
    expect(partner.json.value).toEqual([expect.objectContaining({ id: hobby, displayName: 'Hobby', isOptional: false, userAttribute: expect.objectContaining({ id: hobby }) })]);
    expect(staff.json).toMatchObject({ id: hobby, displayName: 'Pastime', isOptional: true });
    expect((await L.writer('GET', '/identity/b2xUserFlows/B2X_1_Staff/userAttributeAssignments/city')).status).toBe(404);
  });

  // https://learn.microsoft.com/graph/api/identityuserflowattributeassignment-getorder (assignmentOrder),
  // https://learn.microsoft.com/graph/api/identityuserflowattributeassignment-setorder (newAssignmentOrder; 204)
  // [docs/graph-facts.md S360]
  it('the order a user flow collects its attributes in: getOrder, setOrder, refused for an id the flow does not collect', async () => {
    const orderOf = async (flow: string) => (await L.writer('GET', `/identity/b2xUserFlows/${flow}/userAttributeAssignments/getOrder`)).json.order as string[];
    const hobby = (await L.writer('GET', "/identity/userFlowAttributes?$filter=displayName eq 'Hobby'")).json.value[0].id as string;
    const city = { isOptional: true, requiresVerification: false, userInputType: 'TextBox', displayName: 'City', userAttributeValues: [], userAttribute: { id: 'city' } };
    expect((await L.writer('POST', '/identity/b2xUserFlows/B2X_1_Staff/userAttributeAssignments', city)).status).toBe(201);
    expect(await orderOf('B2X_1_Staff')).toEqual([hobby, 'city']);
    const set = (order: Json) => L.writer('POST', '/identity/b2xUserFlows/B2X_1_Staff/userAttributeAssignments/setOrder', { newAssignmentOrder: { order } });
    expect((await set(['city', hobby])).status).toBe(204);
    expect(await orderOf('B2X_1_Staff')).toEqual(['city', hobby]);
    expect(await orderOf('B2X_1_Partner')).toEqual([hobby]);
    expect((await set(['email', hobby])).status).toBe(400);
    expect((await set(['city', 'city'])).status).toBe(400);
    expect((await L.writer('POST', '/identity/b2xUserFlows/B2X_1_Staff/userAttributeAssignments/setOrder', { order: ['city'] })).status).toBe(400);
    expect((await L.writer('GET', '/identity/b2xUserFlows/B2X_1_Staff/userAttributeAssignments/setOrder')).status).toBe(405);
    expect((await L.writer('GET', '/identity/b2xUserFlows/B2X_1_Nope/userAttributeAssignments/getOrder')).status).toBe(404);
    expect(await orderOf('B2X_1_Staff')).toEqual(['city', hobby]);
  });

  // https://learn.microsoft.com/graph/api/resources/userflowlanguageconfiguration (built-in languages only; Get and
  // List pages in v1.0), https://learn.microsoft.com/graph/api/userflowlanguagepage-put (PUT …/overridesPages/{id}/$value)
  // [docs/graph-facts.md S332]
  it('user flow languages: built in with every flow, never written; an override page\'s content is PUT and read back', async () => {
    const langs = await L.writer('GET', '/identity/b2xUserFlows/B2X_1_Partner/languages');
    expect(langs.json.value.map((l: { id: string }) => l.id)).toEqual(['de', 'en', 'fr']);
    expect((await L.writer('PATCH', '/identity/b2xUserFlows/B2X_1_Partner/languages/de', { isEnabled: false })).status).toBe(405);
    expect((await L.writer('POST', '/identity/b2xUserFlows/B2X_1_Partner/languages', { id: 'pl' })).status).toBe(405);
    const pages = await L.writer('GET', '/identity/b2xUserFlows/B2X_1_Partner/languages/en/overridesPages');
    expect(pages.json.value).toEqual([{ id: 'selfasserted1_1' }]);
    const path = '/identity/b2xUserFlows/B2X_1_Partner/languages/en/overridesPages/selfasserted1_1/$value';
    expect((await L.writer('GET', path)).status).toBe(204);
    const content = { LocalizedStrings: [{ ElementType: 'ClaimType', ElementId: 'email', StringId: 'DisplayName', Override: true, Value: 'Email' }] };
    expect((await L.writer('PUT', path, content)).status).toBe(204);
    expect((await L.writer('GET', path)).json).toEqual(content);
    expect((await L.writer('PUT', path.replace('overridesPages', 'defaultPages'), content)).status).toBe(405);
    expect((await L.writer('GET', '/identity/b2xUserFlows/B2X_1_Partner/languages/xx/overridesPages')).status).toBe(404);
  });

  it('authentication event listeners: created with their kind, updated only naming it', async () => {
    const body = {
      '@odata.type': '#microsoft.graph.onTokenIssuanceStartListener',
      conditions: { applications: { includeApplications: [{ appId: 'a13d0fc1-04ab-4ede-b215-63de0174cbb4' }] } },
      handler: { '@odata.type': '#microsoft.graph.onTokenIssuanceStartCustomExtensionHandler', customExtension: { id: '6fc5012e-7665-43d6-9708-4370863f4e6e' } },
    };
    const created = await L.writer('POST', '/identity/authenticationEventListeners', body);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject(body);
    const id = String(created.json.id);
    expect((await L.writer('GET', `/identity/authenticationEventListeners/${id}`)).json.handler).toEqual(body.handler);
    expect((await L.writer('POST', '/identity/authenticationEventListeners', { ...body, '@odata.type': undefined })).status).toBe(400);
    const conditions = { applications: { includeApplications: [{ appId: 'b2c3d4e5-0000-4000-8000-000000000001' }] } };
    expect((await L.writer('PATCH', `/identity/authenticationEventListeners/${id}`, { conditions })).status).toBe(400);
    expect((await L.writer('PATCH', `/identity/authenticationEventListeners/${id}`, { '@odata.type': body['@odata.type'], conditions })).status).toBe(204);
    expect((await L.writer('GET', `/identity/authenticationEventListeners/${id}`)).json.conditions).toEqual(conditions);
  });
});
