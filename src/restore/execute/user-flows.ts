/**
 * How a create of a user flow, a user flow attribute or an attribute assignment finds the object a
 * killed run already made (src/catalog/external-identities.ts, src/catalog/user-flow-attributes.ts):
 * none can be looked up by its archived key as the generic lookup does.
 */
import type { ResourceType } from '../../catalog/types.js';
import type { GraphClient } from '../../graph/types.js';
import type { JsonObject } from '../../model.js';
import { listAll, tryGet } from './graph.js';

/** The live user flow (by name), attribute (by name) or assignment (by its attribute, within its flow), or undefined. */
export async function findUserFlowObject(g: GraphClient, type: ResourceType, collection: string, body: JsonObject): Promise<Record<string, unknown> | undefined> {
  if (type === 'b2xUserFlow') {
    // created by its name, kept as B2X_1_<name> (docs/graph-facts.md §3 "Self-service sign-up user flows")
    const name = body['id'];
    return typeof name === 'string' && name ? tryGet<Record<string, unknown>>(g, `${collection}/${encodeURIComponent(`B2X_1_${name}`)}`) : undefined;
  }
  if (type === 'userFlowAttribute') {
    // a custom attribute by its name (Graph names it extension_<guid>_<name>)
    const name = body['displayName'];
    return typeof name === 'string' ? (await listAll<Record<string, unknown>>(g, collection)).find((o) => o['displayName'] === name) : undefined;
  }
  // an assignment's id is its attribute's id, within its flow
  const ref = body['userAttribute'];
  const attr = ref && typeof ref === 'object' && !Array.isArray(ref) ? ref['id'] : undefined;
  return typeof attr === 'string' ? tryGet<Record<string, unknown>>(g, `${collection}/${encodeURIComponent(attr)}`) : undefined;
}
