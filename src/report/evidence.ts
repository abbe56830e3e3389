/**
 * Drill and restore evidence packs: what an auditor keeps to show that a recovery
 * procedure was tested and worked. A pack is a directory with
 *   evidence.json (+ .minisig)  the facts, stable JSON (sorted keys);
 *   evidence.md   (+ .minisig)  the same facts for people;
 * each signed minisign-compatibly (checkable with the stock `minisign -V`), and one record
 * in the vault's hash-chained audit log naming the pack's SHA-256 — so a pack cannot be
 * swapped for another validly signed one, and a log line cannot be edited unnoticed.
 * Evidence never contains secrets: only counts, timings, hashes, ids and display names.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { VaultError, isVaultError } from '../errors.js';
import type { RestoreTier } from '../catalog/types.js';
import { keyIdHex, parseSignature, signFile, verifySignature, type MinisignPublicKey, type MinisignSecretKey } from '../crypto/minisign.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { scalarText } from '../text.js';
import { appendAudit, AUDIT_LOG } from '../vault/vault.js';
import type { EvidenceEvent } from '../vault/audit-events.js';
import { deviationText, type Deviation, type FidelityReport } from '../restore/fidelity.js';
import type { ManualStep, ScenarioName } from '../restore/types.js';
import type { ScriptHash } from '../ops/procedures.js';
import { renderHtml, renderMarkdown, type Block, type Doc } from './doc.js';
import { stableJson } from '../json.js';

export const EVIDENCE_FORMAT = 'entra-vault-evidence';
export const EVIDENCE_VERSION = 1;
export const EVIDENCE_JSON = 'evidence.json';
export const EVIDENCE_MD = 'evidence.md';

/** Time spent per restore tier (from the executor's TierTiming). */
export interface TierRto {
  tier: RestoreTier;
  ms: number;
  operations: number;
  succeeded: number;
  failed: number;
}

/** What the drill or restore command knows when it finishes. No secrets. */
export interface EvidenceInput {
  kind: 'drill' | 'restore';
  scenario: ScenarioName;
  /** Operator: an explicit option, else $ENTRA_VAULT_OPERATOR, else $USER (see operatorName). */
  who: string;
  /** ISO 8601 UTC. */
  startedAt: string;
  finishedAt: string;
  archive: {
    path: string;
    /** SHA-256 of the .evault file (ciphertext) as used. */
    sha256: string;
    manifestSha256: string;
    /** minisign key id (hex) of the archive's signature. */
    signatureKeyId: string;
    tenantId?: string;
    takenAt?: string;
  };
  target?: { tenantId: string; initialDomain?: string };
  toolVersion: string;
  /** recovery-scripts/ inventory at the time (scriptInventory()). */
  scripts: ScriptHash[];
  /** Recovery time: total wall-clock of the restore, and per tier. */
  rtoMs: number;
  tiers: TierRto[];
  /** Fidelity per type and relation kind, with totals (computeFidelity's result; deviations separately). */
  fidelity: Pick<FidelityReport, 'types' | 'relations' | 'totals'>;
  deviations: Deviation[];
  manualSteps: ManualStep[];
  result: 'pass' | 'fail';
  /** Free-form one-line notes (drill parameters, faults injected). */
  notes?: string[];
  /** Drill parameters, when kind is 'drill'. */
  drill?: { users: number; seed: number; faults?: string };
}

/** The signed evidence.json: the input plus the format header. */
export interface EvidenceDocument extends EvidenceInput {
  format: typeof EVIDENCE_FORMAT;
  version: typeof EVIDENCE_VERSION;
  /** Derived: finishedAt − archive.takenAt, i.e. the data a recovery from this archive would lose. */
  rpoMs: number | null;
}

export interface EvidencePackResult {
  dir: string;
  jsonPath: string;
  markdownPath: string;
  htmlPath: string;
  sha256: string;
  markdownSha256: string;
  signingKeyId: string;
  /** The audit record appended (when a vault was given). */
  auditAt?: string;
}

/** The operator's name for evidence: explicit option, $ENTRA_VAULT_OPERATOR, $USER, or 'unknown'. */
export function operatorName(env: Record<string, string | undefined>, explicit?: string): string {
  const v = explicit ?? env.ENTRA_VAULT_OPERATOR ?? env.USER ?? env.LOGNAME;
  return v !== undefined && v.trim() !== '' ? v : 'unknown';
}

/** SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}


export { stableJson };

function pct(n: number, d: number): string {
  return d === 0 ? '100.0 %' : `${((100 * n) / d).toFixed(1)} %`;
}

function dur(ms: number | null): string {
  if (ms === null) return 'unknown';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  const m = s / 60;
  if (m < 120) return `${m.toFixed(1)} min`;
  return `${(m / 60).toFixed(1)} h`;
}

/** The evidence as a document (Markdown/HTML). Pure. */
export function evidenceDoc(e: EvidenceDocument): Doc {
  const blocks: Block[] = [];
  blocks.push({
    kind: 'fields',
    fields: [
      ['Result', e.result.toUpperCase()],
      ['Kind', e.kind],
      ['Scenario', e.scenario],
      ['Operator', e.who],
      ['Started', e.startedAt],
      ['Finished', e.finishedAt],
      ['Recovery time (RTO achieved)', dur(e.rtoMs)],
      ['Archive age at finish (RPO exposure)', dur(e.rpoMs)],
      ['Tool version', e.toolVersion],
      ...(e.target ? ([['Target tenant', `${e.target.tenantId}${e.target.initialDomain ? ` (${e.target.initialDomain})` : ''}`]] as [string, string][]) : []),
      ...(e.drill ? ([['Drill', `${e.drill.users} users, seed ${e.drill.seed}${e.drill.faults ? `, faults ${e.drill.faults}` : ''}`]] as [string, string][]) : []),
    ],
  });
  blocks.push({ kind: 'heading', level: 1, text: 'Archive' });
  blocks.push({
    kind: 'fields',
    fields: [
      ['File', e.archive.path],
      ['SHA-256', e.archive.sha256],
      ['Manifest SHA-256', e.archive.manifestSha256],
      ['Signing key id', e.archive.signatureKeyId],
      ['Tenant', e.archive.tenantId ?? 'unknown'],
      ['Taken at', e.archive.takenAt ?? 'unknown'],
    ],
  });
  blocks.push({ kind: 'heading', level: 1, text: 'Recovery time per tier' });
  blocks.push({
    kind: 'table',
    head: ['Tier', 'Operations', 'Succeeded', 'Failed', 'Time'],
    rows: [...e.tiers].sort((a, b) => a.tier - b.tier).map((t) => [String(t.tier), String(t.operations), String(t.succeeded), String(t.failed), dur(t.ms)]),
  });
  const tot = e.fidelity.totals;
  blocks.push({ kind: 'heading', level: 1, text: 'Fidelity' });
  blocks.push({
    kind: 'para',
    text: `Objects ${tot.objectsRestored}/${tot.objectsExpected} (${pct(tot.objectsRestored, tot.objectsExpected)}), attributes ${tot.attributesMatching}/${tot.attributesExpected} (${pct(tot.attributesMatching, tot.attributesExpected)}), relations ${tot.relationsRestored}/${tot.relationsExpected} (${pct(tot.relationsRestored, tot.relationsExpected)}).`,
  });
  blocks.push({
    kind: 'table',
    head: ['Type', 'Objects', 'Attributes'],
    rows: [...e.fidelity.types].sort((a, b) => (a.type < b.type ? -1 : 1)).map((t) => [t.type, `${t.objectsRestored}/${t.objectsExpected}`, `${t.attributesMatching}/${t.attributesExpected}`]),
  });
  if (e.fidelity.relations.length) {
    blocks.push({
      kind: 'table',
      head: ['Relation', 'Restored'],
      rows: [...e.fidelity.relations].sort((a, b) => (a.kind < b.kind ? -1 : 1)).map((r) => [r.kind, `${r.restored}/${r.expected}`]),
    });
  }
  blocks.push({ kind: 'heading', level: 1, text: `Deviations (${e.deviations.length})` });
  blocks.push({
    kind: 'list',
    items: e.deviations.map((d) => `${d.what}: ${[d.type ?? d.relation ?? '', d.displayName ?? '', d.archivedId ? `(${d.archivedId})` : '', d.property ? `property ${d.property}` : ''].filter((x) => x).join(' ')} — ${deviationText(d)}`),
  });
  blocks.push({ kind: 'heading', level: 1, text: `Manual steps (${e.manualSteps.length})` });
  blocks.push({ kind: 'list', ordered: true, items: e.manualSteps.map((s) => `${s.title} — ${s.instructions}${s.objects.length ? ` (objects: ${s.objects.length})` : ''}`) });
  if (e.notes?.length) {
    blocks.push({ kind: 'heading', level: 1, text: 'Notes' });
    blocks.push({ kind: 'list', items: e.notes });
  }
  blocks.push({ kind: 'heading', level: 1, text: 'Procedure scripts used (SHA-256)' });
  blocks.push({ kind: 'table', head: ['Script', 'SHA-256'], rows: e.scripts.map((s) => [s.path, s.sha256]) });
  blocks.push({ kind: 'heading', level: 1, text: 'How to check this pack' });
  blocks.push({
    kind: 'code',
    text: 'entra-vault audit verify --vault VAULT --evidence THIS_DIRECTORY\nminisign -V -p signing.pub -m evidence.json\nminisign -V -p signing.pub -m evidence.md',
  });
  return { title: `Recovery ${e.kind} evidence — ${e.scenario} — ${e.result.toUpperCase()}`, blocks };
}

