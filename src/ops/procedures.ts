/**
 * The recovery scripts (recovery-scripts/*.sh) are the documented procedures in executable
 * form: what an auditor reads is what runs. This module lists them with their SHA-256 (so
 * evidence and runbooks name exactly which procedure text was used), reads their header
 * blocks, and runs one through execa with an argument array — never a shell string, so a
 * display name holding `$(…)`, backticks or `;` reaches the script as one literal argument
 * (docs/reliability.md 20).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { VaultError } from '../errors.js';
import { appendAudit } from '../vault/vault.js';

export interface ScriptHash {
  /** Path relative to the package root, with forward slashes (`recovery-scripts/10-scheduled-backup.sh`). */
  path: string;
  sha256: string;
}

/** A procedure script's name: two digits, a dash, lower-case words, `.sh`. */
export const SCRIPT_NAME = /^\d\d-[a-z0-9-]+\.sh$/;

/**
 * The package root (the directory holding entra-vault's package.json), found by walking up
 * from this module — the same answer from src/ under vitest and from dist/src/ at run time.
 * @throws Error when the module is not inside the package (a packaging bug)
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: unknown }).name === 'entra-vault') return dir;
      } catch {
        // not our package.json: keep walking
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('entra-vault package root not found above src/report');
    dir = up;
  }
}

/** Directory of the recovery scripts (`<package root>/recovery-scripts`). */
export function scriptsDir(root: string = packageRoot()): string {
  return join(root, 'recovery-scripts');
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (d.name.startsWith('.')) continue;
    const p = join(dir, d.name);
    if (d.isDirectory()) out.push(...(await walk(p)));
    else if (d.isFile()) out.push(p);
  }
  return out;
}

/**
 * Every file under recovery-scripts/ (procedures and the shared library they source) with
 * its SHA-256, sorted by path. Paths are relative to the package root.
 * @throws VaultError FILE_NOT_FOUND when the directory is missing (a broken installation)
 */
export async function scriptInventory(opts: { root?: string } = {}): Promise<ScriptHash[]> {
  const root = opts.root ?? packageRoot();
  const dir = scriptsDir(root);
  if (!existsSync(dir)) throw new VaultError('FILE_NOT_FOUND', `recovery scripts not found in ${dir}`, 'reinstall entra-vault: the image ships recovery-scripts/');
  const files = await walk(dir);
  const out: ScriptHash[] = [];
  for (const f of files) {
    const sha256 = createHash('sha256').update(await readFile(f)).digest('hex');
    out.push({ path: relative(root, f).split(sep).join('/'), sha256 });
  }
  return out;
}

/** The documented header of a procedure script, split into its labelled sections. */
export interface ScriptHeader {
  title: string;
  sections: Record<string, string[]>;
}

/** Labels every procedure header carries, in this order. */
export const HEADER_SECTIONS = ['PURPOSE', 'PRECONDITIONS', 'PERMISSIONS', 'STEPS', 'VERIFY', 'USAGE'] as const;

/**
 * Parse the comment block at the top of a script: line 2 `# NAME — title`, then
 * `# LABEL:` lines opening sections whose following `#   text` lines belong to them.
 * Pure; never executes anything.
 */
