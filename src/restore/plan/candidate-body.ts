/**
 * The bodies of the planner's create candidates, held compressed from the moment each candidate is
 * made until its operation is made (issue 17 item 1).
 *
 * At 100k users a tenant-loss plan makes about 100,000 create candidates, and their bodies were the
 * largest part of the planner's live heap from its candidates to its finalization (live heap at
 * `plan:resolved` 280 MiB, at `plan:finalized`, once the candidates are gone, 218; docs/design.md
 * "Session 41"): the steps where the restore's memory peaked. They are held in a `BodyStore`
 * (../held-bodies.ts `add` and `read`), as the operations' own bodies are once made: JSON lines
 * compressed in chunks, a few MiB.
 *
 * A held candidate's `body` is an accessor: each read parses a new, deeply frozen copy (a change in
 * place throws instead of being lost; read it once into a local); assigning it replaces it. The
 * planner reads a candidate's body in candidate order (./context.ts `sortedCandidates`: op id,
 * which within a type is the order they were made in), a few times each (the blocking fixpoint's
 * rounds, then the finalization), so a pass decompresses each chunk about once.
 */
import type { JsonObject } from '../../model.js';
import type { ResourceType, RestoreTier } from '../../catalog/types.js';
import type { BodyStore } from '../held-bodies.js';
import type { AttributeChange } from '../types.js';
import type { OpenRef } from './refs.js';
import type { Candidate, CandKind } from './context.js';

/** Marks a held candidate whose body was never assigned: read it from the store. */
const HELD: unique symbol = Symbol('held');

/**
 * A candidate whose body is held in a `BodyStore` (see the module's comment). Its other
 * fields are plain, as a literal candidate's; its `body` is on its prototype, so a spread would not
 * copy it (the planner never spreads a candidate).
 */
class HeldCandidate implements Candidate {
  opId: string;
  kind: CandKind;
  type: ResourceType;
  archivedId: string;
  tier: RestoreTier;
  after: string[];
  declare changes?: AttributeChange[];
  declare parent?: string;
  declare blocked?: boolean;
  declare withheld?: OpenRef[];
  declare relink?: boolean;
  readonly #store: BodyStore;
  readonly #slot: number;
  #own: JsonObject | undefined | typeof HELD = HELD;

  constructor(c: Omit<Candidate, 'body'>, store: BodyStore, slot: number) {
    this.opId = c.opId;
    this.kind = c.kind;
    this.type = c.type;
    this.archivedId = c.archivedId;
    this.tier = c.tier;
    this.after = c.after;
    this.#store = store;
    this.#slot = slot;
  }

  get body(): JsonObject | undefined {
    const own = this.#own;
    return own === HELD ? this.#store.read(this.#slot) : own;
  }

  /** Replaces the body (`undefined` lets go of it: the finalization does once the operation is made). */
  set body(v: JsonObject | undefined) {
    this.#own = v;
  }
}

/**
 * A candidate equal to `c` with `body` held in `store`. Only for a candidate with no other optional
 * field yet (`parent` and the rest are set on it afterwards, as on a literal).
 */
export function heldCandidate(c: Omit<Candidate, 'body'>, body: JsonObject, store: BodyStore): Candidate {
  return new HeldCandidate(c, store, store.add(body));
}
