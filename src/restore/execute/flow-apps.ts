/**
 * A sign-up events flow's apps in an update (docs/graph-facts.md §3 "External-tenant sign-up
 * flows", S373, S382). Graph returns them only from their own navigation and documents their
 * change one app at a time: `POST …/conditions/applications/includeApplications` with the app's
 * `appId` (201), `DELETE …/includeApplications/{appId}` (204). A PATCH of `conditions` carrying
 * the list inline is not documented to replace it, so the restore never relies on it: the apps
 * the update wants and the flow lacks are added, those it has and the update does not want are
 * removed (first: "An application can only be linked to one user flow"), and only the rest of
 * `conditions`, if any differs, goes into the PATCH.
 */
import type { Json, JsonObject } from '../../model.js';
import { canonicalJson, isJsonObject as isObj } from '../../json.js';
import { flowNavigationPaths } from '../../snapshot/events-flow-navs.js';
import { lag, type Ctx } from './context.js';

/** The appIds of `conditions.applications.includeApplications` (`[{ appId }]`). */
function appIdsOf(conditions: Json | undefined): string[] {
  const apps = isObj(conditions) && isObj(conditions['applications']) ? conditions['applications']['includeApplications'] : undefined;
  if (!Array.isArray(apps)) return [];
  return apps.flatMap((a) => (isObj(a) && typeof a['appId'] === 'string' ? [a['appId']] : []));
}

/** `conditions` without its apps (what a PATCH may still carry). */
function withoutApps(conditions: Json | undefined): Json {
  if (!isObj(conditions)) return conditions ?? null;
  const applications = isObj(conditions['applications']) ? conditions['applications'] : undefined;
  if (!applications) return conditions;
  const { includeApplications: _apps, ...rest } = applications;
  return { ...conditions, applications: rest };
}

/**
 * Writes the flow's apps as `wanted` lists them, one documented call per app.
 * Returns the rest of `conditions` when it still differs from the live flow's (for the PATCH), else undefined.
 * @throws VaultError from Graph
 */
export async function writeFlowApps(ctx: Ctx, flowId: string, live: JsonObject, wanted: Json | undefined): Promise<Json | undefined> {
  const path = flowNavigationPaths(flowId).apps;
  const want = appIdsOf(wanted);
  const have = appIdsOf(live['conditions']);
  const lower = (xs: string[]): Set<string> => new Set(xs.map((x) => x.toLowerCase()));
  const [wantSet, haveSet] = [lower(want), lower(have)];
  for (const a of have) if (!wantSet.has(a.toLowerCase())) await lag(ctx, path, () => ctx.graph.delete(`${path}/${encodeURIComponent(a)}`));
  for (const a of want) if (!haveSet.has(a.toLowerCase())) await lag(ctx, path, () => ctx.graph.post(path, { '@odata.type': '#microsoft.graph.authenticationConditionApplication', appId: a }));
  const rest = withoutApps(wanted);
  return canonicalJson(rest) === canonicalJson(withoutApps(live['conditions'] as Json | undefined)) ? undefined : rest;
}
