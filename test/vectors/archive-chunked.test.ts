/**
 * The committed archive vectors (test/vectors/archive-*.expected.json) read in small chunks:
 * the same openArchive call as vectors.test.ts, with the archive file delivered 1, 7 and
 * 4096 bytes per read (custody hash and age decryption) and the decompressed tar handed to
 * the tar reader in pieces of the same size. Every vector must give the same outcome as when
 * read whole; a valid archive must stage the same objects.
 *
 * The two streams are resized at their source — the FileHandle's createReadStream and
 * createGunzip, both mocked below — so the reader's own code runs unchanged.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, compose, type Duplex, type TransformCallback } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * The reader and its error type, imported after the mocks below are in place. Imported
 * statically, a worker that already ran another file importing the reader (vitest.fast.config.ts
 * shares one module graph per worker) would hand over the reader bound to the real fs and zlib,
 * and the chunked reads would silently be whole reads (seen: `--sequence.shuffle.files`).
 */
let openArchive: typeof import('../../src/archive/reader.js').openArchive;
let isVaultError: typeof import('../../src/errors.js').isVaultError;
beforeAll(async () => {
  vi.resetModules();
  ({ openArchive } = await import('../../src/archive/reader.js'));
  ({ isVaultError } = await import('../../src/errors.js'));
});
// and the files after this one in a shared worker get the real modules back
afterAll(() => {
  vi.doUnmock('node:fs/promises');
  vi.doUnmock('node:zlib');
  vi.resetModules();
});

/** Chunk size imposed on both streams (undefined: the reader's own sizes). */
const chunking = vi.hoisted(() => ({ size: undefined as number | undefined, fileReads: 0, tarPieces: 0, largest: 0 }));

function rechunk(size: number): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      for (let i = 0; i < chunk.length; i += size) {
        const piece = chunk.subarray(i, i + size);
        chunking.tarPieces++;
        chunking.largest = Math.max(chunking.largest, piece.length);
        this.push(piece);
      }
      done();
    },
  });
}

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof real.open = async (...args: Parameters<typeof real.open>) => {
    const fh = await real.open(...args);
    const create = fh.createReadStream.bind(fh);
    fh.createReadStream = (opts) => {
      if (chunking.size === undefined) return create(opts);
      const s = create({ ...opts, highWaterMark: chunking.size });
      s.on('data', (c: string | Buffer) => {
        chunking.fileReads++;
        chunking.largest = Math.max(chunking.largest, c.length);
      });
      return s;
    };
    return fh;
  };
  return { ...real, default: { ...real, open }, open };
});

vi.mock('node:zlib', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:zlib')>();
  const createGunzip = (opts?: import('node:zlib').ZlibOptions): Duplex => {
    const g = real.createGunzip(opts);
    return chunking.size === undefined ? g : compose(g, rechunk(chunking.size));
  };
  return { ...real, default: { ...real, createGunzip }, createGunzip };
});

const dir = import.meta.dirname;
interface ArchiveVector {
  kind: string;
  file: string;
  options: { expectedTenantId?: string };
  expect: { ok: true; manifestSha256: string } | { error: string };
}
const vectors = readdirSync(dir)
  .filter((f) => f.startsWith('archive-') && f.endsWith('.expected.json'))
  .sort()
  .map((f) => ({ name: f.slice(0, -'.expected.json'.length), v: JSON.parse(readFileSync(join(dir, f), 'utf8')) as ArchiveVector }))
  .filter(({ v }) => v.kind === 'archive');

type Result = { error: string } | { manifestSha256: string; data: unknown };

async function read(v: ArchiveVector, size: number | undefined): Promise<Result> {
  chunking.size = size;
  const staging = mkdtempSync(join(tmpdir(), 'ev-vec-chunked-'));
  try {
    const opened = await openArchive(join(dir, v.file), {
      identity: join(dir, 'keys/test-identity.txt'),
      signerPublicKey: join(dir, 'keys/test-signing.pub'),
      expectedTenantId: v.options.expectedTenantId,
      stagingParent: staging,
    });
    try {
      return { manifestSha256: opened.manifestSha256, data: await opened.loadTenantData() };
    } finally {
      await opened.close();
    }
  } catch (e) {
    if (isVaultError(e)) return { error: e.code };
    throw e;
  } finally {
    chunking.size = undefined;
    expect(readdirSync(staging)).toEqual([]);
  }
}

afterEach(() => {
  chunking.size = undefined;
});

describe('archive vectors read in small chunks', () => {
  it('covers the committed archive vectors, valid and hostile', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(18);
    expect(vectors.some(({ v }) => 'ok' in v.expect)).toBe(true);
  });

  for (const { name, v } of vectors) {
    const expected = 'error' in v.expect ? v.expect.error : 'ok';
    it(`${name} → ${expected}, whole and in 1, 7 and 4096-byte chunks`, async () => {
      const whole = await read(v, undefined);
      if ('error' in v.expect) expect(whole).toEqual({ error: v.expect.error });
      else expect('manifestSha256' in whole && whole.manifestSha256).toBe(v.expect.manifestSha256);
      for (const size of [1, 7, 4096]) {
        Object.assign(chunking, { fileReads: 0, tarPieces: 0, largest: 0 });
        const r = await read(v, size);
        expect(r, `${size}-byte chunks`).toEqual(whole);
        // the resizing really happened: the file was read in pieces no larger than `size`
        // (an archive without its .minisig is refused before it is opened)
        if (expected !== 'SIGNATURE_MISSING') expect(chunking.fileReads).toBeGreaterThan(0);
        expect(chunking.largest).toBeLessThanOrEqual(size);
        if (size === 1 && expected !== 'SIGNATURE_MISSING') expect(chunking.fileReads).toBeGreaterThanOrEqual(readFileSync(join(dir, v.file)).length);
        if ('ok' in v.expect) expect(chunking.tarPieces).toBeGreaterThan(0);
      }
    });
  }
});
