/**
 * Where temporary passwords go (docs/design.md "What Graph cannot give back"): only into a
 * CredentialsSink, whose file implementation age-encrypts to the operator's recipient.
 * Passwords never reach the journal, the reporter, errors or stdout (docs/reliability.md 21).
 *
 * Durability without rewriting (docs/credentials-format.md): every password must be
 * recoverable by the operator the moment its user exists, but re-encrypting the whole
 * age file after every add costs a hybrid post-quantum key encapsulation plus the whole
 * file each time — quadratic, and a fifth of a restore's CPU at 2,000 users. So while a
 * restore runs, entries are appended to a *spool*: one age-encrypted 256-bit key at its
 * head, then one AES-256-GCM record per entry, fsync'd in group commits. `close()` writes
 * the final age file once (temp + fsync + rename) and deletes the spool. A spool left by
 * a crash is turned into its age file by `recoverCredentialSpools` (a resumed restore
 * calls it with the operator identity it already needs).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { open, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import { decryptAgeBytes, encryptAgeBytes } from '../crypto/age.js';
import { VaultError } from '../errors.js';

export interface TemporaryCredential {
  userPrincipalName: string;
  temporaryPassword: string;
}

/**
 * Receives generated credentials. Implementations must never log or print them.
 *
 * The executor adds a password BEFORE the call that sets it (docs/credentials-format.md),
 * so a run killed at any point never leaves a created user whose password is nowhere; when
 * Graph definitely refused that call, it withdraws the entry again.
 */
export interface CredentialsSink {
  /** Resolves once the credential is durable (recoverable after a crash). */
  add(credential: TemporaryCredential): Promise<void>;
  /** Withdraws the newest entry of this user (its creation was refused); durable like add. */
  withdraw(userPrincipalName: string): Promise<void>;
  /** Flushes and releases; later adds are refused. */
  close(): Promise<void>;
}

export interface EncryptedCredentialsFile extends CredentialsSink {
  /** The file actually written (a free `<path>.<n>` when `path` already existed). */
  readonly path: string;
  /** Number of credentials written so far (a count, never the values). */
  count(): number;
}

/** First line of a spool file (docs/credentials-format.md). */
export const SPOOL_MAGIC = 'entra-vault-credentials-spool/v1\n';
/** Suffix of the spool next to its final file. */
export const SPOOL_SUFFIX = '.spool';
const RECORD_AAD = Buffer.from('entra-vault-credentials-record');
/** An entry is a UPN and a 20-character password: anything near this is not one. */
const MAX_RECORD = 64 * 1024;

/** A spool record: a credential, or the withdrawal of a user's newest one. */
type SpoolEntry = TemporaryCredential | { userPrincipalName: string; withdrawn: true };

/**
 * The credentials the records leave standing: each withdrawal removes its user's newest
 * entry, and of several entries for one user the last is kept (a create attempted again
 * after an unknown outcome: the later password is the one set).
 */
function effective(records: readonly SpoolEntry[]): TemporaryCredential[] {
  const latest = new Map<string, TemporaryCredential>();
  for (const c of standing(records)) {
    latest.delete(c.userPrincipalName);
    latest.set(c.userPrincipalName, c);
  }
  return [...latest.values()];
}

function standing(records: readonly SpoolEntry[]): TemporaryCredential[] {
  const out: TemporaryCredential[] = [];
  for (const r of records) {
    if ('withdrawn' in r) {
      for (let i = out.length - 1; i >= 0; i--) {
        if (out[i]!.userPrincipalName === r.userPrincipalName) {
          out.splice(i, 1);
          break;
        }
      }
    } else {
      out.push(r);
    }
  }
  return out;
}

