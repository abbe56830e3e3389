/**
 * The request bodies of a plan's create and update operations, held compressed (issue 17 item 1).
 *
 * At 100k users a plan's bodies are about 86 MiB of live heap (a stored 100k plan loaded: 277 MiB
 * with them, 191 without), held from the moment the planner makes them until the executor sends
 * each, through every phase where the restore's memory peaks (docs/design.md "Performance
 * stance", session 34). As JSON lines compressed in chunks of about 64 KiB they are about 10 MiB.
 *
 * A held operation is an object equal to the one it replaces, as JSON and to every reader: the
 * same keys in the same order, `body` among them as an enumerable accessor. So the Operation
 * contract (./types.ts) is unchanged, and the plan's JSON, its sha256, its stored file and what
 * the executor sends are the same. What differs, and what callers must keep to:
 * - each read of `body` parses a new copy: read it once into a local, not once per property;
 * - that copy is deeply frozen: changing it in place throws (a TypeError in strict code), where
 *   it would otherwise change nothing and lose the change silently;
 * - assigning `op.body = x` replaces the body (the executor's run.ts `spend` does): later reads give
 *   `x` itself, as assigned;
 * - a spread (`{ ...op }`) or `structuredClone` gives a plain operation with a plain body.
 *
 * The lines (./held-lines.ts) are read in the order the bodies were held, which is the plan's
 * order within each type (the planner holds them in opId order, the plan sorts each type by
 * archived id), so a pass over the plan decompresses each chunk once.
 */
import { deepFreeze, HeldLines, rebuildWith } from './held-lines.js';
import type { JsonObject } from '../model.js';
import type { Operation } from './types.js';

/** A held operation's store and its body's place there: own, non-enumerable symbols (JSON and Object.keys skip them). */
const KEYS = { store: Symbol('heldBodyStore'), slot: Symbol('heldBodySlot') } as const;

type HeldOp = Operation & { [k: symbol]: unknown };

/**
 * The `body` accessor of every held operation of every store (./held-lines.ts rebuildWith: one
 * pair of functions, or V8 makes the operations of a second store slow dictionaries).
 */
const ACCESSOR: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: HeldOp): JsonObject {
    return (this[KEYS.store] as BodyStore).read(this[KEYS.slot] as number);
  },
  set(this: HeldOp, v: JsonObject) {
    (this[KEYS.store] as BodyStore).replace(this[KEYS.slot] as number, v);
  },
};
const ACCESSORS: ReadonlyMap<string, PropertyDescriptor> = new Map([['body', ACCESSOR]]);

/** One plan's held bodies. A held operation keeps its store alive; nothing else needs to. */
export class BodyStore {
  /** One body per line, as JSON. */
  private readonly lines = new HeldLines();
  /** Bodies assigned after holding (run.ts `spend`), by slot. */
  private readonly replaced = new Map<number, JsonObject>();

  /** Compressed bytes held, with the characters of the chunk still filling. */
  get bytes(): number {
    return this.lines.bytes;
  }

  /**
   * An operation equal to `op` whose body is held here. `op` itself is not changed: the caller
   * puts the result in its place and lets go of `op` for its body to be freed. An operation
   * without a body, or already held here, is returned as it is. Its other keys keep what they
   * are, fields held by ./held-fields.ts included.
   */
  hold<T extends Operation>(op: T): T {
    if (!('body' in op) || this.holds(op)) return op;
    return rebuildWith(op, ACCESSORS, KEYS, this, this.add(op.body)) as T;
  }

  /**
   * Holds `body` (as its JSON: `body` itself is not kept) and returns its slot, for `read`: the
   * operations' bodies (`hold`) and the planner's create candidates' (./plan/candidate-body.ts).
   */
  add(body: JsonObject): number {
    return this.lines.add(JSON.stringify(body));
  }

  private holds(op: Operation): boolean {
    return (op as HeldOp)[KEYS.store] === this;
  }

  /** The body assigned to `slot` (the accessor's setter). */
  replace(slot: number, v: JsonObject): void {
    this.replaced.set(slot, v);
  }

  /** A new, deeply frozen copy of the body in `slot`, or the body assigned to it since (the accessor's getter). */
  read(slot: number): JsonObject {
    const r = this.replaced.get(slot);
    if (r !== undefined) return r;
    return deepFreeze(JSON.parse(this.lines.line(slot)) as JsonObject);
  }
}

/**
 * Holds the body of each create and update operation of `ops` in `store` (a new one by default), in
 * place: each such operation is replaced by an equal one (BodyStore.hold). Operations already held
 * there stay. Returns the store.
 */
export function holdBodies(ops: Operation[], store: BodyStore = new BodyStore()): BodyStore {
  for (let i = 0; i < ops.length; i++) ops[i] = store.hold(ops[i] as Operation);
  return store;
}
