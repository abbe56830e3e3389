/**
 * A plan set aside while the final verify runs (issue 17 item 1): the verify needs only the
 * reasons it names (src/restore/fidelity.ts `fidelityReasons`), and a spent 100k-user plan is
 * still about 190 MiB of operations. Kept as compressed JSON lines (src/set-aside.ts): the plan
 * without its operations, then one line per operation.
 */
import { CompressedLines, jsonLinesOf } from '../set-aside.js';
import type { Plan } from './types.js';

export class PlanAside {
  private readonly lines: CompressedLines;

  /** Sets `plan` aside; the caller lets go of its own reference for the memory to be freed. */
  constructor(plan: Plan) {
    const shell: Plan = { ...plan, operations: [] };
    this.lines = new CompressedLines((function* () {
      yield JSON.stringify(shell);
      yield* jsonLinesOf(plan.operations);
    })());
  }

  /** Compressed bytes held. */
  get bytes(): number {
    return this.lines.bytes;
  }

  /**
   * A copy of the plan, equal to it as JSON (the same `planSha256`, as a plan stored beside the
   * journal and loaded again is). Each call parses a new copy.
   */
  take(): Plan {
    let plan: Plan | undefined;
    for (const l of this.lines.lines()) {
      if (!plan) plan = JSON.parse(l) as Plan;
      else plan.operations.push(JSON.parse(l) as Plan['operations'][number]);
    }
    if (!plan) throw new Error('a plan set aside has no lines');
    return plan;
  }
}
