import { systemClock } from '../../clock.js';
import { initKeys } from '../../crypto/index.js';
import type { CliIo } from '../io.js';
import { writeLine } from '../io.js';
import { reporterFor } from './common.js';
import { passphraseOf, type PassphraseOpts } from './options.js';

export interface KeysInitOpts extends PassphraseOpts {
  dir: string; x25519?: boolean; json?: boolean;
}

/** `keys init`: prints public facts only (paths, recipient, key id), never secret material. */
export async function keysInit(o: KeysInitOpts, io: CliIo): Promise<number> {
  // a new passphrase is typed twice: a typo would lock the keys for good
  const passphrase = await passphraseOf(io, o, 'the new keys', { confirm: true });
  // The passphrase's key derivation (scrypt, work factor 2^18, and minisign's for the signing
  // key) takes seconds: say so before it starts and how long it took (issue 16).
  const reporter = passphrase ? reporterFor(io, o.json) : undefined;
  const t0 = systemClock.now().getTime();
  reporter?.report({ kind: 'phase', phase: 'keys', message: 'protecting the keys with the passphrase (key derivation; about 10-20 s on 2 cores)' });
  const r = await initKeys(o.dir, { x25519: o.x25519 ?? false, ...(passphrase ? { passphrase } : {}) });
  reporter?.report({ kind: 'done', phase: 'keys', message: 'keys protected', elapsedMs: systemClock.now().getTime() - t0 });
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
