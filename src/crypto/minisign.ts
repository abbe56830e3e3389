/**
 * minisign-compatible Ed25519 keys and signatures, written by hand on node:crypto
 * (format: https://jedisct1.github.io/minisign/). Only the pre-hashed "ED" algorithm
 * is produced (BLAKE2b-512 of the data, then Ed25519), so arbitrarily large files are
 * signed and verified as streams; legacy "Ed" signatures are verified too.
 *
 * File formats (all base64 standard alphabet, one line each):
 *   public key  = "Ed" ‖ keyId(8) ‖ ed25519 public key(32)
 *   secret key  = "Ed" ‖ kdfAlg(2: "Sc" or 00 00) ‖ "B2" ‖ salt(32) ‖ opslimit(8 LE)
 *                 ‖ memlimit(8 LE) ‖ [keyId(8) ‖ seed‖pk(64) ‖ checksum(32)] (XOR scrypt stream when encrypted)
 *   signature   = untrusted comment line, base64("ED" ‖ keyId ‖ sig(64)),
 *                 "trusted comment: …" line, base64(global sig over sig ‖ trusted comment)
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes, scrypt as scryptCb, sign, verify, type KeyObject } from 'node:crypto';
import { VaultError } from '../errors.js';
import { blake2b } from './blake2b.js';

const SIG_ALG = Buffer.from('Ed');
const SIG_ALG_HASHED = Buffer.from('ED');
const KDF_SCRYPT = Buffer.from('Sc');
const KDF_NONE = Buffer.from([0, 0]);
const CHK_ALG = Buffer.from('B2');
const UNTRUSTED_PREFIX = 'untrusted comment: ';
const TRUSTED_PREFIX = 'trusted comment: ';
/** minisign's limit for a trusted comment (TRUSTEDCOMMENTMAXBYTES incl. prefix). */
const TRUSTED_COMMENT_MAX = 8192 - TRUSTED_PREFIX.length - 2;
/** A .minisig file is four short lines; anything larger is not a signature. */
export const MAX_SIGNATURE_FILE_BYTES = 16 * 1024;

/**
 * scrypt parameters written into passphrase-protected signing keys. libsodium's
 * pickparams turns (opslimit 2^23, memlimit 2^28) into N=2^18, r=8, p=1 — the same
 * cost as age's default passphrase work factor and 256 MiB instead of minisign's 1 GiB.
 */
export const SIGNING_KEY_OPSLIMIT = 2 ** 23;
export const SIGNING_KEY_MEMLIMIT = 2 ** 28;

export interface MinisignPublicKey {
  keyId: Buffer;
  publicKey: Buffer;
}

export interface MinisignSecretKey extends MinisignPublicKey {
  /** 32-byte Ed25519 seed. Never logged. */
  seed: Buffer;
}

/** Key id as minisign prints it: the 8 bytes read little-endian, upper-case hex. */
export function keyIdHex(keyId: Buffer): string {
  return Buffer.from(keyId).reverse().toString('hex').toUpperCase();
}

function b64url(b: Buffer): string {
  return b.toString('base64url');
}

function privateKeyObject(sk: MinisignSecretKey): KeyObject {
  return createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: b64url(sk.seed), x: b64url(sk.publicKey) }, format: 'jwk' });
}

function publicKeyObject(pk: MinisignPublicKey): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(pk.publicKey) }, format: 'jwk' });
}

/** A fresh Ed25519 key pair with a random 8-byte key id. */
export function generateSigningKey(): MinisignSecretKey {
  const seed = randomBytes(32);
  return secretKeyFromSeed(seed, randomBytes(8));
}

/** Derive the key pair from a seed (fixed test keys, vectors). */
export function secretKeyFromSeed(seed: Buffer, keyId: Buffer): MinisignSecretKey {
  if (seed.length !== 32 || keyId.length !== 8) throw new VaultError('KEY_INVALID', 'signing key seed must be 32 bytes and key id 8 bytes');
  const priv = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(priv).export({ format: 'jwk' });
  const publicKey = Buffer.from(String(jwk.x), 'base64url');
  return { seed: Buffer.from(seed), keyId: Buffer.from(keyId), publicKey };
}

/** `untrusted comment: minisign public key <ID>` + base64 line. */
export function encodePublicKey(pk: MinisignPublicKey): string {
  const body = Buffer.concat([SIG_ALG, pk.keyId, pk.publicKey]).toString('base64');
  return `${UNTRUSTED_PREFIX}minisign public key ${keyIdHex(pk.keyId)}\n${body}\n`;
}

