import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { errorCode, lab, type Lab } from './helpers.js';

describe('emulator faults', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 9, users: 30 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('throttles with a resource-unit bucket: 429 + Retry-After + x-ms-throttle-* headers, then recovers', async () => {
    L.emu.tenant(L.tenant.tenantId).setFaults({ throttle: { enabled: true, tenantSize: 'S' } });
    L.emu.tenant(L.tenant.tenantId).resetStats();
    const one = await L.reader('GET', '/users?$top=1');
    expect(one.headers.get('x-ms-resource-unit')).toBe('1');
    // GET /users costs 2 RU (docs/graph-facts.md §5): 3,500 RU per 10 s is ~1,750 calls
    const batch = { requests: Array.from({ length: 20 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users' })) };
    let throttled: { status: number; headers: Record<string, string> } | undefined;
    let sawPercentage = false;
    for (let i = 0; i < 100 && !throttled; i++) {
      const r = await L.reader('POST', '/$batch', batch);
      for (const s of r.json.responses) {
        if (s.headers['x-ms-throttle-limit-percentage']) sawPercentage = true;
        if (s.status === 429) throttled = s;
      }
    }
    expect(throttled).toBeTruthy();
    expect(sawPercentage).toBe(true);
    expect(Number(throttled!.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(throttled!.headers['x-ms-throttle-scope']).toBe(`Tenant_Application/Read/${L.tenant.credentials.find((c) => c.role === 'backupReader')!.clientId}/${L.tenant.tenantId}`);
    expect(throttled!.headers['x-ms-throttle-information']).toBe('ResourceUnitLimitExceeded');
    const top = await L.reader('GET', '/users');
    expect(top.status).toBe(429);
    errorCode(top);
    const stats = L.emu.tenant(L.tenant.tenantId).stats();
    expect(stats.throttled).toBeGreaterThan(0);
    expect(stats.ru).toBeGreaterThan(3500);
    // a 429 consumes no quota: what was admitted fits the 3,500 RU bucket
    expect(stats.admittedRu).toBeLessThanOrEqual(3500);
    expect(stats.admittedRu).toBeGreaterThan(3500 - 2 * 20);
    expect(stats.mutating).toBe(0);
    expect(stats.admittedWrites).toBe(0);
    L.clock.advance(10_000);
    expect((await L.reader('GET', '/users')).status).toBe(200);
    L.emu.tenant(L.tenant.tenantId).setFaults({});
  });

  it('answers a fraction of calls 429 with a real Retry-After window', async () => {
    L.emu.tenant(L.tenant.tenantId).setFaults({ throttleFraction: 0.3, seed: 4 });
    let hit429 = 0;
    let ok = 0;
    for (let i = 0; i < 60; i++) {
      const r = await L.writer('GET', '/groups?$top=1');
      if (r.status === 429) {
        hit429++;
        expect(r.headers.get('retry-after')).toBe('1');
        // still inside the window: throttled again without a wait
        expect((await L.writer('GET', '/groups?$top=1')).status).toBe(429);
        L.clock.advance(1000);
      } else {
        expect(r.status).toBe(200);
        ok++;
      }
    }
    expect(hit429).toBeGreaterThan(5);
    expect(ok).toBeGreaterThan(20);
    L.emu.tenant(L.tenant.tenantId).setFaults({ errorRate: 1, seed: 1 });
    const e = await L.writer('GET', '/groups?$top=1');
    expect([500, 503, 504]).toContain(e.status);
    errorCode(e);
    L.emu.tenant(L.tenant.tenantId).setFaults({});
  });

  it('rejectWrites refuses writes with 400 Request_BadRequest and leaves reads alone', async () => {
    L.emu.tenant(L.tenant.tenantId).setFaults({ rejectWrites: 1, seed: 1 });
    const w = await L.writer('POST', '/groups', { displayName: 'refused', mailEnabled: false, mailNickname: 'refused', securityEnabled: true });
    expect(w.status).toBe(400);
    expect(errorCode(w)).toBe('Request_BadRequest');
    expect((await L.writer('GET', '/groups?$top=1')).status).toBe(200);
    // nothing was written
    const found = await L.writer('GET', "/groups?$filter=displayName eq 'refused'");
    expect(found.json.value).toEqual([]);
    L.emu.tenant(L.tenant.tenantId).setFaults({});
  });

  it('writeLatencyMs slows writes (a $batch write part too) and leaves reads alone', async () => {
    const ctl = L.emu.tenant(L.tenant.tenantId);
    // reads: a minute's write delay does not hold them (the race's timer would win)
    ctl.setFaults({ writeLatencyMs: 60_000 });
    const timer = new Promise<'timer'>((r) => setTimeout(() => r('timer'), 30_000).unref());
    const read = await Promise.race([L.writer('GET', '/groups?$top=1').then((r) => r.status), timer]);
    const batchRead = await Promise.race([L.writer('POST', '/$batch', { requests: [{ id: '1', method: 'GET', url: '/users?$top=1' }] }).then((r) => r.status), timer]);
    expect([read, batchRead]).toEqual([200, 200]);
    // writes wait at least the delay, top level and in a $batch
    ctl.setFaults({ writeLatencyMs: 300 });
    let t = performance.now();
    const w = await L.writer('POST', '/groups', { displayName: 'slow write', mailEnabled: false, mailNickname: 'slowwrite', securityEnabled: true });
    expect(w.status).toBe(201);
    expect(performance.now() - t).toBeGreaterThanOrEqual(290);
    t = performance.now();
    const b = await L.writer('POST', '/$batch', { requests: [{ id: '1', method: 'DELETE', url: `/groups/${String(w.json.id)}` }] });
    expect(b.json.responses[0].status).toBe(204);
    expect(performance.now() - t).toBeGreaterThanOrEqual(290);
    ctl.setFaults({});
  });

  it('hides new objects during replication lag and fails an early SP with NoBackingApplicationObject', async () => {
    L.emu.tenant(L.tenant.tenantId).setFaults({ replicationLagMs: 5000 });
    const app = await L.writer('POST', '/applications', { displayName: 'laggy' });
    expect(app.status).toBe(201);
    const early = await L.writer('GET', `/applications/${app.json.id}`);
    expect(early.status).toBe(404);
    expect(errorCode(early)).toBe('Request_ResourceNotFound');
    expect((await L.writer('PATCH', `/applications/${app.json.id}`, { notes: 'x' })).status).toBe(404);
    const sp = await L.writer('POST', '/servicePrincipals', { appId: app.json.appId });
    expect(sp.status).toBe(400);
    expect(sp.json.error.message).toContain('NoBackingApplicationObject');
    L.clock.advance(5000);
    expect((await L.writer('GET', `/applications/${app.json.id}`)).status).toBe(200);
    expect((await L.writer('POST', '/servicePrincipals', { appId: app.json.appId })).status).toBe(201);
    L.emu.tenant(L.tenant.tenantId).setFaults({});
  });

  it('counts mutating calls, batch parts individually, excluding tokens and read-only batches', async () => {
    const c = L.emu.tenant(L.tenant.tenantId);
    c.resetStats();
    await L.reader('POST', '/$batch', { requests: [{ id: '1', method: 'GET', url: '/users?$top=1' }] });
    expect(c.stats().mutating).toBe(0);
    await L.writer('POST', '/$batch', {
      requests: [
        { id: '1', method: 'PATCH', url: `/users/${L.tenant.objects.user![0]!.id}`, headers: { 'Content-Type': 'application/json' }, body: { usageLocation: 'DE' } },
        { id: '2', method: 'GET', url: '/users?$top=1' },
      ],
    });
    const s = c.stats();
    expect(s.mutating).toBe(1);
    expect(s.requests).toBe(3);
    expect(s.byMethod).toEqual({ GET: 2, PATCH: 1 });
  });

  // https://learn.microsoft.com/graph/throttling: "When a throttling threshold is exceeded,
  // Microsoft Graph limits any further requests from that client app for some time" and
  // returns 429 with a suggested wait: a window that lasts, not independent coin flips.
  it('throttles every call of the tenant for a sustained window (throttleFor), then recovers', async () => {
    L.emu.tenant(L.tenant.tenantId).setFaults({ throttleForSeconds: 30 });
    const first = await L.writer('GET', '/groups?$top=1');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('10');
    errorCode(first);
    L.clock.advance(25_000);
    const reader = await L.reader('GET', '/users?$top=1');
    expect(reader.status).toBe(429);
    // Retry-After never promises more than the time left
    expect(reader.headers.get('retry-after')).toBe('5');
    L.clock.advance(5_000);
    expect((await L.writer('GET', '/groups?$top=1')).status).toBe(200);
    expect((await L.reader('GET', '/users?$top=1')).status).toBe(200);
    L.emu.tenant(L.tenant.tenantId).setFaults({});
  });
});
