/**
 * The plain wizard's Execute and Report steps. Execute runs the plan (or the resume, or the
 * archive check) with progress as lines (progress.ts); Ctrl-C aborts the run's signal and the
 * core stops at the next operation boundary, returning `paused`. The Report says the headline
 * first, from the same rules as the Ink report (tui/report-rows.ts: the real outcome, never
 * the status alone), then every failure, fidelity row, deviation, manual step and file, whole.
 */
import type { ExecuteOptions, ExecuteResult, VerifyArchiveResult } from '../services.js';
import { exitCodeOf, fidelityCell, fileRows, headlineOf } from '../report-rows.js';
import { formatBytes, formatCount, formatDuration } from '../format.js';
import { dispatch, sayError, stepHeading, type PlainCtx } from './context.js';
import { RunPrinter } from './progress.js';

function runTitle(ctx: PlainCtx): string {
  const s = ctx.state;
  if (s.mode === 'verify') return `Verifying ${s.archive?.path ?? ''}`;
  return s.confirmation?.matches ? `LIVE RUN on ${s.preflight?.initialDomain ?? ''}` : 'DRY RUN: nothing is written';
}

/** Starts the service call of this mode (verify, resume or execute) with the printer as reporter. */
function startRun(ctx: PlainCtx, printer: RunPrinter, signal: AbortSignal): Promise<ExecuteResult | VerifyArchiveResult> {
  const s = ctx.state;
  if (s.mode === 'verify') {
    if (!s.archive) return Promise.reject(new Error('no archive to verify'));
    return ctx.services.verifyArchive(s.archive.path, { reporter: printer, signal });
  }
  const confirmTenantId = s.confirmation?.matches ? s.confirmation.typed.trim() : undefined;
  const options: ExecuteOptions = { ...(confirmTenantId ? { confirmTenantId } : {}), reporter: printer, signal };
  if (s.mode === 'resume' && s.journal) return ctx.services.resume(s.journal, options);
  if (s.planResult) return ctx.services.execute(s.planResult.plan, options);
  return Promise.reject(new Error('no plan to execute'));
}

/** Runs; resolves with an exit code only when the run itself failed (the report follows otherwise). */
export async function executeStep(ctx: PlainCtx): Promise<number | undefined> {
  stepHeading(ctx);
  ctx.io.say(runTitle(ctx));
  if (ctx.state.mode !== 'verify') ctx.io.say('Ctrl-C pauses at the next operation boundary; reopening the wizard then offers to resume.');
  const controller = new AbortController();
  const pause = (): void => {
    if (controller.signal.aborted) return;
    controller.abort();
    dispatch(ctx, { type: 'pauseRequested' });
    ctx.io.say(ctx.state.mode === 'verify' ? 'Stopping the check…' : 'Pausing at the next operation boundary…');
  };
  const outer = ctx.io.signal;
  outer?.addEventListener('abort', pause, { once: true });
  const printer = new RunPrinter(ctx);
  dispatch(ctx, { type: 'runStarted', at: ctx.clock.now().getTime() });
  try {
    if (outer?.aborted) pause();
    const result = await startRun(ctx, printer, controller.signal);
    printer.stop();
    dispatch(ctx, 'entries' in result ? { type: 'verifyFinished', result } : { type: 'runFinished', result });
    return undefined;
  } catch (e) {
    printer.stop();
    sayError(ctx, e);
    ctx.io.say('The run stopped. The journal keeps what was done: reopen the wizard to resume.');
    return 1;
  } finally {
    outer?.removeEventListener('abort', pause);
  }
}

function sayVerify(ctx: PlainCtx, v: VerifyArchiveResult): void {
  ctx.io.say(
    v.ok ? '✓ The archive is intact and decrypts.' : '✗ The archive failed verification.',
    `  Archive: ${v.archivePath}`,
    `  Signature: ${v.signature}`,
    `  Entries: ${formatCount(v.entries)} checked`,
    `  Size: ${formatBytes(v.bytes)}`,
  );
  for (const p of v.problems) ctx.io.say(`  ✗ ${p}`);
}

/** Every section of the Ink report's tabs, one after the other. */
function sayResult(ctx: PlainCtx, r: ExecuteResult): void {
  const say = (...l: string[]): void => ctx.io.say(...l);
  say('', `Failures: ${formatCount(r.failed)} failed, ${formatCount(r.skipped)} skipped`);
  if (r.failed === 0 && r.skipped === 0) say('  No operation failed.');
  if (r.skipped > 0) say(`  ${formatCount(r.skipped)} operations were skipped because something they need failed.`);
  for (const f of r.failures) say(`  ✗ ${f.label}: ${f.reason}`);
  say('', 'Fidelity (matched of expected):');
  if (r.fidelity.length === 0) say('  No fidelity read-back (nothing was written).');
  for (const f of r.fidelity) say(`  ${f.type}: objects ${fidelityCell(f.objects)}, attributes ${fidelityCell(f.attributes)}, relations ${fidelityCell(f.relations)}`);
  say('', `Deviations (${r.deviations.length}):`);
  if (r.deviations.length === 0) say('  No deviations.');
  for (const d of r.deviations) say(`  ${d.type} ${d.displayName ?? d.archivedId} (${d.archivedId}): ${d.reason}`);
  say('', `Manual steps (${r.manualSteps.length}):`);
  if (r.manualSteps.length === 0) say('  No manual steps.');
  r.manualSteps.forEach((m, i) => {
    say(`  ${i + 1}. [${m.kind}] ${m.title}`, `     ${m.instructions}`);
    if (m.objects.length > 0) say(`     Objects: ${m.objects.join(', ')}`);
  });
  say('', 'Files:');
  for (const f of fileRows(r)) {
    say(`  ${f.what}: ${f.path}`);
    if (f.note) say(`     ${f.note}`);
  }
  if (r.perTier.length > 0) say('', 'Time per tier:');
  for (const t of r.perTier) say(`  Tier ${t.tier}: ${formatCount(t.operations)} ${t.operations === 1 ? 'operation' : 'operations'} in ${formatDuration(t.elapsedMs)}`);
}

/** The report; resolves with the wizard's exit code (tui/report-rows.ts exitCodeOf). */
export function reportStep(ctx: PlainCtx): number {
  stepHeading(ctx);
  const { result, verifyResult } = ctx.state;
  const code = exitCodeOf(result, verifyResult);
  if (verifyResult) {
    sayVerify(ctx, verifyResult);
    return code;
  }
  if (!result) return code;
  // the one line people read comes first, and again last, with the exit code
  const headline = headlineOf(result).text;
  ctx.io.say(headline);
  sayResult(ctx, result);
  ctx.io.say('', `${headline} (exit code ${code})`);
  return code;
}
