/**
 * The wizard as a small state machine: a pure reducer over explicit actions. The
 * React layer only renders a state and turns keys and service answers into actions,
 * so every rule that matters (no invalid signature and no rollback to an older archive
 * without a reason, no connect past missing permissions, no write without a matching
 * typed confirmation) lives here and is unit-tested without a terminal. The state never
 * holds a secret: passphrases stay in the Unlock component's local state and go straight
 * to the service.
 */
import { forWizard } from './hints.js';
import type { ProgressEvent } from '../src/progress.js';
import type { RestoreSelection, ScenarioName } from '../src/restore/types.js';
import type {
  ArchiveInfo,
  ConnectTarget,
  DeviceCodePrompt,
  ExecuteResult,
  PlanResult,
  Preflight,
  UnfinishedJournal,
  VerifyArchiveResult,
  WizardScenario,
} from './services.js';

export type StepId = 'resume' | 'scenario' | 'archive' | 'unlock' | 'connect' | 'plan' | 'confirm' | 'execute' | 'report';

/** restore: the four scenarios and the drill; verify: check an archive; resume: continue a journal. */
export type Mode = 'restore' | 'verify' | 'resume';

export const STEP_TITLES: Record<StepId, string> = {
  resume: 'Resume',
  scenario: 'Scenario',
  archive: 'Archive',
  unlock: 'Unlock',
  connect: 'Connect',
  plan: 'Plan',
  confirm: 'Confirm',
  execute: 'Execute',
  report: 'Report',
};

export interface ScenarioChoice {
  id: WizardScenario;
  title: string;
  /** When to choose it: one line, at most 52 columns so the menu fits 80. */
  when: string;
}

export const SCENARIOS: readonly ScenarioChoice[] = [
  { id: 'tenant-loss', title: 'Tenant loss', when: 'the tenant is gone or new: rebuild all of it' },
  { id: 'all-admins-deleted', title: 'All admins deleted', when: 'nobody can sign in as admin: bring admins back' },
  { id: 'objects', title: 'Restore objects', when: 'some users, groups or apps were deleted' },
  { id: 'attributes', title: 'Restore attributes', when: 'objects exist but their settings were changed' },
  { id: 'drill', title: 'Recovery drill', when: 'rehearse a tenant-loss restore on the emulator' },
  { id: 'verify-vault', title: 'Verify the vault', when: 'check an archive is intact and can be decrypted' },
];

export { LOG_LIMIT, type PhaseProgress, type RunProgress } from './run-progress.js';
import { emptyRun, reduceProgress, reduceWait, type RunProgress, type WaitProgress } from './run-progress.js';

export interface ShownError {
  code: string;
  message: string;
  hint?: string;
}

export interface WizardState {
  step: StepId;
  mode: Mode;
  journal: UnfinishedJournal | null;
  scenario: WizardScenario | null;
  archives: ArchiveInfo[] | null;
  archive: ArchiveInfo | null;
  /** Reason the operator typed to accept a bad signature (already audit-logged when set). */
  overrideReason: string | null;
  /**
   * Reason the operator typed to restore an archive older than the newest of its tenant
   * (already audit-logged as rollback.override when set). When the archive also has a bad
   * signature, one typed reason covers both and is in both fields.
   */
  rollbackReason: string | null;
  unlocked: boolean;
  /** With what the archive was unlocked (`the identity file PATH`, `the passphrase`): shown on a return to Unlock. */
  unlockedWith: string | null;
  target: ConnectTarget | null;
  deviceCode: DeviceCodePrompt | null;
  preflight: Preflight | null;
  planResult: PlanResult | null;
  selection: RestoreSelection | null;
  confirmation: { typed: string; matches: boolean } | null;
  /**
   * What was typed last when it did not match the target: the step asks again (issue 12
   * item 8) instead of turning a typo into a dry run; a dry run is chosen on purpose (tab).
   */
  confirmMismatch: string | null;
  running: boolean;
  run: RunProgress;
  result: ExecuteResult | null;
  verifyResult: VerifyArchiveResult | null;
  /** What the wizard is waiting for (a service call), shown instead of the step's keys. */
  busy: string | null;
  /** What that wait is doing now, from the service's reporter (Connect, Plan). */
  wait: WaitProgress | null;
  error: ShownError | null;
}

