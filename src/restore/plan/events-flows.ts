/**
 * Sign-up events flows in the plan (issue 15; src/catalog/events-flows.ts): a flow is created with
 * its apps, identity providers and attributes inline, each re-linked to the target's
 * (src/restore/plan/refs.ts). A reference nothing resolves (a social identity provider, which a
 * restore never creates; an app or attribute left out of the restore) is taken out of the body
 * (src/restore/plan/operations.ts) and reported: the plan's unresolved list, a warning, and the
 * manual step below naming each one with the Graph call that adds it back
 * (docs/graph-facts.md S361, S374). Pure.
 */
import type { DirObject, Json, JsonObject } from '../../model.js';
import type { ManualStep, UnresolvedRef } from '../types.js';
import { isJsonObject as isObj } from '../../json.js';

export const EVENTS_FLOW_STEP_ID = 'manual:authenticationEventsFlows';


/** Keeps the entries of `o[key]` that still name something (`item` set). */
function keepNamed(o: Json | undefined, key: string, item: string): void {
  if (!isObj(o) || !Array.isArray(o[key])) return;
  o[key] = (o[key] as Json[]).filter((x) => isObj(x) && typeof x[item] === 'string');
}

/**
 * After unresolved references were taken out of a flow's body: drops the entries left without
 * their key (`{}` in a list, a sign-up page input without its attribute), which Graph would refuse.
 */
export function dropEmptyFlowRefs(body: JsonObject): void {
  const conditions = body['conditions'];
  keepNamed(isObj(conditions) ? conditions['applications'] : undefined, 'includeApplications', 'appId');
  keepNamed(body['onAuthenticationMethodLoadStart'], 'identityProviders', 'id');
  const collect = body['onAttributeCollection'];
  if (!isObj(collect)) return;
  keepNamed(collect, 'attributes', 'id');
  const page = collect['attributeCollectionPage'];
  const views = isObj(page) && Array.isArray(page['views']) ? page['views'] : [];
  for (const v of views) keepNamed(v, 'inputs', 'attribute');
}

/** What a dropped reference of a flow is, from its body path. */
function kindOf(path: string): string {
  if (path.startsWith('conditions.')) return 'application (appId)';
  if (path.startsWith('onAuthenticationMethodLoadStart.')) return 'identity provider';
  if (path.includes('customExtension')) return `${path.split('.')[0] ?? ''} custom authentication extension`;
  return path.includes('attributeCollectionPage') ? 'sign-up page input for the attribute' : 'attribute';
}

/** The custom-extension handlers of the flows that name no extension (Graph may not return it inline, S376). */
function unnamedExtensions(flows: readonly DirObject[], nameOf: (id: string) => string): { id: string; line: string }[] {
  const out: { id: string; line: string }[] = [];
  for (const f of flows) {
    for (const h of ['onAttributeCollectionStart', 'onAttributeCollectionSubmit']) {
      const handler = f[h];
      const ext = isObj(handler) ? handler['customExtension'] : undefined;
      if (!isObj(handler) || (isObj(ext) && typeof ext['id'] === 'string')) continue;
      const id = f.id;
      out.push({ id, line: `- flow ${nameOf(id)}: ${h} (${String(handler['@odata.type'] ?? 'a handler').replace('#microsoft.graph.', '')}) calls a custom authentication extension the archive does not name: pick it again` });
    }
  }
  return out;
}

/**
 * The manual step for the flows' references that were taken out, and for the custom-extension
 * handlers whose extension the archive does not name (undefined: none). `flows`: the archived flows in scope.
 */
export function eventsFlowStep(unresolved: readonly UnresolvedRef[], nameOf: (id: string) => string, flows: readonly DirObject[] = []): ManualStep | undefined {
  const dropped = unresolved.filter((u) => u.type === 'authenticationEventsFlow' && u.effect === 'dropped');
  const handlers = unnamedExtensions(flows, nameOf);
  if (dropped.length === 0 && handlers.length === 0) return undefined;
  const lines = [...dropped.map((u) => `- flow ${nameOf(u.archivedId)}: ${kindOf(u.path)} ${u.value} (archived value)`), ...handlers.map((h) => h.line)];
  return {
    id: EVENTS_FLOW_STEP_ID,
    kind: 'other',
    title: 'Add back to the sign-up flows the apps, identity providers and attributes that were not restored',
    instructions: [
      'These sign-up flows were restored without the references below: each is neither in the target nor restored by this plan.',
      'Create (or pick) the app, identity provider (re-entering its secret), custom attribute or custom authentication extension, then add it to the flow in the Entra admin center (External Identities > User flows) or with POST /identity/authenticationEventsFlows/{id}/conditions/applications/includeApplications, …/onAuthenticationMethodLoadStart/microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders/$ref or …/onAttributeCollection/microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp/attributes/$ref:',
      ...lines,
    ].join('\n'),
    objects: [...new Set([...dropped.map((u) => u.archivedId), ...handlers.map((h) => h.id)])].sort(),
  };
}
