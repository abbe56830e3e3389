/**
 * `restore --target F --target G` (issue 17 item 3): several recovery apps of one tenant; profiles
 * of different tenants are refused before the archive is even opened (TARGET_TENANTS_DIFFER,
 * exit 3), one app named twice is a usage error, and one --target behaves as before.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './io.js';

const dir = mkdtempSync(join(tmpdir(), 'ev-apps-'));
function profile(name: string, tenantId: string, clientId: string): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({
    tenantId, clientId, authorityHost: 'http://127.0.0.1:9', graphBaseUrl: 'http://127.0.0.1:9/v1.0',
    auth: { kind: 'clientSecret', secret: 'lab-only' }, emulator: true,
  }), { mode: 0o600 });
  return path;
}
const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const missing = join(dir, 'no-such.evault');

describe('restore through several recovery apps: --target repeated', () => {
  it('refuses profiles of different tenants before opening the archive (TARGET_TENANTS_DIFFER, exit 3)', async () => {
    const r = await cli(['restore', missing, '--target', profile('a.json', T1, 'app-a'), '--target', profile('b.json', T2, 'app-b'), '--identity', join(dir, 'id.txt'), '--json']);
    expect(r.code).toBe(3);
    expect(r.err).toContain('TARGET_TENANTS_DIFFER');
    expect(r.err).not.toContain('lab-only');
  });

  it('refuses the same app twice (USAGE, exit 2)', async () => {
    const r = await cli(['plan', missing, '--target', profile('c.json', T1, 'app-c'), '--target', profile('d.json', T1, 'APP-C'), '--identity', join(dir, 'id.txt'), '--json']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('same app');
  });

  it('one --target, or several of one tenant, go on to open the archive as before (here: it is missing)', async () => {
    const one = await cli(['restore', missing, '--target', profile('e.json', T1, 'app-e'), '--identity', join(dir, 'id.txt'), '--json']);
    const three = await cli(['restore', missing, '--target', profile('f.json', T1, 'app-f'), '--target', profile('g.json', T1, 'app-g'), '--target', profile('h.json', T1, 'app-h'), '--identity', join(dir, 'id.txt'), '--json']);
    expect(one.err).not.toContain('TARGET_TENANTS_DIFFER');
    expect(three.code).toBe(one.code);
    expect(three.err.replace(/\s+/g, ' ')).toBe(one.err.replace(/\s+/g, ' '));
    expect(one.code).not.toBe(0);
  });
});