export type Action =
  | { type: 'journalChecked'; journal: UnfinishedJournal | null }
  | { type: 'resumeAnswered'; resume: boolean }
  | { type: 'scenarioChosen'; scenario: WizardScenario }
  | { type: 'archivesLoaded'; archives: ArchiveInfo[] }
  | { type: 'archivesReset' }
  | { type: 'archiveChosen'; archive: ArchiveInfo; overrideReason?: string }
  | { type: 'unlocked'; with?: string }
  | { type: 'deviceCode'; prompt: DeviceCodePrompt }
  | { type: 'connected'; target: ConnectTarget; preflight: Preflight }
  | { type: 'disconnected' }
  | { type: 'planned'; result: PlanResult; selection: RestoreSelection | null }
  | { type: 'confirmed'; typed: string }
  | { type: 'confirmReset' }
  /** A dry run chosen on purpose at Confirm (restore mode only: a resume always writes). */
  | { type: 'dryRunChosen' }
  /** `at`: the clock's time (ms), the start of the elapsed time and ETA. */
  | { type: 'runStarted'; at?: number }
  /** `at`: the clock's time of the event's arrival (ms), for the rate and stalls. */
  | { type: 'progress'; event: ProgressEvent; at?: number }
  /** An event of the service a wait (state.busy) is for. */
  | { type: 'waitProgress'; event: ProgressEvent }
  | { type: 'pauseRequested' }
  | { type: 'runFinished'; result: ExecuteResult }
  | { type: 'verifyFinished'; result: VerifyArchiveResult }
  | { type: 'busy'; message: string }
  /** A wait that moves no step ended (the Archive step's "what changed?" comparison): the step shows its answer. */
  | { type: 'waitEnded' }
  /** Esc during a cancellable wait: the step's read was abandoned (nothing was written). */
  | { type: 'cancelled'; what: string }
  | { type: 'failed'; error: ShownError }
  | { type: 'dismissError' }
  | { type: 'next' }
  | { type: 'back' };

export function initialState(): WizardState {
  return {
    step: 'scenario',
    mode: 'restore',
    journal: null,
    scenario: null,
    archives: null,
    archive: null,
    overrideReason: null,
    rollbackReason: null,
    unlocked: false,
    unlockedWith: null,
    target: null,
    deviceCode: null,
    preflight: null,
    planResult: null,
    selection: null,
    confirmation: null,
    confirmMismatch: null,
    running: false,
    run: emptyRun(),
    result: null,
    verifyResult: null,
    busy: null,
    wait: null,
    error: null,
  };
}

/** The steps of the current mode, in order (drives the step bar and back/next). */
export function stepsOf(state: Pick<WizardState, 'mode'>): StepId[] {
  switch (state.mode) {
    case 'resume':
      return ['resume', 'unlock', 'connect', 'confirm', 'execute', 'report'];
    case 'verify':
      return ['scenario', 'archive', 'unlock', 'execute', 'report'];
    case 'restore':
      return ['scenario', 'archive', 'unlock', 'connect', 'plan', 'confirm', 'execute', 'report'];
  }
}

/** The restore scenario a wizard scenario plans (a drill rehearses tenant loss). */
export function restoreScenarioOf(scenario: WizardScenario | null): ScenarioName | null {
  if (scenario === null || scenario === 'verify-vault') return null;
  return scenario === 'drill' ? 'tenant-loss' : scenario;
}

export { archiveAccepted, confirmationMatches, newerArchiveOf, overrideNeeds, preselectArchive, type OverrideNeeds } from './archive-rules.js';
import { confirmationMatches, overrideNeeds } from './archive-rules.js';

