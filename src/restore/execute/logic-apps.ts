/**
 * Extensions that call an Azure Logic App (a lifecycle workflow's custom task extension, an access
 * package catalog's custom workflow extension). Graph checks more than the app's Graph permission
 * when one is created or changed: "The calling user also requires one of the following Azure
 * Resource Manager roles for the specified Azure Logic App: Logic App contributor, Contributor, or
 * Owner" (docs/graph-facts.md S394). That role lives in Azure, where the emulator cannot model it,
 * so a refusal is given the step that clears it.
 */
import { isVaultError, VaultError } from '../../errors.js';
import { missingPermission } from '../../graph/errors.js';
import type { Json, JsonObject } from '../../model.js';

const LOGIC_APP_CALLERS: ReadonlySet<string> = new Set(['customTaskExtension', 'accessPackageCustomWorkflowExtension']);

const isObj = (v: Json | undefined): v is JsonObject => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);

/** "Logic App <name> (resource group …, subscription …)" from an extension's endpoint configuration. */
export function logicAppOf(body: JsonObject): string {
  const ep = isObj(body['endpointConfiguration']) ? body['endpointConfiguration'] : {};
  const name = ep['logicAppWorkflowName'];
  if (typeof name !== 'string') return 'the Logic App it calls';
  return `Logic App ${name} (resource group ${String(ep['resourceGroupName'] ?? '?')}, subscription ${String(ep['subscriptionId'] ?? '?')})`;
}

/**
 * The error to report for a failed write of `type`: a 403 on an extension that calls a Logic App
 * names that Logic App and the Azure role the recovery app needs on it; any other error is `e`
 * itself. Never swallows an error.
 */
export function logicAppRefusal(type: string, label: string, body: JsonObject, e: unknown): unknown {
  if (!LOGIC_APP_CALLERS.has(type) || !isVaultError(e, 'GRAPH_FORBIDDEN')) return e;
  // a refusal that names a missing Graph permission keeps its own step (src/graph/errors.ts)
  if (missingPermission(e.message) !== undefined) return e;
  return new VaultError('GRAPH_FORBIDDEN', `${label}: ${e.message}`,
    `give the recovery app Logic App Contributor (or Contributor, or Owner) on ${logicAppOf(body)} in Azure, then restore this object again`);
}
