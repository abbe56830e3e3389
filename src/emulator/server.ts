/**
 * The HTTP front of the emulator on 127.0.0.1: the token endpoint and OpenID
 * discovery per tenant, and `/v1.0/*` Graph calls through one pipeline
 * (authenticate → count → throttle/faults → latency → dispatch → error envelope).
 */
import { auditLogAnswer, recordAudit } from './audit-log.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../clock.js';
import type { Json } from '../model.js';
import { verifyToken } from './auth.js';
import { DeviceCodes } from './device-code.js';
import { identityEndpoint, isIdentityPath } from './identity-endpoints.js';
import { parseBatch, runBatch, type SubRequest, type SubResponse } from './odata/batch.js';
import { checkQueryOptions, TrackedQuery, unreadOptionsError } from './odata/options.js';
import type { Answer, Caller, Ctx, TenantRuntime } from './context.js';
import { ruCost, FaultState } from './faults.js';
import { errorBody, GraphHttpError, unknownSegment } from './graph-error.js';
import { Prng, seedFrom } from './prng.js';
import type { Registry } from './registry.js';
import { dispatch } from './resources.js';
import type { TenantStore } from './store.js';
import type { EmulatorStats, FaultConfig } from './types.js';

/** POST actions that only read (not counted as mutating). */
const READ_ONLY_ACTIONS = new Set(['getbyids', 'getmemberobjects', 'getmembergroups', 'checkmembergroups', 'checkmemberobjects']);

export interface TenantSlot extends TenantRuntime {
  faultState: FaultState;
  stats: EmulatorStats;
  /** Test control (TenantControl.recordWrites): admitted mutating calls in order, when recording. */
  writeLog?: string[];
}

export function emptyStats(): EmulatorStats {
  return { requests: 0, byMethod: {}, mutating: 0, throttled: 0, ru: 0, admittedWrites: 0, admittedRu: 0, tokens: 0 };
}

interface GraphCall {
  method: string;
  /** Path (and query) relative to the host, starting with `/v1.0/`. */
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** JSON could not be parsed. */
  malformed?: boolean;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  text?: string;
  /** A stream property's bytes (./branding-streams.ts). */
  bytes?: { contentType: string; data: Buffer };
  mutated: boolean;
}

export class EmulatorServer {
  readonly slots = new Map<string, TenantSlot>();
  private server: Server | undefined;
  url = '';
  private saving: Promise<void> | undefined;
  private dirty = false;
  /** Device codes issued by `/devicecode`, completed by a drill control. */
  readonly deviceCodes = new DeviceCodes();

  constructor(
    readonly reg: Registry,
    readonly clock: Clock,
    public key: Buffer,
    private faults: FaultConfig,
    private readonly onMutate: () => Promise<void>,
  ) {}

  addStore(store: TenantStore, faults: FaultConfig = this.faults): TenantSlot {
    const seed = faults.seed ?? 1;
    const slot: TenantSlot = {
      store,
      ids: new Prng(seedFrom(`${store.tenantId}:ids:${seed}`) ^ store.seq),
      faults,
      faultRng: new Prng(seedFrom(`${store.tenantId}:faults:${seed}`)),
      stats: emptyStats(),
      faultState: undefined as unknown as FaultState,
    };
    slot.faultState = new FaultState(
      store.tenantId,
      this.clock,
      () => slot.faultRng,
      () => slot.faults,
      () => {
        const n = store.live.get('user')?.size ?? 0;
        return n < 50 ? 'S' : n <= 500 ? 'M' : 'L';
      },
    );
    this.slots.set(store.tenantId.toLowerCase(), slot);
    return slot;
  }

  setFaults(slot: TenantSlot, f: FaultConfig): void {
    slot.faults = f;
    if (f.seed !== undefined) slot.faultRng = new Prng(seedFrom(`${slot.store.tenantId}:faults:${f.seed}`));
  }

  private slotFor(tenant: string): TenantSlot | undefined {
    const t = tenant.toLowerCase();
    const direct = this.slots.get(t);
    if (direct) return direct;
    for (const s of this.slots.values()) if (s.store.initialDomain.toLowerCase() === t) return s;
    return undefined;
  }