/** Whether `next` may leave the current step, and if not, why (shown on the step). */
export function blockedReason(state: WizardState): string | null {
  if (state.busy) return `waiting: ${state.busy}`;
  switch (state.step) {
    case 'resume':
      return 'choose whether to resume';
    case 'scenario':
      return state.scenario ? null : 'choose a scenario';
    case 'archive': {
      if (!state.archive) return 'choose an archive';
      const needs = overrideNeeds(state, state.archive);
      if (needs.signature && !state.overrideReason) return 'the signature is not valid: an override with a reason is needed';
      if (needs.rollback && !state.rollbackReason) return 'an older archive than the newest of its tenant: a reason is needed (rollback)';
      return null;
    }
    case 'unlock':
      return state.unlocked ? null : 'unlock the archive first';
    case 'connect':
      if (!state.preflight) return 'connect to the target first';
      if (state.preflight.missing.length > 0) return `missing permissions: ${state.preflight.missing.join(', ')}`;
      if (state.mode === 'resume' && state.journal && state.preflight.tenantId !== state.journal.targetTenantId) {
        return `the journal is for tenant ${state.journal.targetTenantId}, not ${state.preflight.tenantId}`;
      }
      return null;
    case 'plan':
      if (!state.planResult) return 'no plan yet';
      return null;
    case 'confirm':
      return state.confirmation ? null : 'type the target tenant id or initial domain';
    case 'execute':
      return state.result || state.verifyResult ? null : 'the run has not finished';
    case 'report':
      return 'this is the last step';
  }
}

function move(state: WizardState, delta: 1 | -1): WizardState {
  const steps = stepsOf(state);
  const i = steps.indexOf(state.step);
  const to = steps[i + delta];
  if (to === undefined) return state;
  return { ...state, step: to, error: null };
}

/**
 * `archiveChosen`: takes the archive when every override it needs has its reason, else
 * stays on the step with the refusal (signature first: one reason covers both).
 * Choosing another archive drops what was unlocked and planned for the previous one.
 */
function chooseArchive(state: WizardState, action: Extract<Action, { type: 'archiveChosen' }>): WizardState {
  if (state.step !== 'archive') return state;
  const reason = action.overrideReason?.trim() ?? '';
  const needs = overrideNeeds(state, action.archive);
  if (needs.signature && reason.length === 0) {
    return {
      ...state,
      error: {
        code: action.archive.signature === 'missing' ? 'SIGNATURE_MISSING' : 'SIGNATURE_INVALID',
        message: `the archive's signature is ${action.archive.signature}: it cannot be used without an override`,
        hint: needs.rollback
          ? `it is also older than the newest (${needs.rollback.takenAt}): press o, one reason covers both`
          : 'press o and type the reason for the audit log',
      },
    };
  }
  if (needs.rollback && reason.length === 0) {
    return {
      ...state,
      error: {
        code: 'ROLLBACK',
        message: `older than the newest archive of this tenant (${needs.rollback.takenAt}): restoring it is a rollback`,
        hint: 'press o and type the reason for the audit log',
      },
    };
  }
  const changed = state.archive?.path !== action.archive.path;
  return {
    ...state,
    archive: action.archive,
    overrideReason: needs.signature ? reason : null,
    rollbackReason: needs.rollback ? reason : null,
    unlocked: changed ? false : state.unlocked,
    unlockedWith: changed ? null : state.unlockedWith,
    planResult: changed ? null : state.planResult,
    selection: changed ? null : state.selection,
    confirmation: changed ? null : state.confirmation,
    step: 'unlock',
    busy: null,
    error: null,
  };
}

