/**
 * Integration: the emulator over HTTPS (issue 14 item 5). @azure/identity's own
 * ClientSecretCredential, ClientCertificateCredential and DeviceCodeCredential, unmodified,
 * get tokens from the emulator's token endpoint over TLS, trusting only the emulator's
 * local CA; a forged, expired, wrong-audience or unregistered-certificate assertion is
 * refused with Entra's AADSTS code.
 *
 * Follows, per test:
 * - https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 *   (client credentials with a shared secret, and with a certificate);
 * - https://learn.microsoft.com/entra/identity-platform/certificate-credentials (the
 *   assertion: alg RS256/PS256, x5t / x5t#S256, aud = token endpoint, exp/nbf, jti);
 * - https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code (device
 *   authorization request, authorization_pending while polling, the token);
 * - https://learn.microsoft.com/entra/identity-platform/reference-error-codes (AADSTS700027,
 *   700024, 700023, 700021, 70019).
 */
import { createHash, createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { ClientCertificateCredential, ClientSecretCredential, DeviceCodeCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { seedTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import { createClientCertificate } from '../../src/emulator/tls.js';
import { createGraphClient } from '../../src/graph/client.js';
import { fetchTrusting } from '../../src/graph/tls.js';
import { loadProfile, type ConnectionProfile } from '../../src/profile.js';

let emu: EmulatorHandle;
let tenant: SeededTenant;
let dir: string;
let agent: Agent;
let reader: ConnectionProfile;
let writer: ConnectionProfile;

beforeAll(async () => {
  tenant = seedTenant({ seed: 14, users: 20 });
  emu = await startEmulator({ tenants: [tenant], tls: true });
  dir = await mkdtemp(join(tmpdir(), 'ev-tls-'));
  await emu.writeProfiles(tenant.tenantId, { readerPath: join(dir, 'reader.json'), writerPath: join(dir, 'writer.json'), auth: 'certificate' });
  reader = await loadProfile(join(dir, 'reader.json'));
  writer = await loadProfile(join(dir, 'writer.json'));
  agent = new Agent({ ca: [...rootCertificates, emu.caCertPem!] });
}, 60_000);

afterAll(async () => {
  agent?.destroy();
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const graphScope = (): string => `${emu.url}/.default`;
const tokenUrl = (): string => `${emu.url}/${tenant.tenantId}/oauth2/v2.0/token`;
const claimsOf = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('the emulator over TLS', () => {
  it('serves https with a certificate for 127.0.0.1 signed by its CA, which the profiles name in caFile', async () => {
    expect(emu.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = await readFile(join(dir, 'emulator-ca.pem'), 'utf8');
    expect(ca).toBe(emu.caCertPem);
    expect(reader.caFile).toBe(join(dir, 'emulator-ca.pem'));
    expect(reader.disableInstanceDiscovery).toBe(true);
    expect(reader.auth.kind).toBe('certificate');
    // the certificate file holds a private key: owner-only
    if (reader.auth.kind === 'certificate') expect((await stat(reader.auth.certificatePath)).mode & 0o777).toBe(0o600);
    // global fetch trusts only the system CAs: the emulator's certificate is refused
    await expect(fetch(`${emu.url}/${tenant.tenantId}/v2.0/.well-known/openid-configuration`)).rejects.toThrow();
    // trusting the CA file, OpenID discovery answers with endpoints on the https origin
    const r = await fetchTrusting(agent)(`${emu.url}/${tenant.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(r.status).toBe(200);
    const meta = (await r.json()) as Record<string, unknown>;
    expect(meta.token_endpoint).toBe(tokenUrl());
    expect(meta.device_authorization_endpoint).toBe(`${emu.url}/${tenant.tenantId}/oauth2/v2.0/devicecode`);
    expect(meta.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    const x = new X509Certificate(ca);
    expect(x.ca).toBe(true);
  });

  it('ClientSecretCredential gets a token over https (client credentials with a shared secret)', async () => {
    const cred = tenant.credentials.find((c) => c.role === 'backupReader')!;
    const c = new ClientSecretCredential(tenant.tenantId, cred.clientId, cred.secret, { authorityHost: emu.url, disableInstanceDiscovery: true, agent });
    const t = await c.getToken(graphScope());
    expect(claimsOf(t.token)).toMatchObject({ tid: tenant.tenantId, appid: cred.clientId });
    expect((claimsOf(t.token).roles as string[]).length).toBeGreaterThan(0);
    // a wrong secret: AADSTS7000215
    const bad = new ClientSecretCredential(tenant.tenantId, cred.clientId, 'not-the-secret', { authorityHost: emu.url, disableInstanceDiscovery: true, agent });
    await expect(bad.getToken(graphScope())).rejects.toThrow(/AADSTS7000215/);
  });

  it('ClientCertificateCredential gets a token with the lab certificate, SHA-256 (PS256, x5t#S256) by default', async () => {
    if (writer.auth.kind !== 'certificate') throw new Error('writer profile is not a certificate profile');
    const c = new ClientCertificateCredential(tenant.tenantId, writer.clientId, { certificatePath: writer.auth.certificatePath }, { authorityHost: emu.url, disableInstanceDiscovery: true, agent });
    const t = await c.getToken(graphScope());
    expect(claimsOf(t.token)).toMatchObject({ tid: tenant.tenantId, appid: writer.clientId });
    // the registered keyCredential reads back like Graph's: key null, thumbprint in customKeyIdentifier
    const app = emu.tenant(tenant.tenantId).exportState().data.objects.application!.find((a) => a.appId === writer.clientId)!;
    const thumb = createHash('sha1').update(new X509Certificate(await readFile(writer.auth.certificatePath, 'utf8')).raw).digest('base64');
    const kc = (app.keyCredentials as Array<Record<string, unknown>>).find((k) => k.customKeyIdentifier === thumb);
    expect(kc).toMatchObject({ key: null, type: 'AsymmetricX509Cert', usage: 'Verify' });
  });

  it('the product client connects with a certificate profile and reads Graph over https', async () => {
    const g = await createGraphClient(reader);
    const page = await g.get<{ value: unknown[] }>('/users?$top=2');
    expect(page.value.length).toBe(2);
  });

  it('DeviceCodeCredential polls with authorization_pending until a control completes the code', async () => {
    const cred = tenant.credentials.find((c) => c.role === 'backupReader')!;
    const admin = tenant.objects.user!.find((u) => typeof u.userPrincipalName === 'string')!;
    const prompts: string[] = [];
    let tokenCalls = 0;
    const counting = new Agent({ ca: [...rootCertificates, emu.caCertPem!] });
    const c = new DeviceCodeCredential({
      tenantId: tenant.tenantId,
      clientId: cred.clientId,
      authorityHost: emu.url,
      disableInstanceDiscovery: true,
      agent: counting,
      userPromptCallback: (info) => {
        prompts.push(info.userCode);
        expect(info.message).toContain(info.userCode);
        // the operator signs in on another device a little later: the client polls meanwhile
        setTimeout(() => emu.tenant(tenant.tenantId).completeDeviceCode(info.userCode, String(admin.userPrincipalName)), 1500);
      },
    });
    const before = emu.tenant(tenant.tenantId).stats().tokens;
    const t = await c.getToken(graphScope());
    tokenCalls = emu.tenant(tenant.tenantId).stats().tokens - before;
    counting.destroy();
    expect(prompts).toHaveLength(1);
    expect(claimsOf(t.token)).toMatchObject({ tid: tenant.tenantId, appid: cred.clientId, oid: admin.id });
    // at least one poll was answered authorization_pending before the code was completed
    expect(tokenCalls).toBeGreaterThanOrEqual(2);
    // a code never issued is refused
    expect(() => emu.tenant(tenant.tenantId).completeDeviceCode('NOSUCHCODE', String(admin.userPrincipalName))).toThrow(/no pending device code/);
  }, 30_000);
});

/** A hand-made client assertion, so each rule can be broken on its own. */
function assertion(o: { keyPem: string; certPem: string; clientId: string; aud: string; exp?: number; nbf?: number; alg?: 'RS256' | 'PS256'; thumb?: 'x5t' | 'x5t#S256'; tamper?: boolean }): string {
  const der = new X509Certificate(o.certPem).raw;
  const alg = o.alg ?? 'PS256';
  const thumb = o.thumb ?? (alg === 'PS256' ? 'x5t#S256' : 'x5t');
  const header = { alg, typ: 'JWT', [thumb]: createHash(thumb === 'x5t' ? 'sha1' : 'sha256').update(der).digest('base64url') };
  const now = Math.floor(Date.now() / 1000);
  const claims = { aud: o.aud, iss: o.clientId, sub: o.clientId, jti: randomUUID(), nbf: o.nbf ?? now, exp: o.exp ?? now + 600 };
  const b = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const data = `${b(header)}.${b(claims)}`;
  const key = createPrivateKey(o.keyPem);
  const sig = alg === 'RS256' ? sign('sha256', Buffer.from(data), key) : sign('sha256', Buffer.from(data), { key, padding: 6, saltLength: 32 });
  if (o.tamper) sig[0] = sig[0]! ^ 0xff;
  return `${data}.${sig.toString('base64url')}`;
}

describe('certificate client assertions are verified', () => {
  let lab: { keyPem: string; certPem: string; clientId: string };
  beforeAll(async () => {
    if (writer.auth.kind !== 'certificate') throw new Error('writer profile is not a certificate profile');
    const pem = await readFile(writer.auth.certificatePath, 'utf8');
    const keyPem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n/.exec(pem)![0];
    const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/.exec(pem)![0];
    lab = { keyPem, certPem, clientId: writer.clientId };
  });

  async function post(a: string, clientId = lab.clientId): Promise<{ status: number; body: Record<string, unknown> }> {
    const r = await fetchTrusting(agent)(tokenUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        scope: graphScope(),
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: a,
      }).toString(),
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  }

  it('accepts a good assertion, RS256 with x5t (SHA-1) and PS256 with x5t#S256', async () => {
    for (const alg of ['RS256', 'PS256'] as const) {
      const r = await post(assertion({ ...lab, aud: tokenUrl(), alg }));
      expect(r.status, alg).toBe(200);
      expect(typeof r.body.access_token).toBe('string');
    }
  });

  it('refuses a forged signature with AADSTS700027', async () => {
    const r = await post(assertion({ ...lab, aud: tokenUrl(), tamper: true }));
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ error: 'invalid_client', error_codes: [700027] });
    expect(String(r.body.error_description)).toMatch(/^AADSTS700027: Client assertion failed signature validation/);
  });

  it('refuses an assertion signed by a certificate not registered on the app (wrong thumbprint) with AADSTS700027', async () => {
    const other = await createClientCertificate('not registered');
    const r = await post(assertion({ keyPem: other.keyPem, certPem: other.certPem, clientId: lab.clientId, aud: tokenUrl() }));
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ error: 'invalid_client', error_codes: [700027] });
    expect(String(r.body.error_description)).toMatch(/not registered on application/);
    // the registered key named by the thumbprint of another certificate does not verify either
    const mixed = assertion({ ...lab, aud: tokenUrl() });
    const [, p, s] = mixed.split('.');
    const otherHeader = Buffer.from(JSON.stringify({ alg: 'PS256', typ: 'JWT', 'x5t#S256': createHash('sha256').update(new X509Certificate(other.certPem).raw).digest('base64url') })).toString('base64url');
    const r2 = await post(`${otherHeader}.${p}.${s}`);
    expect(r2.body).toMatchObject({ error_codes: [700027] });
  }, 30_000);

  it('refuses an expired assertion, and one not yet valid, with AADSTS700024', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await post(assertion({ ...lab, aud: tokenUrl(), nbf: now - 7200, exp: now - 3600 }));
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ error: 'invalid_client', error_codes: [700024] });
    const early = await post(assertion({ ...lab, aud: tokenUrl(), nbf: now + 3600, exp: now + 4200 }));
    expect(early.body).toMatchObject({ error_codes: [700024] });
  });

  it('refuses a wrong audience with AADSTS700023 and a foreign issuer with AADSTS700021', async () => {
    const aud = await post(assertion({ ...lab, aud: 'https://login.microsoftonline.com/other/oauth2/v2.0/token' }));
    expect(aud.body).toMatchObject({ error: 'invalid_client', error_codes: [700023] });
    // the assertion names the lab app, the form another app that holds no such certificate
    const otherApp = tenant.credentials.find((c) => c.clientId !== lab.clientId)!;
    const iss = await post(assertion({ ...lab, aud: tokenUrl() }), otherApp.clientId);
    expect(iss.body).toMatchObject({ error_codes: [700027] });
  });

  it('answers an unknown device code with bad_verification_code (AADSTS70019)', async () => {
    const r = await fetchTrusting(agent)(tokenUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: lab.clientId, device_code: 'nope' }).toString(),
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ error: 'bad_verification_code', error_codes: [70019] });
  });
});
