/** `entra-vault runbook ARCHIVE --scenario S [--target F --identity I] [--out FILE] [--html]`. */
import { writeFile } from 'node:fs/promises';
import { systemClock } from '../../clock.js';
import { VaultError } from '../../errors.js';
import { verifyCustody } from '../../archive/index.js';
import { keyIdHex, parseSignature } from '../../crypto/minisign.js';
import { createGraphClient } from '../../graph/index.js';
import { loadProfile } from '../../profile.js';
import type { Plan, RestoreSelection, ScenarioName } from '../../restore/types.js';
import { runRestore } from '../../ops/restore.js';
import { renderHtml, renderMarkdown } from '../../report/doc.js';
import { lastDrill, objectNames, runbookDoc, SCENARIO_SCRIPTS, type RunbookInput } from '../../report/runbook.js';
import { readScriptHeader, scriptInventory, toolVersion } from '../../ops/procedures.js';
import type { CliIo } from '../io.js';
import { writeLine } from '../io.js';
import { reporterFor } from './common.js';
import { openArchiveForUse, signerFor } from '../../ops/open-archive.js';
import { passphraseOf } from './options.js';

export interface RunbookOpts {
  scenario: ScenarioName;
  target?: string;
  identity?: string;
  passphraseEnv?: string;
  passphrasePrompt?: boolean;
  signer?: string;
  allowRollback?: string;
  vault?: string;
  objects?: string;
  attributes?: string;
  out?: string;
  html?: boolean;
  contact?: string[];
  json?: boolean;
}

function selectionOf(o: RunbookOpts): RestoreSelection | undefined {
  const split = (s: string | undefined) => s?.split(',').map((x) => x.trim()).filter(Boolean);
  const objectIds = split(o.objects);
  const attributes = split(o.attributes);
  if (!objectIds && !attributes) return undefined;
  return { ...(objectIds ? { objectIds } : {}), ...(attributes ? { attributes } : {}) };
}

/** `FILE.md` → `FILE.html`; any other name gets `.html` appended. */
export function htmlPathFor(out: string): string {
  return out.endsWith('.md') ? `${out.slice(0, -3)}.html` : `${out}.html`;
}

/** What a runbook says of its archive, from the custody check (no decryption), and the archive's vault. */
export interface RunbookArchive {
  archive: RunbookInput['archive'];
  vault?: string;
}

/**
 * Checks the archive's custody (signature and hash, no decryption) and returns what the
 * runbook's header names.
 * @throws VaultError the custody errors of the archive (SIGNATURE_*, ARCHIVE_*)
 */
export async function runbookArchive(archive: string, signerPath?: string): Promise<RunbookArchive> {
  const signer = await signerFor(archive, signerPath);
  const custody = await verifyCustody(archive, { signerPublicKey: signer.key });
  const tc = custody.trustedComment;
  return {
    archive: {
      path: archive,
      tenantId: tc.tenantId,
      takenAt: tc.takenAt,
      sequence: tc.sequence,
      manifestSha256: tc.manifestSha256,
      signerKeyId: keyIdHex(parseSignature(custody.signatureText).keyId),
    },
    ...(signer.vault ? { vault: signer.vault } : {}),
  };
}

/** The parts of a runbook an opened archive and its plan give. */
export interface RunbookParts {
  scenario: ScenarioName;
  /** the vault whose last drill the runbook names */
  vault?: string;
  manifest?: RunbookInput['manifest'];
  plan?: Plan;
  names?: Record<string, string>;
  contacts?: string[];
}

/** The runbook of an archive: its custody facts, its plan when there is one, the last drill and the scripts. */
export async function runbookInputOf(a: RunbookArchive, p: RunbookParts): Promise<RunbookInput> {
  const vault = p.vault ?? a.vault;
  const drill = vault ? await lastDrill(vault, p.scenario) : { drill: null, note: 'no vault given (--vault)' };
  return {
    scenario: p.scenario,
    generatedAt: new Date().toISOString(),
    toolVersion: toolVersion(),
    archive: a.archive,
    ...(p.manifest ? { manifest: p.manifest } : {}),
    ...(p.plan ? { plan: p.plan } : {}),
    ...(p.names ? { names: p.names } : {}),
    lastDrill: drill.drill,
    ...(drill.note ? { lastDrillNote: drill.note } : {}),
    scripts: await scriptInventory(),
    procedure: await readScriptHeader(SCENARIO_SCRIPTS[p.scenario]),
    ...(p.contacts?.length ? { contacts: p.contacts } : {}),
  };
}

