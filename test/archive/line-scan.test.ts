/**
 * The line scanner (src/archive/line-scan.ts) finds lines with indexOf and skips strings in
 * a loop of their own. Its verdicts must be those of the plain byte-by-byte scan it replaced
 * (kept below as the reference): the same records and JSON values counted, the same
 * ARCHIVE_LIMIT message first, whatever the input and however it is split into chunks.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineScanner, type LineScanLimits, type RecordBudget } from '../../src/archive/line-scan.js';
import { VaultError } from '../../src/errors.js';

/** The byte-by-byte scan of session 9, verbatim in behaviour. */
function referenceScan(entry: string, limits: LineScanLimits, records: RecordBudget, chunks: Uint8Array[]): void {
  let line = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let nonEmpty = false;
  const countValue = () => {
    if (++records.values > records.maxValues) throw new VaultError('ARCHIVE_LIMIT', `archive has more than ${records.maxValues} JSON values`);
  };
  const countRecord = () => {
    if (++records.used > records.max) throw new VaultError('ARCHIVE_LIMIT', `archive has more than ${records.max} records`);
  };
  for (const c of chunks) {
    for (const b of c) {
      if (b === 0x0a) {
        if (nonEmpty) countRecord();
        line = 0;
        depth = 0;
        inString = false;
        escaped = false;
        nonEmpty = false;
        continue;
      }
      if (++line > limits.maxLineBytes) throw new VaultError('ARCHIVE_LIMIT', `a line in ${entry} is longer than ${limits.maxLineBytes} bytes`);
      nonEmpty = true;
      if (inString) {
        if (escaped) escaped = false;
        else if (b === 0x5c) escaped = true;
        else if (b === 0x22) inString = false;
      } else if (b === 0x22) inString = true;
      else if (b === 0x7b || b === 0x5b) {
        if (++depth > limits.maxDepth) throw new VaultError('ARCHIVE_LIMIT', `a record in ${entry} is nested deeper than ${limits.maxDepth} levels`);
        countValue();
      } else if (b === 0x2c) countValue();
      else if (b === 0x7d || b === 0x5d) depth--;
    }
  }
  if (nonEmpty) countRecord();
}

function scan(impl: 'new' | 'reference', limits: LineScanLimits, budget: Omit<RecordBudget, 'used' | 'values'>, chunks: Uint8Array[]) {
  const records: RecordBudget = { ...budget, used: 0, values: 0 };
  if (impl === 'reference') delete records.valuesBounded;
  try {
    if (impl === 'reference') referenceScan('e.jsonl', limits, records, chunks);
    else {
      const s = new LineScanner('e.jsonl', limits, records);
      for (const c of chunks) s.write(c);
      s.end();
    }
    return { ok: true, used: records.used, values: records.values };
  } catch (e) {
    if (!(e instanceof VaultError)) throw e;
    return { ok: false, code: e.code, message: e.message };
  }
}

/** Bytes that matter to the scan, plus filler, so escapes, quotes and nesting meet chunk edges often. */
const byte = fc.constantFrom(0x0a, 0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x61, 0x3a, 0x31, 0x20);

function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...at, bytes.length]) {
    out.push(bytes.subarray(prev, c));
    prev = c;
  }
  return out;
}

describe('LineScanner against the byte-by-byte reference', () => {
  it('same counts and the same first error, for any bytes and any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(byte, { maxLength: 300 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.record({ maxLineBytes: fc.integer({ min: 1, max: 80 }), maxDepth: fc.integer({ min: 1, max: 6 }) }),
        fc.record({ max: fc.integer({ min: 1, max: 40 }), maxValues: fc.integer({ min: 1, max: 60 }) }),
        (arr, cuts, limits, budget) => {
          const bytes = Uint8Array.from(arr);
          const chunks = split(bytes, cuts);
          expect(scan('new', limits, budget, chunks)).toEqual(scan('reference', limits, budget, [bytes]));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('values bounded (the fast path): the same records and the same first error as the reference, values not counted', () => {
    // valuesBounded is set only when the entries hold no more bytes than maxValues, so the
    // reference cannot fail on values either: give it a maxValues above the input's length
    fc.assert(
      fc.property(
        fc.array(byte, { maxLength: 300 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.record({ maxLineBytes: fc.integer({ min: 1, max: 80 }), maxDepth: fc.integer({ min: 1, max: 6 }) }),
        fc.integer({ min: 1, max: 40 }),
        (arr, cuts, limits, max) => {
          const bytes = Uint8Array.from(arr);
          const chunks = split(bytes, cuts);
          const got = scan('new', limits, { max, maxValues: bytes.length, valuesBounded: true }, chunks);
          const want = scan('reference', limits, { max, maxValues: bytes.length }, [bytes]);
          expect(got).toEqual(want.ok ? { ...want, values: 0 } : want);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('values bounded: brackets inside strings beyond the depth limit are walked and accepted; real nesting beyond it is refused', () => {
    const limits = { maxLineBytes: 1000, maxDepth: 3 };
    const budget = { max: 100, maxValues: 1000, valuesBounded: true };
    const inStrings = Buffer.from('{"a":"[[[[{{{{","b":[1,{"c":"]]]]}}}}"}]}\n{"x":1}\n');
    expect(scan('new', limits, budget, [inStrings])).toEqual({ ok: true, used: 2, values: 0 });
    const deep = Buffer.from('{"a":"x"}\n{"a":[[[1]]]}\n');
    const refused = { ok: false, code: 'ARCHIVE_LIMIT', message: 'a record in e.jsonl is nested deeper than 3 levels' };
    expect(scan('new', limits, budget, [deep])).toEqual(refused);
    expect(scan('new', limits, budget, [...deep].map((b) => Uint8Array.of(b)))).toEqual(refused);
  });

  it('JSON records split one byte at a time: records and values as in one piece', () => {
    const text = Buffer.from('{"a":"x\\"y\\\\","b":[1,2,{"c":"{[,"}]}\n\n{"d":"\\\\"}\n[1]');
    const limits = { maxLineBytes: 1000, maxDepth: 8 };
    const budget = { max: 100, maxValues: 100 };
    const whole = scan('new', limits, budget, [text]);
    expect(whole).toEqual({ ok: true, used: 3, values: 8 });
    expect(scan('new', limits, budget, [...text].map((b) => Uint8Array.of(b)))).toEqual(whole);
  });

  it('a line one byte over the limit is refused, one at the limit is not', () => {
    const limits = { maxLineBytes: 10, maxDepth: 8 };
    const budget = { max: 100, maxValues: 100 };
    expect(scan('new', limits, budget, [Buffer.from('"12345678"\n')])).toMatchObject({ ok: true, used: 1 });
    expect(scan('new', limits, budget, [Buffer.from('"123456789"\n')])).toMatchObject({ ok: false, code: 'ARCHIVE_LIMIT', message: 'a line in e.jsonl is longer than 10 bytes' });
  });
});
