/**
 * Archive reader (format v1). Order of checks, each before the next step may run:
 *  1. detached .minisig over the CIPHERTEXT (custody; no key needed)   → SIGNATURE_*
 *  2. its trusted comment (format, tenant)                            → FORMAT_UNSUPPORTED, WRONG_TENANT
 *  3. age header (work factor, identity) — no payload read yet        → WORK_FACTOR_TOO_HIGH, DECRYPT_FAILED, PASSPHRASE_WRONG
 *  4. streaming gunzip → strict tar into a private 0700 staging dir; entry rules and limits
 *     enforced per header, names never used as paths                  → ARCHIVE_UNSAFE_ENTRY, ARCHIVE_LIMIT
 *  5. manifest.sig over manifest.json, manifest hash = trusted comment → SIGNATURE_INVALID, INTEGRITY
 *  6. every entry's size + SHA-256, every listed entry present, end of age stream authenticated
 * Only then is an OpenedArchive returned. Any failure removes staging. Steps 4–6 are stage.ts.
 */
import { createHash, randomInt } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { VaultError, isVaultError } from '../errors.js';
import type { DirObject, Relation, TenantData } from '../model.js';
import type { RelationKind, ResourceType } from '../catalog/types.js';
import { loadIdentity, openAgeDecryption } from '../crypto/age.js';
import { loadSigningPublicKey } from '../crypto/keys.js';
import { MAX_SIGNATURE_FILE_BYTES, parseSignature, verifyParsed, type MinisignPublicKey } from '../crypto/minisign.js';
import { parseJsonObject } from '../json.js';
import { Interner } from '../intern.js';
import { parseTrustedComment, type Manifest, type TrustedComment } from './manifest.js';
import { mapStreamError, stageArchive, type StagedArchive } from './stage.js';
import { createStaging, removeStaging } from './staging-dir.js';

/** Archive read size: 16 age STREAM chunks of 64 KiB + 16 (age spec, docs/archive-format.md), about 1 MiB. */
const CIPHER_READ_BYTES = 16 * (64 * 1024 + 16);

/**
 * Objects read between two `Interner.forgetValues` in `loadTenantData`: a value many objects repeat
 * (an enum, a licence, the tenant's domain) is then held once per chunk, about a dozen copies at 100k
 * users, where the maps of every distinct value were held to the load's end (src/intern.ts).
 */
const VALUES_CHUNK = 8192;

export interface ArchiveLimits {
  /** Entries in the tar (incl. manifest.json and manifest.sig). */
  maxEntries: number;
  maxEntryBytes: number;
  /** Total decompressed tar bytes. */
  maxTotalBytes: number;
  maxManifestBytes: number;
  /** Longest JSON line in an objects/relations entry. */
  maxLineBytes: number;
  /** Records (lines) over all objects/relations entries. */
  maxRecords: number;
  /** Deepest nesting of objects and arrays in one record. */
  maxDepth: number;
  /** JSON values (objects, arrays, and members/elements after the first) over all entries. */
  maxValues: number;
}

export const DEFAULT_LIMITS: ArchiveLimits = {
  maxEntries: 1_000,
  maxEntryBytes: 8 * 1024 ** 3,
  maxTotalBytes: 32 * 1024 ** 3,
  maxManifestBytes: 16 * 1024 ** 2,
  maxLineBytes: 16 * 1024 ** 2,
  maxRecords: 10_000_000,
  maxDepth: 64,
  maxValues: 2_000_000_000,
};

/**
 * Limits for opening an archive to use its contents (diff, plan, restore), which hold every
 * record in memory at once: the decompressed total and the record count are what bounds
 * the process's memory (docs/archive-format.md §6 "Limits", with the measured budget).
 * `verify --read-data` streams and keeps DEFAULT_LIMITS.
 */
