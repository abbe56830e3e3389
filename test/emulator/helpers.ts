/** Test helpers: start an emulator on a seeded tenant and talk to it over real HTTP. */
import type { Clock } from '../../src/clock.js';
import { startEmulator, type EmulatorHandle, type FaultConfig } from '../../src/emulator/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';

export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  text: string;
}

export class FakeClock implements Clock {
  constructor(public ms = Date.parse('2026-06-01T12:00:00Z')) {}
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  async sleep(ms: number): Promise<void> {
    this.ms += ms;
  }
}

export async function token(emu: EmulatorHandle, tenant: SeededTenant, role: 'backupReader' | 'restoreWriter' | 'breakGlass'): Promise<string> {
  const cred = tenant.credentials.find((c) => c.role === role)!;
  const r = await fetch(`${emu.url}/${tenant.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: cred.clientId,
      client_secret: cred.secret,
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
  const j = (await r.json()) as { access_token: string };
  return j.access_token;
}

export interface Client {
  (method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
}

export function client(emu: EmulatorHandle, tok: string): Client {
  return async (method, path, body, headers = {}) => {
    const url = path.startsWith('http') ? path : `${emu.graphBaseUrl}${path}`;
    const h: Record<string, string> = { Authorization: `Bearer ${tok}`, ...headers };
    if (body !== undefined) h['Content-Type'] = 'application/json';
    const r = await fetch(url, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await r.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: r.status, headers: r.headers, json, text };
  };
}

export interface Lab {
  emu: EmulatorHandle;
  tenant: SeededTenant;
  reader: Client;
  writer: Client;
  clock: FakeClock;
}

export async function lab(tenant: SeededTenant, faults?: FaultConfig, stateFile?: string): Promise<Lab> {
  const clock = new FakeClock();
  const emu = await startEmulator({ tenants: [tenant], clock, ...(faults ? { faults } : {}), ...(stateFile ? { stateFile } : {}) });
  return labOn(emu, tenant, clock);
}

/** The lab of `tenant` on an emulator already running (its backup reader, or the writer when it has none). */
export async function labOn(emu: EmulatorHandle, tenant: SeededTenant, clock: FakeClock): Promise<Lab> {
  const hasReader = tenant.credentials.some((c) => c.role === 'backupReader');
  const writer = client(emu, await token(emu, tenant, 'restoreWriter'));
  const reader = hasReader ? client(emu, await token(emu, tenant, 'backupReader')) : writer;
  return { emu, tenant, reader, writer, clock };
}

/** Asserts Graph's error envelope and returns the error code. */
export function errorCode(r: Reply): string {
  const e = r.json?.error;
  if (!e || typeof e.code !== 'string' || typeof e.message !== 'string') throw new Error(`not a Graph error: ${r.text}`);
  const inner = e.innerError;
  if (!inner || typeof inner.date !== 'string' || typeof inner['request-id'] !== 'string' || typeof inner['client-request-id'] !== 'string') {
    throw new Error(`error without innerError: ${r.text}`);
  }
  return e.code;
}
