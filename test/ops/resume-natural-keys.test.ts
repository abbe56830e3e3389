/**
 * A create whose request reached Graph before a crash is found again on resume, not sent
 * twice: custom security attribute definitions are keyed by attribute set and name, and
 * authentication-strength combination configurations by kind and combinations. Found by the
 * wizard's kill-and-resume test (test/tui/e2e-real.test.ts), where the resumed run failed
 * POSTing definitions the killed run had already created.
 * Here the target already holds what the first run would have created; the restore must
 * adopt it (outcome alreadyPresent) and fail nothing.
 */
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { emptyTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { runRestore } from '../../src/ops/restore.js';
import { backupOf, writerOf } from './emulator-fixture.js';
import { useSourceAndTarget } from './source-target.js';
import { executePlan, type ExecutionResult } from '../../src/restore/execute/executor.js';
import type { Operation, Plan } from '../../src/restore/types.js';
import type { GraphClient } from '../../src/graph/types.js';
import type { TenantData } from '../../src/model.js';
import { openJournal, planIdentity } from '../../src/restore/execute/journal.js';
import { systemClock } from '../../src/clock.js';
import { descriptor } from '../../src/catalog/index.js';

let dir: string;
let emu: EmulatorHandle;
let source: SeededTenant;
let target: SeededTenant;

useSourceAndTarget('ev-natkeys-', { seed: 41, users: 12 }, (f) => ({ dir, emu, source, target } = f));

/** A new empty target, the source backed up beside it, and the tenant-loss plan a killed run had made for it. */
async function planIntoFreshTenant(seed: number, prefix: string, dryJournal: string): Promise<{ fresh: SeededTenant; archive: TenantData; graph: GraphClient; plan: Plan }> {
  const fresh = emptyTenant({ seed });
  emu.addTenant(fresh);
  const sub = await mkdtemp(join(dir, prefix));
  const { archive, archiveMeta } = await backupOf(emu, source.tenantId, sub);
  const { graph } = await writerOf(emu, fresh.tenantId, sub);
  const dry = await runRestore({
    archive, archiveMeta, graph, targetTenantId: fresh.tenantId, scenario: 'tenant-loss', dryRun: true,
    journalPath: join(dir, dryJournal), credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
  });
  return { fresh, archive, graph, plan: dry.plan };
}

/** Runs `ops` of `plan` with a journal of their own: a killed run whose journal was lost, or the resumed one. */
async function runOps(graph: GraphClient, plan: Plan, ops: Operation[], journalName: string): Promise<ExecutionResult> {
  const journal = openJournal(join(dir, journalName), planIdentity(plan));
  try {
    return await executePlan({ ...plan, operations: ops }, {
      graph, journal, reporter: silentReporter, clock: systemClock, credentialsSink: new MemoryCredentialsSink(),
      enableConditionalAccess: false, catalog: descriptor,
    });
  } finally {
    journal.close();
  }
}

describe('creates sent before a crash are adopted, not repeated', () => {
  it('custom security attribute definitions created after the plan are adopted by set and name', { timeout: 180_000 }, async () => {
    const { archive, archiveMeta } = await backupOf(emu, source.tenantId, dir);
    const { graph } = await writerOf(emu, target.tenantId, dir);
    const defs = archive.objects.customSecurityAttributeDefinition ?? [];
    expect(defs.length).toBeGreaterThan(0);
    // the plan is made while the target lacks them, as the killed run's was
    const dry = await runRestore({
      archive, archiveMeta, graph, targetTenantId: target.tenantId, scenario: 'tenant-loss', dryRun: true,
      journalPath: join(dir, 'dry.journal'), credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
    });
    const plan = dry.plan;
    expect(plan.operations.some((o) => o.kind === 'create' && o.type === 'customSecurityAttributeDefinition')).toBe(true);
    // ... then the killed run's requests reached Graph: the sets and every definition exist
    for (const set of archive.objects.attributeSet ?? []) await graph.post('/directory/attributeSets', { id: set.id, description: set.description ?? null, maxAttributesPerSet: set.maxAttributesPerSet ?? null });
    for (const d of defs) {
      await graph.post('/directory/customSecurityAttributeDefinitions', {
        attributeSet: d.attributeSet, name: d.name, description: d.description ?? null, isCollection: d.isCollection, isSearchable: d.isSearchable,
        status: d.status, type: d.type, usePreDefinedValuesOnly: d.usePreDefinedValuesOnly ?? false,
      });
    }
    const ops = plan.operations.filter((o) => o.type === 'attributeSet' || o.type === 'customSecurityAttributeDefinition');
    const journal = openJournal(join(dir, 'resume.journal'), planIdentity(plan));
    try {
      const r = await executePlan({ ...plan, operations: ops }, {
        graph, journal, reporter: silentReporter, clock: systemClock, credentialsSink: new MemoryCredentialsSink(),
        enableConditionalAccess: false, catalog: descriptor,
      });
      expect(r.failures).toEqual([]);
      for (const o of r.outcomes) expect(o.outcome, o.opId).toBe('alreadyPresent');
    } finally {
      journal.close();
    }
    const live: unknown[] = [];
    for await (const x of graph.list('/directory/customSecurityAttributeDefinitions')) live.push(x);
    expect(live).toHaveLength(defs.length);
  });
});

describe('a service principal created before a crash is adopted by its new appId', () => {
  it('tenant loss: the SP op carries the archived appId as its key; the resumed run looks it up by the appId its app got in the target', { timeout: 180_000 }, async () => {
    const { archive, graph, plan } = await planIntoFreshTenant(43, 'sp-', 'dry-sp.journal');
    const reader = (archive.objects.application ?? []).find((a) => a.displayName === 'entra-vault backup reader')!;
    const readerSp = (archive.objects.servicePrincipal ?? []).find((s) => s.appId === reader.appId)!;
    const ops = plan.operations.filter((o) => o.kind === 'create' && (o.archivedId === reader.id || o.archivedId === readerSp.id));
    expect(ops.map((o) => o.type).sort()).toEqual(['application', 'servicePrincipal']);
    const run = (journalName: string) => runOps(graph, plan, ops, journalName);
    // the killed run: both creates reached Graph ...
    expect((await run('killed.journal')).failures).toEqual([]);
    // ... and its journal did not keep them: the resumed run finds both, POSTs neither
    const resumed = await run('resumed.journal');
    expect(resumed.failures).toEqual([]);
    for (const o of resumed.outcomes) expect(o.outcome, o.opId).toBe('alreadyPresent');
    const sps: unknown[] = [];
    for await (const s of graph.list(`/servicePrincipals?$filter=displayName eq 'entra-vault backup reader'`)) sps.push(s);
    expect(sps).toHaveLength(1);
  });
});

describe('directory extensions created before a crash are adopted by their short name', () => {
  it('tenant loss: an extension POSTed as `costCenterCode` is stored as extension_<appId>_costCenterCode; the resumed run finds it and POSTs nothing', { timeout: 180_000 }, async () => {
    const { archive, graph, plan } = await planIntoFreshTenant(46, 'ext-', 'dry-ext.journal');
    const exts = archive.objects.extensionProperty ?? [];
    expect(exts.length).toBeGreaterThan(0);
    const appIds = new Set(exts.map((e) => e.parentId));
    // the extension creates and everything they depend on (their app, its owners …)
    const byId = new Map(plan.operations.map((o) => [o.opId, o]));
    const want = new Set(plan.operations.filter((o) => o.kind === 'create' && (o.type === 'extensionProperty' || (o.type === 'application' && appIds.has(o.archivedId)))).map((o) => o.opId));
    for (const id of [...want]) for (const d of byId.get(id)!.dependsOn) want.add(d);
    for (let grew = true; grew;) {
      grew = false;
      for (const id of [...want]) for (const d of byId.get(id)!.dependsOn) if (!want.has(d)) { want.add(d); grew = true; }
    }
    const ops = plan.operations.filter((o) => want.has(o.opId));
    expect(ops.filter((o) => o.kind === 'create' && o.type === 'extensionProperty')).toHaveLength(exts.length);
    const run = (journalName: string) => runOps(graph, plan, ops, journalName);
    // the killed run's creates all reached Graph, and its journal did not keep them
    const killed = await run('killed-ext.journal');
    expect(killed.failures, JSON.stringify(killed.failures)).toEqual([]);
    const resumed = await run('resumed-ext.journal');
    expect(resumed.failures).toEqual([]);
    for (const o of resumed.outcomes) if (o.kind === 'create') expect(o.outcome, o.opId).toBe('alreadyPresent');
    let live = 0;
    for await (const a of graph.list<{ id: string }>('/applications?$select=id')) {
      for await (const _ of graph.list(`/applications/${a.id}/extensionProperties`)) live++;
    }
    expect(live).toBe(exts.length);
  });
});

describe('permission grant policy condition sets created before a crash are adopted by their conditions', () => {
  it('a resumed run finds each include/exclude set by the conditions it sets, POSTs none again', { timeout: 180_000 }, async () => {
    const { fresh, graph, plan } = await planIntoFreshTenant(44, 'pgp-', 'dry-pgp.journal');
    const ops = plan.operations.filter((o) => o.kind === 'create' && (o.type === 'permissionGrantPolicy' || o.type === 'permissionGrantPolicyInclude' || o.type === 'permissionGrantPolicyExclude'));
    const sets = ops.filter((o) => o.type !== 'permissionGrantPolicy');
    expect(sets.length, 'the seeded tenant has custom consent policies with condition sets').toBeGreaterThan(0);
    const conditionSets = (): number => {
      const o = emu.tenant(fresh.tenantId).exportState().data.objects;
      return (o.permissionGrantPolicyInclude ?? []).length + (o.permissionGrantPolicyExclude ?? []).length;
    };
    const before = conditionSets();
    const run = (journalName: string) => runOps(graph, plan, ops, journalName);
    expect((await run('pgp-killed.journal')).failures).toEqual([]);
    const resumed = await run('pgp-resumed.journal');
    expect(resumed.failures).toEqual([]);
    for (const o of resumed.outcomes) expect(o.outcome, o.opId).toBe('alreadyPresent');
    // exactly one live set per planned create: a second POST would have added another
    expect(conditionSets() - before).toBe(sets.length);
  });
});
