/**
 * age (https://age-encryption.org/v1) on top of age-encryption 0.3.1.
 *
 * Encryption is the library's streaming Encrypter. Decryption is split: this module
 * reads and checks the header itself (bounded size, scrypt work factor ≤ 20, shape),
 * lets the library's Decrypter unwrap the file key and check the header MAC, and then
 * runs the STREAM payload decryption on node:crypto's ChaCha20-Poly1305. Owning the
 * payload loop lets us (a) fail on a wrong identity before one payload byte is read,
 * (b) accept input in chunks of any size (down to 1 byte), and (c) tell a stream that
 * was cut short (TRUNCATED) from one that was altered (INTEGRITY). The payload layout
 * (HKDF-SHA-256 "payload" key, 64 KiB STREAM chunks, 11-byte counter ‖ last-chunk flag
 * nonce) is the C2SP age spec's; docs/archive-format.md §6 "Reader rules" cites it and node's AEAD API.
 */
import { ByteQueue } from '../byte-queue.js';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, scrypt as scryptCb } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Decrypter, Encrypter, Stanza, identityToRecipient, type Identity, type Recipient } from 'age-encryption';
import { VaultError } from '../errors.js';

/** age's own limit (and docs/reliability.md 4): scrypt work factors above this are refused unread. */
export const MAX_SCRYPT_WORK_FACTOR = 20;
/** Default work factor for passphrase-encrypted files (same as `age -p`). */
export const DEFAULT_SCRYPT_WORK_FACTOR = 18;
/** A header larger than this is not a header (a PQ stanza is ~1.6 KiB). */
export const MAX_HEADER_BYTES = 256 * 1024;
const MAX_HEADER_LINE = 16 * 1024;
const CHUNK = 64 * 1024;
const TAG = 16;
const SCRYPT_LABEL = 'age-encryption.org/v1/scrypt';

const b64nopad = (b: Uint8Array) => Buffer.from(b).toString('base64').replace(/=+$/, '');
function decodeB64nopad(s: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]*$/.test(s) || s.length % 4 === 1) return null;
  const b = Buffer.from(s, 'base64');
  return b64nopad(b) === s ? b : null;
}

function scryptKey(passphrase: string, salt: Uint8Array, logN: number): Promise<Buffer> {
  const labelSalt = Buffer.concat([Buffer.from(SCRYPT_LABEL), Buffer.from(salt)]);
  const N = 2 ** logN;
  return new Promise((resolve, reject) =>
    scryptCb(passphrase, labelSalt, 32, { N, r: 8, p: 1, maxmem: 128 * N * 8 + 2 ** 24 }, (e, k) => (e ? reject(e) : resolve(k))),
  );
}

/** ChaCha20-Poly1305 seal: the ciphertext with its 16-byte tag appended (also src/spill-file.ts). */
export function chachaSeal(key: Buffer, nonce: Buffer, plain: Uint8Array): Buffer {
  const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG });
  const out = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
  return out;
}

/** Opens what `chachaSeal` sealed; null when the tag does not check (or the input is shorter than one). */
export function chachaOpen(key: Buffer, nonce: Buffer, sealed: Uint8Array): Buffer | null {
  if (sealed.length < TAG) return null;
  const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG });
  d.setAuthTag(Buffer.from(sealed.subarray(sealed.length - TAG)));
  try {
    const plain = d.update(sealed.subarray(0, sealed.length - TAG));
    // ChaCha20-Poly1305 is a stream cipher: final() only checks the tag and returns no bytes
    const rest = d.final();
    return rest.length === 0 ? plain : Buffer.concat([plain, rest]);
  } catch {
    return null;
  }
}

/** age scrypt recipient on node:crypto's scrypt (the library's pure-JS scrypt is ~4x slower). */
export class ScryptRecipient implements Recipient {
  constructor(
    private readonly passphrase: string,
    private readonly logN = DEFAULT_SCRYPT_WORK_FACTOR,
  ) {}
  async wrapFileKey(fileKey: Uint8Array): Promise<Stanza[]> {
    const salt = randomBytes(16);
    const key = await scryptKey(this.passphrase, salt, this.logN);
    return [new Stanza(['scrypt', b64nopad(salt), String(this.logN)], chachaSeal(key, Buffer.alloc(12), fileKey))];
  }
}