/**
 * Parse a minisign public key: either the whole file text or just the base64 line.
 * @throws VaultError KEY_INVALID
 */
export function parsePublicKey(text: string): MinisignPublicKey {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  const line = lines.length === 1 ? lines[0] : lines.find((l, i) => i > 0 && !l.startsWith(UNTRUSTED_PREFIX));
  if (line === undefined || (lines.length > 1 && !lines[0]!.startsWith(UNTRUSTED_PREFIX))) {
    throw new VaultError('KEY_INVALID', 'not a minisign public key', 'pass the signing.pub written by `entra-vault keys init`');
  }
  const raw = Buffer.from(line, 'base64');
  if (raw.length !== 42 || !raw.subarray(0, 2).equals(SIG_ALG) || raw.toString('base64') !== line) {
    throw new VaultError('KEY_INVALID', 'not a minisign Ed25519 public key', 'pass the signing.pub written by `entra-vault keys init`');
  }
  return { keyId: Buffer.from(raw.subarray(2, 10)), publicKey: Buffer.from(raw.subarray(10, 42)) };
}

/** minisign's secret-key checksum: BLAKE2b-256(sig alg ‖ key id ‖ secret key). */
function keyChecksum(keyId: Buffer, sk64: Buffer): Buffer {
  return blake2b(Buffer.concat([SIG_ALG, keyId, sk64]), 32);
}

/** libsodium crypto_pwhash_scryptsalsa208sha256 parameter choice (pickparams). */
export function scryptParams(opslimit: number, memlimit: number): { N: number; r: number; p: number } {
  const ops = opslimit < 32768 ? 32768 : opslimit;
  const r = 8;
  let logN = 1;
  if (ops < memlimit / 32) {
    const maxN = Math.floor(ops / (r * 4));
    for (logN = 1; logN < 63; logN++) if (2 ** logN > maxN / 2) break;
    return { N: 2 ** logN, r, p: 1 };
  }
  const maxN = Math.floor(memlimit / (r * 128));
  for (logN = 1; logN < 63; logN++) if (2 ** logN > maxN / 2) break;
  let maxrp = Math.floor(ops / 4 / 2 ** logN);
  if (maxrp > 0x3fffffff) maxrp = 0x3fffffff;
  return { N: 2 ** logN, r, p: Math.max(1, Math.floor(maxrp / r)) };
}

/** Largest scrypt cost accepted when reading a key file (N·r·128 bytes of memory). */
const MAX_KEY_SCRYPT_MEM = 2 ** 31;

function scryptStream(passphrase: string, salt: Buffer, opslimit: number, memlimit: number, len: number): Promise<Buffer> {
  const { N, r, p } = scryptParams(opslimit, memlimit);
  const mem = 128 * N * r;
  if (mem > MAX_KEY_SCRYPT_MEM || p > 64) {
    return Promise.reject(new VaultError('WORK_FACTOR_TOO_HIGH', 'signing key scrypt parameters exceed the accepted maximum (N·r·128 > 2 GiB)'));
  }
  return new Promise((resolve, reject) =>
    scryptCb(passphrase, salt, len, { N, r, p, maxmem: mem * p + 2 ** 24 }, (err, out) => (err ? reject(err) : resolve(out))),
  );
}

/**
 * Encode a secret key in minisign's file format, encrypted with `passphrase` (minisign's
 * scrypt KDF) or in minisign's unencrypted form (`minisign -W`) when none is given.
 */
export async function encodeSecretKey(sk: MinisignSecretKey, passphrase?: string): Promise<string> {
  const sk64 = Buffer.concat([sk.seed, sk.publicKey]);
  const ops = Buffer.alloc(8);
  const mem = Buffer.alloc(8);
  let kdf = KDF_NONE;
  let salt: Buffer = Buffer.alloc(32);
  // minisign -W writes an all-zero checksum for unencrypted keys; keep byte-compatibility.
  let keynum = Buffer.concat([sk.keyId, sk64, Buffer.alloc(32)]);
  let comment = 'minisign secret key';
  if (passphrase !== undefined) {
    kdf = KDF_SCRYPT;
    salt = randomBytes(32);
    ops.writeBigUInt64LE(BigInt(SIGNING_KEY_OPSLIMIT));
    mem.writeBigUInt64LE(BigInt(SIGNING_KEY_MEMLIMIT));
    keynum = Buffer.concat([sk.keyId, sk64, keyChecksum(sk.keyId, sk64)]);
    const stream = await scryptStream(passphrase, salt, SIGNING_KEY_OPSLIMIT, SIGNING_KEY_MEMLIMIT, keynum.length);
    for (let i = 0; i < keynum.length; i++) keynum[i]! ^= stream[i]!;
    comment = 'minisign encrypted secret key';
  }
  const body = Buffer.concat([SIG_ALG, kdf, CHK_ALG, salt, ops, mem, keynum]).toString('base64');
  return `${UNTRUSTED_PREFIX}${comment}\n${body}\n`;
}

