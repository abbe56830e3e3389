/**
 * Cuts a stream of bytes into '\n'-terminated lines as its chunks arrive: each line is decoded
 * alone, from its own bytes, so a file of hundreds of MB is never one string nor all its lines at
 * once (issue 17 item 1: the journal and the stored plan of a 100k-user restore are 160 MB and
 * 340 MB of JSON lines). A '\n' byte is never part of a UTF-8 sequence, so cutting there first
 * and decoding after gives the text a whole-file decode would.
 */

/** One line: its text and its length in bytes, without the '\n'. */
export interface Line {
  text: string;
  bytes: number;
}

export class LineSplitter {
  /** Bytes of the line not yet ended, copied (a caller may reuse its chunk). */
  private carry: Buffer[] = [];
  private carryBytes = 0;

  /**
   * @param maxLineBytes a line longer than this (its '\n' not counted) makes `tooLong()` thrown,
   *   before more of it is held
   */
  constructor(
    private readonly maxLineBytes = Number.POSITIVE_INFINITY,
    private readonly tooLong: () => Error = () => new Error('line too long'),
  ) {}

  /**
   * The lines `chunk` ends, the first with what earlier chunks left. Read them all before the
   * next call; `chunk` may be reused by the caller after that.
   */
  *push(chunk: Buffer): Generator<Line> {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      const bytes = this.carry.length === 0 ? chunk.subarray(start, nl) : Buffer.concat([...this.carry, chunk.subarray(start, nl)]);
      this.carry = [];
      this.carryBytes = 0;
      if (bytes.length > this.maxLineBytes) throw this.tooLong();
      yield { text: bytes.toString('utf8'), bytes: bytes.length };
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.carryBytes += chunk.length - start;
      if (this.carryBytes > this.maxLineBytes) throw this.tooLong();
      this.carry.push(Buffer.from(chunk.subarray(start)));
    }
  }

  /** The bytes after the last '\n' (a line the stream did not end), or undefined when there are none. */
  rest(): Line | undefined {
    if (this.carry.length === 0) return undefined;
    const rest = Buffer.concat(this.carry);
    this.carry = [];
    this.carryBytes = 0;
    return { text: rest.toString('utf8'), bytes: rest.length };
  }
}
