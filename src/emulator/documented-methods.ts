/**
 * The writes Graph's v1.0 reference does not document for a type: the "Methods" table of the
 * type's resource page lists no Create, Update or Delete for objects at the catalog's path.
 * The emulator answers such a write 405 before anything else is looked at, instead of
 * accepting it as its generic collection and item handlers would: a PATCH of a PIM schedule
 * that the emulator stored was a restore that only worked here (docs/emulator.md "Writes
 * Graph does not document"). Derived from vendor/graph-docs/resource-methods.json (each type's
 * page, commit and Methods rows; test/emulator/documented-methods.test.ts checks this table
 * against it).
 */
import type { ResourceType } from '../catalog/types.js';
import { GraphHttpError } from './graph-error.js';

export type WriteKind = 'create' | 'update' | 'delete';

/** Per type, the writes its page does not document (absent: all three documented, or served apart). */
export const UNDOCUMENTED_WRITES: Partial<Record<ResourceType, readonly WriteKind[]>> = {
  roleEligibilitySchedule: ['create', 'update', 'delete'],
  roleAssignmentSchedule: ['create', 'update', 'delete'],
};

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
