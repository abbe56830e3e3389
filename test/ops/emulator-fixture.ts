/**
 * Test fixture for restores against the emulator: a seeded source tenant backed up
 * through the real pipeline (encrypted, signed archive, opened and verified), writer
 * profiles for fresh targets, and a natural-key view of a tenant's final state so two
 * targets can be compared without ids (a duplicate object shows up as a second line).
 */
import { join } from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { openArchive } from '../../src/archive/index.js';
import type { ResourceType } from '../../src/catalog/types.js';
import { systemClock } from '../../src/clock.js';
import { initKeys, loadSigningKey } from '../../src/crypto/index.js';
import { canonicalJson } from '../../src/json.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import type { ExportedState } from '../../src/emulator/types.js';
import { createGraphClient } from '../../src/graph/index.js';
import type { GraphClient } from '../../src/graph/types.js';
import type { DirObject, TenantData } from '../../src/model.js';
import { loadProfile } from '../../src/profile.js';
import { silentReporter, type Reporter } from '../../src/progress.js';
import type { ArchiveMeta } from '../../src/ops/restore-pipeline.js';
import { runBackup } from '../../src/snapshot/backup.js';
import { MemorySink } from '../../src/snapshot/sink.js';
import { walkTenant } from '../../src/snapshot/walker.js';
import { readVaultConfig } from '../../src/vault/index.js';
import { caReferences, grantTuples, keyIndex, SEP } from './natural-keys.js';

export interface ChildInput {
  archive: TenantData;
  archiveMeta: ArchiveMeta;
  profilePath: string;
  /** Several recovery apps of the target (issue 17 item 3): the child restores through all of them. */
  profilePaths?: string[];
  journalPath: string;
  recipient: string;
  /** The operator's identity: it tags the stored plan (src/restore/plan-tag.ts). */
  identity: string;
  k: number;
  /** Kill at the first phase event whose message contains this (test/ops/bootstrap-first.test.ts: between phases). */
  killAtPhase?: string;
}

/** Backs the tenant up into a vault under `dir` and opens the archive again. */
export async function backupOf(emu: EmulatorHandle, tenantId: string, dir: string): Promise<{ archive: TenantData; archiveMeta: ArchiveMeta }> {
  const keys = await initKeys(join(dir, 'keys'), { x25519: true });
  const readerPath = join(dir, `reader-${tenantId}.json`);
  await emu.writeProfiles(tenantId, { readerPath, writerPath: join(dir, `source-writer-${tenantId}.json`) });
  const reader = await createGraphClient(await loadProfile(readerPath), { reporter: silentReporter });
  const vaultDir = join(dir, 'vault');
  const backup = await runBackup({
    graph: reader, vaultDir, recipients: [keys.recipient], signingKey: await loadSigningKey(keys.signingKeyPath), reporter: silentReporter, clock: systemClock, toolVersion: 'test', createVault: true,
  });
  const config = await readVaultConfig(vaultDir);
  const opened = await openArchive(backup.archivePath, { identity: keys.identityPath, signerPublicKey: config.trustedSigningKeys[0] ?? '', expectedTenantId: tenantId });
  try {
    return { archive: await opened.loadTenantData(), archiveMeta: { tenantId, takenAt: opened.manifest.takenAt, manifestSha256: opened.manifestSha256 } };
  } finally {
    await opened.close();
  }
}

/**
 * The tenant as a backup of it would hold it, read by the backup's own walk (src/snapshot/walker.ts,
 * the same reads and normalisation, members sorted as the archive writes them) into memory, without sealing and opening an archive: for a
 * read-back that is compared, not restored from. About half a 40-user backupOf's time.
 */
