/** `diff`, `plan` and `restore`: the archive against a live target. */
import { writeFile } from 'node:fs/promises';
import { systemClock } from '../../clock.js';
import { checkRecoveryApps, createGraphClientForApps } from '../../graph/index.js';
import { visibleText } from '../../text.js';
import { loadProfile } from '../../profile.js';
import { diffTenant } from '../../restore/diff.js';
import { readLiveState } from '../../restore/live.js';
import { renderDiffText, renderPlanText } from '../../restore/render.js';
import type { RestoreSelection } from '../../restore/types.js';
import { entryPointOf, operatorKeys, planSha256, restoreAndAudit, restoreComplete, runRestore } from '../../ops/restore.js';
import { openArchiveForUse } from '../../ops/open-archive.js';
import { HeldArchive } from '../../archive/held.js';
import type { CliIo } from '../io.js';
import { writeJsonLine, writeLine, writeStableJson } from '../io.js';
import { reporterFor } from './common.js';
import type { DiffOpts, RestoreOpts } from './index.js';
import { VaultError } from '../../errors.js';
import { memMark } from '../../mem-probe.js';
import { JsonListOf } from '../../json-stream.js';
import type { ExecutionResult } from '../../restore/execute/executor.js';
import { GRAPH_CONCURRENCY } from '../../graph/transport.js';
import { passphraseOf, targetsOf } from './options.js';
import { runbookArchive, runbookInputOf, runbookManifest, writeRunbook } from './runbook.js';
import { objectNames } from '../../report/runbook.js';

function selectionOf(o: RestoreOpts): RestoreSelection | undefined {
  const split = (s: string | undefined) => s?.split(',').map((x) => x.trim()).filter(Boolean);
  const objectIds = split(o.objects);
  const attributes = split(o.attributes);
  if (!objectIds && !attributes) return undefined;
  return { ...(objectIds ? { objectIds } : {}), ...(attributes ? { attributes } : {}) };
}

/** Opens the archive under the vault's rules (src/ops/open-archive.ts) and connects to the target. */
async function prepare(archive: string, o: RestoreOpts, io: CliIo) {
  const reporter = reporterFor(io, o.json);
  const passphrase = await passphraseOf(io, o, o.identity);
  // several --target: recovery apps of one tenant, each with its own quota (src/graph/shard.ts)
  const profiles = await Promise.all(targetsOf(o.target).map((t) => loadProfile(t)));
  // before the archive is opened: profiles of different tenants stop here (TARGET_TENANTS_DIFFER)
  const profile = checkRecoveryApps(profiles);
  // a mark before the archive is read: in the CLI it caps the heap's growth from here on
  // (src/cli/mem-log.ts), where the read's own growth was V8's, up to 1.5-2x what it held at 100k
  memMark('open');
  const { data, meta, manifest, vault } = await openArchiveForUse({
    archivePath: archive, identityPath: o.identity, via: entryPointOf(io.env),
    ...(passphrase ? { passphrase } : {}),
    ...(o.signer ? { signer: o.signer } : {}),
    ...(o.allowBadSignature ? { allowBadSignature: o.allowBadSignature } : {}),
    ...(o.allowRollback ? { allowRollback: o.allowRollback } : {}),
  });
  memMark('archive');
  // a first Ctrl-C or SIGTERM while the archive was opened: stop here, before the target is
  // contacted (it used to go on and fail there, with Graph's exit code instead of 130)
  if (io.signal?.aborted) throw new VaultError('INTERRUPTED', 'interrupted while the archive was opened: nothing was read from the target or written', 'run the command again');
  // The interrupt signal goes to the executor, which pauses at an operation boundary;
  // giving it to the Graph client would cut requests in flight.
  const graph = await createGraphClientForApps(profiles, { reporter, clock: systemClock, env: io.env, ...(o.concurrency ? { concurrency: Math.min(o.concurrency, GRAPH_CONCURRENCY) } : {}) });
  // owned: a writing restore sets the archive aside while its plan runs (src/archive/held.ts)
  return { reporter, passphrase, profile, archive: HeldArchive.owning(data), meta, manifest, graph, vault };
}

