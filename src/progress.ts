/**
 * Progress reporting. Long work in src/ never prints: it calls an injected
 * Reporter. The Ink wizard and the JSON-lines printer (jsonLinesReporter in src/cli/reporters.ts)
 * are two renderers of the same events. Events never carry secrets.
 */

export type ProgressEvent =
  | { kind: 'phase'; phase: string; message: string }
  | {
      kind: 'progress';
      phase: string;
      item: string;
      done: number;
      total?: number;
      ratePerSec?: number;
      /**
       * A restore's operations as a whole (every tier; on a resume, with what earlier runs
       * did): settled so far, in the plan, and how many of them failed or were skipped.
       */
      run?: RunCounts;
      /** Set when the operation just settled (`item`) did not succeed. */
      outcome?: 'failed' | 'skipped';
      /** With `outcome`: why, as `[CODE] message` on one line. */
      reason?: string;
    }
  | { kind: 'throttled'; waitMs: number; status: number; path: string; attempt: number }
  | { kind: 'retry'; reason: string; path: string; attempt: number; waitMs: number }
  | { kind: 'warning'; code: string; message: string }
  | { kind: 'log'; level: 'info' | 'debug'; message: string }
  | { kind: 'done'; phase: string; message: string; elapsedMs: number };

/** Operations of a whole restore run, as the executor counts them (src/restore/execute/run.ts). */
export interface RunCounts {
  done: number;
  total: number;
  failed: number;
  skipped: number;
}

export interface Reporter {
  report(event: ProgressEvent): void;
}

/** A reporter that drops everything (tests, library callers that do not care). */
export const silentReporter: Reporter = { report: () => undefined };

/** A reporter that records events in memory (tests, evidence). */
export class RecordingReporter implements Reporter {
  readonly events: ProgressEvent[] = [];
  report(event: ProgressEvent): void {
    this.events.push(event);
  }
}
