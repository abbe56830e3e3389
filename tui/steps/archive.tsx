/**
 * Step 2: pick an archive from the vault. The newest verified archive is preselected;
 * an archive whose signature is invalid or missing is shown in red, and one older than
 * the newest of its tenant is marked "older" (restoring it is a rollback, which the
 * vault's anti-rollback check refuses without a reason). Either can only be taken
 * through an override ('o') whose typed reason goes to the audit log (the service writes
 * it before the wizard moves on); one reason covers both when both apply.
 */
import React, { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import type { ArchiveInfo } from '../services.js';
import { useWizard, type WizardContextValue } from '../context.js';
import { archiveAccepted, newerArchiveOf, overrideNeeds, preselectArchive, type OverrideNeeds } from '../state.js';
import { isDamaged, tenantsWithValidArchives, withShownTimes } from '../archive-rules.js';
import { Line, Row, StepLayout, Wrapped, formatBytes, formatCount, formatTime, pad, toShown, windowOf, useKeys, useLatestState } from '../ui.js';
import { FIELD_KEYS, TextField } from '../text-field.js';
import { UNSAFE_CHARS } from '../../src/text.js';
import { useBody } from '../layout.js';
import { DetailScreen, useDetail, type Detail } from '../detail.js';
import { markedLine, useChanges } from './archive-changes.js';

/** Rows under the list: the chosen archive's details (at most five lines). */
const DETAIL_ROWS = 5;

function totalObjects(a: ArchiveInfo): number {
  return Object.values(a.counts).reduce<number>((s, n) => s + (n ?? 0), 0);
}

function signatureText(a: ArchiveInfo): string {
  if (isDamaged(a)) return '✗ DAMAGED';
  return a.signature === 'valid' ? '✓ signed' : a.signature === 'invalid' ? '✗ BAD SIGNATURE' : '✗ UNSIGNED';
}

/** The time an archive was taken, saying so when it is only its file name's (not signed). */
function takenText(a: ArchiveInfo): string {
  return a.takenAtFromName ? `${formatTime(a.takenAt)} (file name)` : formatTime(a.takenAt);
}

/** The tenant column: the whole id (a GUID) where the terminal has the room, else its first 8 characters. */
const tenantWidth = (columns: number): number => (columns >= 110 ? 36 : 9);

/**
 * One row of the list; `older`: a newer archive of the same tenant is listed. Fits 80 with
 * the cursor; below 78 columns the size is left out (it is in the detail view, →); from
 * 110 the tenant id is whole (the signed header names the tenant by its id only).
 */
export function archiveRow(a: ArchiveInfo, older = false, width = 80): string {
  const tw = tenantWidth(width);
  const tenant = a.tenantId.length > tw ? `${a.tenantId.slice(0, tw - 1)}…` : a.tenantId;
  const wide = width >= 78;
  const size = wide ? `${pad(formatBytes(a.bytes), 9)}  ` : '';
  return `${formatTime(a.takenAt)}  ${pad(tenant, tw)}  ${pad(Object.keys(a.counts).length === 0 ? '– obj' : `${formatCount(totalObjects(a))} obj`, wide ? 12 : 10)}  ${size}${signatureText(a)}${older ? ' · older' : ''}`;
}

/** Everything the listing knows of an archive, whole (the detail view of a row). */
export function archiveDetail(a: ArchiveInfo, newer: ArchiveInfo | null): Detail {
  const counts = Object.entries(a.counts).map(([t, n]) => `${t} ${formatCount(n ?? 0)}`).join(', ');
  // a damaged archive's signature line says what that means; the path comes early, so a short
  // terminal shows it on the first page
  const damaged = isDamaged(a) ? ' (the file changed after it was signed: damaged or tampered; or a key the vault does not trust signed it)' : '';
  const fields: Detail['fields'] = [
    ['Tenant', a.tenantId],
    ['Taken', a.takenAtFromName ? `${formatTime(a.takenAt)} (file name: the signed header was not readable)` : formatTime(a.takenAt)],
    ['Signature', `${a.signature}${a.signatureProblem ? `: ${a.signatureProblem}` : ''}${damaged}`],
    ['Path', a.path],
    ['Objects', counts === '' ? 'in the encrypted manifest (read after unlock)' : `${formatCount(totalObjects(a))}: ${counts}`],
    ['Size', formatBytes(a.bytes)],
  ];
  if (a.sequence !== undefined) fields.push(['Sequence', String(a.sequence)]);
  if (newer) fields.push(['Rollback', `older than the newest archive of this tenant (${formatTime(newer.takenAt)}): restoring it needs a reason (o)`]);
  // what the signed header cannot say: it carries the tenant id, time, sequence and manifest hash only
  fields.push(['Domain', 'not in the signed header (tenant id only): the initial domain is in the encrypted manifest, shown on Confirm. No tenant name is stored.']);
  return { title: `Archive of ${formatTime(a.takenAt)}`, fields };
}

/**
 * Operator text (an override reason) as shown on screen: backslashes doubled, and every
 * control character (C0, DEL, C1) and invisible or direction-changing format character
 * written as a \u{…} escape, so a reason can neither move the cursor, recolour the
 * terminal nor hide text. What is stored and passed on is the text itself.
 */
export function shownText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(UNSAFE_CHARS, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/** What the override prompt says it overrides. */
function overrideTitle(a: ArchiveInfo, newer: ArchiveInfo | null): string {
  const bad = a.signature !== 'valid';
  // one reason covers both; each override is written to the audit log
  if (bad && newer) return `Override (audit-logged): ${a.signature} signature, older than ${formatTime(newer.takenAt)}`;
  if (newer) return `Override: older than the newest (${formatTime(newer.takenAt)}). The reason is audit-logged.`;
  return `Override: this archive's signature is ${a.signature}. The reason is audit-logged.`;
}

/**
 * Takes `archive` with the operator's typed reason: refuses an empty reason, and a rollback
 * when the services cannot log one; otherwise the service audit-logs each override the
 * archive needs before the archive is chosen (`done` runs then).
 */
function writeOverride(
  ctx: Pick<WizardContextValue, 'dispatch' | 'services'>,
  archive: ArchiveInfo,
  needs: OverrideNeeds,
  text: string,
  done: () => void,
): void {
  const { dispatch, services } = ctx;
  const reason = text.trim();
  if (reason.length === 0) {
    dispatch({ type: 'failed', error: { code: 'USAGE', message: 'an override needs a reason', hint: 'type why this archive must be used, or esc to cancel' } });
    return;
  }
  const overrideRollback = services.overrideRollback?.bind(services);
  if (needs.rollback && !overrideRollback) {
    dispatch({ type: 'failed', error: { code: 'ROLLBACK', message: 'these services cannot restore an archive older than the newest of its tenant', hint: 'choose the newest archive of this tenant' } });
    return;
  }
  dispatch({ type: 'busy', message: 'writing the override to the audit log' });
  // each override is audit-logged by the service before the archive is taken
  (async () => {
    if (needs.signature) await services.overrideSignature(archive.path, reason);
    if (needs.rollback && overrideRollback) await overrideRollback(archive.path, reason);
  })().then(
    () => {
      done();
      dispatch({ type: 'archiveChosen', archive, overrideReason: reason });
    },
    (e: unknown) => dispatch({ type: 'failed', error: toShown(e) }),
  );
}

/** Lists the vault (newest first) whenever the state has no list: on entry and after `r`. */
function useArchiveListing(): void {
  const { state, dispatch, services, vaultDir } = useWizard();
  const archives = state.archives;
  useEffect(() => {
    if (archives !== null) return;
    let live = true;
    dispatch({ type: 'busy', message: `reading the vault ${vaultDir}` });
    services.listArchives(vaultDir).then(
      (list) => live && dispatch({ type: 'archivesLoaded', archives: withShownTimes(list).sort((a, b) => (a.takenAt < b.takenAt ? 1 : a.takenAt > b.takenAt ? -1 : 0)) }),
      (e: unknown) => live && dispatch({ type: 'failed', error: toShown(e) }),
    );
    return () => {
      live = false;
    };
  }, [archives, services, vaultDir, dispatch]);
}

/** The row the cursor starts on: the chosen archive, else the preselected one. */
function initialCursor(archives: ArchiveInfo[], chosen: ArchiveInfo | null): number {
  const i = chosen ? archives.findIndex((a) => a.path === chosen.path) : -1;
  return i >= 0 ? i : preselectArchive(archives);
}

export function ArchiveStep(): React.JSX.Element {
  const { state, dispatch, services, vaultDir } = useWizard();
  const archives = state.archives;
  const [chosenCursor, setCursor, latestCursor] = useLatestState(-1);
  // Until the operator moves, the cursor is on the chosen archive or the preselected one.
  const cursor = chosenCursor >= 0 || !archives ? chosenCursor : initialCursor(archives, state.archive);
  const [overriding, setOverriding] = useState(false);
  const [reason, setReason] = useState('');
  const { detail, open, close } = useDetail();
  const changes = useChanges();

  useArchiveListing();

  const current = archives && cursor >= 0 ? archives[cursor] : undefined;
  const needs = current ? overrideNeeds(state, current) : null;
  const needsReason = Boolean(needs && (needs.signature || needs.rollback));

  const submitOverride = (text: string): void => {
    if (!current || !needs) return;
    writeOverride({ dispatch, services }, current, needs, text, () => {
      setOverriding(false);
      setReason('');
    });
  };

  useKeys(
    (input, key) => {
      if (overriding) {
        if (key.escape) {
          setOverriding(false);
          setReason('');
          dispatch({ type: 'dismissError' });
        }
        return;
      }
      if (!archives || archives.length === 0) {
        if (key.escape) dispatch({ type: 'back' });
        else if (input === 'r') dispatch({ type: 'archivesReset' });
        return;
      }
      if (key.upArrow || input === 'k') {
        setCursor(Math.max(0, cursor - 1));
        dispatch({ type: 'dismissError' });
      } else if (key.downArrow || input === 'j') {
        setCursor(Math.min(archives.length - 1, cursor + 1));
        dispatch({ type: 'dismissError' });
      } else if (key.return && current) {
        if (archiveAccepted(state, current)) dispatch({ type: 'next' });
        else dispatch({ type: 'archiveChosen', archive: current });
      } else if (input === 'o' && current && needsReason) {
        setOverriding(true);
        dispatch({ type: 'dismissError' });
      } else if (key.rightArrow && current) open(archiveDetail(current, newerArchiveOf(archives, current)));
      else if (input === 'w') changes.onW(latestCursor() >= 0 ? archives[latestCursor()] : current);
      else if (key.escape) dispatch({ type: 'back' });
    },
    { isActive: !state.busy && !detail && !changes.screen },
  );
  if (changes.screen) return changes.screen;
  if (detail) return <DetailScreen detail={detail} onClose={close} />;

  const help = archiveHelp(overriding, current ? (needsReason && !archiveAccepted(state, current) ? 'override' : 'choose') : 'none', changes.offered ? (state.preflight ? 'w changes since' : 'w compare') : null);

  if (!archives) return <StepLayout help={help}>{null}</StepLayout>;
  if (archives.length === 0) {
    return (
      <StepLayout help="r reload · esc back · ctrl-c quit">
        <Wrapped bold text={`No archives in ${vaultDir}.`} />
        <Wrapped tone="muted" text="Take one with: entra-vault backup --source F --vault V ..." />
      </StepLayout>
    );
  }
  return (
    <StepLayout help={help}>
      <ArchiveList archives={archives} cursor={cursor} vaultDir={vaultDir} below={DETAIL_ROWS + (overriding ? 2 : 0) + (changes.marked ? 1 : 0)} />
      {changes.marked ? <Line tone="accent" text={markedLine(changes.marked)} /> : null}
      {current ? (
        <ArchiveDetails
          archive={current}
          newer={newerArchiveOf(archives, current)}
          restoring={needs?.rollback != null}
          rollbackReason={state.archive?.path === current.path ? state.rollbackReason : null}
        />
      ) : (
        <NoPreselection tenants={tenantsWithValidArchives(archives)} />
      )}
      {overriding && current ? (
        <Box flexDirection="column">
          <Line tone="bad" text={overrideTitle(current, needs?.rollback ?? null)} />
          <TextField label="Reason:" value={reason} onChange={setReason} onSubmit={submitOverride} active={!state.busy} placeholder="why this archive must be used" />
        </Box>
      ) : null}
    </StepLayout>
  );
}

/**
 * The Archive step's keys: while typing a reason, on an archive that needs one, on one that
 * does not, on none; `w` (what changed since the archive: ./archive-changes.tsx) when offered.
 */
function archiveHelp(overriding: boolean, on: 'override' | 'choose' | 'none', w: string | null): string {
  if (overriding) return `type the reason · ${FIELD_KEYS} · enter override (audit-logged) · esc cancel`;
  const changes = w ? ` · ${w}` : '';
  if (on === 'override') return `↑↓ move · → details · o override with a reason${changes} · esc back · ctrl-c quit`;
  return on === 'choose' ? `↑↓ move · → details · enter choose${changes} · esc back · ctrl-c quit` : '↑↓ pick the archive of the tenant you restore · esc back · ctrl-c quit';
}

/** Shown instead of an archive's details while nothing is chosen (several tenants listed). */
function NoPreselection(props: { tenants: number }): React.JSX.Element {
  return (
    <Box flexDirection="column">
      <Line tone="warn" bold text={`This vault holds signed archives of ${props.tenants} tenants: none is preselected.`} />
      <Line text="Pick the archive of the tenant you are restoring with ↑↓. Only a tenant-loss" />
      <Line text="restore may go into another tenant, and the plan shows both tenants." />
    </Box>
  );
}

/** The list's title, header and the window of rows around the cursor, in the rows `below` leaves. */
function ArchiveList(props: { archives: ArchiveInfo[]; cursor: number; vaultDir: string; below: number }): React.JSX.Element {
  const { archives, cursor } = props;
  const { columns, rows } = useBody();
  const room = Math.max(2, rows - 2 - props.below);
  const win = windowOf(archives.length, Math.max(cursor, 0), room);
  const wide = columns >= 78;
  const size = wide ? `${pad('size', 9)}  ` : '';
  return (
    <>
      <Line bold text={`Archives in ${props.vaultDir} (newest first, ${archives.length})${archives.length > room ? ` · ${win.start + 1}–${win.end} shown` : ''}`} />
      <Line tone="muted" text={`  ${pad('taken (UTC)', 17)}  ${pad('tenant', tenantWidth(columns))}  ${pad('objects', wide ? 12 : 10)}  ${size}signature`} />
      <Box flexDirection="column" height={Math.min(room, archives.length)}>
        {archives.slice(win.start, win.end).map((a, k) => (
          <Row key={a.path} selected={win.start + k === cursor} tone={a.signature !== 'valid' ? 'bad' : newerArchiveOf(archives, a) ? 'warn' : undefined} text={archiveRow(a, newerArchiveOf(archives, a) !== null, columns)} />
        ))}
      </Box>
    </>
  );
}

function ArchiveDetails(props: { archive: ArchiveInfo; newer: ArchiveInfo | null; restoring: boolean; rollbackReason: string | null }): React.JSX.Element {
  const a = props.archive;
  const newer = props.newer;
  const older = newer
    ? props.rollbackReason
      ? `↺ Older than newest ${formatTime(newer.takenAt)}: rollback accepted (audit-logged), reason:`
      : props.restoring
        ? `↺ Older than newest ${formatTime(newer.takenAt)}: a rollback, needs a reason (press o)`
        : `↺ Older than newest ${formatTime(newer.takenAt)} of this tenant.`
    : null;
  const c = a.counts;
  // Object counts live in the encrypted manifest: a listing that read only the signed
  // trusted comment has none, and says so rather than showing zeros.
  const counts = Object.keys(c).length === 0 ? 'object counts are in the encrypted manifest (read after unlock)' : `users ${formatCount(c.user ?? 0)} · groups ${formatCount(c.group ?? 0)} · apps ${formatCount(c.application ?? 0)} · CA ${formatCount(c.conditionalAccessPolicy ?? 0)} · total ${formatCount(totalObjects(a))}`;
  return (
    <Box flexDirection="column">
      <Line text={`Tenant ${a.tenantId} · ${takenText(a)}`} />
      <Line tone="muted" text={counts} />
      <Line tone="muted" cut="start" text={a.path} />
      {a.signature !== 'valid' ? (
        <Line tone="bad" bold text={isDamaged(a) ? `✗ Damaged: its signature does not verify${a.signatureProblem ? ` (${a.signatureProblem})` : ''}. Not usable without override.` : `✗ Signature ${a.signature}${a.signatureProblem ? `: ${a.signatureProblem}` : ''}. Not usable without override.`} />
      ) : older ? null : (
        <Text> </Text>
      )}
      {older ? <Line tone="warn" text={older} /> : null}
      {newer && props.rollbackReason ? <Line tone="warn" text={`  "${shownText(props.rollbackReason)}"`} /> : null}
    </Box>
  );
}