export function parseScriptHeader(text: string): ScriptHeader {
  const lines = text.split('\n');
  const comments: string[] = [];
  for (const l of lines.slice(lines[0]?.startsWith('#!') ? 1 : 0)) {
    if (!l.startsWith('#')) break;
    comments.push(l.replace(/^# ?/, ''));
  }
  const title = (comments[0] ?? '').replace(/^\S+\s+—\s+/, '').trim();
  const sections: Record<string, string[]> = {};
  let cur: string | undefined;
  for (const c of comments.slice(1)) {
    const m = /^([A-Z][A-Z ]+):\s*(.*)$/.exec(c);
    if (m) {
      cur = m[1]!.trim();
      sections[cur] = m[2] ? [m[2].trim()] : [];
      continue;
    }
    if (cur !== undefined && c.trim() !== '') sections[cur]!.push(c.trim());
  }
  return { title, sections };
}

/** Read and parse one procedure script's header. @throws VaultError FILE_NOT_FOUND | USAGE */
export async function readScriptHeader(name: string, opts: { root?: string } = {}): Promise<ScriptHeader> {
  return parseScriptHeader(await readFile(resolveScript(name, opts.root), 'utf8'));
}

function resolveScript(name: string, root?: string): string {
  if (!SCRIPT_NAME.test(name)) {
    throw new VaultError('USAGE', `not a recovery script name: ${JSON.stringify(name.slice(0, 80))}`, 'use a name like 90-drill.sh from recovery-scripts/');
  }
  const p = join(scriptsDir(root ?? packageRoot()), name);
  if (!existsSync(p)) throw new VaultError('FILE_NOT_FOUND', `recovery script not found: ${name}`);
  return p;
}

export interface ScriptRun {
  script: string;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Run one recovery script with bash and an argument array (execa, no shell: arguments
 * are never parsed or expanded on the way). The script's own exit code is returned; a
 * non-zero exit is not thrown. `env` is added to the current environment unless
 * `extendEnv` is false.
 * @throws VaultError USAGE (bad name) | FILE_NOT_FOUND
 */
export async function runRecoveryScript(
  name: string,
  args: readonly string[],
  opts: {
    env?: Record<string, string | undefined>; cwd?: string; root?: string; extendEnv?: boolean; timeoutMs?: number; signal?: AbortSignal;
    /** Receives output as it arrives (the CLI shows a long procedure's progress live). */
    onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  } = {},
): Promise<ScriptRun> {
  const path = resolveScript(name, opts.root);
  const child = execa('bash', [path, ...args], {
    env: opts.env ?? {},
    extendEnv: opts.extendEnv ?? true,
    ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
    ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {}),
    ...(opts.signal !== undefined ? { cancelSignal: opts.signal } : {}),
    reject: false,
    stdin: 'ignore',
    shell: false,
    stripFinalNewline: false,
  });
  if (opts.onOutput) {
    const out = opts.onOutput;
    child.stdout?.on('data', (c: Buffer) => out(String(c), 'stdout'));
    child.stderr?.on('data', (c: Buffer) => out(String(c), 'stderr'));
  }
  const r = await child;
  return { script: name, exitCode: typeof r.exitCode === 'number' ? r.exitCode : 1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

export interface AuditedRun extends ScriptRun {
  sha256: string;
  startedAt: string;
}

/**
 * Runs a procedure script (as `runRecoveryScript`) and, given a vault, records it in the
 * vault's audit log twice: `procedure.start` with the script's SHA-256 before it starts,
 * so a run killed together with its caller still leaves a trace, and `procedure.run` with
 * the exit code when it ends (also when it failed). The one path for `procedure run` and
 * the wizard, so both leave the same records. A non-zero exit is returned, not thrown.
 * @throws VaultError USAGE (bad name) | FILE_NOT_FOUND (no such script: a broken installation)
 */
export async function runAuditedProcedure(
  name: string,
  args: readonly string[],
  opts: Parameters<typeof runRecoveryScript>[2] & { vault?: string; via?: string; runner?: typeof runRecoveryScript } = {},
): Promise<AuditedRun> {
  const { vault, via, runner, ...runOpts } = opts;
  const inventory = await scriptInventory(runOpts.root !== undefined ? { root: runOpts.root } : {});
  const sha256 = inventory.find((s) => s.path === `recovery-scripts/${name}`)?.sha256;
  if (!sha256) throw new VaultError('FILE_NOT_FOUND', `recovery script not found: ${name.slice(0, 80)}`, 'use a name from `entra-vault procedure list`');
  const startedAt = new Date().toISOString();
  const tag: Record<string, string> = via !== undefined ? { via } : {};
  if (vault) await appendAudit(vault, { action: 'procedure.start', script: name, sha256, startedAt, ...tag });
  const run = await (runner ?? runRecoveryScript)(name, args, runOpts);
  if (vault) await appendAudit(vault, { action: 'procedure.run', script: name, sha256, exitCode: run.exitCode, startedAt, ...tag });
  return { ...run, sha256, startedAt };
}

/** entra-vault's version, from its package.json (evidence and runbooks name it). */
export function toolVersion(root: string = packageRoot()): string {
  const v = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown }).version;
  return typeof v === 'string' ? v : 'unknown';
}
