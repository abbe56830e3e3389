/**
 * External-tenant sign-up flows, `/identity/authenticationEventsFlows` (issue 15), as Graph v1.0
 * documents them (docs/graph-facts.md §3 "External-tenant sign-up flows", S252, S361, S373-S375):
 * - POST creates only `#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow` (`@odata.type`
 *   required); displayName "Required … Must be unique"; priority "Default is 500"
 *   https://learn.microsoft.com/graph/api/identitycontainer-post-authenticationeventsflows
 * - the create body names the flow's apps (`conditions.applications.includeApplications`), identity
 *   providers (`onAuthenticationMethodLoadStart.identityProviders`, "At least one identity provider
 *   must be specified") and attributes (`onAttributeCollection.attributes`) inline; the 201 response
 *   and every GET leave them out: they are served from their own navigations
 *   https://learn.microsoft.com/graph/api/authenticationconditionsapplications-list-includeapplications,
 *   https://learn.microsoft.com/graph/api/onauthenticationmethodloadstartexternalusersselfservicesignup-list-identityproviders,
 *   https://learn.microsoft.com/graph/api/onattributecollectionexternalusersselfservicesignup-list-attributes
 *   (the last answers 400 when the flow collects no attribute)
 * - PATCH "must specify the @odata.type", 204; onAttributeCollection "You can only update this
 *   property if it was configured during user flow creation"
 *   https://learn.microsoft.com/graph/api/authenticationeventsflow-update
 * The references are kept as `@em.*` bookkeeping (never shown as properties). List, GET and
 * DELETE are the registry's; each navigation's add and remove calls are served (navigationWrite).
 * "An application can only be linked to one user flow"
 * (https://learn.microsoft.com/graph/api/authenticationconditionsapplications-post-includeapplications):
 * a second link is 400. Our choices where the pages are silent: a duplicate displayName is 409
 * (compared case-insensitively), a reference to an app, provider or attribute the tenant does not
 * have is 400, and a PATCH that sends one of the inline lists replaces it.
 */
import type { DirObject, Json } from '../model.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, GraphHttpError, notFound } from './graph-error.js';
import { contextUrl, listPage, project } from './odata/listing.js';
import { asBody, commitCreate, createObject, patchObject } from './writes.js';
import { isJsonObject as isObj } from '../json.js';

const TYPE = 'authenticationEventsFlow';
/** The one flow type v1.0 creates, and the types of its sign-up handlers (the seed writes them too). */
export const FLOW = '#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow';
export const LOAD_START = 'microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp';
export const COLLECTION = 'microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp';
/** "Default is 500" (identitycontainer-post-authenticationeventsflows). */
const DEFAULT_PRIORITY = 500;
/** Where a flow keeps each inline list: the bookkeeping key, the value's container and its key. */
const NAVS = {
  apps: { key: '@em.includeApplications', at: ['conditions', 'applications'], list: 'includeApplications', item: 'appId' },
  providers: { key: '@em.identityProviders', at: ['onAuthenticationMethodLoadStart'], list: 'identityProviders', item: 'id' },
  attributes: { key: '@em.attributes', at: ['onAttributeCollection'], list: 'attributes', item: 'id' },
} as const;
type Nav = (typeof NAVS)[keyof typeof NAVS];
/** Where each navigation is served, after the flow's id (lower case): the list GETs and the add/remove calls. */
const NAV_PATH = {
  apps: 'conditions/applications/includeapplications',
  providers: `${FLOW.slice(1).toLowerCase()}/onauthenticationmethodloadstart/${LOAD_START.toLowerCase()}/identityproviders`,
  attributes: `${FLOW.slice(1).toLowerCase()}/onattributecollection/${COLLECTION.toLowerCase()}/attributes`,
} as const;


/**
 * Takes the inline list of `nav` out of `o` (a copy of each container is made) and returns its
 * key values, or undefined when the body does not send it.
 * @throws GraphHttpError 400 for a malformed list or a value the tenant does not have
 */
