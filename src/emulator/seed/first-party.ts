/**
 * Microsoft's first-party service principals every tenant holds (docs/graph-facts.md §3
 * "First-party service principals").
 */
import { MICROSOFT_GRAPH_APP_ID } from '../../catalog/permissions.js';
import type { DirObject } from '../../model.js';
import { FIRST_PARTY_APPS } from '../builtin/generated/tenant-builtins.js';
import { firstPartyServicePrincipal } from '../graph-app.js';
import type { SeedContext } from './context.js';
import { Rng } from './rng.js';

/**
 * The service principals of Microsoft's first-party applications that every tenant holds
 * (Microsoft Graph, Exchange Online, SharePoint Online, …: FIRST_PARTY_APPS, generated from
 * vendor/tenant-builtins/first-party-apps.md). Object ids differ per tenant; appIds never do.
 * @returns Microsoft Graph's service principal, which the seeded apps' grants point at.
 */
export function seedGraphServicePrincipal(ctx: SeedContext): DirObject {
  ctx.graphSpId = new Rng(ctx.seed, 'graphServicePrincipal').guid();
  let graph: DirObject | undefined;
  for (const app of FIRST_PARTY_APPS) {
    const isGraph = app.appId === MICROSOFT_GRAPH_APP_ID;
    const id = isGraph ? ctx.graphSpId : new Rng(ctx.seed, `firstPartyServicePrincipal|${app.appId}`).guid();
    const sp = ctx.add('servicePrincipal', firstPartyServicePrincipal(app, id));
    if (isGraph) graph = sp;
  }
  if (!graph) throw new Error('FIRST_PARTY_APPS lacks Microsoft Graph');
  return graph;
}

