/** `diff`, `plan` and `restore`: the archive against a live target. */
import { systemClock } from '../../clock.js';
import { VaultError } from '../../errors.js';
import { createGraphClient } from '../../graph/index.js';
import { loadProfile } from '../../profile.js';
import { diffTenant } from '../../restore/diff.js';
import { readLiveState } from '../../restore/live.js';
import { planToJson, renderDiffText, renderPlanText } from '../../restore/render.js';
import type { RestoreSelection } from '../../restore/types.js';
import { planSha256, runRestore } from '../../ops/restore.js';
import { appendAudit, checkArchiveAgainstVault } from '../../vault/index.js';
import type { CliIo } from '../io.js';
import { writeLine } from '../io.js';
import { openForRestore, reporterFor } from './common.js';
import type { RestoreOpts } from './index.js';
import { passphraseFrom } from './options.js';
import { readFile } from 'node:fs/promises';
import { identityToRecipient } from 'age-encryption';
import { loadIdentity } from '../../crypto/index.js';

function selectionOf(o: RestoreOpts): RestoreSelection | undefined {
  const split = (s: string | undefined) => s?.split(',').map((x) => x.trim()).filter(Boolean);
  const objectIds = split(o.objects);
  const attributes = split(o.attributes);
  if (!objectIds && !attributes) return undefined;
  return { ...(objectIds ? { objectIds } : {}), ...(attributes ? { attributes } : {}) };
}

async function prepare(archive: string, o: RestoreOpts, io: CliIo) {
  const reporter = reporterFor(io, o.json);
  const passphrase = passphraseFrom(io.env, o.passphraseEnv);
  const profile = await loadProfile(o.target);
  const { opened, vault } = await openForRestore(archive, o, passphrase);
  try {
    // a vault remembers the newest archive per tenant: an older one needs a logged reason
    if (vault) {
      await checkArchiveAgainstVault(vault, opened.trustedComment, {
        expectedTenantId: opened.manifest.tenantId,
        ...(o.allowRollback ? { allowRollback: { reason: o.allowRollback } } : {}),
      });
    }
    const data = await opened.loadTenantData();
    const meta = { tenantId: opened.manifest.tenantId, takenAt: opened.manifest.takenAt, manifestSha256: opened.manifestSha256 };
    // The interrupt signal goes to the executor, which pauses at an operation boundary;
    // giving it to the Graph client would cut requests in flight.
    const graph = await createGraphClient(profile, { reporter, clock: systemClock, env: io.env });
    return { reporter, passphrase, profile, data, meta, graph, vault };
  } finally {
    await opened.close();
  }
}

export async function diffCommand(archive: string, o: RestoreOpts, io: CliIo): Promise<number> {
  const p = await prepare(archive, o, io);
  const live = await readLiveState(p.graph, { reporter: p.reporter, clock: systemClock, tenantId: p.profile.tenantId });
  const diff = diffTenant(p.data, live);
  if (o.json) writeLine(io.stdout, JSON.stringify(diff));
  else writeLine(io.stdout, renderDiffText(diff, { width: io.stdout.columns ?? 80 }));
  return 0;
}

export async function planCommand(archive: string, o: RestoreOpts, io: CliIo): Promise<number> {
  const p = await prepare(archive, o, io);
  const selection = selectionOf(o);
  const r = await runRestore({
    archive: p.data, archiveMeta: p.meta, graph: p.graph, targetTenantId: p.profile.tenantId, scenario: o.scenario,
    ...(selection ? { selection } : {}), dryRun: true, journalPath: o.journal ?? 'entra-vault-restore.journal', reporter: p.reporter, clock: systemClock,
    ...(o.expectPlan ? { expectPlanSha256: o.expectPlan } : {}),
  });
  if (o.json) writeLine(io.stdout, planToJson(r.plan));
  else {
    writeLine(io.stdout, renderPlanText(r.plan, { width: io.stdout.columns ?? 80 }));
    writeLine(io.stdout, `plan sha256 ${planSha256(r.plan)} (restore --expect-plan refuses any other plan)`);
  }
  return 0;
}

