/**
 * Where temporary passwords go (DESIGN.md "What Graph cannot give back"): only into a
 * CredentialsSink, whose file implementation age-encrypts to the operator's recipient.
 * Passwords never reach the journal, the reporter, errors or stdout (RELIABILITY 21).
 */
import { existsSync, unlinkSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { Encrypter } from 'age-encryption';
import { VaultError } from '../errors.js';

export interface TemporaryCredential {
  userPrincipalName: string;
  temporaryPassword: string;
}

/** Receives generated credentials. Implementations must never log or print them. */
export interface CredentialsSink {
  add(credential: TemporaryCredential): Promise<void>;
  /** Flushes and releases; later adds are refused. */
  close(): Promise<void>;
}

export interface EncryptedCredentialsFile extends CredentialsSink {
  /** The file actually written (a free `<path>.<n>` when `path` already existed). */
  readonly path: string;
  /** Number of credentials written so far (a count, never the values). */
  count(): number;
}

/**
 * A sink that keeps `path` (mode 0600) holding age( JSON {credentials:[…]} ) encrypted to
 * `recipient`, rewritten atomically (temp file + fsync + rename) after every add so a
 * crash mid-restore still leaves every password handed out so far decryptable by the
 * operator. Plaintext never touches the disk. If `path` exists (a resumed restore), a new
 * sibling `<path>.<n>` is used so earlier passwords are never overwritten.
 * @throws VaultError KEY_INVALID when `recipient` is not an age recipient
 */
export async function createEncryptedCredentialsFile(path: string, recipient: string): Promise<EncryptedCredentialsFile> {
  try {
    new Encrypter().addRecipient(recipient);
  } catch {
    throw new VaultError('KEY_INVALID', 'the credentials recipient is not a valid age recipient', 'pass the operator recipient (age1… or age1pq1…), e.g. from keys init recipient.txt');
  }
  let target = path;
  for (let n = 2; existsSync(target); n++) target = `${path}.${n}`;
  const entries: TemporaryCredential[] = [];
  let closed = false;
  let last: Promise<void> = Promise.resolve();
  let next: Promise<void> | undefined;

  const flush = async () => {
    const e = new Encrypter();
    e.addRecipient(recipient);
    const ct = await e.encrypt(JSON.stringify({ format: 'entra-vault-credentials', version: 1, credentials: entries }));
    const tmp = `${target}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(ct);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  };

  return {
    path: target,
    count: () => entries.length,
    add(credential) {
      if (closed) return Promise.reject(new Error('credentials sink is closed'));
      entries.push({ userPrincipalName: credential.userPrincipalName, temporaryPassword: credential.temporaryPassword });
      // Flushes are serialised so the file always holds a prefix-complete list; adds that
      // arrive while one runs share the next (each resolves only once its own entry is on disk).
      if (!next) {
        next = last.then(() => {
          next = undefined;
          return flush();
        });
        last = next;
      }
      return next;
    },
    async close() {
      closed = true;
      await last;
      if (existsSync(`${target}.tmp`)) unlinkSync(`${target}.tmp`);
    },
  };
}

/** A sink that holds credentials in memory only (tests, drills that discard them). */
export class MemoryCredentialsSink implements CredentialsSink {
  readonly credentials: TemporaryCredential[] = [];
  async add(credential: TemporaryCredential): Promise<void> {
    this.credentials.push({ ...credential });
  }
  async close(): Promise<void> {}
}