  /** Listens on 127.0.0.1; with `tls` (certificate and key PEM) over HTTPS. */
  async listen(port: number, tls?: { certPem: string; keyPem: string }): Promise<void> {
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    };
    this.server = tls ? createTlsServer({ cert: tls.certPem, key: tls.keyPem }, onRequest) : createServer(onRequest);
    // Long enough that a client keeps its connections between bursts (undici drops a
    // connection whose advertised keep-alive is under its 2 s threshold: a new TCP
    // connection per request); close() ends idle connections itself.
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    this.url = `${tls ? 'https' : 'http'}://127.0.0.1:${addr.port}`;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (s) {
      s.closeAllConnections?.();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
    await this.flush();
  }

  /** Saves state after a mutation; saves never overlap and a burst collapses into one more save. */
  private scheduleSave(): void {
    this.dirty = true;
    if (this.saving) return;
    this.saving = (async () => {
      while (this.dirty) {
        this.dirty = false;
        await this.onMutate();
      }
      this.saving = undefined;
    })();
  }

  async flush(): Promise<void> {
    while (this.saving) await this.saving;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBytes = Buffer.concat(chunks);
    const raw = rawBytes.toString('utf8');
    const u = new URL(req.url ?? '/', this.url);
    const segs = u.pathname.split('/').filter(Boolean);
    const method = (req.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;

    if (segs[0] === 'v1.0') {
      let body: unknown;
      let malformed = false;
      // a stream property's PUT carries bytes (image/*, text/css: ./branding-streams.ts), never JSON
      if (/^(image\/|text\/css|application\/octet-stream)/i.test(headers['content-type'] ?? '')) body = new Uint8Array(rawBytes);
      else if (raw.trim() !== '') {
        try {
          body = JSON.parse(raw);
        } catch {
          malformed = true;
        }
      }
      const reply = await this.graphRequest({ method, url: u.pathname + u.search, headers, body, malformed }, headers['authorization']);
      this.send(res, reply);
      return;
    }
    // /{tenant}/oauth2/v2.0/token, /{tenant}/oauth2/v2.0/devicecode, /{tenant}/v2.0/.well-known/openid-configuration
    if (isIdentityPath(segs.slice(1))) {
      const slot = this.slotFor(decodeURIComponent(segs[0]!));
      const ans = slot
        ? identityEndpoint(slot.store, decodeURIComponent(segs[0]!), { rest: segs.slice(1), method, body: raw }, {
            url: this.url,
            key: this.key,
            deviceCodes: this.deviceCodes,
            // tokens, assertions and device codes live in real time, as verifyToken checks them
            nowMs: () => Date.now(),
            countToken: () => slot.stats.tokens++,
          })
        : { status: 400, body: { error: 'invalid_tenant', error_description: `AADSTS90002: Tenant '${segs[0]}' not found.`, error_codes: [90002] } };
      if (ans) {
        this.json(res, ans.status, ans.body);
        return;
      }
    }
    if (segs[0] === 'devicelogin') {
      this.json(res, 200, { message: 'The emulator has no sign-in page: a drill control (TenantControl.completeDeviceCode) completes a device code.' });
      return;
    }
    this.json(res, 404, { error: 'not_found', error_description: `No endpoint at ${u.pathname}.` });
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private send(res: ServerResponse, r: Reply): void {
    if (r.mutated) this.scheduleSave();
    if (r.bytes && r.status !== 204) {
      res.writeHead(r.status, { ...r.headers, 'Content-Type': r.bytes.contentType, 'Content-Length': r.bytes.data.length });
      res.end(r.bytes.data);
      return;
    }
    if (r.status === 204 || (r.body === undefined && r.text === undefined)) {
      res.writeHead(r.status, r.headers);
      res.end();
      return;
    }
    const text = r.text ?? JSON.stringify(r.body);
    const type =
      r.text !== undefined ? 'text/plain' : 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
    res.writeHead(r.status, { ...r.headers, 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  /** Authenticates a top-level `/v1.0` request and runs it (or its batch). */
  private async graphRequest(call: GraphCall, authorization: string | undefined): Promise<Reply> {
    const requestId = randomUUID();
    const clientRequestId = call.headers['client-request-id'] ?? requestId;
    const ids = { 'request-id': requestId, 'client-request-id': clientRequestId };
    const fail = (e: GraphHttpError): Reply => ({
      status: e.status,
      headers: { ...ids, ...e.headers },
      body: errorBody(e, requestId, clientRequestId, this.clock.now()),
      mutated: false,
    });
    let slot: TenantSlot | undefined;
    let caller: Caller;
    try {
      const claims = verifyToken(authorization, this.key);
      slot = this.slotFor(claims.tid);
      if (!slot) throw new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
      caller = { appId: claims.appid, roles: new Set(claims.roles), ...(claims.oid ? { userId: claims.oid } : {}) };
    } catch (e) {
      if (e instanceof GraphHttpError) return fail(e);
      throw e;
    }
    const path = new URL(call.url, this.url).pathname;
    if (path === '/v1.0/$batch') {
      if (call.method !== 'POST') return fail(new GraphHttpError(405, 'BadRequest', 'The $batch endpoint accepts POST only.'));
      if (call.malformed) return fail(malformedJson());
      let reqs: SubRequest[];
      try {
        reqs = parseBatch(call.body);
      } catch (e) {
        if (e instanceof GraphHttpError) return fail(e);
        throw e;
      }
      const s = slot;
      const responses = await runBatch(
        reqs,
        async (r): Promise<SubResponse> => {
          const rel = r.url.replace(/^https?:\/\/[^/]+/, '').replace(/^\/?(v1\.0\/)?/, '/v1.0/');
          const rep = await this.graphCall(s, caller, { method: r.method, url: rel, headers: r.headers, body: r.body }, ids);
          if (rep.mutated) this.scheduleSave();
          // Each sub-response names its body's media type, as a top-level response does
          // (https://learn.microsoft.com/graph/json-batching: "headers": {"Content-Type": …}).
          const type: Record<string, string> = rep.body !== undefined ? { 'Content-Type': 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8' } : rep.text !== undefined ? { 'Content-Type': 'text/plain; charset=utf-8' } : {};
          return { id: r.id, status: rep.status, headers: { ...rep.headers, ...type }, ...(rep.body !== undefined ? { body: rep.body } : rep.text !== undefined ? { body: rep.text } : {}) };
        },
        (r) => ({
          id: r.id,
          status: 424,
          headers: { 'Content-Type': 'application/json' },
          body: errorBody(new GraphHttpError(424, 'FailedDependency', 'Failed dependency: a request this one depends on failed.'), requestId, clientRequestId, this.clock.now()),
        }),
      );
      return { status: 200, headers: ids, body: { responses }, mutated: false };
    }
    return this.graphCall(slot, caller, call, ids);
  }

  /** One Graph call (top level or a batch part): stats, throttling, faults, dispatch. */
  private async graphCall(slot: TenantSlot, caller: Caller, callIn: GraphCall, ids: Record<string, string>): Promise<Reply> {
    let call = callIn;
    const me = meTarget(call.url, caller);
    if (me instanceof GraphHttpError) return { status: me.status, headers: { ...ids, ...me.headers }, body: errorBody(me, ids['request-id']!, ids['client-request-id']!, this.clock.now()), mutated: false };
    if (me) call = { ...call, url: me };
    const u = new URL(call.url, this.url);
    const segs = u.pathname.split('/').filter(Boolean).slice(1).map((s) => decodeURIComponent(s));
    const method = call.method.toUpperCase();
    const last = (segs[segs.length - 1] ?? '').toLowerCase();
    const write = method !== 'GET' && !(method === 'POST' && READ_ONLY_ACTIONS.has(last));
    const st = slot.stats;
    st.requests++;
    st.byMethod[method] = (st.byMethod[method] ?? 0) + 1;
    const shape = segs.map((s) => (/[0-9a-f]{8}-[0-9a-f]{4}-/i.test(s) ? '{id}' : s)).join('/');
    const byPath = (st.byPath ??= {});
    byPath[shape] = (byPath[shape] ?? 0) + 1;
    if (write) st.mutating++;
    const cost = ruCost(method, segs, u.searchParams);
    st.ru += cost;
    const fail = (e: GraphHttpError, extra: Record<string, string> = {}): Reply => ({
      status: e.status,
      headers: { ...ids, ...extra, ...e.headers },
      body: errorBody(e, ids['request-id']!, ids['client-request-id']!, this.clock.now()),
      mutated: false,
    });
    let admitted: Record<string, string>;
    try {
      admitted = slot.faultState.admit(caller.appId, write, cost).headers;
      st.admittedRu += cost;
      if (write) {
        slot.writeLog?.push(`${method} /${segs.join('/')}`);
        st.admittedWrites++;
        const byApp = (st.admittedWritesByApp ??= {});
        byApp[caller.appId] = (byApp[caller.appId] ?? 0) + 1;
      }
    } catch (e) {
      if (e instanceof GraphHttpError) {
        if (e.status === 429) st.throttled++;
        return fail(e, { 'x-ms-resource-unit': String(cost) });
      }
      throw e;
    }
    const delay = (slot.faults.latencyMs ?? 0) + (write ? slot.faults.writeLatencyMs ?? 0 : 0);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    if (call.malformed) return fail(malformedJson(), admitted);
    const query = new TrackedQuery(u.searchParams);
    const ctx: Ctx = {
      rt: slot,
      reg: this.reg,
      clock: this.clock,
      method,
      segs,
      query,
      headers: call.headers,
      body: call.body,
      caller,
      base: `${this.url}/v1.0`,
      pathname: u.pathname.replace(/^\/v1\.0/, ''),
    };
    let ans: Answer;
    try {
      if (segs.length === 0) throw unknownSegment('v1.0');
      if (segs[0] === 'auditLogs') ans = auditLogAnswer(ctx);
      else {
        checkQueryOptions(ctx);
        ans = dispatch(ctx);
        // every successful write is a directoryAudit (./audit-log.ts)
        if (ans.mutated === true && ans.status < 300) recordAudit(ctx, ans);
      }
      // a read that left an option unread ignored it: refused instead (options.ts)
      const unread = method === 'GET' && ans.status < 300 ? unreadOptionsError(query) : undefined;
      if (unread) throw unread;
    } catch (e) {
      if (e instanceof GraphHttpError) return fail(e, admitted);
      // a bug in the emulator: answered like Graph's own internal errors, never with a stack
      return fail(new GraphHttpError(500, 'generalException', 'An unexpected error occurred in the emulator.'), admitted);
    }
    return {
      status: ans.status,
      headers: { ...ids, ...admitted, ...(ans.headers ?? {}) },
      ...(ans.body !== undefined ? { body: ans.body as Json } : {}),
      ...(ans.text !== undefined ? { text: ans.text } : {}),
      ...(ans.bytes !== undefined ? { bytes: ans.bytes } : {}),
      mutated: ans.mutated === true,
    };
  }
}

function malformedJson(): GraphHttpError {
  return new GraphHttpError(
    400,
    'BadRequest',
    'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
  );
}

export const newKey = (): Buffer => randomBytes(32);

/**
 * `/me` is the signed-in user, so it needs a delegated token: the path is answered as
 * `/users/{oid}`; an app-only token gets 400, as Graph answers ("/me request is only valid
 * with delegated authentication flow", https://learn.microsoft.com/answers/questions/852080 ;
 * https://learn.microsoft.com/graph/api/user-get "Calling the /me endpoint requires a
 * signed-in user and therefore a delegated permission").
 * Returns the rewritten URL, null when the path is not `/me`, or the error.
 */
function meTarget(url: string, caller: Caller): string | GraphHttpError | null {
  const m = /^(\/v1\.0)\/me(?=[/?(]|$)/i.exec(url);
  if (!m) return null;
  if (!caller.userId) return new GraphHttpError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
  return `${m[1]}/users/${caller.userId}${url.slice(m[0].length)}`;
}
