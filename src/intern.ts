/**
 * One copy of each repeated string (issue 17 item 1). JSON.parse makes a new string for every
 * value it reads, so the same object id read from an archive line, from each edge that names
 * it and from the target's pages is held once per occurrence: at 20k users about 90 MiB of the
 * restoring client's live heap were copies of GUIDs. An Interner hands back the first copy
 * it saw of an equal string; replacing a string by an equal one changes nothing a reader of
 * the value can observe.
 */

/**
 * Strings up to this length are interned: ids (GUIDs are 36), enums and codes, and the values a
 * tenant repeats on every user (an `identities` issuer is the initial domain, the company name,
 * `#microsoft.graph.user`, a sign-in type, a password policy). A distinct string costs a map
 * entry only while the read lasts. Measured on the 100k-user bench archive (live heap after loading
 * it, `npm run bench -- client --users 100000` archive; issue 17 item 1): 266.7 MiB interning ids
 * and values up to 16 characters, 232.0 up to 32, 212.4 up to 64, 212.0 up to 256; the load took
 * as long (14–17 s). Longer strings are descriptions, addresses and URLs, nearly all distinct.
 */
export const INTERN_MAX_LENGTH = 64;

/** Strings worth a map entry: those up to INTERN_MAX_LENGTH characters. */
export function worthInterning(s: string): boolean {
  return s.length <= INTERN_MAX_LENGTH;
}

/** Holds the first copy of each string it is given; scoped to one read (an archive load, a live read). */
export class Interner {
  /** Ids (GUID-shaped strings): kept for the whole read, `forgetValues` or not. */
  private readonly ids = new Map<string, string>();
  /** Every other string worth interning, since the last `forgetValues`. */
  private seen = new Map<string, string>();
  /**
   * A small nested node's JSON (up to NODE_KEY_MAX_JSON characters) or a hash of it (`hash53`) →
   * the first (frozen) node seen with that JSON. Most nested nodes are distinct (a user's
   * identities name the user): keyed by their JSON, the keys of a 100k-user archive's load held
   * 52 MiB of text for 520,000 nodes, on top of the nodes themselves, until the load ended.
   */
  private nodes = new Map<string | number, object>();

  /** The held copy equal to `s` (`s` itself the first time). */
  str(s: string): string {
    const map = isGuidShaped(s) ? this.ids : this.seen;
    const held = map.get(s);
    if (held !== undefined) return held;
    map.set(s, s);
    return s;
  }

  /** Distinct strings held. */
  get size(): number {
    return this.ids.size + this.seen.size;
  }

  /**
   * Lets go of the strings held that are not ids, and of the nodes: what was shared stays shared,
   * and equal values seen from here on are shared among themselves. For a long read whose values are
   * mostly distinct (src/archive/reader.ts `loadTenantData`, a chunk of objects at a time): most of a
   * user's short strings and small nodes are its own (its name, mail, identities), and at 100k users
   * the maps of all of them were about 45 MiB held until the archive's load ended, where its memory
   * peaked (docs/design.md "Session 41"; issue 17 item 1). Ids stay: edges and other objects name them.
   */
  forgetValues(): void {
    this.seen = new Map();
    this.nodes = new Map();
  }

  /**
   * Replaces, in place, every string worth interning inside `v` (object values and array items,
   * at any depth; keys are already shared by the engine) by its held copy, and every small nested
   * object or array by the held copy of an equal one (SHARED_NODE_MAX_JSON). Returns `v`; `v`
   * itself is never shared nor frozen.
   *
   * A shared node is frozen: code that wrote into one nested value of the archive or of a target
   * read would otherwise write into every object holding it, so such a write throws (strict mode)
   * instead. A node holding what JSON cannot carry (undefined, -0, a class instance) is never shared.
   */
  values<T>(v: T): T {
    if (v !== null && typeof v === 'object') this.members(v as Record<string | number, unknown>);
    return v;
  }