/** The operator's recipient for the credentials file: --operator-recipient, else the identity's own. */
async function operatorRecipient(o: RestoreOpts, passphrase: string | undefined): Promise<string> {
  if (o.operatorRecipient) {
    if (o.operatorRecipient.startsWith('age1')) return o.operatorRecipient;
    return (await readFile(o.operatorRecipient, 'utf8')).split('\n').map((l) => l.trim()).find((l) => l.startsWith('age1')) ?? '';
  }
  const ids = await loadIdentity(o.identity, passphrase);
  const first = ids[0];
  if (!first) throw new VaultError('KEY_INVALID', `no identity in ${o.identity}`);
  return identityToRecipient(first);
}

export async function restoreCommand(archive: string, o: RestoreOpts, io: CliIo): Promise<number> {
  const p = await prepare(archive, o, io);
  const selection = selectionOf(o);
  const dryRun = o.confirm === undefined;
  const recipient = await operatorRecipient(o, p.passphrase);
  const r = await runRestore({
    archive: p.data, archiveMeta: p.meta, graph: p.graph, targetTenantId: p.profile.tenantId, scenario: o.scenario,
    ...(selection ? { selection } : {}), dryRun,
    ...(o.confirm !== undefined ? { confirmTenantId: o.confirm } : {}),
    journalPath: o.journal ?? 'entra-vault-restore.journal',
    // the stored plan is decrypted with the identity itself (its text, never logged)
    ...(o.resume ? { resume: true, resumeIdentity: (await loadIdentity(o.identity, p.passphrase))[0] ?? '' } : {}),
    credentialsRecipient: recipient,
    ...(o.credentialsOut ? { credentialsPath: o.credentialsOut } : {}),
    reporter: p.reporter, clock: systemClock, enableConditionalAccess: Boolean(o.enableCa),
    ...(io.signal ? { signal: io.signal } : {}),
    // the reviewed plan, by hash: a different plan (the target changed) stops before any write
    ...(o.expectPlan ? { expectPlanSha256: o.expectPlan } : {}),
  });
  if (dryRun) {
    if (o.json) writeLine(io.stdout, planToJson(r.plan));
    else {
      writeLine(io.stdout, renderPlanText(r.plan, { width: io.stdout.columns ?? 80 }));
      writeLine(io.stdout, `dry run: nothing was written. To restore, add --confirm ${p.profile.tenantId}`);
    }
    return 0;
  }
  const ex = r.execution;
  const f = r.fidelity;
  if (p.vault) {
    await appendAudit(p.vault, {
      action: 'restore', scenario: o.scenario, tenantId: p.meta.tenantId, targetTenantId: p.profile.tenantId,
      manifestSha256: p.meta.manifestSha256, failures: ex?.failures.length ?? 0, paused: Boolean(ex?.paused),
      objectsExpected: f?.totals.objectsExpected ?? 0, objectsRestored: f?.totals.objectsRestored ?? 0,
    });
  }
  if (o.json) writeLine(io.stdout, JSON.stringify({ execution: ex, fidelity: f, credentialsFile: r.credentialsFile }));
  else {
    if (ex) writeLine(io.stdout, `restore ${ex.paused ? 'PAUSED (resume with --resume)' : 'finished'}: ${ex.failures.length} failures, ${ex.writeCalls} write calls, ${(ex.elapsedMs / 1000).toFixed(1)} s`);
    if (f) writeLine(io.stdout, `fidelity: ${f.totals.objectsRestored}/${f.totals.objectsExpected} objects, ${f.totals.attributesMatching}/${f.totals.attributesExpected} attributes, ${f.totals.relationsRestored}/${f.totals.relationsExpected} relations; ${f.deviations.length} deviations`);
    if (r.credentialsFile) writeLine(io.stdout, `temporary passwords: ${r.credentialsFile} (age-encrypted to the operator)`);
  }
  if (ex?.paused) return 1;
  return ex && ex.failures.length === 0 ? 0 : 1;
}
