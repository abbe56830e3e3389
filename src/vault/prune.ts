/**
 * Retention: restic-style keep rules over a vault's archives (newest always kept, then
 * daily/weekly/monthly/yearly buckets per tenant). A dry run by default; with `dryRun:
 * false` the removals happen under the vault lock, each audit-logged.
 */
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { appendAudit } from './audit-log.js';
import { listVault, withVaultLock, type VaultListing } from './vault.js';
import { withAncestors } from './chain.js';

export interface PrunePolicy {
  keepDaily?: number;
  keepWeekly?: number;
  keepMonthly?: number;
  keepYearly?: number;
  /** Default true: report only. */
  dryRun?: boolean;
}

export interface PruneResult {
  dryRun: boolean;
  kept: { file: string; tenantId: string; takenAt: string; reasons: string[] }[];
  removed: { file: string; tenantId: string; takenAt: string; reason: string }[];
}

function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const y = t.getUTCFullYear();
  const week = Math.ceil(((t.getTime() - Date.UTC(y, 0, 1)) / 86400000 + 1) / 7);
  return `${y}-W${String(week).padStart(2, '0')}`;
}

/**
 * restic-style retention per tenant: newest archive of each of the last N days / weeks /
 * months / years is kept (reasons listed); the newest archive of a tenant is always kept.
 * Only archives with a valid signature are considered for keeping rules; dryRun defaults true.
 */
export async function pruneVault(vault: string, policy: PrunePolicy): Promise<PruneResult> {
  const dryRun = policy.dryRun ?? true;
  const listing = (await listVault(vault)).filter((l) => l.takenAt !== null);
  const byTenant = new Map<string, VaultListing[]>();
  for (const l of listing) byTenant.set(l.tenantId, [...(byTenant.get(l.tenantId) ?? []), l]);
  const result: PruneResult = { dryRun, kept: [], removed: [] };
  const rules: [keyof PrunePolicy, string, (d: Date) => string][] = [
    ['keepDaily', 'daily', (d) => d.toISOString().slice(0, 10)],
    ['keepWeekly', 'weekly', isoWeek],
    ['keepMonthly', 'monthly', (d) => d.toISOString().slice(0, 7)],
    ['keepYearly', 'yearly', (d) => d.toISOString().slice(0, 4)],
  ];
  for (const [tenantId, items] of byTenant) {
    const sorted = [...items].sort((a, b) => (a.takenAt! < b.takenAt! ? 1 : -1));
    const reasons = new Map<string, string[]>();
    reasons.set(sorted[0]!.file, ['newest']);
    for (const [key, label, bucket] of rules) {
      const n = (policy[key] as number | undefined) ?? 0;
      const seen = new Set<string>();
      for (const it of sorted) {
        if (seen.size >= n) break;
        const b = bucket(new Date(it.takenAt!));
        if (seen.has(b)) continue;
        seen.add(b);
        reasons.set(it.file, [...(reasons.get(it.file) ?? []), `${label} ${b}`]);
      }
    }
    // an incremental kept keeps its whole chain: prune never orphans one (docs/archive-format.md §12)
    for (const f of withAncestors(items, [...reasons.keys()])) {
      if (!reasons.has(f)) reasons.set(f, ['parent of a kept incremental']);
    }
    for (const it of sorted) {
      const r = reasons.get(it.file);
      if (r) result.kept.push({ file: it.file, tenantId, takenAt: it.takenAt!, reasons: r });
      else result.removed.push({ file: it.file, tenantId, takenAt: it.takenAt!, reason: 'not selected by any keep rule' });
    }
  }
  if (!dryRun) {
    await withVaultLock(vault, async () => {
      for (const r of result.removed) {
        // Archive first: a kill in between leaves an orphan signature, which is never
        // listed and is removed by the next import — never an unsigned listed archive.
        await rm(r.file, { force: true });
        await rm(`${r.file}.minisig`, { force: true });
        // its delta state (src/snapshot/delta-state.ts) only ever seeds an incremental of this archive
        await rm(`${r.file}.state`, { force: true });
        await appendAudit(vault, { action: 'archive.prune', tenantId: r.tenantId, file: basename(r.file), takenAt: r.takenAt });
      }
    });
  }
  return result;
}
