/**
 * Access package custom workflow extensions and the policy stages that run them, as Graph v1.0
 * serves them (docs/graph-facts.md §3 "Entitlement management", S245, S246):
 * - `POST …/catalogs/{id}/customWorkflowExtensions` "must explicitly provide an `@odata.type`"
 *   (accessPackageAssignmentRequestWorkflowExtension or accessPackageAssignmentWorkflowExtension),
 *   with displayName, endpointConfiguration and authenticationConfiguration required (S245).
 * - A policy's `customExtensionStageSettings` (stage + `customExtension: { id }`) come inline in
 *   its create body and are read with
 *   `$expand=customExtensionStageSettings($expand=customExtension)` (S246). A stage outside the
 *   documented values, or an extension that does not exist, is refused (400).
 * Stage settings are kept with the policy under `@em.stageSettings` as `{ id, stage, extensionId }`.
 */
import type { ResourceType } from '../catalog/types.js';
import { WORKFLOW_EXTENSION_TYPES } from '../catalog/entitlement-extensions.js';
import type { DirObject, Json } from '../model.js';
import type { Ctx } from './context.js';
import { badRequest, GraphHttpError } from './graph-error.js';
import { LINK } from './entitlement-links.js';
import type { CreateContext } from './writes.js';
import { project } from './odata/listing.js';

type Obj = Record<string, Json>;
const isObj = (v: Json | undefined): v is Obj => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);

/** accessPackageCustomExtensionStage (S246). */
const STAGES = ['assignmentRequestCreated', 'assignmentRequestApproved', 'assignmentRequestGranted', 'assignmentRequestRemoved', 'assignmentFourteenDaysBeforeExpiration', 'assignmentOneDayBeforeExpiration'];

function prepareExtension(_ctx: Ctx, o: DirObject, c: CreateContext): void {
  const t = o['@odata.type'];
  if (typeof t !== 'string' || !WORKFLOW_EXTENSION_TYPES.includes(t.replace(/^#/, ''))) {
    throw badRequest("The '@odata.type' must be #microsoft.graph.accessPackageAssignmentRequestWorkflowExtension or #microsoft.graph.accessPackageAssignmentWorkflowExtension.", 'InvalidRequest');
  }
  if (!isObj(o.endpointConfiguration) || !isObj(o.authenticationConfiguration)) {
    throw badRequest('A custom workflow extension needs an endpointConfiguration and an authenticationConfiguration.', 'InvalidRequest');
  }
  o.lastModifiedDateTime = c.now;
}

/** Create rules of the catalog extensions (writes.ts PREPARE). */
export const ENTITLEMENT_EXTENSION_PREPARE: Partial<Record<ResourceType, (ctx: Ctx, o: DirObject, c: CreateContext) => void>> = {
  accessPackageCustomWorkflowExtension: prepareExtension,
};

/**
 * Takes `customExtensionStageSettings` out of a policy body and keeps them on `target`;
 * nothing when the body has none.
 * @throws GraphHttpError 400 for an unknown stage or a missing extension.
 */
export function takeStageSettings(ctx: Ctx, body: Obj, target: DirObject): void {
  if (!('customExtensionStageSettings' in body)) return;
  const raw = body.customExtensionStageSettings;
  delete body.customExtensionStageSettings;
  if (raw === null || (Array.isArray(raw) && raw.length === 0)) {
    delete target[LINK.stageSettings];
    return;
  }
  if (!Array.isArray(raw)) throw badRequest("Property 'customExtensionStageSettings' must be a collection.");
  target[LINK.stageSettings] = raw.map((s): Obj => {
    if (!isObj(s) || typeof s.stage !== 'string' || !STAGES.includes(s.stage)) throw badRequest(`A custom extension stage must be one of ${STAGES.join(', ')}.`, 'InvalidRequest');
    const ext = s.customExtension;
    const id = isObj(ext) && typeof ext.id === 'string' ? ext.id : undefined;
    if (!id || !ctx.rt.store.get('accessPackageCustomWorkflowExtension', id)) throw badRequest(`The custom extension ${String(id)} of stage ${s.stage} does not exist.`, 'InvalidRequest');
    return { id: typeof s.id === 'string' ? s.id : ctx.rt.ids.guid(), stage: s.stage, extensionId: id };
  });
}

/** True for `customExtensionStageSettings` or `customExtensionStageSettings($expand=customExtension)`. */
export function isStageSettingsItem(raw: string): boolean {
  return /^customExtensionStageSettings(\(.*\))?$/i.test(raw.trim());
}

/**
 * The reader of a policy's stage settings for expand.ts; with the documented nested
 * `$expand=customExtension` each carries its extension.
 * @throws GraphHttpError 400 for any other nested option.
 */
export function stageSettingsReader(ctx: Ctx, raw: string): (o: DirObject) => Obj[] {
  const inner = /^customExtensionStageSettings(?:\((.*)\))?$/i.exec(raw.trim())?.[1]?.trim();
  if (inner !== undefined && !/^\$expand=customExtension$/i.test(inner)) {
    throw new GraphHttpError(400, 'Request_BadRequest', `Only '$expand=customExtension' is supported inside customExtensionStageSettings, not '${inner}'.`);
  }
  const withExtension = inner !== undefined;
  return (o) => {
    const list = Array.isArray(o[LINK.stageSettings]) ? (o[LINK.stageSettings] as Json[]).filter(isObj) : [];
    return list.map((s) => {
      const out: Obj = { id: s.id ?? null, stage: s.stage ?? null };
      const ext = withExtension && typeof s.extensionId === 'string' ? ctx.rt.store.get('accessPackageCustomWorkflowExtension', s.extensionId) : undefined;
      if (ext) out.customExtension = project(ctx, 'accessPackageCustomWorkflowExtension', ext);
      return out;
    });
  };
}
