/**
 * The wizard's root: the reducer, the frame (header, step bar, the current step) and
 * the one global key, Ctrl-C: during a run it aborts the run's signal (the core stops
 * at the next operation boundary); anywhere else it leaves the wizard.
 */
import React, { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Box } from 'ink';
import type { WizardServices } from './services.js';
import { WizardContext, type WizardContextValue } from './context.js';
import { SCENARIOS, initialState, reduce, stepsOf, type StepId, type WizardState } from './state.js';
import { KeysProvider, StatusProvider, StepBar, T, ThemeProvider, WIDTH, fit, toShown, useKeys } from './ui.js';
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
  /** Rows of the frame (the terminal's height less one, so Ink never scrolls it). */
  height: number;
  onExit: (code: number) => void;
  /** Start from this state instead of checking for an unfinished journal (tests). */
  initial?: WizardState;
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

export function App(props: AppProps): React.JSX.Element {
  return (
    <KeysProvider>
      <Wizard {...props} />
    </KeysProvider>
  );
}

function Wizard(props: AppProps): React.JSX.Element {
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

  useKeys((input, key) => {
    // Issue 12 item 6: every wait has a way back. Esc abandons a read in progress.
    if (key.escape && state.busy && waitController.current) {
      waitController.current.abort();
      waitController.current = null;
      dispatch({ type: 'cancelled', what: state.busy });
      return;
    }
    if (!(key.ctrl && input === 'c')) return;
    if (state.running && runController.current) {
      if (!runController.current.signal.aborted) {
        runController.current.abort();
        dispatch({ type: 'pauseRequested' });
      }
      return;
    }
    onExit(130);
  });

  const ctx = useMemo<WizardContextValue>(
    () => ({ state, dispatch, services, vaultDir: props.vaultDir, setRunController, setWaitController, exit: onExit }),
    [state, services, props.vaultDir, setRunController, setWaitController, onExit],
  );
  const Step = STEPS[state.step];
  return (
    <ThemeProvider value={{ noColor: props.noColor }}>
      <WizardContext.Provider value={ctx}>
        <StatusProvider value={{ error: state.error, busy: state.busy, cancellable }}>
          <Box flexDirection="column" width={WIDTH} height={props.height}>
            <T bold>{fit(header(state), WIDTH)}</T>
            <StepBar steps={stepsOf(state)} current={state.step} />
            <T tone="muted">{'─'.repeat(WIDTH)}</T>
            <Step key={state.step} />
          </Box>
        </StatusProvider>
      </WizardContext.Provider>
    </ThemeProvider>
  );
}
