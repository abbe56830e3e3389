/**
 * What the wizard hands the recovery scripts and reads back from them: the script of each
 * scenario, its argument array, and the custody check's result (docs/audit-log.md, JSON lines).
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { VaultError } from '../src/errors.js';
import type { ExecutionResult } from '../src/restore/execute/executor.js';
import type { FidelityReport } from '../src/restore/fidelity.js';
import type { RestoreSelection, ScenarioName } from '../src/restore/types.js';
import { errorOfStderr, type ProcedureRun } from './script-runner.js';
import type { VerifyArchiveResult } from './services.js';

/** The recovery script of each restore scenario (their USAGE headers: recovery-scripts/*.sh). */
export const RESTORE_SCRIPTS: Record<ScenarioName, string> = {
  'tenant-loss': '40-recover-tenant-loss.sh',
  'all-admins-deleted': '30-recover-all-admins-deleted.sh',
  objects: '50-restore-objects.sh',
  attributes: '51-restore-attributes.sh',
};
export const CUSTODY_SCRIPT = '20-vault-custody-check.sh';

/** What a restore script is given. Secrets are not among them: a passphrase goes by env NAME. */
export interface RestoreScriptInput {
  archivePath: string;
  profilePath: string;
  identityPath: string;
  outDir: string;
  vault?: string;
  confirmTenantId?: string;
  expectPlanSha256?: string;
  resume?: boolean;
  selection?: RestoreSelection;
  /** Name of the environment variable holding the identity passphrase, if there is one. */
  passphraseEnv?: string;
  enableCa: boolean;
  /** Operator text (not a secret) accepting an archive older than the newest of its tenant. */
  allowRollbackReason?: string;
}

/** The argument array for 30/40/50/51 (lib/restore-flow.sh's options). Pure. */
export function restoreScriptArgs(i: RestoreScriptInput): string[] {
  const args = ['--archive', i.archivePath, '--target', i.profilePath, '--identity', i.identityPath, '--out', i.outDir];
  if (i.vault) args.push('--vault', i.vault);
  if (i.passphraseEnv) args.push('--passphrase-env', i.passphraseEnv);
  if (i.selection?.objectIds?.length) args.push('--objects', i.selection.objectIds.join(','));
  if (i.selection?.attributes?.length) args.push('--attributes', i.selection.attributes.join(','));
  if (i.enableCa) args.push('--enable-ca');
  // one argv element, passed literally (execa, no shell): quotes, $ and ; in it stay text
  if (i.allowRollbackReason) args.push('--allow-rollback', i.allowRollbackReason);
  if (i.expectPlanSha256) args.push('--expect-plan', i.expectPlanSha256);
  if (i.resume) args.push('--resume');
  if (i.confirmTenantId !== undefined) args.push('--confirm', i.confirmTenantId);
  return args;
}

/** The result document `restore --json` writes (src/cli/commands/restore.ts), or its error. */
export interface RestoreResultFile {
  execution?: ExecutionResult;
  fidelity?: FidelityReport;
  credentialsFile?: string;
  error?: string;
  message?: string;
  hint?: string;
}

/** What `vault verify --json` writes (src/vault verifyVault), as far as the wizard reads it. */
export interface VaultCheck {
  ok: boolean;
  audit: { ok: boolean; lines: number; error?: string };
  archives: { file: string; tenantId: string; takenAt?: string; signature: 'valid' | 'invalid' | 'missing'; error?: string; bytes: number; report?: { entriesChecked: number; entriesTotal: number } }[];
}

/**
 * The wizard's result for one archive from the custody check's JSON and exit code: that
 * archive's signature and re-hash (`ok`, `problems`), and apart from them every other problem
 * the check found in the vault (audit chain, other archives by name: `elsewhere`), so another
 * archive's failure is reported as that archive's and never blamed on the chosen one. A failed
 * check that names no problem is counted against the chosen archive: nothing shows it passed.
 */
export function custodyResult(archivePath: string, checked: VaultCheck | undefined, run: { exitCode: number; stderr: string; script: string }): VerifyArchiveResult {
  const problems: string[] = [];
  const mine = checked?.archives.find((a) => resolve(a.file) === resolve(archivePath));
  if (!checked) problems.push(`${run.script} wrote no archive results`);
  else if (!mine) problems.push('the archive is not in the vault listing');
  if (mine?.error) problems.push(`signature ${mine.signature}: ${mine.error}`);
  else if (mine && mine.signature !== 'valid') problems.push(`signature ${mine.signature}`);
  const elsewhere: string[] = [];
  if (checked && !checked.audit.ok) elsewhere.push(`audit log: ${checked.audit.error ?? 'chain broken'}`);
  for (const a of checked?.archives ?? []) {
    if (a !== mine && (a.signature !== 'valid' || a.error)) elsewhere.push(`archive ${basename(a.file)} of tenant ${a.tenantId}: signature ${a.signature}${a.error ? ` (${a.error})` : ''}`);
  }
  if (run.exitCode !== 0 && problems.length === 0 && elsewhere.length === 0) {
    const e = errorOfStderr(run.stderr);
    problems.push(e ? `${e.code}: ${e.message}` : `${run.script} exited with ${run.exitCode}`);
  }
  return {
    archivePath,
    ok: problems.length === 0,
    signature: mine?.signature ?? 'invalid',
    entries: mine?.report?.entriesChecked ?? 0,
    bytes: mine?.bytes ?? 0,
    problems,
    ...(elsewhere.length > 0 ? { elsewhere } : {}),
  };
}

/** A JSON file a script wrote, or undefined when missing or unreadable. */
export async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** A failed script run as the operator's error: the CLI's own error line, else the exit code. */
export function scriptFailure(run: ProcedureRun, what: string): VaultError {
  return errorOfStderr(run.stderr) ?? new VaultError('RESTORE_INCOMPLETE', `${run.script} exited with ${run.exitCode} ${what}`, 'see the log lines above; nothing more was done');
}
