/**
 * The token endpoint (client credentials with a secret or a certificate assertion, and the
 * device-code grant) and authorization of Graph calls. A token is
 * JWT-shaped and HMAC-signed by the emulator; it carries the tenant, the appId and the
 * Graph application permissions the app's service principal holds through app role
 * assignments to the Microsoft Graph service principal (docs/graph-facts.md §6). Permission
 * names come from that service principal's own `appRoles`, as in a real tenant.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ResourceDescriptor } from '../catalog/types.js';
import { MICROSOFT_GRAPH_APP_ID } from '../catalog/permissions.js';
import type { Caller } from './context.js';
import { forbidden, GraphHttpError } from './graph-error.js';
import type { TenantStore } from './store.js';
import { checkClientAssertion } from './assertion.js';
import { DEVICE_CODE_INTERVAL_S, DEVICE_CODE_LIFETIME_S, type DeviceCodes } from './device-code.js';

const TOKEN_LIFETIME_S = 3599;

export interface TokenClaims {
  tid: string;
  appid: string;
  roles: string[];
  exp: number;
  /** The signed-in user, in delegated tokens only. */
  oid?: string;
}

const b64 = (v: object | string): string =>
  Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** The Graph permission names the app (by appId) holds in this tenant. */
export function rolesOf(store: TenantStore, appId: string): string[] {
  const sp = store.byKey('servicePrincipal', 'appId', appId);
  const graph = store.byKey('servicePrincipal', 'appId', MICROSOFT_GRAPH_APP_ID);
  if (!sp || !graph) return [];
  const names = new Map<string, string>();
  for (const r of (graph.appRoles as Array<{ id?: string; value?: string }> | undefined) ?? []) {
    if (r.id && r.value) names.set(r.id, r.value);
  }
  const roles = new Set<string>();
  for (const a of store.live.get('appRoleAssignment')?.values() ?? []) {
    if (a.principalId === sp.id && a.resourceId === graph.id) {
      const n = names.get(String(a.appRoleId));
      if (n) roles.add(n);
    }
  }
  return [...roles].sort();
}

export type TokenAnswer = { status: number; body: Record<string, unknown> };

function aadError(status: number, error: string, description: string, code?: number): TokenAnswer {
  const fromText = /^AADSTS(\d+)/.exec(description)?.[1];
  return {
    status,
    body: {
      error,
      error_description: description,
      error_codes: [code ?? (fromText ? Number(fromText) : status === 401 ? 7000215 : 700016)],
      timestamp: new Date().toISOString(),
      trace_id: '00000000-0000-0000-0000-000000000000',
    },
  };
}

/** What the token endpoint knows beyond the form: where it is, its key, the time. */
export interface TokenEndpointContext {
  /** The emulator's origin (`http(s)://127.0.0.1:PORT`). */
  baseUrl: string;
  key: Buffer;
  nowMs: number;
  /** URLs a client assertion's `aud` may name: this token endpoint by tenant id and by domain. */
  tokenEndpoints: string[];
  deviceCodes: DeviceCodes;
}

/** RFC 8628's grant type, and the short form MSAL sends (msal-common GrantType.DEVICE_CODE_GRANT); Entra takes both. */
const DEVICE_CODE_GRANTS = new Set(['urn:ietf:params:oauth:grant-type:device_code', 'device_code']);
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** OpenID scopes MSAL adds to delegated requests; they name no resource. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/** The one resource scope of a request, or an invalid_scope answer. */
function resourceScope(form: URLSearchParams, baseUrl: string): string | TokenAnswer {
  const scopes = (form.get('scope') ?? '').split(' ').filter((s) => s && !OIDC_SCOPES.has(s));
  const okScopes = ['https://graph.microsoft.com/.default', `${baseUrl}/.default`];
  if (scopes.length !== 1 || !okScopes.includes(scopes[0]!)) {
    return aadError(400, 'invalid_scope', `AADSTS1002012: The provided value for scope ${form.get('scope') ?? ''} is not valid.`);
  }
  return scopes[0]!;
}