/** Writes the runbook as Markdown to `out`, and as HTML beside it with `html`; returns the files written. */
export async function writeRunbook(input: RunbookInput, out: string, html: boolean): Promise<string[]> {
  const doc = runbookDoc(input);
  await writeFile(out, renderMarkdown(doc), { mode: 0o644 });
  if (!html) return [out];
  await writeFile(htmlPathFor(out), renderHtml(doc), { mode: 0o644 });
  return [out, htmlPathFor(out)];
}

/** The manifest facts a runbook shows. */
export function runbookManifest(m: NonNullable<RunbookInput['manifest']>): NonNullable<RunbookInput['manifest']> {
  return { initialDomain: m.initialDomain, counts: m.counts, warnings: m.warnings, toolVersion: m.toolVersion };
}

/**
 * Render the runbook. Custody is checked first (no decryption needed); with --identity the
 * manifest is read; with --target the plan is computed (a dry run: zero writes).
 * Writes Markdown to --out (and HTML beside it with --html), else prints to stdout.
 * `plan --runbook-out` writes the same document from the plan it shows (./restore.ts).
 * @throws VaultError USAGE | the custody/open errors of the archive | Graph errors of the live read
 */
export async function runbookCommand(archive: string, o: RunbookOpts, io: CliIo): Promise<number> {
  if (o.target && !o.identity) throw new VaultError('USAGE', 'a runbook with --target needs --identity to read the archive', 'pass --identity identity.txt');
  const custody = await runbookArchive(archive, o.signer);
  let manifest: RunbookInput['manifest'];
  let plan: Plan | undefined;
  let names: Record<string, string> | undefined;
  if (o.identity) {
    const passphrase = await passphraseOf(io, o, o.identity);
    // the vault's rules (rollback, custody) as for plan and restore: src/ops/open-archive.ts
    const opened = await openArchiveForUse({
      archivePath: archive, identityPath: o.identity, via: 'cli',
      ...(passphrase ? { passphrase } : {}), ...(o.signer ? { signer: o.signer } : {}),
      ...(o.allowRollback ? { allowRollback: o.allowRollback } : {}),
    });
    manifest = runbookManifest(opened.manifest);
    if (o.target) {
      const reporter = reporterFor(io, o.json);
      const profile = await loadProfile(o.target);
      names = objectNames(opened.data);
      const graph = await createGraphClient(profile, { reporter, clock: systemClock, env: io.env, ...(io.signal ? { signal: io.signal } : {}) });
      const selection = selectionOf(o);
      const r = await runRestore({
        archive: opened.data,
        archiveMeta: opened.meta,
        graph,
        targetTenantId: profile.tenantId,
        scenario: o.scenario,
        ...(selection ? { selection } : {}),
        dryRun: true,
        journalPath: 'runbook-dry-run.journal',
        reporter,
        clock: systemClock,
      });
      plan = r.plan;
    }
  }
  const input = await runbookInputOf(custody, {
    scenario: o.scenario, ...(o.vault ? { vault: o.vault } : {}),
    ...(manifest ? { manifest } : {}), ...(plan ? { plan } : {}), ...(names ? { names } : {}), ...(o.contact ? { contacts: o.contact } : {}),
  });
  if (o.out) {
    const written = await writeRunbook(input, o.out, Boolean(o.html));
    if (o.json) writeLine(io.stdout, JSON.stringify({ written, operations: plan?.operations.length ?? null, manualSteps: plan?.manualSteps.length ?? null }));
    else writeLine(io.stderr, `runbook written: ${written.join(', ')}`);
  } else {
    const doc = runbookDoc(input);
    io.stdout.write(o.html ? renderHtml(doc) : renderMarkdown(doc));
  }
  return 0;
}
