/**
 * Steps 4–6 of opening an archive (reader.ts lists all six): the decrypted payload is
 * gunzipped and read as a strict tar, one entry at a time, into a private staging
 * directory. Per entry header: limits, regular files only, safe NFC v1 names, no
 * duplicates or case collisions, manifest.json then manifest.sig first. The manifest's
 * signature and its hash against the outer trusted comment are checked before any data
 * entry is accepted; each data entry must be listed, of the listed size, and hash to the
 * listed SHA-256; every listed entry must arrive. Entry names are never used as paths
 * (staged files are named by position).
 */
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, type ZlibOptions } from 'node:zlib';
import { VaultError, isVaultError } from '../errors.js';
import { MAX_SIGNATURE_FILE_BYTES, parseSignature, verifyParsed, type MinisignPublicKey } from '../crypto/minisign.js';
import { parseJsonObject } from '../json.js';
import { readTar, tarTypeName, type TarEntrySink } from './tar-read.js';
import { LineScanner, type RecordBudget } from './line-scan.js';
import { ENTRY_NAME, checkManifest, parseTrustedComment, type Manifest, type TrustedComment } from './manifest.js';
import type { ArchiveLimits } from './reader.js';

export interface StageOptions {
  /** Signer of manifest.sig (the same key as the detached signature). */
  key: MinisignPublicKey;
  limits: ArchiveLimits;
  /** Private (0700) directory the data entries are written to. */
  stagingDir: string;
  expectedTenantId?: string;
  /** The verified outer trusted comment; undefined when its signature failure was overridden. */
  trustedComment: TrustedComment | undefined;
  /**
   * A signature failure of the detached signature was accepted (allowBadSignature): a
   * missing or invalid manifest.sig is then accepted too. Nothing else is relaxed.
   */
  signatureOverridden: boolean;
  /** Verify only the data entries this accepts; the others are drained, not stored. */
  sample?: (path: string, manifest: Manifest) => boolean;
  /**
   * false: every checked entry is hashed and its lines scanned, but nothing is written to the
   * staging directory (`verify --read-data` needs the verdict, not the files). Default true.
   */
  store?: boolean;
}

/**
 * Inflated output per zlib call. The default 16 KiB made one thread-pool round trip per
 * 16 KiB of a ~90 MB payload (a 20k-user archive); 256 KiB left the inflate, not the
 * hand-offs, as the cost, and 1 MiB halves what is left of them on this thread: inflating
 * the 434 MB of a 100k-user archive with nothing else to do kept it busy about 145 ms at
 * 256 KiB and 75 ms at 1 MiB (issue 17 item 5).
 */
const GUNZIP_CHUNK_BYTES = 1024 * 1024;

/**
 * Inflated bytes zlib may hold ahead of the tar reader. A Transform stops inflating once its
 * readable side holds this much (node's default is 16 KiB, less than one output chunk): with
 * room for a few chunks the thread pool inflates the next ones while this thread hashes and
 * scans the last, instead of taking turns. Bounded, so memory stays flat.
 */
const GUNZIP_AHEAD_BYTES = 4 * 1024 * 1024;

/**
 * Compressed bytes handed to zlib per call. The age payload arrives in 64 KiB chunks
 * (src/crypto/age.ts), each of which inflated to less than one output chunk: about 1,150
 * thread-pool round trips for the 46 MB payload of a 100k-user archive, where 1 MiB inputs
 * make about 480, for one copy of the compressed bytes. Decryption, inflate and SHA-256 alone
 * (3 runs each): 1,275–1,481 → 1,113–1,171 ms; `verify --read-data` of that archive, alternated
 * with the build before (7 and 9 pairs): wall median 1.97 → 1.76 and 1.73 → 1.65 s (issue 17 item 5).
 */
const GUNZIP_INPUT_BYTES = 1024 * 1024;

/**
 * The chunks of `src`, gathered into chunks of at least `size` bytes (the last may be smaller).
 * What it has gathered goes on only once `size` is reached or the source ends: a source that
 * fails (an altered or cut age chunk) fails this too, and the gathered bytes are dropped.
 */