function trustedCommentFor(doc: Pick<EvidenceDocument, 'kind' | 'scenario' | 'result'>, file: string, sha256: string): string {
  return `entra-vault-evidence v1 kind=${doc.kind} scenario=${doc.scenario} result=${doc.result} file=${file} sha256=${sha256}`;
}

const TC_RE = /^entra-vault-evidence v1 kind=(drill|restore) scenario=([a-z-]+) result=(pass|fail) file=(evidence\.json|evidence\.md) sha256=([0-9a-f]{64})$/;

function checkInput(input: EvidenceInput): void {
  const bad = (what: string) => new VaultError('USAGE', `evidence input is invalid: ${what}`);
  if (input.kind !== 'drill' && input.kind !== 'restore') throw bad('kind');
  if (input.result !== 'pass' && input.result !== 'fail') throw bad('result');
  if (!/^[a-z-]+$/.test(input.scenario)) throw bad('scenario');
  for (const t of [input.startedAt, input.finishedAt]) if (Number.isNaN(Date.parse(t))) throw bad('startedAt/finishedAt must be ISO 8601');
  if (!/^[0-9a-f]{64}$/.test(input.archive.sha256) || !/^[0-9a-f]{64}$/.test(input.archive.manifestSha256)) throw bad('archive hashes');
  if (!Number.isFinite(input.rtoMs) || input.rtoMs < 0) throw bad('rtoMs');
}

/**
 * Write an evidence pack into `dir` (created if missing): evidence.json, evidence.md and
 * evidence.html, the first two signed with `signingKey` (.minisig, minisign format); then,
 * with `vault`, append an `evidence.<kind>` record to the vault's audit log carrying the
 * pack's hashes, result, RTO (total and per tier) and fidelity totals.
 * @throws VaultError FILE_EXISTS (a pack is already in dir: evidence is never overwritten) |
 *   USAGE (invalid input). Never writes secrets; never prints.
 */
