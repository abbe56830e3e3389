import { jsonChunks, stableJsonChunks, utf8Batches } from '../json-stream.js';
import type { Verbosity } from './reporters.js';

/** What the CLI may touch of the process: injected so tests run it in-process. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Aborted on SIGINT/SIGTERM: long-running commands (emulator, restore) stop cleanly. */
  signal?: AbortSignal;
  /**
   * How much progress the commands print (global `--quiet` / `--verbose`; set by runCli
   * before a command runs, applied in one place: src/cli/reporters.ts). Default 'normal'.
   */
  verbosity?: Verbosity;
  /**
   * Starts the wizard (injected by bin/entra-vault.js: src/ never imports the UI): the Ink
   * one, or with `plain` the linear one that prints lines and reads answers line by line.
   */
  launchWizard?: (opts: { vault: string; plain?: boolean }) => Promise<number>;
}

export function writeLine(stream: NodeJS.WritableStream, line: string): void {
  stream.write(line.endsWith('\n') ? line : `${line}\n`);
}

/**
 * `JSON.stringify(value)` and a newline, written in batches of about 256 KiB: the same bytes,
 * but never one string of the whole value. A 100k-user restore's `--json` result (every
 * operation's outcome, the id map) is about 180 MB as JSON; built as one string it added about
 * 80 MiB to a 10k-user restore's peak RSS after its last phase (issue 17 item 1). Each batch waits
 * for the stream to drain when its buffer is full: stdout to a pipe does not always write
 * synchronously, and without the wait a 100k restore piped to a reader (the bench) held 175 MiB of
 * its result queued at once, its peak RSS (session 37).
 * Resolves once every batch is handed to the stream; never rejects (a stream that fails or
 * closes is the caller's to report: bin/entra-vault.js handles stdout's errors).
 */
export async function writeJsonLine(stream: NodeJS.WritableStream, value: unknown, depth = 3): Promise<void> {
  await writeBatches(stream, utf8Batches(jsonChunks(value, depth)));
  await writeBatches(stream, ['\n']);
}

/**
 * `stableJson(value)` (keys sorted, 2-space indent, trailing newline: what `plan --json`
 * prints) written in batches of about 256 KiB, never as one string (src/json-stream.ts), each
 * waiting for the stream to drain as `writeJsonLine`'s do.
 */
export async function writeStableJson(stream: NodeJS.WritableStream, value: unknown, depth = 3): Promise<void> {
  await writeBatches(stream, utf8Batches(stableJsonChunks(value, depth)));
}

/**
 * Writes each batch; when the stream's buffer is full, waits for it to drain. Stops at once when the
 * stream has failed or closed (what is left could never be read).
 */
async function writeBatches(stream: NodeJS.WritableStream, batches: Iterable<string | Buffer>): Promise<void> {
  for (const b of batches) {
    if (gone(stream)) return;
    if (!stream.write(b)) await drained(stream);
  }
}

/** True when `stream` failed, was destroyed or ended: nothing written to it any more is read. */
function gone(stream: NodeJS.WritableStream): boolean {
  const s = stream as { destroyed?: boolean; writableEnded?: boolean; errored?: unknown };
  return s.destroyed === true || s.writableEnded === true || (s.errored !== undefined && s.errored !== null);
}

function drained(stream: NodeJS.WritableStream): Promise<void> {
  if (gone(stream)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}
