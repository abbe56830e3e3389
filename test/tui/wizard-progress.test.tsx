/**
 * Issue 12 item 12, in ink-testing-library with an injected clock (src/clock.ts): Execute
 * shows the whole run (operations done of the total, elapsed time, an ETA from the observed
 * rate, "ETA unknown" before), failures counted and listed as they happen, "stalled since …"
 * when nothing completes, and throttling collapsed into one line with a count; Connect and
 * Plan show what they are doing and how long they have waited.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import type { Reporter, RunCounts } from '../../src/progress.js';
import type { Plan } from '../../src/restore/types.js';
import type { ConnectTarget, DeviceCodePrompt, ExecuteOptions, ExecuteResult, PlanRequest, PlanResult, Preflight } from '../../tui/services.js';
import { KEY, mount, type Driver, type MountOptions } from './harness.js';
import { FakeServices } from './fake-services.js';
import { expectChrome, expectFramesFit, squashed, startLiveRun, toConfirm, toConnect } from './journey.js';

const drivers: Driver[] = [];
function start(services: FakeServices, opts: MountOptions = {}): Driver {
  const d = mount(services, opts);
  drivers.push(d);
  return d;
}
afterEach(() => {
  for (const d of drivers.splice(0)) d.unmount();
});

/** A clock the test moves; the wizard reads it again once a second (tui/clock.tsx). */
class ManualClock implements Clock {
  t = Date.parse('2026-12-04T03:00:00Z');
  now(): Date {
    return new Date(this.t);
  }
  async sleep(): Promise<void> {}
  advance(ms: number): void {
    this.t += ms;
  }
}