/** The plaintext of the final age file. */
function finalDocument(entries: readonly TemporaryCredential[]): string {
  return JSON.stringify({ format: 'entra-vault-credentials', version: 1, credentials: entries });
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** Record n's nonce: 4 zero bytes and n as a 64-bit big-endian counter (unique under one key). */
function nonceOf(n: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeBigUInt64BE(BigInt(n), 4);
  return b;
}

function sealRecord(key: Buffer, n: number, entry: SpoolEntry): Buffer {
  const c = createCipheriv('aes-256-gcm', key, nonceOf(n));
  c.setAAD(RECORD_AAD);
  const body = Buffer.concat([c.update(JSON.stringify(entry), 'utf8'), c.final(), c.getAuthTag()]);
  return Buffer.concat([u32(body.length), body]);
}

/**
 * A sink that makes each credential durable in `<path>.spool` (encrypted, see the module
 * comment) and, on close, writes `path` (mode 0600) holding age( JSON {credentials:[…]} )
 * encrypted to `recipient`. Plaintext never touches the disk. If `path` or its spool
 * exists (a resumed restore), a new sibling `<path>.<n>` is used so earlier passwords
 * are never overwritten. Nothing is created until the first add.
 * @throws VaultError KEY_INVALID when `recipient` is not an age recipient
 */
export async function createEncryptedCredentialsFile(path: string, recipient: string): Promise<EncryptedCredentialsFile> {
  let keyHeader: Buffer;
  const key = randomBytes(32);
  try {
    // The one key encapsulation of the whole restore: the spool key, to the operator.
    keyHeader = await encryptAgeBytes(key, { recipients: [recipient] });
  } catch {
    throw new VaultError('KEY_INVALID', 'the credentials recipient is not a valid age recipient', 'pass the operator recipient (age1… or age1pq1…), e.g. from keys init recipient.txt');
  }
  let target = path;
  for (let n = 2; existsSync(target) || existsSync(`${target}${SPOOL_SUFFIX}`); n++) target = `${path}.${n}`;
  const spoolPath = `${target}${SPOOL_SUFFIX}`;
  // Only entries not yet in the spool are held; once written, a password lives in the encrypted
  // spool alone until close() reads the spool back for the final file (at 100k users, tens of
  // thousands of passwords otherwise stayed on the heap for the whole restore).
  let pending: SpoolEntry[] = [];
  /** Per user, entries standing after withdrawals (counts only: `count()` never needs a password). */
  const standingPerUser = new Map<string, number>();
  let spool: FileHandle | undefined;
  let written = 0;
  let closed = false;
  let last: Promise<void> = Promise.resolve();
  let next: Promise<void> | undefined;

  /** Appends every entry not yet in the spool, then fsyncs: one group commit. */
  const flush = async () => {
    if (!spool) {
      spool = await open(spoolPath, 'wx', 0o600);
      await spool.write(Buffer.concat([Buffer.from(SPOOL_MAGIC), u32(keyHeader.length), keyHeader]));
    }
    const batch = pending;
    pending = [];
    const records = batch.map((e) => sealRecord(key, written++, e));
    await spool.write(Buffer.concat(records));
    await spool.datasync();
  };

  /** Queues a record; resolves once it is on disk. */
  const append = (entry: SpoolEntry): Promise<void> => {
    if (closed) return Promise.reject(new Error('credentials sink is closed'));
    pending.push(entry);
    const n = standingPerUser.get(entry.userPrincipalName) ?? 0;
    if (!('withdrawn' in entry)) standingPerUser.set(entry.userPrincipalName, n + 1);
    else if (n > 1) standingPerUser.set(entry.userPrincipalName, n - 1);
    else standingPerUser.delete(entry.userPrincipalName);
    // Flushes are serialised; records that arrive while one runs share the next (each
    // resolves only once its own record is on disk).
    if (!next) {
      next = last.then(() => {
        next = undefined;
        return flush();
      });
      last = next;
    }
    return next;
  };

  return {
    path: target,
    count: () => standingPerUser.size,
    add: (credential) => append({ userPrincipalName: credential.userPrincipalName, temporaryPassword: credential.temporaryPassword }),
    withdraw: (userPrincipalName) => append({ userPrincipalName, withdrawn: true }),
    async close() {
      if (closed) return;
      closed = true;
      await last.catch(() => undefined);
      pending = [];
      try {
        if (spool) {
          // the spool holds every entry (a failed flush above leaves it short: the final file is
          // then written from what is durable, and the run has already failed on that flush); a
          // spool that no longer reads back (tampered) is kept, and the error stands
          const standing = effective(spoolRecords(await readFile(spoolPath), key, spoolPath));
          if (standing.length > 0) {
            await writeFileAtomic(target, await encryptAgeBytes(Buffer.from(finalDocument(standing)), { recipients: [recipient] }), 0o600);
          }
          await spool.close();
          await unlink(spoolPath);
        }
      } finally {
        key.fill(0);
      }
    },
  };
}

/**
 * Reads a spool with the operator identity: the credentials left standing after its
 * withdrawals. A torn last record (a crash mid-append) ends the list; a record that fails
 * authentication anywhere else is tampering.
 * @throws VaultError DECRYPT_FAILED (wrong identity) | INTEGRITY (not a spool, or tampered) | TRUNCATED
 */
export async function readCredentialSpool(spoolPath: string, identities: readonly string[]): Promise<TemporaryCredential[]> {
  const buf = await readFile(spoolPath);
  const at = spoolHeader(buf, spoolPath);
  // the age layer's own errors (DECRYPT_FAILED for a wrong identity, INTEGRITY, TRUNCATED) stand
  const key = await decryptAgeBytes(buf.subarray(at.header, at.records), { identities: [...identities] });
  if (key.length !== 32) throw spoolError(spoolPath, 'unexpected key size');
  try {
    return effective(spoolRecords(buf, key, spoolPath));
  } finally {
    key.fill(0);
  }
}

function spoolError(spoolPath: string, why: string): VaultError {
  return new VaultError('INTEGRITY', `credentials spool ${basename(spoolPath)}: ${why}`, 'keep the file; the passwords in it may need resetting');
}

/**
 * Where a spool's key header and its records start.
 * @throws VaultError INTEGRITY when `buf` is not a spool or its header is torn
 */
function spoolHeader(buf: Buffer, spoolPath: string): { header: number; records: number } {
  const magic = Buffer.from(SPOOL_MAGIC);
  if (buf.length < magic.length + 4 || !buf.subarray(0, magic.length).equals(magic)) throw spoolError(spoolPath, 'not a credentials spool');
  const headerLen = buf.readUInt32BE(magic.length);
  const header = magic.length + 4;
  if (headerLen > MAX_RECORD || header + headerLen > buf.length) throw spoolError(spoolPath, 'truncated key header');
  return { header, records: header + headerLen };
}

/**
 * A spool's records, decrypted with its key. A torn last record (a crash mid-append) ends the
 * list; a record that fails authentication anywhere else is tampering.
 * @throws VaultError INTEGRITY (not a spool, or tampered)
 */
function spoolRecords(buf: Buffer, key: Buffer, spoolPath: string): SpoolEntry[] {
  const bad = (why: string) => spoolError(spoolPath, why);
  let at = spoolHeader(buf, spoolPath).records;
  const out: SpoolEntry[] = [];
  for (let n = 0; at < buf.length; n++) {
    if (at + 4 > buf.length) break; // torn length prefix
    const len = buf.readUInt32BE(at);
    if (len < 16 || len > MAX_RECORD) throw bad(`record ${n} has an impossible length`);
    if (at + 4 + len > buf.length) break; // torn record: the crash interrupted this append
    const body = buf.subarray(at + 4, at + 4 + len);
    const d = createDecipheriv('aes-256-gcm', key, nonceOf(n));
    d.setAAD(RECORD_AAD);
    d.setAuthTag(body.subarray(len - 16));
    let text: string;
    try {
      text = Buffer.concat([d.update(body.subarray(0, len - 16)), d.final()]).toString('utf8');
    } catch {
      throw bad(`record ${n} fails authentication`);
    }
    const e = JSON.parse(text) as Partial<TemporaryCredential> & { withdrawn?: unknown };
    if (typeof e.userPrincipalName === 'string' && e.withdrawn === true) out.push({ userPrincipalName: e.userPrincipalName, withdrawn: true });
    else if (typeof e.userPrincipalName !== 'string' || typeof e.temporaryPassword !== 'string') throw bad(`record ${n} is malformed`);
    else out.push({ userPrincipalName: e.userPrincipalName, temporaryPassword: e.temporaryPassword });
    at += 4 + len;
  }
  return out;
}

/**
 * Turns every spool a crashed run left for `path` (`<path>.spool`, `<path>.<n>.spool`)
 * into its final age file encrypted to `recipient`, then deletes the spool. A final file
 * that already exists is never overwritten.
 * Returns the files written and how many credentials each holds (counts, never values).
 * @throws VaultError as readCredentialSpool
 */
export async function recoverCredentialSpools(
  path: string,
  identities: readonly string[],
  recipient: string,
): Promise<{ file: string; credentials: number }[]> {
  const dir = dirname(path);
  const base = basename(path);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const re = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.\\d+)?${SPOOL_SUFFIX.replace('.', '\\.')}$`);
  const out: { file: string; credentials: number }[] = [];
  for (const name of names.filter((n) => re.test(n)).sort()) {
    const spoolPath = join(dir, name);
    const file = spoolPath.slice(0, -SPOOL_SUFFIX.length);
    // Only close() and this function create the final file, and both write every entry
    // before the rename: an existing final file makes its spool redundant.
    if (existsSync(file)) {
      await unlink(spoolPath);
      continue;
    }
    const entries = await readCredentialSpool(spoolPath, identities);
    if (entries.length > 0) await writeFileAtomic(file, await encryptAgeBytes(Buffer.from(finalDocument(entries)), { recipients: [recipient] }), 0o600);
    await unlink(spoolPath);
    out.push({ file, credentials: entries.length });
  }
  return out;
}

/** A sink that holds credentials in memory only (tests, drills that discard them). */
export class MemoryCredentialsSink implements CredentialsSink {
  readonly credentials: TemporaryCredential[] = [];
  async add(credential: TemporaryCredential): Promise<void> {
    this.credentials.push({ ...credential });
  }
  async withdraw(userPrincipalName: string): Promise<void> {
    const kept = effective([...this.credentials, { userPrincipalName, withdrawn: true }]);
    this.credentials.splice(0, this.credentials.length, ...kept);
  }
  async close(): Promise<void> {}
}

/** Final credentials files of earlier runs of one restore: `path`, `path.2`, … (spools excluded), oldest first. */
export function earlierCredentialFiles(path: string): string[] {
  const out: string[] = [];
  if (existsSync(path)) out.push(path);
  for (let n = 2; existsSync(`${path}.${n}`) || existsSync(`${path}.${n}${SPOOL_SUFFIX}`); n++) {
    if (existsSync(`${path}.${n}`)) out.push(`${path}.${n}`);
  }
  return out;
}

/**
 * Reads a final credentials file with the operator identity.
 * @throws VaultError DECRYPT_FAILED (wrong identity) | INTEGRITY (not a credentials file)
 */
export async function readCredentialsFile(file: string, identities: readonly string[]): Promise<TemporaryCredential[]> {
  const doc = JSON.parse((await decryptAgeBytes(await readFile(file), { identities: [...identities] })).toString('utf8')) as { format?: unknown; credentials?: unknown };
  if (doc.format !== 'entra-vault-credentials' || !Array.isArray(doc.credentials)) {
    throw new VaultError('INTEGRITY', `${basename(file)} is not an entra-vault credentials file`, 'keep the file; check it with age -d');
  }
  return (doc.credentials as Partial<TemporaryCredential>[]).filter((c): c is TemporaryCredential => typeof c.userPrincipalName === 'string' && typeof c.temporaryPassword === 'string');
}

/**
 * One restore, one credentials file (docs/credentials-format.md "Resume"): a resumed run
 * copied the earlier files' entries into its own sink first, so once that sink is closed
 * (its file `current` holds everything) the earlier files are removed and `current` takes
 * the restore's name `path`. A crash in between leaves duplicates, never a loss; the next
 * resume merges them again (last entry per user wins).
 * Returns the file that now holds every password of the restore.
 */
export async function consolidateCredentials(path: string, current: string, earlier: readonly string[]): Promise<string> {
  if (!existsSync(current)) return current;
  for (const f of earlier) if (f !== current) await unlink(f);
  if (current !== path) await rename(current, path);
  return path;
}
