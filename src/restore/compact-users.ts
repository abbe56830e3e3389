/**
 * The target's users read back by a restore's final verify, held slim and compact (issue 17
 * item 1). At 100k users the verify held about 72,000 restored users whole while it matched and
 * compared them (a heap snapshot at `verify:match`: their objects, property arrays, arrays and
 * strings were most of its 268 MiB). The match reads only what a slim user keeps (the same
 * properties the planner keeps of an archived user, ./plan/release.ts `slimUser`); the comparison
 * reads each user whole once. So each user read back is kept whole in a CompactJson (one
 * compressed JSON each, src/compact-json.ts) and the read-back holds its slim copy, which names
 * the compact one in a slot that is not enumerable (so its JSON and keys are the slim copy's).
 */
import { CompactJson } from '../compact-json.js';
import type { DirObject } from '../model.js';
import { slimUser } from './plan/release.js';

const AT = Symbol('compactUserAt');

type Held = DirObject & { [AT]?: number };

/** Users read back held slim, each given whole on demand (src/restore/fidelity.ts computeFidelity `liveUsers`). */
export interface LiveUsers {
  whole(u: DirObject): DirObject;
  release(): void;
}

export class CompactUsers implements LiveUsers {
  private readonly store = new CompactJson<DirObject>();
  private released = false;

  /** Keeps `whole` compact and returns its slim copy (KEPT_USER_PROPERTIES), which `whole` gives back whole. */
  hold(whole: DirObject): DirObject {
    const n = this.store.add(whole);
    const slim = slimUser(whole);
    Object.defineProperty(slim, AT, { value: n });
    return slim;
  }

  /**
   * The user `u` whole: a new object parsed from the compact copy, its id the slim copy's string,
   * for a slim copy made by `hold`; `u` itself for any other object.
   * @throws Error (a bug) for a slim copy once `release`d
   */
  whole(u: DirObject): DirObject {
    const n = (u as Held)[AT];
    if (n === undefined) return u;
    if (this.released) throw new Error(`CompactUsers: user ${u.id} asked for whole after release`);
    const w = this.store.get(n);
    w.id = u.id;
    return w;
  }

  /**
   * Lets go of every user held (the verify, once its users are compared): `whole` then throws for
   * a slim copy this held. Idempotent.
   */
  release(): void {
    this.store.clear();
    this.released = true;
  }

  /** Users held. */
  get size(): number {
    return this.store.size;
  }

  /** Compressed bytes held. */
  get bytes(): number {
    return this.store.bytes;
  }
}