export async function* gathered(src: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let parts: Uint8Array[] = [];
  let len = 0;
  const joined = (): Buffer => (parts.length === 1 ? Buffer.from(parts[0]!.buffer, parts[0]!.byteOffset, len) : Buffer.concat(parts, len));
  for await (const c of src) {
    parts.push(c);
    len += c.length;
    if (len >= size) {
      yield joined();
      parts = [];
      len = 0;
    }
  }
  if (len > 0) yield joined();
}

/** node's zlib streams hand their options on to stream.Transform; @types/node lists only zlib's own. */
const GUNZIP_OPTIONS: ZlibOptions & { readableHighWaterMark: number } = { chunkSize: GUNZIP_CHUNK_BYTES, readableHighWaterMark: GUNZIP_AHEAD_BYTES };

/** Staged writes are gathered to this size: one awaited write per tar chunk was most of a read's time. */
const WRITE_BATCH_BYTES = 1024 * 1024;

export interface StagedArchive {
  manifest: Manifest;
  manifestSha256: string;
  /** The outer trusted comment, or (signature overridden) the manifest's own fields. */
  trustedComment: TrustedComment;
  /** Entry path → staged file, for the entries that were stored. */
  stagedFiles: Map<string, string>;
  /** Data entries whose bytes were re-hashed. */
  entriesChecked: number;
}

/**
 * Stage a decrypted payload (tar.gz). Resolves once the whole stream, including the
 * end of the age stream, has been read and checked.
 * @throws VaultError ARCHIVE_UNSAFE_ENTRY | ARCHIVE_LIMIT | ARCHIVE_MALFORMED | TRUNCATED | INTEGRITY |
 *   SIGNATURE_INVALID | SIGNATURE_MISSING | WRONG_TENANT | FORMAT_UNSUPPORTED. Writes only inside stagingDir.
 */
export async function stageArchive(payload: AsyncIterable<Uint8Array>, opts: StageOptions): Promise<StagedArchive> {
  const stager = new Stager(opts);
  // pipeline, not .pipe(): a failure of the decrypting source (a cut or altered chunk) must
  // reject this promise, not surface as an unhandled 'error' event that kills the process
  // with the staging directory still on disk.
  // The tar reader is awaited before abort() when the pipeline fails: pipeline rejects as
  // soon as the decrypting source fails, while the reader may still be opening its next staged
  // file, and the caller's removal of the directory then raced with it (ENOTEMPTY, seen under
  // load by test/tui/pty-stress.test.ts item 3).
  let tar: Promise<void> | undefined;
  await pipeline(gathered(payload, GUNZIP_INPUT_BYTES), createGunzip(GUNZIP_OPTIONS), async (plain: AsyncIterable<Buffer>) => {
    tar = readTar(limited(plain, opts.limits.maxTotalBytes), (h) => stager.onEntry(h));
    await tar;
  }).catch(async (e: unknown) => {
    stager.stop();
    await tar?.catch(() => undefined);
    await stager.abort();
    throw mapStreamError(e);
  });
  return stager.result();
}