export const USE_LIMITS: ArchiveLimits = {
  ...DEFAULT_LIMITS,
  maxTotalBytes: 512 * 1024 ** 2,
  maxRecords: 2_000_000,
  maxLineBytes: 4 * 1024 ** 2,
  maxValues: 20_000_000,
};

export interface OpenArchiveOptions {
  /** Path of the age identity file. */
  identity?: string;
  /** Passphrase of a passphrase-protected identity file. */
  passphrase?: string;
  /** minisign public key: file path or key text. */
  signerPublicKey: string | MinisignPublicKey;
  expectedTenantId?: string;
  limits?: Partial<ArchiveLimits>;
  /** Parent of the staging dir (default: OS temp dir). */
  stagingParent?: string;
  /**
   * Accept a missing or invalid signature (the signing key was lost, the .minisig went
   * astray). The caller must write the reason to the audit log (see OpenedArchive.
   * signatureOverride). Entry hashes are still checked against the manifest; a wrong
   * tenant is never overridden. Without this option every signature failure is fatal.
   */
  allowBadSignature?: { reason: string };
  /**
   * Called once a signature failure is accepted through `allowBadSignature`, before any byte
   * is decrypted, so that the override is on record even when reading then fails (the caller
   * writes its audit record here). `claimedManifestSha256` is what the failed signature's
   * trusted comment states, unverified; absent when the signature is missing or unparsable.
   * If it throws, nothing is decrypted and its error is thrown.
   */
  onSignatureOverride?: (o: { reason: string; problem: string; claimedManifestSha256?: string }) => Promise<void>;
  /** Verify only a subset of data entries (verify --read-data sampled); others are drained, not stored. */
  sample?: (path: string, manifest: Manifest) => boolean;
  /**
   * Check every (sampled) entry without keeping it: nothing is staged, and reading an entry
   * of the opened archive throws USAGE. For `verify --read-data`.
   */
  verifyOnly?: boolean;
}

export interface OpenedArchive {
  path: string;
  manifest: Manifest;
  manifestSha256: string;
  trustedComment: TrustedComment;
  /** Set when a signature failure was accepted through `allowBadSignature`. */
  signatureOverride?: { reason: string; problem: string };
  /** Data entries whose bytes were re-hashed. */
  entriesChecked: number;
  stagingDir: string;
  objects(type: ResourceType): AsyncIterable<DirObject>;
  relations(kind: RelationKind): AsyncIterable<Relation>;
  /** The records of any listed JSONL entry (e.g. an incremental's `removed/user.jsonl`); none when not listed. */
  records(path: string): AsyncIterable<{ [key: string]: unknown }>;
  /**
   * Every object and relation of a full archive. For an incremental archive this is only the
   * archive's own records: compose the chain (src/archive/compose.ts) to get a tenant.
   */
  loadTenantData(): Promise<TenantData>;
  /** Remove the staging directory. */
  close(): Promise<void>;
}

export interface CustodyResult {
  trustedComment: TrustedComment;
  signatureText: string;
}

async function readSignatureFile(sigPath: string): Promise<string> {
  let st;
  try {
    st = await stat(sigPath);
  } catch {
    throw new VaultError('SIGNATURE_MISSING', `no signature file ${sigPath}`, 'archives without their .minisig are refused; copy it next to the archive');
  }
  if (st.size > MAX_SIGNATURE_FILE_BYTES) throw new VaultError('SIGNATURE_INVALID', 'signature file is too large to be a minisign signature');
  return readFile(sigPath, 'utf8');
}

async function resolveKey(k: string | MinisignPublicKey): Promise<MinisignPublicKey> {
  return typeof k === 'string' ? loadSigningPublicKey(k) : k;
}

/**
 * Custody check: the detached signature over the ciphertext and its trusted comment.
 * Needs no decryption key. Reads the file through `fh` when given (same inode later decrypted).
 * @throws VaultError FILE_NOT_FOUND | SIGNATURE_MISSING | SIGNATURE_INVALID | FORMAT_UNSUPPORTED | WRONG_TENANT
 */
