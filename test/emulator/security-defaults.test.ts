/**
 * Security defaults in the emulator (issue 15 item 2):
 * - GET/PATCH /policies/identitySecurityDefaultsEnforcementPolicy as documented
 *   (https://learn.microsoft.com/graph/api/identitysecuritydefaultsenforcementpolicy-get,
 *   https://learn.microsoft.com/graph/api/identitysecuritydefaultsenforcementpolicy-update):
 *   only isEnabled is writable; description, displayName and id are read-only.
 * - a new tenant starts with them on; a tenant using Conditional Access has them off
 *   (https://learn.microsoft.com/entra/fundamentals/security-defaults).
 * - while they are on, a CA policy cannot be switched on: 400 "Security Defaults is enabled
 *   in the tenant. You must disable Security defaults before enabling a Conditional Access
 *   policy." (src/emulator/security-defaults.ts names the source); report-only is accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyTenant, seedTenant } from '../../src/emulator/seed/index.js';
import { errorCode, lab, type Lab } from './helpers.js';

const PATH = '/policies/identitySecurityDefaultsEnforcementPolicy';
const policy = (state: string) => ({
  displayName: `p-${state}`, state,
  conditions: { users: { includeUsers: ['All'] }, applications: { includeApplications: ['All'] }, clientAppTypes: ['all'] },
  grantControls: { operator: 'OR', builtInControls: ['mfa'] },
});

describe('emulator: security defaults', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(emptyTenant({ seed: 91 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('a new tenant has them on, with the documented shape', async () => {
    const r = await L.writer('GET', PATH);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: '00000000-0000-0000-0000-000000000005', displayName: 'Security Defaults', isEnabled: true });
    expect(typeof r.json.description).toBe('string');
  });

  it('refuses to switch a CA policy on while they are on; report-only is accepted; after turning them off it is switched on', async () => {
    const on = await L.writer('POST', '/identity/conditionalAccess/policies', policy('enabled'));
    expect(on.status).toBe(400);
    expect(errorCode(on)).toBe('Request_BadRequest');
    expect(JSON.stringify(on.json)).toContain('You must disable Security defaults before enabling a Conditional Access policy');
    const ro = await L.writer('POST', '/identity/conditionalAccess/policies', policy('enabledForReportingButNotEnforced'));
    expect(ro.status).toBe(201);
    const flip = await L.writer('PATCH', `/identity/conditionalAccess/policies/${String(ro.json.id)}`, { state: 'enabled' });
    expect(flip.status).toBe(400);
    // read-only properties are refused, isEnabled is written
    const ro2 = await L.writer('PATCH', PATH, { displayName: 'x' });
    expect(ro2.status).toBe(400);
    expect((await L.writer('PATCH', PATH, { isEnabled: false })).status).toBe(204);
    expect((await L.writer('GET', PATH)).json.isEnabled).toBe(false);
    expect((await L.writer('PATCH', `/identity/conditionalAccess/policies/${String(ro.json.id)}`, { state: 'enabled' })).status).toBe(204);
  });
});

describe('emulator: a seeded tenant that uses Conditional Access', () => {
  it('has security defaults off', async () => {
    const L = await lab(seedTenant({ seed: 92, users: 20 }));
    try {
      expect((await L.reader('GET', PATH)).json.isEnabled).toBe(false);
    } finally {
      await L.emu.close();
    }
  });
});
