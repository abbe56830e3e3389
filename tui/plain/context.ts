/**
 * What every step of the plain wizard reaches: the lines in and out, the services, and the
 * wizard's state, moved only by the same pure reducer the Ink wizard uses (tui/state.ts), so
 * both wizards keep the same rules (overrides need reasons, no connect past missing
 * permissions, no write without a matching typed confirmation).
 */
import type { Clock } from '../../src/clock.js';
import type { WizardServices } from '../services.js';
import { reduce, stepsOf, STEP_TITLES, type Action, type ShownError, type WizardState } from '../state.js';
import { toShown } from '../format.js';
import { Left, type PlainIo } from './io.js';

export interface PlainCtx {
  io: PlainIo;
  services: WizardServices;
  vaultDir: string;
  clock: Clock;
  /** At most one progress line this often while something runs (ms). */
  progressEveryMs: number;
  state: WizardState;
}

/** Moves the state with the shared reducer; returns the new state. */
export function dispatch(ctx: PlainCtx, action: Action): WizardState {
  ctx.state = reduce(ctx.state, action);
  return ctx.state;
}

/** "Step 3 of 8: Unlock", after a blank line: where the operator is. */
export function stepHeading(ctx: PlainCtx): void {
  const steps = stepsOf(ctx.state);
  const i = steps.indexOf(ctx.state.step);
  ctx.io.say('', `Step ${i + 1} of ${steps.length}: ${STEP_TITLES[ctx.state.step]}`);
}

/** An error as the Ink status line shows it: code and message, then the hint. */
export function sayError(ctx: PlainCtx, e: ShownError | unknown): void {
  const shown = isShown(e) ? e : toShown(e);
  ctx.io.say(`✗ [${shown.code}] ${shown.message}`);
  if (shown.hint) ctx.io.say(`  ${shown.hint}`);
}

function isShown(e: unknown): e is ShownError {
  return typeof e === 'object' && e !== null && !(e instanceof Error) && typeof (e as ShownError).code === 'string' && typeof (e as ShownError).message === 'string';
}

/** A service's rejection, said; the operator leaving (Left) goes on up instead. */
export function sayFailure(ctx: PlainCtx, e: unknown): void {
  if (e instanceof Left) throw e;
  sayError(ctx, e);
}

/** Shows and clears an error the reducer left on the state (a refusal), if any. */
export function sayStateError(ctx: PlainCtx): boolean {
  const e = ctx.state.error;
  if (!e) return false;
  sayError(ctx, e);
  dispatch(ctx, { type: 'dismissError' });
  return true;
}
