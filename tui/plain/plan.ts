/**
 * The plain wizard's Plan step as lines: the tenant rule first (only a tenant-loss restore may
 * go into another tenant than the archive's, as the restore itself enforces), then the plan
 * read from the target (nothing written): operations per tier and every warning, whole. For
 * the objects and attributes scenarios, what differs is listed and the operator picks by number.
 */
import { checkTenantBinding } from '../../src/ops/restore.js';
import type { ObjectDiff, RestoreSelection } from '../../src/restore/types.js';
import type { PlanResult } from '../services.js';
import { restoreScenarioOf } from '../state.js';
import { formatCount } from '../format.js';
import { TIERS, changedAttributes, opsOfTier, selectableObjects, warningCount, warningLines } from '../plan-rows.js';
import { dispatch, sayError, sayFailure, stepHeading, type PlainCtx } from './context.js';
import { waitReporter } from './progress.js';

/** Plans (a read of the target); false when it failed (said). */
async function requestPlan(ctx: PlainCtx, selection: RestoreSelection | null): Promise<boolean> {
  const scenario = restoreScenarioOf(ctx.state.scenario);
  if (!scenario) return false;
  ctx.io.say(selection ? 'Planning the selection…' : 'Reading the target and planning: nothing is written…');
  const progress = waitReporter(ctx);
  try {
    const result = await ctx.io.wait(ctx.services.plan(selection ? { scenario, selection } : { scenario }, { reporter: progress.reporter }));
    dispatch(ctx, { type: 'planned', result, selection });
    return true;
  } catch (e) {
    sayFailure(ctx, e);
    return false;
  } finally {
    progress.stop();
  }
}

/** The numbers typed ("1 3", "2,4"): null when one is not a listed number. */
export function parseNumbers(answer: string, count: number): number[] | null {
  const parts = answer.split(/[\s,]+/).filter((p) => p !== '');
  const picked = new Set<number>();
  for (const p of parts) {
    const n = /^\d+$/.test(p) ? Number(p) : NaN;
    if (!(n >= 1 && n <= count)) return null;
    picked.add(n - 1);
  }
  return [...picked].sort((a, b) => a - b);
}

/** Asks which of `labels` to take; Enter alone takes all. Returns the picked indexes. */
async function pickSome(ctx: PlainCtx, what: string, labels: string[]): Promise<number[]> {
  labels.forEach((l, i) => ctx.io.say(`  ${i + 1}) ${l}`));
  for (;;) {
    const answer = await ctx.io.ask(`Which ${what} do you restore? Press Enter for all ${labels.length}, or type their numbers separated by spaces:`);
    if (answer === '') return labels.map((_, i) => i);
    const picked = parseNumbers(answer, labels.length);
    if (picked && picked.length > 0) return picked;
    ctx.io.say(`"${answer}" is not a list of numbers from 1 to ${labels.length}.`);
  }
}

function diffText(o: ObjectDiff): string {
  const changes = (o.changes ?? []).map((c) => c.property).join(', ');
  return `${o.type} ${o.displayName ?? o.archivedId}: ${o.status}${changes ? ` (${changes})` : ''}`;
}

/** Objects (and attributes) to restore; null when everything that differs is taken. */
async function chooseSelection(ctx: PlainCtx, result: PlanResult): Promise<RestoreSelection | null> {
  const objects = selectableObjects(result);
  const c = result.diff?.counts;
  if (c) ctx.io.say(`Archive against the target: missing ${c.missing}, soft-deleted ${c.softDeleted}, changed ${c.changed}, equal ${c.equal}, extra ${c.extra} (kept).`);
  if (objects.length === 0) return null;
  ctx.io.say(`What differs and can be restored (${objects.length}):`);
  const ids = (await pickSome(ctx, 'objects', objects.map(diffText))).map((i) => objects[i]!.archivedId!);
  const scenario = restoreScenarioOf(ctx.state.scenario);
  let attributes: string[] | undefined;
  if (scenario === 'attributes') {
    const names = changedAttributes(result);
    ctx.io.say(`Attributes that differ (${names.length}):`);
    attributes = (await pickSome(ctx, 'attributes', names)).map((i) => names[i]!);
    if (ids.length === objects.length && attributes.length === names.length) return null;
    return { objectIds: ids.sort(), attributes: attributes.sort() };
  }
  return ids.length === objects.length ? null : { objectIds: ids.sort() };
}

