/** Integration: the graph client against the project's Graph emulator (real HTTP on loopback). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { seedTenant } from '../../src/emulator/seed/index.js';
import type { SeededTenant } from '../../src/emulator/seed/types.js';
import { batchAll } from '../../src/graph/batch.js';
import { createGraphClient } from '../../src/graph/client.js';
import { readOnlyGraph } from '../../src/graph/dryrun.js';
import { retryOnLag } from '../../src/graph/pacing.js';
import type { BatchRequest } from '../../src/graph/types.js';
import { loadProfile, type ConnectionProfile } from '../../src/profile.js';
import { RecordingReporter } from '../../src/progress.js';
import { FakeClock, collect } from './helpers.js';

let emu: EmulatorHandle;
/** A second emulator sharing a fake clock with the client: Retry-After and lag windows pass instantly. */
let fakeEmu: EmulatorHandle;
let fakeReader: ConnectionProfile;
let fakeWriter: ConnectionProfile;
const clock = new FakeClock();
let tenant: SeededTenant;
let dir: string;
let reader: ConnectionProfile;
let writer: ConnectionProfile;

beforeAll(async () => {
  tenant = seedTenant({ seed: 42, users: 250 });
  emu = await startEmulator({ tenants: [tenant] });
  dir = await mkdtemp(join(tmpdir(), 'ev-graph-'));
  await emu.writeProfiles(tenant.tenantId, { readerPath: join(dir, 'reader.json'), writerPath: join(dir, 'writer.json') });
  reader = await loadProfile(join(dir, 'reader.json'));
  writer = await loadProfile(join(dir, 'writer.json'));
  // The emulator checks token expiry against the real time; start the fake clock there.
  clock.t = Date.now();
  fakeEmu = await startEmulator({ tenants: [tenant], clock });
  await fakeEmu.writeProfiles(tenant.tenantId, { readerPath: join(dir, 'fr.json'), writerPath: join(dir, 'fw.json') });
  fakeReader = await loadProfile(join(dir, 'fr.json'));
  fakeWriter = await loadProfile(join(dir, 'fw.json'));
});

afterAll(async () => {
  await emu?.close();
  await fakeEmu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function expectedUsers(): number {
  return emu.tenant(tenant.tenantId).exportState().data.objects.user?.length ?? 0;
}

describe('graph client on the emulator', () => {
  it('reads every user through nextLink paging with the reader profile', async () => {
    emu.tenant(tenant.tenantId).setFaults({});
    const client = await createGraphClient(reader);
    const users = await collect(client.list<{ id: string; userPrincipalName: string }>('/users?$select=id,userPrincipalName&$top=100'));
    expect(users.length).toBe(expectedUsers());
    expect(users.length).toBeGreaterThan(100);
    expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
    expect(client.stats().requests).toBe(Math.ceil(users.length / 100));
  });

  it('completes under 30% throttling, waiting at least the sum of Retry-After', async () => {
    const control = fakeEmu.tenant(tenant.tenantId);
    control.setFaults({ throttleFraction: 0.3, retryAfterSeconds: 2, seed: 7 });
    control.resetStats();
    const reporter = new RecordingReporter();
    const slept = clock.total();
    try {
      const client = await createGraphClient(fakeReader, { clock, reporter, maxRetries: 20 });
      const users = await collect(client.list('/users?$select=id&$top=25'));
      expect(users.length).toBe(expectedUsers());
      const throttled = control.stats().throttled;
      expect(throttled).toBeGreaterThan(0);
      expect(client.stats().throttled).toBe(throttled);
      expect(clock.total() - slept).toBeGreaterThanOrEqual(throttled * 2000);
      expect(reporter.events.filter((e) => e.kind === 'throttled')).toHaveLength(throttled);
    } finally {
      control.setFaults({});
    }
  });

  it('answers 403 for a write with the reader profile', async () => {
    const client = await createGraphClient(reader);
    const someone = (await client.get<{ value: Array<{ id: string }> }>('/users?$select=id&$top=1')).value[0]!;
    const e = await client.patch(`/users/${someone.id}`, { jobTitle: 'x' }).then(() => undefined, (x: unknown) => x);
    expect(e).toMatchObject({ code: 'GRAPH_FORBIDDEN', status: 403 });
  });

  it('retries through replication lag after a create with the writer profile', async () => {
    const control = fakeEmu.tenant(tenant.tenantId);
    control.setFaults({ replicationLagMs: 5000 });
    try {
      const client = await createGraphClient(fakeWriter, { clock });
      const g = await client.post<{ id: string }>('/groups', { displayName: 'lag probe', mailEnabled: false, mailNickname: 'lagprobe', securityEnabled: true });
      const before = clock.sleeps.length;
      // Without the opt-in the just-created group is not found yet.
      const early = await client.get(`/groups/${g.id}`).then(() => undefined, (x: unknown) => x);
      expect(early).toMatchObject({ code: 'GRAPH_NOT_FOUND' });
      await client.patch(`/groups/${g.id}`, { description: 'patched after lag' }, retryOnLag());
      // 1 + 2 + 4 s of the schedule cover a 5 s replication window.
      expect(clock.sleeps.slice(before)).toEqual([1000, 2000, 4000]);
      const read = await client.get<{ description: string }>(`/groups/${g.id}?$select=description`, retryOnLag());
      expect(read.description).toBe('patched after lag');
    } finally {
      control.setFaults({});
    }
  });

  it('runs batchAll over more than 20 reads, and behind the dry-run guard writes reach nothing', async () => {
    const control = emu.tenant(tenant.tenantId);
    const client = await createGraphClient(writer);
    const users = await collect(client.list<{ id: string }>('/users?$select=id&$top=45'));
    const reqs: BatchRequest[] = users.slice(0, 45).map((u, i) => ({ id: String(i), method: 'GET', url: `/users/${u.id}?$select=id` }));
    const out = await batchAll(client, reqs);
    expect(out.size).toBe(45);
    expect([...out.values()].every((r) => r.status === 200)).toBe(true);

    control.resetStats();
    const dry = readOnlyGraph(client);
    await expect(dry.post('/groups', { displayName: 'x', mailEnabled: false, mailNickname: 'x', securityEnabled: true })).rejects.toThrow(/mutating call/);
    await expect(dry.delete(`/users/${users[0]!.id}`)).rejects.toThrow(/mutating call/);
    await dry.get(`/users/${users[0]!.id}`);
    expect(control.stats().mutating).toBe(0);
    expect(control.stats().requests).toBe(1);
  });
});