/** `diff ARCHIVE --target F` (archive ↔ live, exit 0), or `diff A B` (./diff-archives.ts). */
export async function diffCommand(archive: string, archiveB: string | undefined, o: DiffOpts, io: CliIo): Promise<number> {
  if (archiveB !== undefined) return (await import('./diff-archives.js')).diffArchivesCommand(archive, archiveB, o, io);
  if (!o.target) throw new VaultError('USAGE', "required option '--target <profile>' not specified", 'pass --target PROFILE, or a second archive to compare two archives');
  if (o.markdown || o.allowDifferentTenants) throw new VaultError('USAGE', '--markdown and --allow-different-tenants need two archives', 'give a second archive, or drop them');
  const p = await prepare(archive, { ...o, target: o.target }, io);
  const live = await readLiveState(p.graph, { reporter: p.reporter, clock: systemClock, tenantId: p.profile.tenantId });
  const diff = diffTenant(p.archive.get(), live);
  if (o.json) writeLine(io.stdout, JSON.stringify(diff));
  else writeLine(io.stdout, renderDiffText(diff, { width: io.stdout.columns ?? 80 }));
  return 0;
}

/**
 * `plan`: the restore plan, nothing written. `--text-out`, `--diff-out` and `--runbook-out`
 * write the text form, the archive-against-target diff (as `diff --json` prints it) and the
 * runbook of the same plan: one read of the target for all of them, so the runbook an operator
 * follows and the diff they compare with describe the plan they review, and a tenant is read
 * once instead of three times (the recovery scripts' steps 2-4, recovery-scripts/lib/restore-flow.sh).
 * @throws VaultError USAGE (--runbook-out with --allow-bad-signature: a runbook names a valid
 *   signature) | PLAN_CHANGED (nothing is written then) | the errors of `prepare` and the live read
 */
export async function planCommand(archive: string, o: RestoreOpts, io: CliIo): Promise<number> {
  if (o.runbookOut !== undefined && o.allowBadSignature) throw new VaultError('USAGE', 'a runbook names the archive\'s valid signature: --runbook-out cannot go with --allow-bad-signature', 'write the plan without --runbook-out, or restore a signed archive');
  if ((o.runbookHtml || o.contact) && o.runbookOut === undefined) throw new VaultError('USAGE', '--runbook-html and --contact go with --runbook-out', 'add --runbook-out FILE');
  // the runbook's custody facts, checked before the archive is opened (as `runbook` does)
  const custody = o.runbookOut !== undefined ? await runbookArchive(archive, o.signer) : undefined;
  const p = await prepare(archive, o, io);
  const selection = selectionOf(o);
  const r = await runRestore({
    archive: p.archive, archiveMeta: p.meta, graph: p.graph, targetTenantId: p.profile.tenantId, scenario: o.scenario,
    ...(selection ? { selection } : {}), dryRun: true, journalPath: o.journal ?? 'entra-vault-restore.journal', reporter: p.reporter, clock: systemClock,
    ...(o.expectPlan ? { expectPlanSha256: o.expectPlan } : {}),
  });
  const text = (width: number) => `${renderPlanText(r.plan, { width })}\nplan sha256 ${planSha256(r.plan)} (restore --expect-plan refuses any other plan)`;
  // the reviewed text and the hashed JSON of ONE plan: two runs could read a target that changed between them
  if (o.textOut !== undefined) await writeFile(o.textOut, `${text(80)}\n`, { mode: 0o644 });
  // a dry run reads every type of the target (src/ops/restore-pipeline.ts), as `diff` does
  if (o.diffOut !== undefined) await writeFile(o.diffOut, `${JSON.stringify(diffTenant(p.archive.load(), r.liveBefore))}\n`, { mode: 0o644 });
  if (custody && o.runbookOut !== undefined) {
    const input = await runbookInputOf(custody, {
      scenario: o.scenario, ...(p.vault ? { vault: p.vault } : {}), manifest: runbookManifest(p.manifest), plan: r.plan,
      names: objectNames(p.archive.load()), ...(o.contact ? { contacts: o.contact } : {}),
    });
    await writeRunbook(input, o.runbookOut, Boolean(o.runbookHtml));
  }
  if (o.json) await writeStableJson(io.stdout, r.plan);
  else writeLine(io.stdout, text(io.stdout.columns ?? 80));
  return 0;
}

