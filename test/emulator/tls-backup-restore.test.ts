/**
 * End to end over HTTPS with certificate profiles (issue 14 item 5): the emulator started
 * with `tls`, the backup reader and restore writer signing in with @azure/identity's
 * ClientCertificateCredential (a certificate client assertion, verified by the emulator
 * against the app's keyCredentials) through the product's own Graph client, which trusts
 * only the system CAs plus the profile's `caFile`. A backup of a seeded tenant, then a
 * tenant-loss restore into an empty tenant.
 *
 * Follows https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 * ("Second case: Access token request with a certificate") and
 * https://learn.microsoft.com/entra/identity-platform/certificate-credentials.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../src/archive/index.js';
import { systemClock } from '../../src/clock.js';
import { initKeys, loadSigningKey } from '../../src/crypto/index.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import { createGraphClient } from '../../src/graph/index.js';
import { runRestore } from '../../src/ops/restore.js';
import { loadProfile } from '../../src/profile.js';
import { silentReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { runBackup } from '../../src/snapshot/backup.js';
import { readVaultConfig } from '../../src/vault/index.js';

let emu: EmulatorHandle;
let source: SeededTenant;
let target: SeededTenant;
let dir: string;

beforeAll(async () => {
  source = seedTenant({ seed: 514, users: 20 });
  target = emptyTenant({ seed: 515 });
  emu = await startEmulator({ tenants: [source, target], tls: true });
  dir = await mkdtemp(join(tmpdir(), 'ev-tls-e2e-'));
}, 60_000);

afterAll(async () => {
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('backup and restore over HTTPS with certificate profiles', () => {
  it('backs up with the reader certificate and restores with the writer certificate', async () => {
    await emu.writeProfiles(source.tenantId, { readerPath: join(dir, 'source-reader.json'), writerPath: join(dir, 'source-writer.json'), auth: 'certificate' });
    await emu.writeProfiles(target.tenantId, { readerPath: join(dir, 'target-reader.json'), writerPath: join(dir, 'target-writer.json'), auth: 'certificate' });
    const readerProfile = await loadProfile(join(dir, 'source-reader.json'));
    const writerProfile = await loadProfile(join(dir, 'target-writer.json'));
    for (const p of [readerProfile, writerProfile]) {
      expect(p.auth.kind).toBe('certificate');
      expect(p.authorityHost).toMatch(/^https:/);
      expect(p.graphBaseUrl).toMatch(/^https:/);
      expect(p.caFile).toBe(join(dir, 'emulator-ca.pem'));
    }
    // without the CA the same profile cannot connect: TLS is really verified (MSAL reports the
    // refused OpenID discovery as endpoints_resolution_error)
    await expect(createGraphClient({ ...readerProfile, caFile: undefined }, { reporter: silentReporter, maxRetries: 0 })).rejects.toThrow(/endpoints_resolution_error/);

    const src = emu.tenant(source.tenantId);
    src.resetStats();
    const keys = await initKeys(join(dir, 'keys'), { x25519: true });
    const reader = await createGraphClient(readerProfile, { reporter: silentReporter });
    const vaultDir = join(dir, 'vault');
    const backup = await runBackup({
      graph: reader, vaultDir, recipients: [keys.recipient], signingKey: await loadSigningKey(keys.signingKeyPath), reporter: silentReporter, clock: systemClock, toolVersion: 'test', createVault: true,
    });
    expect(src.stats().tokens).toBeGreaterThanOrEqual(1);
    expect(src.stats().requests).toBeGreaterThan(10);
    const config = await readVaultConfig(vaultDir);
    const opened = await openArchive(backup.archivePath, { identity: keys.identityPath, signerPublicKey: config.trustedSigningKeys[0] ?? '', expectedTenantId: source.tenantId });
    let archive;
    let archiveMeta;
    try {
      archive = await opened.loadTenantData();
      archiveMeta = { tenantId: source.tenantId, takenAt: opened.manifest.takenAt, manifestSha256: opened.manifestSha256 };
    } finally {
      await opened.close();
    }
    expect(archive.objects.user?.length).toBe(source.objects.user?.length);

    const tgt = emu.tenant(target.tenantId);
    tgt.resetStats();
    const writer = await createGraphClient(writerProfile, { reporter: silentReporter });
    const result = await runRestore({
      archive, archiveMeta, graph: writer, targetTenantId: target.tenantId, scenario: 'tenant-loss', dryRun: false, confirmTenantId: target.tenantId,
      journalPath: join(dir, 'restore.journal'), credentialsSink: new MemoryCredentialsSink(), reporter: silentReporter, enableConditionalAccess: true,
    });
    expect(result.execution?.failures).toEqual([]);
    expect(tgt.stats().tokens).toBeGreaterThanOrEqual(1);
    expect(tgt.stats().mutating).toBeGreaterThan(50);
    const restored = tgt.exportState().data.objects;
    const names = (l: Array<Record<string, unknown>> | undefined): string[] => (l ?? []).map((u) => String(u.userPrincipalName).split('@')[0]).sort();
    // every cloud-only source user is back in the target, by the local part of the UPN (the
    // domain is the target's); synced users are AD Connect's to bring back, not the restore's
    const cloud = (source.objects.user ?? []).filter((u) => u.onPremisesSyncEnabled !== true);
    expect(cloud.length).toBeGreaterThan(5);
    for (const n of names(cloud)) expect(names(restored.user)).toContain(n);
  }, 120_000);
});
