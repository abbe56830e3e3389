/**
 * A strict, streaming ustar reader for archive format v1. Deliberately not a general
 * tar reader: PAX and GNU extension headers, links, directories and devices are refused
 * at their header (never buffered), sizes come only from checksummed ustar headers,
 * and anything after the end-of-archive marker must be zero padding.
 */
import { ByteQueue } from '../byte-queue.js';
import { VaultError } from '../errors.js';

export interface TarHeader {
  name: string;
  size: number;
  /** raw typeflag character */
  typeflag: string;
  linkname: string;
}

export interface TarEntrySink {
  write(chunk: Buffer): void | Promise<void>;
  end(): void | Promise<void>;
}

const BLOCK = 512;

function cstr(b: Buffer): string {
  const i = b.indexOf(0);
  return b.subarray(0, i < 0 ? b.length : i).toString('utf8');
}

function octal(b: Buffer, what: string): number {
  if ((b[0]! & 0x80) !== 0) throw new VaultError('ARCHIVE_LIMIT', `tar ${what} uses base-256 encoding (too large)`);
  const s = cstr(b).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new VaultError('ARCHIVE_MALFORMED', `tar header ${what} is not octal`);
  return parseInt(s, 8);
}

const TYPE_NAMES: Record<string, string> = {
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'character device',
  '4': 'block device',
  '5': 'directory',
  '6': 'fifo',
  '7': 'contiguous file',
  x: 'PAX extended header',
  g: 'PAX global header',
  L: 'GNU long name',
  K: 'GNU long link name',
};

export function parseTarHeader(block: Buffer): TarHeader {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  const stored = octal(block.subarray(148, 156), 'checksum');
  if (stored !== sum) throw new VaultError('ARCHIVE_MALFORMED', 'tar header checksum mismatch');
  const magic = block.subarray(257, 263).toString('latin1');
  if (magic !== 'ustar\u0000' && magic !== 'ustar ') throw new VaultError('ARCHIVE_MALFORMED', 'tar header is not ustar');
  const typeflag = String.fromCharCode(block[156]!);
  const name = cstr(block.subarray(0, 100));
  const prefix = cstr(block.subarray(345, 500));
  return {
    name: prefix ? `${prefix}/${name}` : name,
    size: octal(block.subarray(124, 136), 'size'),
    typeflag: typeflag === '\u0000' ? '0' : typeflag,
    linkname: cstr(block.subarray(157, 257)),
  };
}

/** Human name of a refused entry type (for ARCHIVE_UNSAFE_ENTRY messages). */
export function tarTypeName(flag: string): string {
  return TYPE_NAMES[flag] ?? `type '${flag.replace(/[^\x20-\x7e]/g, '?')}'`;
}

/**
 * Read a tar stream, calling `onEntry` for each header (which validates it and returns
 * a sink for the body) — the body is streamed, never buffered here.
 * @throws VaultError TRUNCATED | ARCHIVE_MALFORMED | ARCHIVE_LIMIT | whatever onEntry throws
 */
export async function readTar(source: AsyncIterable<Uint8Array>, onEntry: (h: TarHeader) => Promise<TarEntrySink>): Promise<void> {
  const q = new ByteQueue(source[Symbol.asyncIterator]());
  for (;;) {
    await q.fill(BLOCK);
    if (q.buffered < BLOCK) throw new VaultError('TRUNCATED', 'archive ends inside the tar stream (no end-of-archive marker)');
    const block = Buffer.from(q.take(BLOCK));
    if (block.every((b) => b === 0)) {
      await q.fill(BLOCK);
      if (q.buffered < BLOCK) throw new VaultError('TRUNCATED', 'archive ends inside the tar end-of-archive marker');
      const second = q.take(BLOCK);
      if (!second.every((b) => b === 0)) throw new VaultError('ARCHIVE_MALFORMED', 'tar end-of-archive marker is damaged');
      // Only zero padding may follow.
      for (;;) {
        await q.fill(1);
        if (q.buffered === 0) return;
        const rest = q.take(q.buffered);
        if (!rest.every((b) => b === 0)) throw new VaultError('ARCHIVE_MALFORMED', 'data after the tar end-of-archive marker');
      }
    }
    const header = parseTarHeader(block);
    const sink = await onEntry(header);
    let left = header.size;
    while (left > 0) {
      await q.fill(1);
      if (q.buffered === 0) throw new VaultError('TRUNCATED', `archive ends inside entry ${header.name}`);
      const chunk = q.take(Math.min(left, 1024 * 1024));
      left -= chunk.length;
      await sink.write(chunk);
    }
    await sink.end();
    const pad = (BLOCK - (header.size % BLOCK)) % BLOCK;
    if (pad > 0) {
      await q.fill(pad);
      if (q.buffered < pad) throw new VaultError('TRUNCATED', 'archive ends inside tar padding');
      q.take(pad);
    }
  }
}