/** age scrypt identity; work factors above 20 were already refused by the header check. */
export class ScryptIdentity implements Identity {
  constructor(private readonly passphrase: string) {}
  async unwrapFileKey(stanzas: Stanza[]): Promise<Uint8Array | null> {
    for (const s of stanzas) {
      if (s.args[0] !== 'scrypt') continue;
      const salt = decodeB64nopad(s.args[1] ?? '');
      const logN = Number(s.args[2]);
      if (salt === null || salt.length !== 16 || !(logN >= 1 && logN <= MAX_SCRYPT_WORK_FACTOR) || s.body.length !== 32) {
        throw new VaultError('DECRYPT_FAILED', 'invalid scrypt stanza in age header');
      }
      const key = await scryptKey(this.passphrase, salt, logN);
      const fileKey = chachaOpen(key, Buffer.alloc(12), s.body);
      if (fileKey !== null) return fileKey;
    }
    return null;
  }
}

/** What decrypts: identity strings (`AGE-SECRET-KEY-…`) and/or passphrases. */
export interface AgeKeys {
  identities?: readonly string[];
  passphrases?: readonly string[];
}

/** Parsed header: stanza types (never bodies in messages), and the raw header bytes incl. MAC line. */
export interface AgeHeader {
  stanzas: { args: string[]; body: Buffer }[];
  bytes: Buffer;
}

function toIterator(source: AsyncIterable<Uint8Array> | Uint8Array): AsyncIterator<Uint8Array> {
  if (source instanceof Uint8Array) {
    const one = source;
    return (async function* () {
      yield one;
    })();
  }
  return source[Symbol.asyncIterator]();
}

async function readHeader(src: ByteQueue): Promise<AgeHeader> {
  const lines: Buffer[] = [];
  let total = 0;
  const next = async (): Promise<string> => {
    const l = await src.line(MAX_HEADER_LINE, () => new VaultError('DECRYPT_FAILED', 'age header line is too long'));
    if (l === null) {
      throw new VaultError('TRUNCATED', total === 0 ? 'age file is empty' : 'age file ends inside its header');
    }
    total += l.length + 1;
    if (total > MAX_HEADER_BYTES) throw new VaultError('DECRYPT_FAILED', 'age header is too large');
    for (const b of l) if (b < 0x20 || b > 0x7e) throw new VaultError('DECRYPT_FAILED', 'age header contains non-ASCII bytes');
    lines.push(l);
    return l.toString('latin1');
  };
  const version = await next();
  if (version !== 'age-encryption.org/v1') throw new VaultError('DECRYPT_FAILED', 'not an age v1 file');
  const stanzas: AgeHeader['stanzas'] = [];
  let line = await next();
  while (line.startsWith('-> ')) {
    const args = line.slice(3).split(' ');
    if (args.length < 1 || args.some((a) => a.length === 0)) throw new VaultError('DECRYPT_FAILED', 'malformed age stanza');
    const body: Buffer[] = [];
    for (;;) {
      const bl = await next();
      const dec = decodeB64nopad(bl);
      if (dec === null || bl.length > 64) throw new VaultError('DECRYPT_FAILED', 'malformed age stanza body');
      body.push(dec);
      if (bl.length < 64) break;
    }
    stanzas.push({ args, body: Buffer.concat(body) });
    line = await next();
  }
  if (!line.startsWith('--- ') || decodeB64nopad(line.slice(4))?.length !== 32) {
    throw new VaultError('DECRYPT_FAILED', 'malformed age header MAC line');
  }
  if (stanzas.length === 0) throw new VaultError('DECRYPT_FAILED', 'age header has no recipient stanzas');
  const scrypts = stanzas.filter((s) => s.args[0] === 'scrypt');
  for (const s of scrypts) {
    const f = s.args[2] ?? '';
    if (s.args.length !== 3 || !/^[1-9][0-9]*$/.test(f)) throw new VaultError('DECRYPT_FAILED', 'malformed scrypt stanza');
    if (f.length > 2 || Number(f) > MAX_SCRYPT_WORK_FACTOR) {
      throw new VaultError('WORK_FACTOR_TOO_HIGH', `age header asks for scrypt work factor ${f.slice(0, 6)} (maximum ${MAX_SCRYPT_WORK_FACTOR})`, 'the file was not made by entra-vault or age defaults; refuse it');
    }
  }
  if (scrypts.length > 0 && stanzas.length !== 1) throw new VaultError('DECRYPT_FAILED', 'scrypt stanza must be the only stanza');
  return { stanzas, bytes: Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])) };
}

