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
