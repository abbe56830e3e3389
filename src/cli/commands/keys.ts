import { initKeys } from '../../crypto/index.js';
import type { CliIo } from '../io.js';
import { writeLine } from '../io.js';
import { passphraseFrom } from './options.js';

/** `keys init`: prints public facts only (paths, recipient, key id), never secret material. */
export async function keysInit(o: { dir: string; x25519?: boolean; passphraseEnv?: string; json?: boolean }, io: CliIo): Promise<number> {
  const passphrase = passphraseFrom(io.env, o.passphraseEnv);
  const r = await initKeys(o.dir, { x25519: o.x25519 ?? false, ...(passphrase ? { passphrase } : {}) });
  if (o.json) {
    writeLine(io.stdout, JSON.stringify({
      recipient: r.recipient, kind: r.kind, encrypted: r.encrypted, signingKeyId: r.signingKeyId,
      files: { identity: r.identityPath, recipient: r.recipientPath, signingKey: r.signingKeyPath, signingPublicKey: r.signingPublicKeyPath },
    }));
  } else {
    writeLine(io.stdout, `created ${r.kind === 'hybrid' ? 'hybrid post-quantum' : 'X25519'} age identity ${r.identityPath} (0600${r.encrypted ? ', passphrase-protected' : ''})`);
    writeLine(io.stdout, `recipient ${r.recipient} (${r.recipientPath})`);
    writeLine(io.stdout, `signing key ${r.signingKeyPath} (0600), public key ${r.signingPublicKeyPath} (minisign key id ${r.signingKeyId})`);
    writeLine(io.stdout, 'keep identity.txt offline with the recovery operators; signing.key stays with the collector; the vault holds public keys only');
  }
  return 0;
}