/**
 * Parse only the header of an age file (work-factor and shape checks, no keys needed).
 * @throws VaultError TRUNCATED | DECRYPT_FAILED | WORK_FACTOR_TOO_HIGH
 */
export async function parseAgeHeader(source: AsyncIterable<Uint8Array> | Uint8Array): Promise<AgeHeader> {
  const src = new ByteQueue(toIterator(source));
  try {
    return await readHeader(src);
  } finally {
    await src.close();
  }
}

/** An opened age file: the header checked, the file key unwrapped, the payload not yet read. */
export interface AgeDecryption {
  header: AgeHeader;
  /** Plaintext chunks; throws TRUNCATED or INTEGRITY at the point the STREAM fails. */
  payload: AsyncIterable<Buffer>;
}

/**
 * Open an age file for decryption. Reads the header and the 16-byte nonce only: a wrong
 * identity or passphrase fails here, before any payload byte is read (docs/reliability.md 3).
 * @throws VaultError TRUNCATED | DECRYPT_FAILED | PASSPHRASE_WRONG | WORK_FACTOR_TOO_HIGH | KEY_INVALID
 */
export async function openAgeDecryption(source: AsyncIterable<Uint8Array> | Uint8Array, keys: AgeKeys): Promise<AgeDecryption> {
  const src = new ByteQueue(toIterator(source));
  let ok = false;
  try {
    const header = await readHeader(src);
    const d = new Decrypter();
    for (const id of keys.identities ?? []) {
      try {
        d.addIdentity(id);
      } catch {
        throw new VaultError('KEY_INVALID', 'age identity is not a valid AGE-SECRET-KEY');
      }
    }
    for (const p of keys.passphrases ?? []) d.addIdentity(new ScryptIdentity(p));
    let fileKey: Uint8Array;
    try {
      fileKey = await d.decryptHeader(header.bytes);
    } catch (e) {
      if (e instanceof VaultError) throw e;
      const msg = e instanceof Error ? e.message : '';
      if (/no identity matched/.test(msg)) {
        const isScrypt = header.stanzas.some((s) => s.args[0] === 'scrypt');
        throw isScrypt
          ? new VaultError('PASSPHRASE_WRONG', 'wrong passphrase for this age file')
          : new VaultError('DECRYPT_FAILED', 'no identity matches any recipient of this age file', 'use the identity.txt that belongs to one of the archive recipients');
      }
      throw new VaultError('DECRYPT_FAILED', 'age header could not be decrypted (invalid header or MAC)');
    }
    await src.fill(16);
    if (src.buffered < 16) throw new VaultError('TRUNCATED', 'age file ends before its payload nonce');
    const nonce = src.take(16);
    const streamKey = Buffer.from(hkdfSync('sha256', fileKey, nonce, Buffer.from('payload'), 32));
    ok = true;
    return { header, payload: payloadChunks(src, streamKey) };
  } finally {
    if (!ok) await src.close();
  }
}

async function* payloadChunks(src: ByteQueue, key: Buffer): AsyncGenerator<Buffer> {
  const nonce = Buffer.alloc(12);
  let counter = 0n;
  let first = true;
  const setCounter = (last: boolean) => {
    let c = counter;
    for (let i = 10; i >= 0; i--) {
      nonce[i] = Number(c & 0xffn);
      c >>= 8n;
    }
    nonce[11] = last ? 1 : 0;
  };
  try {
    for (;;) {
      // Look one byte past a full chunk: only then do we know this chunk is not the last.
      await src.fill(CHUNK + TAG + 1);
      if (src.buffered > CHUNK + TAG) {
        const sealed = src.take(CHUNK + TAG);
        setCounter(false);
        const plain = chachaOpen(key, nonce, sealed);
        if (plain === null) throw new VaultError('INTEGRITY', `age payload chunk ${counter} failed authentication (altered data)`);
        counter++;
        first = false;
        yield plain;
        continue;
      }
      const sealed = src.take(src.buffered);
      if (sealed.length < TAG) {
        throw new VaultError('TRUNCATED', first && sealed.length === 0 ? 'age file has no payload' : 'age payload ends inside a chunk');
      }
      setCounter(true);
      const plain = chachaOpen(key, nonce, sealed);
      if (plain === null) {
        setCounter(false);
        // A chunk that authenticates as "not last" means the file was cut at a chunk boundary.
        if (sealed.length === CHUNK + TAG && chachaOpen(key, nonce, sealed) !== null) {
          throw new VaultError('TRUNCATED', 'age payload was cut at a chunk boundary');
        }
        throw new VaultError('INTEGRITY', `age payload chunk ${counter} failed authentication (altered or truncated data)`);
      }
      if (!first && plain.length === 0) throw new VaultError('INTEGRITY', 'age payload has an empty final chunk');
      if (plain.length > 0) yield plain;
      return;
    }
  } finally {
    await src.close();
  }
}

