/**
 * Public types of the Graph emulator: fault configuration, the handle `startEmulator`
 * returns, and the per-tenant drill controls.
 */
import type { ResourceType } from '../catalog/types.js';
import type { DirObject, TenantData } from '../model.js';
import type { SeededTenant } from './seed/types.js';

/** Faults injected into Graph calls; switchable at runtime with `setFaults`. */
export interface FaultConfig {
  /**
   * Identity throttling as a resource-unit token bucket per app+tenant
   * (docs/graph-facts.md §5 "Throttling"): S 3,500 / M 5,000 / L 8,000 RU per 10 s,
   * writes 3,000 per 2.5 min. tenantSize defaults from the tenant's user count.
   */
  throttle?: { enabled: boolean; tenantSize?: 'S' | 'M' | 'L' };
  /** Answer this fraction of Graph calls with 429 + Retry-After (seeded PRNG). */
  throttleFraction?: number;
  /**
   * A sustained throttle window (docs/graph-facts.md §5 "Throttling": Graph "limits any
   * further requests from that client app for some time"): for this many seconds from the
   * first Graph call after these faults are set, every call of the tenant is answered 429
   * with Retry-After (the smaller of the time left and `retryAfterSeconds`, default 10).
   */
  throttleForSeconds?: number;
  /** Retry-After (seconds) for fraction throttling; default 1. */
  retryAfterSeconds?: number;
  /** Fraction of Graph calls answered with a random 500/503/504. */
  errorRate?: number;
  /**
   * Fraction of writes answered 400 `Request_BadRequest`: a refusal no retry cures, as Graph
   * gives for a value or a state it does not accept. Drills use it to prove that a restore
   * with failed operations says so (its headline, report and exit code).
   */
  rejectWrites?: number;
  /** Added delay before each Graph call is answered. */
  latencyMs?: number;
  /**
   * Added delay before each write (POST, PATCH, PUT, DELETE, each write part of a `$batch`) is
   * answered, on top of `latencyMs`; reads are not slowed. Tests stop a restore part-way with it
   * without paying the delay on the whole target read that comes before the writes.
   */
  writeLatencyMs?: number;
  /** How long a newly created object stays invisible (404) to reads and references. */
  replicationLagMs?: number;
  /** PRNG seed for fault decisions. */
  seed?: number;
}

export type DamagePreset = 'deleteAllAdmins' | 'hardDeleteSecurityGroups' | 'wipePolicies' | 'purgeRecycleBin';

export interface DamageOptions {
  /** For 'wipePolicies': also purge the CA deleted items (nothing left to restore). */
  purge?: boolean;
}

/** What a damage preset or directory sync changed (object ids by type). */
export interface DamageReport {
  softDeleted: string[];
  hardDeleted: string[];
}

export interface DirectorySyncReport {
  /** Synced objects that were still soft-deleted and came back with their old ids. */
  restored: string[];
  /** Synced objects recreated from on-premises: old id → new id. */
  recreated: Array<{ type: ResourceType; oldId: string; newId: string }>;
}

export interface EmulatorStats {
  /** Graph calls: top-level requests plus each `$batch` sub-request (the envelope itself not). */
  requests: number;
  byMethod: Record<string, number>;
  /** POST/PATCH/PUT/DELETE Graph calls (token requests and the `$batch` envelope excluded). */
  mutating: number;
  throttled: number;
  /** Resource units charged (docs/graph-facts.md §5 RU costs). */
  ru: number;
  /** Mutating calls and resource units the throttle admitted (a 429 consumes no quota). */
  admittedWrites: number;
  admittedRu: number;
  /** Admitted mutating calls per app (client id): each app's share of the writes (added, issue 17). */
  admittedWritesByApp?: Record<string, number>;
  /** Token endpoint requests. */
  tokens: number;
  /** Graph calls per path shape, ids as `{id}` (e.g. `groups/{id}/settings`): which reads cost the requests (added, issue 18 bench). */
  byPath?: Record<string, number>;
}

export interface ExportedState {
  data: TenantData;
  deleted: Partial<Record<ResourceType, DirObject[]>>;
}

/** Drill controls for one tenant. */
export interface TenantControl {
  /** Deep copy of the tenant (objects sorted by id, relations by edge) and its recycle bins. */
  exportState(): ExportedState;
  damage(preset: DamagePreset, options?: DamageOptions): DamageReport;
  directorySync(): DirectorySyncReport;
  setFaults(f: FaultConfig): void;
  stats(): EmulatorStats;
  resetStats(): void;
  /**
   * Test control, not Graph: from now on, records every mutating call the tenant admits, in
   * the order admitted, as `METHOD /path` (version segment dropped, ids decoded; `$batch`
   * parts one by one). Replaces an earlier recording.
   */
  recordWrites(): { writes(): readonly string[] };
  /**
   * Completes a pending device-code sign-in as the user with this UPN, standing in for
   * the operator entering the code on another device.
   * @throws VaultError USAGE when the tenant has no such user or no such pending code
   */
  completeDeviceCode(userCode: string, userPrincipalName: string): void;
}

export interface EmulatorHandle {
  /** `http://127.0.0.1:PORT`, or `https://…` when started with `tls`. */
  url: string;
  /** With `tls`: the PEM of the local CA that signed the server's certificate (public). */
  caCertPem?: string;
  /** `${url}/v1.0` */
  graphBaseUrl: string;
  /** Token authority (= url): `${authorityHost}/{tenantId}/oauth2/v2.0/token`. */
  authorityHost: string;
  addTenant(t: SeededTenant): void;
  tenant(tenantId: string): TenantControl;
  /**
   * Writes backup-reader and restore-writer connection profiles (mode 0600). With
   * `auth: 'certificate'` each app gets a new certificate registered on it and the
   * profile names its PEM (`<profile>.cert.pem`, 0600); over TLS the CA is written beside
   * each profile as `emulator-ca.pem` and named in `caFile`.
   *
   * `extraWriterPaths` (added): one profile per further recovery app of the tenant (the
   * second, third … `restoreWriter` lab credential, src/emulator/recovery-apps.ts), in order.
   * @throws VaultError CONFIG_INVALID when the tenant has fewer recovery apps than paths.
   */
  writeProfiles(tenantId: string, paths: { readerPath: string; writerPath: string; auth?: 'clientSecret' | 'certificate'; extraWriterPaths?: string[] }): Promise<void>;
  close(): Promise<void>;
}

export type { SeededTenant };
