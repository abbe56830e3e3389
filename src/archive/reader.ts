/**
 * Archive reader (format v1). Order of checks, each before the next step may run:
 *  1. detached .minisig over the CIPHERTEXT (custody; no key needed)   → SIGNATURE_*
 *  2. its trusted comment (format, tenant)                            → FORMAT_UNSUPPORTED, WRONG_TENANT
 *  3. age header (work factor, identity) — no payload read yet        → WORK_FACTOR_TOO_HIGH, DECRYPT_FAILED, PASSPHRASE_WRONG
 *  4. streaming gunzip → strict tar into a private 0700 staging dir; entry rules and limits
 *     enforced per header, names never used as paths                  → ARCHIVE_UNSAFE_ENTRY, ARCHIVE_LIMIT
 *  5. manifest.sig over manifest.json, manifest hash = trusted comment → SIGNATURE_INVALID, INTEGRITY
 *  6. every entry's size + SHA-256, every listed entry present, end of age stream authenticated
 * Only then is an OpenedArchive returned. Any failure removes staging.
 */
import { createHash, randomInt } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdtemp, open, readFile, rm, chmod, stat, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { VaultError, isVaultError } from '../errors.js';
import type { DirObject, Relation, TenantData } from '../model.js';
import type { RelationKind, ResourceType } from '../catalog/types.js';
import { loadIdentity, openAgeDecryption } from '../crypto/age.js';
import { loadSigningPublicKey } from '../crypto/keys.js';
import { MAX_SIGNATURE_FILE_BYTES, parseSignature, verifyParsed, type MinisignPublicKey } from '../crypto/minisign.js';
import { parseJsonObject } from '../json.js';
import { readTar, tarTypeName, type TarEntrySink } from './tar-read.js';
import { ENTRY_NAME, parseTrustedComment, validateManifest, type Manifest, type TrustedComment } from './manifest.js';

export interface ArchiveLimits {
  /** Entries in the tar (incl. manifest.json and manifest.sig). */
  maxEntries: number;
  maxEntryBytes: number;
  /** Total decompressed tar bytes. */
  maxTotalBytes: number;
  maxManifestBytes: number;
  /** Longest JSON line in an objects/relations entry. */
  maxLineBytes: number;
}

export const DEFAULT_LIMITS: ArchiveLimits = {
  maxEntries: 1_000,
  maxEntryBytes: 8 * 1024 ** 3,
  maxTotalBytes: 32 * 1024 ** 3,
  maxManifestBytes: 16 * 1024 ** 2,
  maxLineBytes: 16 * 1024 ** 2,
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
  /** Verify only a subset of data entries (verify --read-data sampled); others are drained, not stored. */
  sample?: (path: string, manifest: Manifest) => boolean;
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
    const s = handle.createReadStream({ start: 0, autoClose: false });
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

function mapStreamError(e: unknown): VaultError {
  if (isVaultError(e)) return e;
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(err?.message ?? '')) {
    return new VaultError('TRUNCATED', 'compressed stream ends early');
  }
  if (typeof err?.code === 'string' && err.code.startsWith('Z_')) return new VaultError('ARCHIVE_MALFORMED', 'compressed stream is corrupt');
  return new VaultError('ARCHIVE_MALFORMED', `archive could not be read: ${String(err?.message ?? e).split('\n')[0]}`);
}

/** Count decompressed bytes and stop at the total limit (bomb defence before tar parsing). */
async function* limited(src: AsyncIterable<Buffer>, max: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const c of src) {
    total += c.length;
    if (total > max) throw new VaultError('ARCHIVE_LIMIT', `archive expands beyond ${max} bytes`);
    yield c;
  }
}