function takeList(o: DirObject, nav: Nav, exists: (v: string) => boolean): string[] | undefined {
  let parent = o as Record<string, Json>;
  for (const k of nav.at) {
    const next = parent[k];
    if (!isObj(next)) return undefined;
    parent = parent[k] = { ...next };
  }
  if (!(nav.list in parent)) return undefined;
  const v = parent[nav.list];
  delete parent[nav.list];
  if (!Array.isArray(v)) throw badRequest(`'${nav.list}' must be a collection.`);
  const out: string[] = [];
  for (const x of v) {
    const key = isObj(x) ? x[nav.item] : undefined;
    if (typeof key !== 'string' || key === '') throw badRequest(`Each of '${nav.list}' needs its '${nav.item}'.`);
    if (!exists(key)) throw badRequest(`'${key}' in '${nav.list}' does not exist in this tenant.`);
    if (!out.includes(key)) out.push(key);
  }
  return out;
}

const ids = (o: DirObject, nav: Nav): string[] => (Array.isArray(o[nav.key]) ? (o[nav.key] as Json[]).filter((x): x is string => typeof x === 'string') : []);

/** Moves the three inline lists of a create or PATCH body into the flow's bookkeeping. @throws GraphHttpError 400 */
function takeReferences(ctx: Ctx, o: DirObject, creating: boolean): void {
  const store = ctx.rt.store;
  const appExists = (appId: string): boolean => store.byKey('application', 'appId', appId) !== undefined || store.byKey('servicePrincipal', 'appId', appId) !== undefined;
  const apps = takeList(o, NAVS.apps, appExists);
  const providers = takeList(o, NAVS.providers, (id) => store.get('identityProvider', id) !== undefined);
  const attributes = takeList(o, NAVS.attributes, (id) => store.get('userFlowAttribute', id) !== undefined);
  // "At least one identity provider must be specified" (onauthenticationmethodloadstartexternalusersselfservicesignup)
  if (isObj(o['onAuthenticationMethodLoadStart']) && (providers ?? (creating ? [] : ['kept'])).length === 0) {
    throw badRequest('At least one identity provider must be specified in onAuthenticationMethodLoadStart.');
  }
  // "An application can only be linked to one user flow" (authenticationconditionsapplications-post-includeapplications)
  const linked = (apps ?? []).find((a) => [...(store.live.get(TYPE)?.values() ?? [])].some((f) => f.id !== o.id && ids(f, NAVS.apps).includes(a)));
  if (linked !== undefined) throw badRequest(`The application '${linked}' is already linked to another user flow; an application can only be linked to one user flow.`);
  if (apps !== undefined) o[NAVS.apps.key] = apps;
  if (providers !== undefined) o[NAVS.providers.key] = providers;
  if (attributes !== undefined) o[NAVS.attributes.key] = attributes;
}

/** The `priority` of a body (an Int32), taken out of it. @throws GraphHttpError 400 */
function takePriority(body: Record<string, Json>): number | undefined {
  if (!('priority' in body)) return undefined;
  const p = body['priority'];
  delete body['priority'];
  if (typeof p !== 'number' || !Number.isInteger(p) || p < -2147483648 || p > 2147483647) throw badRequest(`Cannot convert the literal '${JSON.stringify(p)}' to the expected type 'Edm.Int32'.`, 'BadRequest');
  return p;
}

/** @throws GraphHttpError 409 when another flow has the name (compared case-insensitively: our choice) */
function checkUniqueName(ctx: Ctx, name: Json | undefined, selfId?: string): void {
  if (typeof name !== 'string') return;
  const taken = [...(ctx.rt.store.live.get(TYPE)?.values() ?? [])].some((f) => f.id !== selfId && String(f['displayName']).toLowerCase() === name.toLowerCase());
  if (taken) throw new GraphHttpError(409, 'Request_MultipleObjectsWithSameKeyValue', `A user flow named '${name}' already exists.`);
}

