import { InvalidArgumentError } from 'commander';
import { VaultError } from '../../errors.js';

/** commander parser for non-negative integers. */
export function parseIntOption(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a non-negative integer, got '${value}'`);
  return Number(value);
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
