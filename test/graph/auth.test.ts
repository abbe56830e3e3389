import { afterEach, describe, expect, it } from 'vitest';
import { ClientSecretCredential } from '@azure/identity';
import { isVaultError } from '../../src/errors.js';
import { EmulatorClientSecretCredential, IdentityCredential, credentialForProfile } from '../../src/graph/auth.js';
import { createGraphClient } from '../../src/graph/client.js';
import { GraphError } from '../../src/graph/errors.js';
import type { ConnectionProfile } from '../../src/profile.js';
import { RecordingReporter } from '../../src/progress.js';
import { FakeClock, graphError, startServer, type SeenRequest, type TestServer } from './helpers.js';

const TOKEN = 'eyJ0eXAi.SECRET-ACCESS-TOKEN-VALUE.sig';
const SECRET = 'lab-client-secret-value';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function profileFor(s: TestServer, extra: Partial<ConnectionProfile> = {}): ConnectionProfile {
  return {
    tenantId: 'tenant-1',
    authorityHost: s.origin,
    graphBaseUrl: s.baseUrl,
    clientId: 'client-1',
    auth: { kind: 'clientSecret', secret: SECRET },
    emulator: true,
    ...extra,
  };
}

/** Token endpoint + a small Graph surface; rejects calls without the bearer token. */
async function tenantServer(expiresIn = 3600): Promise<TestServer> {
  return startServer((req: SeenRequest) => {
    if (req.url === '/tenant-1/oauth2/v2.0/token') {
      const form = new URLSearchParams(req.body);
      if (form.get('client_secret') !== SECRET) return { status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' } };
      return { body: { token_type: 'Bearer', expires_in: expiresIn, access_token: TOKEN, scope: form.get('scope') } };
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: graphError('InvalidAuthenticationToken', 'Access token is empty.') };
    if (req.url.startsWith('/v1.0/forbidden')) return { status: 403, body: graphError('Authorization_RequestDenied', 'Insufficient privileges. Requires Policy.Read.All.') };
    if (req.url.startsWith('/v1.0/broken')) return { status: 500, body: graphError('InternalServerError', 'boom') };
    return { body: { value: [{ id: 'u1' }] } };
  });
}

describe('credentials', () => {
  it('@azure/identity refuses an http authority (why the emulator credential exists)', () => {
    expect(() => new ClientSecretCredential('t', 'c', 's', { authorityHost: 'http://127.0.0.1:1', disableInstanceDiscovery: true })).toThrow(
      "The authorityHost address must use the 'https' protocol.",
    );
  });

  it('picks the emulator credential only for emulator profiles on http', async () => {
    const s = await tenantServer();
    server = s;
    expect(credentialForProfile(profileFor(s))).toBeInstanceOf(EmulatorClientSecretCredential);
    const real: ConnectionProfile = {
      tenantId: 't',
      authorityHost: 'https://login.microsoftonline.com',
      graphBaseUrl: 'https://graph.microsoft.com/v1.0',
      clientId: 'c',
      auth: { kind: 'clientSecret', secretEnv: 'EV_TEST_SECRET' },
    };
    const lazy = credentialForProfile(real, { env: { EV_TEST_SECRET: 'x' } });
    expect(lazy).toBeInstanceOf(IdentityCredential);
    expect(await (lazy as IdentityCredential).resolve()).toBeInstanceOf(ClientSecretCredential);
    const unset = (() => {
      try {
        credentialForProfile(real, { env: {} });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isVaultError(unset, 'PROFILE_INVALID')).toBe(true);
    expect(() => credentialForProfile({ ...real, authorityHost: 'http://login.example' }, { env: { EV_TEST_SECRET: 'x' } })).toThrow(/https/);
    expect(() => credentialForProfile({ ...profileFor(s), auth: { kind: 'deviceCode' } })).toThrow(/https authorityHost/);
  });
});

describe('createGraphClient with an emulator profile', () => {
  it('gets a token by client credentials, caches it and sends it as bearer', async () => {
    server = await tenantServer();
    const client = await createGraphClient(profileFor(server), { clock: new FakeClock() });
    await client.get('/users');
    await client.get('/users');
    await client.get('/users');
    const tokenCalls = server.requests.filter((r) => r.url.includes('/oauth2/'));
    expect(tokenCalls).toHaveLength(1);
    const form = new URLSearchParams(tokenCalls[0]!.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe(`${server.origin}/.default`);
    expect(server.requests.filter((r) => r.url.startsWith('/v1.0')).every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('fetches a new token shortly before expiry', async () => {
    server = await tenantServer(600);
    const clock = new FakeClock();
    const client = await createGraphClient(profileFor(server), { clock });
    await client.get('/users');
    clock.t += 4 * 60_000;
    await client.get('/users');
    expect(server.requests.filter((r) => r.url.includes('/oauth2/'))).toHaveLength(1);
    clock.t += 2 * 60_000; // 6 min of 10: inside the 5-min refresh margin
    await client.get('/users');
    expect(server.requests.filter((r) => r.url.includes('/oauth2/'))).toHaveLength(2);
  });

  it('never puts the token or secret in reporter events or errors', async () => {
    server = await tenantServer();
    const reporter = new RecordingReporter();
    const client = await createGraphClient(profileFor(server), { reporter, clock: new FakeClock(), maxRetries: 1 });
    const errors: GraphError[] = [];
    for (const p of ['/users', '/forbidden', '/broken']) {
      await client.get(p).catch((e: GraphError) => errors.push(e));
    }
    expect(errors.map((e) => e.code)).toEqual(['GRAPH_FORBIDDEN', 'GRAPH_REQUEST_FAILED']);
    const bad = await createGraphClient(profileFor(server, { auth: { kind: 'clientSecret', secret: 'wrong-secret-value' } }), { reporter }).catch((e: GraphError) => e);
    expect(isVaultError(bad, 'GRAPH_AUTH')).toBe(true);
    expect((bad as GraphError).message).toContain('invalid_client');
    errors.push(bad as GraphError);
    const text = JSON.stringify(reporter.events) + errors.map((e) => `${e.message} ${e.hint ?? ''} ${String(e.stack)}`).join('\n');
    expect(reporter.events.length).toBeGreaterThan(0);
    for (const secret of [TOKEN, 'SECRET-ACCESS-TOKEN-VALUE', SECRET, 'wrong-secret-value']) expect(text).not.toContain(secret);
  });

  it('drops a revoked token after a 401 and retries once with a fresh one', async () => {
    let issued = 0;
    server = await startServer((req) => {
      if (req.url.includes('/oauth2/')) return { body: { token_type: 'Bearer', expires_in: 3600, access_token: `tok-${++issued}` } };
      return req.headers.authorization === `Bearer tok-${issued}` && issued >= 2 ? { body: { ok: true } } : { status: 401, body: graphError('InvalidAuthenticationToken', 'expired') };
    });
    const client = await createGraphClient(profileFor(server));
    expect(await client.get('/me')).toEqual({ ok: true });
    expect(issued).toBe(2);
  });

  it('reports an unreachable token endpoint as GRAPH_UNAVAILABLE naming the URL', async () => {
    const s = await tenantServer();
    const p = profileFor(s);
    await s.close();
    const e = await createGraphClient(p).catch((x: unknown) => x);
    expect(isVaultError(e, 'GRAPH_UNAVAILABLE')).toBe(true);
    expect((e as GraphError).message).toContain(`${s.origin}/tenant-1/oauth2/v2.0/token`);
  });
});
