/**
 * What each op of one plan run settled as (./run.ts), kept compactly: a bare outcome when the op
 * itself tells the rest of its result (id, kind, tier, label), the whole result otherwise (a live
 * id, an error). A 100k-user restore settles about 350,000 ops, nine in ten of them edges that
 * carry neither; as whole results they were that many more objects on the heap for the rest of
 * the run, each one more for the collector to copy and keep (issue 17 items 1 and 2).
 */
import { withHeldLabel } from '../held-fields.js';
import type { Operation } from '../types.js';
import type { OpOutcome, OpResult } from './executor.js';

export class Settled {
  private readonly byOp = new Map<string, OpResult | OpOutcome>();

  /** Records `r` as what `op` settled as (replacing an earlier record of it). */
  set(op: Operation, r: OpResult): void {
    const plain = r.opId === op.opId && r.kind === op.kind && r.tier === op.tier && r.label === op.label && r.liveId === undefined && r.error === undefined;
    // a whole result reads its label where the op's is held (../held-fields.ts): about 100,000
    // created users carry a live id at 100k users, each with its label otherwise (issue 17 item 1)
    this.byOp.set(op.opId, plain ? r.outcome : withHeldLabel(r, op));
  }

  has(opId: string): boolean {
    return this.byOp.has(opId);
  }

  /** Ops settled so far. */
  get size(): number {
    return this.byOp.size;
  }

  /** What the op settled as; undefined when it has not. */
  outcome(opId: string): OpOutcome | undefined {
    const v = this.byOp.get(opId);
    return typeof v === 'string' ? v : v?.outcome;
  }

  /**
   * The op's result, equal to the one it was settled with; undefined when it has not settled. Its
   * label is read where the op's is held, when it is (../held-fields.ts withHeldLabel).
   */
  result(op: Operation): OpResult | undefined {
    const v = this.byOp.get(op.opId);
    return typeof v === 'string' ? withHeldLabel({ opId: op.opId, kind: op.kind, tier: op.tier, label: op.label, outcome: v }, op) : v;
  }
}
