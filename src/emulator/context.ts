/**
 * The per-request context handed to every handler, and the answer handlers return.
 */
import type { Clock } from '../clock.js';
import type { Registry } from './registry.js';
import type { TenantStore } from './store.js';
import type { Prng } from './prng.js';
import type { FaultConfig } from './types.js';

export interface Caller {
  appId: string;
  roles: ReadonlySet<string>;
  /** The signed-in user of a delegated token (device code); absent for app-only tokens. */
  userId?: string;
}

/** What the server keeps per tenant besides its data. */
export interface TenantRuntime {
  store: TenantStore;
  ids: Prng;
  faults: FaultConfig;
  faultRng: Prng;
}

export interface Ctx {
  rt: TenantRuntime;
  reg: Registry;
  clock: Clock;
  method: string;
  /** Path segments after `/v1.0`, URL-decoded. */
  segs: string[];
  query: URLSearchParams;
  /** Lower-cased request headers. */
  headers: Record<string, string>;
  body: unknown;
  caller: Caller;
  /** `http://127.0.0.1:PORT/v1.0` */
  base: string;
  /** Path as requested (for nextLinks), without the query. */
  pathname: string;
}

export interface Answer {
  status: number;
  body?: unknown;
  /** Plain-text body (`/$count`). */
  text?: string;
  /** A stream property's bytes and media type (./branding-streams.ts). */
  bytes?: { contentType: string; data: Buffer };
  headers?: Record<string, string>;
  /** The request changed state (save the state file). */
  mutated?: boolean;
}

export const nowMs = (ctx: Pick<Ctx, 'clock'>): number => ctx.clock.now().getTime();
