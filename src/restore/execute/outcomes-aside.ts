/**
 * A run's outcomes set aside as the run ends, never held as a list of objects (issue 17 item 1).
 *
 * At 100k users a tenant-loss run settles about 350,000 operations. Made as a list of results when
 * the run ended, they were on the heap from the run's end until the final verify set them aside
 * (src/ops/restore-pipeline.ts): through the steps where the restore's memory peaked (the run's
 * end and the spent plan set aside; docs/design.md "Session 41"). A run asked to
 * (ExecuteOptions.outcomesAside) writes each result into a `ListAside` (src/set-aside.ts: JSON
 * lines compressed, in the CLI's process in its spill file) as it makes it; what reads them before
 * the verify ends goes through `outcomesOf`, one result at a time, and the verify takes them back
 * as a list once the comparison is done.
 */
import { ListAside } from '../../set-aside.js';
import type { ExecutionResult, OpOutcome, OpResult } from './executor.js';

/** The outcomes of one run, or of a bootstrap phase's run then the rest phase's (`after`). */
export class OutcomesAside {
  private constructor(
    /** The first phase's outcomes, as a list (a few: the bootstrap's), if any. */
    private readonly first: readonly OpResult[],
    private readonly rest: ListAside<OpResult>,
  ) {}

  /** Sets `results` aside as they are made: the caller may make each as it is asked for. */
  static of(results: Iterable<OpResult>): OutcomesAside {
    return new OutcomesAside([], new ListAside(results));
  }

  /**
   * The outcomes of `first` (a phase run before, held as a list) then those of `rest` whose op
   * `first` does not name: an op both name keeps `first`'s outcome (src/ops/restore-bootstrap.ts
   * mergeExecutions). `rest` is not copied.
   * @throws Error when `rest` already follows another phase (a bug: two phases at most)
   */
  static after(first: readonly OpResult[], rest: OutcomesAside): OutcomesAside {
    if (rest.first.length > 0) throw new Error('OutcomesAside.after: the rest already follows a phase');
    return new OutcomesAside(first, rest.rest);
  }

  /** The outcomes in order, parsed one at a time as they are asked for; may be read again. */
  *each(): Generator<OpResult> {
    yield* this.first;
    if (this.first.length === 0) {
      yield* this.rest.each();
      return;
    }
    const firstIds = new Set(this.first.map((r) => r.opId));
    for (const r of this.rest.each()) if (!firstIds.has(r.opId)) yield r;
  }

  /** A new list of the outcomes, equal as JSON to the results set aside. */
  take(): OpResult[] {
    return [...this.each()];
  }
}

/** A run's outcomes in order: its list, or those it set aside (`ExecutionResult.outcomesAside`). */
export function outcomesOf(r: ExecutionResult): Iterable<OpResult> {
  return r.outcomesAside ? r.outcomesAside.each() : r.outcomes;
}

/**
 * The ops of a run that did not run (skipped after a failure, or not run before a pause), in plan
 * order: one pass over its outcomes, which may be set aside (src/restore/fidelity.ts explains them).
 */
export function unrunOf(r: ExecutionResult): { opId: string; outcome: Extract<OpOutcome, 'skipped' | 'notRun'> }[] {
  const out: { opId: string; outcome: Extract<OpOutcome, 'skipped' | 'notRun'> }[] = [];
  for (const o of outcomesOf(r)) if (o.outcome === 'skipped' || o.outcome === 'notRun') out.push({ opId: o.opId, outcome: o.outcome });
  return out;
}
