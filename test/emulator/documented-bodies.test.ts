/**
 * What a write's body must and must not carry, as the v1.0 reference pages say:
 * - Create domain (https://learn.microsoft.com/graph/api/domain-post-domains): "Id is the only
 *   property that can be specified and it is required"; Update domain
 *   (https://learn.microsoft.com/graph/api/domain-update): "Only verified domains can be updated"
 *   (docs/graph-facts.md S68).
 * - Update fido2AuthenticationMethodConfiguration
 *   (https://learn.microsoft.com/graph/api/fido2authenticationmethodconfiguration-update) and the
 *   other methods' pages: "The @odata.type property with a value of
 *   #microsoft.graph.fido2AuthenticationMethodConfiguration must be included in the body" (S388).
 * - Get and Update organizationalBranding (https://learn.microsoft.com/graph/api/organizationalbranding-get,
 *   https://learn.microsoft.com/graph/api/organizationalbranding-update): "Accept-Language: A valid ISO
 *   639-1 locale or `0` for the default locale. Required" (S391).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { errorCode, lab, type Lab } from './helpers.js';

type Obj = Record<string, unknown>;

describe('emulator: documented request bodies', () => {
  let L: Lab;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 71, users: 12 }));
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('a domain is created by its id only, and updated only once verified', async () => {
    const extra = await L.writer('POST', '/domains', { id: 'extra.litware.example', isDefault: true });
    expect(extra.status).toBe(400);
    expect(errorCode(extra)).toBe('Request_BadRequest');
    expect((await L.reader('GET', '/domains/extra.litware.example')).status).toBe(404);

    const made = await L.writer('POST', '/domains', { id: 'new.litware.example' });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ id: 'new.litware.example', isVerified: false, isDefault: false, supportedServices: [] });
    const early = await L.writer('PATCH', '/domains/new.litware.example', { supportedServices: ['Email'] });
    expect(early.status).toBe(400);
    expect(early.json.error.message).toContain('only verified domains can be updated');

    const verified = ((await L.reader('GET', '/domains')).json.value as Obj[]).find((d) => d.isVerified === true && d.isInitial !== true)!;
    expect(verified).toBeDefined();
    expect((await L.writer('PATCH', `/domains/${String(verified.id)}`, { supportedServices: ['Email'] })).status).toBe(204);
    expect((await L.reader('GET', `/domains/${String(verified.id)}`)).json.supportedServices).toEqual(['Email']);
  });

  it('an authentication method configuration\'s update names its @odata.type', async () => {
    const path = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Fido2';
    const before = (await L.reader('GET', path)).json;
    expect(before['@odata.type']).toBe('#microsoft.graph.fido2AuthenticationMethodConfiguration');
    const bare = await L.writer('PATCH', path, { state: before.state === 'enabled' ? 'disabled' : 'enabled' });
    expect(bare.status).toBe(400);
    expect((await L.reader('GET', path)).json.state).toBe(before.state);
    const wrong = await L.writer('PATCH', path, { '@odata.type': '#microsoft.graph.smsAuthenticationMethodConfiguration', state: 'disabled' });
    expect(wrong.status).toBe(400);
    const named = await L.writer('PATCH', path, { '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration', state: before.state === 'enabled' ? 'disabled' : 'enabled' });
    expect(named.status).toBe(204);
    expect((await L.reader('GET', path)).json.state).not.toBe(before.state);
  });

  it('the default branding is read and updated with Accept-Language', async () => {
    const org = ((await L.reader('GET', '/organization')).json.value as Obj[])[0]!;
    const path = `/organization/${String(org.id)}/branding`;
    const bare = await L.reader('GET', path);
    expect(bare.status).toBe(400);
    expect(errorCode(bare)).toBe('Request_BadRequest');
    const got = await L.reader('GET', path, undefined, { 'Accept-Language': '0' });
    expect(got.status).toBe(200);
    expect((await L.writer('PATCH', path, { signInPageText: 'Changed' })).status).toBe(400);
    expect((await L.writer('PATCH', path, { signInPageText: 'Changed' }, { 'Accept-Language': '0' })).status).toBe(204);
    expect((await L.reader('GET', path, undefined, { 'Accept-Language': '0' })).json.signInPageText).toBe('Changed');
  });
});