export async function verifyCustody(
  archivePath: string,
  opts: { signerPublicKey: string | MinisignPublicKey; expectedTenantId?: string },
  fh?: FileHandle,
): Promise<CustodyResult> {
  const key = await resolveKey(opts.signerPublicKey);
  const signatureText = await readSignatureFile(`${archivePath}.minisig`);
  const parsed = parseSignature(signatureText);
  const own = fh === undefined;
  let handle: FileHandle;
  try {
    handle = fh ?? (await open(archivePath, 'r'));
  } catch {
    throw new VaultError('FILE_NOT_FOUND', `archive not found: ${archivePath}`);
  }
  try {
    const h = createHash('blake2b512');
    // 1 MiB reads, not the default 64 KiB: a sixteenth of the reads and hash calls over a 45 MB archive
    const s = handle.createReadStream({ start: 0, autoClose: false, highWaterMark: CIPHER_READ_BYTES });
    for await (const c of s) h.update(c as Buffer);
    const text = verifyParsed(key, h.digest(), parsed);
    const tc = parseTrustedComment(text);
    if (opts.expectedTenantId !== undefined && tc.tenantId !== opts.expectedTenantId) {
      throw new VaultError('WRONG_TENANT', `archive is signed for tenant ${tc.tenantId}, expected ${opts.expectedTenantId}`, 'pick an archive of the tenant you are restoring');
    }
    return { trustedComment: tc, signatureText };
  } finally {
    if (own) await handle.close();
  }
}

/**
 * Open an archive: verify, decrypt and stage it (see the module comment for the order).
 * @throws VaultError SIGNATURE_MISSING | SIGNATURE_INVALID | FORMAT_UNSUPPORTED | WRONG_TENANT |
 *   WORK_FACTOR_TOO_HIGH | DECRYPT_FAILED | PASSPHRASE_WRONG | KEY_INVALID | TRUNCATED | INTEGRITY |
 *   ARCHIVE_UNSAFE_ENTRY | ARCHIVE_LIMIT | ARCHIVE_MALFORMED. Never writes outside its staging dir.
 */
export async function openArchive(archivePath: string, opts: OpenArchiveOptions): Promise<OpenedArchive> {
  if (opts.identity === undefined) throw new VaultError('USAGE', 'opening an archive needs --identity', 'pass the identity.txt of one of the archive recipients');
  const limits: ArchiveLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const key = await resolveKey(opts.signerPublicKey);
  let fh: FileHandle;
  try {
    fh = await open(archivePath, 'r');
  } catch {
    throw new VaultError('FILE_NOT_FOUND', `archive not found: ${archivePath}`);
  }
  let staging: string | undefined;
  try {
    // steps 1–2 on the same open file that is decrypted below
    const { trustedComment, override } = await custodyOrOverride(archivePath, key, opts, fh);
    if (override && opts.onSignatureOverride) {
      const claimed = await claimedManifestSha256(archivePath);
      await opts.onSignatureOverride({ ...override, ...(claimed ? { claimedManifestSha256: claimed } : {}) });
    }
    const identities = await loadIdentity(opts.identity, opts.passphrase);
    staging = await createStaging(opts.stagingParent ?? tmpdir());
    // step 3: the age header, before any payload byte
    // 16 whole STREAM chunks (64 KiB + 16-byte tag, src/crypto/age.ts) per read: 64 KiB reads
    // made every chunk span two reads, so each was copied before decryption (issue 17 item 5).
    const cipher: ReadStream = fh.createReadStream({ start: 0, autoClose: false, highWaterMark: CIPHER_READ_BYTES });
    const { payload } = await openAgeDecryption(cipher as AsyncIterable<Buffer>, { identities });
    // steps 4–6
    const staged = await stageArchive(payload, {
      key,
      limits,
      stagingDir: staging,
      expectedTenantId: opts.expectedTenantId,
      trustedComment,
      signatureOverridden: override !== undefined,
      sample: opts.sample,
      store: !opts.verifyOnly,
    });
    await fh.close();
    return openedView(archivePath, staging, staged, override, opts.sample !== undefined || opts.verifyOnly === true);
  } catch (e) {
    await fh.close().catch(() => undefined);
    if (staging !== undefined) await removeStaging(staging);
    throw mapStreamError(e);
  }
}

