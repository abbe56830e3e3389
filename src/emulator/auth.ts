/**
 * The token endpoint (client credentials) and authorization of Graph calls. A token is
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

const TOKEN_LIFETIME_S = 3599;

export interface TokenClaims {
  tid: string;
  appid: string;
  roles: string[];
  exp: number;
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

function aadError(status: number, error: string, description: string): TokenAnswer {
  return {
    status,
    body: {
      error,
      error_description: description,
      error_codes: [status === 401 ? 7000215 : 700016],
      timestamp: new Date().toISOString(),
      trace_id: '00000000-0000-0000-0000-000000000000',
    },
  };
}

/**
 * Client-credentials grant. Never echoes the secret; answers AAD-style error JSON
 * (`invalid_client` 401 for a wrong secret, `unauthorized_client` 400 for an unknown app).
 */
export function issueToken(store: TenantStore, form: URLSearchParams, baseUrl: string, key: Buffer): TokenAnswer {
  if (form.get('grant_type') !== 'client_credentials') {
    return aadError(400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.');
  }
  const scope = form.get('scope') ?? '';
  const okScopes = ['https://graph.microsoft.com/.default', `${baseUrl}/.default`];
  if (!okScopes.includes(scope)) {
    return aadError(400, 'invalid_scope', `AADSTS1002012: The provided value for scope ${scope} is not valid.`);
  }
  const clientId = form.get('client_id') ?? '';
  const secret = form.get('client_secret') ?? '';
  const cred = store.credentials.find((c) => c.clientId === clientId);
  const a = Buffer.from(secret);
  const b = Buffer.from(cred?.secret ?? '');
  if (!cred || a.length !== b.length || !timingSafeEqual(a, b)) {
    return aadError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
  }
  if (!store.byKey('servicePrincipal', 'appId', clientId)) {
    return aadError(
      400,
      'unauthorized_client',
      `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${store.tenantId}'.`,
    );
  }
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    aud: 'https://graph.microsoft.com',
    iss: `${baseUrl}/${store.tenantId}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + TOKEN_LIFETIME_S,
    tid: store.tenantId,
    appid: clientId,
    roles: rolesOf(store, clientId),
  };
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  const sig = createHmac('sha256', key).update(unsigned).digest('base64url');
  return {
    status: 200,
    body: { token_type: 'Bearer', expires_in: TOKEN_LIFETIME_S, ext_expires_in: TOKEN_LIFETIME_S, access_token: `${unsigned}.${sig}` },
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

