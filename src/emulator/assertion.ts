/**
 * Verifies a certificate client assertion (RFC 7523 `private_key_jwt`) the way Entra's
 * token endpoint does (docs/graph-facts.md §6 "Certificate client assertions"): the JWT's
 * signature (RS256 or PS256) against a certificate registered on the application
 * (keyCredentials), picked by its `x5t` (SHA-1) or `x5t#S256` (SHA-256) thumbprint; `iss`
 * and `sub` equal to the client id; `aud` the token endpoint; `nbf`/`exp` around now;
 * a `jti`. Failures are AAD-shaped errors naming the AADSTS code; none echoes the assertion.
 */
import { constants, createHash, verify, X509Certificate } from 'node:crypto';
import type { Json } from '../model.js';
import type { TenantStore } from './store.js';

/** Clock skew Entra tolerates on nbf/exp (docs/graph-facts.md §6). */
const SKEW_S = 300;

export type AssertionFailure = { status: number; error: string; code: number; description: string };

const fail = (code: number, description: string, error = 'invalid_client', status = 401): AssertionFailure => ({
  status,
  error,
  code,
  description: `AADSTS${code}: ${description}`,
});

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  if (!part) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The DER certificates registered on the app (and its service principal) that are usable now. */
function registeredCertificates(store: TenantStore, clientId: string, nowMs: number): Buffer[] {
  const lab = store.credentials.find((c) => c.clientId === clientId);
  const derByKeyId = new Map((lab?.certificates ?? []).map((c) => [c.keyId, c.key]));
  const holders = [store.byKey('application', 'appId', clientId), store.byKey('servicePrincipal', 'appId', clientId)];
  const out: Buffer[] = [];
  for (const h of holders) {
    const creds = Array.isArray(h?.keyCredentials) ? h.keyCredentials : [];
    for (const c of creds as Json[]) {
      if (!c || typeof c !== 'object' || Array.isArray(c)) continue;
      if (c.type !== 'AsymmetricX509Cert' || c.usage !== 'Verify') continue;
      const start = typeof c.startDateTime === 'string' ? Date.parse(c.startDateTime) : -Infinity;
      const end = typeof c.endDateTime === 'string' ? Date.parse(c.endDateTime) : Infinity;
      if (nowMs < start || nowMs > end) continue;
      // Graph never returns `key` on reads (§2); the emulator keeps it beside the lab credential.
      const key = typeof c.key === 'string' ? c.key : typeof c.keyId === 'string' ? derByKeyId.get(c.keyId) : undefined;
      if (key) out.push(Buffer.from(key, 'base64'));
    }
  }
  return out;
}

/**
 * Checks a client assertion for `clientId`. `tokenEndpoints` lists the URLs `aud` may name
 * (the endpoint by tenant id and by domain). Returns undefined when the assertion is good.
 * Never throws on bad input; never logs the assertion.
 */
export function checkClientAssertion(
  store: TenantStore,
  clientId: string,
  assertion: string,
  tokenEndpoints: string[],
  nowMs: number,
): AssertionFailure | undefined {
  const parts = assertion.split('.');
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  if (parts.length !== 3 || !header || !claims || !parts[2]) return fail(50027, 'JWT token is invalid or malformed.', 'invalid_request', 400);
  const alg = header.alg;
  if (alg !== 'RS256' && alg !== 'PS256') return fail(50027, `JWT token is invalid or malformed: unsupported signing algorithm '${String(alg)}'.`, 'invalid_request', 400);
  // The signature first: nothing an unauthenticated caller sent is judged before it.
  const x5t = typeof header.x5t === 'string' ? header.x5t : undefined;
  const x5t256 = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : undefined;
  const cert = registeredCertificates(store, clientId, nowMs).find(
    (der) =>
      (x5t !== undefined && createHash('sha1').update(der).digest('base64url') === x5t) ||
      (x5t256 !== undefined && createHash('sha256').update(der).digest('base64url') === x5t256),
  );
  if (!cert) {
    return fail(700027, 'The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found.]');
  }
  const key = new X509Certificate(cert).publicKey;
  const data = Buffer.from(`${parts[0]}.${parts[1]}`);
  const sig = Buffer.from(parts[2], 'base64url');
  const ok =
    alg === 'RS256'
      ? verify('sha256', data, key, sig)
      : verify('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, sig);
  if (!ok) return fail(700027, 'Client assertion failed signature validation.');
  if (claims.iss !== clientId || claims.sub !== clientId) {
    return fail(700021, "Client assertion application identifier doesn't match 'client_id' parameter.");
  }
  if (typeof claims.aud !== 'string' || !tokenEndpoints.includes(claims.aud)) {
    return fail(700023, `Client assertion audience claim does not match Realm issuer. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials.`);
  }
  const now = Math.floor(nowMs / 1000);
  const exp = Number(claims.exp);
  const nbf = claims.nbf === undefined ? -Infinity : Number(claims.nbf);
  if (!Number.isFinite(exp) || Number.isNaN(nbf) || now > exp + SKEW_S || now < nbf - SKEW_S) {
    return fail(700024, `Client assertion is not within its valid time range. Current time: ${new Date(nowMs).toISOString()}.`);
  }
  if (typeof claims.jti !== 'string' || claims.jti === '') return fail(50027, 'JWT token is invalid or malformed: the jti claim is missing.', 'invalid_request', 400);
  return undefined;
}
