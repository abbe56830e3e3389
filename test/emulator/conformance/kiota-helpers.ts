/**
 * The Kiota SDK's plumbing the conformance tests share: a bearer-token provider, requests built
 * from Graph's URL templates through the SDK's request adapter, and the SDK's own ODataError
 * parser for every error answer.
 */
import { HttpMethod, RequestInformation, type AuthenticationProvider, type ErrorMappings, type Parsable, type ParsableFactory, type RequestAdapter } from '@microsoft/kiota-abstractions';
import { GraphRequestAdapter } from '@microsoft/msgraph-sdk';
import { createODataErrorFromDiscriminatorValue } from '@microsoft/msgraph-sdk/models/oDataErrors/index.js';
import { token, type Lab } from '../helpers.js';

export const errors: ErrorMappings = { XXX: createODataErrorFromDiscriminatorValue as ParsableFactory<Parsable> };

export function bearer(tok: string): AuthenticationProvider {
  return {
    authenticateRequest: async (req: RequestInformation): Promise<void> => {
      req.headers.tryAdd('Authorization', `Bearer ${tok}`);
    },
  };
}

export function info(method: HttpMethod, path: string): RequestInformation {
  const r = new RequestInformation(method, `{+baseurl}${path}`);
  r.headers.tryAdd('Accept', 'application/json');
  return r;
}

export async function getObj<T extends Parsable>(ad: RequestAdapter, path: string, f: ParsableFactory<T>): Promise<T | undefined> {
  return ad.send<T>(info(HttpMethod.GET, path), f, errors);
}

export async function post<T extends Parsable>(ad: RequestAdapter, path: string, body: T, ser: (w: never, v?: Partial<T>) => void, f: ParsableFactory<T>): Promise<T | undefined> {
  const r = info(HttpMethod.POST, path);
  r.setContentFromParsable(ad, 'application/json', body, ser as never);
  return ad.send<T>(r, f, errors);
}

export async function noContent(ad: RequestAdapter, method: HttpMethod, path: string, json?: unknown): Promise<void> {
  const r = info(method, path);
  if (json !== undefined) r.setStreamContent(new TextEncoder().encode(JSON.stringify(json)).buffer as ArrayBuffer, 'application/json');
  await ad.sendNoResponseContent(r, errors);
}

/** The SDK's request adapter on the lab's Graph endpoint, signed in as the tenant's restore writer. */
export async function writerAdapter(L: Lab): Promise<GraphRequestAdapter> {
  const ad = new GraphRequestAdapter(bearer(await token(L.emu, L.tenant, 'restoreWriter')));
  ad.baseUrl = L.emu.graphBaseUrl;
  return ad;
}