function unknownApp(store: TenantStore, clientId: string): TokenAnswer {
  return aadError(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${store.tenantId}'.`, 700016);
}

/**
 * The token endpoint `/{tenant}/oauth2/v2.0/token`: the client-credentials grant with a
 * client secret or a certificate client assertion (assertion.ts), and the device-code
 * grant (device-code.ts). Never echoes a secret, an assertion or a device code; answers
 * AAD-style error JSON with the AADSTS code in `error_codes` (`invalid_client` 401 for a
 * wrong secret or a refused assertion, `unauthorized_client` 400 for an unknown app).
 */
export function issueToken(store: TenantStore, form: URLSearchParams, ctx: TokenEndpointContext): TokenAnswer {
  const grant = form.get('grant_type');
  if (grant !== null && DEVICE_CODE_GRANTS.has(grant)) return deviceCodeToken(store, form, ctx);
  if (grant !== 'client_credentials') {
    return aadError(400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.', 70003);
  }
  const scope = resourceScope(form, ctx.baseUrl);
  if (typeof scope !== 'string') return scope;
  const clientId = form.get('client_id') ?? '';
  const assertion = form.get('client_assertion');
  if (assertion !== null) {
    if (form.get('client_assertion_type') !== JWT_BEARER) {
      return aadError(400, 'invalid_request', "AADSTS50027: client_assertion_type must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.", 50027);
    }
    if (!store.byKey('application', 'appId', clientId) && !store.byKey('servicePrincipal', 'appId', clientId)) return unknownApp(store, clientId);
    const refused = checkClientAssertion(store, clientId, assertion, ctx.tokenEndpoints, ctx.nowMs);
    if (refused) return aadError(refused.status, refused.error, refused.description, refused.code);
  } else {
    const secret = form.get('client_secret') ?? '';
    const cred = store.credentials.find((c) => c.clientId === clientId);
    const a = Buffer.from(secret);
    const b = Buffer.from(cred?.secret ?? '');
    if (!cred || a.length !== b.length || !timingSafeEqual(a, b)) {
      return aadError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.', 7000215);
    }
  }
  if (!store.byKey('servicePrincipal', 'appId', clientId)) return unknownApp(store, clientId);
  return { status: 200, body: mintToken(store, clientId, rolesOf(store, clientId), ctx) };
}

/** Signs an access token (HS256 with the emulator's key) and the token response around it. */
function mintToken(store: TenantStore, clientId: string, roles: string[], ctx: TokenEndpointContext, user?: { id: string }): Record<string, unknown> {
  const now = Math.floor(ctx.nowMs / 1000);
  const claims = {
    aud: 'https://graph.microsoft.com',
    iss: `${ctx.baseUrl}/${store.tenantId}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + TOKEN_LIFETIME_S,
    tid: store.tenantId,
    appid: clientId,
    roles,
    ...(user ? { oid: user.id, sub: user.id } : {}),
  };
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  const sig = createHmac('sha256', ctx.key).update(unsigned).digest('base64url');
  return { token_type: 'Bearer', expires_in: TOKEN_LIFETIME_S, ext_expires_in: TOKEN_LIFETIME_S, access_token: `${unsigned}.${sig}` };
}

/**
 * The delegated permissions a signed-in user holds through the client: the scopes of its
 * service principal's oauth2PermissionGrants on Microsoft Graph, for all principals or
 * this user (docs/graph-facts.md §6 "Device code"). The user's own directory roles are
 * not intersected: an emulator simplification.
 */
function delegatedScopes(store: TenantStore, clientId: string, userId: string): string[] {
  const sp = store.byKey('servicePrincipal', 'appId', clientId);
  const graph = store.byKey('servicePrincipal', 'appId', MICROSOFT_GRAPH_APP_ID);
  if (!sp || !graph) return [];
  const out = new Set<string>();
  for (const g of store.live.get('oauth2PermissionGrant')?.values() ?? []) {
    if (g.clientId !== sp.id || g.resourceId !== graph.id) continue;
    if (g.consentType !== 'AllPrincipals' && g.principalId !== userId) continue;
    for (const s of String(g.scope ?? '').split(' ')) if (s) out.add(s);
  }
  return [...out].sort();
}

function deviceCodeToken(store: TenantStore, form: URLSearchParams, ctx: TokenEndpointContext): TokenAnswer {
  const clientId = form.get('client_id') ?? '';
  const poll = ctx.deviceCodes.poll(form.get('device_code') ?? '', clientId, ctx.nowMs);
  switch (poll.outcome) {
    case 'pending':
      return aadError(400, 'authorization_pending', 'AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.', 70016);
    case 'expired':
      return aadError(400, 'expired_token', 'AADSTS70020: The provided value for the input parameter \'device_code\' is not valid. Device code expired.', 70020);
    case 'unknown':
      return aadError(400, 'bad_verification_code', "AADSTS70019: The provided value for the input parameter 'device_code' is not valid.", 70019);
    case 'signedIn': {
      const user = poll.code.signedIn!;
      const scopes = delegatedScopes(store, clientId, user.id);
      const body = mintToken(store, clientId, scopes, ctx, user);
      const now = Math.floor(ctx.nowMs / 1000);
      const uid = user.id;
      // MSAL builds its account from id_token and client_info; it does not verify the id token's signature.
      const idToken = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({
        aud: clientId,
        iss: `${ctx.baseUrl}/${store.tenantId}/v2.0`,
        iat: now,
        nbf: now,
        exp: now + TOKEN_LIFETIME_S,
        oid: uid,
        sub: uid,
        tid: store.tenantId,
        preferred_username: user.userPrincipalName,
        name: user.userPrincipalName,
        ver: '2.0',
      })}.`;
      return {
        status: 200,
        body: { ...body, scope: poll.code.scope, id_token: idToken, client_info: b64({ uid, utid: store.tenantId }) },
      };
    }
  }
}

/**
 * `/{tenant}/oauth2/v2.0/devicecode`: starts a device authorization for a registered app.
 * The verification URI is the emulator's own `/devicelogin`, which only explains that a
 * drill control completes the code.
 */
export function startDeviceCode(store: TenantStore, form: URLSearchParams, ctx: TokenEndpointContext): TokenAnswer {
  const clientId = form.get('client_id') ?? '';
  if (!store.byKey('servicePrincipal', 'appId', clientId)) return unknownApp(store, clientId);
  const scope = resourceScope(form, ctx.baseUrl);
  if (typeof scope !== 'string') return scope;
  const c = ctx.deviceCodes.issue(store.tenantId, clientId, form.get('scope') ?? '', ctx.nowMs);
  const verificationUri = `${ctx.baseUrl}/devicelogin`;
  return {
    status: 200,
    body: {
      user_code: c.userCode,
      device_code: c.deviceCode,
      verification_uri: verificationUri,
      expires_in: DEVICE_CODE_LIFETIME_S,
      interval: DEVICE_CODE_INTERVAL_S,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${c.userCode} to authenticate.`,
    },
  };
}

function unauthorized(message: string): GraphHttpError {
  return new GraphHttpError(401, 'InvalidAuthenticationToken', message, { 'WWW-Authenticate': 'Bearer realm=""' });
}

/** Verifies a bearer token; 401 InvalidAuthenticationToken when missing, forged or expired. */
export function verifyToken(header: string | undefined, key: Buffer): TokenClaims {
  if (!header || !/^Bearer /i.test(header)) throw unauthorized('Access token is empty.');
  const tok = header.slice(7).trim();
  const parts = tok.split('.');
  if (parts.length !== 3) throw unauthorized('IDX14100: JWT is not well formed.');
  const expect = createHmac('sha256', key).update(`${parts[0]}.${parts[1]}`).digest();
  const got = Buffer.from(parts[2]!, 'base64url');
  if (got.length !== expect.length || !timingSafeEqual(got, expect)) throw unauthorized('Invalid signature.');
  const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as TokenClaims;
  if (claims.exp * 1000 < Date.now()) throw unauthorized('Lifetime validation failed, the token is expired.');
  return claims;
}

/** Directory.Read.All / Directory.ReadWrite.All cover these permission families (not policies). */
function coveredByDirectory(perm: string): boolean {
  return !perm.startsWith('Policy.') && !perm.startsWith('CustomSecAttribute');
}

/** The read-write sibling of a read permission (`User.Read.All` → `User.ReadWrite.All`). */
const readWriteOf = (perm: string): string => perm.replace('.Read.', '.ReadWrite.');

export function canRead(caller: Caller, d: Pick<ResourceDescriptor, 'permissions'>): boolean {
  const { read, write } = d.permissions;
  const r = caller.roles;
  if (r.has(read) || r.has(write) || r.has(readWriteOf(read))) return true;
  if (coveredByDirectory(read) && (r.has('Directory.Read.All') || r.has('Directory.ReadWrite.All'))) return true;
  return false;
}

export function canWrite(caller: Caller, d: Pick<ResourceDescriptor, 'permissions'>): boolean {
  const r = caller.roles;
  if (r.has(d.permissions.write)) return true;
  return coveredByDirectory(d.permissions.write) && r.has('Directory.ReadWrite.All');
}

/** Throws 403 Authorization_RequestDenied unless the caller may read (or write) the type. */
export function requirePermission(caller: Caller, d: Pick<ResourceDescriptor, 'permissions'>, write: boolean): void {
  if (!(write ? canWrite(caller, d) : canRead(caller, d))) throw forbidden();
}

