/**
 * What each op of one plan run settled as (./run.ts), kept compactly by plan position: a one-byte
 * outcome when the op itself tells the rest of its result (id, kind, tier, label), the whole result
 * otherwise (a live id, an error). A 100k-user restore settles about 350,000 ops, nine in ten of
 * them edges that carry neither; as whole results they were that many more objects on the heap for
 * the rest of the run, and as a map keyed by op id a table of 14 MiB holding every op id string
 * (issue 17 item 1, docs/design.md "Session 42"). Ops are found by position, or by op id through
 * the plan's index (src/digest-index.ts).
 */
import type { DigestIndex } from '../../digest-index.js';
import { withHeldLabel } from '../held-fields.js';
import type { Operation } from '../types.js';
import type { OpOutcome, OpResult } from './executor.js';

const OUTCOME_CODES: readonly OpOutcome[] = ['created', 'restored', 'updated', 'related', 'enabled', 'alreadyPresent', 'resumed', 'leftReportOnly', 'verify', 'failed', 'skipped', 'notRun'];
const CODE_OF: ReadonlyMap<OpOutcome, number> = new Map(OUTCOME_CODES.map((o, i) => [o, i + 1]));

export class Settled {
  /** Outcome code + 1 per plan position; 0 while the op has not settled. */
  private readonly codes: Uint8Array;
  /** The whole result of the ops whose own fields do not tell it, by plan position. */
  private readonly whole = new Map<number, OpResult>();
  private count = 0;

  /** `index`: the plan's op ids, entry i the op at plan position i (./executor.ts). */
  constructor(private readonly index: DigestIndex) {
    this.codes = new Uint8Array(index.size);
  }

  /** Records `r` as what `op` settled as (replacing an earlier record of it). @throws Error (a bug) when the plan does not hold `op` */
  set(op: Operation, r: OpResult): void {
    const i = this.index.get(op.opId);
    if (i === undefined) throw new Error(`Settled.set: ${op.opId} is not in the plan`);
    this.setAt(i, op, r);
  }

  /** `set` for the op at plan position `i`. */
  setAt(i: number, op: Operation, r: OpResult): void {
    const opId = op.opId;
    const plain = r.opId === opId && r.kind === op.kind && r.tier === op.tier && r.label === op.label && r.liveId === undefined && r.error === undefined;
    if (this.codes[i] === 0) this.count++;
    this.codes[i] = CODE_OF.get(r.outcome)!;
    // a whole result reads its label where the op's is held (../held-fields.ts): about 100,000
    // created users carry a live id at 100k users, each with its label otherwise (issue 17 item 1)
    if (plain) this.whole.delete(i);
    else this.whole.set(i, withHeldLabel(r, op));
  }

  has(opId: string): boolean {
    const i = this.index.get(opId);
    return i !== undefined && this.codes[i] !== 0;
  }

  /** Ops settled so far. */
  get size(): number {
    return this.count;
  }

  /** What the op settled as; undefined when it has not. */
  outcome(opId: string): OpOutcome | undefined {
    const i = this.index.get(opId);
    return i === undefined ? undefined : this.outcomeAt(i);
  }

  /** What the op at plan position `i` settled as; undefined when it has not. */
  outcomeAt(i: number): OpOutcome | undefined {
    const c = this.codes[i] ?? 0;
    return c === 0 ? undefined : OUTCOME_CODES[c - 1];
  }

  /**
   * The op's result, equal to the one it was settled with; undefined when it has not settled. Its
   * label is read where the op's is held, when it is (../held-fields.ts withHeldLabel).
   */
  result(op: Operation): OpResult | undefined {
    const i = this.index.get(op.opId);
    return i === undefined ? undefined : this.resultAt(i, op);
  }

  /** `result` for the op at plan position `i`. */
  resultAt(i: number, op: Operation): OpResult | undefined {
    const outcome = this.outcomeAt(i);
    if (outcome === undefined) return undefined;
    return this.whole.get(i) ?? withHeldLabel({ opId: op.opId, kind: op.kind, tier: op.tier, label: op.label, outcome }, op);
  }
}
