/**
 * Credentials for a connection profile (docs/graph-facts.md §6) and a token cache.
 *
 * Real tenants, and the emulator over TLS (`emulator --tls`), use @azure/identity:
 * ClientCertificateCredential, ClientSecretCredential or DeviceCodeCredential, trusting
 * the profile's `caFile` (tls.ts) and skipping instance discovery when the profile says
 * `disableInstanceDiscovery`. Emulator profiles on plain http://127.0.0.1 cannot:
 * @azure/identity 4.12 refuses any non-https authority in its
 * IdentityClient constructor, before MSAL is even consulted, with exactly
 *   Error: The authorityHost address must use the 'https' protocol.
 * (tried with `authorityHost: 'http://127.0.0.1:PORT', disableInstanceDiscovery: true`;
 * the check in identity/dist/esm/client/identityClient.js has no opt-out). So emulator
 * profiles with clientSecret auth use EmulatorClientSecretCredential below, a plain
 * OAuth2 client-credentials grant against `${authorityHost}/${tenantId}/oauth2/v2.0/token`.
 */
import type { Agent } from 'node:https';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { VaultError } from '../errors.js';
import type { Clock } from '../clock.js';
import type { ConnectionProfile } from '../profile.js';
import { GraphError, oneLine, unavailableError } from './errors.js';

export interface DeviceCodePromptInfo {
  userCode: string;
  verificationUri: string;
  message: string;
}

export interface CredentialOptions {
  deviceCodePrompt?: (info: DeviceCodePromptInfo) => void;
  /** Environment to read `auth.secretEnv` from; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Clock for token expiry of the emulator credential. */
  clock?: Clock;
  /** HTTPS agent trusting the profile's `caFile` (tls.ts trustFor), for @azure/identity. */
  agent?: Agent;
}

/**
 * Builds the credential a profile describes.
 * @throws VaultError PROFILE_INVALID when the secret variable is unset, or an emulator
 *   profile asks for an auth kind that only works against real Entra (https authority).
 * Never reads or logs the secret beyond handing it to the credential.
 */
export function credentialForProfile(profile: ConnectionProfile, opts: CredentialOptions = {}): TokenCredential {
  const auth = profile.auth;
  const authorityHost = profile.authorityHost.replace(/\/+$/, '');
  const insecure = authorityHost.startsWith('http:');
  if (insecure && !profile.emulator) {
    throw new VaultError('PROFILE_INVALID', `authorityHost must use https: ${authorityHost}`, 'use https://login.microsoftonline.com (or your national cloud)');
  }
  // @azure/identity's pipeline takes an https.Agent (core-rest-pipeline's `agent` option)
  const common = {
    authorityHost,
    ...(opts.agent ? { agent: opts.agent } : {}),
    ...(profile.disableInstanceDiscovery ? { disableInstanceDiscovery: true } : {}),
  };
  switch (auth.kind) {
    case 'clientSecret': {
      let secret: string | undefined;
      if (auth.secretEnv) {
        secret = (opts.env ?? process.env)[auth.secretEnv];
        if (!secret) {
          throw new VaultError('PROFILE_INVALID', `environment variable ${auth.secretEnv} (auth.secretEnv) is not set`, `export ${auth.secretEnv} with the app's client secret`);
        }
      } else if (auth.secret && profile.emulator) {
        secret = auth.secret;
      } else {
        throw new VaultError('PROFILE_INVALID', 'inline secrets are allowed for emulator lab tenants only', 'use auth.secretEnv to name an environment variable');
      }
      if (profile.emulator && insecure) {
        const clock = opts.clock;
        return new EmulatorClientSecretCredential(profile.tenantId, profile.clientId, secret, authorityHost, clock ? { now: () => clock.now().getTime() } : {});
      }
      const key = secret;
      return new IdentityCredential('clientSecret', (id) => new id.ClientSecretCredential(profile.tenantId, profile.clientId, key, common));
    }
    case 'certificate':
      if (insecure) throw insecureKind('certificate');
      return new IdentityCredential('certificate', (id) => new id.ClientCertificateCredential(
        profile.tenantId,
        profile.clientId,
        { certificatePath: auth.certificatePath },
        { ...common, sendCertificateChain: auth.sendCertificateChain ?? false },
      ));
    case 'deviceCode': {
      if (insecure) throw insecureKind('deviceCode');
      const prompt = opts.deviceCodePrompt;
      return new IdentityCredential('deviceCode', (id) => new id.DeviceCodeCredential({
        tenantId: profile.tenantId,
        clientId: profile.clientId,
        ...common,
        userPromptCallback: (info) => prompt?.({ userCode: info.userCode, verificationUri: info.verificationUri, message: info.message }),
      }));
    }
  }
}

type IdentityModule = typeof import('@azure/identity');

/**
 * An @azure/identity credential built on its first token request. The library and MSAL are
 * about 900 modules: loading them up front cost every CLI command (and every step of a
 * recovery script) most of a second, even `--version` and commands that never sign in.
 * The profile checks above stay eager, so a bad profile still fails before any work.
 */
