/**
 * Which signing key an archive is checked against, and which vault it sits in: the part of
 * src/ops/open-archive.ts that `verify` needs, apart from it, so that `verify` loads the
 * vault's config reader only, not the audit log, chains and composition (issue 17 item 5:
 * every module verify loads is start-up time of each run).
 */
import { access } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { VaultError } from '../errors.js';
import { readVaultConfig, VAULT_CONFIG } from '../vault/config.js';

/** The vault directory an archive sits in (V/<tenant>/<file>.evault), if it has a vault.json. */
export async function vaultOf(archivePath: string): Promise<string | undefined> {
  const v = dirname(dirname(resolve(archivePath)));
  try {
    await access(join(v, VAULT_CONFIG));
    return v;
  } catch {
    return undefined;
  }
}

/**
 * The signing public key (file path or key text) to check an archive against: the one
 * given, else the first key the archive's vault trusts.
 * @throws VaultError USAGE (no key given and no vault) | VAULT_INVALID (the vault trusts no key)
 */
export async function signerFor(archivePath: string, signer: string | undefined): Promise<{ key: string; vault?: string; vaultTenantId?: string }> {
  const vault = await vaultOf(archivePath);
  return { key: await signerIn(vault, archivePath, signer), ...(vault ? { vault, vaultTenantId: basename(dirname(resolve(archivePath))) } : {}) };
}

/**
 * The tenant an archive inside a vault is filed under (its directory, `V/<tenantId>/`): an
 * archive of tenant B placed in tenant A's directory is refused (WRONG_TENANT) by every
 * command that reads it for a tenant, not only by `vault list`. Undefined outside a vault.
 */
export async function vaultTenantOf(archivePath: string): Promise<string | undefined> {
  return (await vaultOf(archivePath)) ? basename(dirname(resolve(archivePath))) : undefined;
}

/** signerFor once the archive's vault is known. */
export async function signerIn(vault: string | undefined, archivePath: string, signer: string | undefined): Promise<string> {
  if (signer) return signer;
  if (!vault) throw new VaultError('USAGE', `no vault.json next to ${archivePath}`, 'pass --signer signing.pub');
  const key = (await readVaultConfig(vault)).trustedSigningKeys[0];
  if (!key) throw new VaultError('VAULT_INVALID', `vault ${vault} trusts no signing key`);
  return key;
}
