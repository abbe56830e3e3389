/**
 * A plan set aside while the final verify runs (issue 17 item 1): the verify needs only the
 * reasons it names (src/restore/fidelity.ts `fidelityReasons`), and a spent 100k-user plan is
 * still about 190 MiB of operations. Kept as compressed JSON lines (src/set-aside.ts): the plan
 * without its operations, then one line per operation.
 */
import { ListAside } from '../set-aside.js';
import type { Operation, Plan } from './types.js';

export class PlanAside {
  /** The plan without its operations (one value), then its operations. */
  private readonly shell: ListAside<Plan>;
  private readonly operations: ListAside<Operation>;

  /** Sets `plan` aside; the caller lets go of its own reference for the memory to be freed. */
  constructor(plan: Plan) {
    this.shell = new ListAside([{ ...plan, operations: [] }]);
    this.operations = new ListAside(plan.operations);
  }

  /** Compressed bytes held. */
  get bytes(): number {
    return this.shell.bytes + this.operations.bytes;
  }

  /**
   * A copy of the plan, equal to it as JSON (the same `planSha256`, as a plan stored beside the
   * journal and loaded again is). Each call parses a new copy.
   */
  take(): Plan {
    const plan = this.shell.take()[0];
    if (!plan) throw new Error('a plan set aside has no shell');
    plan.operations = this.operations.take();
    return plan;
  }
}
