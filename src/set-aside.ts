/**
 * Data set aside in memory, compressed, while a long phase does not read it (issue 17 item 1).
 *
 * A writing restore holds the archive to plan, then runs the plan for minutes to hours, then
 * reads the archive again to verify. At 100k users the archive is about 210 MiB of objects on
 * the heap (its JSON 414 MiB) and a spent plan about 190 MiB. Setting them aside costs CPU
 * seconds, never a file: an archive's plaintext is never written to disk outside its staging
 * directory (docs/archive-format.md), and nothing set aside here outlives the process.
 *
 * Brotli at quality 4, in members of about 1 MiB of JSON. The whole 100k-user bench archive
 * (JSON and compression, one core): gzip level 1 54.1 MiB in 5.4 s; brotli 4 38.4 MiB in 5.9 s;
 * brotli 5 36.6 MiB in 8.9 s. Parsing it back takes about 6 s with either. The users are set aside
 * before the plan is built (src/archive/held.ts `setAsideFirst`), where the restore's memory peaks.
 */
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

/** Characters of JSON per compressed member: large enough to compress well, small enough that no member's text is large. */
const MEMBER_CHARS = 1 << 20;

/**
 * Lines of JSON text (each the output of `JSON.stringify`, which never holds a raw newline)
 * kept as brotli members of about 1 MiB of text each. Never holds the text itself.
 */
class CompressedLines {
  private readonly members: Buffer[] = [];

  constructor(lines: Iterable<string>) {
    let batch: string[] = [];
    let chars = 0;
    for (const line of lines) {
      batch.push(line);
      chars += line.length + 1;
      if (chars >= MEMBER_CHARS) {
        this.members.push(compress(batch.join('\n')));
        batch = [];
        chars = 0;
      }
    }
    if (batch.length > 0) this.members.push(compress(batch.join('\n')));
  }

  /** The lines, in the order they were given; one member's text at a time is in memory. */
  *lines(): Generator<string> {
    for (const m of this.members) yield* brotliDecompressSync(m).toString('utf8').split('\n');
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

  /** Sets `items` aside; the caller lets go of its own reference for their memory to be freed. */
  constructor(items: readonly T[]) {
    this.lines = new CompressedLines(jsonLinesOf(items));
  }

  /** Compressed bytes held. */
  get bytes(): number {
    return this.lines.bytes;
  }

  /** A new list equal to the one set aside, as JSON; `each` is applied to every value as it is parsed. */
  take(each: (v: T) => T = (v) => v): T[] {
    const out: T[] = [];
    for (const l of this.lines.lines()) out.push(each(JSON.parse(l) as T));
    return out;
  }
}

/** Brotli at quality 4 (the module comment says what it was measured against). */
function compress(text: string): Buffer {
  return brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: text.length } });
}
