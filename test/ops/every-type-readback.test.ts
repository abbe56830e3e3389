/**
 * Issue 15's first done-when, for every catalog type at once: a seeded drill tenant (which holds
 * every type, test/snapshot/completeness.test.ts) is restored into a new tenant (tenant loss), the
 * new tenant is read back through Graph, and each archived object, property and relation is looked
 * for there by natural key (./readback.ts), with no use of the tool's id map, fidelity report or
 * verify. What is not there must be named by one of the plan's manual steps (by its archived id),
 * or follow from an object so named (an app role assignment of a user that directory sync brings
 * back), or be one of the few differences listed below with the manual step that covers them.
 * Anything else fails the test with the object, the property and both values.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../src/catalog/index.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { runRestore } from '../../src/ops/restore.js';
import { backupOf, readBackOf, writerOf } from './emulator-fixture.js';
import { compareReadBack } from './readback.js';
import { useSourceAndTarget, type SourceAndTarget } from './source-target.js';

let f: SourceAndTarget;
useSourceAndTarget('ev-readback-', { seed: 71, users: 12 }, (x) => { f = x; });

describe('every catalog type read back through Graph after a tenant-loss restore', () => {
  it('is there by natural key, property by property, or named by a manual step', { timeout: 300_000 }, async () => {
    const { archive, archiveMeta } = await backupOf(f.emu, f.source.tenantId, join(f.dir, 'source'));
    // the drill tenant holds every type the catalog has
    expect(catalog.filter((d) => (archive.objects[d.type] ?? []).length === 0).map((d) => d.type)).toEqual([]);
    const { graph } = await writerOf(f.emu, f.target.tenantId, f.dir);
    const credentials = new MemoryCredentialsSink();
    const r = await runRestore({
      archive, archiveMeta, graph, targetTenantId: f.target.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: f.target.tenantId,
      journalPath: join(f.dir, 'readback.journal'), credentialsSink: credentials, reporter: silentReporter, enableConditionalAccess: true,
    });
    expect(r.execution?.failures).toEqual([]);
    // the new tenant, read through Graph by the backup reader (the same reads the completeness test checks against the emulator's store)
    const live = await readBackOf(f.emu, f.target.tenantId, join(f.dir, 'target'));

    const { equal, findings, typesWithDifferences } = compareReadBack(archive, live, {
      manualSteps: r.plan.manualSteps, warnings: r.plan.warnings, newPasswords: credentials.credentials.map((c) => c.userPrincipalName),
    });
    expect(findings).toEqual([]);
    // the comparison compared: most types came back equal in every object, property for property
    expect(equal).toBeGreaterThan(700);
    expect(typesWithDifferences.size).toBeLessThan(catalog.length / 3);
  });
});

