/**
 * The wizard's root: the reducer, the frame (header, step bar, the current step) and
 * the one global key, Ctrl-C: during a run it aborts the run's signal (the core stops
 * at the next operation boundary); anywhere else it leaves the wizard.
 */
import React, { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { systemClock, type Clock } from '../src/clock.js';
import type { WizardServices } from './services.js';
import { WizardContext, type WizardContextValue } from './context.js';
import { SCENARIOS, initialState, reduce, stepsOf, type StepId, type WizardState } from './state.js';
import { KeysProvider, StatusProvider, StepBar, T, ThemeProvider, fit, toShown, useKeys } from './ui.js';
import { SizeProvider, enlargeLine, tooSmall, useTerminalSize } from './layout.js';
import { ClockProvider } from './clock.js';
import { waitLine } from './run-progress.js';
import { ScenarioStep } from './steps/scenario.js';
import { ResumeStep } from './steps/resume.js';
import { ArchiveStep } from './steps/archive.js';
import { UnlockStep } from './steps/unlock.js';
import { ConnectStep } from './steps/connect.js';
import { PlanStep } from './steps/plan.js';
import { ConfirmStep } from './steps/confirm.js';
import { ExecuteStep } from './steps/execute.js';
import { ReportStep } from './steps/report.js';

export interface AppProps {
  services: WizardServices;
  vaultDir: string;
  noColor: boolean;
  onExit: (code: number) => void;
  /** Start from this state instead of checking for an unfinished journal (tests). */
  initial?: WizardState;
  /** Where the wizard reads the time (elapsed, ETA, stalls). Default: the system clock. */
  clock?: Clock;
}

const STEPS: Record<StepId, () => React.JSX.Element> = {
  resume: ResumeStep,
  scenario: ScenarioStep,
  archive: ArchiveStep,
  unlock: UnlockStep,
  connect: ConnectStep,
  plan: PlanStep,
  confirm: ConfirmStep,
  execute: ExecuteStep,
  report: ReportStep,
};

function header(state: WizardState): string {
  const scenario = SCENARIOS.find((s) => s.id === state.scenario)?.title;
  const parts = ['entra-vault recovery wizard'];
  if (state.mode === 'resume') parts.push('Resume');
  else if (scenario) parts.push(scenario);
  if (state.preflight) parts.push(`→ ${state.preflight.initialDomain}`);
  return parts.join(' · ');
}

/**
 * The wizard in a frame the size of the terminal (its rows less one, so Ink never scrolls),
 * following resizes; below the minimum size, one line asks for a larger terminal while the
 * steps keep their state (hidden, and deaf to every key but the App's own).
 */
export function App(props: AppProps): React.JSX.Element {
  const terminal = useTerminalSize();
  const small = tooSmall(terminal);
  return (
    <ClockProvider value={props.clock ?? systemClock}>
      <SizeProvider value={{ columns: terminal.columns, rows: terminal.rows - 1 }}>
        <KeysProvider hidden={small}>
          {small ? <Text wrap="truncate-end">{fit(enlargeLine(terminal), terminal.columns)}</Text> : null}
          <Box display={small ? 'none' : 'flex'} flexDirection="column" width={terminal.columns} height={terminal.rows - 1}>
            <Wizard {...props} columns={terminal.columns} />
          </Box>
        </KeysProvider>
      </SizeProvider>
    </ClockProvider>
  );
}

function Wizard(props: AppProps & { columns: number }): React.JSX.Element {
  const [state, dispatch] = useReducer(reduce, props.initial ?? { ...initialState(), busy: 'looking for unfinished restores' });
  const runController = useRef<AbortController | null>(null);
  const { services, onExit } = props;

  useEffect(() => {
    if (props.initial) return;
    services.findUnfinishedJournal().then(
      (journal) => dispatch({ type: 'journalChecked', journal }),
      (e: unknown) => dispatch({ type: 'failed', error: toShown(e) }),
    );
  }, [services, props.initial]);

  const setRunController = useCallback((c: AbortController | null) => {
    runController.current = c;
  }, []);
  const waitController = useRef<AbortController | null>(null);
  const [cancellable, setCancellable] = useState(false);
  const setWaitController = useCallback((c: AbortController | null) => {
    waitController.current = c;
    setCancellable(c !== null);
  }, []);
  useEffect(() => {
    if (!state.busy) setWaitController(null);
  }, [state.busy, setWaitController]);

  useKeys((_input, key) => {
    // Issue 12 item 6: every wait has a way back. Esc abandons a read in progress.
    if (key.escape && state.busy && waitController.current) {
      waitController.current.abort();
      waitController.current = null;
      dispatch({ type: 'cancelled', what: state.busy });
    }
  });
  // Ctrl-C is heard even while the frame is hidden (a terminal below the minimum size).
  useKeys(
    (input, key) => {
      if (!(key.ctrl && input === 'c')) return;
      if (state.running && runController.current) {
        if (!runController.current.signal.aborted) {
          runController.current.abort();
          dispatch({ type: 'pauseRequested' });
        }
        return;
      }
      onExit(130);
    },
    { global: true },
  );

  const ctx = useMemo<WizardContextValue>(
    () => ({ state, dispatch, services, vaultDir: props.vaultDir, setRunController, setWaitController, exit: onExit }),
    [state, services, props.vaultDir, setRunController, setWaitController, onExit],
  );
  const Step = STEPS[state.step];
  return (
    <ThemeProvider value={{ noColor: props.noColor }}>
      <WizardContext.Provider value={ctx}>
        <StatusProvider value={{ error: state.error, busy: state.busy, cancellable, progress: waitLine(state.wait) }}>
          <T bold>{fit(header(state), props.columns)}</T>
          <StepBar steps={stepsOf(state)} current={state.step} />
          <T tone="muted">{'─'.repeat(props.columns)}</T>
          <Step key={state.step} />
        </StatusProvider>
      </WizardContext.Provider>
    </ThemeProvider>
  );
}
