/**
 * A sign-up events flow's references in the backup (issue 15; src/catalog/events-flows.ts): Graph
 * takes the flow's apps, identity providers and attributes inline in a create body but returns
 * none of them inline (docs/graph-facts.md S361, S374). Each is read from its own navigation and
 * archived inline on the flow record, in the shape the create body takes
 * (docs/archive-format.md §2 "Sign-up events flows"):
 * - `conditions.applications.includeApplications`: `[{ appId }]`, read from
 *   `…/{id}/conditions/applications/includeApplications`;
 * - `onAuthenticationMethodLoadStart.identityProviders`: `[{ id }]`, read from
 *   `…/{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAuthenticationMethodLoadStart/microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders`;
 * - `onAttributeCollection.attributes`: `[{ id }]`, read from the same shape of path under
 *   `onAttributeCollection`; Graph answers 400 when the flow collects no attribute (S374): none.
 * A handler the flow does not have is not read. A refused read fails the flow's type (the walker
 * warns, the backup is incomplete): a flow is never archived without its references.
 * The live read before a restore and the final verify read flows the same way (src/restore/live.ts).
 */
import { GraphError } from '../graph/errors.js';
import type { GraphClient } from '../graph/types.js';
import type { DirObject, Json } from '../model.js';
import { isJsonObject as isObj } from '../json.js';

const CAST = 'microsoft.graph.externalUsersSelfServiceSignUpEventsFlow';


/** The Graph paths of a flow's three reference navigations. */
export function flowNavigationPaths(flowId: string): { apps: string; providers: string; attributes: string } {
  const base = `/identity/authenticationEventsFlows/${encodeURIComponent(flowId)}`;
  return {
    apps: `${base}/conditions/applications/includeApplications`,
    providers: `${base}/${CAST}/onAuthenticationMethodLoadStart/microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders`,
    attributes: `${base}/${CAST}/onAttributeCollection/microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp/attributes`,
  };
}

/** The `key` value of every listed item, as `[{ key }]`. */
async function keysOf(graph: GraphClient, path: string, key: 'appId' | 'id'): Promise<Json[]> {
  const out: Json[] = [];
  for await (const x of graph.list<Record<string, unknown>>(path)) {
    const v = isObj(x) ? x[key] : undefined;
    if (typeof v === 'string' && v !== '') out.push({ [key]: v });
  }
  return out;
}

/**
 * Reads the references of the flow `obj` into its record (see the file comment).
 * @throws GraphError when a navigation cannot be read (the walker turns it into a per-type warning)
 */
export async function readFlowReferences(graph: GraphClient, obj: DirObject): Promise<void> {
  const paths = flowNavigationPaths(obj.id);
  const apps = await keysOf(graph, paths.apps, 'appId');
  const conditions = isObj(obj['conditions']) ? obj['conditions'] : undefined;
  if (conditions || apps.length > 0) {
    const applications = conditions && isObj(conditions['applications']) ? conditions['applications'] : {};
    obj['conditions'] = { ...(conditions ?? {}), applications: { ...applications, includeApplications: apps } };
  }
  const load = obj['onAuthenticationMethodLoadStart'];
  if (isObj(load)) obj['onAuthenticationMethodLoadStart'] = { ...load, identityProviders: await keysOf(graph, paths.providers, 'id') };
  const collect = obj['onAttributeCollection'];
  if (isObj(collect)) {
    let attributes: Json[];
    try {
      attributes = await keysOf(graph, paths.attributes, 'id');
    } catch (e) {
      // "If no user flow attributes are assigned to the user flow, this method returns a 400" (S374)
      if (!(e instanceof GraphError && e.status === 400)) throw e;
      attributes = [];
    }
    obj['onAttributeCollection'] = { ...collect, attributes };
  }
}
