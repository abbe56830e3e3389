import { InvalidArgumentError } from 'commander';
import { VaultError } from '../../errors.js';

/** commander parser for non-negative integers. */
export function parseIntOption(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a non-negative integer, got '${value}'`);
  return Number(value);
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
