/**
 * Finding an entitlement object a create may already have made (a resumed run,
 * docs/reliability.md 12): an access package's display name is unique only within its catalog,
 * and a policy's only within its access package ("Direct assignment" on every package), so the
 * match also compares the link Graph returns expanded (src/catalog/entitlement.ts).
 */
import type { Json, JsonObject } from '../../model.js';
import { reducedStageSettings } from '../plan/entitlement-extensions.js';
import type { GraphClient } from '../../graph/types.js';
import { filtered } from './graph.js';

/** The link each type is found within: the navigation and the `$expand` that reads it. */
const WITHIN: Readonly<Record<string, string>> = { accessPackage: 'catalog', accessPackageAssignmentPolicy: 'accessPackage' };

const linkId = (v: unknown): string | undefined => (v !== null && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string' ? (v as { id: string }).id : undefined);

/**
 * The live object of the same display name within the same catalog / access package, or
 * undefined; `undefined` too for other types (the caller's generic lookup applies).
 */
export async function findWithinLink(g: GraphClient, type: string, collection: string, body: JsonObject): Promise<Record<string, unknown> | undefined | null> {
  const nav = WITHIN[type];
  if (!nav) return null;
  const name = body['displayName'];
  const parent = linkId(body[nav]);
  if (typeof name !== 'string' || !parent) return undefined;
  const list = await filtered(g, `${collection}?$expand=${nav}($select=id)`, 'displayName', name);
  return list.find((o) => o['displayName'] === name && linkId(o[nav]) === parent);
}

/** The GET a PUT of the whole object starts from: an assignment policy's with its questions and stages expanded (S240, S246). */
export function wholeReadPath(type: string, path: string): string {
  if (type !== 'accessPackageAssignmentPolicy') return path;
  return `${path}${path.includes('?') ? '&' : '?'}$expand=questions,customExtensionStageSettings($expand=customExtension)`;
}

/**
 * The body of a PUT of the whole object: the live object with the update's properties over it;
 * an assignment policy's stages as `{ stage, customExtension: { id } }` (its questions keep their
 * ids, which name the questions the PUT keeps, S242).
 */
export function wholePutBody(type: string, whole: JsonObject, body: JsonObject): JsonObject {
  const out: JsonObject = { ...whole, ...body };
  if (type === 'accessPackageAssignmentPolicy' && Array.isArray(out['customExtensionStageSettings'])) out['customExtensionStageSettings'] = (reducedStageSettings(out['customExtensionStageSettings']) ?? []) as Json;
  return out;
}
