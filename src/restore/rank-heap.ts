/**
 * A binary min-heap of items by a number given with each (its rank): the planner's ordering
 * (src/restore/plan/order.ts) and the executor's ready ops (src/restore/execute/run.ts) both
 * take the lowest-ranked of hundreds of thousands of operations, so taking the next one costs
 * O(log n), not a sort. Each rank is computed once, when its item is pushed, and kept beside it:
 * a comparator that looked both ranks up by op id at every step was 4 s of a 100k-user
 * restore's 64 s of relation tier (CPU profile, issue 17 item 2). Ranks of equal value leave
 * their order unspecified: callers give distinct ranks.
 */
export class RankHeap<T> {
  private readonly items: T[] = [];
  private readonly ranks: number[] = [];

  get size(): number {
    return this.items.length;
  }

  /** The lowest-ranked item, left in the heap. */
  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T, rank: number): void {
    const { items, ranks } = this;
    items.push(item);
    ranks.push(rank);
    for (let i = items.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if ((ranks[i] as number) >= (ranks[p] as number)) break;
      this.swap(i, p);
      i = p;
    }
  }

  /** Takes the lowest-ranked item out; undefined when empty. */
  pop(): T | undefined {
    const { items, ranks } = this;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop() as T;
    const lastRank = ranks.pop() as number;
    if (items.length > 0) {
      items[0] = last;
      ranks[0] = lastRank;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && (ranks[l] as number) < (ranks[m] as number)) m = l;
        if (r < items.length && (ranks[r] as number) < (ranks[m] as number)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }

  private swap(i: number, j: number): void {
    const { items, ranks } = this;
    [items[i], items[j]] = [items[j] as T, items[i] as T];
    [ranks[i], ranks[j]] = [ranks[j] as number, ranks[i] as number];
  }
}
