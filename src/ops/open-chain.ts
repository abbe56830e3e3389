/**
 * Any point of an archive chain as one tenant (docs/archive-format.md §12): the chain's full
 * archive and each incremental up to the point are opened with the same key, identity and
 * limits as the point itself and composed (src/archive/compose.ts), so restore, plan, diff and
 * the wizard read an incremental exactly as they read a full archive.
 */
import { resolve } from 'node:path';
import { applyIncremental, readIncremental } from '../archive/compose.js';
import { openArchive, type OpenArchiveOptions, type OpenedArchive } from '../archive/index.js';
import { isVaultError } from '../errors.js';
import type { TenantData } from '../model.js';
import { chainBroken, verifiedChain } from '../vault/index.js';

/**
 * The tenant at `point` (an opened incremental archive inside `vault`).
 * @throws VaultError CHAIN_BROKEN (no vault; a parent missing, badly signed, of another
 *   tenant, not older; or a parent that fails to open — its code is in the message)
 */
export async function composeChainPoint(vault: string | undefined, point: OpenedArchive, open: Omit<OpenArchiveOptions, 'allowBadSignature' | 'onSignatureOverride'>): Promise<TenantData> {
  if (!vault) throw chainBroken(`${point.path} is an incremental archive outside a vault: its parents cannot be found`);
  // only this chain's archives are checked (custody), not every archive of the vault
  const chain = await verifiedChain(vault, point.manifest.tenantId, resolve(point.path));
  let data: TenantData | undefined;
  for (const link of chain.slice(0, -1)) {
    let a: OpenedArchive;
    try {
      a = await openArchive(link.file, open);
    } catch (e) {
      if (isVaultError(e)) throw chainBroken(`parent ${link.file} does not open: ${e.code}: ${e.message}`);
      throw e;
    }
    try {
      if (a.manifestSha256 !== link.manifestSha256) throw chainBroken(`parent ${link.file} changed while the chain was read`);
      data = data === undefined ? await a.loadTenantData() : applyIncremental(data, await readIncremental(a));
    } finally {
      await a.close();
    }
  }
  if (data === undefined) throw chainBroken(`${point.path} has no full archive at the start of its chain`);
  return applyIncremental(data, await readIncremental(point));
}
