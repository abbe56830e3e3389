/**
 * A streaming scan of a JSON-lines entry's bytes as they are staged: line length, record
 * count and nesting depth are bounded before anything parses a line. The depth bound
 * matters because the planner and the canonical-JSON code walk records recursively: a
 * record nested thousands of levels deep would overflow the stack there
 * (docs/archive-format.md §6 "Limits"). The scan is byte-level and tracks only what
 * depth needs — strings and their escapes — so it never allocates per byte.
 */
import { VaultError } from '../errors.js';

export interface LineScanLimits {
  /** Longest line, in bytes. */
  maxLineBytes: number;
  /** Deepest nesting of objects and arrays in one line (a flat object has depth 1). */
  maxDepth: number;
}

/**
 * Totals over every entry of one archive, shared by the scans of its entries: records, and
 * JSON values (each `{`, `[` and `,` outside strings starts one). Values bound what parsing
 * costs in memory when bytes do not: `[],` is 3 bytes of JSON and about 40 of heap.
 */
export interface RecordBudget {
  max: number;
  used: number;
  maxValues: number;
  values: number;
  /**
   * Set when the archive's data entries hold no more bytes, all together, than `maxValues`
   * (the signed manifest lists their sizes, and each entry is held to its size): every counted
   * value is a byte of them, so the count cannot pass the limit and is not kept. Lines then
   * take the fast path of `LineScanner.write`.
   */
  valuesBounded?: boolean;
}

const NL = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const OPEN_ARR = 0x5b;
const CLOSE_OBJ = 0x7d;
const CLOSE_ARR = 0x5d;
const COMMA = 0x2c;

/** No bracket of that kind at or after the position last searched from. */
const NONE = -1;
/** Not searched for yet in this chunk. */
const UNKNOWN = -2;

/**
 * One entry's scanner. Feed it every chunk in order (`write`), then `end`.
 * @throws VaultError ARCHIVE_LIMIT naming the entry and the limit it passed. Never throws anything else.
 */
export class LineScanner {
  private line = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private nonEmpty = false;

  constructor(
    private readonly entry: string,
    private readonly limits: LineScanLimits,
    private readonly records: RecordBudget,
  ) {}

  /**
   * Lines are found with `indexOf` (memchr), so the per-byte loop does not count line
   * length; inside a line, a string's bytes are skipped in a loop of their own that looks
   * only for `"` and `\\`. Same verdicts as a plain byte-by-byte scan, in the same order
   * (test/archive/line-scan.test.ts checks it against one on random input and splits).
   *
   * Fast path, when values are not counted (`RecordBudget.valuesBounded`): a line that lies
   * whole in this chunk, within the length limit, and holds no more `{` and `[` bytes than the
   * depth limit (inside strings or not) cannot nest deeper than the limit, whatever its strings
   * hold, so its bytes are not walked: the brackets are found with `indexOf`, each once per
   * chunk. A 3 KB user record has about 24 of them and about 140 strings, each of which the
   * walk below visits. Any other line is walked as before.
   */
  write(c: Uint8Array): void {
    const max = this.limits.maxLineBytes;
    const fast = this.records.valuesBounded === true;
    this.nextObj = UNKNOWN;
    this.nextArr = UNKNOWN;
    let i = 0;
    while (i < c.length) {
      const nl = c.indexOf(NL, i);
      const end = nl < 0 ? c.length : nl;
      if (end > i) {
        if (fast && this.line === 0 && nl >= 0 && end - i <= max && this.opensWithin(c, i, end)) {
          // the whole line is in this chunk and within every limit; its state ends with it below
        } else {
          // bytes of this line beyond the limit are never scanned: the limit is reported first
          const room = max - this.line;
          const stop = end - i > room ? i + Math.max(0, room) : end;
          this.scanSegment(c, i, stop);
          if (stop < end) throw new VaultError('ARCHIVE_LIMIT', `a line in ${this.entry} is longer than ${max} bytes`);
        }
        this.line += end - i;
        this.nonEmpty = true;
      }
      if (nl < 0) return;
      if (this.nonEmpty) this.countRecord();
      // a newline cannot occur inside a JSON string, so every line starts afresh
      this.line = 0;
      this.depth = 0;
      this.inString = false;
      this.escaped = false;
      this.nonEmpty = false;
      i = nl + 1;
    }
  }

