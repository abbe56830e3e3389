/**
 * An ordered plan's labels and dependency lists, held compressed while it is stored and run
 * (issue 17 item 1).
 *
 * At 100k users the plan's labels are about 36 MiB of live heap and its `dependsOn` lists about
 * 19 MiB (docs/design.md "Performance stance"), held through the plan's storing, the whole run
 * and until the plan is set aside. The run reads an operation's label when it starts it and when
 * it settles, and its dependencies once when the run begins (./execute/waiting.ts): a few reads
 * each, in plan order. As JSON lines compressed in chunks (./held-lines.ts) they are a few MiB.
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
 * Held after the planner's sort (./plan/planner.ts), never before: the sort reads every
 * dependency list many times and out of plan order, which would decompress a chunk per read.
 */
import { deepFreeze, HeldLines, rebuildWith } from './held-lines.js';
import type { Operation } from './types.js';

/** The fields held, in each line's order. */
const FIELDS = ['label', 'dependsOn'] as const;
type Field = (typeof FIELDS)[number];
type Values = readonly [label: string, dependsOn: readonly string[]];

/** Where a held operation's fields are in its store (own, non-enumerable). */
const SLOT: unique symbol = Symbol('heldFieldsSlot');

type HeldOp = Operation & { [SLOT]: number };

/** One plan's held labels and dependency lists. A held operation keeps its store alive. */
export class FieldStore {
  private readonly lines = new HeldLines();
  /** Fields assigned after holding, by slot: that slot's values with the assignment. */
  private readonly replaced = new Map<number, Values>();
  /** The line read last: a run reads an operation's fields together. */
  private lastSlot = -1;
  private lastValues: Values | undefined;
  /** One accessor pair per field for every operation of this store (shared V8 hidden classes). */
  private readonly accessors: ReadonlyMap<string, PropertyDescriptor>;

  constructor() {
    const store = this;
    const accessor = (i: number): PropertyDescriptor => ({
      enumerable: true,
      configurable: true,
      get(this: HeldOp): unknown {
        return store.read(this[SLOT])[i];
      },
      set(this: HeldOp, v: unknown) {
        const next = [...store.read(this[SLOT])] as unknown[];
        next[i] = v;
        store.replaced.set(this[SLOT], next as unknown as Values);
      },
    });
    this.accessors = new Map(FIELDS.map((f, i) => [f, accessor(i)]));
  }

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
    return rebuildWith(op, this.accessors, SLOT, slot) as T;
  }

  private holds(op: Operation): boolean {
    return (op as Partial<HeldOp>)[SLOT] !== undefined && Object.getOwnPropertyDescriptor(op, 'label')?.get === this.accessors.get('label')?.get;
  }

  private read(slot: number): Values {
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
 * in place and in plan order (FieldStore.hold). Returns the store.
 */
export function holdFields(ops: Operation[], store: FieldStore = new FieldStore()): FieldStore {
  for (let i = 0; i < ops.length; i++) ops[i] = store.hold(ops[i] as Operation);
  return store;
}

/** True when `field` of `op` is held by a FieldStore (tests and the bench). */
export function isHeldField(op: Operation, field: Field): boolean {
  return typeof Object.getOwnPropertyDescriptor(op, field)?.get === 'function' && (op as Partial<HeldOp>)[SLOT] !== undefined;
}
