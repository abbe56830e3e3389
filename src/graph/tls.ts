/**
 * Trusting the CA a connection profile names (`caFile`, docs/design.md "Interfaces"): the
 * emulator's local CA over TLS, or a private authority's. Node 20's global fetch (undici)
 * takes no CA option without the `undici` package, and `NODE_EXTRA_CA_CERTS` is read only
 * at process start, so Graph calls go through `fetchTrusting`, a small fetch over
 * `node:https` with an Agent that trusts the file's certificates besides the system's,
 * and @azure/identity gets the same Agent (its pipeline's `agent` option).
 */
import { readFile } from 'node:fs/promises';
import { request as httpsRequest, Agent } from 'node:https';
import { request as httpRequest } from 'node:http';
import { rootCertificates } from 'node:tls';
import { VaultError } from '../errors.js';
import type { ConnectionProfile } from '../profile.js';
import { wireBody } from './wire-body.js';

/** An HTTPS agent and a fetch trusting a profile's extra CA. */
export interface Trust {
  agent: Agent;
  fetch: typeof fetch;
}

/**
 * Loads the profile's `caFile`; undefined when it names none.
 * @throws VaultError FILE_NOT_FOUND when the file is missing, PROFILE_INVALID when it holds no certificate
 */
export async function trustFor(profile: Pick<ConnectionProfile, 'caFile'>): Promise<Trust | undefined> {
  if (!profile.caFile) return undefined;
  let pem: string;
  try {
    pem = await readFile(profile.caFile, 'utf8');
  } catch {
    throw new VaultError('FILE_NOT_FOUND', `CA file not found: ${profile.caFile}`, 'fix caFile in the connection profile (the emulator writes emulator-ca.pem beside its profiles)');
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new VaultError('PROFILE_INVALID', `caFile ${profile.caFile} holds no PEM certificate`);
  }
  const agent = new Agent({ ca: [...rootCertificates, pem], keepAlive: true });
  return { agent, fetch: fetchTrusting(agent) };
}

/**
 * A fetch for what the Graph transport sends (string or byte bodies, header records, abort
 * signals) over node:https with `agent`; http URLs go through node:http. The whole
 * response body is read before the Response is returned.
 */
export function fetchTrusting(agent: Agent): typeof fetch {
  const impl = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input.toString() : input.url);
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((v, k) => {
        headers[k] = v;
      });
      // JSON text, or the bytes of a stream property's PUT (GraphClient.putBytes: branding images)
      const body = wireBody(init.body);
      if (init.body != null && body === undefined) {
        reject(new TypeError('fetchTrusting sends string or byte bodies only'));
        return;
      }
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const signal = init.signal ?? undefined;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const opts = { method: init.method ?? 'GET', headers, ...(url.protocol === 'https:' ? { agent } : {}), ...(signal ? { signal } : {}) };
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const out = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) for (const x of v) out.append(k, x);
            else if (v !== undefined) out.set(k, v);
          }
          const status = res.statusCode ?? 500;
          const nullBody = status === 204 || status === 304 || status < 200;
          resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? '', headers: out }));
        });
      });
      req.on('error', (e) => reject(signal?.aborted ? signal.reason : e));
      if (body !== undefined) req.write(body);
      req.end();
    });
  return impl as typeof fetch;
}
