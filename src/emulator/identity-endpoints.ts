/**
 * The Microsoft identity platform endpoints the emulator serves per tenant (docs/design.md
 * "Graph emulator"), as @azure/identity and MSAL call them with `disableInstanceDiscovery`:
 * OpenID discovery, the token endpoint and the device-code endpoint. Instance discovery
 * (`login.microsoftonline.com/common/discovery/instance`) is not served: MSAL always asks
 * the public cloud for it, so emulator profiles turn it off (docs/graph-facts.md §6).
 */
import { issueToken, startDeviceCode, type TokenAnswer } from './auth.js';
import type { DeviceCodes } from './device-code.js';
import type { TenantStore } from './store.js';

export interface IdentityRequest {
  /** Path segments after the tenant, e.g. `['oauth2', 'v2.0', 'token']`. */
  rest: string[];
  method: string;
  body: string;
}

export interface IdentityHost {
  /** The emulator's origin. */
  url: string;
  key: Buffer;
  deviceCodes: DeviceCodes;
  nowMs(): number;
  /** Counts a token request for the tenant's stats. */
  countToken(): void;
}

const is = (rest: string[], ...p: string[]): boolean => rest.length === p.length && p.every((s, i) => rest[i] === s);

/** True when the path after the tenant names an identity endpoint (for the unknown-tenant answer). */
export function isIdentityPath(rest: string[]): boolean {
  return is(rest, 'oauth2', 'v2.0', 'token') || is(rest, 'oauth2', 'v2.0', 'devicecode') || is(rest, 'v2.0', '.well-known', 'openid-configuration');
}

/**
 * Answers an identity endpoint of `store` named by the path `/{tenantSegment}/…rest`, or
 * undefined when `rest` names none. Never echoes a secret, assertion or code.
 */
export function identityEndpoint(store: TenantStore, tenantSegment: string, req: IdentityRequest, host: IdentityHost): TokenAnswer | undefined {
  const t = store.tenantId;
  const base = `${host.url}/${t}/oauth2/v2.0`;
  const ctx = () => ({
    baseUrl: host.url,
    key: host.key,
    nowMs: host.nowMs(),
    tokenEndpoints: [...new Set([`${base}/token`, `${host.url}/${store.initialDomain}/oauth2/v2.0/token`, `${host.url}/${tenantSegment}/oauth2/v2.0/token`])],
    deviceCodes: host.deviceCodes,
  });
  if (req.method === 'POST' && is(req.rest, 'oauth2', 'v2.0', 'token')) {
    host.countToken();
    return issueToken(store, new URLSearchParams(req.body), ctx());
  }
  if (req.method === 'POST' && is(req.rest, 'oauth2', 'v2.0', 'devicecode')) {
    return startDeviceCode(store, new URLSearchParams(req.body), ctx());
  }
  if (req.method === 'GET' && is(req.rest, 'v2.0', '.well-known', 'openid-configuration')) {
    return {
      status: 200,
      body: {
        token_endpoint: `${base}/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${host.url}/${t}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${host.url}/${t}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${host.url}/oidc/userinfo`,
        authorization_endpoint: `${base}/authorize`,
        device_authorization_endpoint: `${base}/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}/logout`,
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'oid', 'tid', 'preferred_username', 'name'],
        kerberos_endpoint: `${host.url}/${t}/kerberos`,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: 'graph.microsoft.com',
        rbac_url: 'https://pas.windows.net',
      },
    };
  }
  return undefined;
}
