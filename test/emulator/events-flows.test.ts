/**
 * External-tenant sign-up flows in the emulator (issue 15), as Graph v1.0 documents them
 * [docs/graph-facts.md §3 "External-tenant sign-up flows", S252, S361, S373-S375]. Each test names
 * its page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyTenant } from '../../src/emulator/seed/index.js';
import { errorCode, lab, type Lab } from './helpers.js';
import type { Json } from '../../src/model.js';

const PATH = '/identity/authenticationEventsFlows';
const FLOW = '#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow';
const LOAD = 'microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp';
const COLLECT = 'microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp';
const navs = (id: string) => ({
  apps: `${PATH}/${id}/conditions/applications/includeApplications/`,
  providers: `${PATH}/${id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAuthenticationMethodLoadStart/${LOAD}/identityProviders/`,
  attributes: `${PATH}/${id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollection/${COLLECT}/attributes/`,
});

/** The shape of the create page's example 3 (social providers and a custom attribute). */
function flowBody(name: string, appId: string | null, attribute: string, provider = 'EmailOtpSignup-OAUTH'): Record<string, Json> {
  return {
    '@odata.type': FLOW,
    displayName: name,
    ...(appId === null ? {} : { conditions: { applications: { includeApplications: [{ appId }] } } }),
    onAuthenticationMethodLoadStart: { '@odata.type': `#${LOAD}`, identityProviders: [{ id: provider }] },
    onInteractiveAuthFlowStart: { '@odata.type': '#microsoft.graph.onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp', isSignUpAllowed: true },
    onAttributeCollection: {
      '@odata.type': `#${COLLECT}`,
      attributes: [{ id: 'email' }, { id: attribute }],
      attributeCollectionPage: { views: [{ inputs: [
        { attribute: 'email', label: 'Email Address', inputType: 'text', hidden: true, editable: false, writeToDirectory: true, required: true },
        { attribute, label: 'Favorite color', inputType: 'text', hidden: false, editable: true, writeToDirectory: true, required: false },
      ] }] },
    },
  };
}

