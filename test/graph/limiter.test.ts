import { afterEach, describe, expect, it } from 'vitest';
import { Semaphore } from '../../src/graph/pacing.js';
import { makeClient, startServer, until, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('concurrency limit', () => {
  it('never has more than `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    let arrived = 0;
    server = await startServer(async () => {
      inFlight++;
      arrived++;
      peak = Math.max(peak, inFlight);
      // The first three wait for each other, so the limit is reached deterministically;
      // an unlimited client would let all twenty pile up here.
      if (arrived <= 3) await until(() => arrived >= 3, 'three requests in flight').catch(() => undefined);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return { body: { ok: true } };
    });
    const { client } = makeClient(server.baseUrl, { concurrency: 3 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => client.get(`/users/${i}`)));
    expect(server.requests).toHaveLength(20);
    expect(peak).toBe(3);
  });

  it('rejects a non-positive limit as a bug', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});