export async function readBackOf(emu: EmulatorHandle, tenantId: string, dir: string): Promise<TenantData> {
  const readerPath = join(dir, `readback-${tenantId}.json`);
  await emu.writeProfiles(tenantId, { readerPath, writerPath: join(dir, `readback-writer-${tenantId}.json`) });
  const reader = await createGraphClient(await loadProfile(readerPath), { reporter: silentReporter });
  const sink = new MemorySink();
  await walkTenant({ graph: reader, sink, reporter: silentReporter, clock: systemClock, concurrency: 4 });
  const initial = (sink.objects.domain ?? []).find((d) => d.isInitial === true);
  // the archive writes each object with its members sorted (src/json.ts canonicalJson); comparisons read them in order
  return JSON.parse(canonicalJson(sink.toTenantData(tenantId, typeof initial?.id === 'string' ? initial.id : ''))) as TenantData;
}

/** The restore writer's profile and a Graph client for a target tenant. */
export async function writerOf(emu: EmulatorHandle, tenantId: string, dir: string, reporter: Reporter = silentReporter): Promise<{ graph: GraphClient; profilePath: string }> {
  const profilePath = join(dir, `writer-${tenantId}.json`);
  await emu.writeProfiles(tenantId, { readerPath: join(dir, `target-reader-${tenantId}.json`), writerPath: profilePath });
  return { graph: await createGraphClient(await loadProfile(profilePath), { reporter }), profilePath };
}

/**
 * Writer profiles for `apps` recovery apps of tenant `tenantId` (src/emulator/recovery-apps.ts),
 * `<dir>/<tag>-w1.json` … `-wN.json`, with the reader's at `<dir>/<tag>-r.json`.
 */
export async function recoveryWriterProfiles(emu: EmulatorHandle, tenantId: string, dir: string, tag: string, apps: number): Promise<string[]> {
  const paths = Array.from({ length: apps }, (_, i) => join(dir, `${tag}-w${i + 1}.json`));
  await emu.writeProfiles(tenantId, { readerPath: join(dir, `${tag}-r.json`), writerPath: paths[0]!, extraWriterPaths: paths.slice(1) });
  return paths;
}

/** A natural-key view without the recovery apps' own objects and grants: a restore does not bring them back (their names are numbered). */
export function withoutRecoveryApps(lines: string[]): string[] {
  return lines.filter((l) => !/entra-vault[- ]restore[- ]?writer/i.test(l));
}

/** An age identity/recipient pair for the stored plan (X25519: cheap). */
export async function operatorKey(): Promise<{ identity: string; recipient: string }> {
  const identity = await generateIdentity();
  return { identity, recipient: await identityToRecipient(identity) };
}

const GRANT_TYPES = new Set<ResourceType>(['roleAssignment', 'roleAssignmentSchedule', 'roleEligibilitySchedule', 'appRoleAssignment', 'oauth2PermissionGrant']);

/** Sorted lines describing every object, grant, CA reference and relation of a tenant by natural key. */
export function naturalState(state: ExportedState): string[] {
  const idx = keyIndex(state.data);
  const lines: string[] = [];
  for (const [type, list] of Object.entries(state.data.objects) as [ResourceType, DirObject[]][]) {
    // the tenant's own identity (name, initial domain) is not part of what a restore brings back
    if (GRANT_TYPES.has(type) || type === 'organization' || type === 'domain') continue;
    for (const o of list) {
      const nk = idx.key(o.id);
      let name = typeof o.displayName === 'string' ? o.displayName : typeof o.name === 'string' ? o.name : '';
      // an extension's name embeds its app's appId, which a recreated app changes: name the app instead
      if (type === 'extensionProperty') name = `${String(o.appDisplayName)}:${name.replace(/^extension_[0-9a-f]{32}_/, '')}`;
      lines.push(`${type}${SEP}${nk ?? name}`);
      if (type === 'conditionalAccessPolicy') lines.push(`${type}${SEP}${name}${SEP}${String(o.state)}${SEP}${caReferences(idx, o).join(',')}`);
    }
  }
  for (const [type, tuples] of Object.entries(grantTuples(idx, state.data))) for (const t of tuples) lines.push(`${type}${SEP}${t}`);
  for (const [kind, edges] of Object.entries(state.data.relations)) {
    for (const e of edges ?? []) lines.push(`${kind}${SEP}${idx.key(e.from) ?? '?'}${SEP}${idx.key(e.to) ?? '?'}`);
  }
  return lines.sort();
}
