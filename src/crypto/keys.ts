/**
 * `keys init`: the operator's key material. identity.txt (age secret; the decrypting
 * half, stays offline with recovery operators), recipient.txt (public), signing.key
 * (minisign secret; stays with the collector), signing.pub (minisign public; goes to
 * the vault). Secret files are created 0600 with O_EXCL and never printed.
 */
import { constants } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateHybridIdentity, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { VaultError } from '../errors.js';
import { encryptAgeBytes } from './age.js';
import { encodePublicKey, encodeSecretKey, generateSigningKey, keyIdHex, parsePublicKey, parseSecretKey, type MinisignPublicKey, type MinisignSecretKey } from './minisign.js';

export interface InitKeysOptions {
  /** Classic X25519 identity (interoperable with every age CLI) instead of hybrid post-quantum. */
  x25519?: boolean;
  /** Encrypt identity.txt (age scrypt, like `age -p`) and signing.key (minisign scrypt). */
  passphrase?: string;
}

export interface InitKeysResult {
  recipient: string;
  recipientPath: string;
  identityPath: string;
  signingKeyPath: string;
  signingPublicKeyPath: string;
  /** minisign key id (hex, as `minisign` prints it). */
  signingKeyId: string;
  kind: 'hybrid' | 'x25519';
  encrypted: boolean;
}

async function writeExclusive(path: string, data: string | Uint8Array, mode: number): Promise<void> {
  let fh;
  try {
    fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new VaultError('FILE_EXISTS', `refusing to overwrite ${path}`, 'choose an empty --dir; existing keys are never replaced');
    }
    throw e;
  }
  try {
    await fh.writeFile(data);
    await fh.chmod(mode);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Create a new key set in `dir` (created 0700 if missing).
 * @throws VaultError FILE_EXISTS when any of the four files exists (nothing is overwritten)
 * Never prints or returns secret material.
 */
export async function initKeys(dir: string, opts: InitKeysOptions = {}): Promise<InitKeysResult> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const identityPath = join(dir, 'identity.txt');
  const recipientPath = join(dir, 'recipient.txt');
  const signingKeyPath = join(dir, 'signing.key');
  const signingPublicKeyPath = join(dir, 'signing.pub');
  for (const p of [identityPath, recipientPath, signingKeyPath, signingPublicKeyPath]) {
    try {
      await readFile(p);
      throw new VaultError('FILE_EXISTS', `refusing to overwrite ${p}`, 'choose an empty --dir; existing keys are never replaced');
    } catch (e) {
      if (e instanceof VaultError) throw e;
    }
  }
  const identity = opts.x25519 ? await generateX25519Identity() : await generateHybridIdentity();
  const recipient = await identityToRecipient(identity);
  const created = new Date().toISOString();
  const identityText = `# created: ${created}\n# public key: ${recipient}\n${identity}\n`;
  const identityData = opts.passphrase !== undefined ? await encryptAgeBytes(Buffer.from(identityText), { passphrase: opts.passphrase }) : identityText;
  const sk = generateSigningKey();
  await writeExclusive(identityPath, identityData, 0o600);
  await writeExclusive(signingKeyPath, await encodeSecretKey(sk, opts.passphrase), 0o600);
  await writeExclusive(recipientPath, `${recipient}\n`, 0o644);
  await writeExclusive(signingPublicKeyPath, encodePublicKey(sk), 0o644);
  return {
    recipient,
    recipientPath,
    identityPath,
    signingKeyPath,
    signingPublicKeyPath,
    signingKeyId: keyIdHex(sk.keyId),
    kind: opts.x25519 ? 'x25519' : 'hybrid',
    encrypted: opts.passphrase !== undefined,
  };
}

/**
 * Load a minisign public key from a file path or from the key text itself.
 * @throws VaultError FILE_NOT_FOUND | KEY_INVALID
 */
export async function loadSigningPublicKey(pathOrText: string): Promise<MinisignPublicKey> {
  const looksInline = pathOrText.startsWith('untrusted comment:') || /^RW[A-Za-z0-9+/=]{54}$/.test(pathOrText.trim());
  if (looksInline) return parsePublicKey(pathOrText);
  let text: string;
  try {
    text = await readFile(pathOrText, 'utf8');
  } catch {
    throw new VaultError('FILE_NOT_FOUND', `signing public key not found: ${pathOrText}`, 'pass the signing.pub written by `entra-vault keys init`');
  }
  return parsePublicKey(text);
}

/**
 * Load the collector's minisign secret key.
 * @throws VaultError FILE_NOT_FOUND | KEY_INVALID | PASSPHRASE_WRONG
 */
export async function loadSigningKey(path: string, passphrase?: string): Promise<MinisignSecretKey> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new VaultError('FILE_NOT_FOUND', `signing key not found: ${path}`, 'pass the signing.key written by `entra-vault keys init`');
  }
  return parseSecretKey(text, passphrase);
}
