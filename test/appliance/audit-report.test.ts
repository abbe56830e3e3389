import { describe, expect, it } from 'vitest';
import { buildAuditReport, readAuditRecords, setRecoveryTargets } from '../../src/report/audit-report.js';
import { renderMarkdown } from '../../src/report/doc.js';
import { auditReportDoc } from '../../src/report/audit-report.js';
import { readVaultConfig, type AuditRecord, type VaultConfig } from '../../src/vault/vault.js';
import { tempVault } from './fixtures.js';
import { isVaultError } from '../../src/errors.js';

const cfg = (rpo: number | null, rto: number | null): VaultConfig => ({ format: 'entra-vault-vault', version: 1, createdAt: '2026-01-01T00:00:00.000Z', trustedSigningKeys: ['k'], rpoHours: rpo, rtoHours: rto });
const rec = (at: string, action: string, extra: Record<string, string | number | null> = {}): AuditRecord => ({ action, at, prev: '0', ...extra });

const records = [
  rec('2026-01-01T00:00:00.000Z', 'vault.init'),
  rec('2026-01-01T01:00:00.000Z', 'backup', { tenantId: 't1', file: 't1/a.evault', objects: 10, warnings: 0, elapsedMs: 5000 }),
  rec('2026-01-02T01:00:00.000Z', 'backup', { tenantId: 't1', file: 't1/b.evault', objects: 11, warnings: 0, elapsedMs: 5000 }),
  rec('2026-01-02T13:00:00.000Z', 'backup', { tenantId: 't1', file: 't1/c.evault', objects: 11, warnings: 1, elapsedMs: 5000 }),
  rec('2026-01-02T14:00:00.000Z', 'audit.verify', { result: 'pass' }),
  rec('2026-01-02T15:00:00.000Z', 'evidence.drill', { scenario: 'tenant-loss', result: 'pass', who: 'alice', rtoMs: 2 * 3_600_000, objectsExpected: 5, objectsRestored: 5, pack: '/p' }),
  rec('2026-01-02T16:00:00.000Z', 'evidence.restore', { scenario: 'objects', result: 'fail', who: 'bob', rtoMs: 5 * 3_600_000 }),
  rec('2026-01-02T17:00:00.000Z', 'archive.prune', { tenantId: 't1' }),
];

describe('audit report', () => {
  it('reports RPO and RTO achieved against the targets', () => {
    const r = buildAuditReport('/v', records, cfg(24, 4), { now: new Date('2026-01-02T20:00:00.000Z') });
    expect(r.backups).toHaveLength(3);
    expect(r.verifications).toEqual([{ at: '2026-01-02T14:00:00.000Z', action: 'audit.verify', result: 'pass', detail: null }]);
    expect(r.drills[0]).toMatchObject({ result: 'pass', rtoMet: true, objects: '5/5', who: 'alice' });
    expect(r.restores[0]).toMatchObject({ result: 'fail', rtoMet: false });
    expect(r.rpo).toEqual([{ tenantId: 't1', backups: 3, lastBackupAt: '2026-01-02T13:00:00.000Z', maxGapHours: 24, rpoMet: true }]);
    expect(r.other).toEqual({ 'vault.init': 1, 'archive.prune': 1 });
    const tight = buildAuditReport('/v', records, cfg(12, 1), { now: new Date('2026-01-02T20:00:00.000Z') });
    expect(tight.rpo[0]!.rpoMet).toBe(false);
    expect(tight.drills[0]!.rtoMet).toBe(false);
    const none = buildAuditReport('/v', records, cfg(null, null), { now: new Date('2026-01-02T20:00:00.000Z') });
    expect(none.rpo[0]!.rpoMet).toBeNull();
    const md = renderMarkdown(auditReportDoc(tight));
    expect(md).toContain('| t1 | 3 | 2026-01-02T13:00:00.000Z | 24 | MISSED |');
  });

  it('files restores and their resumes (docs/audit-log.md "restore") as restores, with their outcome and objects', () => {
    const restore = { v: 2, via: 'cli', scenario: 'tenant-loss', tenantId: 't1', targetTenantId: 't2', manifestSha256: 'ab', failures: 0, objectsExpected: 9, attributesExpected: 0, attributesMatching: 0, relationsExpected: 0, relationsRestored: 0 };
    const runs = [
      rec('2026-01-03T01:00:00.000Z', 'restore', { ...restore, outcome: 'paused', objectsRestored: 4 }),
      rec('2026-01-03T02:00:00.000Z', 'restore.resume', { ...restore, via: 'wizard', outcome: 'completed', objectsRestored: 9 }),
      // a drill's restore is not a restore of the tenant: the drill's evidence pack reports it
      rec('2026-01-03T03:00:00.000Z', 'restore', { ...restore, via: 'drill', outcome: 'completed', objectsRestored: 9 }),
    ];
    const r = buildAuditReport('/v', [...records, ...runs], cfg(24, 4), { now: new Date('2026-01-03T20:00:00.000Z') });
    expect(r.restores).toHaveLength(3);
    expect(r.restores.slice(1)).toEqual([
      expect.objectContaining({ action: 'restore', scenario: 'tenant-loss', result: 'paused', objects: '4/9' }),
      expect.objectContaining({ action: 'restore.resume', scenario: 'tenant-loss (resumed)', result: 'completed', objects: '9/9' }),
    ]);
    expect(r.other).toEqual({ 'vault.init': 1, 'archive.prune': 1 });
  });

  it('counts the gap from the last backup to now, and filters by --since', () => {
    const late = buildAuditReport('/v', records, cfg(24, null), { now: new Date('2026-01-04T13:00:00.000Z') });
    expect(late.rpo[0]).toMatchObject({ maxGapHours: 48, rpoMet: false });
    const since = buildAuditReport('/v', records, cfg(24, null), { since: '2026-01-02', now: new Date('2026-01-02T20:00:00.000Z') });
    expect(since.backups.map((b) => b.file)).toEqual(['t1/b.evault', 't1/c.evault']);
    expect(() => buildAuditReport('/v', records, cfg(1, 1), { since: 'yesterday', now: new Date() })).toThrow(/since/);
  });

  it('sets targets in vault.json through the helper and logs the change', async () => {
    const v = await tempVault();
    await expect(setRecoveryTargets(v.vault, { rpoHours: 24, rtoHours: 8 })).resolves.toEqual({ rpoHours: 24, rtoHours: 8 });
    expect(await readVaultConfig(v.vault)).toMatchObject({ rpoHours: 24, rtoHours: 8 });
    await expect(setRecoveryTargets(v.vault, { rtoHours: -1 })).rejects.toSatisfy((e: unknown) => isVaultError(e, 'USAGE'));
    const recs = await readAuditRecords(v.vault);
    expect(recs.map((r) => r.action)).toEqual(['vault.init', 'vault.targets']);
  });
});
