/**
 * The dependency bookkeeping of one plan run (./run.ts), by plan position: how many unmet
 * dependencies each op still waits on, and which ops wait on each. A 100k-user restore runs
 * about 350,000 ops; as maps keyed by op id and arrays of dependant ids this bookkeeping was
 * three more maps of that size and some 100,000 small arrays, which every major collection of
 * the run marked again (issue 17 items 1 and 2). Here it is three typed arrays, which the
 * collector never scans, and the plan's index of op ids (src/digest-index.ts), which holds no op
 * id string (docs/design.md "Session 42").
 */
import type { DigestIndex } from '../../digest-index.js';
import type { Operation } from '../types.js';

/** Marks an op that waits no more: started, settled, or done by an earlier run. */
const GONE = -1;

export class Waiting {
  /** Op id → plan position. */
  private readonly position: DigestIndex;
  /** Unmet dependencies per op, or GONE. */
  private readonly count: Int32Array;
  /** Ops waiting on op i: `waiters[from[i]] … waiters[from[i + 1] - 1]`. */
  private readonly from: Int32Array;
  private readonly waiters: Int32Array;
  /** 1 once op i's waiters were handed out (`release`). */
  private readonly released: Uint8Array;

  /**
   * `ops` in plan order, `index` their op ids (entry i: `ops[i]`); `isDone(i)`: the op at plan
   * position i was settled by an earlier run (it never waits); `isMet(d)`: the dependency at plan
   * position d needs no waiting for. A dependency the plan does not hold is counted as unmet and
   * has no waiters list: nothing ever releases it (see `hasAll`).
   */
  constructor(ops: readonly Operation[], index: DigestIndex, isDone: (i: number) => boolean, isMet: (d: number) => boolean) {
    this.position = index;
    const n = ops.length;
    this.count = new Int32Array(n);
    this.released = new Uint8Array(n);
    const perDep = new Int32Array(n + 1);
    const edges: number[] = [];
    ops.forEach((op, i) => {
      if (isDone(i)) {
        this.count[i] = GONE;
        return;
      }
      let c = 0;
      for (const dep of op.dependsOn) {
        const d = this.position.get(dep);
        if (d !== undefined && isMet(d)) continue;
        c++;
        if (d === undefined) continue;
        perDep[d + 1]! += 1;
        edges.push(d, i);
      }
      this.count[i] = c;
    });
    for (let i = 0; i < n; i++) perDep[i + 1]! += perDep[i]!;
    this.from = perDep;
    this.waiters = new Int32Array(edges.length / 2);
    const next = perDep.slice(0, n);
    for (let k = 0; k < edges.length; k += 2) this.waiters[next[edges[k]!]!++] = edges[k + 1]!;
  }

  /** True while op `i` waits (not yet started or settled). */
  waits(i: number): boolean {
    return this.count[i]! !== GONE;
  }

  /** Unmet dependencies of waiting op `i` (0: ready). */
  unmet(i: number): number {
    return this.count[i]!;
  }

  /** Op `i` waits no more (started, or settled without running). */
  leave(i: number): void {
    this.count[i] = GONE;
  }

  /** One dependency of waiting op `i` is met; returns how many are left. */
  meet(i: number): number {
    return --this.count[i]!;
  }

  /** Plan positions of the ops that wait on op `i`, in plan order. */
  waitersOf(i: number): Int32Array {
    return this.waiters.subarray(this.from[i]!, this.from[i + 1]!);
  }

  /**
   * The waiters of op `i` the first time it settles, to be met or skipped; empty at any later
   * call, so no waiter is met twice for one dependency.
   */
  release(i: number): Int32Array {
    if (this.released[i] === 1) return this.waiters.subarray(0, 0);
    this.released[i] = 1;
    return this.waitersOf(i);
  }

  /** True when the plan holds every one of `deps`. */
  hasAll(deps: readonly string[]): boolean {
    return deps.every((d) => this.position.has(d));
  }
}
