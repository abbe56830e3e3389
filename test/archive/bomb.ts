/**
 * A gzip bomb that is a valid, signed archive: one objects/user.jsonl entry of `records`
 * lines of about `lineBytes` bytes each, every line under every per-line limit. Built
 * streaming (the entry is generated twice: once to hash it for the manifest, once into
 * gzip), so the test process never holds the expanded bytes. Issue 13 item 3.
 */
import { createHash } from 'node:crypto';
import { constants, createGzip } from 'node:zlib';
import { canonicalJson } from '../../src/json.js';
import { formatTrustedComment } from '../../src/archive/manifest.js';
import { sealRawArchive } from '../../src/archive/writer.js';
import { signPrehashed, type MinisignSecretKey } from '../../src/crypto/minisign.js';
import { manifestFor, ustarHeader } from './hostile.js';

const BATCH = 1000;

function* lines(records: number, lineBytes: number): Generator<Buffer> {
  const pad = 'a'.repeat(Math.max(0, lineBytes - 40));
  for (let i = 0; i < records; i += BATCH) {
    const n = Math.min(BATCH, records - i);
    let s = '';
    for (let j = 0; j < n; j++) s += `{"id":"u${i + j}","displayName":"${pad}"}\n`;
    yield Buffer.from(s);
  }
}

/** Write the bomb to `path` (+ `.minisig`); returns the expanded entry size in bytes. */
export async function writeBomb(path: string, sk: MinisignSecretKey, recipient: string, o: { records: number; lineBytes: number }): Promise<number> {
  const hash = createHash('sha256');
  let size = 0;
  for (const b of lines(o.records, o.lineBytes)) {
    hash.update(b);
    size += b.length;
  }
  const m = manifestFor([]);
  m.entries = [{ path: 'objects/user.jsonl', size, sha256: hash.digest('hex') }];
  m.counts = { objects: { user: o.records }, relations: {} };
  const mBytes = Buffer.from(canonicalJson(m));
  const tc = formatTrustedComment({ tenantId: m.tenantId, takenAt: m.takenAt, sequence: m.sequence, manifestSha256: createHash('sha256').update(mBytes).digest('hex') });
  const mSig = Buffer.from(signPrehashed(sk, createHash('blake2b512').update(mBytes).digest(), tc));
  const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);
  const gz = createGzip({ level: constants.Z_BEST_SPEED });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((res, rej) => gz.on('end', res).on('error', rej));
  const put = async (b: Buffer) => {
    if (!gz.write(b)) await new Promise((res) => gz.once('drain', res));
  };
  await put(ustarHeader({ name: 'manifest.json', size: mBytes.length, type: '0' }));
  await put(Buffer.concat([mBytes, pad(mBytes.length)]));
  await put(ustarHeader({ name: 'manifest.sig', size: mSig.length, type: '0' }));
  await put(Buffer.concat([mSig, pad(mSig.length)]));
  await put(ustarHeader({ name: 'objects/user.jsonl', size, type: '0' }));
  for (const b of lines(o.records, o.lineBytes)) await put(b);
  await put(Buffer.concat([pad(size), Buffer.alloc(1024)]));
  gz.end();
  await done;
  await sealRawArchive(Buffer.concat(out), path, { recipients: [recipient], signingKey: sk, trustedComment: tc });
  return size;
}