  /** Position in the current chunk of the next `{` / `[` at or after the last search, NONE, or UNKNOWN. */
  private nextObj = UNKNOWN;
  private nextArr = UNKNOWN;

  /**
   * Whether c[from, to) holds at most maxDepth `{` and `[` bytes together. Each search goes on
   * from the last one found, so every bracket of a chunk is found once, and stops at the limit.
   */
  private opensWithin(c: Uint8Array, from: number, to: number): boolean {
    let left = this.limits.maxDepth;
    let o = this.nextObj;
    if (o !== NONE && o < from) o = c.indexOf(OPEN_OBJ, from);
    while (o !== NONE && o < to) {
      if (--left < 0) break;
      o = c.indexOf(OPEN_OBJ, o + 1);
    }
    this.nextObj = o;
    let a = this.nextArr;
    if (a !== NONE && a < from) a = c.indexOf(OPEN_ARR, from);
    while (left >= 0 && a !== NONE && a < to) {
      if (--left < 0) break;
      a = c.indexOf(OPEN_ARR, a + 1);
    }
    this.nextArr = a;
    return left >= 0;
  }

  /**
   * Depth and values of c[from, to), which holds no newline. Most of a record's bytes are inside
   * strings (keys and values): a string is skipped with `indexOf` for its closing quote and for
   * the next backslash (found once and kept until passed), in a view of this segment only so
   * neither search runs past it; the byte loop sees only what is outside strings.
   */
  private scanSegment(c: Uint8Array, from: number, to: number): void {
    const maxDepth = this.limits.maxDepth;
    const seg = c.subarray(from, to);
    const n = seg.length;
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    /** The next backslash at or after the string position; -1: none left in the segment; -2: not looked for yet. */
    let nextBs = -2;
    let i = 0;
    while (i < n) {
      if (inString) {
        if (escaped) {
          // the byte after a backslash that ended the previous chunk
          escaped = false;
          i++;
          continue;
        }
        const q = seg.indexOf(QUOTE, i);
        if (nextBs !== -1 && nextBs < i) nextBs = seg.indexOf(BACKSLASH, i);
        if (nextBs !== -1 && (q === -1 || nextBs < q)) {
          // an escape before the closing quote: skip the backslash and the byte it escapes
          i = nextBs + 1;
          if (i < n) i++;
          else escaped = true;
          continue;
        }
        if (q === -1) break; // the string goes on past this segment
        inString = false;
        i = q + 1;
        continue;
      }
      const b = seg[i++]!;
      if (b === QUOTE) inString = true;
      else if (b === OPEN_OBJ || b === OPEN_ARR) {
        if (++depth > maxDepth) throw new VaultError('ARCHIVE_LIMIT', `a record in ${this.entry} is nested deeper than ${maxDepth} levels`);
        this.countValue();
      } else if (b === COMMA) this.countValue();
      else if (b === CLOSE_OBJ || b === CLOSE_ARR) depth--;
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
  }

  /** The entry's last line need not end in a newline; it is a record all the same. */
  end(): void {
    if (this.nonEmpty) this.countRecord();
    this.nonEmpty = false;
  }

  private countValue(): void {
    if (this.records.valuesBounded === true) return;
    if (++this.records.values > this.records.maxValues) {
      throw new VaultError('ARCHIVE_LIMIT', `archive has more than ${this.records.maxValues} JSON values`);
    }
  }

  private countRecord(): void {
    if (++this.records.used > this.records.max) {
      throw new VaultError('ARCHIVE_LIMIT', `archive has more than ${this.records.max} records`);
    }
  }
}