/** Any failure while streaming, as the VaultError the reader reports. */
export function mapStreamError(e: unknown): VaultError {
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

type TarHeader = { name: string; size: number; typeflag: string };

/** The staging state machine: one instance per archive, fed entry headers in tar order. */
class Stager {
  private index = 0;
  private manifestBytes: Buffer | undefined;
  private manifest: Manifest | undefined;
  private manifestSha256 = '';
  private tc: TrustedComment | undefined;
  private readonly listed = new Map<string, { size: number; sha256: string }>();
  private readonly seen = new Set<string>();
  private readonly stagedFiles = new Map<string, string>();
  private checked = 0;
  private readonly records: RecordBudget;
  /** The staged file being written, closed by abort() when the stream fails mid-entry. */
  private out: FileHandle | undefined;

  constructor(private readonly opts: StageOptions) {
    this.tc = opts.trustedComment;
    this.records = { max: opts.limits.maxRecords, used: 0, maxValues: opts.limits.maxValues, values: 0 };
  }

  /** Set once the stream failed: no further staged file is opened. */
  private stopped = false;

  /** The stream failed: refuse every entry from now on, so nothing new is written. */
  stop(): void {
    this.stopped = true;
  }

  async onEntry(h: TarHeader): Promise<TarEntrySink> {
    if (this.stopped) throw new VaultError('ARCHIVE_MALFORMED', 'archive stream failed');
    this.index++;
    this.checkHeader(h);
    if (this.index === 1) return this.manifestSink(h);
    if (this.index === 2) return this.manifestSigSink(h);
    return this.dataSink(h);
  }

  /** Rules every entry header must pass before one byte of it is read. */
  private checkHeader(h: TarHeader): void {
    const { limits } = this.opts;
    if (this.index > limits.maxEntries) throw new VaultError('ARCHIVE_LIMIT', `archive has more than ${limits.maxEntries} entries`);
    if (h.typeflag !== '0') {
      throw new VaultError('ARCHIVE_UNSAFE_ENTRY', `tar entry ${JSON.stringify(h.name.slice(0, 120))} is a ${tarTypeName(h.typeflag)}; only regular files are accepted`);
    }
    checkName(h.name);
    const folded = h.name.normalize('NFC').toLowerCase();
    if (this.seen.has(folded)) throw new VaultError('ARCHIVE_UNSAFE_ENTRY', `duplicate or case-colliding tar entry ${JSON.stringify(h.name)}`);
    this.seen.add(folded);
  }

  private manifestSink(h: TarHeader): TarEntrySink {
    if (h.name !== 'manifest.json') throw new VaultError('ARCHIVE_MALFORMED', 'first tar entry must be manifest.json');
    if (h.size > this.opts.limits.maxManifestBytes) throw new VaultError('ARCHIVE_LIMIT', `manifest.json is larger than ${this.opts.limits.maxManifestBytes} bytes`);
    const parts: Buffer[] = [];
    return { write: (c) => void parts.push(Buffer.from(c)), end: () => void (this.manifestBytes = Buffer.concat(parts)) };
  }

  private manifestSigSink(h: TarHeader): TarEntrySink {
    if (h.name !== 'manifest.sig') throw new VaultError('ARCHIVE_MALFORMED', 'second tar entry must be manifest.sig');
    if (h.size > MAX_SIGNATURE_FILE_BYTES) throw new VaultError('ARCHIVE_LIMIT', 'manifest.sig is too large');
    const parts: Buffer[] = [];
    return { write: (c) => void parts.push(Buffer.from(c)), end: () => this.acceptManifest(Buffer.concat(parts)) };
  }

  /** manifest.sig over manifest.json, the manifest hash against the outer signature, then the manifest itself. */
  private async acceptManifest(sig: Buffer): Promise<void> {
    const mb = this.manifestBytes!;
    this.manifestSha256 = createHash('sha256').update(mb).digest('hex');
    let signed = true;
    try {
      const parsed = parseSignature(sig.toString('utf8'));
      // the inner signature must carry the same trusted comment format as the outer one
      parseTrustedComment(verifyParsed(this.opts.key, createHash('blake2b512').update(mb).digest(), parsed));
    } catch (e) {
      if (!this.opts.signatureOverridden || !(isVaultError(e, 'SIGNATURE_INVALID') || isVaultError(e, 'SIGNATURE_MISSING'))) throw e;
      signed = false;
    }
    const tc = this.tc;
    if (tc !== undefined && this.manifestSha256 !== tc.manifestSha256) {
      throw new VaultError('INTEGRITY', 'manifest hash does not match the signed archive signature');
    }
    const obj = parseJsonObject(mb.toString('utf8'));
    if (obj === null) throw new VaultError('ARCHIVE_MALFORMED', 'manifest.json is not a JSON object');
    const manifest = await checkManifest(obj);
    if (tc !== undefined && (manifest.tenantId !== tc.tenantId || manifest.takenAt !== tc.takenAt || manifest.sequence !== tc.sequence)) {
      throw new VaultError('INTEGRITY', 'manifest tenant/time/sequence differ from the signed trusted comment');
    }
    // an incremental's parent link is signed twice (trusted comment and manifest): they must agree
    if (tc !== undefined && (manifest.chain?.parentManifestSha256 !== tc.parent?.manifestSha256 || manifest.chain?.index !== tc.parent?.index)) {
      throw new VaultError('INTEGRITY', 'manifest chain link differs from the signed trusted comment');
    }
    if (!signed || tc === undefined) {
      // unsigned content still names its tenant: a wrong tenant is never overridden
      const expected = this.opts.expectedTenantId;
      if (expected !== undefined && manifest.tenantId !== expected) {
        throw new VaultError('WRONG_TENANT', `archive is of tenant ${manifest.tenantId}, expected ${expected}`);
      }
      const parent = manifest.chain ? { parent: { manifestSha256: manifest.chain.parentManifestSha256, index: manifest.chain.index } } : {};
      this.tc ??= { tenantId: manifest.tenantId, takenAt: manifest.takenAt, sequence: manifest.sequence, manifestSha256: this.manifestSha256, ...parent };
    }
    for (const e of manifest.entries) this.listed.set(e.path, { size: e.size, sha256: e.sha256 });
    // every data entry is held to its listed size, and each counted JSON value is one of its bytes
    this.records.valuesBounded = manifest.entries.reduce((n, e) => n + e.size, 0) <= this.opts.limits.maxValues;
    this.manifest = manifest;
    this.manifestBytes = undefined;
  }

  /** A data entry: listed, of its listed size, lines within the limit, hashed and stored (unless sampled out or not stored). */
  private async dataSink(h: TarHeader): Promise<TarEntrySink> {
    const { limits } = this.opts;
    const want = this.listed.get(h.name);
    if (want === undefined) throw new VaultError('ARCHIVE_UNSAFE_ENTRY', `tar entry ${JSON.stringify(h.name)} is not listed in the signed manifest`);
    if (h.size > limits.maxEntryBytes) throw new VaultError('ARCHIVE_LIMIT', `entry ${h.name} is larger than ${limits.maxEntryBytes} bytes`);
    if (h.size !== want.size) throw new VaultError('INTEGRITY', `entry ${h.name} size differs from the manifest`);
    const check = this.opts.sample === undefined || this.opts.sample(h.name, this.manifest!);
    const store = check && this.opts.store !== false;
    const hash = createHash('sha256');
    let out: FileHandle | undefined;
    if (store) {
      const file = join(this.opts.stagingDir, `e${this.index}.jsonl`);
      out = await open(file, 'wx', 0o600);
      this.out = out;
      this.stagedFiles.set(h.name, file);
    }
    const scan = new LineScanner(h.name, limits, this.records);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (): Promise<void> => {
      if (pendingBytes === 0) return;
      const chunk = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      await out!.write(chunk);
    };
    return {
      write: async (c) => {
        scan.write(c);
        if (!check) return;
        hash.update(c);
        if (!out) return;
        // the tar reader may reuse its chunk after this returns: keep a copy
        pending.push(Buffer.from(c));
        pendingBytes += c.length;
        if (pendingBytes >= WRITE_BATCH_BYTES) await flush();
      },
      end: async () => {
        scan.end();
        if (out) {
          await flush();
          await out.close();
        }
        this.out = undefined;
        if (check) {
          if (hash.digest('hex') !== want.sha256) throw new VaultError('INTEGRITY', `entry ${h.name} does not match its manifest SHA-256`);
          this.checked++;
        }
        this.listed.delete(h.name);
      },
    };
  }

  /** Close the half-written staged file of a failed stream (its directory is removed by the caller). */
  async abort(): Promise<void> {
    await this.out?.close().catch(() => undefined);
    this.out = undefined;
  }

  /** After the last entry: the manifest arrived and every listed entry with it. */
  result(): StagedArchive {
    if (this.manifest === undefined) throw new VaultError('ARCHIVE_MALFORMED', 'archive has no signed manifest');
    if (this.listed.size > 0) throw new VaultError('INTEGRITY', `entry ${[...this.listed.keys()][0]} listed in the manifest is missing`);
    return { manifest: this.manifest, manifestSha256: this.manifestSha256, trustedComment: this.tc!, stagedFiles: this.stagedFiles, entriesChecked: this.checked };
  }
}
