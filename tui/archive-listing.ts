/** The vault's archives as the wizard lists them (tui/services.ts `listArchives`): signed headers only, nothing decrypted. */
import { listVault, tenantMark } from '../src/vault/index.js';
import type { ArchiveInfo } from './services.js';

/** Every archive of the vault with its signature status and its tenant's rollback mark. */
export async function listArchiveInfos(vaultDir: string): Promise<ArchiveInfo[]> {
  const rows = await listVault(vaultDir);
  const marks = new Map<string, Awaited<ReturnType<typeof tenantMark>>>();
  for (const t of new Set(rows.map((r) => r.tenantId))) marks.set(t, await tenantMark(vaultDir, t).catch(() => null));
  return rows.map((r) => {
    const mark = marks.get(r.tenantId);
    return {
      path: r.file, tenantId: r.tenantId, takenAt: r.takenAt ?? '', counts: {}, bytes: r.bytes, signature: r.signature,
      ...(r.signature !== 'valid' ? { signatureProblem: r.error ?? 'signature does not verify' } : {}),
      ...(r.sequence !== null ? { sequence: r.sequence } : {}),
      ...(mark ? { vaultMark: mark } : {}),
    };
  });
}
