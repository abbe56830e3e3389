/**
 * A plan set aside while the final verify runs (issue 17 item 1): the verify needs only the
 * reasons it names (src/restore/fidelity.ts `fidelityReasons`), and a spent 100k-user plan is
 * still about 190 MiB of operations. Kept as compressed JSON lines (src/set-aside.ts), one list
 * per member of the plan: each list member's elements (operations, unresolved references, manual
 * steps…) one line each, each map member's entries one line each, any other member as one line.
 *
 * Not the plan without its operations as one line: at 100k users its unresolved references
 * (148,000) and its manual steps' object lists made one JSON string of tens of MiB, and its UTF-8
 * copy as much again, while the plan was still held whole: the restore's peak RSS (783 MiB,
 * against 737 at the marks around it).
 */
import { Interner, shareStrings } from '../intern.js';
import { memMark } from '../mem-probe.js';
import { ListAside } from '../set-aside.js';
import type { Plan } from './types.js';
import { asBlockedEdge } from './plan/relation-op.js';

/** The plan's members that map ids to ids (Plan.idMap, appIdMap, domainMap): taken entry by entry. */
const PLAN_MAPS: ReadonlySet<string> = new Set(['idMap', 'appIdMap', 'domainMap']);

/** One member of a plan as `planMembers` gives it. */
export type PlanMember =
  | { key: string; kind: 'list'; items: readonly unknown[] }
  | { key: string; kind: 'map'; entries: [string, unknown][] }
  | { key: string; kind: 'value'; value: unknown };

/**
 * The plan's members in its own order, each as a list (its elements), a map (PLAN_MAPS: its
 * entries) or a value, for the two that keep a plan piece by piece: this set-aside and the plan
 * stored beside the journal (./plan-file.ts). A member or map entry whose value is undefined is
 * left out, as JSON leaves it out, so a plan rebuilt from them equals the plan as JSON.
 */
export function* planMembers(plan: Plan): Generator<PlanMember> {
  for (const [key, v] of Object.entries(plan) as [string, unknown][]) {
    if (v === undefined) continue;
    if (Array.isArray(v)) yield { key, kind: 'list', items: v };
    else if (PLAN_MAPS.has(key) && v !== null && typeof v === 'object') yield { key, kind: 'map', entries: Object.entries(v).filter((e) => e[1] !== undefined) };
    else yield { key, kind: 'value', value: v };
  }
}

/** One member of the plan, set aside. */
type Part =
  | { key: string; kind: 'list'; aside: ListAside<unknown> }
  | { key: string; kind: 'map'; aside: ListAside<[string, unknown]> }
  | { key: string; kind: 'value'; aside: ListAside<unknown> };

export class PlanAside {
  /** The plan's members in the plan's own order (`take` gives them back in it). */
  private readonly parts: Part[] = [];

  /** Sets `plan` aside; the caller lets go of its own reference for the memory to be freed. */
  constructor(plan: Plan) {
    for (const m of planMembers(plan)) {
      if (m.kind === 'list') this.parts.push({ key: m.key, kind: 'list', aside: new ListAside(m.items) });
      else if (m.kind === 'map') this.parts.push({ key: m.key, kind: 'map', aside: new ListAside(m.entries) });
      else this.parts.push({ key: m.key, kind: 'value', aside: new ListAside([m.value]) });
    }
  }

  /** Compressed bytes held. */
  get bytes(): number {
    return this.parts.reduce((n, p) => n + p.aside.bytes, 0);
  }

  /**
   * A copy of the plan, equal to it as JSON, members in the same order (the same `planSha256`, as a
   * plan stored beside the journal and loaded again is). Each call parses a new copy.
   */
  take(): Plan {
    const plan: Record<string, unknown> = {};
    for (const p of this.parts) {
      if (p.kind === 'list') plan[p.key] = p.aside.take();
      else if (p.kind === 'map') plan[p.key] = Object.fromEntries(p.aside.take());
      else plan[p.key] = p.aside.take()[0];
    }
    if (!Array.isArray(plan['operations'])) throw new Error('a plan set aside has no operations');
    return plan as unknown as Plan;
  }
}

/**
 * Runs `run` with what the executor never reads of `plan` set aside (issue 17 item 1): its
 * unresolved references but a Conditional Access policy's (src/restore/execute/access.ts reads
 * those), its manual steps and its skipped objects. At 100k users they are about 35 MiB of live heap
 * (148,000 unresolved references), held through the whole run of the plan. They are put back when
 * `run` settles, whether it returns or throws: equal as JSON, each member in its place (the plan's
 * JSON and its sha256 are the same as before).
 */
export async function runWithNotesAside<T>(plan: Plan, run: () => Promise<T>): Promise<T> {
  const unresolved = new ListAside(plan.unresolved);
  const manualSteps = new ListAside(plan.manualSteps);
  const skipped = plan.skipped ? new ListAside(plan.skipped) : undefined;
  // assigned, never deleted: a member keeps its place in the plan's key order
  plan.unresolved = plan.unresolved.filter((u) => u.type === 'conditionalAccessPolicy');
  plan.manualSteps = [];
  if (skipped) plan.skipped = [];
  try {
    return await run();
  } finally {
    // after the run's garbage is collected (the CLI's collection at a mark, src/cli/mem-log.ts): taken
    // back over it, they were the end of a 100k restore's run and its peak (648 MiB, against 631)
    memMark('execute:ran');
    // with their short strings shared (../intern.ts): parsed, each id was a copy per note, where the
    // planner's notes shared them, and the final verify's reasons keep many (17 MiB more at 100k)
    const strings = new Interner();
    const share = <T>(v: T): T => shareStrings(v, strings) as T;
    // a blocked edge's entry makes its op id when read again, as the planner's did (./plan/relation-op.ts)
    plan.unresolved = unresolved.take((u) => asBlockedEdge(share(u), (id) => strings.str(id)));
    plan.manualSteps = manualSteps.take(share);
    if (skipped) plan.skipped = skipped.take(share);
  }
}