/**
 * Parse (and decrypt) a minisign secret key file.
 * @throws VaultError KEY_INVALID (not a key) | PASSPHRASE_WRONG (missing or wrong passphrase)
 */
export async function parseSecretKey(text: string, passphrase?: string): Promise<MinisignSecretKey> {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  const raw = lines.length >= 2 ? Buffer.from(lines[1]!.trim(), 'base64') : Buffer.alloc(0);
  if (raw.length !== 158 || !raw.subarray(0, 2).equals(SIG_ALG) || !raw.subarray(4, 6).equals(CHK_ALG)) {
    throw new VaultError('KEY_INVALID', 'not a minisign secret key', 'pass the signing.key written by `entra-vault keys init`');
  }
  const kdf = raw.subarray(2, 4);
  const keynum = Buffer.from(raw.subarray(54, 158));
  if (kdf.equals(KDF_SCRYPT)) {
    if (passphrase === undefined) throw new VaultError('PASSPHRASE_WRONG', 'the signing key is passphrase-protected', 'provide the signing key passphrase');
    const salt = raw.subarray(6, 38);
    const ops = Number(raw.readBigUInt64LE(38));
    const mem = Number(raw.readBigUInt64LE(46));
    const stream = await scryptStream(passphrase, Buffer.from(salt), ops, mem, keynum.length);
    for (let i = 0; i < keynum.length; i++) keynum[i]! ^= stream[i]!;
  } else if (!kdf.equals(KDF_NONE)) {
    throw new VaultError('KEY_INVALID', 'unsupported minisign key derivation function');
  }
  const keyId = keynum.subarray(0, 8);
  const sk64 = keynum.subarray(8, 72);
  const chk = keynum.subarray(72, 104);
  const zero = chk.every((b) => b === 0);
  if (kdf.equals(KDF_SCRYPT) || !zero) {
    if (!keyChecksum(keyId, sk64).equals(chk)) {
      throw kdf.equals(KDF_SCRYPT)
        ? new VaultError('PASSPHRASE_WRONG', 'wrong passphrase for the signing key')
        : new VaultError('KEY_INVALID', 'signing key checksum mismatch');
    }
  }
  const sk = secretKeyFromSeed(Buffer.from(sk64.subarray(0, 32)), Buffer.from(keyId));
  if (!sk.publicKey.equals(sk64.subarray(32, 64))) throw new VaultError('KEY_INVALID', 'signing key is internally inconsistent');
  return sk;
}

/** Data to sign or verify: bytes, or a stream of chunks (hashed incrementally). */
export type SignInput = Uint8Array | AsyncIterable<Uint8Array>;

/** BLAKE2b-512 of the input — the "ED" prehash. */
export async function prehash(data: SignInput): Promise<Buffer> {
  const h = createHash('blake2b512');
  if (data instanceof Uint8Array) h.update(data);
  else for await (const chunk of data) h.update(chunk);
  return h.digest();
}

function checkComment(c: string, what: string): void {
  if (/[\r\n]/.test(c)) throw new VaultError('USAGE', `${what} must be one line`);
  if (Buffer.byteLength(c) > TRUSTED_COMMENT_MAX) throw new VaultError('USAGE', `${what} is too long`);
}

/** Sign an already computed BLAKE2b-512 prehash; returns the .minisig file text. */
export function signPrehashed(sk: MinisignSecretKey, hash: Buffer, trustedComment: string, untrustedComment = 'signature from entra-vault'): string {
  checkComment(trustedComment, 'trusted comment');
  checkComment(untrustedComment, 'untrusted comment');
  const key = privateKeyObject(sk);
  const sig = sign(null, hash, key);
  const global = sign(null, Buffer.concat([sig, Buffer.from(trustedComment, 'utf8')]), key);
  const line1 = Buffer.concat([SIG_ALG_HASHED, sk.keyId, sig]).toString('base64');
  return `${UNTRUSTED_PREFIX}${untrustedComment}\n${line1}\n${TRUSTED_PREFIX}${trustedComment}\n${global.toString('base64')}\n`;
}

