/**
 * A passphrase typed on the terminal, never echoed (issue 16: `--passphrase-prompt`). Only
 * src/cli talks to a terminal (docs/engineering.md): the domain core gets the string.
 */
import { VaultError } from '../errors.js';
import type { CliIo } from './io.js';

/** The terminal side of stdin a prompt needs (a tty.ReadStream has it). */
type TerminalIn = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

/**
 * Asks `question` on stderr and reads one line from the terminal on stdin with echo off
 * (raw mode: each key is handled here and nothing is written back, not even a mask).
 * Backspace deletes, Ctrl-U clears, Enter ends; Ctrl-C or Ctrl-D is the operator's stop.
 * @throws VaultError NO_TERMINAL when stdin is not a terminal (naming --passphrase-env),
 *   INTERRUPTED on Ctrl-C or Ctrl-D, USAGE for an empty passphrase.
 * Never prints, logs or keeps the passphrase beyond the returned string.
 */
export async function promptHidden(io: CliIo, question: string): Promise<string> {
  const stdin = io.stdin as TerminalIn;
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') {
    throw new VaultError('NO_TERMINAL', '--passphrase-prompt needs a terminal on stdin, and stdin is not one', 'in scripts pass the passphrase through an environment variable: --passphrase-env NAME');
  }
  const setRaw = stdin.setRawMode.bind(stdin);
  io.stderr.write(question);
  setRaw(true);
  let typed = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer | string) => {
        for (const ch of String(chunk)) {
          if (ch === '\r' || ch === '\n') return done();
          if (ch === '\u0003' || ch === '\u0004') return done(new VaultError('INTERRUPTED', 'interrupted at the passphrase prompt: nothing was done', 'run the command again when ready'));
          if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
          else if (ch === '\u0015') typed = '';
          else if (ch >= ' ') typed += ch;
        }
      };
      const done = (e?: VaultError) => {
        stdin.removeListener('data', onData);
        stdin.pause();
        if (e) reject(e);
        else resolve();
      };
      stdin.on('data', onData);
      stdin.resume();
    });
  } finally {
    setRaw(false);
    io.stderr.write('\n');
  }
  if (typed === '') throw new VaultError('USAGE', 'the passphrase is empty', 'type the passphrase, or use --passphrase-env NAME');
  return typed;
}