export async function writeEvidencePack(
  dir: string,
  input: EvidenceInput,
  opts: { signingKey: MinisignSecretKey; vault?: string },
): Promise<EvidencePackResult> {
  checkInput(input);
  await mkdir(dir, { recursive: true, mode: 0o750 });
  const jsonPath = join(dir, EVIDENCE_JSON);
  const markdownPath = join(dir, EVIDENCE_MD);
  const htmlPath = join(dir, 'evidence.html');
  for (const p of [jsonPath, `${jsonPath}.minisig`, markdownPath, `${markdownPath}.minisig`]) {
    try {
      await stat(p);
      throw new VaultError('FILE_EXISTS', `an evidence pack is already in ${dir}`, 'evidence is never overwritten; write the pack into a new directory');
    } catch (e) {
      if (isVaultError(e)) throw e;
    }
  }
  const takenAt = input.archive.takenAt !== undefined ? Date.parse(input.archive.takenAt) : Number.NaN;
  const doc: EvidenceDocument = {
    ...input,
    format: EVIDENCE_FORMAT,
    version: EVIDENCE_VERSION,
    rpoMs: Number.isNaN(takenAt) ? null : Math.max(0, Date.parse(input.finishedAt) - takenAt),
  };
  const json = stableJson(doc);
  const md = renderMarkdown(evidenceDoc(doc));
  const html = renderHtml(evidenceDoc(doc));
  const sha256 = createHash('sha256').update(json).digest('hex');
  const markdownSha256 = createHash('sha256').update(md).digest('hex');
  const jsonSig = await signFile(opts.signingKey, Buffer.from(json), trustedCommentFor(doc, EVIDENCE_JSON, sha256), 'entra-vault evidence signature');
  const mdSig = await signFile(opts.signingKey, Buffer.from(md), trustedCommentFor(doc, EVIDENCE_MD, markdownSha256), 'entra-vault evidence signature');
  // Data first, signatures last: a signature never refers to a file that is not complete.
  await writeFileAtomic(jsonPath, json, 0o644);
  await writeFileAtomic(markdownPath, md, 0o644);
  await writeFileAtomic(htmlPath, html, 0o644, true);
  await writeFileAtomic(`${jsonPath}.minisig`, jsonSig, 0o644);
  await writeFileAtomic(`${markdownPath}.minisig`, mdSig, 0o644);
  const signingKeyId = keyIdHex(opts.signingKey.keyId);
  const result: EvidencePackResult = { dir, jsonPath, markdownPath, htmlPath, sha256, markdownSha256, signingKeyId };
  if (opts.vault !== undefined) {
    const rec = await appendAudit(opts.vault, { ...auditFields(doc, sha256, markdownSha256), action: `evidence.${doc.kind}`, signingKeyId, pack: resolve(dir) });
    result.auditAt = rec.at;
  }
  return result;
}

/** The audit record's facts, all derived from the signed document (so they can be re-checked). */
function auditFields(doc: EvidenceDocument, sha256: string, markdownSha256: string): Omit<EvidenceEvent, 'signingKeyId' | 'pack'> {
  const t = doc.fidelity.totals;
  const tierFields: Record<`rtoMsTier${number}`, number> = {};
  for (const tr of doc.tiers) tierFields[`rtoMsTier${tr.tier}`] = Math.round(tr.ms);
  return {
    action: `evidence.${doc.kind}`,
    scenario: doc.scenario,
    result: doc.result,
    who: doc.who,
    startedAt: doc.startedAt,
    finishedAt: doc.finishedAt,
    rtoMs: Math.round(doc.rtoMs),
    rpoMs: doc.rpoMs,
    ...tierFields,
    objectsExpected: t.objectsExpected,
    objectsRestored: t.objectsRestored,
    attributesExpected: t.attributesExpected,
    attributesMatching: t.attributesMatching,
    relationsExpected: t.relationsExpected,
    relationsRestored: t.relationsRestored,
    deviations: doc.deviations.length,
    manualSteps: doc.manualSteps.length,
    tenantId: doc.archive.tenantId ?? null,
    archiveSha256: doc.archive.sha256,
    archiveManifestSha256: doc.archive.manifestSha256,
    evidenceSha256: sha256,
    evidenceMdSha256: markdownSha256,
  };
}

export interface EvidenceVerification {
  dir: string;
  kind: 'drill' | 'restore';
  scenario: ScenarioName;
  result: 'pass' | 'fail';
  who: string;
  finishedAt: string;
  rtoMs: number;
  sha256: string;
  signingKeyId: string;
  /** The audit record naming this pack (when a vault was given). */
  recorded?: { line: number; at: string };
  /** Scripts whose current SHA-256 differs from the one recorded (informational). */
  scriptsChanged?: string[];
}

function invalid(dir: string, why: string, cause?: unknown): VaultError {
  return new VaultError('EVIDENCE_INVALID', `evidence pack ${dir}: ${why}`, 'keep this copy as evidence and investigate; re-run the drill for a new pack', cause ? { cause } : undefined);
}

async function readOr(dir: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch {
    throw invalid(dir, `missing ${path.slice(dir.length + 1) || path}`);
  }
}

/**
 * Verify an evidence pack: both signatures (by any of the given public keys), their
 * trusted comments (file name and SHA-256), the JSON's format, and — with `vault` — that
 * the vault's audit log holds the record of exactly this pack (its SHA-256). With
 * `currentScripts`, lists scripts changed since (informational, not a failure).
 * @throws VaultError EVIDENCE_INVALID (one line naming what is wrong). Never writes.
 */