function create(ctx: Ctx): Answer {
  requirePermission(ctx.caller, ctx.reg.descriptor(TYPE), true);
  const body = { ...asBody(ctx.body) };
  if (body['@odata.type'] !== FLOW) throw badRequest(`The '@odata.type' of a new authentication events flow must be '${FLOW}'.`);
  const priority = takePriority(body);
  const o = createObject(ctx, TYPE, undefined, body);
  takeReferences(ctx, o, true);
  checkUniqueName(ctx, o['displayName']);
  o['priority'] = priority ?? DEFAULT_PRIORITY;
  o['description'] ??= null;
  for (const p of ['conditions', 'onAttributeCollection', 'onAttributeCollectionStart', 'onAttributeCollectionSubmit', 'onAuthenticationMethodLoadStart', 'onInteractiveAuthFlowStart', 'onUserCreateStart']) o[p] ??= null;
  commitCreate(ctx, TYPE, o, undefined);
  return { status: 201, body: { '@odata.context': contextUrl(ctx, 'identity/authenticationEventsFlows', undefined, true), ...project(ctx, TYPE, o) }, mutated: true };
}

function patch(ctx: Ctx, o: DirObject): Answer {
  requirePermission(ctx.caller, ctx.reg.descriptor(TYPE), true);
  const body = { ...asBody(ctx.body) };
  if (body['@odata.type'] !== o['@odata.type']) throw badRequest(`An authentication events flow's update must specify its '@odata.type' (${String(o['@odata.type'])}).`);
  // "You can only update this property if it was configured during user flow creation" (authenticationeventsflow-update)
  if (isObj(body['onAttributeCollection']) && !isObj(o['onAttributeCollection'])) {
    throw badRequest('onAttributeCollection can only be updated when it was configured at the creation of the user flow; add attributes to the user flow instead.');
  }
  // the apps are changed one by one through their navigation (S382); the update page does not say a
  // PATCH replaces the list, so the emulator refuses it rather than guess (docs/emulator.md)
  const conditions = body['conditions'];
  if (isObj(conditions) && isObj(conditions['applications']) && 'includeApplications' in conditions['applications']) {
    throw badRequest("A user flow's applications are added and removed through conditions/applications/includeApplications, not by PATCH.");
  }
  const priority = takePriority(body);
  const refs: DirObject = { id: o.id, ...body };
  takeReferences(ctx, refs, false);
  checkUniqueName(ctx, body['displayName'], o.id);
  const plain: Record<string, Json> = {};
  for (const [k, v] of Object.entries(refs)) if (k !== 'id' && !k.startsWith('@em.') && v !== undefined) plain[k] = v;
  patchObject(ctx, TYPE, o, plain);
  const next: DirObject = { ...ctx.rt.store.get(TYPE, o.id)! };
  for (const nav of Object.values(NAVS)) if (refs[nav.key] !== undefined) next[nav.key] = refs[nav.key]!;
  if (priority !== undefined) next['priority'] = priority;
  ctx.rt.store.replace(TYPE, next);
  return { status: 204, mutated: true };
}


/** A navigation GET: `rest` is the path after the flow's id (lower-cased, trailing slash dropped). */
function navigationList(ctx: Ctx, o: DirObject, rest: string[]): Answer | undefined {
  const path = rest.join('/');
  const store = ctx.rt.store;
  if (path === NAV_PATH.apps) {
    // the page documents no query option by name: none is taken, rather than ignored
    const opt = [...ctx.query.keys()].find((k) => k.startsWith('$'));
    if (opt) throw badRequest(`Query option '${opt}' is not supported on includeApplications.`);
    const value: Json[] = ids(o, NAVS.apps).map((appId) => ({ appId }));
    return { status: 200, body: { '@odata.context': `${ctx.base}/$metadata#identity/authenticationEventsFlows('${o.id}')/conditions/applications/includeApplications`, value } };
  }
  if (path === NAV_PATH.providers) {
    const live = ids(o, NAVS.providers).filter((id) => store.get('identityProvider', id)).sort();
    return { status: 200, body: listPage(ctx, { ids: live, type: 'identityProvider', entitySet: 'identityProviders', get: (id) => { const p = store.get('identityProvider', id); return p ? { type: 'identityProvider', obj: p } : undefined; } }) };
  }
  if (path === NAV_PATH.attributes) {
    const live = ids(o, NAVS.attributes).filter((id) => store.get('userFlowAttribute', id)).sort();
    // "If no user flow attributes are assigned to the user flow, this method returns a 400 Bad Request error code."
    if (live.length === 0) throw badRequest('No user flow attributes are assigned to this user flow.');
    return { status: 200, body: listPage(ctx, { ids: live, type: 'userFlowAttribute', entitySet: 'identity/userFlowAttributes', get: (id) => { const a = store.get('userFlowAttribute', id); return a ? { type: 'userFlowAttribute', obj: a } : undefined; } }) };
  }
  return undefined;
}

