/**
 * Access package custom workflow extensions in a restore plan (src/catalog/entitlement-extensions.ts).
 * Pure.
 *
 * - An extension is recreated in its recreated catalog with its `@odata.type` (Graph requires it)
 *   and its Logic App's subscription, resource group and workflow name; the trigger `url` is
 *   Graph's own (it answers it from the Logic App, docs/graph-facts.md §3 "Entitlement
 *   management", S245), so it leaves the create body.
 * - A policy's `customExtensionStageSettings` go in its create (or PUT) body as
 *   `{ stage, customExtension: { id } }`, the extension re-linked to the recreated one (S246);
 *   the stage setting's own id and the expanded extension's other properties are Graph's.
 * - The Logic App lives in Azure and accepts calls only as its authorization policy says (the
 *   tenant whose entitlement management calls it): after a restore into another tenant a manual
 *   step lists each Logic App and the tenant to authorize, as for lifecycle workflows'
 *   custom task extensions (./governance.ts).
 */
import type { DirObject, Json, JsonObject } from '../../model.js';
import type { ManualStep, Operation } from '../types.js';
import { createdArchived } from './context.js';
import { comparableAssignment, withoutQuestionIds } from './entitlement.js';
import { LOGIC_APP_ROLE_LINE } from './governance.js';

export const WORKFLOW_EXTENSIONS_STEP_ID = 'manual:accessPackageWorkflowExtensionLogicApps';

const isObj = (v: Json | undefined): v is JsonObject => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** A policy's stage settings as a create body and a comparison carry them: `{ stage, customExtension: { id } }`. */
export function reducedStageSettings(v: Json | undefined): Json | undefined {
  if (!Array.isArray(v)) return v;
  return v.map((s) => {
    if (!isObj(s)) return s;
    const ext = s['customExtension'];
    return { stage: s['stage'] ?? null, customExtension: isObj(ext) ? { id: ext['id'] ?? null } : null };
  });
}

/** An extension's endpointConfiguration without the trigger url Graph answers from the Logic App (for comparing). */
export function withoutTriggerUrl(v: Json | undefined): Json | undefined {
  if (!isObj(v)) return v;
  const copy: JsonObject = { ...v };
  delete copy['url'];
  return copy;
}

/** An extension's create body: its `@odata.type` always, the Logic App's trigger url never (in place). */
export function fixExtensionBody(body: JsonObject, archived: JsonObject): void {
  if (typeof archived['@odata.type'] === 'string') body['@odata.type'] = archived['@odata.type'];
  if (isObj(body['endpointConfiguration'])) body['endpointConfiguration'] = withoutTriggerUrl(body['endpointConfiguration']) ?? null;
}

/**
 * An entitlement property in the form a comparison uses (src/restore/diff.ts): a policy's
 * questions without their ids, its stages as `{ stage, customExtension: { id } }`, an
 * extension's endpoint without the trigger url; any other value as it is.
 */
export function comparableEntitlement(type: string, prop: string, v: Json | undefined): Json | undefined {
  if (type === 'accessPackageAssignmentPolicy' && prop === 'questions') return withoutQuestionIds(v);
  if (type === 'accessPackageAssignmentPolicy' && prop === 'customExtensionStageSettings') return reducedStageSettings(v);
  if (type === 'accessPackageCustomWorkflowExtension' && prop === 'endpointConfiguration') return withoutTriggerUrl(v);
  if (type === 'accessPackageAssignment') return comparableAssignment(prop, v);
  return v;
}

/**
 * A catalog resource's attributes as the adminUpdate request carries them: each attribute's
 * question without the id Graph gave it (src/restore/execute/entitlement-resources.ts, S247).
 */
export function attributesWithoutQuestionIds(v: Json | undefined): Json[] {
  if (!Array.isArray(v)) return [];
  return v.map((a) => {
    if (!isObj(a) || !isObj(a['source']) || !isObj(a['source']['question'])) return a;
    const { id: _id, ...question } = a['source']['question'];
    return { ...a, source: { ...a['source'], question } };
  });
}

/** The manual step for the custom workflow extensions the plan creates (undefined: none). */
export function workflowExtensionStep(ops: readonly Operation[], archivedById: ReadonlyMap<string, DirObject>, targetTenantId: string): ManualStep | undefined {
  const made = createdArchived(ops, archivedById, 'accessPackageCustomWorkflowExtension');
  if (made.length === 0) return undefined;
  const line = (o: DirObject): string => {
    const ep = isObj(o['endpointConfiguration']) ? o['endpointConfiguration'] : {};
    return `- "${str(o['displayName']) ?? o.id}": subscription ${str(ep['subscriptionId']) ?? '?'}, resource group ${str(ep['resourceGroupName']) ?? '?'}, Logic App ${str(ep['logicAppWorkflowName']) ?? '?'}`;
  };
  return {
    id: WORKFLOW_EXTENSIONS_STEP_ID,
    kind: 'other',
    title: `Authorize the restored tenant in the Logic Apps of ${made.length} access package custom workflow extension(s)`,
    instructions: [
      'The access package catalogs\' custom workflow extensions were recreated and the policies\' stages run them again, but each calls an Azure Logic App that accepts only the callers its authorization policy names.',
      `In the Azure portal, open each Logic App below (Settings > Authorization) and make its policy accept tokens issued for this tenant (issuer https://sts.windows.net/${targetTenantId}/) instead of the lost one; if the Logic App went with the lost tenant's subscription, recreate it and update the extension's endpointConfiguration. Then request an access package once to check the callout:`,
      ...made.map(line),
      LOGIC_APP_ROLE_LINE,
    ].join('\n'),
    objects: made.map((o) => o.id),
  };
}