/**
 * The custody check, or — when the caller allows it with a non-empty reason — the
 * accepted signature failure (the caller audits it). Anything else is thrown.
 */
async function custodyOrOverride(
  archivePath: string,
  key: MinisignPublicKey,
  opts: OpenArchiveOptions,
  fh: FileHandle,
): Promise<{ trustedComment?: TrustedComment; override?: { reason: string; problem: string } }> {
  try {
    return { trustedComment: (await verifyCustody(archivePath, { signerPublicKey: key, expectedTenantId: opts.expectedTenantId }, fh)).trustedComment };
  } catch (e) {
    const reason = opts.allowBadSignature?.reason;
    const overridable = reason !== undefined && reason.trim() !== '' && (isVaultError(e, 'SIGNATURE_INVALID') || isVaultError(e, 'SIGNATURE_MISSING'));
    if (!overridable) throw e;
    return { override: { reason, problem: `${e.code}: ${e.message}` } };
  }
}

/** The manifest hash a (failed) signature's trusted comment states, if it can be read at all. */
async function claimedManifestSha256(archivePath: string): Promise<string | undefined> {
  try {
    return parseTrustedComment(parseSignature(await readSignatureFile(`${archivePath}.minisig`)).trustedComment).manifestSha256;
  } catch {
    return undefined;
  }
}

async function* jsonLines(file: string | undefined): AsyncGenerator<{ [key: string]: unknown }> {
  if (file === undefined) return;
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const l of rl) {
    if (l.length === 0) continue;
    const o = parseJsonObject(l);
    if (o === null) throw new VaultError('ARCHIVE_MALFORMED', 'archive entry line is not a JSON object');
    yield o;
  }
}

/** The OpenedArchive over a staged archive: reads staged entries back, checking each line's shape. */
function openedView(archivePath: string, stagingDir: string, staged: StagedArchive, override: { reason: string; problem: string } | undefined, partial: boolean): OpenedArchive {
  const m = staged.manifest;
  const fileFor = (p: string) => {
    if (partial && !staged.stagedFiles.has(p) && listedPath(m, p)) {
      throw new VaultError('USAGE', `entry ${p} was not staged (sampled or verify-only read)`);
    }
    return staged.stagedFiles.get(p);
  };
  const opened: OpenedArchive = {
    path: archivePath,
    manifest: m,
    manifestSha256: staged.manifestSha256,
    trustedComment: staged.trustedComment,
    ...(override ? { signatureOverride: override } : {}),
    entriesChecked: staged.entriesChecked,
    stagingDir,
    async *objects(type) {
      for await (const o of jsonLines(fileFor(`objects/${type}.jsonl`))) {
        if (typeof o.id !== 'string') throw new VaultError('ARCHIVE_MALFORMED', `object in objects/${type}.jsonl has no id`);
        yield o as DirObject;
      }
    },
    async *relations(kind) {
      for await (const o of jsonLines(fileFor(`relations/${kind}.jsonl`))) {
        if (typeof o.from !== 'string' || typeof o.to !== 'string' || o.kind !== kind || typeof o.toType !== 'string') {
          throw new VaultError('ARCHIVE_MALFORMED', `malformed relation in relations/${kind}.jsonl`);
        }
        yield o as unknown as Relation;
      }
    },
    records(path) {
      return jsonLines(fileFor(path));
    },
    async loadTenantData() {
      const data: TenantData = { tenantId: m.tenantId, initialDomain: m.initialDomain, objects: {}, relations: {} };
      // each id held once, however many objects and edges name it (src/intern.ts)
      const ids = new Interner();
      let read = 0;
      for (const t of Object.keys(m.counts.objects) as ResourceType[]) {
        const arr: DirObject[] = [];
        for await (const o of opened.objects(t)) {
          arr.push(ids.values(o));
          // ids are shared across the whole archive; other values within chunks of objects (src/intern.ts forgetValues)
          if (++read % VALUES_CHUNK === 0) ids.forgetValues();
        }
        data.objects[t] = arr;
      }
      for (const k of Object.keys(m.counts.relations) as RelationKind[]) {
        const arr: Relation[] = [];
        for await (const r of opened.relations(k)) arr.push(ids.values(r));
        data.relations[k] = arr;
      }
      return data;
    },
    async close() {
      await removeStaging(stagingDir);
    },
  };
  return opened;
}

