/**
 * An addRelation operation whose label is made when it is read, not held (issue 17 item 1).
 *
 * At 100k users a tenant-loss plan has about 251,000 edge operations, and a heap snapshot at the
 * planner's sort (`plan:ordered`) showed their labels as 30 MiB of flat strings, held from the
 * relation phase until the run holds them compressed (../held-fields.ts). A label is
 * `Add <kind> <from's name> → <to's name>`: the two names are the archive's own display-name
 * strings, shared by every edge of the same end, so the operation keeps those two references
 * (two symbol-keyed slots, not enumerable) and joins them on each read.
 *
 * The operation is an object equal to the plain one: the same keys in the same order, `label`
 * among them as an enumerable accessor, so its JSON, the plan's sha256 and its stored file are
 * unchanged. What differs, and what callers must keep to:
 * - each read of `label` makes a new string (equal to the last): read it into a local where it is
 *   used many times;
 * - assigning `label` replaces it for good (the accessor keeps the assigned string);
 * - a spread (`{ ...op }`) or `structuredClone` gives a plain operation with the label as a string.
 * Every such operation shares one accessor pair (as ../held-lines.ts `rebuildWith` explains, V8
 * keeps objects fast only when the functions are those an object of the same shape got before).
 */
import type { RelationKind, ResourceType, RestoreTier } from '../../catalog/types.js';
import type { Operation, UnresolvedRef } from '../types.js';
import { registerDerivedSlots } from '../held-lines.js';

type RelationOp = Extract<Operation, { kind: 'addRelation' }>;

/** The `from` end's name, or the label assigned in its place (then TO_NAME is undefined). */
const FROM_NAME = Symbol('relationOpFromName');
/** The `to` end's name; undefined once a label was assigned. Two slots, not a pair: 16 bytes, not 64. */
const TO_NAME = Symbol('relationOpToName');

// a run holds the label compressed (../held-fields.ts): the names are not kept beside it
registerDerivedSlots('label', [FROM_NAME, TO_NAME]);

type Named = RelationOp & { [FROM_NAME]: string; [TO_NAME]: string | undefined };

/** The label of an edge of `kind` between two named ends: one flat string (a join, not a template). */
export function relationLabel(kind: RelationKind, fromName: string, toName: string): string {
  return ['Add', kind, fromName, '→', toName].join(' ');
}

const LABEL: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Named): string {
    const to = this[TO_NAME];
    return to === undefined ? this[FROM_NAME] : relationLabel(this.relation, this[FROM_NAME], to);
  },
  set(this: Named, v: string) {
    this[FROM_NAME] = v;
    this[TO_NAME] = undefined;
  },
};

/**
 * The addRelation operation of the edge `kind` from `from` to `to`, its label made from the two
 * names when read. Never reads or keeps anything else of the archive.
 */
export function relationOp(
  e: { opId: string; tier: RestoreTier; dependsOn: string[]; kind: RelationKind; from: string; to: string; toType: ResourceType },
  fromName: string,
  toName: string,
): RelationOp {
  // keys in the plain operation's order (./relations.ts wrote them so): opId, kind, tier, dependsOn, label, …
  const op = { opId: e.opId, kind: 'addRelation', tier: e.tier, dependsOn: e.dependsOn } as Partial<Named>;
  Object.defineProperty(op, 'label', LABEL);
  op.relation = e.kind;
  op.from = e.from;
  op.to = e.to;
  op.toType = e.toType;
  Object.defineProperty(op, FROM_NAME, { value: fromName, writable: true });
  Object.defineProperty(op, TO_NAME, { value: toName, writable: true });
  return op as RelationOp;
}

/** A blocked edge's `to` end (its op id's last part; `value` names the missing end, either one). */
const TO_END = Symbol('blockedEdgeTo');

type Blocked = UnresolvedRef & { [TO_END]: string };

const OPID: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Blocked): string {
    return ['add', this.path, this.archivedId, this[TO_END]].join(':');
  },
  // an op id assigned replaces the made one: the entry's own, as a plain property (rare: no slot kept for it)
  set(this: Blocked, v: string) {
    Object.defineProperty(this, 'opId', { value: v, writable: true, enumerable: true, configurable: true });
  },
};

/**
 * The unresolved entry of an edge the plan cannot write because its end `missing` (`from` or `to`)
 * is neither in the target nor made by the plan: `{ opId, type, archivedId: from, path: kind,
 * value: missing, effect: 'blocked' }`, equal to the plain entry, its `opId` (`add:<kind>:<from>:<to>`,
 * the op the edge would have had) made when read. At 100k users about 141,000 such entries held
 * their op ids as 15 MiB of strings from the relation phase to the end of the run (a heap snapshot
 * at `plan:ordered`; issue 17 item 1). As `relationOp`'s label: each read makes a new string; an
 * assigned op id is kept; a spread gives a plain entry. The op id is made from `path` and
 * `archivedId`, which nothing changes once the entry is made.
 */
export function blockedEdge(e: { kind: RelationKind; from: string; to: string }, type: ResourceType, missing: string): UnresolvedRef {
  const u = {} as Partial<Blocked>;
  Object.defineProperty(u, 'opId', OPID);
  u.type = type;
  u.archivedId = e.from;
  u.path = e.kind;
  u.value = missing;
  u.effect = 'blocked';
  Object.defineProperty(u, TO_END, { value: e.to });
  return u as UnresolvedRef;
}
