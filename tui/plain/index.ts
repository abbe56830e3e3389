/**
 * Entry of the plain, linear wizard (`entra-vault wizard --plain`, or a terminal with
 * TERM=dumb; issue 12 item 15): the Ink wizard's steps over the same services and the same
 * reducer, as lines. Each step prints what it shows, each question is one line ending with the
 * question, choices are numbered and answers are read line by line; nothing redraws, moves
 * the cursor or colours. Like the GitHub CLI's accessible prompter, it works on any terminal,
 * a screen reader, or a pipe (then answers are echoed, so the transcript reads whole).
 * Never calls process.exit; resolves with the exit code.
 */
import { systemClock, type Clock } from '../../src/clock.js';
import type { WizardServices } from '../services.js';
import { initialState, type StepId } from '../state.js';
import { dispatch, sayError, type PlainCtx } from './context.js';
import { Left, PlainIo, type PlainInput, type PlainOutput } from './io.js';
import { archiveStep, resumeStep, scenarioStep, unlockStep } from './setup.js';
import { connectStep } from './connect.js';
import { planStep } from './plan.js';
import { confirmStep } from './confirm.js';
import { executeStep, reportStep } from './run.js';

export interface PlainWizardOptions {
  stdin?: PlainInput;
  stdout?: PlainOutput;
  /** The vault whose archives are listed. Default: ENTRA_VAULT_DIR, else ./vault. */
  vaultDir?: string;
  /** Ctrl-C (the CLI's SIGINT): pauses a run; anywhere else leaves with 130. */
  signal?: AbortSignal;
  clock?: Clock;
  /** At most one progress line this often during a run or a wait. Default: 5 s. */
  progressEveryMs?: number;
}

/** At most one progress line this often: enough to know it moves, few enough to read. */
export const PROGRESS_EVERY_MS = 5000;

type Step = (ctx: PlainCtx) => Promise<number | undefined | void> | number;

const STEPS: Record<StepId, Step> = {
  resume: resumeStep,
  scenario: scenarioStep,
  archive: archiveStep,
  unlock: unlockStep,
  connect: connectStep,
  plan: planStep,
  confirm: confirmStep,
  execute: executeStep,
  report: reportStep,
};

/**
 * Runs the plain wizard until its report (or until the operator leaves).
 * Resolves with the exit code: 0 restored (or a dry run, or the archive verified); 1 failed,
 * skipped or missing anything; 2 paused (resumable); 130 left with Ctrl-C or at the end of
 * the input before the run.
 */
export async function runPlainWizard(services: WizardServices, opts: PlainWizardOptions = {}): Promise<number> {
  const io = new PlainIo(opts.stdin ?? process.stdin, opts.stdout ?? process.stdout, opts.signal);
  const ctx: PlainCtx = {
    io,
    services,
    vaultDir: opts.vaultDir ?? process.env['ENTRA_VAULT_DIR'] ?? 'vault',
    clock: opts.clock ?? systemClock,
    progressEveryMs: opts.progressEveryMs ?? PROGRESS_EVERY_MS,
    state: initialState(),
  };
  io.say('entra-vault recovery wizard, plain mode: every step is printed as lines; answer each question and press Enter.');
  io.say('Ctrl-C leaves the wizard; during the run it pauses at the next operation boundary instead.');
  try {
    await lookForJournal(ctx);
    for (;;) {
      const code = await STEPS[ctx.state.step](ctx);
      if (typeof code === 'number') return code;
    }
  } catch (e) {
    if (!(e instanceof Left)) throw e;
    io.say('', `Left the wizard (${e.why}): nothing more was done.`);
    return 130;
  } finally {
    io.close();
  }
}

/** An unfinished restore is offered first (the Resume step), as in the Ink wizard. */
async function lookForJournal(ctx: PlainCtx): Promise<void> {
  ctx.io.say('Looking for unfinished restores…');
  try {
    const journal = await ctx.io.wait(ctx.services.findUnfinishedJournal());
    dispatch(ctx, { type: 'journalChecked', journal });
  } catch (e) {
    if (e instanceof Left) throw e;
    sayError(ctx, e);
  }
}