export async function verifyEvidencePack(
  dir: string,
  opts: { signerPublicKey: MinisignPublicKey | MinisignPublicKey[]; vault?: string; currentScripts?: ScriptHash[] },
): Promise<EvidenceVerification> {
  const keys = Array.isArray(opts.signerPublicKey) ? opts.signerPublicKey : [opts.signerPublicKey];
  const json = await readOr(dir, join(dir, EVIDENCE_JSON));
  const md = await readOr(dir, join(dir, EVIDENCE_MD));
  const jsonSig = (await readOr(dir, join(dir, `${EVIDENCE_JSON}.minisig`))).toString('utf8');
  const mdSig = (await readOr(dir, join(dir, `${EVIDENCE_MD}.minisig`))).toString('utf8');
  let signingKeyId = '';
  for (const [file, data, sig] of [
    [EVIDENCE_JSON, json, jsonSig],
    [EVIDENCE_MD, md, mdSig],
  ] as const) {
    let tc: string | undefined;
    let last: unknown;
    for (const k of keys) {
      try {
        tc = await verifySignature(k, data, sig);
        signingKeyId = keyIdHex(k.keyId);
        break;
      } catch (e) {
        last = e;
      }
    }
    if (tc === undefined) throw invalid(dir, `${file}: ${last instanceof Error ? last.message : 'signature does not verify'}`, last);
    const m = TC_RE.exec(tc);
    const sha = createHash('sha256').update(data).digest('hex');
    if (!m || m[4] !== file || m[5] !== sha) throw invalid(dir, `${file}: the signed trusted comment does not name this file and its SHA-256`);
  }
  let doc: EvidenceDocument;
  try {
    doc = JSON.parse(json.toString('utf8')) as EvidenceDocument;
  } catch (e) {
    throw invalid(dir, 'evidence.json is not JSON', e);
  }
  if (doc.format !== EVIDENCE_FORMAT || doc.version !== EVIDENCE_VERSION) throw invalid(dir, 'evidence.json is not an entra-vault evidence v1 document');
  const jsonTc = TC_RE.exec(parseSignature(jsonSig).trustedComment)!;
  if (jsonTc[1] !== doc.kind || jsonTc[2] !== doc.scenario || jsonTc[3] !== doc.result) throw invalid(dir, 'signed kind/scenario/result differ from evidence.json');
  const sha256 = createHash('sha256').update(json).digest('hex');
  const out: EvidenceVerification = {
    dir,
    kind: doc.kind,
    scenario: doc.scenario,
    result: doc.result,
    who: doc.who,
    finishedAt: doc.finishedAt,
    rtoMs: doc.rtoMs,
    sha256,
    signingKeyId,
  };
  if (opts.vault !== undefined) {
    let text: string;
    try {
      text = await readFile(join(opts.vault, AUDIT_LOG), 'utf8');
    } catch {
      throw invalid(dir, 'the vault has no audit log to record it');
    }
    const lines = text.split('\n');
    let found: { line: number; at: string; rec: Record<string, unknown> } | undefined;
    lines.forEach((l, i) => {
      if (found || l === '') return;
      try {
        const r = JSON.parse(l) as Record<string, unknown>;
        if (r.action === `evidence.${doc.kind}` && r.evidenceSha256 === sha256) found = { line: i + 1, at: scalarText(r.at), rec: r };
      } catch {
        // a malformed line is the chain check's finding, not this one's
      }
    });
    if (!found) throw invalid(dir, 'no audit-log record names this pack\'s SHA-256 (substituted or never recorded)');
    // A hash chain cannot protect its newest line (nothing after it hashes it): the signed
    // pack anchors the record instead — every fact the record repeats must match it.
    const expected = auditFields(doc, sha256, createHash('sha256').update(md).digest('hex'));
    for (const [k, v] of Object.entries(expected)) {
      if (found.rec[k] !== v) throw invalid(dir, `audit-log line ${found.line} differs from the signed evidence in ${k}`);
    }
    out.recorded = { line: found.line, at: found.at };
  }
  if (opts.currentScripts) {
    const now = new Map(opts.currentScripts.map((s) => [s.path, s.sha256]));
    out.scriptsChanged = (doc.scripts ?? []).filter((s) => now.get(s.path) !== s.sha256).map((s) => s.path);
  }
  return out;
}