/** The reducer. Pure: same state and action, same result; never throws. */
export function reduce(state: WizardState, action: Action): WizardState {
  switch (action.type) {
    case 'journalChecked':
      return action.journal
        ? { ...state, journal: action.journal, mode: 'resume', step: 'resume', busy: null }
        : { ...state, busy: null };
    case 'resumeAnswered':
      if (state.step !== 'resume' || !state.journal) return state;
      if (action.resume) {
        return { ...state, mode: 'resume', scenario: state.journal.scenario, step: 'unlock', error: null };
      }
      return { ...state, mode: 'restore', journal: null, step: 'scenario', error: null };
    case 'scenarioChosen': {
      if (state.step !== 'scenario') return state;
      const mode: Mode = action.scenario === 'verify-vault' ? 'verify' : 'restore';
      const same = state.scenario === action.scenario;
      const base = same ? state : { ...initialState(), archives: state.archives };
      return { ...base, scenario: action.scenario, mode, step: 'archive', error: null };
    }
    case 'archivesLoaded':
      return { ...state, archives: action.archives, busy: null };
    case 'archivesReset':
      return { ...state, archives: null };
    case 'archiveChosen':
      return chooseArchive(state, action);
    case 'unlocked':
      if (state.step !== 'unlock') return state;
      return move({ ...state, unlocked: true, unlockedWith: action.with ?? null, busy: null, error: null }, 1);
    case 'deviceCode':
      return { ...state, deviceCode: action.prompt };
    case 'connected':
      if (state.step !== 'connect') return state;
      // A resume continues on the tenant its journal names: another tenant's profile is
      // refused here, at Connect, where another one can be chosen (issue 12 item 7).
      if (state.mode === 'resume' && state.journal && state.journal.targetTenantId.toLowerCase() !== action.preflight.tenantId.toLowerCase()) {
        return {
          ...state, preflight: null, deviceCode: null, busy: null,
          error: { code: 'JOURNAL_MISMATCH', message: `this profile signs in to tenant ${action.preflight.tenantId}; the restore being resumed writes to ${state.journal.targetTenantId}`, hint: 'choose the profile of the tenant the restore started on' },
        };
      }
      return {
        ...state,
        target: action.target,
        preflight: action.preflight,
        deviceCode: null,
        planResult: null,
        selection: null,
        confirmation: null,
        busy: null,
        error: null,
      };
    case 'disconnected':
      return state.step === 'connect' ? { ...state, preflight: null, planResult: null, selection: null, confirmation: null, error: null } : state;
    case 'planned':
      if (state.step !== 'plan') return state;
      return { ...state, planResult: action.result, selection: action.selection, confirmation: null, busy: null, error: null };
    case 'confirmed': {
      if (state.step !== 'confirm' || !state.preflight) return state;
      if (!confirmationMatches(action.typed, state.preflight)) return { ...state, confirmation: null, confirmMismatch: action.typed };
      return { ...state, confirmation: { typed: action.typed, matches: true }, confirmMismatch: null };
    }
    case 'dryRunChosen':
      if (state.step !== 'confirm' || state.mode === 'resume') return state;
      return { ...state, confirmation: { typed: '', matches: false }, confirmMismatch: null };
    case 'confirmReset':
      return state.step === 'confirm' ? { ...state, confirmation: null, confirmMismatch: null } : state;
    case 'runStarted':
      return { ...state, running: true, run: emptyRun(action.at ?? null), result: null, verifyResult: null, error: null };
    case 'progress':
      return { ...state, run: reduceProgress(state.run, action.event, action.at) };
    case 'waitProgress': return state.busy ? { ...state, wait: reduceWait(state.wait, action.event) } : state;
    case 'pauseRequested':
      return state.running ? { ...state, run: { ...state.run, pausing: true } } : state;
    case 'runFinished':
      return { ...state, running: false, result: action.result, step: 'report', busy: null };
    case 'verifyFinished':
      return { ...state, running: false, verifyResult: action.result, step: 'report', busy: null };
    case 'busy': return { ...state, busy: action.message, wait: null, error: null };
    case 'waitEnded': return { ...state, busy: null, wait: null };
    case 'cancelled':
      return state.busy
        ? { ...state, busy: null, deviceCode: null, error: { code: 'CANCELLED', message: 'stopped waiting; nothing was written', hint: `cancelled: ${action.what} · try again, or esc back` } }
        : state;
    case 'failed':
      return { ...state, busy: null, running: false, deviceCode: null, error: forWizard(action.error, state.step) /* CLI hints become keys */ };
    case 'dismissError':
      return { ...state, error: null };
    case 'next':
      if (blockedReason(state) !== null) return state;
      return move(state, 1);
    case 'back': {
      if (state.busy || state.running) return state;
      if (state.step === 'execute' || state.step === 'report') return state;
      if (state.step === 'unlock' && state.mode === 'resume') {
        return { ...state, step: 'resume', error: null };
      }
      return move(state, -1);
    }
  }
}
