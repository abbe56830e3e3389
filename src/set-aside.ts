/**
 * Data set aside in memory, compressed, while a long phase does not read it (issue 17 item 1).
 *
 * A writing restore holds the archive to plan, then runs the plan for minutes to hours, then
 * reads the archive again to verify. At 100k users the archive is about 210 MiB of objects on
 * the heap (its JSON 414 MiB) and a spent plan about 190 MiB. Setting them aside costs CPU
 * seconds. The compressed members are kept in memory, or, in the CLI's own process, sealed in a
 * nameless temporary file (src/spill-file.ts): an archive's plaintext is never written to disk
 * outside its staging directory (docs/archive-format.md), and nothing set aside here outlives
 * the process.
 *
 * Brotli at quality 4, in members of about 1 MiB of JSON (UTF-8). The whole 100k-user bench archive
 * (JSON and compression, one core): gzip level 1 54.1 MiB in 5.4 s; brotli 4 38.4 MiB in 5.9 s;
 * brotli 5 36.6 MiB in 8.9 s. Parsing it back takes about 6 s with either. The users are set aside
 * before the plan is built (src/archive/held.ts `setAsideFirst`), where the restore's memory peaks.
 */
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

/** A compressed member, kept in memory or elsewhere (src/spill-file.ts); `read` gives its bytes back. */
export interface KeptBytes {
  /**
   * The member's bytes.
   * @throws VaultError INTEGRITY when they were kept on disk and fail their check
   */
  read(): Buffer;
  /** Bytes of the member (compressed). */
  readonly length: number;
}

/** Where compressed members are kept. The default keeps them in memory. */
export interface MemberStore {
  /** Keeps `bytes` (never changed afterwards by the caller) and returns how to read them back. */
  keep(bytes: Buffer): KeptBytes;
  /** Why members are now kept in memory instead (a store that could not take them), if they are. */
  readonly failure?: string | undefined;
}

class InMemory implements KeptBytes {
  constructor(private readonly bytes: Buffer) {}
  read(): Buffer {
    return this.bytes;
  }
  get length(): number {
    return this.bytes.length;
  }
}

/** `bytes` kept in memory. */
export function inMemory(bytes: Buffer): KeptBytes {
  return new InMemory(bytes);
}

let store: MemberStore | undefined;

/**
 * Sets where members compressed from now on are kept (undefined: memory). The CLI's own process
 * keeps them in a spill file (src/spill-file.ts `enableSpill`); members kept before stay where they are.
 */
export function setMemberStore(s: MemberStore | undefined): void {
  store = s;
}

/**
 * Why the store set keeps members in memory although it should not (src/spill-file.ts: the file could
 * not be made or written), if it does; undefined when it works or none is set.
 */
export function memberStoreFailure(): string | undefined {
  return store?.failure;
}

/** `bytes` kept by the store set (memory by default). */
export function keep(bytes: Buffer): KeptBytes {
  return store ? store.keep(bytes) : new InMemory(bytes);
}

/** Bytes of JSON (UTF-8) per compressed member: large enough to compress well. */
const MEMBER_BYTES = 1 << 20;

/** The buffer each member's lines are written into before it is compressed (CompressedLines). */
let scratch: Buffer | undefined;

/**
 * Lines of JSON text (each the output of `JSON.stringify`, which never holds a raw newline)
 * kept as brotli members of about 1 MiB of UTF-8 each. Never holds the text itself.
 *
 * Each member's lines are written as UTF-8 into one reused buffer and compressed from there, and
 * read back line by line from the decompressed bytes: a member's text is never one string. Joined
 * into a string, every member of a 100k-user plan was a large object on the heap (twice its
 * characters when a label holds a '→') and its UTF-8 copy another megabyte off it, several hundred
 * of each per set-aside, which the heap grew over before a collection (issue 17 item 1).
 */
class CompressedLines {
  private readonly members: KeptBytes[] = [];

  constructor(lines: Iterable<string>) {
    // one scratch buffer for every set-aside (a constructor runs to its end without yielding): a
    // buffer each was a megabyte off the heap for each of an archive's hundred small types
    const shared = (scratch ??= Buffer.allocUnsafe(MEMBER_BYTES));
    let buf = shared;
    let used = 0;
    for (const line of lines) {
      // a UTF-8 byte per character at least, three at most (a surrogate pair is 4 bytes for 2)
      const room = buf.length - used;
      const need = line.length * 3 + 1 <= room ? line.length * 3 + 1 : Buffer.byteLength(line, 'utf8') + 1;
      if (need > room) {
        if (used > 0) this.members.push(keep(compress(buf.subarray(0, used))));
        used = 0;
        // a line longer than a member is a member of its own
        buf = need > shared.length ? Buffer.allocUnsafe(need) : shared;
      }
      used += buf.write(line, used, 'utf8');
      buf[used++] = 0x0a;
    }
    if (used > 0) this.members.push(keep(compress(buf.subarray(0, used))));
  }

  /** The lines, in the order they were given; one member's bytes at a time are in memory. */
  *lines(): Generator<string> {
    for (const m of this.members) {
      const bytes = brotliDecompressSync(m.read());
      // UTF-8 never holds a 0x0a byte inside a character, and each line ends with one
      for (let start = 0, end = bytes.indexOf(0x0a); end !== -1; start = end + 1, end = bytes.indexOf(0x0a, start)) {
        yield bytes.toString('utf8', start, end);
      }
    }
  }

  /** Compressed bytes held. */
  get bytes(): number {
    return this.members.reduce((n, m) => n + m.length, 0);
  }
}

/** `JSON.stringify` of each value, as lines to set aside. */
function* jsonLinesOf<T>(values: Iterable<T>): Generator<string> {
  for (const v of values) yield JSON.stringify(v);
}

/** A list of JSON values set aside; `take` parses a new, equal list. */
export class ListAside<T> {
  private readonly lines: CompressedLines;

  /**
   * Sets `items` aside; the caller lets go of its own reference for their memory to be freed. An
   * iterable that makes each item as it is asked for never holds them all (src/restore/execute/outcomes-aside.ts).
   */
  constructor(items: Iterable<T>) {
    this.lines = new CompressedLines(jsonLinesOf(items));
  }

  /** Compressed bytes held. */
  get bytes(): number {
    return this.lines.bytes;
  }

  /**
   * The values set aside, parsed one at a time as they are asked for (one compressed member's bytes
   * at a time in memory): a caller that lets go of each value before asking for the next never
   * holds the list whole. The list stays set aside, and may be read again.
   */
  *each(): Generator<T> {
    for (const l of this.lines.lines()) yield JSON.parse(l) as T;
  }

  /** A new list equal to the one set aside, as JSON; `each` is applied to every value as it is parsed. */
  take(each: (v: T) => T = (v) => v): T[] {
    const out: T[] = [];
    for (const v of this.each()) out.push(each(v));
    return out;
  }
}

/**
 * Brotli at quality 4 (the module comment says what it was measured against), in a buffer of its
 * own size: zlib's result for a small input is a view of its whole 16 KiB output buffer, which each
 * small member kept (a list of a few objects, a chunk of src/restore/held-bodies.ts: 31 MiB held
 * for 10 MiB of chunks at 100k users).
 */
export function compress(bytes: Buffer): Buffer {
  const packed = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
  return packed.length === packed.buffer.byteLength ? packed : Buffer.from(packed);
}