/** Sign data (bytes or stream) in minisign's pre-hashed format; returns the .minisig text. */
export async function signFile(sk: MinisignSecretKey, data: SignInput, trustedComment: string, untrustedComment?: string): Promise<string> {
  return signPrehashed(sk, await prehash(data), trustedComment, untrustedComment);
}

export interface ParsedSignature {
  algorithm: 'ED' | 'Ed';
  keyId: Buffer;
  signature: Buffer;
  trustedComment: string;
  globalSignature: Buffer;
}

/**
 * Parse a .minisig file.
 * @throws VaultError SIGNATURE_INVALID (malformed)
 */
export function parseSignature(text: string): ParsedSignature {
  const bad = (why: string) => new VaultError('SIGNATURE_INVALID', `signature file is malformed: ${why}`);
  if (text.length > MAX_SIGNATURE_FILE_BYTES) throw bad('too large');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length !== 4) throw bad('expected 4 lines');
  const [l0, l1, l2, l3] = lines as [string, string, string, string];
  if (!l0.startsWith(UNTRUSTED_PREFIX)) throw bad('first line is not an untrusted comment');
  if (!l2.startsWith(TRUSTED_PREFIX)) throw bad('third line is not a trusted comment');
  const raw = Buffer.from(l1.trim(), 'base64');
  if (raw.length !== 74 || raw.toString('base64') !== l1.trim()) throw bad('signature line');
  const alg = raw.subarray(0, 2).toString('latin1');
  if (alg !== 'ED' && alg !== 'Ed') throw bad('unsupported algorithm');
  const global = Buffer.from(l3.trim(), 'base64');
  if (global.length !== 64 || global.toString('base64') !== l3.trim()) throw bad('global signature line');
  const trustedComment = l2.slice(TRUSTED_PREFIX.length).replace(/\r$/, '');
  return { algorithm: alg, keyId: Buffer.from(raw.subarray(2, 10)), signature: Buffer.from(raw.subarray(10, 74)), trustedComment, globalSignature: global };
}

/**
 * Verify a minisign signature over `data` and return its trusted comment.
 * Checks the key id, the signature over the data (pre-hashed for "ED") and the global
 * signature over signature ‖ trusted comment — the same checks as `minisign -V`.
 * @throws VaultError SIGNATURE_INVALID
 */
export async function verifySignature(publicKey: MinisignPublicKey, data: SignInput, signatureText: string): Promise<string> {
  const parsed = parseSignature(signatureText);
  if (!parsed.keyId.equals(publicKey.keyId)) {
    throw new VaultError('SIGNATURE_INVALID', `signature was made by key ${keyIdHex(parsed.keyId)}, not the trusted key ${keyIdHex(publicKey.keyId)}`);
  }
  let message: Buffer;
  if (parsed.algorithm === 'ED') message = await prehash(data);
  else if (data instanceof Uint8Array) message = Buffer.from(data);
  else {
    const parts: Buffer[] = [];
    for await (const c of data) parts.push(Buffer.from(c));
    message = Buffer.concat(parts);
  }
  return verifyParsed(publicKey, message, parsed);
}

/** Verify against an already computed message (prehash for "ED"). */
export function verifyParsed(publicKey: MinisignPublicKey, message: Buffer, parsed: ParsedSignature): string {
  const key = publicKeyObject(publicKey);
  if (!parsed.keyId.equals(publicKey.keyId)) {
    throw new VaultError('SIGNATURE_INVALID', `signature was made by key ${keyIdHex(parsed.keyId)}, not the trusted key ${keyIdHex(publicKey.keyId)}`);
  }
  if (!verify(null, message, key, parsed.signature)) throw new VaultError('SIGNATURE_INVALID', 'signature does not match the data');
  const globalMsg = Buffer.concat([parsed.signature, Buffer.from(parsed.trustedComment, 'utf8')]);
  if (!verify(null, globalMsg, key, parsed.globalSignature)) throw new VaultError('SIGNATURE_INVALID', 'trusted comment signature does not match');
  return parsed.trustedComment;
}
