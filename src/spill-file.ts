/**
 * Compressed set-asides kept on disk, encrypted, instead of in memory (issue 17 item 1).
 *
 * A writing restore sets the archive aside while its plan runs, and the spent plan and its outcomes
 * while it verifies (src/set-aside.ts), and holds its operations' bodies and fields compressed
 * (src/restore/held-lines.ts). At 100k users that is 50–95 MiB of memory outside the V8 heap at
 * each of the restore's highest phases (docs/design.md "Session 37"). A `SpillFile` keeps those
 * members in one temporary file instead; memory holds only where each one is.
 *
 * What it writes is tenant data, so (docs/archive-format.md §6 "Spill file"):
 *  - each member is sealed with ChaCha20-Poly1305 (node:crypto) under a key made for this file
 *    from the system's random source, held in memory only and never written anywhere; its nonce
 *    is the member's sequence number, so a member read back from another place fails its tag;
 *  - the file is created private (0600, exclusive) in the OS temp dir (TMPDIR) and unlinked at
 *    once: it has no name while it is used, and the system frees it when the process ends, on any
 *    path (SIGKILL and power loss included). Where a file in use cannot be unlinked (Windows) it is
 *    removed at the process's exit;
 *  - when the file cannot be made or written (no space, a read-only temp dir), the member is kept
 *    in memory, as without a spill file, and `failure` says why: memory is the cost, never data.
 * A member that fails its tag when read back is a VaultError `INTEGRITY` (the temp file was
 * changed or the disk returned other bytes); the restore's journal lets the operator resume.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chachaOpen, chachaSeal } from './crypto/age.js';
import { VaultError } from './errors.js';
import { inMemory, setMemberStore, type KeptBytes, type MemberStore } from './set-aside.js';

const TAG_BYTES = 16;

/** One member in the file: where its sealed bytes are, and its sequence number (its nonce). */
class Spilled implements KeptBytes {
  constructor(
    private readonly file: SpillFile,
    private readonly at: number,
    private readonly sealed: number,
    private readonly seq: number,
  ) {}

  /** The member's plain bytes (compressed JSON), read and opened. */
  read(): Buffer {
    return this.file.open(this.at, this.sealed, this.seq);
  }

  get length(): number {
    return this.sealed - TAG_BYTES;
  }
}

/** The 96-bit nonce of member `seq`: its number, little-endian. A key seals at most 2^48 members. */
function nonceOf(seq: number): Buffer {
  const n = Buffer.alloc(12);
  n.writeUIntLE(seq, 0, 6);
  return n;
}

/** `e`'s system code or message, for `failure` (never a path's contents or a secret). */
function why(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : e instanceof Error ? e.message : String(e);
}

/**
 * One process's spill file (the module comment says what it guarantees). `keep` never throws for
 * the file's sake; a member's `read` throws VaultError INTEGRITY when its bytes changed on disk.
 * Synchronous, like the set-asides that use it: a member is written or read in one call.
 */
export class SpillFile implements MemberStore {
  private readonly key = randomBytes(32);
  private fd: number | undefined;
  private end = 0;
  private seq = 0;
  private closed = false;
  /** Why members are kept in memory instead (the file could not be made or written), once one was. */
  failure: string | undefined;

  /** @param dir where the file is made (the OS temp dir by default); nothing is made until a member is kept */
  constructor(private readonly dir: string = tmpdir()) {}

  /** Bytes written to the file (sealed members), freed when the process ends or `close` is called. */
  get fileBytes(): number {
    return this.end;
  }

  /**
   * Keeps `bytes` sealed in the file, or in memory when the file cannot take it (`failure` says
   * why). Never throws for a full disk or an unwritable temp dir.
   */
  keep(bytes: Buffer): KeptBytes {
    if (this.failure !== undefined || this.closed) return inMemory(bytes);
    try {
      const fd = this.fd ?? this.create();
      const sealed = chachaSeal(this.key, nonceOf(this.seq), bytes);
      for (let off = 0; off < sealed.length; ) off += writeSync(fd, sealed, off, sealed.length - off, this.end + off);
      const kept = new Spilled(this, this.end, sealed.length, this.seq);
      this.end += sealed.length;
      this.seq += 1;
      return kept;
    } catch (e) {
      // a partial write is past `end`: the next member would overwrite it, but none goes there now
      this.failure = why(e);
      return inMemory(bytes);
    }
  }

  /**
   * Reads member `seq` back (`sealed` bytes at `at`) and opens it.
   * @throws VaultError INTEGRITY when it fails its tag or the file is shorter; Error (a bug) after `close`
   */
  open(at: number, sealed: number, seq: number): Buffer {
    if (this.fd === undefined || this.closed) throw new Error('the spill file is closed');
    const buf = Buffer.allocUnsafe(sealed);
    for (let off = 0; off < sealed; ) {
      const n = readSync(this.fd, buf, off, sealed - off, at + off);
      if (n === 0) throw new VaultError('INTEGRITY', 'the restore\'s temporary spill file is shorter than what was written to it', 'check the temp dir\'s disk (TMPDIR), then run the restore again with the same --journal to resume');
      off += n;
    }
    const plain = chachaOpen(this.key, nonceOf(seq), buf);
    if (plain === null) throw new VaultError('INTEGRITY', 'a member of the restore\'s temporary spill file fails its check (changed on disk)', 'check the temp dir\'s disk (TMPDIR), then run the restore again with the same --journal to resume');
    return plain;
  }

  /** Closes the file (its space is freed); members kept in it can no longer be read. Later members stay in memory. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
  }

  /** Makes the file, private and exclusive, and unlinks it at once. */
  private create(): number {
    const path = join(this.dir, `entra-vault-spill-${process.pid}-${randomBytes(6).toString('hex')}`);
    const fd = openSync(path, 'wx+', 0o600);
    this.fd = fd;
    try {
      unlinkSync(path);
    } catch {
      // a file in use cannot be unlinked here (Windows): removed when the process exits
      process.once('exit', () => {
        try {
          closeSync(fd);
          unlinkSync(path);
        } catch {
          // best effort at exit: nothing can be reported any more
        }
      });
    }
    return fd;
  }
}

/**
 * The CLI's own process (bin/entra-vault.js), unless ENTRA_VAULT_SPILL=0: every set-aside of this
 * process is kept in one spill file in the OS temp dir. Returns the file (made on first use), or
 * undefined when turned off. A host that calls runCli in-process keeps its set-asides in memory.
 */
export function enableSpill(env: Readonly<Record<string, string | undefined>>): SpillFile | undefined {
  enabled = env.ENTRA_VAULT_SPILL === '0' ? undefined : new SpillFile();
  setMemberStore(enabled);
  return enabled;
}

let enabled: SpillFile | undefined;

/** The spill file `enableSpill` set for this process, if any (the memory log reports its size). */
export function spillInUse(): SpillFile | undefined {
  return enabled;
}
