/**
 * A catalog's resources and an access package's resource roles in a restore run
 * (src/catalog/entitlement-resources.ts; docs/graph-facts.md §3 "Entitlement management:
 * resources and resource role scopes"):
 * - a resource is added by `POST …/resourceRequests` with requestType adminAdd, the origin
 *   (already re-linked by the plan) and the recreated catalog; the request is not the
 *   resource, so the resource's id is read back from the catalog's resources by its origin;
 * - one already in the catalog (a resumed run, docs/reliability.md 12) is found the same way,
 *   and a role already on the package by its role and scope origins;
 * - its attributes follow in an adminUpdate request (S247).
 */
import { VaultError } from '../../errors.js';
import type { JsonObject } from '../../model.js';
import type { GraphClient } from '../../graph/types.js';
import { filtered, listAll } from './graph.js';
import { lag, patientFind, stringProp, type Ctx, type Done } from './context.js';

const REQUESTS = '/identityGovernance/entitlementManagement/resourceRequests';

const originIdOf = (v: unknown): string | undefined => stringProp(v, 'originId');

/** The catalog's resource of the body's origin, if Graph has it. */
async function findResource(g: GraphClient, collection: string, body: JsonObject): Promise<Record<string, unknown> | undefined> {
  const origin = originIdOf(body);
  if (!origin) return undefined;
  const list = await filtered(g, collection, 'originId', origin);
  return list.find((o) => o['originId'] === origin && o['originSystem'] === body['originSystem']);
}

/**
 * Adds an archived resource to its recreated catalog (`collection` is the catalog's
 * `resources`), or adopts the one already there.
 * @throws VaultError from Graph, or GRAPH_BAD_RESPONSE when Graph reports the add failed or the resource does not appear
 */
export async function addCatalogResource(ctx: Ctx, body: JsonObject, collection: string, catalogId: string | undefined, label: string): Promise<Done> {
  const existing = await patientFind(ctx, () => findResource(ctx.graph, collection, body));
  const id = stringProp(existing, 'id');
  if (id) {
    // a resumed run may have added it before writing its attributes
    const live = existing?.['attributes'];
    if (Array.isArray(body['attributes']) && body['attributes'].length > 0 && !(Array.isArray(live) && live.length > 0)) await writeAttributes(ctx, body, catalogId);
    return { outcome: 'alreadyPresent', liveId: id };
  }
  const resource: JsonObject = { originId: body['originId'] ?? null, originSystem: body['originSystem'] ?? null };
  const request = { requestType: 'adminAdd', resource, catalog: { id: catalogId ?? null } };
  const res = await lag(ctx, REQUESTS, () => ctx.graph.post<Record<string, unknown>>(REQUESTS, request));
  if (stringProp(res, 'state') === 'deliveryFailed') throw new VaultError('GRAPH_BAD_RESPONSE', `${label}: Graph could not add the resource to the catalog (deliveryFailed)`);
  // the request is accepted before the resource is listed: look with the lag delays
  const added = await patientFind({ ...ctx, recheck: true }, () => findResource(ctx.graph, collection, body));
  const liveId = stringProp(added, 'id');
  if (!liveId) throw new VaultError('GRAPH_BAD_RESPONSE', `${label}: the resource request was accepted but the resource is not in the catalog`);
  if (Array.isArray(body['attributes']) && body['attributes'].length > 0) await writeAttributes(ctx, body, catalogId);
  return { outcome: 'created', liveId };
}

/**
 * The resource's attributes (questions for the resource app), written as Graph documents it
 * for a resource already in the catalog: a resource request of type adminUpdate naming the
 * resource by origin (docs/graph-facts.md §3 "Entitlement management", S247).
 */
async function writeAttributes(ctx: Ctx, body: JsonObject, catalogId: string | undefined): Promise<void> {
  const resource: JsonObject = { originId: body['originId'] ?? null, originSystem: body['originSystem'] ?? null, attributes: body['attributes'] ?? [] };
  await lag(ctx, REQUESTS, () => ctx.graph.post<Record<string, unknown>>(REQUESTS, { requestType: 'adminUpdate', resource, catalog: { id: catalogId ?? null } }));
}

/** The package's live role scope with the body's role and scope origins, if Graph has it. */
export async function findRoleScope(g: GraphClient, collection: string, body: JsonObject): Promise<Record<string, unknown> | undefined> {
  const role = originIdOf(body['role']);
  const scope = originIdOf(body['scope']);
  if (!role || !scope) return undefined;
  const list = await listAll<Record<string, unknown>>(g, `${collection}?$expand=role,scope`);
  return list.find((o) => originIdOf(o['role']) === role && originIdOf(o['scope']) === scope);
}
