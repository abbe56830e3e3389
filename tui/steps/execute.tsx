/**
 * Step 7: the run. Progress per phase (done / total, objects/s, ETA), throttling
 * waits and retries, and a log tail, all from the Reporter's events. Ctrl-C (handled
 * by the App) aborts the signal; the core stops at the next operation boundary and
 * returns a `paused` result whose journal the next wizard offers to resume.
 */
import React, { useEffect, useRef } from 'react';
import { Box, Text } from 'ink';
import type { Reporter } from '../../src/progress.js';
import { useWizard } from '../context.js';
import type { PhaseProgress } from '../state.js';
import { StepLayout, T, fit, formatCount, formatDuration, pad, toShown, useKeys } from '../ui.js';

const LOG_ROWS = 5;
const PHASE_ROWS = 7;

export function phaseLine(p: PhaseProgress): string {
  // a phase that only announced itself (no counted items yet) shows no count, not a 0
  const count = p.total !== undefined ? `${formatCount(p.done)} / ${formatCount(p.total)}` : p.done > 0 ? formatCount(p.done) : '';
  // a counted phase that reached its total is done even if no 'done' event names it
  const finished = p.finished || (p.total !== undefined && p.total > 0 && p.done >= p.total);
  const rate = p.ratePerSec !== undefined && !finished ? `${p.ratePerSec.toFixed(p.ratePerSec < 10 ? 1 : 0)}/s` : '';
  const eta =
    finished
      ? 'done'
      : p.total !== undefined && p.ratePerSec && p.ratePerSec > 0
        ? `ETA ${formatDuration(((p.total - p.done) / p.ratePerSec) * 1000)}`
        : '';
  return `${pad(p.phase, 24)} ${pad(count, 19)} ${pad(rate, 9)} ${pad(eta, 11)} ${fit(p.item, 10)}`;
}

export function ExecuteStep(): React.JSX.Element {
  const { state, dispatch, services, setRunController, exit } = useWizard();
  const started = useRef(false);

  useEffect(() => {
    if (started.current || state.running || state.result || state.verifyResult) return;
    started.current = true;
    const controller = new AbortController();
    setRunController(controller);
    const reporter: Reporter = { report: (event) => dispatch({ type: 'progress', event }) };
    dispatch({ type: 'runStarted' });
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
  }, [state, dispatch, services, setRunController]);

  const failed = !state.running && state.error !== null;
  useKeys(
    (input) => {
      if (failed && input === 'q') exit(1);
    },
    { isActive: failed },
  );

  const live = state.mode !== 'verify' && state.confirmation?.matches === true;
  const title =
    state.mode === 'verify'
      ? `Verifying ${state.archive?.path ?? ''}`
      : live
        ? `LIVE RUN on ${state.preflight?.initialDomain ?? ''}`
        : 'DRY RUN: nothing is written';
  const run = state.run;
  const phases = run.phases.slice(Math.max(0, run.phases.length - PHASE_ROWS));
  const log = run.log.slice(Math.max(0, run.log.length - LOG_ROWS));
  return (
    <StepLayout help={failed ? 'q quit (the journal keeps what was done) · ctrl-c quit' : 'ctrl-c pause at the next operation boundary'}>
      <T bold tone={live ? 'bad' : 'plain'}>
        {fit(title, 80)}
      </T>
      <T tone="muted">{`${pad('phase', 24)} ${pad('done / total', 19)} ${pad('rate', 9)} ${pad('ETA', 11)} item`}</T>
      <Box flexDirection="column" height={PHASE_ROWS}>
        {phases.map((p) => (
          <T key={p.phase} tone={p.finished ? 'good' : 'plain'}>
            {fit(phaseLine(p), 80)}
          </T>
        ))}
      </Box>
      <T tone={run.throttledWaits > 0 ? 'warn' : 'muted'}>
        {fit(`Throttling waits ${run.throttledWaits} (${formatDuration(run.throttledMs)}) · retries ${run.retries}`, 80)}
      </T>
      {run.pausing ? (
        <T tone="warn" bold>
          Pausing at the next operation boundary…
        </T>
      ) : (
        <Text> </Text>
      )}
      <T tone="muted">Log</T>
      <Box flexDirection="column">
        {log.map((l, i) => (
          <T key={i}>{fit(`  ${l}`, 80)}</T>
        ))}
      </Box>
    </StepLayout>
  );
}