describe('emulator: authentication events flows (external-tenant sign-up flows)', () => {
  let L: Lab;
  let appId = '';
  let color = '';
  beforeAll(async () => {
    L = await lab(emptyTenant({ seed: 373 }));
    appId = (await L.writer('POST', '/applications', { displayName: 'Woodgrove Drive' })).json.appId as string;
    color = (await L.writer('POST', '/identity/userFlowAttributes', { displayName: 'Favoritecolor', description: 'what is your favorite color', dataType: 'string' })).json.id as string;
  });
  afterAll(async () => {
    await L.emu.close();
  });

  // https://learn.microsoft.com/graph/api/identitycontainer-post-authenticationeventsflows (201; the response
  // leaves out includeApplications, identityProviders and attributes; priority 500 by default) [S361]
  it('POST creates the flow: 201 without the inline lists, priority 500 by default', async () => {
    const r = await L.writer('POST', PATH, flowBody('Woodgrove Drive User Flow', appId, color));
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ '@odata.type': FLOW, displayName: 'Woodgrove Drive User Flow', description: null, priority: 500,
      onAuthenticationMethodLoadStart: { '@odata.type': `#${LOAD}` }, onInteractiveAuthFlowStart: { isSignUpAllowed: true } });
    expect(r.json.conditions.applications).not.toHaveProperty('includeApplications');
    expect(r.json.onAuthenticationMethodLoadStart).not.toHaveProperty('identityProviders');
    expect(r.json.onAttributeCollection).not.toHaveProperty('attributes');
    expect(r.json.onAttributeCollection.attributeCollectionPage.views[0].inputs.map((i: { attribute: string }) => i.attribute)).toEqual(['email', color]);
    expect(Object.keys(r.json).some((k) => k.startsWith('@em.'))).toBe(false);
    const got = await L.reader('GET', `${PATH}/${r.json.id as string}`);
    expect(got.status).toBe(200);
    expect(got.json.onAuthenticationMethodLoadStart).not.toHaveProperty('identityProviders');
    const listed = await L.reader('GET', PATH);
    expect(listed.json.value.map((f: { displayName: string }) => f.displayName)).toEqual(['Woodgrove Drive User Flow']);
    const high = await L.writer('POST', PATH, { ...flowBody('Priority flow', null, color), priority: 100 });
    expect(high.json.priority).toBe(100);
    expect((await L.writer('DELETE', `${PATH}/${high.json.id as string}`)).status).toBe(204);
  });

  // https://learn.microsoft.com/graph/api/authenticationconditionsapplications-list-includeapplications ({ appId }),
  // https://learn.microsoft.com/graph/api/onauthenticationmethodloadstartexternalusersselfservicesignup-list-identityproviders,
  // https://learn.microsoft.com/graph/api/onattributecollectionexternalusersselfservicesignup-list-attributes [S374]
  it('the apps, identity providers and attributes are read from their own navigations', async () => {
    const id = (await L.reader('GET', `${PATH}?$filter=displayName eq 'Woodgrove Drive User Flow'`)).json.value[0].id as string;
    const n = navs(id);
    expect((await L.reader('GET', n.apps)).json.value).toEqual([{ appId }]);
    const providers = await L.reader('GET', n.providers);
    expect(providers.status).toBe(200);
    expect(providers.json.value).toMatchObject([{ '@odata.type': '#microsoft.graph.builtInIdentityProvider', id: 'EmailOtpSignup-OAUTH' }]);
    const attrs = await L.reader('GET', n.attributes);
    expect(attrs.json.value.map((a: { id: string }) => a.id).sort()).toEqual(['email', color].sort());
    expect((await L.reader('GET', `${n.apps}?$top=1`)).status).toBe(400);
  });

  // https://learn.microsoft.com/graph/api/onattributecollectionexternalusersselfservicesignup-list-attributes
  // ("If no user flow attributes are assigned to the user flow, this method returns a 400 Bad Request") [S374]
  it('the attributes of a flow that collects none: 400', async () => {
    const body = flowBody('No attributes', null, color);
    const collect = body['onAttributeCollection'];
    delete body['onAttributeCollection'];
    const r = await L.writer('POST', PATH, body);
    expect(r.status).toBe(201);
    expect(r.json.onAttributeCollection).toBeNull();
    expect((await L.reader('GET', navs(r.json.id as string).attributes)).status).toBe(400);
    // https://learn.microsoft.com/graph/api/authenticationeventsflow-update: onAttributeCollection "You can only update
    // this property if it was configured during user flow creation" [S373]
    expect((await L.writer('PATCH', `${PATH}/${r.json.id as string}`, { '@odata.type': FLOW, onAttributeCollection: collect })).status).toBe(400);
    expect((await L.reader('GET', `${PATH}/${r.json.id as string}`)).json.onAttributeCollection).toBeNull();
    expect((await L.writer('DELETE', `${PATH}/${r.json.id as string}`)).status).toBe(204);
  });

  // https://learn.microsoft.com/graph/api/identitycontainer-post-authenticationeventsflows (@odata.type required,
  // only externalUsersSelfServiceSignupEventsFlow; displayName Required) [S361]
  it('refused: a missing or other @odata.type, a missing displayName, an unknown property', async () => {
    const base = flowBody('Refused flow', null, color);
    const { ['@odata.type']: _drop, ...untyped } = base;
    expect((await L.writer('POST', PATH, untyped)).status).toBe(400);
    expect((await L.writer('POST', PATH, { ...base, '@odata.type': '#microsoft.graph.authenticationEventsFlow' })).status).toBe(400);
    const { displayName: _name, ...nameless } = base;
    const r = await L.writer('POST', PATH, nameless);
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe('Request_BadRequest');
    expect((await L.writer('POST', PATH, { ...base, colour: 'blue' })).status).toBe(400);
    expect((await L.writer('POST', PATH, { ...base, priority: 'high' })).status).toBe(400);
    expect((await L.reader('GET', `${PATH}?$filter=displayName eq 'Refused flow'`)).json.value).toEqual([]);
  });

  // https://learn.microsoft.com/graph/api/resources/onauthenticationmethodloadstartexternalusersselfservicesignup
  // ("At least one identity provider must be specified") [S361]; a reference the tenant lacks: our choice (S375)
  it('refused: no identity provider, or a provider, attribute or app the tenant does not have', async () => {
    const none = flowBody('Refs flow', null, color);
    (none['onAuthenticationMethodLoadStart'] as Record<string, Json>)['identityProviders'] = [];
    expect((await L.writer('POST', PATH, none)).status).toBe(400);
    expect((await L.writer('POST', PATH, flowBody('Refs flow', null, color, 'Facebook-OAUTH'))).status).toBe(400);
    expect((await L.writer('POST', PATH, flowBody('Refs flow', null, 'extension_0_Nope'))).status).toBe(400);
    expect((await L.writer('POST', PATH, flowBody('Refs flow', '00000000-0000-0000-0000-0000000000aa', color))).status).toBe(400);
  });

  // https://learn.microsoft.com/graph/api/resources/externalusersselfservicesignupeventsflow (displayName "Must be
  // unique"); the pages name no status for a duplicate: 409 is our choice (S375)
  it('a second flow with the same displayName: 409, whatever its case', async () => {
    const r = await L.writer('POST', PATH, flowBody('woodgrove drive user flow', null, color));
    expect(r.status).toBe(409);
    expect(errorCode(r)).toBe('Request_MultipleObjectsWithSameKeyValue');
  });

  // https://learn.microsoft.com/graph/api/authenticationconditionsapplications-post-includeapplications ("An application
  // can only be linked to one user flow") [S374]
  it('an app already linked to a flow cannot be linked to a second one: 400', async () => {
    const r = await L.writer('POST', PATH, flowBody('Second flow for the app', appId, color));
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain('only be linked to one user flow');
    expect((await L.reader('GET', `${PATH}?$filter=displayName eq 'Second flow for the app'`)).json.value).toEqual([]);
  });

  // https://learn.microsoft.com/graph/api/authenticationconditionsapplications-post-includeapplications (201 with { appId }),
  // https://learn.microsoft.com/graph/api/authenticationconditionapplication-delete (DELETE …/includeApplications/{appId}, 204),
  // https://learn.microsoft.com/graph/api/onauthenticationmethodloadstartexternalusersselfservicesignup-post-identityproviders ($ref, 204),
  // https://learn.microsoft.com/graph/api/onattributecollectionexternalusersselfservicesignup-post-attributes ($ref, 204; also added to the views),
  // https://learn.microsoft.com/graph/api/onattributecollectionexternalusersselfservicesignup-delete-attributes (204; the views are PATCHed after) [S382]
  it('adds and removes an app, an identity provider and an attribute through their navigations', async () => {
    const made = await L.writer('POST', PATH, { ...flowBody('Navigation flow', null, color), onAttributeCollection: {
      '@odata.type': `#${COLLECT}`, attributes: [{ id: 'email' }],
      attributeCollectionPage: { views: [{ inputs: [{ attribute: 'email', label: 'Email Address', inputType: 'text', hidden: true, editable: false, writeToDirectory: true, required: true }] }] },
    } });
    expect(made.status).toBe(201);
    const n = navs(made.json.id as string);
    const other = (await L.writer('POST', '/applications', { displayName: 'Navigation app' })).json.appId as string;
    const link = await L.writer('POST', n.apps.replace(/\/$/, ''), { '@odata.type': '#microsoft.graph.authenticationConditionApplication', appId: other });
    expect(link.status).toBe(201);
    expect(link.json.appId).toBe(other);
    expect((await L.writer('POST', n.apps.replace(/\/$/, ''), { appId: other })).status).toBe(400);
    expect((await L.writer('POST', n.apps.replace(/\/$/, ''), { appId: '00000000-0000-0000-0000-0000000000ab' })).status).toBe(400);
    // the app linked to the first flow cannot come to this one
    expect((await L.writer('POST', n.apps.replace(/\/$/, ''), { appId })).status).toBe(400);
    expect((await L.reader('GET', n.apps)).json.value).toEqual([{ appId: other }]);
    expect((await L.writer('DELETE', `${n.apps}${other}`)).status).toBe(204);
    expect((await L.writer('DELETE', `${n.apps}${other}`)).status).toBe(404);
    expect((await L.reader('GET', n.apps)).json.value).toEqual([]);

    const ref = (set: string, id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/${set}/${id}` });
    expect((await L.writer('POST', `${n.providers}$ref`, ref('identityProviders', 'MSASignup-OAUTH'))).status).toBe(204);
    expect((await L.writer('POST', `${n.providers}$ref`, ref('identityProviders', 'Nope-OAUTH'))).status).toBe(400);
    expect((await L.reader('GET', n.providers)).json.value.map((p: { id: string }) => p.id)).toEqual(['EmailOtpSignup-OAUTH', 'MSASignup-OAUTH']);
    expect((await L.writer('DELETE', `${n.providers}EmailOtpSignup-OAUTH/$ref`)).status).toBe(204);
    // "At least one identity provider must be specified"
    expect((await L.writer('DELETE', `${n.providers}MSASignup-OAUTH/$ref`)).status).toBe(400);

    expect((await L.writer('POST', `${n.attributes}$ref`, ref('identity/userFlowAttributes', color))).status).toBe(204);
    expect((await L.reader('GET', n.attributes)).json.value.map((a: { id: string }) => a.id).sort()).toEqual(['email', color].sort());
    const inputs = (await L.reader('GET', `${PATH}/${made.json.id as string}`)).json.onAttributeCollection.attributeCollectionPage.views[0].inputs as { attribute: string; label: string }[];
    expect(inputs.map((i) => i.attribute)).toEqual(['email', color]);
    expect((await L.writer('DELETE', `${n.attributes}${color}/$ref`)).status).toBe(204);
    expect((await L.reader('GET', n.attributes)).json.value.map((a: { id: string }) => a.id)).toEqual(['email']);
    expect((await L.writer('DELETE', `${PATH}/${made.json.id as string}`)).status).toBe(204);
  });

  // https://learn.microsoft.com/graph/api/authenticationeventsflow-update (@odata.type required; 204) [S373]
  it('PATCH names the @odata.type; it updates the name and, when sent, replaces an inline list', async () => {
    const id = (await L.reader('GET', `${PATH}?$filter=displayName eq 'Woodgrove Drive User Flow'`)).json.value[0].id as string;
    expect((await L.writer('PATCH', `${PATH}/${id}`, { displayName: 'Renamed' })).status).toBe(400);
    expect((await L.writer('PATCH', `${PATH}/${id}`, { '@odata.type': FLOW, displayName: 'Renamed', description: 'Partners' })).status).toBe(204);
    expect((await L.reader('GET', `${PATH}/${id}`)).json).toMatchObject({ displayName: 'Renamed', description: 'Partners', priority: 500 });
    const providers = { '@odata.type': `#${LOAD}`, identityProviders: [{ id: 'MSASignup-OAUTH' }, { id: 'EmailOtpSignup-OAUTH' }] };
    expect((await L.writer('PATCH', `${PATH}/${id}`, { '@odata.type': FLOW, onAuthenticationMethodLoadStart: providers })).status).toBe(204);
    expect((await L.reader('GET', navs(id).providers)).json.value.map((p: { id: string }) => p.id)).toEqual(['EmailOtpSignup-OAUTH', 'MSASignup-OAUTH']);
    // the apps were not sent: kept
    expect((await L.reader('GET', navs(id).apps)).json.value).toEqual([{ appId }]);
    // the apps are changed through their own navigation (S382): a PATCH carrying them is refused, never taken as a replacement
    expect((await L.writer('PATCH', `${PATH}/${id}`, { '@odata.type': FLOW, conditions: { applications: { includeApplications: [] } } })).status).toBe(400);
    expect((await L.reader('GET', navs(id).apps)).json.value).toEqual([{ appId }]);
    expect((await L.writer('PATCH', `${PATH}/${id}`, { '@odata.type': FLOW, nope: 1 })).status).toBe(400);
  });

  // https://learn.microsoft.com/graph/api/authenticationeventsflow-delete (204) [S373]
  it('DELETE removes the flow (204); its navigations are then 404', async () => {
    const r = await L.writer('POST', PATH, flowBody('Short-lived', null, color));
    const id = r.json.id as string;
    expect((await L.writer('DELETE', `${PATH}/${id}`)).status).toBe(204);
    expect((await L.reader('GET', `${PATH}/${id}`)).status).toBe(404);
    expect((await L.reader('GET', navs(id).apps)).status).toBe(404);
  });
});