/**
 * The execution as `restore --json` writes it: the outcomes the verify left set aside are streamed
 * from there where the list stands (the same JSON as the list's; src/json-stream.ts JsonListOf).
 */
function jsonExecution(ex: ExecutionResult): unknown {
  const { outcomesAside, ...rest } = ex;
  return outcomesAside ? { ...rest, outcomes: new JsonListOf(() => outcomesAside.each()) } : ex;
}

export async function restoreCommand(archive: string, o: RestoreOpts, io: CliIo): Promise<number> {
  const p = await prepare(archive, o, io);
  const selection = selectionOf(o);
  const dryRun = o.confirm === undefined;
  // the identity is decrypted once, and only when the run writes (a resume writes)
  const keys = await operatorKeys({
    identityPath: o.identity, ...(p.passphrase ? { passphrase: p.passphrase } : {}),
    ...(o.operatorRecipient ? { recipient: o.operatorRecipient } : {}), dryRun,
  });
  const r = await restoreAndAudit({
    via: entryPointOf(io.env), ...(p.vault ? { vault: p.vault } : {}),
    archive: p.archive, archiveMeta: p.meta, graph: p.graph, targetTenantId: p.profile.tenantId, scenario: o.scenario,
    ...(selection ? { selection } : {}), dryRun,
    ...(o.confirm !== undefined ? { confirmTenantId: o.confirm } : {}),
    journalPath: o.journal ?? 'entra-vault-restore.journal',
    // the stored plan is decrypted with the identity itself (its text, never logged)
    ...(o.resume ? { resume: true } : {}), ...keys,
    ...(o.credentialsOut ? { credentialsPath: o.credentialsOut } : {}),
    ...(o.concurrency ? { concurrency: o.concurrency } : {}),
    reporter: p.reporter, clock: systemClock, enableConditionalAccess: Boolean(o.enableCa),
    ...(io.signal ? { signal: io.signal } : {}),
    // the reviewed plan, by hash: a different plan (the target changed) stops before any write
    ...(o.expectPlan ? { expectPlanSha256: o.expectPlan } : {}),
    // read by nothing here but the JSON below, which streams them (src/ops/restore-pipeline.ts)
    keepOutcomesAside: true,
  });
  if (dryRun) {
    if (o.json) await writeStableJson(io.stdout, r.plan);
    else {
      writeLine(io.stdout, renderPlanText(r.plan, { width: io.stdout.columns ?? 80 }));
      writeLine(io.stdout, `dry run: nothing was written. To restore, add --confirm ${p.profile.tenantId}`);
    }
    return 0;
  }
  const ex = r.execution;
  const f = r.fidelity;
  if (o.json) await writeJsonLine(io.stdout, { execution: ex && jsonExecution(ex), fidelity: f, credentialsFile: r.credentialsFile, timings: r.timings });
  else {
    if (ex) writeLine(io.stdout, `restore ${ex.paused ? 'PAUSED (resume with --resume)' : 'finished'}: ${ex.failures.length} failures, ${ex.writeCalls} write calls, ${(ex.elapsedMs / 1000).toFixed(1)} s`);
    if (ex?.pauseReason) writeLine(io.stdout, `paused because Graph kept throttling past the retry deadline: ${visibleText(ex.pauseReason)}`);
    if (f) writeLine(io.stdout, `fidelity: ${f.totals.objectsRestored}/${f.totals.objectsExpected} objects, ${f.totals.attributesMatching}/${f.totals.attributesExpected} attributes, ${f.totals.relationsRestored}/${f.totals.relationsExpected} relations; ${f.deviations.length} deviations`);
    if (r.credentialsFile) writeLine(io.stdout, `temporary passwords: ${r.credentialsFile} (age-encrypted to the operator)`);
  }
  memMark('result');
  // README exit codes: 1 when anything in scope was not restored (deviations included).
  return restoreComplete(r) ? 0 : 1;
}
