/**
 * The all-admins-deleted scenario on a tenant the seed generator did not make: every documented
 * v1.0 example of the conformance suite is replayed into a small tenant (as in
 * ./documented-tenant.test.ts), so its role assignments, PIM policies, access packages, reviews and
 * workflows are shaped exactly as Graph's reference pages show them. Then every privileged user is
 * lost (the emulator's `deleteAllAdmins`: role assignments removed, the users deleted, half of them
 * purged for good), the tenant is restored in place and read back through Graph by natural key
 * (./readback.ts), with no use of the tool's id map, report or verify. What is not there must be
 * named by a manual step, or by the report with a reason that says why; the restore fails no
 * operation but the documented PIM for Groups kind, and run again it writes nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { runRestore } from '../../src/ops/restore.js';
import { startEmulator } from '../../src/emulator/index.js';
import { FakeClock, labOn } from '../emulator/helpers.js';
import { replayAll, replayTenant } from '../emulator/conformance/replay.js';
import { backupOf, readBackOf, writerOf } from './emulator-fixture.js';
import { compareReadBack, reportedIds } from './readback.js';

describe('a tenant written by the documented examples, after every admin is deleted', () => {
  it('comes back in place, read back by natural key, or named by a manual step or a reason', { timeout: 600_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ev-documented-admins-'));
    const source = replayTenant();
    const clock = new FakeClock();
    const emu = await startEmulator({ tenants: [source], clock });
    try {
      await replayAll(await labOn(emu, source, clock));
      const { archive, archiveMeta } = await backupOf(emu, source.tenantId, join(dir, 'before'));
      const damage = emu.tenant(source.tenantId).damage('deleteAllAdmins');
      expect(damage.hardDeleted.length + damage.softDeleted.length).toBeGreaterThan(0);
      const { graph } = await writerOf(emu, source.tenantId, dir);
      const credentials = new MemoryCredentialsSink();
      const restore = (journal: string, sink = new MemoryCredentialsSink()) => runRestore({
        archive, archiveMeta, graph, targetTenantId: source.tenantId, scenario: 'all-admins-deleted', dryRun: false, confirmTenantId: source.tenantId,
        journalPath: join(dir, journal), credentialsSink: sink, reporter: silentReporter, enableConditionalAccess: true,
      });
      const r = await restore('admins.journal', credentials);
      const failures = r.execution?.failures ?? [];
      expect(failures.filter((x) => !(x.opId.startsWith('update:pimGroupPolicy:') && x.message.includes('PIM has not onboarded it'))).map((x) => `${x.opId}: ${x.code} ${x.message}`)).toEqual([]);
      const why = /^(not restorable: |unresolved reference |operation failed: PLAN_BLOCKED .*PIM has not onboarded it)/;
      expect((r.fidelity?.deviations ?? []).filter((d) => d.reason.startsWith('no operation in the plan restored it'))).toEqual([]);
      const reported = reportedIds(r.fidelity?.deviations, why);
      const live = await readBackOf(emu, source.tenantId, join(dir, 'after'));
      const { equal, findings } = compareReadBack(archive, live, {
        manualSteps: r.plan.manualSteps, warnings: r.plan.warnings, newPasswords: credentials.credentials.map((c) => c.userPrincipalName), reported,
      });
      expect(findings).toEqual([]);
      expect(equal).toBeGreaterThan(100);
      // the same restore again: everything is found where it is, nothing is written twice
      const again = await restore('again.journal');
      expect(again.execution?.writeCalls).toBe(0);
    } finally {
      await emu.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
