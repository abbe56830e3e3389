/**
 * How the wizard runs a recovery script (recovery-scripts/): through the same
 * `runRecoveryScript` as `entra-vault procedure run` (execa, argument array, no shell),
 * with an explicit environment (`extendEnv: false`), the CLI asked for JSON-lines
 * progress on stderr so the wizard can show it live, and the run recorded in the vault's
 * audit log as `procedure.run` with the script's SHA-256 and exit code — the same record
 * `procedure run --vault` writes. So what an auditor reads is what ran.
 *
 * Secrets never go in argv: a passphrase is passed by the NAME of an environment variable
 * (`--passphrase-env`) whose value exists only in the child's environment; the identity
 * goes by file path.
 */
import { VaultError } from '../src/errors.js';
import type { ErrorCode } from '../src/errors.js';
import type { ProgressEvent, Reporter } from '../src/progress.js';
import { runAuditedProcedure, type AuditedRun, type runRecoveryScript } from '../src/ops/procedures.js';

/** runRecoveryScript's signature: injectable so tests can see the exact arguments. */
export type ScriptRunner = typeof runRecoveryScript;

/** The environment variable that carries a passphrase to a script's commands (value never in argv). */
export const PASSPHRASE_ENV = 'ENTRA_VAULT_WIZARD_PASSPHRASE';

/** Variables of the wizard's own environment a script may need (paths, locale, proxies, the CLI to use). */
const INHERITED = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy', 'no_proxy', 'ENTRA_VAULT_BIN', 'ENTRA_VAULT_OPERATOR'] as const;

/**
 * The explicit environment of a script run by the wizard: the inherited basics above,
 * the node running the wizard as the CLI's node, JSON-lines progress, "pause the restore
 * if the wizard dies", plus `extra` (a passphrase under PASSPHRASE_ENV, a profile's
 * secret variable). Nothing else of the wizard's environment reaches the script.
 */
export function scriptEnv(extra: Record<string, string | undefined> = {}, from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of INHERITED) {
    const v = from[k];
    if (v !== undefined && v !== '') env[k] = v;
  }
  env.ENTRA_VAULT_NODE = process.execPath;
  env.ENTRA_VAULT_PROGRESS = 'jsonl';
  env.ENTRA_VAULT_STOP_WITH_PARENT = '1';
  // the audit records of the commands the script runs name the wizard as their entry point
  env.ENTRA_VAULT_VIA = 'wizard';
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

const KINDS: ReadonlySet<string> = new Set(['phase', 'progress', 'throttled', 'retry', 'warning', 'log', 'done']);

/**
 * One line of a script's output as a Reporter event: a JSON-lines progress event from
 * the CLI (its `ts` dropped), otherwise the line itself as an info log line (the script's
 * own step lines, the CLI's text results). Blank lines give nothing.
 */
export function eventOfLine(line: string): ProgressEvent | undefined {
  const text = line.replace(/\r$/, '');
  if (text.trim() === '') return undefined;
  if (text.startsWith('{')) {
    try {
      const v = JSON.parse(text) as Record<string, unknown>;
      if (v !== null && typeof v === 'object' && typeof v.kind === 'string' && KINDS.has(v.kind)) {
        const { ts: _ts, ...event } = v;
        return event as unknown as ProgressEvent;
      }
    } catch {
      // not a progress event: shown as text below
    }
  }
  return { kind: 'log', level: 'info', message: text };
}

/** An output handler that splits chunks into lines (per stream) and reports each as an event. */
export function lineReporter(reporter: Reporter): { onOutput: (chunk: string, stream: 'stdout' | 'stderr') => void; flush: () => void } {
  const rest: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  const emit = (line: string): void => {
    const e = eventOfLine(line);
    if (e) reporter.report(e);
  };
  return {
    onOutput(chunk, stream) {
      const lines = (rest[stream] + chunk).split('\n');
      rest[stream] = lines.pop() ?? '';
      for (const l of lines) emit(l);
    },
    flush() {
      for (const s of ['stdout', 'stderr'] as const) {
        if (rest[s] !== '') emit(rest[s]);
        rest[s] = '';
      }
    },
  };
}

/**
 * The last one-line CLI error in a script's stderr (`entra-vault: error [CODE]: message
 * (next: hint)`) as a VaultError, or else the script's own last `error:` line (its usage
 * and precondition failures) as USAGE. Undefined when neither is there.
 */
export function errorOfStderr(stderr: string): VaultError | undefined {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean).reverse();
  for (const l of lines) {
    const m = /^entra-vault: error \[([A-Z_]+)\]: (.*?)(?: \(next: (.*)\))?$/.exec(l);
    if (m) return new VaultError(m[1] as ErrorCode, m[2]!, m[3]);
  }
  for (const l of lines) {
    const m = /^\[[^\]]+\] error: (.*)$/.exec(l);
    if (m) return new VaultError('USAGE', m[1]!);
  }
  return undefined;
}

export type ProcedureRun = AuditedRun;

/**
 * Runs one recovery script with the wizard's conventions, recorded in the vault's audit
 * log by `runAuditedProcedure` (`procedure.start` before, `procedure.run` with the exit
 * code after, via wizard) — the same records `procedure run --vault` writes. A non-zero
 * exit is returned, not thrown.
 * @throws VaultError USAGE | FILE_NOT_FOUND (no such script: a broken installation)
 */
export async function runProcedure(o: {
  script: string;
  args: readonly string[];
  env: Record<string, string>;
  vault?: string;
  reporter: Reporter;
  signal?: AbortSignal;
  runner?: ScriptRunner;
}): Promise<ProcedureRun> {
  const lines = lineReporter(o.reporter);
  o.reporter.report({ kind: 'log', level: 'info', message: `running ${o.script}` });
  const run = await runAuditedProcedure(o.script, o.args, {
    env: o.env,
    extendEnv: false,
    via: 'wizard',
    ...(o.vault ? { vault: o.vault } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.runner ? { runner: o.runner } : {}),
    onOutput: lines.onOutput,
  });
  lines.flush();
  o.reporter.report({ kind: 'log', level: 'info', message: `${o.script} (sha256 ${run.sha256.slice(0, 16)}…) exited ${run.exitCode}` });
  return run;
}
