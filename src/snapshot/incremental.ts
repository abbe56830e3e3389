/**
 * Which archive an incremental backup follows (docs/archive-format.md §12.3): the tenant's
 * newest signed archive in the vault, when its chain verifies and its delta state opens and
 * is younger than Graph's 7-day token lifetime (docs/graph-facts.md §5 "Delta"). Otherwise
 * the reason a full backup is taken instead — never an incremental on an uncertain base.
 */
import type { ChainLink } from '../archive/manifest.js';
import type { Clock } from '../clock.js';
import type { MinisignSecretKey } from '../crypto/index.js';
import { isVaultError } from '../errors.js';
import { verifiedChain } from '../vault/index.js';
import { readDeltaState, type DeltaState } from './delta-state.js';

/** Graph's directory delta tokens expire after 7 days (docs/graph-facts.md §5 "Delta"). */
export const DELTA_TOKEN_TTL_MS = 7 * 24 * 3600 * 1000;

/** The parent of the next incremental: its vault file, delta state and the link to write. */
export interface IncrementalBase {
  parentFile: string;
  state: DeltaState;
  link: Pick<ChainLink, 'parentManifestSha256' | 'index'>;
}

/**
 * The base of the next incremental of `tenantId`, or why there is none.
 * @throws what listing the vault throws (VAULT_INVALID)
 */
export async function incrementalBase(
  vault: string,
  tenantId: string,
  signingKey: MinisignSecretKey,
  clock: Clock,
  /** Start a new chain (a full backup) once the chain's full archive is this old (`--full-after`). */
  fullAfterHours?: number,
): Promise<{ ok: true; base: IncrementalBase } | { ok: false; reason: string }> {
  // only the newest archive's chain is verified: an hourly run must not hash the whole vault
  let chain;
  try {
    chain = await verifiedChain(vault, tenantId);
  } catch (e) {
    if (isVaultError(e, 'FILE_NOT_FOUND')) return { ok: false, reason: 'the vault holds no archive of this tenant yet' };
    if (!isVaultError(e)) throw e;
    return { ok: false, reason: `the newest archive's chain does not verify (${e.message})` };
  }
  const newest = chain[chain.length - 1]!;
  {
    const head = chain[0]!;
    const hours = (clock.now().getTime() - Date.parse(head.takenAt!)) / 3_600_000;
    if (fullAfterHours !== undefined && hours >= fullAfterHours) {
      return { ok: false, reason: `the chain's full archive is ${hours.toFixed(1)} hours old (--full-after ${fullAfterHours}): a new chain starts` };
    }
  }
  const st = await readDeltaState(newest.file, { tenantId, manifestSha256: newest.manifestSha256! }, signingKey);
  if (!st.ok) return st;
  const age = clock.now().getTime() - Date.parse(st.state.takenAt);
  if (age >= DELTA_TOKEN_TTL_MS) {
    return { ok: false, reason: `the delta tokens of the newest archive are ${(age / 86_400_000).toFixed(1)} days old; Graph keeps them 7 days` };
  }
  return { ok: true, base: { parentFile: newest.file, state: st.state, link: { parentManifestSha256: newest.manifestSha256!, index: st.state.chainIndex + 1 } } };
}
