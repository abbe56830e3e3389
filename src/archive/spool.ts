/**
 * The writer's spool: objects arrive in any order and in any number, but the archive
 * needs them sorted. Records are appended to one file per archive entry, each record
 * sealed with AES-256-GCM under an ephemeral key that exists only in this process's
 * memory — plaintext tenant data never touches the collector's disk, and a spool left
 * by a killed process is unreadable noise. Memory holds only (sort key → offset, length).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

interface Rec {
  off: number;
  len: number;
  n: number;
}

interface SpoolFile {
  fd: number;
  size: number;
  index: Map<string, Rec>;
}

export class EncryptedSpool {
  private readonly key = randomBytes(32);
  private counter = 0;
  private readonly files = new Map<string, SpoolFile>();

  constructor(readonly dir: string) {
    mkdirSync(dir, { mode: 0o700 });
  }

  private nonce(n: number): Buffer {
    const b = Buffer.alloc(12);
    b.writeUIntBE(n, 6, 6);
    return b;
  }

  /** Append a record; a later record with the same sort key replaces the earlier one. */
  append(entry: string, sortKey: string, plaintext: Buffer): void {
    let f = this.files.get(entry);
    if (!f) {
      const fd = openSync(join(this.dir, `s${this.files.size}`), 'wx+', 0o600);
      f = { fd, size: 0, index: new Map() };
      this.files.set(entry, f);
    }
    const n = this.counter++;
    const c = createCipheriv('aes-256-gcm', this.key, this.nonce(n));
    const sealed = Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
    writeSync(f.fd, sealed, 0, sealed.length, f.size);
    f.index.set(sortKey, { off: f.size, len: sealed.length, n });
    f.size += sealed.length;
  }

  entries(): string[] {
    return [...this.files.keys()];
  }

  count(entry: string): number {
    return this.files.get(entry)?.index.size ?? 0;
  }

  /** Records of an entry in sort-key order, decrypted one at a time. */
  *sorted(entry: string): Generator<Buffer> {
    const f = this.files.get(entry);
    if (!f) return;
    const keys = [...f.index.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const k of keys) {
      const r = f.index.get(k)!;
      const buf = Buffer.alloc(r.len);
      readSync(f.fd, buf, 0, r.len, r.off);
      const d = createDecipheriv('aes-256-gcm', this.key, this.nonce(r.n));
      d.setAuthTag(buf.subarray(r.len - 16));
      yield Buffer.concat([d.update(buf.subarray(0, r.len - 16)), d.final()]);
    }
  }

  /** Close and delete everything; the key goes with the object. */
  destroy(): void {
    for (const f of this.files.values()) {
      try {
        closeSync(f.fd);
      } catch {
        // already closed
      }
    }
    this.files.clear();
    this.key.fill(0);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
