/**
 * The read-back comparison (./readback.ts) for the all-admins-deleted scenario: a seeded tenant
 * loses every privileged user (the emulator's `deleteAllAdmins`: role assignments removed, the users
 * deleted, half of them purged for good), is restored in place, and is read back through Graph. Every
 * archived object, property and relation must be there by natural key, or be named by a manual step
 * (as for tenant loss, test/ops/every-type-readback.test.ts), whatever the restore's own report says.
 *
 * It found that a PIM for Groups eligibility of a purged admin outlived the admin in the emulator,
 * so the restore met a schedule it could not change instead of none (src/emulator/principal-links.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { seedTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { runRestore } from '../../src/ops/restore.js';
import { backupOf, readBackOf, writerOf } from './emulator-fixture.js';
import { compareReadBack } from './readback.js';

let dir: string;
let emu: EmulatorHandle;
let source: SeededTenant;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ev-admins-readback-'));
  source = seedTenant({ seed: 71, users: 12 });
  emu = await startEmulator({ port: 0, tenants: [source] });
}, 60_000);

afterAll(async () => {
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the whole tenant read back through Graph after an all-admins-deleted restore', () => {
  it('is there by natural key, property by property, or named by a manual step', { timeout: 300_000 }, async () => {
    const { archive, archiveMeta } = await backupOf(emu, source.tenantId, join(dir, 'before'));
    const report = emu.tenant(source.tenantId).damage('deleteAllAdmins');
    // the damage removed admins for good (else the purged-admin path would prove nothing)
    expect(report.hardDeleted.some((id) => (archive.objects.user ?? []).some((u) => u.id === id))).toBe(true);
    const { graph } = await writerOf(emu, source.tenantId, dir);
    const credentials = new MemoryCredentialsSink();
    const r = await runRestore({
      archive, archiveMeta, graph, targetTenantId: source.tenantId, scenario: 'all-admins-deleted', dryRun: false, confirmTenantId: source.tenantId,
      journalPath: join(dir, 'admins.journal'), credentialsSink: credentials, reporter: silentReporter, enableConditionalAccess: true,
    });
    expect(r.execution?.failures).toEqual([]);
    const live = await readBackOf(emu, source.tenantId, join(dir, 'after'));
    const { equal, findings } = compareReadBack(archive, live, {
      manualSteps: r.plan.manualSteps, warnings: r.plan.warnings, newPasswords: credentials.credentials.map((c) => c.userPrincipalName),
    });
    expect(findings).toEqual([]);
    expect(equal).toBeGreaterThan(750);
  });
});
