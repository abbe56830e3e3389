import { InvalidArgumentError } from 'commander';
import { VaultError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { promptHidden } from '../prompt.js';

/** commander parser for non-negative integers. */
export function parseIntOption(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a non-negative integer, got '${value}'`);
  return Number(value);
}

/**
 * commander parser for a repeatable `--target`: one `--target` stays a string (today's
 * behaviour, docs/design.md "Interfaces"); each further one (another recovery app of the
 * same tenant, src/graph/shard.ts) makes it a list.
 */
export function collectTarget(value: string, previous: string | string[] | undefined): string | string[] {
  if (previous === undefined) return value;
  return [...(Array.isArray(previous) ? previous : [previous]), value];
}

/** The profile paths of `--target`, one or several. */
export function targetsOf(target: string | string[]): string[] {
  return Array.isArray(target) ? target : [target];
}

/** Bounds of `restore --concurrency`: above 64 units in flight Graph only answers 429 sooner. */
export const MAX_CONCURRENCY = 64;

/**
 * commander parser for `--concurrency`: an integer 1..64.
 * @throws InvalidArgumentError (reported as a USAGE error, exit 2) otherwise
 */
export function parseConcurrency(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_CONCURRENCY)) throw new InvalidArgumentError(`expected an integer from 1 to ${MAX_CONCURRENCY}, got '${value}'`);
  return n;
}

/** Reads a passphrase from the named environment variable (never from a flag value). */
export function passphraseFrom(env: Record<string, string | undefined>, name: string | undefined): string | undefined {
  if (!name) return undefined;
  const v = env[name];
  if (v === undefined || v === '') {
    throw new VaultError('USAGE', `environment variable ${name} is not set`, `export ${name}=… before running, or drop --passphrase-env`);
  }
  return v;
}

/** How a command was told to get a key file's passphrase. */
export interface PassphraseOpts {
  /** `--passphrase-env NAME`: the passphrase is in this environment variable. */
  passphraseEnv?: string;
  /** `--passphrase-prompt`: ask on the terminal, no echo (src/cli/prompt.ts). */
  passphrasePrompt?: boolean;
}

/**
 * The passphrase for `file` from `--passphrase-env` or, with `--passphrase-prompt`, typed on
 * the terminal (twice with `confirm`, for a new key). Undefined when neither is given, or
 * when `needed` is false (the command will not open the file: no prompt then).
 * @throws VaultError USAGE (both given, variable unset, entries differ), NO_TERMINAL (prompt
 *   without a terminal on stdin), INTERRUPTED (Ctrl-C at the prompt)
 */
export async function passphraseOf(io: CliIo, o: PassphraseOpts, file: string, opts: { confirm?: boolean; needed?: boolean } = {}): Promise<string | undefined> {
  if (o.passphraseEnv && o.passphrasePrompt) {
    throw new VaultError('USAGE', '--passphrase-env and --passphrase-prompt are alternatives', 'pass one of them');
  }
  if (!o.passphrasePrompt) return passphraseFrom(io.env, o.passphraseEnv);
  if (opts.needed === false) return undefined;
  const first = await promptHidden(io, `passphrase for ${file}: `);
  if (opts.confirm && (await promptHidden(io, `the same passphrase again: `)) !== first) {
    throw new VaultError('USAGE', 'the two passphrases differ', 'run the command again and type the same passphrase twice');
  }
  return first;
}
