import { isHeldField } from '../../src/restore/held-fields.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordingReporter } from '../../src/progress.js';
import { MemoryCredentialsSink } from '../../src/restore/credentials.js';
import { executePlan, type ExecutionResult } from '../../src/restore/execute/executor.js';
import { generateTemporaryPassword } from '../../src/restore/execute/graph.js';
import { meetsPasswordPolicy } from '../../src/emulator/password-policy.js';
import { openJournal, planIdentity } from '../../src/restore/execute/journal.js';
import type { Plan } from '../../src/restore/types.js';
import { setMemProbe } from '../../src/mem-probe.js';
import { FakeGraph, fakeCatalog, naturalView } from './fake-graph.js';
import { A, FakeClock, fixturePlan, targetState } from './fixture-plan.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'ev-exec-'));

async function run(plan: Plan, graph: FakeGraph, journalPath: string, extra: { enableConditionalAccess?: boolean; signal?: AbortSignal; concurrency?: number; releaseFinished?: boolean } = {}) {
  const journal = openJournal(journalPath, planIdentity(plan));
  const reporter = new RecordingReporter();
  const sink = new MemoryCredentialsSink();
  const clock = new FakeClock();
  try {
    const result = await executePlan(plan, {
      graph, journal, reporter, clock, credentialsSink: sink,
      enableConditionalAccess: extra.enableConditionalAccess ?? true,
      catalog: fakeCatalog, concurrency: extra.concurrency ?? 3,
      ...(extra.signal ? { signal: extra.signal } : {}),
      ...(extra.releaseFinished ? { releaseFinished: true } : {}),
    });
    return { result, reporter, sink, clock };
  } finally {
    journal.close();
  }
}

/** A fake Graph class that records every path it is asked to GET, and the list it records them in. */
function readsWatched(): { reads: string[]; Watched: typeof FakeGraph } {
  const reads: string[] = [];
  class Watched extends FakeGraph {
    override get<T>(path: string): Promise<T> {
      reads.push(path);
      return super.get<T>(path);
    }
  }
  return { reads, Watched };
}

function outcome(r: ExecutionResult, opId: string) {
  return r.outcomes.find((o) => o.opId === opId)?.outcome;
}

