/**
 * Archive writer (format v1). The backup engine adds objects and relations in any order;
 * they are spooled encrypted (spool.ts) and written sorted at finish():
 *   tar (deterministic) → gzip (fixed header) → age → <tenant>/<UTC>.evault
 * then the detached minisign signature over the ciphertext. Publication order is
 * ciphertext temp → fsync → rename → fsync dir → signature temp → fsync → rename →
 * fsync dir, so a signature never names missing or partial data (docs/reliability.md 10).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createGzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { VaultError } from '../errors.js';
import type { DirObject, Json, Relation, SnapshotWarning } from '../model.js';
import type { ResourceType } from '../catalog/types.js';
import { encryptAgeStream, parseRecipients } from '../crypto/age.js';
import { signPrehashed, type MinisignSecretKey } from '../crypto/minisign.js';
import { canonicalJson } from '../json.js';
import { cleanupStaleTemps, openTemp, publishTemp } from '../fs/atomic.js';
import { EncryptedSpool } from './spool.js';
import {
  ARCHIVE_EXTENSION,
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  INCREMENTAL_FORMAT,
  SIGNATURE_EXTENSION,
  TYPE_NAME,
  assertSafeTenantId,
  formatTrustedComment,
  timestampName,
  type ChainLink,
  type ChangePrefix,
  type Manifest,
  type ManifestEntry,
} from './manifest.js';

export interface ArchiveWriterOptions {
  /** Vault or staging directory; the archive goes to `<outDir>/<tenantId>/`. */
  outDir: string;
  tenantId: string;
  initialDomain: string;
  takenAt: Date;
  recipients: readonly string[];
  signingKey: MinisignSecretKey;
  toolVersion: string;
  catalogHash: string;
  /** Defaults to takenAt in ms since the epoch. */
  sequence?: number;
  /** Where the encrypted spool lives (default: the OS temp dir). */
  spoolParent?: string;
  /**
   * Write an incremental archive linked to this parent (docs/archive-format.md §12): the
   * manifest and both trusted comments name the parent's manifest hash and the chain index.
   * Called at finish(), when the walk knows which types and kinds it read (the link's modes).
   */
  chain?: () => ChainLink;
}

export interface FinishedArchive {
  archivePath: string;
  signaturePath: string;
  manifestSha256: string;
  counts: Manifest['counts'];
  /** Ciphertext size. */
  bytes: number;
}

export interface ArchiveWriter {
  addObject(type: ResourceType, obj: DirObject): Promise<void>;
  addRelation(rel: Relation): Promise<void>;
  addWarning(w: SnapshotWarning): void;
  /**
   * A change record of an incremental archive: `removed/<type>` `{id, reason}`,
   * `unrelations/<kind>` (an edge), `resets/<kind>` `{from}`.
   * @throws VaultError USAGE on a full archive's writer
   */
  addChange(prefix: ChangePrefix, name: string, sortKey: string, record: Record<string, Json>): Promise<void>;
  finish(): Promise<FinishedArchive>;
  /** Drop everything written so far (spool and temps). Safe to call twice. */
  abort(): Promise<void>;
}

const NL = Buffer.from('\n');
/** Fixed tar header fields (determinism): mode 0644, mtime 0, uid/gid 0, no user names. */
const TAR_FIXED = { mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '', type: 'file' as const };

