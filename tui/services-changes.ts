/**
 * The real `changesSince` (tui/services.ts): "what changed since this archive?" through the
 * same core functions as `entra-vault diff` (src/restore/archive-diff.ts compares, as
 * src/ops/archive-diff.ts does for two archives; src/ops/archive-live-diff.ts for an archive
 * against the connected target). Each archive is opened under the vault's rules except
 * anti-rollback (read only), with its own accepted signature override. Reads only.
 */
import { resolve } from 'node:path';
import { systemClock } from '../src/clock.js';
import { VaultError } from '../src/errors.js';
import type { GraphClient } from '../src/graph/types.js';
import { diffArchiveWithLive } from '../src/ops/archive-live-diff.js';
import { openArchiveForUse, type ArchiveForUse } from '../src/ops/open-archive.js';
import { compareArchives } from '../src/restore/archive-diff.js';
import { archiveDiffReport } from '../src/restore/render-archive-diff.js';
import type { Reporter } from '../src/progress.js';
import type { ArchiveDiffReport, ChangesRequest } from './services.js';

/** What a comparison needs from the wizard's session (tui/services-real.ts). Never shown: the passphrase stays in memory. */
export interface ChangesSession {
  /** The identity file typed for a comparison: used first, without the session's passphrase. */
  diffIdentityPath?: string;
  /** The identity file the archive was unlocked with. */
  identityPath?: string;
  /** The passphrase the session unlocked with (of the identity file, or of the archive). */
  passphrase?: string;
  /** Archives whose bad signature the operator accepted (audit-logged), by path. */
  overrides: ReadonlyMap<string, string>;
  /** The connected target, for `live`. */
  graph?: GraphClient;
  targetTenantId?: string;
}

/** The typed identity alone, else what the archive was unlocked with. */
function keyOf(s: ChangesSession): { identityPath?: string; passphrase?: string } {
  if (s.diffIdentityPath) return { identityPath: s.diffIdentityPath };
  return { ...(s.identityPath ? { identityPath: s.identityPath } : {}), ...(s.passphrase ? { passphrase: s.passphrase } : {}) };
}

function noKey(): VaultError {
  return new VaultError('USAGE', 'the archive must be decrypted to compare it, and no key was given yet',
    'type the identity file at the prompt, or unlock an archive (enter) and come back to the Archive step');
}

/**
 * Compares as the request asks.
 * @throws VaultError USAGE (no key; `live` without a connected target) | WRONG_TENANT (two
 *   archives of different tenants) | the archive-opening errors (SIGNATURE_*, KEY_*,
 *   DECRYPT_*…) | GRAPH_* (the live read)
 */
export async function changesSince(req: ChangesRequest, keys: ChangesSession, reporter: Reporter): Promise<ArchiveDiffReport> {
  const key = keyOf(keys);
  if (!key.identityPath && !key.passphrase) throw noKey();
  // each archive with its own accepted override (if any): one archive's reason never covers the other
  const open = (archivePath: string): Promise<ArchiveForUse> => {
    const bad = keys.overrides.get(archivePath);
    return openArchiveForUse({ archivePath, via: 'wizard', readOnly: true, ...key, ...(bad ? { allowBadSignature: bad } : {}) });
  };
  if (req.kind === 'archives') {
    reporter.report({ kind: 'phase', phase: 'diff', message: 'opening and comparing the two archives' });
    const [a, b] = [await open(req.olderPath), await open(req.newerPath)];
    if (a.meta.tenantId.toLowerCase() !== b.meta.tenantId.toLowerCase()) {
      throw new VaultError('WRONG_TENANT', `the archives are of different tenants (A: ${a.meta.tenantId}, B: ${b.meta.tenantId})`, 'compare two archives of one tenant');
    }
    return archiveDiffReport({ ...a.meta, file: req.olderPath }, { ...b.meta, file: req.newerPath }, compareArchives(a.data, b.data));
  }
  if (!keys.graph || !keys.targetTenantId) {
    throw new VaultError('USAGE', 'no target is connected to compare the archive with', 'compare two archives instead, or connect to the target first and come back');
  }
  reporter.report({ kind: 'phase', phase: 'diff', message: 'opening the archive' });
  const archive = await open(req.archivePath);
  return diffArchiveWithLive({
    archive, archiveFile: resolve(req.archivePath), graph: keys.graph, targetTenantId: keys.targetTenantId,
    targetLabel: `live tenant ${keys.targetTenantId}`, reporter, clock: systemClock,
  });
}
