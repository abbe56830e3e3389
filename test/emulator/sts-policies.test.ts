/**
 * Token and session policies in the emulator (issue 15 item 3), as documented:
 * https://learn.microsoft.com/graph/api/tokenlifetimepolicy-post-tokenlifetimepolicies
 * (definition: a collection of strings, and displayName, are required; Application
 * permission Policy.ReadWrite.ApplicationConfiguration) and
 * https://learn.microsoft.com/graph/api/resources/policy-overview (the five kinds).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyTenant } from '../../src/emulator/seed/index.js';
import { lab, type Lab } from './helpers.js';

const definition = ['{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":"8:00:00"}}'];

describe('emulator: token and session policies', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(emptyTenant({ seed: 93 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('creates a token lifetime policy from the documented body, and refuses a wrong one', async () => {
    const ok = await L.writer('POST', '/policies/tokenLifetimePolicies', { definition, displayName: 'Contoso token lifetime', isOrganizationDefault: false });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ definition, displayName: 'Contoso token lifetime', isOrganizationDefault: false });
    // definition is Collection(Edm.String): a bare string is refused, as is a missing displayName
    expect((await L.writer('POST', '/policies/tokenLifetimePolicies', { definition: definition[0], displayName: 'x' })).status).toBe(400);
    expect((await L.writer('POST', '/policies/tokenLifetimePolicies', { definition })).status).toBe(400);
    for (const p of ['activityBasedTimeoutPolicies', 'claimsMappingPolicies', 'homeRealmDiscoveryPolicies', 'tokenIssuancePolicies']) {
      expect((await L.writer('GET', `/policies/${p}`)).status, p).toBe(200);
    }
  });
});