interface Gate {
  promise: Promise<void>;
  open: () => void;
}
function gate(): Gate {
  let open = (): void => undefined;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

/** Fake services whose run, sign-in and planning report what the test says, when it says. */
class Driven extends FakeServices {
  runReporter: Reporter | null = null;
  private finishRun: ((r: ExecuteResult) => void) | null = null;
  readonly connectGate = gate();
  readonly planGate = gate();
  waitingConnect = false;
  waitingPlan = false;
  override async execute(_plan: Plan, options: ExecuteOptions): Promise<ExecuteResult> {
    this.runReporter = options.reporter;
    return new Promise((resolve) => (this.finishRun = resolve));
  }
  finish(failed: number, skipped: number): void {
    this.finishRun?.({
      status: 'completed', failed, skipped, failures: [], perTier: [], fidelity: [], deviations: [], manualSteps: [], reportPath: 'out/report.md', runbookPath: 'out/runbook.md',
    });
  }
  override async connect(target: ConnectTarget, hooks: { onDeviceCode: (p: DeviceCodePrompt) => void; signal: AbortSignal; reporter?: Reporter }): Promise<Preflight> {
    hooks.reporter?.report({ kind: 'phase', phase: 'connect', message: 'signing in to 8f14e45f' });
    hooks.reporter?.report({ kind: 'throttled', waitMs: 2000, status: 429, path: '/oauth2/v2.0/token', attempt: 1 });
    this.waitingConnect = true;
    await this.connectGate.promise;
    return super.connect(target, hooks);
  }
  override async plan(request: PlanRequest, hooks: { reporter?: Reporter } = {}): Promise<PlanResult> {
    hooks.reporter?.report({ kind: 'phase', phase: 'live', message: 'reading the target tenant' });
    hooks.reporter?.report({ kind: 'progress', phase: 'live', item: 'user', done: 1500, ratePerSec: 300 });
    for (let i = 1; i <= 3; i++) hooks.reporter?.report({ kind: 'throttled', waitMs: i * 1000, status: 429, path: '/users', attempt: i });
    this.waitingPlan = true;
    await this.planGate.promise;
    return super.plan(request);
  }
}

const counts = (done: number, failed = 0, skipped = 0): RunCounts => ({ done, total: 400, failed, skipped });
const settle = (r: Reporter, done: number, c: RunCounts, bad?: { reason: string; outcome?: 'failed' | 'skipped' }): void =>
  r.report({ kind: 'progress', phase: 'restore tier 2', item: `create user user${done}@contoso.com`, done, total: 300, run: c, ...(bad ? { outcome: bad.outcome ?? 'failed', reason: bad.reason } : {}) });

async function toRunning(d: Driver, f: Driven): Promise<Reporter> {
  f.connectGate.open();
  f.planGate.open();
  await toConfirm(d);
  await startLiveRun(d);
  await d.waitFor('LIVE RUN on');
  const until = Date.now() + 4000;
  while (!f.runReporter) {
    if (Date.now() > until) throw new Error('the run never started');
    await new Promise((r) => setTimeout(r, 10));
  }
  return f.runReporter;
}

describe('issue 12 item 12: Execute tells the truth', () => {
  it('an overall count, elapsed time, ETA unknown until the rate is known, then the ETA from it', async () => {
    const clock = new ManualClock();
    const f = new Driven();
    const d = start(f, { clock });
    const r = await toRunning(d, f);
    r.report({ kind: 'phase', phase: 'restore tier 2', message: 'tier 2: 300 operations' });
    // wait for the frame with the phase's total: the Overall line is on screen before the phase event arrives
    expect(await d.waitFor('ETA unknown')).toContain('Overall  no operation finished yet · elapsed 0s · ETA unknown');
    clock.advance(2000);
    settle(r, 100, counts(100));
    expect(await d.waitFor('100 / 400')).toContain('Overall  100 / 400 operations (25%) · elapsed 2s · ETA unknown');
    // 100 more operations in 10 s: 10 a second, 200 left
    clock.advance(10_000);
    settle(r, 200, counts(200));
    const frame = await d.waitFor('200 / 400');
    expect(frame).toContain('Overall  200 / 400 operations (50%) · elapsed 12s · ETA 20s');
    expectChrome(frame, { columns: 80 }, 'Execute', 'ctrl-c pause');
    f.finish(0, 0);
    await d.waitFor('[Report]');
  });

  it('failures are counted and listed the moment they happen, before the run ends', async () => {
    const f = new Driven();
    const d = start(f, { columns: 60, rows: 20, clock: new ManualClock() });
    const r = await toRunning(d, f);
    settle(r, 10, counts(10));
    expect(await d.waitFor('Failed   0')).toContain('Failed   0 · skipped 0');
    const reason = '[GRAPH_UNAVAILABLE] Graph POST /users unavailable after retries (503): the service did not answer for 300 s';
    settle(r, 11, counts(11, 1), { reason });
    settle(r, 12, counts(12, 1, 1), { reason: '[PLAN_BLOCKED] add user11 to Finance: not run because create user user11 did not succeed', outcome: 'skipped' });
    const frame = await d.waitFor('Failed   1');
    expect(frame).toContain('Failed   1 · skipped 1');
    expect(frame).toContain('Failures (1, newest last)');
    expect(frame).toMatch(/› create user user11@contoso/);
    // the whole reason is one key away
    await d.press(KEY.right);
    expect(squashed(await d.waitFor('Failed operation 1 of 1'))).toContain(squashed(reason));
    await d.press(KEY.esc);
    await d.waitFor('Failures (1');
    // all of it while the run is still going
    expect(d.frame()).toContain('[Execute]');
    expectFramesFit(d, { columns: 60, rows: 20 });
    f.finish(1, 1);
    await d.waitFor('Restore INCOMPLETE');
  });

  it('says "stalled since" when nothing completes for 15 s, and stops saying it when something does', async () => {
    const clock = new ManualClock();
    const f = new Driven();
    const d = start(f, { clock });
    const r = await toRunning(d, f);
    settle(r, 5, counts(5));
    await d.waitFor('5 / 400');
    clock.advance(14_000);
    // throttling is not progress
    r.report({ kind: 'throttled', waitMs: 30_000, status: 429, path: '/users', attempt: 1 });
    await d.waitFor('Throttled 1 time');
    expect(d.frame()).not.toContain('Stalled');
    clock.advance(6_000);
    const stalled = await d.waitFor('Stalled since', 3000);
    expect(stalled).toContain('Stalled since 03:00:00 UTC (20 s): no operation completed');
    settle(r, 6, counts(6));
    await d.waitFor((fr) => fr.includes('6 / 400') && !fr.includes('Stalled'));
    f.finish(0, 0);
  });

  it('throttling is one line with a count and the last wait, never a log line per wait', async () => {
    const f = new Driven();
    const d = start(f, { clock: new ManualClock() });
    const r = await toRunning(d, f);
    for (let i = 1; i <= 7; i++) r.report({ kind: 'throttled', waitMs: i * 1000, status: 429, path: '/users', attempt: i });
    r.report({ kind: 'log', level: 'info', message: 'created 40 users' });
    const frame = await d.waitFor('Throttled 7 times');
    expect(frame).toContain('Throttled 7 times, waited 28s (last: Retry-After 7 s, 429 on /users)');
    expect(frame.match(/hrottl/g)).toHaveLength(1);
    // the whole log, one key away, has no line per wait either
    await d.press('l');
    const log = await d.waitFor('Log: the last');
    expect(log).toContain('created 40 users');
    expect(log.match(/hrottl/g)).toHaveLength(1);
    await d.press(KEY.esc);
    await d.waitFor('Throttled 7 times');
    f.finish(0, 0);
  });
});

describe('issue 12 item 12: the waits of Connect and Plan say what they are doing', () => {
  it('Connect shows the sign-in phase, throttling and the seconds waited; Plan the live read and its counts', async () => {
    const clock = new ManualClock();
    const f = new Driven();
    const d = start(f, { columns: 60, rows: 20, clock });
    await toConnect(d);
    await d.type('target.json');
    await d.press(KEY.enter);
    let frame = await d.waitFor((fr) => squashed(fr).includes('signingin'));
    expect(squashed(frame)).toContain(squashed('… signing in and running the preflight · signing in to 8f14e45f · throttled 1 time (last: Retry-After 2 s) · 0 s'));
    clock.advance(7000);
    frame = await d.waitFor((fr) => squashed(fr).includes(squashed('(last: Retry-After 2 s) · 7 s')), 3000);
    expectChrome(frame, { columns: 60 }, 'Connect', 'esc cancel');
    f.connectGate.open();
    await d.waitFor('All needed permissions are held');
    await d.press(KEY.enter);
    frame = await d.waitFor('user 1,500');
    expect(squashed(frame)).toContain(squashed('… reading the target and planning · user 1,500 · throttled 3 times (last: Retry-After 3 s) · 0 s'));
    f.planGate.open();
    await d.waitFor('operations on');
    expectFramesFit(d, { columns: 60, rows: 20 });
  });
});
