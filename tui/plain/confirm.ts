/**
 * The plain wizard's typed confirmation: only the target's tenant id or initial domain makes
 * the run write (the shared reducer matches it, `confirmationMatches`); a typo asks again
 * (issue 12 item 8), a dry run is chosen on purpose, and an archive of another tenant (a
 * tenant-loss restore into a new tenant) names both tenants and needs an explicit yes first.
 */
import { visibleText } from '../../src/text.js';
import { formatCount } from '../format.js';
import { dispatch, stepHeading, type PlainCtx } from './context.js';

/** What the run does, in one line (as the Ink Confirm step's "Run" row). */
function runText(ctx: PlainCtx): string {
  const s = ctx.state;
  return s.mode === 'resume' && s.journal
    ? `resume ${s.journal.scenario}: ${formatCount(s.journal.total - s.journal.done)} operations left`
    : `${s.planResult?.plan.scenario ?? ''}: ${formatCount(s.planResult?.plan.operations.length ?? 0)} operations`;
}

/** For an archive of another tenant: both tenants named, and a yes; false goes back. */
async function acknowledgeForeign(ctx: PlainCtx): Promise<boolean> {
  const { archive, preflight: p } = ctx.state;
  if (!archive || !p || archive.tenantId.toLowerCase() === p.tenantId.toLowerCase()) return true;
  ctx.io.say(
    `! The archive is of ANOTHER tenant: ${archive.tenantId}.`,
    `! The target is tenant ${p.tenantId} (${p.initialDomain}). A tenant-loss restore rebuilds the archive's users, groups, apps and policies there.`,
  );
  return ctx.io.choose(`Rebuild tenant ${archive.tenantId} in tenant ${p.tenantId}?`, [
    { label: `Yes: the archive's tenant is lost, rebuild it in ${p.initialDomain}`, value: true },
    { label: 'No: go back', value: false },
  ]);
}

/** Reads the typed target until it matches; false when the operator went back (Enter alone). */
async function typeTarget(ctx: PlainCtx): Promise<boolean> {
  for (;;) {
    const typed = await ctx.io.ask('To write to this tenant, type its tenant id or initial domain (Enter alone goes back):');
    if (typed === '') return false;
    dispatch(ctx, { type: 'confirmed', typed });
    if (ctx.state.confirmation?.matches) return true;
    ctx.io.say(`✗ "${visibleText(ctx.state.confirmMismatch ?? typed)}" does not match the target: type it again.`);
  }
}

export async function confirmStep(ctx: PlainCtx): Promise<void> {
  const p = ctx.state.preflight;
  stepHeading(ctx);
  if (!p) {
    dispatch(ctx, { type: 'back' });
    return;
  }
  const lines = ['Confirm the target', `  Target: ${p.tenantId}`, `  Domain: ${p.initialDomain}`, `  Run: ${runText(ctx)}`];
  if (ctx.state.archive) lines.push(`  Archive: of tenant ${ctx.state.archive.tenantId}`);
  ctx.io.say(...lines);
  if (!(await acknowledgeForeign(ctx))) {
    dispatch(ctx, { type: 'back' });
    return;
  }
  const resume = ctx.state.mode === 'resume';
  if (resume) ctx.io.say('A resumed restore writes: there is no dry run of it.');
  const how = await ctx.io.choose('Do you write to this tenant?', [
    { label: 'Live run: write to it (you type its tenant id or initial domain next)', value: 'live' as const },
    ...(resume ? [] : [{ label: 'Dry run: check the plan, write nothing', value: 'dry' as const }]),
    { label: 'Back', value: 'back' as const },
  ]);
  if (how === 'back') {
    dispatch(ctx, { type: 'back' });
    return;
  }
  if (how === 'dry') dispatch(ctx, { type: 'dryRunChosen' });
  else if (!(await typeTarget(ctx))) return;
  const live = ctx.state.confirmation?.matches === true;
  ctx.io.say(live ? `LIVE RUN: changes will be written to ${p.initialDomain}.` : 'DRY RUN: nothing will be written.');
  const start = await ctx.io.choose('Start the run now?', [
    { label: live ? `Start the LIVE RUN on ${p.initialDomain}` : 'Start the dry run', value: true },
    { label: 'Not yet: ask again', value: false },
  ]);
  dispatch(ctx, start ? { type: 'next' } : { type: 'confirmReset' });
}
