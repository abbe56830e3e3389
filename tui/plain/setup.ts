/**
 * The plain wizard's first steps as lines: an unfinished restore to resume, the scenario,
 * the archive (a signature or rollback override takes a typed reason the service writes to
 * the audit log first, as on the Ink Archive step) and the key that unlocks it (a passphrase
 * is read with echo off and never printed).
 */
import type { ArchiveInfo, UnlockRequest } from '../services.js';
import { SCENARIOS, overrideNeeds, preselectArchive, type OverrideNeeds } from '../state.js';
import { newerArchiveOf, tenantsWithValidArchives } from '../archive-rules.js';
import { formatBytes, formatCount, formatTime } from '../format.js';
import { dispatch, sayError, sayFailure, sayStateError, stepHeading, type PlainCtx } from './context.js';

const BACK = 'back';
const CHANGES = 'changes';

export async function resumeStep(ctx: PlainCtx): Promise<void> {
  const j = ctx.state.journal;
  stepHeading(ctx);
  if (!j) {
    dispatch(ctx, { type: 'resumeAnswered', resume: false });
    return;
  }
  const target = 'emulator' in j.target ? 'built-in emulator' : j.target.profilePath;
  ctx.io.say(
    'An unfinished restore was found.',
    `  Scenario: ${j.scenario}`,
    `  Archive: ${j.archivePath}`,
    `  Target: ${j.targetTenantId} (${target})`,
    `  Started: ${formatTime(j.startedAt)}`,
    `  Progress: ${formatCount(j.done)} of ${formatCount(j.total)} operations done`,
    `  Journal: ${j.journalPath}`,
    'Resuming skips every operation the journal records as done: nothing is created twice. You will unlock the archive, reconnect and confirm again.',
  );
  const resume = await ctx.io.choose('Resume it?', [
    { label: 'Resume this restore', value: true },
    { label: 'Start a new recovery', value: false },
  ], { default: 0 });
  dispatch(ctx, { type: 'resumeAnswered', resume });
}

export async function scenarioStep(ctx: PlainCtx): Promise<void> {
  stepHeading(ctx);
  ctx.io.say('What happened? Nothing is written to a tenant before you type its id on the Confirm step.');
  const scenario = await ctx.io.choose('Which procedure do you run?', SCENARIOS.map((s) => ({ label: `${s.title}: ${s.when}`, value: s.id })));
  dispatch(ctx, { type: 'scenarioChosen', scenario });
}

function signatureWords(a: ArchiveInfo): string {
  if (a.signature === 'valid') return 'signature valid';
  return `signature ${a.signature.toUpperCase()}${a.signatureProblem ? ` (${a.signatureProblem})` : ''}`;
}

/** One archive as a choice: everything the listing knows, whole (nothing is cut in plain mode). */
export function archiveChoice(a: ArchiveInfo, archives: readonly ArchiveInfo[]): string {
  const total = Object.values(a.counts).reduce<number>((s, n) => s + (n ?? 0), 0);
  const objects = Object.keys(a.counts).length === 0 ? 'object counts after unlock' : `${formatCount(total)} objects`;
  const newer = newerArchiveOf(archives, a);
  const older = newer ? `, older than the newest of its tenant (${formatTime(newer.takenAt)})` : '';
  return `taken ${formatTime(a.takenAt)}, tenant ${a.tenantId}, ${objects}, ${formatBytes(a.bytes)}, ${signatureWords(a)}${older}; file ${a.path}`;
}

/** Lists the vault (newest first) into the state; false when the listing failed (said). */
async function loadArchives(ctx: PlainCtx): Promise<boolean> {
  ctx.io.say(`Reading the vault ${ctx.vaultDir} (signed manifests only, nothing is decrypted)…`);
  try {
    const list = await ctx.io.wait(ctx.services.listArchives(ctx.vaultDir));
    dispatch(ctx, { type: 'archivesLoaded', archives: [...list].sort((a, b) => (a.takenAt < b.takenAt ? 1 : a.takenAt > b.takenAt ? -1 : 0)) });
    return true;
  } catch (e) {
    sayFailure(ctx, e);
    return false;
  }
}

/** Says why `a` needs a reason (signature, rollback or both) before it can be used. */
function sayOverrideNeeded(ctx: PlainCtx, a: ArchiveInfo, needs: OverrideNeeds): void {
  if (needs.signature) ctx.io.say(`✗ This archive's signature is ${a.signature}: it cannot be used without an override.`);
  if (needs.rollback) ctx.io.say(`✗ It is older than the newest archive of its tenant (${formatTime(needs.rollback.takenAt)}): restoring it is a rollback.`);
  ctx.io.say('An override takes a reason, written to the audit log before the archive is used (one reason covers both).');
}

