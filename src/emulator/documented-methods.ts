/**
 * The emulator refuses a write its type's reference page does not document
 * (src/catalog/documented-writes.ts) with 405, before anything else is looked at, instead of
 * accepting it as its generic collection and item handlers would: a PATCH of a PIM schedule that
 * the emulator stored was a restore that only worked here (docs/emulator.md "Writes the
 * reference does not document").
 */
import type { ResourceType } from '../catalog/types.js';
import { UNDOCUMENTED_WRITES, type WriteKind } from '../catalog/documented-writes.js';
import { GraphHttpError } from './graph-error.js';

const KIND: Record<string, WriteKind | undefined> = { POST: 'create', PATCH: 'update', PUT: 'update', DELETE: 'delete' };

/**
 * Refuses a write its type's page does not document. The message is the one Graph gives a
 * PATCH of an app role assignment (docs/graph-facts.md S387); Graph's answer to other such
 * writes is not documented and varies by service (a lab choice, docs/emulator.md).
 * @throws GraphHttpError 405 Request_BadRequest
 */
export function refuseUndocumentedWrite(type: ResourceType, method: string, collection: boolean): void {
  const kind = KIND[method];
  if (!kind || (kind === 'create') !== collection) return;
  if (UNDOCUMENTED_WRITES[type]?.includes(kind)) {
    throw new GraphHttpError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
  }
}