/**
 * `POST /identity/authenticationEventsFlows`, `PATCH …/{id}` and the three navigation GETs;
 * undefined for every other request (the registry serves list, GET and DELETE).
 * @throws GraphHttpError 400 / 404 / 405 / 409
 */
export function eventsFlowRoute(ctx: Ctx, segs: string[]): Answer | undefined {
  const low = segs.map((s) => s.toLowerCase());
  if (low[0] !== 'identity' || low[1] !== 'authenticationeventsflows') return undefined;
  if (segs.length === 2) return ctx.method === 'POST' ? create(ctx) : undefined;
  const o = ctx.rt.store.get(TYPE, segs[2]!);
  if (segs.length === 3) {
    if (ctx.method !== 'PATCH') return undefined;
    if (!o) throw notFound(segs[2]!);
    return patch(ctx, o);
  }
  if (!o) throw notFound(segs[2]!);
  if (ctx.method !== 'GET') {
    requirePermission(ctx.caller, ctx.reg.descriptor(TYPE), true);
    return navigationWrite(ctx, o, low.slice(3), segs.slice(3));
  }
  requirePermission(ctx.caller, ctx.reg.descriptor(TYPE), false);
  return navigationList(ctx, o, low.slice(3));
}

/** The id an `@odata.id` body names after `/{entitySet}/` (`…/identityProviders/Google-OAUTH`). @throws GraphHttpError 400 */
function refTarget(ctx: Ctx, entitySet: string): string {
  const body = asBody(ctx.body);
  const ref = body['@odata.id'];
  const at = typeof ref === 'string' ? ref.toLowerCase().lastIndexOf(`/${entitySet.toLowerCase()}/`) : -1;
  if (typeof ref !== 'string' || at < 0) throw badRequest(`The request body needs an '@odata.id' naming one of ${entitySet}.`);
  const id = decodeURIComponent(ref.slice(at + entitySet.length + 2).replace(/\/+$/, ''));
  if (id === '' || id.includes('/')) throw badRequest(`The request body needs an '@odata.id' naming one of ${entitySet}.`);
  return id;
}

/** Stores `next` as the flow's list of `nav` (a mutation of the flow). */
function setList(ctx: Ctx, o: DirObject, nav: Nav, next: string[]): void {
  ctx.rt.store.replace(TYPE, { ...ctx.rt.store.get(TYPE, o.id)!, [nav.key]: next });
}

/**
 * A view input for an attribute added by reference. Graph gives it "the default settings" without
 * listing them (onattributecollectionexternalusersselfservicesignup-post-attributes); these are our
 * choice: the attribute's name as its label, a text box, optional, editable, shown, written to the directory.
 */
function defaultInput(attr: DirObject): Json {
  return { attribute: attr.id, label: attr['displayName'] ?? attr.id, inputType: 'text', defaultValue: null, hidden: false, editable: true, writeToDirectory: true, required: false, validationRegEx: null, options: [] };
}

/** Adds the attribute's default input to the first view of the flow's attribute collection page. */
function withDefaultInput(o: DirObject, attr: DirObject): DirObject {
  const coll = isObj(o['onAttributeCollection']) ? o['onAttributeCollection'] : undefined;
  if (!coll) return o;
  const page = isObj(coll['attributeCollectionPage']) ? coll['attributeCollectionPage'] : { customStringsFileId: null, views: [] };
  const views = Array.isArray(page['views']) ? [...page['views']] : [];
  const first = isObj(views[0]) ? views[0] : { title: null, description: null, inputs: [] };
  const inputs = Array.isArray(first['inputs']) ? first['inputs'] : [];
  if (inputs.some((i) => isObj(i) && i['attribute'] === attr.id)) return o;
  views[0] = { ...first, inputs: [...inputs, defaultInput(attr)] };
  return { ...o, onAttributeCollection: { ...coll, attributeCollectionPage: { ...page, views } } };
}

