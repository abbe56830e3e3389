/** Helpers shared by the commands: reporter choice, signer key discovery, archive opening. */
import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { openArchive } from '../../archive/index.js';
import type { OpenedArchive } from '../../archive/index.js';
import { VaultError } from '../../errors.js';
import type { Reporter } from '../../progress.js';
import { appendAudit, readVaultConfig, VAULT_CONFIG } from '../../vault/index.js';
import type { CliIo } from '../io.js';
import { jsonLinesReporter, textReporter } from '../reporters.js';

/**
 * Progress always goes to stderr (JSON lines with --json, short text otherwise), so
 * stdout carries only the command's result and `cmd --json > result.json` just works.
 * `ENTRA_VAULT_PROGRESS=jsonl|text` in the environment chooses the format regardless of
 * --json: the wizard asks the recovery scripts' commands for JSON lines to show their
 * progress live, and a script keeps text progress for a person while saving --json results.
 */
export function reporterFor(io: CliIo, json: boolean | undefined): Reporter {
  const forced = io.env.ENTRA_VAULT_PROGRESS;
  if (forced === 'jsonl') return jsonLinesReporter(io.stderr);
  if (forced === 'text') return textReporter(io.stderr);
  return json ? jsonLinesReporter(io.stderr) : textReporter(io.stderr);
}

/** The vault directory an archive sits in (V/<tenant>/<file>.evault), if it has a vault.json. */
export async function vaultOf(archivePath: string): Promise<string | undefined> {
  const v = dirname(dirname(archivePath));
  try {
    await access(join(v, VAULT_CONFIG));
    return v;
  } catch {
    return undefined;
  }
}

/**
 * The signing public key to check an archive against: `--signer`, else the vault's
 * trusted key next to the archive.
 * @throws VaultError USAGE when neither is available
 */
export async function signerFor(archivePath: string, signer: string | undefined): Promise<{ key: string; vault?: string }> {
  const vault = await vaultOf(archivePath);
  if (signer) return { key: signer, ...(vault ? { vault } : {}) };
  if (!vault) {
    throw new VaultError('USAGE', `no vault.json next to ${archivePath}`, 'pass --signer signing.pub');
  }
  const cfg = await readVaultConfig(vault);
  const key = cfg.trustedSigningKeys[0];
  if (!key) throw new VaultError('VAULT_INVALID', `vault ${vault} trusts no signing key`);
  return { key, vault };
}

/**
 * Opens (verifies, decrypts, checks) an archive; the caller must close it. A signature
 * failure is accepted only with `allowBadSignature` (a reason), which is written to the
 * vault's audit log before anything else happens — or, outside a vault, refused.
 */
export async function openForRestore(
  archive: string,
  o: { identity: string; signer?: string; allowBadSignature?: string },
  passphrase: string | undefined,
): Promise<{ opened: OpenedArchive; vault?: string }> {
  const vault = await vaultOf(archive);
  let key: string;
  try {
    key = (await signerFor(archive, o.signer)).key;
  } catch (e) {
    if (!o.allowBadSignature) throw e;
    key = o.signer ?? '';
  }
  if (o.allowBadSignature && !vault) {
    throw new VaultError('USAGE', '--allow-bad-signature needs the archive to be in a vault, whose audit log records the override', 'import it with `vault import` (which also refuses a bad signature) or restore a signed archive');
  }
  const opened = await openArchive(archive, {
    identity: o.identity,
    ...(passphrase ? { passphrase } : {}),
    signerPublicKey: key,
    ...(o.allowBadSignature ? { allowBadSignature: { reason: o.allowBadSignature } } : {}),
  });
  if (opened.signatureOverride && vault) {
    await appendAudit(vault, {
      action: 'signature.override',
      file: archive.slice(vault.length + 1),
      problem: opened.signatureOverride.problem,
      reason: opened.signatureOverride.reason,
      manifestSha256: opened.manifestSha256,
    });
  }
  return { opened, ...(vault ? { vault } : {}) };
}
