/**
 * What the final verify reports as not back as archived (./fidelity.ts), and how people read it.
 */
import type { RelationKind, ResourceType } from '../catalog/types.js';
import type { ObjectDiff } from './types.js';
import { objectRoot } from './held-lines.js';

export interface Deviation {
  what: 'objectMissing' | 'objectSoftDeleted' | 'attributeDiffers' | 'relationMissing';
  type?: ResourceType;
  relation?: RelationKind;
  /** The object (for a missing relation: the edge's `from` end). */
  archivedId?: string;
  /**
   * A missing relation's other end (archived id). Its own field, not part of `reason`: a
   * restore of 100k users may report some 230,000 missing edges, and the reasons of edges to one
   * absent end are then one shared string, not one string per edge (issue 17 item 1). Shown to
   * people as `→ <to>: <reason>` (`deviationText`).
   */
  to?: string;
  displayName?: string;
  property?: string;
  reason: string;
}

/** A deviation's reason as people read it: a missing edge's other end first (`→ <to>: <reason>`). */
export function deviationText(d: Pick<Deviation, 'to' | 'reason'>): string {
  return d.to === undefined ? d.reason : `→ ${d.to}: ${d.reason}`;
}

/**
 * The root of every object deviation's hidden class (./held-lines.ts `objectRoot`), with room for
 * its six keys in the object itself: built from `{ type }`, each kept the keys
 * past the fourth in a property array of its own (100,000 deviations at 100k users, 6 MiB at
 * `verify:objects`; issue 17 item 1).
 */
const DeviationShell = objectRoot<{ -readonly [K in keyof Deviation]?: Deviation[K] }>();

/**
 * An object's deviation: `type`, `archivedId` and `displayName` when set, `what`, `property` when
 * given, `reason`, in that order (the report's JSON). Built key by key, never as `{ ...base, … }`:
 * a spread in first place whose source comes in several shapes takes V8's slow clone, which gave
 * every deviation a hidden class of its own, about 300 bytes each (at 100k users 100,000 of them,
 * 25 MiB of the verify's heap in a snapshot at `verify:fidelity`; issue 17 item 1).
 */
export function objectDeviation(o: ObjectDiff, what: Deviation['what'], reason: string, property?: string): Deviation {
  const d = new DeviationShell();
  d.type = o.type;
  if (o.archivedId) d.archivedId = o.archivedId;
  if (o.displayName) d.displayName = o.displayName;
  d.what = what;
  if (property !== undefined) d.property = property;
  d.reason = reason;
  return d as Deviation;
}
