import { loadIdentity } from '../../crypto/index.js';
import { writeFileAtomic } from '../../fs/atomic.js';
import { readCredentialsFile, type TemporaryCredential } from '../../restore/credentials.js';
import { VaultError } from '../../errors.js';
import { visibleText } from '../../text.js';
import type { CliIo } from '../io.js';
import { writeLine } from '../io.js';
import { passphraseOf } from './options.js';

/** `credentials show|export` options (issue 16). */
export interface CredentialsOpts {
  identity: string;
  passphraseEnv?: string;
  passphrasePrompt?: boolean;
  out?: string;
}

async function read(file: string, o: CredentialsOpts, io: CliIo): Promise<TemporaryCredential[]> {
  const identities = await loadIdentity(o.identity, await passphraseOf(io, o, o.identity));
  return readCredentialsFile(file, identities);
}

/**
 * Prints a restore's temporary passwords, to a terminal only: secrets never go to a pipe, a
 * file or a log by accident (use `export` for a file). Decrypts with entra-vault's own age
 * implementation, so the default post-quantum identities work where Debian's age 1.1.1 cannot.
 * @throws VaultError NO_TERMINAL when stdout is not a terminal | the identity and decryption errors
 */
export async function credentialsShowCommand(file: string, o: CredentialsOpts, io: CliIo): Promise<number> {
  if (!io.stdout.isTTY) {
    throw new VaultError('NO_TERMINAL', 'credentials show prints passwords to a terminal only', `use: entra-vault credentials export ${file} --identity ${o.identity} --out FILE (written 0600)`);
  }
  const list = await read(file, o, io);
  const width = Math.max(20, ...list.map((c) => c.userPrincipalName.length));
  for (const c of list) writeLine(io.stdout, `${visibleText(c.userPrincipalName).padEnd(width)}  ${c.temporaryPassword}`);
  writeLine(io.stderr, `${list.length} temporary password(s); each must be changed at first sign-in`);
  return 0;
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Writes a restore's temporary passwords as CSV (userPrincipalName,temporaryPassword) to a new
 * file with mode 0600, for a hand-out tool. Never overwrites; never prints a password.
 * @throws VaultError FILE_EXISTS | the identity and decryption errors
 */
export async function credentialsExportCommand(file: string, o: CredentialsOpts, io: CliIo): Promise<number> {
  const out = o.out as string;
  const list = await read(file, o, io);
  const csv = ['userPrincipalName,temporaryPassword', ...list.map((c) => `${csvCell(c.userPrincipalName)},${csvCell(c.temporaryPassword)}`)].join('\n');
  await writeFileAtomic(out, `${csv}\n`, 0o600);
  writeLine(io.stderr, `${list.length} temporary password(s) written to ${out} (mode 0600); delete it once they are handed out`);
  return 0;
}
