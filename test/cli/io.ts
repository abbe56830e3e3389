/** An in-memory CliIo for running the CLI in-process, with what it printed. */
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/main.js';

export function memoryIo(env: Record<string, string> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += String(c)));
  stderr.on('data', (c) => (err += String(c)));
  return {
    io: { stdout, stderr, stdin: new PassThrough(), env, cwd: process.cwd() },
    out: () => out,
    err: () => err,
  };
}

/** Runs one command; resolves with its exit code and output. */
export async function cli(args: string[], env: Record<string, string> = {}) {
  const t = memoryIo(env);
  const code = await runCli(args, t.io);
  return { code, out: t.out(), err: t.err() };
}
