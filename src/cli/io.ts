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
 * operation's outcome, the id map) is tens of MB as JSON; built as one string it added about
 * 80 MiB to a 10k-user restore's peak RSS after its last phase (issue 17 item 1). Process
 * stdout to a pipe or file writes synchronously on Linux, so the batches are not queued.
 */
export function writeJsonLine(stream: NodeJS.WritableStream, value: unknown, depth = 3): void {
  for (const b of utf8Batches(jsonChunks(value, depth))) stream.write(b);
  stream.write('\n');
}

/**
 * `stableJson(value)` (keys sorted, 2-space indent, trailing newline: what `plan --json`
 * prints) written in batches of about 256 KiB, never as one string (src/json-stream.ts).
 */
export function writeStableJson(stream: NodeJS.WritableStream, value: unknown, depth = 3): void {
  for (const b of utf8Batches(stableJsonChunks(value, depth))) stream.write(b);
}