function listedPath(m: Manifest, p: string): boolean {
  return m.entries.some((e) => e.path === p);
}

export interface VerifyReport {
  signatureValid: boolean;
  tenantId: string;
  takenAt: string;
  sequence: number;
  manifestSha256: string;
  /** Data entries re-hashed (0 for a custody-only check). */
  entriesChecked: number;
  entriesTotal: number;
  /** entriesChecked / entriesTotal (1 when there are none and data was read). */
  coverage: number;
  mode: 'custody' | 'full' | 'sampled';
}

/**
 * `entra-vault verify`. Without identity: custody only (signature over the ciphertext +
 * trusted comment). With identity and readData: decrypt, check every signature and
 * re-hash every entry (or a random sample of `sample` entries, reporting coverage).
 * @throws VaultError as openArchive / verifyCustody
 */
export async function verifyArchive(
  archivePath: string,
  opts: { signerPublicKey: string | MinisignPublicKey; identity?: string; passphrase?: string; expectedTenantId?: string; readData?: boolean | { sample: number }; limits?: Partial<ArchiveLimits>; stagingParent?: string },
): Promise<VerifyReport> {
  if (opts.identity === undefined || !opts.readData) {
    const tc = (await verifyCustody(archivePath, opts)).trustedComment;
    return { signatureValid: true, tenantId: tc.tenantId, takenAt: tc.takenAt, sequence: tc.sequence, manifestSha256: tc.manifestSha256, entriesChecked: 0, entriesTotal: 0, coverage: 0, mode: 'custody' };
  }
  let sample: ((p: string, m: Manifest) => boolean) | undefined;
  let mode: VerifyReport['mode'] = 'full';
  if (typeof opts.readData === 'object') {
    mode = 'sampled';
    const n = Math.max(0, Math.floor(opts.readData.sample));
    let chosen: Set<string> | undefined;
    // The signed manifest arrives first, so the sample is drawn from its full entry list.
    sample = (p, m) => {
      if (chosen === undefined) {
        const paths = m.entries.map((e) => e.path);
        for (let i = paths.length - 1; i > 0; i--) {
          const j = randomInt(i + 1);
          [paths[i], paths[j]] = [paths[j]!, paths[i]!];
        }
        chosen = new Set(paths.slice(0, n));
      }
      return chosen.has(p);
    };
  }
  // openArchive checks custody itself, first, on the file it then decrypts: a second pass
  // here hashed the whole ciphertext twice (BLAKE2b-512, 45 MB at 100k users).
  const opened = await openArchive(archivePath, { ...opts, sample, verifyOnly: true });
  const tc = opened.trustedComment;
  try {
    const total = opened.manifest.entries.length;
    return {
      signatureValid: true,
      tenantId: tc.tenantId,
      takenAt: tc.takenAt,
      sequence: tc.sequence,
      manifestSha256: opened.manifestSha256,
      entriesChecked: opened.entriesChecked,
      entriesTotal: total,
      coverage: total === 0 ? 1 : opened.entriesChecked / total,
      mode,
    };
  } finally {
    await opened.close();
  }
}