function checkName(name: string): void {
  const unsafe = (why: string) => new VaultError('ARCHIVE_UNSAFE_ENTRY', `unsafe tar entry ${JSON.stringify(name.slice(0, 120))}: ${why}`);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw unsafe('absolute path');
  if (name.split(/[/\\]/).some((p) => p === '..')) throw unsafe('path traversal');
  if (name.includes('\\')) throw unsafe('backslash in name');
  if (name.normalize('NFC') !== name) throw unsafe('name is not Unicode NFC');
  if (!ENTRY_NAME.test(name)) throw unsafe('not an archive v1 entry name');
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
    let override: { reason: string; problem: string } | undefined;
    const overridable = (e: unknown): e is VaultError =>
      opts.allowBadSignature !== undefined && opts.allowBadSignature.reason.trim() !== '' &&
      (isVaultError(e, 'SIGNATURE_INVALID') || isVaultError(e, 'SIGNATURE_MISSING'));
    let tc: TrustedComment | undefined;
    try {
      tc = (await verifyCustody(archivePath, { signerPublicKey: key, expectedTenantId: opts.expectedTenantId }, fh)).trustedComment;
    } catch (e) {
      if (!overridable(e)) throw e;
      override = { reason: opts.allowBadSignature!.reason, problem: `${e.code}: ${e.message}` };
    }
    const identities = await loadIdentity(opts.identity, opts.passphrase);
    staging = await mkdtemp(join(opts.stagingParent ?? tmpdir(), 'entra-vault-staging-'));
    await chmod(staging, 0o700);
    const stagingDir = staging;

    const cipher: ReadStream = fh.createReadStream({ start: 0, autoClose: false, highWaterMark: 64 * 1024 });
    const { payload } = await openAgeDecryption(cipher as AsyncIterable<Buffer>, { identities });

    let index = 0;
    let manifestBuf: Buffer[] = [];
    let manifestBytes: Buffer | undefined;
    let manifest: Manifest | undefined;
    let manifestSha256 = '';
    const listed = new Map<string, { size: number; sha256: string }>();
    const seen = new Set<string>();
    const stagedFiles = new Map<string, string>();
    let checked = 0;

    const onEntry = async (h: { name: string; size: number; typeflag: string }): Promise<TarEntrySink> => {
      index++;
      if (index > limits.maxEntries) throw new VaultError('ARCHIVE_LIMIT', `archive has more than ${limits.maxEntries} entries`);
      if (h.typeflag !== '0') {
        throw new VaultError('ARCHIVE_UNSAFE_ENTRY', `tar entry ${JSON.stringify(h.name.slice(0, 120))} is a ${tarTypeName(h.typeflag)}; only regular files are accepted`);
      }
      checkName(h.name);
      const folded = h.name.normalize('NFC').toLowerCase();
      if (seen.has(folded)) throw new VaultError('ARCHIVE_UNSAFE_ENTRY', `duplicate or case-colliding tar entry ${JSON.stringify(h.name)}`);
      seen.add(folded);
      if (index === 1) {
        if (h.name !== 'manifest.json') throw new VaultError('ARCHIVE_MALFORMED', 'first tar entry must be manifest.json');
        if (h.size > limits.maxManifestBytes) throw new VaultError('ARCHIVE_LIMIT', `manifest.json is larger than ${limits.maxManifestBytes} bytes`);
        return { write: (c) => void manifestBuf.push(Buffer.from(c)), end: () => void (manifestBytes = Buffer.concat(manifestBuf)) };
      }
      if (index === 2) {
        if (h.name !== 'manifest.sig') throw new VaultError('ARCHIVE_MALFORMED', 'second tar entry must be manifest.sig');
        if (h.size > MAX_SIGNATURE_FILE_BYTES) throw new VaultError('ARCHIVE_LIMIT', 'manifest.sig is too large');
        const parts: Buffer[] = [];
        return {
          write: (c) => void parts.push(Buffer.from(c)),
          end: () => {
            const mb = manifestBytes!;
            manifestSha256 = createHash('sha256').update(mb).digest('hex');
            let signed = true;
            try {
              const parsed = parseSignature(Buffer.concat(parts).toString('utf8'));
              const text = verifyParsed(key, createHash('blake2b512').update(mb).digest(), parsed);
              parseAndEcho(text);
            } catch (e) {
              if (override === undefined || !overridable(e)) throw e;
              signed = false;
            }
            if (tc !== undefined && manifestSha256 !== tc.manifestSha256) {
              throw new VaultError('INTEGRITY', 'manifest hash does not match the signed archive signature');
            }
            const obj = parseJsonObject(mb.toString('utf8'));
            if (obj === null) throw new VaultError('ARCHIVE_MALFORMED', 'manifest.json is not a JSON object');
            manifest = validateManifest(obj);
            if (tc !== undefined && (manifest.tenantId !== tc.tenantId || manifest.takenAt !== tc.takenAt || manifest.sequence !== tc.sequence)) {
              throw new VaultError('INTEGRITY', 'manifest tenant/time/sequence differ from the signed trusted comment');
            }
            if (!signed || tc === undefined) {
              // unsigned content still names its tenant: a wrong tenant is never overridden
              if (opts.expectedTenantId !== undefined && manifest.tenantId !== opts.expectedTenantId) {
                throw new VaultError('WRONG_TENANT', `archive is of tenant ${manifest.tenantId}, expected ${opts.expectedTenantId}`);
              }
              tc ??= { tenantId: manifest.tenantId, takenAt: manifest.takenAt, sequence: manifest.sequence, manifestSha256 };
            }
            for (const e of manifest.entries) listed.set(e.path, { size: e.size, sha256: e.sha256 });
            manifestBuf = [];
          },
        };
      }
      const want = listed.get(h.name);
      if (want === undefined) throw new VaultError('ARCHIVE_UNSAFE_ENTRY', `tar entry ${JSON.stringify(h.name)} is not listed in the signed manifest`);
      if (h.size > limits.maxEntryBytes) throw new VaultError('ARCHIVE_LIMIT', `entry ${h.name} is larger than ${limits.maxEntryBytes} bytes`);
      if (h.size !== want.size) throw new VaultError('INTEGRITY', `entry ${h.name} size differs from the manifest`);
      const store = opts.sample === undefined || opts.sample(h.name, manifest!);
      const hash = createHash('sha256');
      let line = 0;
      let out: FileHandle | undefined;
      if (store) {
        const file = join(stagingDir, `e${index}.jsonl`);
        out = await open(file, 'wx', 0o600);
        stagedFiles.set(h.name, file);
      }
      return {
        async write(c) {
          let i = c.indexOf(0x0a);
          let from = 0;
          while (i >= 0) {
            if (line + (i - from) > limits.maxLineBytes) throw new VaultError('ARCHIVE_LIMIT', `a line in ${h.name} is longer than ${limits.maxLineBytes} bytes`);
            line = 0;
            from = i + 1;
            i = c.indexOf(0x0a, from);
          }
          line += c.length - from;
          if (line > limits.maxLineBytes) throw new VaultError('ARCHIVE_LIMIT', `a line in ${h.name} is longer than ${limits.maxLineBytes} bytes`);
          if (store) {
            hash.update(c);
            await out!.write(c);
          }
        },
        async end() {
          if (out) await out.close();
          if (store) {
            if (hash.digest('hex') !== want.sha256) throw new VaultError('INTEGRITY', `entry ${h.name} does not match its manifest SHA-256`);
            checked++;
          }
          listed.delete(h.name);
        },
      };
    };

    await readTar(limited(Readable.from(payload).pipe(createGunzip()) as AsyncIterable<Buffer>, limits.maxTotalBytes), onEntry).catch((e: unknown) => {
      throw mapStreamError(e);
    });
    if (manifest === undefined) throw new VaultError('ARCHIVE_MALFORMED', 'archive has no signed manifest');
    if (listed.size > 0) throw new VaultError('INTEGRITY', `entry ${[...listed.keys()][0]} listed in the manifest is missing`);
    await fh.close();
    const m: Manifest = manifest;

    async function* lines(file: string | undefined): AsyncGenerator<{ [key: string]: unknown }> {
      if (file === undefined) return;
      const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
      for await (const l of rl) {
        if (l.length === 0) continue;
        const o = parseJsonObject(l);
        if (o === null) throw new VaultError('ARCHIVE_MALFORMED', 'archive entry line is not a JSON object');
        yield o;
      }
    }
    const fileFor = (p: string) => {
      if (opts.sample !== undefined && !stagedFiles.has(p) && listedPath(m, p)) {
        throw new VaultError('USAGE', `entry ${p} was not staged (sampled verification)`);
      }
      return stagedFiles.get(p);
    };
    const opened: OpenedArchive = {
      path: archivePath,
      manifest: m,
      manifestSha256,
      trustedComment: tc!,
      ...(override ? { signatureOverride: override } : {}),
      entriesChecked: checked,
      stagingDir,
      async *objects(type) {
        for await (const o of lines(fileFor(`objects/${type}.jsonl`))) {
          if (typeof o.id !== 'string') throw new VaultError('ARCHIVE_MALFORMED', `object in objects/${type}.jsonl has no id`);
          yield o as DirObject;
        }
      },
      async *relations(kind) {
        for await (const o of lines(fileFor(`relations/${kind}.jsonl`))) {
          if (typeof o.from !== 'string' || typeof o.to !== 'string' || o.kind !== kind || typeof o.toType !== 'string') {
            throw new VaultError('ARCHIVE_MALFORMED', `malformed relation in relations/${kind}.jsonl`);
          }
          yield o as unknown as Relation;
        }
      },
      async loadTenantData() {
        const data: TenantData = { tenantId: m.tenantId, initialDomain: m.initialDomain, objects: {}, relations: {} };
        for (const t of Object.keys(m.counts.objects) as ResourceType[]) {
          const arr: DirObject[] = [];
          for await (const o of opened.objects(t)) arr.push(o);
          data.objects[t] = arr;
        }
        for (const k of Object.keys(m.counts.relations) as RelationKind[]) {
          const arr: Relation[] = [];
          for await (const r of opened.relations(k)) arr.push(r);
          data.relations[k] = arr;
        }
        return data;
      },
      async close() {
        await rm(stagingDir, { recursive: true, force: true });
      },
    };
    return opened;
  } catch (e) {
    await fh.close().catch(() => undefined);
    if (staging !== undefined) await rm(staging, { recursive: true, force: true });
    throw mapStreamError(e);
  }
}

function listedPath(m: Manifest, p: string): boolean {
  return m.entries.some((e) => e.path === p);
}

/** The inner manifest.sig must carry the same trusted comment format as the outer one. */
function parseAndEcho(text: string): string {
  parseTrustedComment(text);
  return text;
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
  const custody = await verifyCustody(archivePath, opts);
  const tc = custody.trustedComment;
  if (opts.identity === undefined || !opts.readData) {
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
  const opened = await openArchive(archivePath, { ...opts, sample });
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
