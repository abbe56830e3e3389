/** The vault's configuration, V/vault.json: format, trusted signing keys, recovery targets. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VaultError } from '../errors.js';
import { parsePublicKey, type MinisignPublicKey } from '../crypto/minisign.js';

export const VAULT_CONFIG = 'vault.json';

export interface VaultConfig {
  format: 'entra-vault-vault';
  version: 1;
  createdAt: string;
  /** minisign public keys (file text) whose signatures the vault accepts. */
  trustedSigningKeys: string[];
  /** Recovery objectives (hours); placeholders for the operator to set. */
  rpoHours: number | null;
  rtoHours: number | null;
}

/**
 * Read vault.json.
 * @throws VaultError VAULT_INVALID
 */
export async function readVaultConfig(vault: string): Promise<VaultConfig> {
  let text: string;
  try {
    text = await readFile(join(vault, VAULT_CONFIG), 'utf8');
  } catch {
    throw new VaultError('VAULT_INVALID', `${vault} is not a vault (no ${VAULT_CONFIG})`, 'create one with `entra-vault vault init`');
  }
  let c: VaultConfig;
  try {
    c = JSON.parse(text) as VaultConfig;
  } catch {
    throw new VaultError('VAULT_INVALID', `${VAULT_CONFIG} is not valid JSON`);
  }
  if (c.format !== 'entra-vault-vault' || c.version !== 1 || !Array.isArray(c.trustedSigningKeys) || c.trustedSigningKeys.length === 0) {
    throw new VaultError('VAULT_INVALID', `${VAULT_CONFIG} is not an entra-vault v1 vault config`);
  }
  return c;
}

/** The signing public keys the vault trusts. @throws VaultError VAULT_INVALID */
export async function trustedKeys(vault: string): Promise<MinisignPublicKey[]> {
  return (await readVaultConfig(vault)).trustedSigningKeys.map((k) => parsePublicKey(k));
}
