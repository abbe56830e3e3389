/** Test helpers: back up a seeded emulator tenant into a temp vault and read the archive back. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArchive, type OpenedArchive } from '../../src/archive/index.js';
import { systemClock, type Clock } from '../../src/clock.js';
import { initKeys, loadSigningKey, type InitKeysResult } from '../../src/crypto/keys.js';
import { startEmulator, type EmulatorHandle, type FaultConfig } from '../../src/emulator/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import { createGraphClient } from '../../src/graph/index.js';
import type { GraphClient } from '../../src/graph/types.js';
import { loadProfile } from '../../src/profile.js';
import { silentReporter } from '../../src/progress.js';
import { runBackup, type BackupResult } from '../../src/snapshot/backup.js';

export function tmp(prefix = 'ev-snap-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface BackedUp {
  result: BackupResult;
  archive: OpenedArchive;
  keys: InitKeysResult;
  vaultDir: string;
}

/** Backs `tenant` up through a running emulator and opens the archive (caller closes it). */
export async function backupThrough(emu: EmulatorHandle, tenant: SeededTenant, keys: InitKeysResult, opts: { concurrency?: number; clock?: Clock } = {}): Promise<BackedUp> {
  const dir = tmp();
  const clock = opts.clock ?? systemClock;
  await emu.writeProfiles(tenant.tenantId, { readerPath: join(dir, 'r.json'), writerPath: join(dir, 'w.json') });
  const graph = await createGraphClient(await loadProfile(join(dir, 'r.json')), { clock });
  const vaultDir = join(dir, 'vault');
  const result = await runBackup({
    graph,
    vaultDir,
    recipients: [keys.recipient],
    signingKey: await loadSigningKey(keys.signingKeyPath),
    reporter: silentReporter,
    clock,
    toolVersion: 'test',
    createVault: true,
    concurrency: opts.concurrency ?? 4,
  });
  const archive = await openArchive(result.archivePath, {
    identity: keys.identityPath,
    signerPublicKey: keys.signingPublicKeyPath,
    expectedTenantId: tenant.tenantId,
  });
  return { result, archive, keys, vaultDir };
}

export async function newKeys(): Promise<InitKeysResult> {
  return initKeys(join(tmp('ev-keys-'), 'k'), { x25519: true });
}

export async function withEmulator<T>(tenant: SeededTenant, f: (emu: EmulatorHandle) => Promise<T>, opts: { faults?: FaultConfig; clock?: Clock } = {}): Promise<T> {
  const emu = await startEmulator({ port: 0, tenants: [tenant], ...opts });
  try {
    return await f(emu);
  } finally {
    await emu.close();
  }
}

/** Sets the properties Graph returns only on a single-object GET on some users and groups. */
export function withPerObjectProperties(t: SeededTenant): SeededTenant {
  const users = (t.objects.user ?? []).map((u, i) =>
    i % 3 === 0
      ? { ...u, aboutMe: `About ${i}`, birthday: '1990-01-0' + ((i % 9) + 1) + 'T00:00:00Z', hireDate: '2020-02-01T00:00:00Z', interests: ['sailing'], mySite: `https://my.example/${i}`, pastProjects: ['Apollo'], preferredName: `P${i}`, responsibilities: ['ops'], schools: ['MIT'], skills: ['TypeScript', 'SQL'] }
      : u,
  );
  const groups = (t.objects.group ?? []).map((g, i) =>
    Array.isArray(g.groupTypes) && g.groupTypes.includes('Unified')
      ? { ...g, allowExternalSenders: i % 2 === 0, autoSubscribeNewMembers: i % 3 === 0, hideFromAddressLists: false, hideFromOutlookClients: i % 2 === 1 }
      : g,
  );
  return { ...t, objects: { ...t.objects, user: users, group: groups } };
}

/**
 * Real time for everything except waits: `sleep` (Retry-After, backoff) returns at
 * once and moves this clock forward, so a test can honour Retry-After: 1 hundreds of
 * times without taking minutes.
 */
export class InstantSleepClock implements Clock {
  private skew = 0;
  slept = 0;
  now(): Date {
    return new Date(Date.now() + this.skew);
  }
  async sleep(ms: number): Promise<void> {
    this.skew += ms;
    this.slept += ms;
    await new Promise((r) => setImmediate(r));
  }
}

/** `g` with some of its methods replaced (each override may call `g` itself); every other member as it is. */
export function overriding(g: GraphClient, overrides: Partial<GraphClient>): GraphClient {
  return new Proxy(g, {
    get(target, prop, receiver) {
      const own = (overrides as Record<PropertyKey, unknown>)[prop];
      if (own !== undefined) return own;
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
