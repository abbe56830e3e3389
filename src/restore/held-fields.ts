/**
 * A plan's labels and dependency lists, held compressed while the plan runs (issue 17 item 1).
 *
 * At 100k users the plan's labels are about 36 MiB of live heap and its `dependsOn` lists about
 * 19 MiB (docs/design.md "Performance stance"), otherwise held through the whole run and until the
 * plan is set aside. The run reads an operation's label when it starts it and when it settles, and
 * its dependencies when the run begins (./execute/waiting.ts): a few reads each, in plan order. As
 * JSON lines compressed in chunks (./held-lines.ts) they are about 10 MiB; holding them takes about
 * 5 s at 100k users (measured on a stored 100k plan: live heap 196 → 148 MiB).
 *
 * A held operation is an object equal to the one it replaces, as ./held-bodies.ts makes one: the
 * same keys in the same order, `label` and `dependsOn` among them as enumerable accessors, so the
 * Operation contract (./types.ts), the plan's JSON, its sha256 and its stored file are unchanged.
 * What differs, and what callers must keep to:
 * - a read of `dependsOn` gives a deeply frozen array: changing it in place throws (a TypeError in
 *   strict code) instead of changing nothing; assigning a new list replaces it;
 * - a read parses the operation's line again unless it was the last one read: read a field into a
 *   local where it is used many times;
 * - a spread (`{ ...op }`) or `structuredClone` gives a plain operation.
 *
 * Held when a run that spends its plan starts (./execute/executor.ts, ExecuteOptions.releaseFinished):
 * not in the planner, whose sort reads every dependency list many times and out of plan order (a
 * chunk decompressed per read), and not before the plan is stored, which would read each field
 * twice more (its hash and its file; at 100k users that phase's peak RSS rose 597 → 644 MiB,
 * measured, from the garbage of reading them).
 */
import { deepFreeze, HeldLines, rebuildWith } from './held-lines.js';
import type { Operation } from './types.js';
import { releaseEdgeLabel } from './plan/relation-op.js';

/** The fields held, in each line's order. */
const FIELDS = ['label', 'dependsOn'] as const;
type Field = (typeof FIELDS)[number];
type Values = readonly [label: string, dependsOn: readonly string[]];

/** A held operation's store and its fields' place there (own, non-enumerable). */
const KEYS = { store: Symbol('heldFieldsStore'), slot: Symbol('heldFieldsSlot') } as const;

type HeldOp = Operation & { [k: symbol]: unknown };

/**
 * The accessors of every held operation of every store, one pair per field (./held-lines.ts
 * rebuildWith: one pair of functions, or V8 makes the operations of a second store, a bootstrap
 * plan's then the rest plan's, slow dictionaries).
 */
const ACCESSORS: ReadonlyMap<string, PropertyDescriptor> = new Map(FIELDS.map((f, i): [string, PropertyDescriptor] => [f, {
  enumerable: true,
  configurable: true,
  get(this: HeldOp): unknown {
    return (this[KEYS.store] as FieldStore).read(this[KEYS.slot] as number)[i];
  },
  set(this: HeldOp, v: unknown) {
    (this[KEYS.store] as FieldStore).assign(this[KEYS.slot] as number, i, v);
  },
}]));

/** One plan's held labels and dependency lists. A held operation keeps its store alive. */
export class FieldStore {
  private readonly lines = new HeldLines();
  /** Fields assigned after holding, by slot: that slot's values with the assignment. */
  private readonly replaced = new Map<number, Values>();
  /** The line read last: a run reads an operation's fields together. */
  private lastSlot = -1;
  private lastValues: Values | undefined;

  /** Compressed bytes held, with the characters of the chunk still filling. */
  get bytes(): number {
    return this.lines.bytes;
  }

  /**
   * An operation equal to `op` whose label and dependencies are held here; `op` itself is not
   * changed. An operation already held here is returned as it is. Its other keys keep what they
   * are (a body held by ./held-bodies.ts stays held).
   */
  hold<T extends Operation>(op: T): T {
    if (this.holds(op)) return op;
    const values: Values = [op.label, op.dependsOn];
    const slot = this.lines.add(JSON.stringify(values));
    return rebuildWith(op, ACCESSORS, KEYS, this, slot) as T;
  }

