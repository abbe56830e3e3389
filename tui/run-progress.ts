/**
 * What the Execute step and the waits of Connect and Plan show of the Reporter's events
 * (src/progress.ts), as pure reducers and summaries (issue 12 item 12): the phases, the
 * run's overall count with its failures as they happen, the elapsed time and an ETA from
 * the observed rate, a stall when nothing completes, and throttling and retries collapsed
 * into counts with the last one (never one log line each). Times are the injected clock's
 * (tui/clock.tsx), passed in with each event.
 */
import type { ProgressEvent, RunCounts } from '../src/progress.js';
import { clockTime, formatCount, formatDuration } from './format.js';

export interface PhaseProgress {
  phase: string;
  item: string;
  done: number;
  total?: number;
  ratePerSec?: number;
  finished: boolean;
}

export interface FailedOp {
  label: string;
  reason: string;
}

export interface RunProgress {
  phases: PhaseProgress[];
  throttledWaits: number;
  throttledMs: number;
  /** The newest throttling wait: how long Graph asked to wait, on what. */
  lastThrottle: { waitMs: number; status: number; path: string } | null;
  retries: number;
  lastRetry: string | null;
  /** Newest last; bounded to LOG_LIMIT lines. */
  log: string[];
  pausing: boolean;
  /** The whole run as the executor counts it; null until its first operation settles. */
  counts: RunCounts | null;
  /** Operations that failed, newest last, bounded to FAILURE_LIMIT (the count is in `counts`). */
  failures: FailedOp[];
  /** Clock times in ms: the run's start, and the last time anything completed. */
  startedAt: number | null;
  lastActivityAt: number | null;
  /** The first settled operation this run saw: the base of the observed rate. */
  rateBase: { at: number; done: number } | null;
}

export const LOG_LIMIT = 50;
export const FAILURE_LIMIT = 200;
/** No operation completed for this long while running: the screen says the run is stalled. */
export const STALL_MS = 15_000;
/** The ETA stays "unknown" until this many operations and this much time were observed. */
export const ETA_MIN_OPS = 10;
export const ETA_MIN_MS = 5_000;

export function emptyRun(at: number | null = null): RunProgress {
  return {
    phases: [],
    throttledWaits: 0,
    throttledMs: 0,
    lastThrottle: null,
    retries: 0,
    lastRetry: null,
    log: [],
    pausing: false,
    counts: null,
    failures: [],
    startedAt: at,
    lastActivityAt: at,
    rateBase: null,
  };
}

function appendLog(log: string[], line: string): string[] {
  const next = [...log, line];
  return next.length > LOG_LIMIT ? next.slice(next.length - LOG_LIMIT) : next;
}

function withPhase(run: RunProgress, phase: string, update: (p: PhaseProgress) => PhaseProgress): PhaseProgress[] {
  return run.phases.some((p) => p.phase === phase)
    ? run.phases.map((p) => (p.phase === phase ? update(p) : p))
    : [...run.phases, update({ phase, item: '', done: 0, finished: false })];
}

function reduceOperation(run: RunProgress, event: Extract<ProgressEvent, { kind: 'progress' }>, at: number | undefined): RunProgress {
  const phases = withPhase(run, event.phase, (p) => ({
    phase: event.phase,
    item: event.item,
    done: event.done,
    ...(event.total !== undefined ? { total: event.total } : {}),
    ...(event.ratePerSec !== undefined ? { ratePerSec: event.ratePerSec } : {}),
    finished: p.finished,
  }));
  const failures =
    event.outcome === 'failed'
      ? [...run.failures, { label: event.item, reason: event.reason ?? '(no reason given)' }].slice(-FAILURE_LIMIT)
      : run.failures;
  const rateBase = event.run && at !== undefined && !run.rateBase ? { at, done: event.run.done } : run.rateBase;
  return { ...run, phases, failures, counts: event.run ?? run.counts, rateBase, lastActivityAt: at ?? run.lastActivityAt };
}

/** One event into the run's progress; `at` is the clock's time of its arrival (ms). */
export function reduceProgress(run: RunProgress, event: ProgressEvent, at?: number): RunProgress {
  const active = at ?? run.lastActivityAt;
  switch (event.kind) {
    case 'phase':
      return {
        ...run,
        phases: withPhase(run, event.phase, (p) => p),
        log: appendLog(run.log, `${event.phase}: ${event.message}`),
        lastActivityAt: active,
      };
    case 'progress':
      return reduceOperation(run, event, at);
    case 'throttled':
      return {
        ...run,
        throttledWaits: run.throttledWaits + 1,
        throttledMs: run.throttledMs + event.waitMs,
        lastThrottle: { waitMs: event.waitMs, status: event.status, path: event.path },
      };
    case 'retry':
      return { ...run, retries: run.retries + 1, lastRetry: `${event.reason} on ${event.path}` };
    case 'warning':
      return { ...run, log: appendLog(run.log, `warning ${event.code}: ${event.message}`) };
    case 'log':
      return event.level === 'info' ? { ...run, log: appendLog(run.log, event.message) } : run;
    case 'done':
      return {
        ...run,
        phases: withPhase(run, event.phase, (p) => ({ ...p, finished: true })),
        log: appendLog(run.log, `${event.phase}: ${event.message}`),
        lastActivityAt: active,
      };
  }
}

