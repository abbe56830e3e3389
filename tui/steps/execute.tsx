/**
 * Step 7: the run. The whole run first (operations done of the plan's total, elapsed time,
 * an ETA from the rate observed in this run, failures and skips counted as they happen, and
 * "stalled since …" when nothing completes), then progress per phase, throttling and
 * retries collapsed into one line, the failures so far (→ shows one whole) and a log tail
 * (l shows the whole log), all from the Reporter's events (tui/run-progress.ts). Ctrl-C
 * (handled by the App) aborts the signal; the core stops at the next operation boundary
 * and returns a `paused` result whose journal the next wizard offers to resume.
 */
import React, { useEffect, useRef, useState } from 'react';
import { Box } from 'ink';
import type { Reporter } from '../../src/progress.js';
import { useWizard } from '../context.js';
import { useClock, useNow } from '../clock.js';
import { DetailScreen, useDetail, type Detail } from '../detail.js';
import { useBody } from '../layout.js';
import { overallLine, retryLine, stallLine, throttleLine, type FailedOp, type PhaseProgress, type RunProgress } from '../run-progress.js';

// the run's summary lines are pure and shared with the plain wizard (tui/plain/)
export { overallLine, stallLine } from '../run-progress.js';
import { Line, Row, StepLayout, T, fit, formatCount, formatDuration, pad, toShown, windowOf, useKeys } from '../ui.js';

/** Columns of the phase table, wide (80 and more) or narrow. */
function phaseColumns(width: number): { phase: number; count: number; rate: number; eta: number } {
  return width >= 78 ? { phase: 24, count: 19, rate: 9, eta: 11 } : { phase: 20, count: 17, rate: 8, eta: 11 };
}

/** One phase's row; `stalled`: nothing completes, so no rate or ETA is shown for it. */
export function phaseLine(p: PhaseProgress, width = 80, stalled = false): string {
  const c = phaseColumns(width);
  // a phase that only announced itself (no counted items yet) shows no count, not a 0
  const count = p.total !== undefined ? `${formatCount(p.done)} / ${formatCount(p.total)}` : p.done > 0 ? formatCount(p.done) : '';
  // a counted phase that reached its total is done even if no 'done' event names it
  const finished = p.finished || (p.total !== undefined && p.total > 0 && p.done >= p.total);
  const rate = p.ratePerSec !== undefined && !finished && !stalled ? `${p.ratePerSec.toFixed(p.ratePerSec < 10 ? 1 : 0)}/s` : '';
  const eta =
    finished
      ? 'done'
      : !stalled && p.total !== undefined && p.ratePerSec && p.ratePerSec > 0
        ? `ETA ${formatDuration(((p.total - p.done) / p.ratePerSec) * 1000)}`
        : '';
  const head = `${pad(p.phase, c.phase)} ${pad(count, c.count)} ${pad(rate, c.rate)} ${pad(eta, c.eta)}`;
  const room = width - head.length - 3;
  return room >= 6 ? `${head} ${fit(p.item, room)}` : head.trimEnd();
}

function phaseHeader(width: number): string {
  const c = phaseColumns(width);
  const head = `${pad('phase', c.phase)} ${pad('done / total', c.count)} ${pad('rate', c.rate)} ${pad('ETA', c.eta)}`;
  return width - head.length - 3 >= 6 ? `${head} item` : head.trimEnd();
}

function failureDetail(f: FailedOp, n: number, of: number): Detail {
  return { title: `Failed operation ${n} of ${of}`, fields: [['Operation', f.label], ['Reason', f.reason]] };
}

function logDetail(run: RunProgress): Detail {
  return {
    title: `Log: the last ${run.log.length} lines, newest last`,
    fields: [['', throttleLine(run, formatDuration)], ['', retryLine(run) ?? 'Retried 0 times'], ['', ''], ...run.log.map((l): [string, string] => ['', l])],
  };
}

/** Starts the run once on entry, its events into the state with the clock's time. */
function useRunStart(): void {
  const { state, dispatch, services, setRunController } = useWizard();
  const clock = useClock();
  const started = useRef(false);
  useEffect(() => {
    if (started.current || state.running || state.result || state.verifyResult) return;
    started.current = true;
    const controller = new AbortController();
    setRunController(controller);
    const reporter: Reporter = { report: (event) => dispatch({ type: 'progress', event, at: clock.now().getTime() }) };
    dispatch({ type: 'runStarted', at: clock.now().getTime() });
    const done = (): void => setRunController(null);
    const fail = (e: unknown): void => {
      done();
      dispatch({ type: 'failed', error: toShown(e) });
    };
    if (state.mode === 'verify' && state.archive) {
      services.verifyArchive(state.archive.path, { reporter, signal: controller.signal }).then((result) => {
        done();
        dispatch({ type: 'verifyFinished', result });
      }, fail);
      return;
    }
    const confirmTenantId = state.confirmation?.matches ? state.confirmation.typed.trim() : undefined;
    const options = { ...(confirmTenantId ? { confirmTenantId } : {}), reporter, signal: controller.signal };
    const run =
      state.mode === 'resume' && state.journal
        ? services.resume(state.journal, options)
        : state.planResult
          ? services.execute(state.planResult.plan, options)
          : Promise.reject(new Error('no plan to execute'));
    run.then((result) => {
      done();
      dispatch({ type: 'runFinished', result });
    }, fail);
  }, [state, dispatch, services, setRunController, clock]);
}

