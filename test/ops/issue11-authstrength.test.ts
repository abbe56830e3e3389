/**
 * Issue 11 item 10: authentication strengths come back as strong as they were. A custom
 * strength's combination configurations (the FIDO2 AAGUIDs, certificate issuers and policy
 * OIDs it accepts) are archived and restored; the emulator refuses what Graph refuses:
 * https://learn.microsoft.com/graph/api/authenticationstrengthpolicy-post-combinationconfigurations
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { runRestore } from '../../src/ops/restore.js';
import { backupOf, writerOf } from './emulator-fixture.js';

let dir: string;
let emu: EmulatorHandle;
let source: SeededTenant;
let target: SeededTenant;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ev-authstr-'));
  source = seedTenant({ seed: 21, users: 12 });
  target = emptyTenant({ seed: 22 });
  emu = await startEmulator({ port: 0, tenants: [source, target] });
  await mkdir(join(dir, 'target'));
}, 60_000);

afterAll(async () => {
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Config = { '@odata.type': string; appliesToCombinations: string[]; allowedAAGUIDs?: string[] };

describe('authentication strength combination configurations', () => {
  it('are archived and come back with a tenant-loss restore', { timeout: 120_000 }, async () => {
    const { archive, archiveMeta } = await backupOf(emu, source.tenantId, dir);
    const archived = archive.objects.authenticationCombinationConfiguration ?? [];
    expect(archived.length).toBeGreaterThan(0);
    expect(archived[0]).toMatchObject({ '@odata.type': '#microsoft.graph.fido2CombinationConfiguration', appliesToCombinations: ['fido2'] });
    const { graph } = await writerOf(emu, target.tenantId, join(dir, 'target'));
    const r = await runRestore({
      archive, archiveMeta, graph, targetTenantId: target.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: target.tenantId,
      journalPath: join(dir, 'authstr.journal'), credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
    });
    expect(r.execution?.failures).toEqual([]);
    const policy = archive.objects.authenticationStrengthPolicy!.find((p) => p.policyType === 'custom')!;
    const live = (await graph.get<{ value: Array<{ id: string; displayName: string }> }>('/policies/authenticationStrengthPolicies')).value.find((p) => p.displayName === policy.displayName)!;
    const configs = (await graph.get<{ value: Config[] }>(`/identity/conditionalAccess/authenticationStrength/policies/${live.id}/combinationConfigurations`)).value;
    const strip = (c: Config) => ({ type: c['@odata.type'], applies: c.appliesToCombinations, aaguids: c.allowedAAGUIDs });
    expect(configs.map(strip)).toEqual(archived.map((c) => strip(c as unknown as Config)));
    // the fidelity report compares them (a missing configuration would be a deviation)
    expect(r.fidelity?.types.find((t) => t.type === 'authenticationCombinationConfiguration')).toMatchObject({ objectsExpected: archived.length, objectsRestored: archived.length, attributesExpected: 2, attributesMatching: 2 });
  });

  it('refuses a combination the policy does not allow, a missing @odata.type, and any change to a built-in strength', async () => {
    const { graph } = await writerOf(emu, source.tenantId, join(dir, 'target'));
    const list = (await graph.get<{ value: Array<{ id: string; policyType: string }> }>('/policies/authenticationStrengthPolicies')).value;
    const custom = list.find((p) => p.policyType === 'custom')!;
    const builtIn = list.find((p) => p.policyType === 'builtIn')!;
    const post = (id: string, body: object) => graph.post(`/identity/conditionalAccess/authenticationStrength/policies/${id}/combinationConfigurations`, body).then(() => 'ok', (e: { status?: number }) => e.status);
    expect(await post(custom.id, { '@odata.type': '#microsoft.graph.x509CertificateCombinationConfiguration', appliesToCombinations: ['x509CertificateMultiFactor'], allowedIssuerSkis: ['x'] })).toBe(400);
    expect(await post(custom.id, { appliesToCombinations: ['fido2'] })).toBe(400);
    expect(await post(builtIn.id, { '@odata.type': '#microsoft.graph.fido2CombinationConfiguration', appliesToCombinations: ['fido2'], allowedAAGUIDs: [] })).toBe(400);
  });
});
