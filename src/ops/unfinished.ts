/**
 * Unfinished restores: the record a restore leaves beside its journal so that a later run
 * (the wizard, started again after a crash or Ctrl-C) can offer to resume it, and the rule
 * for what may be resumed where. One owner for the record's format and for the decisions
 * "is this restore unfinished?" and "may it resume against this target?"; the wizard's
 * services only call these.
 *
 * Write order (docs/reliability.md, resume): the record is written with `finished: false`
 * BEFORE the first write to the tenant and set finished only after the run ends unpaused,
 * so a crash or SIGKILL mid-run always leaves an unfinished record. A script run that
 * stopped before its restore began leaves no journal: its record is forgotten.
 */
import { constants } from 'node:fs';
import { access, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { VaultError } from '../errors.js';
import type { ScenarioName } from '../restore/types.js';

/** Suffix of every record; the records of a work directory are the files ending in it. */
const SUFFIX = '.journal.wizard.json';

/** What a restore records about itself (the target's shape belongs to the caller). */
export interface RestoreRecord<Target> {
  journalPath: string;
  archivePath: string;
  scenario: ScenarioName;
  target: Target;
  targetTenantId: string;
  /** ISO 8601 UTC. */
  startedAt: string;
  total: number;
  finished: boolean;
  /** 'script': the journal belongs to a recovery script's --out directory (resumed with --resume). */
  runner?: 'script' | 'inProcess';
  /** The rollback reason the restore started with (audit-logged then): its resume needs it again. */
  rollbackReason?: string;
}

/** An unfinished restore as offered for resume: its record and how far its journal got. */
export type UnfinishedRestore<Target> = Omit<RestoreRecord<Target>, 'finished' | 'runner' | 'rollbackReason'> & { done: number };

/**
 * Where the record of the restore named `name` lives in `dir` (`name` is the journal's file
 * name for an in-process run, the script's --out directory name for a scripted one).
 */
export function recordPath(dir: string, name: string): string {
  return join(dir, `${name.replace(/\.journal$/, '')}${SUFFIX}`);
}

/** The record path of a scripted restore whose journal is `<outDir>/restore.journal`. */
export function scriptRecordPath(dir: string, outDir: string): string {
  return recordPath(dir, basename(outDir));
}

/** Writes (or rewrites) a record. */
export async function writeRecord<T>(path: string, record: RestoreRecord<T>): Promise<void> {
  await writeFile(path, `${JSON.stringify(record, null, 2)}\n`);
}

/** Removes the record of a restore that never began (nothing to resume). */
export async function forgetRecord(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** Reads a record; undefined when there is none or it is unreadable. */
export async function readRecord<T>(path: string): Promise<RestoreRecord<T> | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as RestoreRecord<T>;
  } catch {
    return undefined;
  }
}

/** Operations a journal records as finished (done or skipped, latest state per op); a torn last line is ignored. */
export function doneOps(journalText: string): number {
  const latest = new Map<string, string>();
  for (const line of journalText.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const rec = JSON.parse(line) as { opId?: unknown; state?: unknown };
      // a `phase:` record names a bootstrap-first restore's rest plan, not an operation (docs/journal-format.md)
      if (typeof rec.opId === 'string' && typeof rec.state === 'string' && !rec.opId.startsWith('phase:')) latest.set(rec.opId, rec.state);
    } catch {
      // the last line of a killed run can be torn: the core re-checks that op on resume
    }
  }
  return [...latest.values()].filter((st) => st === 'done' || st === 'skipped').length;
}

/**
 * The newest unfinished restore recorded in `dir`, or null. A scripted run whose journal
 * does not exist stopped before writing anything and is not offered.
 * Never throws for a missing directory.
 */
export async function findUnfinishedRestore<T>(dir: string): Promise<UnfinishedRestore<T> | null> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(SUFFIX)).sort().reverse();
  } catch {
    return null;
  }
  for (const n of names) {
    const r = await readRecord<T>(join(dir, n));
    if (!r || r.finished) continue;
    const journal = await readFile(r.journalPath, 'utf8').catch(() => undefined);
    if (r.runner === 'script' && journal === undefined) continue;
    const { finished: _f, runner: _r, rollbackReason: _rb, ...rest } = r;
    return { ...rest, done: doneOps(journal ?? '') };
  }
  return null;
}

/**
 * Refuses to resume a restore against another tenant than the one it started on.
 * @throws VaultError JOURNAL_MISMATCH naming both tenants.
 */
export function checkResumeTarget(journalTenantId: string, connectedTenantId: string | undefined): void {
  if (connectedTenantId && connectedTenantId.toLowerCase() !== journalTenantId.toLowerCase()) {
    throw new VaultError('JOURNAL_MISMATCH', `the journal is for tenant ${journalTenantId}, not ${connectedTenantId}`, 'connect to the tenant the restore started on');
  }
}

/**
 * Where restores leave their records: `<vault>/.restores/` (so a wizard started from any
 * directory finds them, docs/design.md "Resume"), or `fallback` when the vault is not
 * writable (offline media) or is not a vault (no vault.json). Creates `.restores` (0700), never
 * the vault itself.
 */
export async function recordsDirOf(vaultDir: string, fallback: string): Promise<string> {
  const dir = join(resolve(vaultDir), '.restores');
  try {
    // only inside an existing vault: a mistyped --vault must not create a directory
    await access(join(resolve(vaultDir), 'vault.json'));
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await access(dir, constants.W_OK);
    return dir;
  } catch {
    await mkdir(fallback, { recursive: true, mode: 0o700 });
    return fallback;
  }
}

/**
 * The records of the restore whose journal is `journalPath`, looked up in `dirs` (then beside
 * the journal, where older versions wrote an in-process run's record): the scripted run's
 * record, or the in-process run's.
 */
export async function recordsOfJournal<T>(dirs: string[], journalPath: string): Promise<{ sidecar?: RestoreRecord<T>; inProcessSidecar?: RestoreRecord<T> }> {
  const first = async (paths: string[]) => {
    for (const p of paths) {
      const r = await readRecord<T>(p);
      if (r) return r;
    }
    return undefined;
  };
  const unique = [...new Set(dirs)];
  const sidecar = await first(unique.map((d) => scriptRecordPath(d, dirname(journalPath))));
  const inProcessSidecar = sidecar?.runner === 'script' ? undefined : await first([...unique, dirname(journalPath)].map((d) => recordPath(d, basename(journalPath))));
  return { ...(sidecar ? { sidecar } : {}), ...(inProcessSidecar ? { inProcessSidecar } : {}) };
}
