/**
 * Progress as lines (issue 12 item 15): a line for each phase (a tier, the verification) as
 * it starts and ends and for each line a recovery script prints (its numbered steps), a line for each failure as it happens (the first FAILURES_SAID; the rest
 * are counted), and at most one progress line every `progressEveryMs`, printed only when
 * something completed since the last one or the run stalled. Throttling and retries never
 * print a line each: their counts ride on the progress line. The same pure reducers as the
 * Ink Execute step (tui/run-progress.ts) hold the run, so both count alike.
 */
import type { ProgressEvent, Reporter } from '../../src/progress.js';
import { formatCount, formatDuration } from '../format.js';
import { overallLine, reduceWait, retryLine, stallLine, throttleLine, waitLine, type WaitProgress } from '../run-progress.js';
import { dispatch, type PlainCtx } from './context.js';

/** Failures said one by one as they happen; after these only their count (the report lists them all). */
export const FAILURES_SAID = 20;

/** A phase line: "restore tier 2: 60 operations", not "restore tier 2: tier 2: 60 operations". */
export function phaseText(phase: string, message: string): string {
  const head = message.split(':')[0]!;
  return head !== message && phase.endsWith(head) ? `${phase}:${message.slice(head.length + 1)}` : `${phase}: ${message}`;
}

/** A timer that calls `tick` every `ms` until stopped; it never keeps the process alive. */
function every(ms: number, tick: () => void): () => void {
  const t = setInterval(tick, ms);
  t.unref?.();
  return () => clearInterval(t);
}

/**
 * What a wait (sign-in and preflight, planning) is doing: its phases as they start, and a
 * line with the latest count and how long it has waited, at most every few seconds.
 */
export function waitReporter(ctx: PlainCtx): { reporter: Reporter; stop: () => void } {
  const started = ctx.clock.now().getTime();
  let wait: WaitProgress | null = null;
  let said = '';
  const reporter: Reporter = {
    report(event: ProgressEvent) {
      wait = reduceWait(wait, event);
      if (event.kind === 'phase') ctx.io.say(`  … ${event.message}`);
    },
  };
  const stop = every(ctx.progressEveryMs, () => {
    const line = waitLine(wait);
    if (line === null || line === said) return;
    said = line;
    ctx.io.say(`  … ${line} (waited ${formatDuration(ctx.clock.now().getTime() - started)})`);
  });
  return { reporter, stop };
}

/** Prints a run's events into lines and its state into ctx.state (the shared reducer). */
export class RunPrinter implements Reporter {
  private failuresSaid = 0;
  private doneSaid = -1;
  private throttledSaid = 0;
  private stallSaid: string | null = null;
  private readonly stopTimer: () => void;

  constructor(private readonly ctx: PlainCtx) {
    this.stopTimer = every(ctx.progressEveryMs, () => this.tick());
  }

  report(event: ProgressEvent): void {
    const ctx = this.ctx;
    dispatch(ctx, { type: 'progress', event, at: ctx.clock.now().getTime() });
    switch (event.kind) {
      case 'phase':
        ctx.io.say(phaseText(event.phase, event.message));
        break;
      case 'done':
        ctx.io.say(`${event.phase} done: ${event.message} (${formatDuration(event.elapsedMs)})`);
        break;
      case 'warning':
        ctx.io.say(`! warning ${event.code}: ${event.message}`);
        break;
      case 'progress':
        if (event.outcome === 'failed') this.sayFailure(event.item, event.reason ?? '(no reason given)');
        break;
      case 'log':
        // a recovery script's own lines ("3. diff before", "… exited 1"): the steps the phases belong to
        if (event.level === 'info') ctx.io.say(`  | ${event.message}`);
        break;
      default:
        break;
    }
  }

  private sayFailure(item: string, reason: string): void {
    this.failuresSaid += 1;
    if (this.failuresSaid <= FAILURES_SAID) this.ctx.io.say(`✗ failed: ${item}: ${reason}`);
    if (this.failuresSaid === FAILURES_SAID + 1) this.ctx.io.say(`… more failures: counted on the progress lines, each listed in the report`);
  }

  /** The progress line, when something completed since the last one; the stall, once per stall. */
  tick(final = false): void {
    const run = this.ctx.state.run;
    const now = Math.max(this.ctx.clock.now().getTime(), run.lastActivityAt ?? 0);
    const c = run.counts;
    const done = c?.done ?? 0;
    if (done !== this.doneSaid && c) {
      this.doneSaid = done;
      const failed = c.failed + c.skipped > 0 ? ` · ✗ ${formatCount(c.failed)} failed, ${formatCount(c.skipped)} skipped` : '';
      this.ctx.io.say(`${overallLine(run, now, true)}${failed}`);
      this.stallSaid = null;
    } else if (!final) {
      const stalled = stallLine(run, now, true);
      const key = stalled === null ? null : String(run.lastActivityAt);
      if (stalled && key !== this.stallSaid) {
        this.stallSaid = key;
        this.ctx.io.say(`! ${stalled}`);
      }
    }
    if (run.throttledWaits !== this.throttledSaid) {
      this.throttledSaid = run.throttledWaits;
      const retried = retryLine(run);
      this.ctx.io.say(`${throttleLine(run, formatDuration)}${retried ? ` · ${retried}` : ''}`);
    }
  }

  /** Stops the progress lines (the run ended), with a last one when anything changed since. */
  stop(): void {
    this.stopTimer();
    this.tick(true);
  }
}