export class IdentityCredential implements TokenCredential {
  private built: Promise<TokenCredential> | undefined;
  constructor(
    readonly kind: 'clientSecret' | 'certificate' | 'deviceCode',
    private readonly build: (id: IdentityModule) => TokenCredential,
  ) {}

  /** The @azure/identity credential itself (loaded and built once). */
  resolve(): Promise<TokenCredential> {
    this.built ??= import('@azure/identity').then((id) => this.build(id));
    return this.built;
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    return (await this.resolve()).getToken(scopes, options);
  }
}

function insecureKind(kind: string): VaultError {
  return new VaultError('PROFILE_INVALID', `auth kind ${kind} needs an https authorityHost`, 'start the emulator with --tls for certificate and device-code profiles');
}

/**
 * OAuth2 client-credentials grant against an http(s) token endpoint, for emulator lab
 * tenants only (see the module comment for why @azure/identity cannot be used there).
 * Errors carry the endpoint's `error` code, never the secret or the token.
 */
export class EmulatorClientSecretCredential implements TokenCredential {
  readonly tokenUrl: string;
  constructor(
    readonly tenantId: string,
    readonly clientId: string,
    private readonly secret: string,
    authorityHost: string,
    private readonly opts: { fetch?: typeof fetch; now?: () => number } = {},
  ) {
    this.tokenUrl = `${authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    const scope = Array.isArray(scopes) ? scopes.join(' ') : scopes;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.clientId,
      client_secret: this.secret,
      scope,
    });
    let res: Response;
    try {
      res = await (this.opts.fetch ?? fetch)(this.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: options?.abortSignal as AbortSignal | undefined,
      });
    } catch (e) {
      throw unavailableError(this.tokenUrl, e);
    }
    const text = await res.text();
    let body: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
    } catch {
      body = undefined;
    }
    if (!res.ok) {
      const code = typeof body?.error === 'string' ? body.error : `HTTP ${res.status}`;
      const desc = typeof body?.error_description === 'string' ? `: ${body.error_description}` : '';
      throw new GraphError('GRAPH_AUTH', `token request to ${this.tokenUrl} failed (${code}${desc})`, 'check the profile\'s tenantId, clientId and secret', { status: res.status, graphCode: code });
    }
    const token = body?.access_token;
    const expiresIn = Number(body?.expires_in);
    if (typeof token !== 'string' || token.length === 0 || !Number.isFinite(expiresIn)) {
      throw new GraphError('GRAPH_BAD_RESPONSE', `token endpoint ${this.tokenUrl} returned no access_token/expires_in`, undefined, { status: res.status });
    }
    return { token, expiresOnTimestamp: (this.opts.now ?? Date.now)() + expiresIn * 1000, tokenType: 'Bearer' };
  }
}

/** Supplies bearer tokens for one scope. */
export interface TokenProvider {
  token(signal?: AbortSignal): Promise<string>;
  /** Drops the cached token (after a 401) so the next call fetches a new one. */
  invalidate(): void;
  /** The cached token while it is fresh, without asking anyone; undefined otherwise. */
  current?(): string | undefined;
}

/** Refresh this long before expiry so a token never expires mid-request. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

/**
 * Caches a credential's token until shortly before it expires (or its
 * refreshAfterTimestamp); concurrent callers share one in-flight request.
 * Credential failures become GraphError GRAPH_AUTH with a one-line message.
 */
export class CachedTokenProvider implements TokenProvider {
  private cached: AccessToken | undefined;
  private pending: Promise<AccessToken> | undefined;
  /** How many times the credential was asked (tests and stats; never the token itself). */
  fetches = 0;
  constructor(
    private readonly credential: TokenCredential,
    private readonly scope: string,
    private readonly clock: Clock,
  ) {}

  current(): string | undefined {
    const now = this.clock.now().getTime();
    const c = this.cached;
    return c && now < Math.min(c.expiresOnTimestamp - EXPIRY_MARGIN_MS, c.refreshAfterTimestamp ?? Infinity) ? c.token : undefined;
  }

  async token(signal?: AbortSignal): Promise<string> {
    const fresh = this.current();
    if (fresh !== undefined) return fresh;
    if (!this.pending) {
      this.fetches++;
      this.pending = this.fetch(signal).finally(() => {
        this.pending = undefined;
      });
    }
    const t = await this.pending;
    return t.token;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private async fetch(signal?: AbortSignal): Promise<AccessToken> {
    let t: AccessToken | null;
    try {
      t = await this.credential.getToken(this.scope, signal ? { abortSignal: signal } : undefined);
    } catch (e) {
      if (e instanceof VaultError) throw e;
      // @azure/identity messages are multi-line and may name endpoints; keep the first line.
      const first = e instanceof Error ? (e.message.split('\n')[0] ?? '') : 'unknown error';
      throw new GraphError('GRAPH_AUTH', `could not get an access token: ${oneLine(first)}`, 'check the profile\'s tenantId, clientId and credential', { cause: e });
    }
    if (!t) throw new GraphError('GRAPH_AUTH', 'could not get an access token: the credential returned none');
    this.cached = t;
    return t;
  }
}

/** The `.default` scope of the Graph resource a base URL points at. */
export function scopeFor(graphBaseUrl: string): string {
  return `${new URL(graphBaseUrl).origin}/.default`;
}
