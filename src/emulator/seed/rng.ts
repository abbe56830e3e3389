/**
 * The seed's own deterministic randomness: a small, fast PRNG (sfc32 seeded through
 * splitmix32) plus the id formats Graph uses. Nothing here touches Math.random or the
 * clock, so one seed always gives one tenant, byte for byte.
 */

/** splitmix32: spreads a 32-bit seed (and a label hash) into well-mixed state words. */
function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    t ^= t >>> 15;
    return t >>> 0;
  };
}

/** FNV-1a over a label, so every area of the tenant gets an independent stream. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~';

/** sfc32 generator with the helpers the seed needs. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** A stream for `label` under `seed`: different labels give unrelated streams. */
  constructor(seed: number, label = '') {
    const mix = splitmix32((seed ^ hashLabel(label)) >>> 0);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** An integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** `k` distinct items (fewer if the list is shorter), in list order. */
  sample<T>(items: readonly T[], k: number): T[] {
    const n = items.length;
    if (k >= n) return items.slice();
    const chosen = new Set<number>();
    while (chosen.size < k) chosen.add(Math.floor(this.next() * n));
    return [...chosen].sort((x, y) => x - y).map((i) => items[i] as T);
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = this.u32();
      out[i] = v & 0xff;
      if (i + 1 < n) out[i + 1] = (v >>> 8) & 0xff;
      if (i + 2 < n) out[i + 2] = (v >>> 16) & 0xff;
      if (i + 3 < n) out[i + 3] = (v >>> 24) & 0xff;
    }
    return out;
  }

  /** A random (version 4, RFC 4122 variant) GUID in Graph's lower-case form. */
  guid(): string {
    const b = this.bytes(16);
    b[6] = ((b[6] as number) & 0x0f) | 0x40;
    b[8] = ((b[8] as number) & 0x3f) | 0x80;
    return formatGuid(b);
  }

  /** A client secret in the shape Entra issues (40 characters, `~` at index 3). */
  secret(): string {
    let s = '';
    for (let i = 0; i < 40; i++) s += SECRET_ALPHABET[this.u32() % SECRET_ALPHABET.length];
    return `${s.slice(0, 3)}8Q~${s.slice(6)}`;
  }
}

function formatGuid(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    s += HEX[b[i] as number];
  }
  return s;
}

/** A GUID's bytes in .NET order (first three fields little-endian), as Graph encodes them. */
export function guidBytes(guid: string): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    const at = GUID_BYTE_AT[NET_ORDER[i] as number] as number;
    out[i] = (hexVal(guid.charCodeAt(at)) << 4) | hexVal(guid.charCodeAt(at + 1));
  }
  return out;
}

/** Where byte i of a canonical GUID string starts. */
const GUID_BYTE_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
const NET_ORDER = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  throw new RangeError('not a GUID');
}

/** Unpadded base64url, the alphabet of Graph's composite ids (role assignments, grants). */
export function base64url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += B64URL[(n >>> 18) & 63]! + B64URL[(n >>> 12) & 63]! + B64URL[(n >>> 6) & 63]! + B64URL[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += B64URL[(n >>> 18) & 63]! + B64URL[(n >>> 12) & 63]!;
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += B64URL[(n >>> 18) & 63]! + B64URL[(n >>> 12) & 63]! + B64URL[(n >>> 6) & 63]!;
  }
  return out;
}

/** Graph's composite id for a relationship object: base64url of the GUIDs' bytes, concatenated. */
export function compositeId(...guids: string[]): string {
  const all = new Uint8Array(guids.length * 16);
  guids.forEach((g, i) => all.set(guidBytes(g), i * 16));
  return base64url(all);
}

/**
 * The cloud SID Entra derives from an object id (`S-1-12-1-` and the GUID as four
 * little-endian 32-bit words), as returned in `securityIdentifier`.
 */
export function cloudSid(guid: string): string {
  const b = guidBytes(guid);
  const dv = new DataView(b.buffer);
  return `S-1-12-1-${dv.getUint32(0, true)}-${dv.getUint32(4, true)}-${dv.getUint32(8, true)}-${dv.getUint32(12, true)}`;
}

/** Standard base64 (with padding), as Graph returns Edm.Binary values. */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

const TWO: string[] = Array.from({ length: 61 }, (_, i) => String(i).padStart(2, '0'));

/** The fixed "now" of every seeded tenant, so dates never depend on the wall clock. */
export const SEED_NOW_MS = Date.UTC(2026, 7, 1, 9, 0, 0);
const SEED_EPOCH_MS = Date.UTC(2021, 2, 1, 8, 0, 0);

/** An ISO timestamp without milliseconds, as Graph formats DateTimeOffset values. */
export function iso(ms: number): string {
  // civil-from-days (H. Hinnant): integer math, no Date allocation per call
  const secs = Math.floor(ms / 1000);
  const days = Math.floor(secs / 86400);
  const sod = secs - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const hh = Math.floor(sod / 3600);
  const mm = Math.floor((sod % 3600) / 60);
  const ss = sod % 60;
  return `${y}-${TWO[m]}-${TWO[d]}T${TWO[hh]}:${TWO[mm]}:${TWO[ss]}Z`;
}

/** A timestamp between the tenant's creation and the seed's "now" (or between `from` and now). */
export function pastDate(rng: Rng, fromMs = SEED_EPOCH_MS, toMs = SEED_NOW_MS): string {
  return iso(fromMs + Math.floor(rng.next() * (toMs - fromMs)));
}

export const TENANT_CREATED_MS = SEED_EPOCH_MS;
