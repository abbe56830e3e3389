/**
 * What each op of one plan run settled as (./run.ts), kept compactly by plan position: a one-byte
 * outcome when the op itself tells the rest of its result (id, kind, tier, label), the whole result
 * otherwise (a live id, an error). A 100k-user restore settles about 350,000 ops, nine in ten of
 * them edges that carry neither; as whole results they were that many more objects on the heap for
 * the rest of the run, and as a map keyed by op id a table of 14 MiB holding every op id string
 * (issue 17 item 1, docs/design.md "Session 42"). The run finds its ops by plan position.
 */
import { withHeldLabel } from '../held-fields.js';
import type { Operation } from '../types.js';
import type { OpOutcome, OpResult } from './executor.js';

const OUTCOME_CODES: readonly OpOutcome[] = ['created', 'restored', 'updated', 'related', 'enabled', 'alreadyPresent', 'resumed', 'leftReportOnly', 'verify', 'failed', 'skipped', 'notRun'];
const CODE_OF: ReadonlyMap<OpOutcome, number> = new Map(OUTCOME_CODES.map((o, i) => [o, i + 1]));

/**
 * The result `op` tells by itself with `outcome`: its id, kind, tier and label, the label read where
 * the op's is held (../held-fields.ts withHeldLabel). A new object at each call.
 */
export function bareResult(op: Operation, outcome: OpOutcome): OpResult {
  return withHeldLabel<OpResult>({ opId: op.opId, kind: op.kind, tier: op.tier, label: op.label, outcome }, op);
}

export class Settled {
  /** Outcome code + 1 per plan position; 0 while the op has not settled. */
  private readonly codes: Uint8Array;
  /** The whole result of the ops whose own fields do not tell it, by plan position. */
  private readonly whole = new Map<number, OpResult>();
  private count = 0;

  /** `ops`: how many operations the plan holds. */
  constructor(ops: number) {
    this.codes = new Uint8Array(ops);
  }

  /** Records `r` as what `op`, at plan position `i`, settled as (replacing an earlier record of it). */
  set(i: number, op: Operation, r: OpResult): void {
    const plain = r.opId === op.opId && r.kind === op.kind && r.tier === op.tier && r.label === op.label && r.liveId === undefined && r.error === undefined;
    if (this.codes[i] === 0) this.count++;
    this.codes[i] = CODE_OF.get(r.outcome)!;
    // a whole result reads its label where the op's is held (../held-fields.ts): about 100,000
    // created users carry a live id at 100k users, each with its label otherwise (issue 17 item 1)
    if (plain) this.whole.delete(i);
    else this.whole.set(i, withHeldLabel(r, op));
  }

  /** Ops settled so far. */
  get size(): number {
    return this.count;
  }

  /** What the op at plan position `i` settled as; undefined when it has not. */
  outcome(i: number): OpOutcome | undefined {
    const c = this.codes[i] ?? 0;
    return c === 0 ? undefined : OUTCOME_CODES[c - 1];
  }

  /**
   * The result of `op`, at plan position `i`, equal to the one it was settled with; undefined when it
   * has not settled.
   */
  result(i: number, op: Operation): OpResult | undefined {
    const outcome = this.outcome(i);
    if (outcome === undefined) return undefined;
    return this.whole.get(i) ?? bareResult(op, outcome);
  }
}
