/**
 * What a backup records when Graph will not list a type or relation: a warning naming why, or
 * nothing when the whole backup must stop (src/snapshot/walker.ts). NOT_AVAILABLE (404) is a
 * feature the tenant lacks; the others name facts the archive lacks and make the backup
 * incomplete (exit 1).
 */
import type { RelationDescriptor, ResourceType } from '../catalog/types.js';
import { isVaultError } from '../errors.js';

/** Turns a per-type failure into a warning, or returns undefined when the whole backup must stop. */
export function warningFor(e: unknown, type: ResourceType | RelationDescriptor['kind'], permission: string, title: string) {
  if (!isVaultError(e)) return undefined;
  if (e.code === 'GRAPH_FORBIDDEN') {
    return { code: 'PERMISSION_MISSING' as const, type, permission, message: `${title}: not read, the app lacks ${permission}` };
  }
  if (e.code === 'GRAPH_NOT_FOUND') {
    return { code: 'NOT_AVAILABLE' as const, type, message: `${title}: not available in this tenant (${e.message})` };
  }
  // A 400 is usually the request's fault, not the tenant's: never call it "not available"
  // (an unlicensed feature Graph answers 400 for is named by Graph's own message).
  if (e.code === 'GRAPH_REQUEST_FAILED') {
    return { code: 'READ_FAILED' as const, type, message: `${title}: not read, Graph refused the request (${e.message}); nothing of this type is in the archive` };
  }
  return undefined;
}