export interface Overall {
  elapsedMs: number;
  counts: RunCounts | null;
  /** Null while unknown (too few operations or too little time observed) and while stalled. */
  etaMs: number | null;
  /** When the last completion was, if that is STALL_MS or more ago (ms since the epoch). */
  stalledSince: number | null;
}

/** The run as a whole at `now`: elapsed time, counts, the ETA from the rate observed in this run, a stall. */
export function overallOf(run: RunProgress, now: number, running: boolean): Overall {
  const started = run.startedAt ?? now;
  const elapsedMs = Math.max(0, now - started);
  let etaMs: number | null = null;
  const c = run.counts;
  if (c && run.rateBase) {
    const settled = c.done - run.rateBase.done;
    const span = now - run.rateBase.at;
    if (settled >= ETA_MIN_OPS && span >= ETA_MIN_MS) etaMs = Math.round(((c.total - c.done) * span) / settled);
  }
  const last = run.lastActivityAt ?? started;
  const stalledSince = running && now - last >= STALL_MS ? last : null;
  // a stalled run has no honest ETA
  return { elapsedMs, counts: c, etaMs: stalledSince === null ? etaMs : null, stalledSince };
}

/** Throttling as one line: a count, the time waited and the last wait (never one line per wait). */
export function throttleLine(run: Pick<RunProgress, 'throttledWaits' | 'throttledMs' | 'lastThrottle'>, duration: (ms: number) => string): string {
  const t = run.lastThrottle;
  if (run.throttledWaits === 0) return 'Throttled 0 times';
  const times = `${run.throttledWaits} ${run.throttledWaits === 1 ? 'time' : 'times'}`;
  return `Throttled ${times}, waited ${duration(run.throttledMs)}${t ? ` (last: Retry-After ${Math.ceil(t.waitMs / 1000)} s, ${t.status} on ${t.path})` : ''}`;
}

/** Retries as one line with the last reason, or null when there was none. */
export function retryLine(run: Pick<RunProgress, 'retries' | 'lastRetry'>): string | null {
  return run.retries === 0 ? null : `Retried ${run.retries} ${run.retries === 1 ? 'time' : 'times'}${run.lastRetry ? ` (last: ${run.lastRetry})` : ''}`;
}

/** What a wait (Connect, Plan) is doing, from its service's events: the latest phase or count, and throttling. */
export interface WaitProgress {
  doing: string | null;
  throttled: number;
  lastWaitMs: number;
}

export function reduceWait(w: WaitProgress | null, event: ProgressEvent): WaitProgress {
  const base = w ?? { doing: null, throttled: 0, lastWaitMs: 0 };
  switch (event.kind) {
    case 'phase':
      return { ...base, doing: event.message };
    case 'progress':
      return { ...base, doing: `${event.item} ${event.done.toLocaleString('en-US')}${event.total !== undefined ? ` / ${event.total.toLocaleString('en-US')}` : ''}` };
    case 'throttled':
      return { ...base, throttled: base.throttled + 1, lastWaitMs: event.waitMs };
    case 'done':
      return { ...base, doing: event.message };
    case 'retry':
    case 'warning':
    case 'log':
      return base;
  }
}

export function waitLine(w: WaitProgress | null): string | null {
  if (!w) return null;
  const parts: string[] = [];
  if (w.doing) parts.push(w.doing);
  if (w.throttled > 0) parts.push(`throttled ${w.throttled} ${w.throttled === 1 ? 'time' : 'times'} (last: Retry-After ${Math.ceil(w.lastWaitMs / 1000)} s)`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** The run as a whole, in one line: operations done of the total, elapsed, ETA. */
export function overallLine(run: RunProgress, now: number, running: boolean): string {
  const o = overallOf(run, now, running);
  const c = o.counts;
  const count = c ? `${formatCount(c.done)} / ${formatCount(c.total)} operations (${c.total > 0 ? Math.floor((c.done / c.total) * 100) : 100}%)` : 'no operation finished yet';
  const eta = !running ? '' : c && c.done >= c.total ? '' : ` · ETA ${o.etaMs === null ? 'unknown' : formatDuration(o.etaMs)}`;
  return `Overall  ${count} · elapsed ${formatDuration(o.elapsedMs)}${eta}`;
}

/** "stalled since HH:MM:SS UTC (N s)" when nothing completed for STALL_MS, else null. */
export function stallLine(run: RunProgress, now: number, running: boolean): string | null {
  const o = overallOf(run, now, running);
  if (o.stalledSince === null) return null;
  return `Stalled since ${clockTime(o.stalledSince)} (${Math.floor((now - o.stalledSince) / 1000)} s): no operation completed`;
}
