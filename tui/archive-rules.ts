/**
 * The wizard's rules for choosing an archive and confirming a target: which archive to
 * preselect, when choosing one is a rollback or needs a signature override (each takes a
 * typed, audit-logged reason), and what typed text confirms a live run. Pure.
 */
import type { ArchiveInfo, Preflight } from './services.js';
import type { WizardState } from './state.js';

/**
 * The archive to preselect: the newest with a valid signature (newest of all when
 * none is valid, so the operator sees why nothing can be chosen without an override).
 * Nothing (-1) when validly signed archives of more than one tenant are listed: the wizard
 * does not know the target yet, and the newest archive of *any* tenant restored into the
 * connected one would write another tenant's accounts there (issue 12 item 2), so the
 * operator picks the tenant's archive deliberately.
 */
export function preselectArchive(archives: readonly ArchiveInfo[]): number {
  if (tenantsWithValidArchives(archives) > 1) return -1;
  let best = -1;
  for (let i = 0; i < archives.length; i++) {
    const a = archives[i]!;
    if (a.signature !== 'valid') continue;
    if (best < 0 || a.takenAt > archives[best]!.takenAt) best = i;
  }
  if (best >= 0) return best;
  let newest = 0;
  for (let i = 1; i < archives.length; i++) if (archives[i]!.takenAt > archives[newest]!.takenAt) newest = i;
  return archives.length > 0 ? newest : -1;
}

/** How many tenants have at least one validly signed archive in the list. */
export function tenantsWithValidArchives(archives: readonly ArchiveInfo[]): number {
  return new Set(archives.filter((a) => a.signature === 'valid').map((a) => a.tenantId.toLowerCase())).size;
}

/**
 * The time in an archive's file name, ISO, or null: `<UTC>.evault` with the separators of
 * `takenAt` left out (docs/archive-format.md §1, `20250303T030000123Z`); kept too with them
 * replaced by dashes (`2025-03-03T03-00-00Z`).
 */
export function timeFromFileName(path: string): string | null {
  const name = path.split(/[\\/]/).pop() ?? '';
  const m = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2})-?(\d{2})-?(\d{2})(?:[-.]?(\d{1,3}))?Z/.exec(name);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${(m[7] ?? '0').padEnd(3, '0')}Z`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

/**
 * The listing as the wizard shows it: an archive whose signed header could not be read
 * (damaged, or unsigned: no time) gets the time of its file name, marked as such, so it is
 * listed where it belongs (newest first) and never shown with a blank time.
 */
export function withShownTimes(archives: readonly ArchiveInfo[]): ArchiveInfo[] {
  return archives.map((a) => {
    if (a.takenAt !== '') return a;
    const t = timeFromFileName(a.path);
    return t ? { ...a, takenAt: t, takenAtFromName: true } : a;
  });
}

/** True for an archive whose signature does not verify and whose signed header was not read. */
export function isDamaged(a: ArchiveInfo): boolean {
  return a.signature === 'invalid' && (a.takenAtFromName === true || a.takenAt === '');
}

const timeOf = (iso: string): number => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? -Infinity : t;
};

/**
 * The newest archive of the same tenant in `archives` when it was taken after `archive`
 * (so restoring `archive` is a rollback the vault's anti-rollback check refuses without a
 * reason), else null. Every listed archive of the tenant counts, whatever its signature:
 * the vault remembered the newest sequence when that backup was written, so the CLI
 * refuses the older one even when the newer file was damaged later. An archive whose signed
 * time is unknown (damaged: only its file name's time is known, and that is not signed) is
 * never counted as newer: the vault's mark decides for the others.
 */
export function newerArchiveOf(archives: readonly ArchiveInfo[] | null, archive: ArchiveInfo): ArchiveInfo | null {
  if (!archives) return null;
  // a time known from the file name only still places this archive (a damaged newest one is
  // not older than anything); it never makes another archive older (below)
  if (archive.takenAt === '') return null;
  let newest: ArchiveInfo | null = null;
  for (const a of archives) {
    if (a.path === archive.path || a.tenantId !== archive.tenantId || a.takenAtFromName) continue;
    if (timeOf(a.takenAt) > timeOf(archive.takenAt) && (newest === null || timeOf(a.takenAt) > timeOf(newest.takenAt))) newest = a;
  }
  if (newest) return newest;
  // The newest the vault accepted may be damaged (no readable time) or gone: its rollback
  // mark still makes this archive a rollback, which the vault refuses without a reason.
  const mark = archive.vaultMark;
  if (mark && archive.sequence !== undefined && archive.sequence < mark.sequence) {
    // the damaged archive of the tenant listed, if any, is that newest one (by its file name)
    const damaged = archives.filter((a) => a.tenantId === archive.tenantId && a.takenAtFromName && isDamaged(a) && timeOf(a.takenAt) > timeOf(archive.takenAt)).sort((a, b) => timeOf(b.takenAt) - timeOf(a.takenAt))[0];
    if (damaged) return damaged;
    return { path: '(the newest archive the vault accepted: damaged or removed)', tenantId: archive.tenantId, takenAt: mark.takenAt ?? '', counts: {}, bytes: 0, signature: 'invalid' };
  }
  return null;
}

/** What choosing `archive` needs a typed, audit-logged reason for (both: one reason covers both). */
export interface OverrideNeeds {
  signature: boolean;
  /** The newer archive of the same tenant when choosing this one is a rollback (restore modes only). */
  rollback: ArchiveInfo | null;
}

/**
 * Why choosing `archive` in this state needs a reason. A rollback matters only when the
 * archive is restored: verifying an older archive writes nothing and needs none.
 */
export function overrideNeeds(state: Pick<WizardState, 'archives' | 'mode'>, archive: ArchiveInfo): OverrideNeeds {
  return {
    signature: archive.signature !== 'valid',
    rollback: state.mode === 'verify' ? null : newerArchiveOf(state.archives, archive),
  };
}

/** True when `archive` is the chosen one and every override it needs has its reason. */
export function archiveAccepted(state: WizardState, archive: ArchiveInfo): boolean {
  if (state.archive?.path !== archive.path) return false;
  const needs = overrideNeeds(state, archive);
  return (!needs.signature || Boolean(state.overrideReason)) && (!needs.rollback || Boolean(state.rollbackReason));
}

/**
 * True when what the operator typed names the target: its tenant id (case-insensitive,
 * GUIDs have no case) or its initial domain (case-insensitive). Surrounding spaces are
 * ignored; nothing else matches, so a typo keeps the run a dry run.
 */
export function confirmationMatches(typed: string, preflight: Pick<Preflight, 'tenantId' | 'initialDomain'>): boolean {
  const t = typed.trim().toLowerCase();
  return t.length > 0 && (t === preflight.tenantId.toLowerCase() || t === preflight.initialDomain.toLowerCase());
}