async function writeTo(stream: NodeJS.WritableStream, buf: Buffer): Promise<void> {
  if (!stream.write(buf)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
}

/**
 * Build the deterministic tar|gzip plaintext for a manifest + spool.
 * Its bytes are pinned by the writer vector (test/archive/writer-vector.test.ts).
 */
function tarGzip(entries: TarEntry[]): NodeJS.ReadableStream {
  const pack = tar.pack();
  const gzip = createGzip({ level: 6 });
  const out = new PassThrough();
  pack.pipe(gzip).pipe(out);
  pack.on('error', (e: Error) => out.destroy(e));
  gzip.on('error', (e: Error) => out.destroy(e));
  void (async () => {
    try {
      for (const e of entries) {
        let entry: NodeJS.WritableStream | undefined;
        const done = new Promise<void>((resolve, reject) => {
          entry = pack.entry({ ...TAR_FIXED, name: e.name, size: e.size }, (err) => (err ? reject(err) : resolve())) as unknown as NodeJS.WritableStream;
        });
        for (const c of e.chunks()) await writeTo(entry!, c);
        entry!.end();
        await done;
      }
      pack.finalize();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return out;
}

/**
 * Start an archive. Cleans stale temps of killed writers in the tenant directory first.
 * @throws VaultError USAGE (bad tenant id) | KEY_INVALID (bad recipient)
 */
export async function createArchiveWriter(opts: ArchiveWriterOptions): Promise<ArchiveWriter> {
  assertSafeTenantId(opts.tenantId);
  const recipients = parseRecipients(opts.recipients);
  const tenantDir = join(opts.outDir, opts.tenantId);
  await mkdir(tenantDir, { recursive: true, mode: 0o750 });
  await cleanupStaleTemps(tenantDir);
  const spoolParent = opts.spoolParent ?? tmpdir();
  await cleanupStaleTemps(spoolParent).catch(() => []);
  const spool = new EncryptedSpool(join(spoolParent, `.entra-vault-spool.tmp-${process.pid}-${randomBytes(6).toString('hex')}`));
  const takenAt = opts.takenAt.toISOString();
  const sequence = opts.sequence ?? opts.takenAt.getTime();
  const warnings: SnapshotWarning[] = [];
  let state: 'open' | 'finishing' | 'closed' = 'open';
  const temps: string[] = [];

  const ensureOpen = () => {
    if (state !== 'open') throw new VaultError('USAGE', 'archive writer is already finished or aborted');
  };
  const checkName = (n: string, what: string) => {
    if (!TYPE_NAME.test(n)) throw new VaultError('USAGE', `invalid ${what} name for an archive entry`);
  };

  const abort = async () => {
    state = 'closed';
    spool.destroy();
    for (const t of temps) await rm(t, { force: true });
  };

  return {
    async addObject(type, obj) {
      ensureOpen();
      checkName(type, 'type');
      if (typeof obj.id !== 'string' || obj.id.length === 0) throw new VaultError('USAGE', `object of type ${type} has no id`);
      spool.append(`objects/${type}.jsonl`, obj.id, Buffer.from(canonicalJson(obj)));
    },
    async addRelation(rel) {
      ensureOpen();
      checkName(rel.kind, 'relation kind');
      spool.append(`relations/${rel.kind}.jsonl`, `${rel.from}\u0000${rel.to}`, Buffer.from(canonicalJson({ from: rel.from, kind: rel.kind, to: rel.to, toType: rel.toType })));
    },
    addWarning(w) {
      ensureOpen();
      warnings.push({ ...w });
    },
    async addChange(prefix, name, sortKey, record) {
      ensureOpen();
      if (!opts.chain) throw new VaultError('USAGE', 'change records belong to an incremental archive');
      checkName(name, prefix);
      spool.append(`${prefix}/${name}.jsonl`, sortKey, Buffer.from(canonicalJson(record)));
    },
    abort,
    async finish() {
      ensureOpen();
      state = 'finishing';
      try {
        const { entries, counts } = indexEntries(spool);
        const chain = opts.chain?.();
        const manifest: Manifest = {
          format: chain ? INCREMENTAL_FORMAT : ARCHIVE_FORMAT,
          version: ARCHIVE_VERSION,
          tenantId: opts.tenantId,
          initialDomain: opts.initialDomain,
          takenAt,
          sequence,
          toolVersion: opts.toolVersion,
          catalogHash: opts.catalogHash,
          counts,
          entries,
          warnings: [...warnings].sort((a, b) => canonicalJson(a).localeCompare(canonicalJson(b))),
          ...(chain ? { chain } : {}),
        };
        const signed = signManifest(manifest, opts.signingKey);
        const base = `${timestampName(takenAt)}`;
        const archivePath = join(tenantDir, `${base}${ARCHIVE_EXTENSION}`);
        const signaturePath = join(tenantDir, `${base}${SIGNATURE_EXTENSION}`);
        const { blake2b, bytes } = await publishCiphertext(tarEntriesOf(signed, entries, spool), recipients, archivePath, temps);
        const sigText = signPrehashed(opts.signingKey, blake2b, signed.comment, `entra-vault archive ${opts.tenantId} ${takenAt}`);
        await publishSmallFile(signaturePath, sigText, temps);
        state = 'closed';
        spool.destroy();
        return { archivePath, signaturePath, manifestSha256: signed.manifestSha256, counts, bytes };
      } catch (e) {
        await abort();
        throw e;
      }
    },
  };
}

/** Pass 1: size and SHA-256 of every entry, in the order they will be written, and the counts. */
function indexEntries(spool: EncryptedSpool): { entries: ManifestEntry[]; counts: Manifest['counts'] } {
  const entries: ManifestEntry[] = [];
  const counts: Manifest['counts'] = { objects: {}, relations: {} };
  for (const p of spool.entries().sort()) {
    const h = createHash('sha256');
    let size = 0;
    for (const rec of spool.sorted(p)) {
      h.update(rec).update(NL);
      size += rec.length + 1;
    }
    entries.push({ path: p, size, sha256: h.digest('hex') });
    // change entries (removed/, unrelations/, resets/) are listed with their sizes, not counted
    const m = /^(objects|relations)\/(.+)\.jsonl$/.exec(p);
    if (m) (counts[m[1] as 'objects' | 'relations'] as Record<string, number>)[m[2]!] = spool.count(p);
  }
  return { entries, counts };
}

interface SignedManifest {
  manifestBytes: Buffer;
  manifestSha256: string;
  /** The trusted comment both signatures carry (it names the manifest hash). */
  comment: string;
  manifestSig: Buffer;
}

/** Canonical manifest bytes, their hash, and the manifest's own signature (manifest.sig). */
function signManifest(manifest: Manifest, signingKey: MinisignSecretKey): SignedManifest {
  const manifestBytes = Buffer.from(canonicalJson(manifest));
  const manifestSha256 = createHash('sha256').update(manifestBytes).digest('hex');
  const parent = manifest.chain ? { parent: { manifestSha256: manifest.chain.parentManifestSha256, index: manifest.chain.index } } : {};
  const comment = formatTrustedComment({ tenantId: manifest.tenantId, takenAt: manifest.takenAt, sequence: manifest.sequence, manifestSha256, ...parent });
  const manifestSig = Buffer.from(signPrehashed(signingKey, createHash('blake2b512').update(manifestBytes).digest(), comment, 'entra-vault manifest signature'));
  return { manifestBytes, manifestSha256, comment, manifestSig };
}

type TarEntry = { name: string; size: number; chunks: () => Iterable<Buffer> };

/** The tar's entries in format order: manifest.json, manifest.sig, then the sorted JSONL entries. */
function tarEntriesOf(signed: SignedManifest, entries: ManifestEntry[], spool: EncryptedSpool): TarEntry[] {
  return [
    { name: 'manifest.json', size: signed.manifestBytes.length, chunks: () => [signed.manifestBytes] },
    { name: 'manifest.sig', size: signed.manifestSig.length, chunks: () => [signed.manifestSig] },
    ...entries.map((e) => ({
      name: e.path,
      size: e.size,
      chunks: function* () {
        for (const rec of spool.sorted(e.path)) yield Buffer.concat([rec, NL]);
      },
    })),
  ];
}

/**
 * Pass 2: tar → gzip → age → temp file → publish (read-only), hashing the ciphertext
 * for the detached signature. The temp is listed in `temps` while it exists so that an
 * abort removes it.
 */
async function publishCiphertext(tarEntries: TarEntry[], recipients: readonly string[], archivePath: string, temps: string[]): Promise<{ blake2b: Buffer; bytes: number }> {
  const ct = await openTemp(archivePath, 0o600);
  temps.push(ct.path);
  const blake = createHash('blake2b512');
  let bytes = 0;
  const cipher = await encryptAgeStream(tarGzip(tarEntries) as AsyncIterable<Uint8Array>, { recipients });
  for await (const chunk of cipher) {
    blake.update(chunk);
    bytes += chunk.length;
    await ct.fh.write(chunk);
  }
  await ct.fh.chmod(0o444);
  await publishTemp(ct, archivePath);
  temps.splice(temps.indexOf(ct.path), 1);
  return { blake2b: blake.digest(), bytes };
}

/** The detached signature: temp (read-only) → fsync → rename → fsync dir, after the ciphertext. */
async function publishSmallFile(path: string, text: string, temps: string[]): Promise<void> {
  const st = await openTemp(path, 0o444);
  temps.push(st.path);
  await st.fh.writeFile(text);
  await publishTemp(st, path);
  temps.splice(temps.indexOf(st.path), 1);
}

/**
 * Seal arbitrary tar.gz plaintext as an archive file + detached signature (tests and
 * test vectors only: lets them build hostile archives signed with a test key, i.e. a
 * compromised collector). Production code uses createArchiveWriter.
 */
export async function sealRawArchive(
  plaintext: Uint8Array,
  archivePath: string,
  opts: { recipients: readonly string[]; signingKey: MinisignSecretKey; trustedComment: string },
): Promise<void> {
  const ct = await openTemp(archivePath, 0o644);
  const blake = createHash('blake2b512');
  for await (const chunk of await encryptAgeStream([plaintext], { recipients: opts.recipients })) {
    blake.update(chunk);
    await ct.fh.write(chunk);
  }
  await publishTemp(ct, archivePath);
  const st = await openTemp(archivePath + '.minisig', 0o644);
  await st.fh.writeFile(signPrehashed(opts.signingKey, blake.digest(), opts.trustedComment, 'entra-vault test vector'));
  await publishTemp(st, archivePath + '.minisig');
}