export function ExecuteStep(): React.JSX.Element {
  const { state, exit } = useWizard();
  const [cursor, setCursor] = useState(-1);
  const { detail, open, close } = useDetail();
  useRunStart();
  const run = state.run;
  const failures = run.failures;
  // until the operator moves, the cursor follows the newest failure
  const at = cursor < 0 ? failures.length - 1 : Math.min(cursor, failures.length - 1);

  const failed = !state.running && state.error !== null;
  useKeys(
    (input, key) => {
      if (failed && input === 'q') exit(1);
      else if (input === 'l') open(logDetail(run));
      else if (failures.length === 0) return;
      else if (key.upArrow) setCursor(Math.max(0, at - 1));
      else if (key.downArrow) setCursor(Math.min(failures.length - 1, at + 1));
      else if (key.rightArrow || key.return) open(failureDetail(failures[at]!, at + 1, failures.length));
    },
    { isActive: !detail },
  );
  if (detail) return <DetailScreen detail={detail} onClose={close} />;

  const keys = [failed ? 'q quit (the journal keeps what was done)' : 'ctrl-c pause at the next operation boundary'];
  if (failures.length > 0) keys.push('↑↓ failures · → details');
  keys.push('l whole log');
  if (failed) keys.push('ctrl-c quit');
  return (
    <StepLayout help={keys.join(' · ')}>
      <RunView run={run} cursor={at} />
    </StepLayout>
  );
}

/** The Execute step's body, its sections sized to the rows the terminal leaves. */
function RunView(props: { run: RunProgress; cursor: number }): React.JSX.Element {
  const { state } = useWizard();
  const { columns, rows } = useBody();
  const { run } = props;
  // an event's own time counts at once, not at the next tick
  const now = Math.max(useNow(state.running), run.lastActivityAt ?? 0);
  const live = state.mode !== 'verify' && state.confirmation?.matches === true;
  const title =
    state.mode === 'verify' ? `Verifying ${state.archive?.path ?? ''}` : live ? `LIVE RUN on ${state.preflight?.initialDomain ?? ''}` : 'DRY RUN: nothing is written';
  const stalled = stallLine(run, now, state.running);
  const c = run.counts;
  const failedLine = c ? `Failed   ${formatCount(c.failed)} · skipped ${formatCount(c.skipped)}` : null;
  // fixed rows: title, overall, failed, stalled, phase header, throttling, pausing, log header
  const retried = retryLine(run);
  const fixed = 5 + (failedLine ? 1 : 0) + (stalled ? 1 : 0) + (retried ? 1 : 0) + (run.pausing ? 1 : 0);
  const free = Math.max(0, rows - fixed);
  const phaseRows = Math.min(run.phases.length, Math.max(1, Math.ceil(free / 2)));
  const failureRows = run.failures.length === 0 ? 0 : Math.min(run.failures.length, Math.max(1, Math.floor((free - phaseRows) / 2)));
  const headerRows = run.failures.length > 0 ? 1 : 0;
  const logRows = Math.max(0, free - phaseRows - failureRows - headerRows);
  const phases = run.phases.slice(Math.max(0, run.phases.length - phaseRows));
  const win = windowOf(run.failures.length, props.cursor, failureRows);
  const labelWidth = Math.min(Math.max(10, ...run.failures.slice(win.start, win.end).map((f) => [...f.label].length)), Math.floor(columns * 0.45));
  return (
    <>
      <T bold tone={live ? 'bad' : 'plain'}>
        {fit(title, columns)}
      </T>
      <Line text={overallLine(run, now, state.running)} />
      {failedLine ? <Line tone={c && c.failed + c.skipped > 0 ? 'bad' : 'muted'} bold={Boolean(c && c.failed > 0)} text={failedLine} /> : null}
      {stalled ? <Line tone="warn" bold text={stalled} /> : null}
      <Line tone="muted" text={phaseHeader(columns)} />
      <Box flexDirection="column" height={phaseRows}>
        {phases.map((p) => (
          <Line key={p.phase} tone={p.finished ? 'good' : 'plain'} text={phaseLine(p, columns, stalled !== null)} />
        ))}
      </Box>
      <Line tone={run.throttledWaits > 0 ? 'warn' : 'muted'} text={throttleLine(run, formatDuration)} />
      {retried ? <Line tone="warn" text={retried} /> : null}
      {run.pausing ? <Line tone="warn" bold text="Pausing at the next operation boundary…" /> : null}
      {run.failures.length > 0 ? <Line tone="bad" text={`Failures (${formatCount(c?.failed ?? run.failures.length)}, newest last)`} /> : null}
      {run.failures.slice(win.start, win.end).map((f, k) => (
        <Row key={win.start + k} selected={win.start + k === props.cursor} tone="bad" text={`${pad(f.label, labelWidth)} ${f.reason}`} />
      ))}
      <Line tone="muted" text="Log" />
      {run.log.slice(Math.max(0, run.log.length - logRows)).map((l, i) => (
        <Line key={i} text={`  ${l}`} />
      ))}
    </>
  );
}