  /** Interns the members of `v` in place; false when `v` holds a value JSON cannot carry (then it is not shared). */
  private members(v: Record<string | number, unknown>): boolean {
    if (Array.isArray(v)) {
      let plain = true;
      for (let i = 0; i < v.length; i++) plain = this.member(v, i) && plain;
      return plain;
    }
    let plain = Object.getPrototypeOf(v) === Object.prototype;
    for (const k of Object.keys(v)) plain = this.member(v, k) && plain;
    return plain;
  }

  /** Interns `v[k]` in place (a string, or a nested node shared when it can be); false when it is not plain JSON. */
  private member(v: Record<string | number, unknown>, k: string | number): boolean {
    const x = v[k];
    if (typeof x === 'string') {
      if (worthInterning(x)) v[k] = this.str(x);
      return true;
    }
    if (x === null || typeof x !== 'object') return jsonScalar(x);
    const inner = x as Record<string | number, unknown>;
    if (Object.isFrozen(inner)) return true; // already a shared node
    if (!this.members(inner)) return false;
    v[k] = this.node(inner);
    return true;
  }

  /** The held node equal to `x` (frozen), or `x` itself when its JSON is too long to be worth a map entry. */
  private node(x: object): object {
    const json = JSON.stringify(x);
    if (json.length > SHARED_NODE_MAX_JSON) return x;
    const key = json.length <= NODE_KEY_MAX_JSON ? json : hash53(json);
    const held = this.nodes.get(key);
    if (held === undefined) {
      this.nodes.set(key, Object.freeze(x));
      return x;
    }
    // a hashed key is checked: on a collision (two JSON texts, one hash) `x` is simply not shared
    return typeof key === 'string' || JSON.stringify(held) === json ? held : x;
  }
}

/** A GUID's shape (8-4-4-4-12 hex digits), the form of nearly every directory object's id. */
function isGuidShaped(s: string): boolean {
  return s.length === 36 && s.charCodeAt(8) === 45 && s.charCodeAt(13) === 45 && s.charCodeAt(18) === 45 && s.charCodeAt(23) === 45;
}

/** Nested nodes whose JSON is at most this long are keyed by the JSON itself; longer ones by its hash. */
const NODE_KEY_MAX_JSON = 32;

/**
 * cyrb53 (bryc, public domain: https://github.com/bryc/code/blob/master/jshash/experimental/cyrb53.js),
 * a 53-bit hash of a string's UTF-16 code units: a number key for a map of small nodes, never a
 * digest anyone relies on (a collision only leaves a node unshared, `Interner.node`).
 */
export function hash53(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * Nested values whose JSON is at most this long are shared: empty lists, `{"certificateUserIds":[]}`,
 * a licence `[{"disabledPlans":[],"skuId":"…"}]`, a group's fifteen empty on-premises extension
 * attributes. A user holds about a dozen such values, each a separate object after JSON.parse.
 * Each distinct node costs a key in the map for as long as the read lasts. Measured on the 10k-user
 * bench archive (live heap after loading it): 32.0 MiB at 96, 31.2 at 256, 29.7 at 512.
 */
export const SHARED_NODE_MAX_JSON = 512;

/** null, a boolean, or a number JSON writes back as itself. */
function jsonScalar(x: unknown): boolean {
  return x === null || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x) && !Object.is(x, -0));
}

/**
 * `v` with every short string in it (ids, kinds, types, relations: up to INTERN_MAX_LENGTH
 * characters) replaced, in place, by the one copy `strings` holds: JSON.parse makes a string per
 * occurrence, where the planner's plan shares the archive's. Only strings: no node is shared or
 * frozen, so a reader may change what it got (a loaded plan's operations are the executor's, as a
 * planned one's are).
 */
export function shareStrings(v: unknown, strings: Interner): unknown {
  if (typeof v === 'string') return worthInterning(v) ? strings.str(v) : v;
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string | number, unknown>;
  if (Array.isArray(o)) for (let i = 0; i < o.length; i++) o[i] = shareStrings(o[i], strings);
  else for (const k of Object.keys(o)) o[k] = shareStrings(o[k], strings);
  return v;
}
