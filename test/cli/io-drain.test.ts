/**
 * src/cli/io.ts: `--json` results are written in batches that wait for the stream to drain (issue 17
 * item 1). Without the wait, a 100k-user restore piped to a reader held its whole result queued in
 * memory (175 MiB, the restore's peak in the bench, session 37). A slow reader here: a stream that
 * takes each chunk a tick later.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeJsonLine, writeStableJson } from '../../src/cli/io.js';
import { stableJson } from '../../src/json.js';

/** A stream that accepts each chunk a tick after it is written; records the most it ever held queued. */
function slowSink(): { stream: Writable; text: () => string; maxQueued: () => number } {
  const parts: Buffer[] = [];
  let max = 0;
  const stream = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _enc, cb) {
      parts.push(chunk);
      setImmediate(cb);
    },
  });
  const write = stream.write.bind(stream);
  stream.write = ((chunk: never, ...rest: never[]) => {
    const ok = write(chunk, ...rest);
    max = Math.max(max, stream.writableLength);
    return ok;
  }) as typeof stream.write;
  return { stream, text: () => Buffer.concat(parts).toString('utf8'), maxQueued: () => max };
}

/** About 6 MB of JSON, in the shape of a restore's result (many small records). */
const result = {
  execution: { outcomes: Array.from({ length: 40_000 }, (_, i) => ({ opId: `add:groupMembers:${i}`, state: 'done', label: `Add member ${i} → Zoë 😀 to group ${i % 97}` })) },
  fidelity: { deviations: Array.from({ length: 20_000 }, (_, i) => ({ what: 'relationMissing', archivedId: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`, reason: 'end is not in the target' })) },
};

describe('--json output waits for the reader', () => {
  it('writeJsonLine: the same bytes as JSON.stringify and a newline, never more than a batch or two queued', async () => {
    const sink = slowSink();
    await writeJsonLine(sink.stream, result);
    await new Promise<void>((r) => sink.stream.end(r));
    const expected = `${JSON.stringify(result)}\n`;
    expect(Buffer.byteLength(expected)).toBeGreaterThan(5 * 2 ** 20);
    expect(sink.text()).toBe(expected);
    // a batch is about 256 KiB (src/json-stream.ts utf8Batches), the stream's buffer 64 KiB
    expect(sink.maxQueued()).toBeLessThan(1024 * 1024);
  });

  it('writeStableJson: the same bytes as stableJson, never more than a batch or two queued', async () => {
    const sink = slowSink();
    await writeStableJson(sink.stream, result);
    await new Promise<void>((r) => sink.stream.end(r));
    expect(sink.text()).toBe(stableJson(result));
    expect(sink.maxQueued()).toBeLessThan(1024 * 1024);
  });

  it('a stream that fails while full does not leave the writer waiting', { timeout: 30_000 }, async () => {
    const stream = new Writable({ highWaterMark: 1024, write(_c, _e, cb) { setImmediate(() => cb(new Error('EPIPE'))); } });
    stream.on('error', () => undefined);
    await expect(writeJsonLine(stream, result)).resolves.toBeUndefined();
  });
});
