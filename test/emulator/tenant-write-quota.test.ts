/**
 * The tenant's write quota across all apps (issue 17 item 3): Graph's identity and access
 * limits, https://learn.microsoft.com/graph/throttling-limits ("Identity and access service
 * limits": 3,000 writes per 2 min 30 s per app+tenant pair, 18,000 per 5 min per tenant;
 * docs/graph-facts.md §5 "Throttling" [S8, S150]). Apps each within their own quota but
 * together over the tenant's get 429 + Retry-After with the `Tenant/Write/…` scope.
 */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { FaultState, TENANT_WRITE_QUOTA, TENANT_WRITE_WINDOW_MS, WRITE_QUOTA } from '../../src/emulator/faults.js';
import { GraphHttpError } from '../../src/emulator/graph-error.js';
import { Prng } from '../../src/emulator/prng.js';
import type { FaultConfig } from '../../src/emulator/types.js';

function manualClock(): Clock & { advance(ms: number): void } {
  let t = Date.parse('2026-12-04T08:00:00Z');
  return { now: () => new Date(t), sleep: async (ms) => void (t += ms), advance: (ms) => void (t += ms) };
}

function state(clock: Clock): FaultState {
  const config: FaultConfig = { throttle: { enabled: true, tenantSize: 'L' } };
  return new FaultState('tenant-1', clock, () => new Prng(1), () => config, () => 'L');
}

/** Writes `n` times as `appId`; returns the first 429 or undefined. */
function writes(f: FaultState, appId: string, n: number): GraphHttpError | undefined {
  for (let i = 0; i < n; i++) {
    try {
      f.admit(appId, true, 1);
    } catch (e) {
      if (e instanceof GraphHttpError && e.status === 429) return e;
      throw e;
    }
  }
  return undefined;
}

describe('emulator: the per-tenant write quota (learn.microsoft.com/graph/throttling-limits)', () => {
  it('apps each under their own 3,000 but together over the tenant\'s 18,000 get 429 with the Tenant scope', () => {
    const clock = manualClock();
    const f = state(clock);
    const perApp = WRITE_QUOTA - 300; // 2,700: inside every app's own bucket
    const apps = Math.ceil(TENANT_WRITE_QUOTA / perApp); // 7 apps: 18,900 writes together
    let refused: { app: string; e: GraphHttpError } | undefined;
    let admitted = 0;
    for (let a = 0; a < apps && !refused; a++) {
      const app = `app-${a}`;
      const e = writes(f, app, perApp);
      if (e) refused = { app, e };
      else admitted += perApp;
    }
    expect(refused, 'the tenant bucket must refuse once all apps together pass 18,000').toBeDefined();
    expect(admitted).toBeLessThanOrEqual(TENANT_WRITE_QUOTA);
    expect(refused!.e.headers['x-ms-throttle-scope']).toBe(`Tenant/Write/${refused!.app}/tenant-1`);
    expect(refused!.e.headers['x-ms-throttle-information']).toBe('WriteLimitExceeded');
    expect(Number(refused!.e.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(refused!.e.code).toBe('TooManyRequests');
    // a read is not a write: the tenant's write quota does not refuse it
    expect(() => f.admit('app-new', false, 1)).not.toThrow();
    // a new app with its own quota untouched is refused too: the tenant is the limit
    expect(writes(f, 'app-new', 1)?.headers['x-ms-throttle-scope']).toBe('Tenant/Write/app-new/tenant-1');
    // the bucket refills at 18,000 per 300 s: 1 s later 60 writes pass again
    clock.advance(1000);
    expect(writes(f, 'app-new', Math.floor(TENANT_WRITE_QUOTA / (TENANT_WRITE_WINDOW_MS / 1000)))).toBeUndefined();
  });

  it('one app over its own 3,000 is refused with its Tenant_Application scope and charges the tenant nothing for it', () => {
    const clock = manualClock();
    const f = state(clock);
    const e = writes(f, 'solo', WRITE_QUOTA + 1);
    expect(e?.headers['x-ms-throttle-scope']).toBe('Tenant_Application/ReadWrite/solo/tenant-1');
    // the refused write took nothing from the tenant bucket: 18,000 − 3,000 remain for others
    for (let a = 0; a < 5; a++) expect(writes(f, `other-${a}`, WRITE_QUOTA)).toBeUndefined();
    expect(writes(f, 'last', 1)?.headers['x-ms-throttle-scope']).toBe('Tenant/Write/last/tenant-1');
  });
});
