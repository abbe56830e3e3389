/** Test helpers: a tiny scripted HTTP server on 127.0.0.1 and controllable clocks. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../src/clock.js';
import { RecordingReporter } from '../../src/progress.js';
import { TransportGraphClient } from '../../src/graph/client.js';
import { StatsCollector } from '../../src/graph/stats.js';
import { graphTransport, type TransportOptions } from '../../src/graph/transport.js';
import type { TokenProvider } from '../../src/graph/auth.js';

export interface SeenRequest {
  method: string;
  /** The raw request target exactly as received (path + query). */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings are sent raw. */
  body?: unknown;
}

export type Handler = (req: SeenRequest, server: TestServer) => Reply | Promise<Reply>;

export interface TestServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** origin + /v1.0 */
  baseUrl: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const srv = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(seen);
      Promise.resolve(handler(seen, server))
        .then((reply) => {
          const status = reply.status ?? 200;
          const headers: Record<string, string> = { ...reply.headers };
          let payload = '';
          if (typeof reply.body === 'string') payload = reply.body;
          else if (reply.body !== undefined) {
            payload = JSON.stringify(reply.body);
            headers['content-type'] ??= 'application/json';
          }
          res.writeHead(status, headers);
          res.end(payload);
        })
        .catch((e: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(e));
        });
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const server: TestServer = {
    origin,
    baseUrl: `${origin}/v1.0`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        srv.closeAllConnections();
        srv.close(() => resolve());
      }),
  };
  return server;
}

/** Graph's error envelope. */
export function graphError(code: string, message: string, requestId = 'req-1'): unknown {
  return { error: { code, message, innerError: { date: '2026-01-01T00:00:00', 'request-id': requestId, 'client-request-id': requestId } } };
}

/** A clock whose sleeps return at once and advance time by the requested amount. */
export class FakeClock implements Clock {
  t = Date.parse('2026-01-01T00:00:00Z');
  readonly sleeps: number[] = [];
  now(): Date {
    return new Date(this.t);
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
    await new Promise((r) => setImmediate(r));
  }
  total(): number {
    return this.sleeps.reduce((a, b) => a + b, 0);
  }
}

/** A clock whose sleeps block until the test advances time past their deadline. */
export class ManualClock implements Clock {
  t = Date.parse('2026-01-01T00:00:00Z');
  readonly pending: Array<{ until: number; resolve: () => void }> = [];
  readonly sleeps: number[] = [];
  now(): Date {
    return new Date(this.t);
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((resolve) => this.pending.push({ until: this.t + ms, resolve }));
  }
  advance(ms: number): void {
    this.t += ms;
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const p = this.pending[i]!;
      if (p.until <= this.t) {
        this.pending.splice(i, 1);
        p.resolve();
      }
    }
  }
}

export interface TestClientOptions extends Partial<Omit<TransportOptions, 'stats' | 'baseUrl'>> {
  tokens?: TokenProvider;
}

/** A fully layered client (the production middleware chain) to `baseUrl`; without `tokens`, no credentials. */
export function makeClient(baseUrl: string, o: TestClientOptions = {}): { client: TransportGraphClient; reporter: RecordingReporter; clock: Clock; stats: StatsCollector } {
  const reporter = (o.reporter as RecordingReporter | undefined) ?? new RecordingReporter();
  const clock = o.clock ?? new FakeClock();
  const stats = new StatsCollector();
  const t = graphTransport({ ...o, baseUrl, clock, reporter, stats });
  return { client: new TransportGraphClient(t, stats), reporter, clock, stats };
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Waits (polling the event loop) until `cond` holds; fails after ~2 s of real time. */
export async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}
