/**
 * Access reviews and lifecycle workflows in a restore plan (src/catalog/governance.ts). Pure.
 *
 * - A workflow is created with its tasks in one POST; a task's id, execution sequence and
 *   category are Graph's own (docs/graph-facts.md §3 "Access reviews and lifecycle
 *   workflows"), so they leave the create body.
 * - A custom task extension is recreated as archived, but what it calls lives outside the
 *   tenant: the Azure Logic App accepts callers by an authorization policy naming the tenant
 *   (token issuer) and the app the extension authenticates with (audience). After a restore
 *   into another tenant, or with a recreated app, that policy names the lost ones: a manual
 *   step gives each extension's Logic App and the exact values to enter.
 */
import { TASK_SERVER_SET } from '../../catalog/governance.js';
import type { DirObject, Json, JsonObject } from '../../model.js';
import type { ManualStep, Operation } from '../types.js';
import { createdArchived } from './context.js';
import { itemsWithout, type JsonPath } from '../json.js';

export const TASK_EXTENSIONS_STEP_ID = 'manual:customTaskExtensionLogicApps';

const isObj = (v: Json | undefined): v is JsonObject => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** Takes the properties Graph sets itself out of a workflow create body's tasks (in place). */
export function stripTaskServerSet(body: JsonObject): void {
  const tasks = body['tasks'];
  if (!Array.isArray(tasks)) return;
  for (const t of tasks) if (isObj(t)) for (const k of TASK_SERVER_SET) delete t[k];
}

/** A workflow's task list without what Graph sets on each task, for comparing (src/restore/diff.ts). */
export function withoutTaskServerSet(v: Json | undefined): Json | undefined {
  return itemsWithout(v, TASK_SERVER_SET);
}

/**
 * Graph recreates a Logic App extension only for a caller with an Azure role on the Logic App
 * (docs/graph-facts.md S394): said in the plan, before anything is written.
 */
export const LOGIC_APP_ROLE_LINE = 'Graph recreates each of these only when the recovery app holds Logic App Contributor (or Contributor, or Owner) on its Logic App in Azure; one refused with 403 is reported failed, naming the Logic App: assign the role, then restore it again.';

/** One line per recreated extension: its Logic App and the issuer and audience to enter. */
function extensionLine(o: DirObject, targetTenantId: string, appName: (appId: string) => string | undefined): string {
  const ep = isObj(o['endpointConfiguration']) ? o['endpointConfiguration'] : {};
  const auth = isObj(o['authenticationConfiguration']) ? o['authenticationConfiguration'] : {};
  const resource = str(auth['resourceId']) ?? '?';
  const app = appName(resource);
  const where = `subscription ${str(ep['subscriptionId']) ?? '?'}, resource group ${str(ep['resourceGroupName']) ?? '?'}, Logic App ${str(ep['logicAppWorkflowName']) ?? '?'}`;
  return `- "${str(o['displayName']) ?? o.id}" (${where}): issuer https://sts.windows.net/${targetTenantId}/, audience the appId of ${app ? `the restored app "${app}" (archived appId ${resource})` : `app ${resource}`}`;
}

/** The manual step for the custom task extensions the plan creates (undefined: none). */
export function taskExtensionStep(
  ops: readonly Operation[],
  archivedById: ReadonlyMap<string, DirObject>,
  targetTenantId: string,
  appName: (appId: string) => string | undefined,
): ManualStep | undefined {
  const made = createdArchived(ops, archivedById, 'customTaskExtension');
  if (made.length === 0) return undefined;
  return {
    id: TASK_EXTENSIONS_STEP_ID,
    kind: 'other',
    title: `Authorize the restored tenant in the Logic Apps of ${made.length} custom task extension(s)`,
    instructions: [
      'The lifecycle workflows\' custom task extensions were recreated, but each calls an Azure Logic App that accepts only callers its authorization policy names.',
      'In the Azure portal, open each Logic App below (Settings > Authorization) and set its policy\'s issuer and audience to these values; then run the workflow once on demand to check the callback:',
      ...made.map((o) => extensionLine(o, targetTenantId, appName)),
      LOGIC_APP_ROLE_LINE,
    ].join('\n'),
    objects: made.map((o) => o.id),
  };
}

/**
 * Where an unresolved review query is dropped from: the whole reviewer or recipient scope that
 * holds it (`fallbackReviewers[0]`, `additionalNotificationRecipients[1]`), never the query alone.
 * A scope without its query names no one (S176, `accessReviewReviewerScope`); left in the body it
 * is a reviewer entry Graph cannot resolve. Other paths are returned as they are.
 */
export function reviewScopeOf(type: string, at: JsonPath): JsonPath {
  if (type !== 'accessReviewDefinition' || at[at.length - 1] !== 'query') return at;
  let i = at.length - 1;
  while (i >= 0 && typeof at[i] !== 'number') i--;
  return i < 0 ? at : at.slice(0, i + 1);
}