/**
 * Decrypt a whole age file into memory (small files: identity files, vectors).
 * @throws VaultError as openAgeDecryption, plus TRUNCATED | INTEGRITY
 */
export async function decryptAgeBytes(source: AsyncIterable<Uint8Array> | Uint8Array, keys: AgeKeys): Promise<Buffer> {
  const { payload } = await openAgeDecryption(source, keys);
  const parts: Buffer[] = [];
  for await (const p of payload) parts.push(p);
  return Buffer.concat(parts);
}

/**
 * Check and normalise recipient strings (`age1…` X25519, `age1pq1…` hybrid).
 * @throws VaultError KEY_INVALID naming the bad entry by position, never echoing key material beyond its prefix
 */
export function parseRecipients(input: string | readonly string[]): string[] {
  const items = (typeof input === 'string' ? input.split(/\r?\n/) : [...input])
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !s.startsWith('#'));
  if (items.length === 0) throw new VaultError('KEY_INVALID', 'no age recipient given', 'pass the recipient.txt written by `entra-vault keys init`');
  items.forEach((r, i) => {
    if (!r.startsWith('age1')) throw new VaultError('KEY_INVALID', `recipient #${i + 1} is not an age recipient (must start with age1)`);
    try {
      new Encrypter().addRecipient(r);
    } catch {
      throw new VaultError('KEY_INVALID', `recipient #${i + 1} (${r.slice(0, 10)}…) is not a valid age recipient`);
    }
  });
  return items;
}

/** Encrypt a stream of chunks to recipients (or one passphrase); returns ciphertext chunks. */
export async function encryptAgeStream(plaintext: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, to: { recipients: readonly string[] } | { passphrase: string; workFactor?: number }): Promise<AsyncIterable<Uint8Array>> {
  const e = new Encrypter();
  if ('passphrase' in to) e.addRecipient(new ScryptRecipient(to.passphrase, to.workFactor ?? DEFAULT_SCRYPT_WORK_FACTOR));
  else for (const r of parseRecipients(to.recipients)) e.addRecipient(r);
  const web = Readable.toWeb(Readable.from(plaintext, { objectMode: false })) as unknown as ReadableStream<Uint8Array>;
  const out = await e.encrypt(web);
  return Readable.fromWeb(out as unknown as import('node:stream/web').ReadableStream<Uint8Array>);
}

/** Encrypt bytes in memory (small files). */
export async function encryptAgeBytes(plaintext: Uint8Array, to: { recipients: readonly string[] } | { passphrase: string; workFactor?: number }): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of await encryptAgeStream([plaintext], to)) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

/**
 * Load an age identity file (`AGE-SECRET-KEY-…` lines, `#` comments). When the file is
 * itself age-encrypted with a passphrase (as `keys init --passphrase` / `age -p` write
 * it), `passphrase` decrypts it. Returns the identity strings; never logs them.
 * @throws VaultError FILE_NOT_FOUND | KEY_INVALID | PASSPHRASE_WRONG | WORK_FACTOR_TOO_HIGH
 */
export async function loadIdentity(path: string, passphrase?: string): Promise<string[]> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch {
    throw new VaultError('FILE_NOT_FOUND', `identity file not found: ${path}`, 'pass the identity.txt written by `entra-vault keys init`');
  }
  let text: string;
  if (raw.subarray(0, 21).toString('latin1') === 'age-encryption.org/v1') {
    if (passphrase === undefined) throw new VaultError('PASSPHRASE_WRONG', 'the identity file is passphrase-protected', 'provide the identity passphrase');
    text = (await decryptAgeBytes(raw, { passphrases: [passphrase] })).toString('utf8');
  } else text = raw.toString('utf8');
  const ids = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
  if (ids.length === 0 || ids.some((l) => !l.startsWith('AGE-SECRET-KEY-'))) {
    throw new VaultError('KEY_INVALID', `identity file ${path} does not contain age identities`);
  }
  for (const id of ids) {
    try {
      await identityToRecipient(id);
    } catch {
      throw new VaultError('KEY_INVALID', `identity file ${path} contains an invalid age identity`);
    }
  }
  return ids;
}