  private holds(op: Operation): boolean {
    return (op as HeldOp)[KEYS.store] === this;
  }

  /** Field `i` of `slot` assigned (the accessors' setter). */
  assign(slot: number, i: number, v: unknown): void {
    const next = [...this.read(slot)] as unknown[];
    next[i] = v;
    this.replaced.set(slot, next as unknown as Values);
  }

  /** The values of `slot`, deeply frozen, or as assigned since (the accessors' getter). */
  read(slot: number): Values {
    const r = this.replaced.get(slot);
    if (r !== undefined) return r;
    if (slot !== this.lastSlot || !this.lastValues) {
      this.lastValues = deepFreeze(JSON.parse(this.lines.line(slot)) as Values);
      this.lastSlot = slot;
    }
    return this.lastValues;
  }
}

/**
 * Holds the label and dependencies of every operation of `ops` in `store` (a new one by default),
 * in place and in plan order (FieldStore.hold); an operation whose fields any store holds stays
 * as it is (a plan run again after a pause). Returns the store. An edge operation replaced here
 * can no longer give its label (its store let go of the names, ./plan/relation-op.ts): only the
 * operation that replaces it, in `ops`, is to be read.
 */
export function holdFields(ops: Operation[], store: FieldStore = new FieldStore()): FieldStore {
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as Operation;
    if (isHeldField(op, 'label')) continue;
    ops[i] = store.hold(op);
    // an edge operation's names are let go of: its label is held here now (./plan/relation-op.ts)
    releaseEdgeLabel(op);
  }
  return store;
}

/**
 * The label accessor of a run's results (./execute/settled.ts): read from the store of the
 * operation it is the result of. Assigning it makes it a plain string of that result alone (never
 * the operation's label, which the same slot holds).
 */
const RESULT_LABEL: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: HeldOp): unknown {
    return (this[KEYS.store] as FieldStore).read(this[KEYS.slot] as number)[0];
  },
  set(this: HeldOp, v: unknown) {
    Object.defineProperty(this, 'label', { value: v, writable: true, enumerable: true, configurable: true });
  },
};
const RESULT_ACCESSORS: ReadonlyMap<string, PropertyDescriptor> = new Map([['label', RESULT_LABEL]]);

/** `op`'s store and slot when its label is held (`holdFields`), else undefined. */
function heldLabelOf(op: Operation): { store: FieldStore; slot: number } | undefined {
  const h = op as HeldOp;
  return isHeldField(op, 'label') ? { store: h[KEYS.store] as FieldStore, slot: h[KEYS.slot] as number } : undefined;
}

/**
 * A run's result of `op` (an object whose `label` is `op`'s), equal to `r`, its label read from
 * where `op`'s is held rather than kept as a string of its own: at 100k users the run's 350,000
 * results, made as it ends, held about 36 MiB of labels until they were set aside for the verify
 * (issue 17 item 1). The same keys in the same order, `label` an enumerable accessor, so its JSON
 * is unchanged; a spread or `structuredClone` gives a plain result. `r` itself when `op`'s label is
 * not held or `r`'s differs from it. Never changes `op` or `r`.
 */
export function withHeldLabel<T extends { label: string }>(r: T, op: Operation): T {
  const held = heldLabelOf(op);
  if (!held || held.store.read(held.slot)[0] !== r.label) return r;
  return rebuildWith(r, RESULT_ACCESSORS, KEYS, held.store, held.slot) as T;
}

/** True when `field` of `op` is held by a FieldStore (tests and the bench). */
export function isHeldField(op: Operation, field: Field): boolean {
  return Object.getOwnPropertyDescriptor(op, field)?.get === ACCESSORS.get(field)?.get && (op as HeldOp)[KEYS.store] instanceof FieldStore;
}