/** Writes the override(s) the archive needs with the typed reason, then takes it; false when refused or failed (said). */
async function override(ctx: PlainCtx, a: ArchiveInfo, needs: OverrideNeeds, reason: string): Promise<boolean> {
  const overrideRollback = ctx.services.overrideRollback?.bind(ctx.services);
  if (needs.rollback && !overrideRollback) {
    sayError(ctx, { code: 'ROLLBACK', message: 'these services cannot restore an archive older than the newest of its tenant', hint: 'choose the newest archive, or restore with the CLI and --allow-rollback' });
    return false;
  }
  ctx.io.say('Writing the override to the audit log…');
  try {
    // each override is audit-logged by the service before the archive is taken
    if (needs.signature) await ctx.io.wait(ctx.services.overrideSignature(a.path, reason));
    if (needs.rollback && overrideRollback) await ctx.io.wait(overrideRollback(a.path, reason));
  } catch (e) {
    sayFailure(ctx, e);
    return false;
  }
  dispatch(ctx, { type: 'archiveChosen', archive: a, overrideReason: reason });
  return !sayStateError(ctx);
}

export async function archiveStep(ctx: PlainCtx): Promise<void> {
  stepHeading(ctx);
  if (ctx.state.archives === null && !(await loadArchives(ctx))) {
    const again = await ctx.io.choose('Read the vault again?', [{ label: 'Read it again', value: true }, { label: 'Back', value: false }], { default: 0 });
    if (!again) dispatch(ctx, { type: 'back' });
    return;
  }
  const archives = ctx.state.archives ?? [];
  if (archives.length === 0) {
    ctx.io.say(`No archives in ${ctx.vaultDir}. Take one with: entra-vault backup --source F --vault V ...`);
    const again = await ctx.io.choose('Read the vault again?', [{ label: 'Read it again', value: true }, { label: 'Back', value: false }], { default: 0 });
    dispatch(ctx, again ? { type: 'archivesReset' } : { type: 'back' });
    return;
  }
  ctx.io.say(`Archives in ${ctx.vaultDir}, newest first (${archives.length}):`);
  const chosen = ctx.state.archive ? archives.findIndex((a) => a.path === ctx.state.archive!.path) : -1;
  const pre = chosen >= 0 ? chosen : preselectArchive(archives);
  type Pick = ArchiveInfo | typeof BACK | typeof CHANGES;
  const choices: { label: string; value: Pick }[] = [...archives.map((a) => ({ label: archiveChoice(a, archives), value: a as Pick })), { label: 'Back', value: BACK }];
  // issue 18 item 3: last, so the numbers of the archives and of Back stay as they were
  if (ctx.services.changesSince) choices.push({ label: 'What changed since an archive? Compare before choosing (read only)', value: CHANGES });
  if (pre < 0 && tenantsWithValidArchives(archives) > 1) {
    ctx.io.say(`This vault holds signed archives of ${tenantsWithValidArchives(archives)} tenants: none is preselected. Pick the archive of the tenant you are restoring; only a tenant-loss restore may go into another tenant, and you will be asked to confirm both tenants.`);
  }
  const a = await ctx.io.choose('Which archive do you use?', choices, pre >= 0 ? { default: pre } : {});
  if (a === BACK) {
    dispatch(ctx, { type: 'back' });
    return;
  }
  // the step stays Archive: the list is shown again and the operator picks
  if (a === CHANGES) return (await import('./changes.js')).changesSinceStep(ctx, archives);
  const needs = overrideNeeds(ctx.state, a);
  if (!needs.signature && !needs.rollback) {
    dispatch(ctx, { type: 'archiveChosen', archive: a });
    sayStateError(ctx);
    return;
  }
  sayOverrideNeeded(ctx, a, needs);
  const reason = await ctx.io.ask('Why must this archive be used? Type the reason for the audit log, or press Enter alone to choose another:');
  if (reason !== '') await override(ctx, a, needs, reason);
}

export async function unlockStep(ctx: PlainCtx): Promise<void> {
  const s = ctx.state;
  const archivePath = s.mode === 'resume' ? s.journal?.archivePath : s.archive?.path;
  stepHeading(ctx);
  ctx.io.say(`Unlock the archive ${archivePath ?? ''}`);
  if (s.overrideReason) ctx.io.say(`Signature overridden: ${s.overrideReason}`);
  ctx.io.say('The key is checked against the archive header before anything is read; it stays in memory for this session only and is never written or shown.');
  const method = await ctx.io.choose('How do you unlock it?', [
    { label: 'With the age identity file', value: 'identity' as const },
    { label: 'With the passphrase (not shown as you type)', value: 'passphrase' as const },
    { label: 'Back', value: BACK },
  ], { default: 0 });
  if (method === BACK || !archivePath) {
    dispatch(ctx, { type: 'back' });
    return;
  }
  let request: UnlockRequest;
  if (method === 'identity') {
    const identityPath = await ctx.io.ask('What is the path of the age identity file?');
    if (identityPath === '') return sayError(ctx, { code: 'USAGE', message: 'type the path of the age identity file', hint: 'or choose the passphrase' });
    request = { archivePath, identityPath };
  } else {
    const passphrase = await ctx.io.askHidden('What is the passphrase? (it is not shown)');
    if (passphrase.length === 0) return sayError(ctx, { code: 'USAGE', message: 'type the passphrase', hint: 'or choose the identity file' });
    request = { archivePath, passphrase };
  }
  ctx.io.say('Checking the key against the archive header…');
  try {
    await ctx.io.wait(ctx.services.unlock(request));
  } catch (e) {
    return sayFailure(ctx, e);
  }
  ctx.io.say('✓ Unlocked.');
  dispatch(ctx, { type: 'unlocked' });
}
