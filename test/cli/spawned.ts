/**
 * The built CLI (`node bin/entra-vault.js`, which runs dist/: build first with
 * `npx tsc -p tsconfig.json`) as a child process, with its output collected as it comes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const BIN = join(process.cwd(), 'bin', 'entra-vault.js');

export interface Spawned {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  /** Resolves once stderr (or stdout) contains `text`; rejects if the process ends first. */
  waitFor: (text: string) => Promise<void>;
  /** The exit code (128 + n when killed by signal n, as a shell reports it). */
  exit: Promise<number>;
}

/** Starts the CLI with `args`; fails at once (naming the fix) when dist/ was not built. */
export function spawnCli(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): Spawned {
  if (!existsSync(join(process.cwd(), 'dist', 'src', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run npx tsc -p tsconfig.json before this test');
  }
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: { text: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (err.includes(w.text) || out.includes(w.text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout!.on('data', (c) => { out += String(c); check(); });
  child.stderr!.on('data', (c) => { err += String(c); check(); });
  const exit = new Promise<number>((resolve) => {
    child.on('close', (code, signal) => {
      for (const w of waiters.splice(0)) w.reject(new Error(`the CLI ended before printing '${w.text}'; stderr:\n${err}`));
      resolve(code ?? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : signal === 'SIGKILL' ? 9 : 0));
    });
  });
  return {
    child,
    out: () => out,
    err: () => err,
    exit,
    waitFor: (text) => new Promise<void>((resolve, reject) => {
      waiters.push({ text, resolve, reject });
      check();
      if (child.exitCode !== null) {
        const i = waiters.findIndex((w) => w.text === text);
        if (i >= 0) waiters.splice(i, 1)[0]!.reject(new Error(`the CLI ended before printing '${text}'; stderr:\n${err}`));
      }
    }),
  };
}