/**
 * The navigations' add and remove calls (each page cited in docs/graph-facts.md S382):
 * - `POST …/conditions/applications/includeApplications` `{ appId }`: 201 with it; an app of
 *   another flow is 400 ("An application can only be linked to one user flow"); `DELETE
 *   …/includeApplications/{appId}`: 204.
 * - `POST …/identityProviders/$ref` `{ "@odata.id": …/identityProviders/{id} }`: 204 (the provider
 *   "must first be configured in the tenant"); `DELETE …/identityProviders/{id}/$ref`: 204, except
 *   the last one ("At least one identity provider must be specified"): 400.
 * - `POST …/attributes/$ref` `{ "@odata.id": …/identity/userFlowAttributes/{id} }`: 204, the
 *   attribute also added to the attribute collection page's views with default settings; `DELETE
 *   …/attributes/{id}/$ref`: 204, the views left as they are ("After this step, PATCH the user flow").
 * Adding what is there already, or removing what is not, is our choice: 400 and 404.
 * @throws GraphHttpError 400 / 404 / 405
 */
function navigationWrite(ctx: Ctx, o: DirObject, low: string[], raw: string[]): Answer | undefined {
  const store = ctx.rt.store;
  const path = low.join('/');
  const { apps, providers, attributes } = NAV_PATH;
  if (ctx.method === 'POST' && path === apps) {
    const body = asBody(ctx.body);
    const appId = body['appId'];
    if (typeof appId !== 'string' || appId === '') throw badRequest("The request body needs the application's 'appId'.");
    if (!store.byKey('application', 'appId', appId) && !store.byKey('servicePrincipal', 'appId', appId)) throw badRequest(`'${appId}' in 'includeApplications' does not exist in this tenant.`);
    if (ids(o, NAVS.apps).includes(appId)) throw badRequest(`The application '${appId}' is already linked to this user flow.`);
    if ([...(store.live.get(TYPE)?.values() ?? [])].some((f) => f.id !== o.id && ids(f, NAVS.apps).includes(appId))) {
      throw badRequest(`The application '${appId}' is already linked to another user flow; an application can only be linked to one user flow.`);
    }
    setList(ctx, o, NAVS.apps, [...ids(o, NAVS.apps), appId]);
    return { status: 201, body: { '@odata.context': `${ctx.base}/$metadata#identity/authenticationEventsFlows('${o.id}')/conditions/applications/includeApplications/$entity`, appId }, mutated: true };
  }
  if (ctx.method === 'DELETE' && low.length === 4 && low.slice(0, 3).join('/') === apps) {
    const appId = raw[3]!;
    if (!ids(o, NAVS.apps).includes(appId)) throw notFound(appId);
    setList(ctx, o, NAVS.apps, ids(o, NAVS.apps).filter((a) => a !== appId));
    return { status: 204, mutated: true };
  }
  for (const [base, nav, type, entitySet] of [[providers, NAVS.providers, 'identityProvider', 'identityProviders'], [attributes, NAVS.attributes, 'userFlowAttribute', 'userFlowAttributes']] as const) {
    if (ctx.method === 'POST' && path === `${base}/$ref`) {
      const id = refTarget(ctx, entitySet);
      const target = store.get(type, id);
      if (!target) throw badRequest(`'${id}' does not exist in this tenant.`);
      if (ids(o, nav).includes(target.id)) throw badRequest(`'${target.id}' is already part of this user flow.`);
      setList(ctx, o, nav, [...ids(o, nav), target.id]);
      if (nav === NAVS.attributes) store.replace(TYPE, withDefaultInput(store.get(TYPE, o.id)!, target));
      return { status: 204, mutated: true };
    }
    if (ctx.method === 'DELETE' && low.length === base.split('/').length + 2 && path.startsWith(`${base}/`) && low[low.length - 1] === '$ref') {
      const id = raw[raw.length - 2]!;
      const at = ids(o, nav).findIndex((x) => x.toLowerCase() === id.toLowerCase());
      if (at < 0) throw notFound(id);
      if (nav === NAVS.providers && ids(o, nav).length === 1) throw badRequest('At least one identity provider must be specified in onAuthenticationMethodLoadStart.');
      setList(ctx, o, nav, ids(o, nav).filter((_, i) => i !== at));
      return { status: 204, mutated: true };
    }
  }
  return undefined;
}