const operations = (n: number): string => `${formatCount(n)} ${n === 1 ? 'operation' : 'operations'}`;

/** The plan, whole: tiers with their counts, then every warning. */
export function sayPlan(ctx: PlainCtx, result: PlanResult): void {
  const plan = result.plan;
  ctx.io.say(`Plan ${plan.scenario}: ${formatCount(plan.operations.length)} operations on ${plan.target.initialDomain} (tenant ${plan.target.tenantId}), from the archive of tenant ${plan.archive.tenantId}.`);
  for (const t of TIERS) ctx.io.say(`  Tier ${t.tier}, ${t.name}: ${operations(opsOfTier(plan, t.tier).length)}`);
  for (const line of warningLines(plan)) ctx.io.say(line);
  // the list above can be long: the question comes after a one-line summary
  ctx.io.say(`Plan ready: ${operations(plan.operations.length)} on ${plan.target.initialDomain}, ${formatCount(warningCount(plan))} warnings (listed above).`);
}

function sayOperations(ctx: PlainCtx, result: PlanResult): void {
  for (const t of TIERS) {
    const ops = opsOfTier(result.plan, t.tier);
    if (ops.length === 0) continue;
    ctx.io.say(`Tier ${t.tier}, ${t.name} (${formatCount(ops.length)}):`);
    for (const op of ops) ctx.io.say(`  ${op.label}`);
  }
}

/** The tenant rule of the restore (src/ops/restore.ts): true when the archive may go into the target. */
function tenantAllowed(ctx: PlainCtx): boolean {
  const { archive, preflight } = ctx.state;
  const scenario = restoreScenarioOf(ctx.state.scenario);
  if (!archive || !preflight || !scenario) return true;
  try {
    checkTenantBinding(scenario, archive.tenantId, preflight.tenantId);
    return true;
  } catch (e) {
    sayError(ctx, e);
    return false;
  }
}

export async function planStep(ctx: PlainCtx): Promise<void> {
  stepHeading(ctx);
  if (!tenantAllowed(ctx)) {
    await ctx.io.choose('Nothing was planned or written. Go back and choose another target or archive?', [{ label: 'Back', value: 'back' }]);
    dispatch(ctx, { type: 'back' });
    return;
  }
  if (!ctx.state.planResult) {
    if (!(await requestPlan(ctx, null))) {
      const again = await ctx.io.choose('Plan again?', [{ label: 'Plan again', value: true }, { label: 'Back', value: false }], { default: 0 });
      if (!again) dispatch(ctx, { type: 'back' });
      return;
    }
    const scenario = restoreScenarioOf(ctx.state.scenario);
    if ((scenario === 'objects' || scenario === 'attributes') && ctx.state.planResult) {
      const selection = await chooseSelection(ctx, ctx.state.planResult);
      if (selection && !(await requestPlan(ctx, selection))) return;
    }
  }
  await afterPlan(ctx);
}

/** The plan on screen and what to do with it. */
async function afterPlan(ctx: PlainCtx): Promise<void> {
  const result = ctx.state.planResult;
  if (!result) return;
  sayPlan(ctx, result);
  const withDiff = result.diff !== undefined;
  const next = await ctx.io.choose('Go on to the typed confirmation?', [
    { label: 'Continue to Confirm', value: 'next' as const },
    { label: 'List every operation', value: 'list' as const },
    ...(withDiff ? [{ label: 'Choose again what to restore', value: 'select' as const }] : []),
    { label: 'Back', value: 'back' as const },
  ], { default: 0 });
  if (next === 'next') dispatch(ctx, { type: 'next' });
  else if (next === 'list') sayOperations(ctx, result);
  else if (next === 'select') {
    const selection = await chooseSelection(ctx, result);
    await requestPlan(ctx, selection);
  } else dispatch(ctx, { type: 'back' });
}
