/**
 * One copy of each repeated string (issue 17 item 1). JSON.parse makes a new string for every
 * value it reads, so the same object id read from an archive line, from each edge that names
 * it and from the target's pages is held once per occurrence: at 20k users about 90 MiB of the
 * restoring client's live heap were copies of GUIDs. An Interner hands back the first copy
 * it saw of an equal string; replacing a string by an equal one changes nothing a reader of
 * the value can observe.
 */

/** Strings worth a map entry: GUID-shaped ids and short values (enums, kinds, codes) that recur. */
export function worthInterning(s: string): boolean {
  return s.length <= 16 || (s.length === 36 && s.charCodeAt(8) === 45 && s.charCodeAt(13) === 45 && s.charCodeAt(18) === 45 && s.charCodeAt(23) === 45);
}

/** Holds the first copy of each string it is given; scoped to one read (an archive load, a live read). */
export class Interner {
  private readonly seen = new Map<string, string>();

  /** The held copy equal to `s` (`s` itself the first time). */
  str(s: string): string {
    const held = this.seen.get(s);
    if (held !== undefined) return held;
    this.seen.set(s, s);
    return s;
  }

  /** Distinct strings held. */
  get size(): number {
    return this.seen.size;
  }

  /**
   * Replaces, in place, every string worth interning inside `v` (object values and array
   * items, at any depth; keys are already shared by the engine) by its held copy. Returns `v`.
   */
  values<T>(v: T): T {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (typeof x === 'string') {
          if (worthInterning(x)) v[i] = this.str(x);
        } else if (x !== null && typeof x === 'object') this.values(x);
      }
      return v;
    }
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const x = o[k];
      if (typeof x === 'string') {
        if (worthInterning(x)) o[k] = this.str(x);
      } else if (x !== null && typeof x === 'object') this.values(x);
    }
    return v;
  }
}