describe('executePlan', () => {
  it('marks a tier start (a full collection in the CLI) only when no operation is in flight', async () => {
    const path = join(tmp(), 'j');
    const marks: { label: string; inFlight: number }[] = [];
    setMemProbe((label) => {
      // in flight: journaled started, not yet done, failed or skipped
      const open = new Set<string>();
      for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
        if (!line) continue;
        const r = JSON.parse(line) as { opId: string; state: string };
        if (r.state === 'started') open.add(r.opId);
        else open.delete(r.opId);
      }
      marks.push({ label, inFlight: open.size });
    });
    try {
      const { result } = await run(fixturePlan(), new FakeGraph(targetState()), path, { concurrency: 3 });
      expect(result.failures).toEqual([]);
    } finally {
      setMemProbe(undefined);
    }
    expect(marks.length).toBeGreaterThan(0);
    expect(marks.filter((m) => m.inFlight > 0)).toEqual([]);
  });

  it('looks for an app role assignment among its principal\'s roles, not among every assignment of its resource; not at all when it made the principal', async () => {
    // a resource may hold one assignment per user of the tenant: read before each create, its list
    // made a large restore's assignments quadratic (issue 17 item 2, src/restore/execute/objects.ts)
    const { reads, Watched } = readsWatched();
    const lookups = (): string[] => reads.filter((p) => /\/(appRoleAssignments|appRoleAssignedTo)(\?|$)/.test(p));
    const g = new Watched(targetState());
    const first = await run(fixturePlan(), g, join(tmp(), 'j'));
    expect(first.result.failures).toEqual([]);
    // this run created Alice and the service principal: the assignment cannot be there yet
    expect(outcome(first.result, 'ara')).toBe('created');
    expect(lookups()).toEqual([]);
    // the same plan again with a new journal adopts Alice: it looks, in Alice's list
    reads.length = 0;
    const second = await run(fixturePlan(), g, join(tmp(), 'j'));
    expect(outcome(second.result, 'ara')).toBe('alreadyPresent');
    const alice = g.all('/users').find((u) => u.userPrincipalName === 'alice@contoso.example')!;
    expect(lookups()).toEqual([`/users/${String(alice.id)}/appRoleAssignments`]);
    // a principal matched at plan time (no slot, so its type is unknown): the resource's list
    reads.length = 0;
    const plan = fixturePlan();
    const ara = plan.operations.find((o) => o.opId === 'ara')!;
    if (ara.kind !== 'create') throw new Error('fixture: ara is a create');
    ara.refs = ara.refs.filter((r) => r.at[0] !== 'principalId');
    ara.body = { ...ara.body, principalId: String(alice.id) };
    const third = await run(plan, g, join(tmp(), 'j'));
    expect(outcome(third.result, 'ara')).toBe('alreadyPresent');
    expect(lookups().length).toBeGreaterThan(0);
    expect(lookups().every((p) => p.endsWith('/appRoleAssignedTo'))).toBe(true);
  });

  it('reads no edge list of an object it created itself; reads one it adopted, and its edge already there is not written again', async () => {
    // a manager was a GET and a PUT; an object this run created has only the edges it wrote
    // (issue 17 item 2, src/restore/execute/relations.ts edgeSet)
    const { reads, Watched } = readsWatched();
    const edgeReads = (): string[] => reads.filter((p) => /\/(members|manager)(\?|$)/.test(p));
    const g = new Watched(targetState());
    const { result } = await run(fixturePlan(), g, join(tmp(), 'j'));
    expect(result.failures).toEqual([]);
    expect(edgeReads()).toEqual([]);
    expect([outcome(result, 'm1'), outcome(result, 'm2'), outcome(result, 'mgr')]).toEqual(['related', 'related', 'related']);
    expect(naturalView(g.state).edges).toEqual(expect.arrayContaining(['sales members alice@contoso.example', 'sales members carol@contoso.example', 'alice@contoso.example manager bob@contoso.example']));
    // the group is already in the target with Carol in it: adopted, so its members are read,
    // and Carol's membership counts as present instead of being written again
    reads.length = 0;
    const state = targetState();
    state.collections['/groups'] = [{ id: 'live-sales', displayName: 'Sales', mailNickname: 'sales' }];
    state.edges['/groups/live-sales/members'] = [A.u3];
    const again = await run(fixturePlan(), new Watched(state), join(tmp(), 'j'));
    expect(again.result.failures).toEqual([]);
    expect(outcome(again.result, 'g1')).toBe('alreadyPresent');
    expect(edgeReads()).toEqual(['/groups/live-sales/members?$select=id']);
    expect(outcome(again.result, 'm2')).toBe('alreadyPresent');
    expect(outcome(again.result, 'm1')).toBe('related');
  });

  it('sends the ready edges of one group 20 to a PATCH, in plan order, each edge once', async () => {
    const state = targetState();
    state.collections['/groups'] = [{ id: 'live-g', displayName: 'All staff', mailNickname: 'staff' }];
    state.collections['/users'] = Array.from({ length: 45 }, (_, i) => ({ id: `live-u${i}`, userPrincipalName: `u${i}@contoso.example` }));
    const plan: Plan = {
      ...fixturePlan(),
      idMap: { 'a-g': 'live-g', ...Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`a-u${i}`, `live-u${i}`])) },
      unresolved: [], reportOnly: [],
      operations: Array.from({ length: 45 }, (_, i) => ({ opId: `m${i}`, kind: 'addRelation' as const, tier: 3 as const, dependsOn: [], label: `staff ∋ u${i}`, relation: 'groupMembers' as const, from: 'a-g', to: `a-u${i}`, toType: 'user' as const })),
    };
    const sent: string[][] = [];
    class Watched extends FakeGraph {
      override patch(path: string, body: unknown): Promise<void> {
        sent.push(((body as Record<string, string[]>)['members@odata.bind'] ?? []).map((u) => u.split('/').at(-1) as string));
        return super.patch(path, body);
      }
    }
    const g = new Watched(state);
    const { result } = await run(plan, g, join(tmp(), 'j'), { concurrency: 1 });
    expect(result.failures).toEqual([]);
    expect(result.counts.related).toBe(45);
    expect(sent.map((u) => u.length)).toEqual([20, 20, 5]);
    expect(sent.flat()).toEqual(Array.from({ length: 45 }, (_, i) => `live-u${i}`));
    expect(g.state.edges['/groups/live-g/members']).toHaveLength(45);
  });

  it("keeps a source's live edges while an edge of it is still to run, and lets go of them after its last (run.ts edgesLeft)", async () => {
    const state = targetState();
    state.collections['/groups'] = [{ id: 'live-g', displayName: 'All staff', mailNickname: 'staff' }];
    state.collections['/users'] = Array.from({ length: 3 }, (_, i) => ({ id: `live-u${i}`, userPrincipalName: `u${i}@contoso.example` }));
    const edge = (i: number, from: string, dependsOn: string[]) =>
      ({ opId: `m${i}`, kind: 'addRelation' as const, tier: 3 as const, dependsOn, label: `staff ∋ u${i}`, relation: 'groupMembers' as const, from, to: `a-u${i}`, toType: 'user' as const });
    // two archived groups matched to one live group (the target's own): a-g's edges one after the
    // other, each its own unit; then a-h's, which must find the list read again, not a forgotten copy
    const plan: Plan = {
      ...fixturePlan(),
      idMap: { 'a-g': 'live-g', 'a-h': 'live-g', ...Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`a-u${i}`, `live-u${i}`])) },
      unresolved: [], reportOnly: [],
      operations: [edge(0, 'a-g', []), edge(1, 'a-g', ['m0']), edge(2, 'a-h', ['m1'])],
    };
    const { reads, Watched } = readsWatched();
    const g = new Watched(state);
    const { result } = await run(plan, g, join(tmp(), 'j'), { concurrency: 1 });
    expect(result.failures).toEqual([]);
    expect(result.counts.related).toBe(3);
    // once for a-g's two edges (kept between them), once more for a-h's
    expect(reads.filter((p) => p.startsWith('/groups/live-g/members'))).toEqual(['/groups/live-g/members?$select=id', '/groups/live-g/members?$select=id']);
  });

  it('gives a break-glass admin with a long sign-in name a mail alias Graph accepts (64 characters at most)', async () => {
    const plan = fixturePlan();
    const local = `emergency.access.${'x'.repeat(60)}`;
    const bg = plan.operations.find((o) => o.kind === 'createBreakGlassAdmin')!;
    if (bg.kind !== 'createBreakGlassAdmin') throw new Error('fixture: no break-glass op');
    bg.userPrincipalName = `${local}@contoso.example`;
    const g = new FakeGraph(targetState());
    await run(plan, g, join(tmp(), 'j'));
    const made = g.all('/users').find((u) => u.userPrincipalName === bg.userPrincipalName)!;
    expect(made.mailNickname).toBe(local.slice(0, 64));
  });

  it('runs every operation kind in dependency order and remaps references', async () => {
    const g = new FakeGraph(targetState());
    const { result, sink, reporter } = await run(fixturePlan(), g, join(tmp(), 'j'));
    expect(result.failures).toEqual([]);
    expect(outcome(result, 'u3')).toBe('restored');
    expect(result.idMap[A.u3]).toBe(A.u3); // recycle bin keeps the id (docs/reliability.md 18)
    const view = naturalView(g.state);
    expect(view.users).toEqual(['alice@contoso.example', 'bg1@contoso.example', 'bob@contoso.example', 'carol@contoso.example']);
    expect(view.edges).toEqual(['alice@contoso.example manager bob@contoso.example', 'sales members alice@contoso.example', 'sales members carol@contoso.example']);
    expect(view.appRoles).toEqual(['alice@contoso.example:sp:payroll']);
    expect(view.roles).toContain('bg1@contoso.example:62e90394-69f5-4237-9190-012177145e10:/');
    expect(view.roles).toContain('bob@contoso.example:729827e3-9c14-49f7-bb1b-9608f156bbb8:/');
    // extension attribute renamed to the recreated app's new appId
    const liveApp = g.all('/applications')[0]!;
    const alice = g.all('/users').find((u) => u.userPrincipalName === 'alice@contoso.example')!;
    expect(alice[`extension_${String(liveApp.appId).replace(/-/g, '')}_costCenter`]).toBe('CC1');
    // the SP points at the new appId, the CA policy at the new group id and appId
    expect(g.all('/servicePrincipals').some((sp) => sp.appId === liveApp.appId)).toBe(true);
    const ca1 = g.all('/identity/conditionalAccess/policies').find((p) => p.displayName === 'Require MFA')!;
    expect(ca1.state).toBe('enabled');
    expect(JSON.stringify(ca1.conditions)).toContain(g.all('/groups')[0]!.id);
    expect(JSON.stringify(ca1.conditions)).toContain(String(liveApp.appId));
    // three temporary passwords (alice, bob, break-glass), only in the sink
    expect(sink.credentials.map((c) => c.userPrincipalName).sort()).toEqual(['alice@contoso.example', 'bg1@contoso.example', 'bob@contoso.example']);
    expect(reporter.events.some((e) => e.kind === 'progress' && e.phase === 'restore tier 2')).toBe(true);
    expect(result.tiers.map((t) => t.tier)).toEqual([0, 2, 3, 4, 5]);
  });

  it('a plan spent as it runs (releaseFinished) ends in the same state, and its finished writes hold no body (issue 17 item 1)', async () => {
    const kept = new FakeGraph(targetState());
    const whole = await run(fixturePlan(), kept, join(tmp(), 'j'));
    const spentGraph = new FakeGraph(targetState());
    const plan = fixturePlan();
    const spent = await run(plan, spentGraph, join(tmp(), 'j'), { releaseFinished: true });
    expect(spent.result.failures).toEqual([]);
    expect(spent.result.outcomes.map((o) => [o.opId, o.outcome])).toEqual(whole.result.outcomes.map((o) => [o.opId, o.outcome]));
    expect(naturalView(spentGraph.state)).toEqual(naturalView(kept.state));
    // the CA policies were switched on: their enable step verified their refs after the create finished
    expect(spent.result.outcomes.filter((o) => o.kind === 'enableConditionalAccess').map((o) => o.outcome)).toContain('enabled');
    const fresh = new Map(fixturePlan().operations.map((o) => [o.opId, o] as const));
    expect([...fresh.values()].some((o) => o.kind === 'create' && o.type === 'conditionalAccessPolicy' && o.refs.length > 0)).toBe(true);
    for (const op of plan.operations) {
      expect(op.dependsOn).toEqual((fresh.get(op.opId) as typeof op).dependsOn);
      // its labels and dependencies held compressed while it ran (src/restore/held-fields.ts)
      expect(isHeldField(op, 'label') && isHeldField(op, 'dependsOn')).toBe(true);
      expect(op.label).toBe((fresh.get(op.opId) as typeof op).label);
      if (op.kind !== 'create' && op.kind !== 'update') continue;
      if (op.type === 'conditionalAccessPolicy') expect(op.refs).toEqual((fresh.get(op.opId) as typeof op).refs);
      else expect([op.body, op.refs]).toEqual([{}, []]);
      // frozen: a write to a spent op throws instead of landing in every other spent op
      if (op.type !== 'conditionalAccessPolicy') expect(() => { (op.body as Record<string, unknown>).x = 1; }).toThrow(TypeError);
    }
  });

  it('never enables a CA policy with an unresolved reference; created enabled policies start report-only (docs/reliability.md 22)', async () => {
    const g = new FakeGraph(targetState());
    const { result } = await run(fixturePlan(), g, join(tmp(), 'j'));
    const ca2 = g.all('/identity/conditionalAccess/policies').find((p) => p.displayName === 'Block legacy (unresolved)')!;
    expect(ca2.state).toBe('enabledForReportingButNotEnforced');
    expect(outcome(result, 'ca2on')).toBe('leftReportOnly');
  });

  it('leaves every CA policy report-only when the operator does not enable them', async () => {
    const g = new FakeGraph(targetState());
    await run(fixturePlan(), g, join(tmp(), 'j'), { enableConditionalAccess: false });
    expect(g.all('/identity/conditionalAccess/policies').map((p) => p.state)).toEqual(['enabledForReportingButNotEnforced', 'enabledForReportingButNotEnforced']);
  });

  it('a CA policy whose referenced group vanished before enabling stays report-only and is reported', async () => {
    const g = new FakeGraph(targetState());
    const plan = fixturePlan();
    // the group is matched at plan time to an id that does not exist in the target
    plan.idMap[A.g1] = 'vanished-group';
    plan.operations = plan.operations.filter((o) => o.opId !== 'g1' && o.opId !== 'm1' && o.opId !== 'm2').map((o) => ({ ...o, dependsOn: o.dependsOn.filter((d) => !['g1', 'm1', 'm2'].includes(d)) }));
    const { result } = await run(plan, g, join(tmp(), 'j'));
    expect(outcome(result, 'ca1on')).toBe('failed');
    expect(result.failures.find((f) => f.opId === 'ca1on')?.code).toBe('PLAN_BLOCKED');
    expect(g.all('/identity/conditionalAccess/policies').every((p) => p.state !== 'enabled')).toBe(true);
  });

  it('a second run of the same plan with a new journal makes zero write calls (docs/reliability.md 13)', async () => {
    const g = new FakeGraph(targetState());
    const plan = fixturePlan();
    await run(plan, g, join(tmp(), 'j1'));
    const before = g.writes;
    const { result, sink } = await run(plan, g, join(tmp(), 'j2'));
    expect(g.writes).toBe(before);
    expect(result.writeCalls).toBe(0);
    expect(result.failures).toEqual([]);
    expect(sink.credentials).toHaveLength(0);
  });

  it('two archived policies of one name are two live ones: the second create never adopts the first\'s', async () => {
    const plan = fixturePlan();
    for (const op of plan.operations) if (op.kind === 'create' && op.opId === 'ca2') op.body['displayName'] = 'Require MFA';
    const g = new FakeGraph(targetState());
    const { result } = await run(plan, g, join(tmp(), 'j'), { concurrency: 1 });
    expect(result.failures).toEqual([]);
    expect([outcome(result, 'ca1'), outcome(result, 'ca2')]).toEqual(['created', 'created']);
    const named = (g.state.collections['/identity/conditionalAccess/policies'] ?? []).filter((p) => p['displayName'] === 'Require MFA');
    expect(named).toHaveLength(2);
  });

  it('resumes after a crash at every write without duplicates and ends in the uninterrupted state (docs/reliability.md 12)', async () => {
    const ref = new FakeGraph(targetState());
    // same concurrency as the crashing runs: it decides which edges share one @odata.bind PATCH
    await run(fixturePlan(), ref, join(tmp(), 'ref'), { concurrency: 1 });
    const expected = naturalView(ref.state);
    const totalWrites = ref.writes;
    for (let k = 1; k <= totalWrites; k++) {
      const g = new FakeGraph(targetState());
      const jp = join(tmp(), `j${k}`);
      // the process "dies" right after the k-th write took effect, before its response is journaled
      g.afterWrite = (n) => {
        if (n === k) throw new Error('simulated crash');
      };
      await expect(run(fixturePlan(), g, jp, { concurrency: 1 })).rejects.toThrow('simulated crash');
      g.afterWrite = undefined;
      const { result } = await run(fixturePlan(), g, jp, { concurrency: 2 });
      expect(result.failures, `crash at write ${k}`).toEqual([]);
      expect(naturalView(g.state), `crash at write ${k}`).toEqual(expected);
    }
  });

  it('replication lag: follow-up calls are retried, nothing is duplicated (docs/reliability.md 16)', async () => {
    const g = new FakeGraph(targetState());
    g.lagReads = 2;
    const { result, reporter, clock } = await run(fixturePlan(), g, join(tmp(), 'j'));
    expect(result.failures).toEqual([]);
    expect(reporter.events.some((e) => e.kind === 'retry' && e.reason === 'replication lag')).toBe(true);
    expect(clock.slept).toBeGreaterThan(0);
    const ref = new FakeGraph(targetState());
    await run(fixturePlan(), ref, join(tmp(), 'ref'));
    expect(naturalView(g.state)).toEqual(naturalView(ref.state));
  });

  it('one at a time, each unit starts with the lowest tier, then earliest plan position, among the ops whose dependencies are done', async () => {
    const path = join(tmp(), 'j');
    const plan = fixturePlan();
    const { result } = await run(plan, new FakeGraph(targetState()), path, { concurrency: 1 });
    expect(result.failures).toEqual([]);
    const rank = new Map(plan.operations.map((o, i) => [o.opId, o.tier * plan.operations.length + i] as const));
    const lines = readFileSync(path, 'utf8').split('\n').slice(1).filter(Boolean).map((l) => JSON.parse(l) as { opId: string; state: string });
    const done = new Set<string>();
    const started = new Set<string>();
    let firsts = 0;
    for (let i = 0; i < lines.length; i++) {
      const r = lines[i]!;
      if (r.state !== 'started') {
        done.add(r.opId);
        continue;
      }
      const unitStart = i === 0 || lines[i - 1]!.state !== 'started';
      started.add(r.opId);
      if (!unitStart) continue;
      firsts++;
      // every op that was ready at this moment and not yet started ranks after the one that started
      const ready = plan.operations.filter((o) => !started.has(o.opId) && o.dependsOn.every((d) => done.has(d)));
      for (const o of ready) expect(rank.get(o.opId)!, `${r.opId} started before ${o.opId}`).toBeGreaterThan(rank.get(r.opId)!);
    }
    expect(firsts).toBeGreaterThan(5);
  });

  it('pauses at an operation boundary and resumes from the journal', async () => {
    const g = new FakeGraph(targetState());
    const ac = new AbortController();
    const jp = join(tmp(), 'j');
    g.afterWrite = (n) => {
      if (n === 4) ac.abort();
    };
    const first = await run(fixturePlan(), g, jp, { signal: ac.signal, concurrency: 1 });
    expect(first.result.paused).toBe(true);
    expect(first.result.counts.notRun).toBeGreaterThan(0);
    g.afterWrite = undefined;
    const second = await run(fixturePlan(), g, jp);
    expect(second.result.paused).toBe(false);
    expect(second.result.counts.resumed).toBeGreaterThan(0);
    expect(second.result.failures).toEqual([]);
    expect(naturalView(g.state).users).toHaveLength(4);
  });

  it('temporary passwords: 20 characters of the four classes, from the allowed set, each new', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const p = generateTemporaryPassword();
      expect(p).toMatch(/^[A-HJ-NP-Za-km-z2-9!#%*+\-=?@_]{20}$/);
      for (const cls of [/[A-Z]/, /[a-z]/, /[0-9]/, /[!#%*+\-=?@_]/]) expect(p).toMatch(cls);
      // and Entra's password policy as the emulator applies it (docs/graph-facts.md §3, S400)
      expect(meetsPasswordPolicy(p)).toBe(true);
      seen.add(p);
    }
    expect(seen.size).toBe(500);
  });

  it('journals no secrets and reports none (docs/reliability.md 21)', async () => {
    const g = new FakeGraph(targetState());
    const jp = join(tmp(), 'j');
    const { sink, reporter, result } = await run(fixturePlan(), g, jp);
    const journalText = readFileSync(jp, 'utf8');
    const events = JSON.stringify(reporter.events) + JSON.stringify(result);
    expect(sink.credentials.length).toBe(3);
    for (const c of sink.credentials) {
      expect(c.temporaryPassword).toMatch(/^.{20}$/);
      expect(journalText).not.toContain(c.temporaryPassword);
      expect(events).not.toContain(c.temporaryPassword);
      expect(JSON.stringify(g.state)).not.toContain(c.temporaryPassword);
    }
    expect(journalText).not.toContain('passwordProfile');
  });

  it('a failed dependency skips its dependants and independent ops still run', async () => {
    const g = new FakeGraph(targetState());
    const plan = fixturePlan();
    // the deleted user is gone from the recycle bin: its restore fails with 404
    const state = targetState();
    state.deleted = [];
    const g2 = new FakeGraph(state);
    const { result } = await run(plan, g2, join(tmp(), 'j'));
    expect(outcome(result, 'u3')).toBe('failed');
    expect(outcome(result, 'm2')).toBe('skipped');
    expect(outcome(result, 'verify')).toBe('skipped');
    expect(outcome(result, 'm1')).toBe('related');
    expect(result.failures.map((f) => f.code)).toEqual(['GRAPH_NOT_FOUND']);
    void g;
  });

  it('counts the whole run and names each failure in its progress events, as they happen (issue 12 item 12)', async () => {
    const state = targetState();
    state.deleted = [];
    const plan = fixturePlan();
    const { result, reporter } = await run(plan, new FakeGraph(state), join(tmp(), 'j'));
    const progress = reporter.events.flatMap((e) => (e.kind === 'progress' && e.phase.startsWith('restore tier') ? [e] : []));
    // one event per settled operation, each with the run's running totals
    expect(progress.map((e) => e.run?.done)).toEqual(plan.operations.map((_, i) => i + 1));
    expect(progress.every((e) => e.run?.total === plan.operations.length)).toBe(true);
    const last = progress[progress.length - 1]!.run!;
    expect(last).toEqual({ done: plan.operations.length, total: plan.operations.length, failed: result.counts.failed, skipped: result.counts.skipped });
    // the failure is announced when it settles, with its code, before the run ends
    const failedAt = progress.findIndex((e) => e.outcome === 'failed');
    expect(progress[failedAt]).toMatchObject({ item: result.failures[0]!.label, outcome: 'failed', reason: `[GRAPH_NOT_FOUND] ${result.failures[0]!.message}` });
    expect(progress[failedAt]!.run!.failed).toBe(1);
    expect(progress.filter((e) => e.outcome === 'skipped').length).toBe(result.counts.skipped);
    expect(progress.filter((e) => e.outcome === undefined).every((e) => e.reason === undefined)).toBe(true);
  });

  it('adds up to 20 members of one group with one @odata.bind PATCH; a bad reference fails alone after the fallback to $ref', async () => {
    const n = 27;
    const base = fixturePlan();
    const users = Array.from({ length: n }, (_, i) => ({
      opId: `x${i}`, kind: 'create' as const, type: 'user' as const, tier: 2 as const, dependsOn: [], label: `user x${i}`, archivedId: `a-x${i}`,
      body: { accountEnabled: true, displayName: `X${i}`, mailNickname: `x${i}`, userPrincipalName: `x${i}@contoso.example` }, refs: [],
      naturalKey: { property: 'userPrincipalName', value: `x${i}@contoso.example` }, needsPassword: true,
    }));
    const group = base.operations.find((o) => o.opId === 'g1')!;
    const edges = users.map((u) => ({ opId: `e-${u.opId}`, kind: 'addRelation' as const, tier: 3 as const, dependsOn: ['g1', u.opId], label: `sales ∋ ${u.opId}`, relation: 'groupMembers' as const, from: A.g1, to: u.archivedId, toType: 'user' as const }));
    // one member that cannot be resolved live: archived id mapped to an id the target does not have
    const ghost = { opId: 'e-ghost', kind: 'addRelation' as const, tier: 3 as const, dependsOn: ['g1'], label: 'sales ∋ ghost', relation: 'groupMembers' as const, from: A.g1, to: 'a-ghost', toType: 'user' as const };
    const plan: Plan = { ...base, idMap: { 'a-ghost': 'live-ghost' }, unresolved: [], reportOnly: [], operations: [{ ...group, dependsOn: [] }, ...users, ...edges] };
    const g = new FakeGraph(targetState());
    const { result } = await run(plan, g, join(tmp(), 'bind'), { concurrency: 1 });
    expect(result.failures).toEqual([]);
    const members = g.state.edges[`/groups/${result.idMap[A.g1]}/members`] ?? [];
    expect(new Set(members)).toEqual(new Set(users.map((u) => result.idMap[u.archivedId])));
    // 1 group + 27 users + ceil(27/20) = 2 PATCHes, not 27 $ref calls
    expect(result.writeCalls).toBe(1 + n + 2);

    const g2 = new FakeGraph(targetState());
    const { result: r2 } = await run({ ...plan, operations: [...plan.operations, ghost] }, g2, join(tmp(), 'bind2'), { concurrency: 1 });
    expect(r2.failures.map((f) => f.opId)).toEqual(['e-ghost']);
    expect(new Set(g2.state.edges[`/groups/${r2.idMap[A.g1]}/members`])).toEqual(new Set(users.map((u) => r2.idMap[u.archivedId])));
  });
});
