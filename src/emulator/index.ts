/**
 * The Graph v1.0 emulator (docs/design.md "Graph emulator"): a real HTTP(S) server on
 * 127.0.0.1 serving seeded tenants with Graph's semantics and injectable faults.
 */
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { catalog } from '../catalog/index.js';
import { VaultError } from '../errors.js';
import { damage, directorySync, exportState } from './control.js';
import { Registry } from './registry.js';
import { emptyStats, EmulatorServer, newKey, type TenantSlot } from './server.js';
import type { SeededTenant } from './seed/types.js';
import { readStateFile, writeStateFile } from './state-file.js';
import { TenantStore } from './store.js';
import type { EmulatorHandle, FaultConfig, TenantControl } from './types.js';
import { profileFor, writeCaBeside, writeLabCertificate, writeProfileFile, type ProfileExtras } from './profiles.js';
import type { LabCredential } from './seed/types.js';
import { createEmulatorTls } from './tls.js';

export type * from './types.js';

export interface StartEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  tenants: SeededTenant[];
  faults?: FaultConfig;
  /** JSON state file: loaded at start when present (its tenants win), saved after mutations. */
  stateFile?: string;
  clock?: Clock;
  /**
   * Serve HTTPS with a local CA made at start (tls.ts; needs the `openssl` binary) instead
   * of plain HTTP. Profiles written then name the CA in `caFile`.
   */
  tls?: boolean;
}

function control(server: EmulatorServer, slot: TenantSlot): TenantControl {
  const now = (): string => server.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    exportState: () => exportState(slot.store, server.reg),
    damage: (preset, options = {}) => damage(slot.store, preset, options, now()),
    directorySync: () => directorySync(slot.store, slot.ids, now()),
    setFaults: (f) => server.setFaults(slot, f),
    stats: () => structuredClone(slot.stats),
    resetStats: () => {
      slot.stats = emptyStats();
    },
    recordWrites: () => {
      const log: string[] = (slot.writeLog = []);
      return { writes: () => [...log] };
    },
    completeDeviceCode: (userCode, userPrincipalName) => {
      const upn = userPrincipalName.toLowerCase();
      const user = [...(slot.store.live.get('user')?.values() ?? [])].find((u) => String(u.userPrincipalName ?? '').toLowerCase() === upn);
      if (!user) throw new VaultError('USAGE', `tenant ${slot.store.tenantId} has no user ${userPrincipalName}`);
      const done = server.deviceCodes.complete(slot.store.tenantId, userCode, { id: user.id, userPrincipalName: String(user.userPrincipalName) }, Date.now());
      if (!done) throw new VaultError('USAGE', `tenant ${slot.store.tenantId} has no pending device code ${userCode}`);
    },
  };
}

/**
 * Starts the emulator on 127.0.0.1.
 * @throws VaultError CONFIG_INVALID when the state file cannot be read; Error from
 *   `listen` when the port is taken. Never binds another interface.
 */
export async function startEmulator(opts: StartEmulatorOptions): Promise<EmulatorHandle> {
  const clock = opts.clock ?? systemClock;
  const reg = new Registry(catalog);
  let key = newKey();
  const stores: TenantStore[] = [];
  if (opts.stateFile) {
    let loaded: Awaited<ReturnType<typeof readStateFile>>;
    try {
      loaded = await readStateFile(opts.stateFile);
    } catch (e) {
      throw new VaultError('CONFIG_INVALID', `emulator state file is unreadable: ${opts.stateFile}`, 'delete it to start from the seed', { cause: e });
    }
    if (loaded) {
      key = loaded.key;
      stores.push(...loaded.stores);
    }
  }
  const fromFile = new Set(stores.map((s) => s.tenantId.toLowerCase()));
  for (const t of opts.tenants) {
    if (!fromFile.has(t.tenantId.toLowerCase())) stores.push(TenantStore.fromSeed(t, (type, o) => reg.parentOf(type, o)));
  }
  const stateFile = opts.stateFile;
  let server: EmulatorServer;
  const save = async (): Promise<void> => {
    if (stateFile) await writeStateFile(stateFile, server.key, [...server.slots.values()].map((s) => s.store));
  };
  server = new EmulatorServer(reg, clock, key, opts.faults ?? {}, save);
  for (const s of stores) server.addStore(s, { ...(opts.faults ?? {}) });
  const tls = opts.tls ? await createEmulatorTls() : undefined;
  await server.listen(opts.port ?? 0, tls);
  if (stateFile) await save();

  const slotOf = (tenantId: string): TenantSlot => {
    const slot = server.slots.get(tenantId.toLowerCase());
    if (!slot) throw new VaultError('USAGE', `the emulator has no tenant ${tenantId}`);
    return slot;
  };
  const controlOf = (tenantId: string): TenantControl => {
    const slot = slotOf(tenantId);
    const c = control(server, slot);
    // drill controls change state outside Graph calls: persist them too
    const persist = <A extends unknown[], R>(f: (...a: A) => R) => (...a: A): R => {
      const r = f(...a);
      void save();
      return r;
    };
    return { ...c, damage: persist(c.damage), directorySync: persist(c.directorySync) };
  };
  return {
    url: server.url,
    graphBaseUrl: `${server.url}/v1.0`,
    authorityHost: server.url,
    addTenant: (t) => {
      server.addStore(TenantStore.fromSeed(t, (type, o) => reg.parentOf(type, o)), { ...(opts.faults ?? {}) });
    },
    tenant: controlOf,
    ...(tls ? { caCertPem: tls.caCertPem } : {}),
    writeProfiles: async (tenantId, { readerPath, writerPath, auth = 'clientSecret', extraWriterPaths = [] }) => {
      const slot = slotOf(tenantId);
      const writer = slot.store.credentials.find((c) => c.role === 'restoreWriter');
      // a fresh (empty) tenant registers only the restore writer; it can read everything the reader can
      const reader = slot.store.credentials.find((c) => c.role === 'backupReader') ?? writer;
      if (!reader || !writer) {
        throw new VaultError('CONFIG_INVALID', `tenant ${tenantId} has no restoreWriter lab credential`);
      }
      const extras = async (path: string, cred: LabCredential): Promise<ProfileExtras> => ({
        ...(tls ? { caFile: await writeCaBeside(path, tls.caCertPem) } : {}),
        ...(auth === 'certificate' ? { certificatePath: await writeLabCertificate(slot.store, cred, path, server.clock.now()) } : {}),
      });
      const readerExtras = await extras(readerPath, reader);
      const writerExtras = await extras(writerPath, writer);
      await writeProfileFile(readerPath, profileFor(slot.store.tenantId, server.url, reader, 'emulator backup reader', readerExtras));
      await writeProfileFile(writerPath, profileFor(slot.store.tenantId, server.url, writer, 'emulator restore writer', writerExtras));
      const extraWriters = slot.store.credentials.filter((c) => c.role === 'restoreWriter').slice(1);
      if (extraWriterPaths.length > extraWriters.length) {
        throw new VaultError('CONFIG_INVALID', `tenant ${tenantId} has ${extraWriters.length + 1} recovery apps, not ${extraWriterPaths.length + 1}`);
      }
      for (const [i, path] of extraWriterPaths.entries()) {
        const cred = extraWriters[i]!;
        await writeProfileFile(path, profileFor(slot.store.tenantId, server.url, cred, `emulator restore writer ${i + 2}`, await extras(path, cred)));
      }
      if (auth === 'certificate') await save();
    },
    close: () => server.close(),
  };
}

export { TenantStore };
