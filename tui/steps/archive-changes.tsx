/**
 * "What changed since this archive?" on the Archive step (issue 18 item 3), before the point
 * to restore is chosen. `w` on the highlighted archive compares it:
 * - with the connected target, when one is connected (the operator came back to the Archive
 *   step from Connect or later): what changed in the tenant since the archive was taken;
 * - else with a second archive: the first `w` marks the highlighted archive, the second `w`
 *   on another archive compares the two, the older as A (`w` on the marked one unmarks it).
 * The archive must be decrypted: when nothing was unlocked yet the operator types the
 * identity file first (Enter alone: the key the session already holds). The comparison
 * reads only and is a wait Esc may cancel; its report is shown grouped by risk with the
 * counts per group (tui/changes-rows.ts), each change's detail on →/Enter, and Esc goes
 * back to the list, where the operator picks. Nothing is chosen or unlocked by it.
 */
import React, { useState } from 'react';
import { Box } from 'ink';
import type { ArchiveDiffReport, ArchiveInfo, ChangesRequest } from '../services.js';
import { useWizard } from '../context.js';
import { Line, Row, StepLayout, T, Wrapped, formatTime, toShown, useKeys, useLatestState, windowOf } from '../ui.js';
import { FIELD_KEYS, TextField } from '../text-field.js';
import { useBody, wrapLines } from '../layout.js';
import { DetailScreen, useDetail } from '../detail.js';
import { changeDetail, changeRows, changesSummary, type ChangeRow } from '../changes-rows.js';

/** The keys of the changes view. */
export const CHANGES_HELP = '↑↓ move · → detail · esc back to the archives · ctrl-c quit';

export interface ChangesControl {
  /** What replaces the archive list while the key prompt or the report is open. */
  screen: React.JSX.Element | null;
  /** `w` on the highlighted archive; false when the services cannot compare. */
  onW: (current: ArchiveInfo | undefined) => boolean;
  /** The archive marked as the first of two, if any. */
  marked: ArchiveInfo | null;
  offered: boolean;
}

/** The request `w` makes: against the target, or of the marked archive and this one (older first). */
export function changesRequest(current: ArchiveInfo, marked: ArchiveInfo | null, connected: boolean): ChangesRequest | null {
  if (connected) return { kind: 'live', archivePath: current.path };
  if (!marked || marked.path === current.path) return null;
  const [older, newer] = marked.takenAt <= current.takenAt ? [marked, current] : [current, marked];
  return { kind: 'archives', olderPath: older.path, newerPath: newer.path };
}

export function useChanges(): ChangesControl {
  const { state, dispatch, services, setWaitController } = useWizard();
  // read at once by `w`: two presses may arrive before the next render (tui/ui.tsx useLatestState)
  const [marked, setMarked, latestMarked] = useLatestState<ArchiveInfo | null>(null);
  const [asking, setAsking] = useState<ChangesRequest | null>(null);
  const [keyPath, setKeyPath] = useState('');
  const [report, setReport] = useState<ArchiveDiffReport | null>(null);
  const compare = services.changesSince?.bind(services);

  const run = (req: ChangesRequest): void => {
    if (!compare) return;
    setAsking(null);
    dispatch({ type: 'busy', message: req.kind === 'live' ? 'comparing the archive with the connected tenant (reading it)' : 'comparing the two archives' });
    const c = new AbortController();
    setWaitController(c);
    compare(req, { reporter: { report: (event) => !c.signal.aborted && dispatch({ type: 'waitProgress', event }) } }).then(
      (r) => {
        if (c.signal.aborted) return;
        dispatch({ type: 'waitEnded' });
        setMarked(null);
        setReport(r);
      },
      (e: unknown) => !c.signal.aborted && dispatch({ type: 'failed', error: toShown(e) }),
    );
  };
  const onW = (current: ArchiveInfo | undefined): boolean => {
    if (!compare || !current) return false;
    dispatch({ type: 'dismissError' });
    const mark = latestMarked();
    const req = changesRequest(current, mark, state.preflight !== null);
    if (!req) {
      setMarked(mark?.path === current.path ? null : current);
      return true;
    }
    if (state.unlockedWith === null && keyPath === '') setAsking(req);
    else run(keyPath === '' ? req : { ...req, identityPath: keyPath });
    return true;
  };
  const submitKey = (typed: string): void => {
    if (!asking) return;
    const path = typed.trim();
    setKeyPath(path);
    run(path === '' ? asking : { ...asking, identityPath: path });
  };
  const cancelKey = (): void => setAsking(null);
  let screen: React.JSX.Element | null = null;
  if (asking) screen = <KeyPrompt value={keyPath} onChange={setKeyPath} onSubmit={submitKey} onCancel={cancelKey} />;
  else if (report) screen = <ChangesScreen report={report} onClose={() => setReport(null)} />;
  return { screen, onW, marked, offered: Boolean(compare) };
}

function KeyPrompt(props: { value: string; onChange: (v: string) => void; onSubmit: (v: string) => void; onCancel: () => void }): React.JSX.Element {
  const { state } = useWizard();
  useKeys((_input, key) => key.escape && props.onCancel(), { isActive: !state.busy });
  return (
    <StepLayout help={`${FIELD_KEYS} · enter compare · esc back to the archives · ctrl-c quit`}>
      <T bold>What changed since this archive?</T>
      <Wrapped text="The archive is decrypted to compare it (read only: nothing is chosen, unlocked or written)." />
      <Wrapped tone="muted" text="Type the age identity file, or press Enter alone to use the key this session already holds." />
      <TextField label="Identity file:" value={props.value} onChange={props.onChange} onSubmit={props.onSubmit} active={!state.busy} placeholder="e.g. /media/keys/identity.txt" />
    </StepLayout>
  );
}

/** The report: the summary with counts per group, then the rows, paged; → opens a change. */
function ChangesScreen(props: { report: ArchiveDiffReport; onClose: () => void }): React.JSX.Element {
  const { rows: bodyRows } = useBody();
  const rows = React.useMemo(() => changeRows(props.report), [props.report]);
  const summary = React.useMemo(() => changesSummary(props.report), [props.report]);
  const changes = rows.flatMap((r, i) => (r.kind === 'change' ? [i] : []));
  const [at, setAt] = useState(0);
  const { detail, open, close } = useDetail();
  const cursor = changes[Math.min(at, Math.max(0, changes.length - 1))] ?? -1;
  useKeys((_input, key) => {
    if (key.escape || key.leftArrow) props.onClose();
    else if (key.upArrow) setAt(Math.max(0, at - 1));
    else if (key.downArrow) setAt(Math.min(changes.length - 1, at + 1));
    else if ((key.rightArrow || key.return) && cursor >= 0) open(changeDetail(rows[cursor] as Extract<ChangeRow, { kind: 'change' }>));
  }, { isActive: !detail });
  if (detail) return <DetailScreen detail={detail} onClose={close} />;
  const { columns } = useBody();
  const summaryRows = summary.reduce((n, l) => n + wrapLines(l, columns).length, 0);
  const room = Math.max(1, bodyRows - summaryRows - 1);
  const win = windowOf(rows.length, Math.max(cursor, 0), room);
  return (
    <StepLayout help={CHANGES_HELP}>
      {summary.map((l, k) => <Wrapped key={`s${k}`} bold={k === 0} tone={k === 0 ? undefined : 'muted'} text={l} />)}
      <Box flexDirection="column">
        {rows.slice(win.start, win.end).map((r, k) =>
          r.kind === 'group' ? (
            <Line key={win.start + k} bold text={r.text} />
          ) : (
            <Row key={win.start + k} selected={win.start + k === cursor} tone={r.warned ? 'bad' : r.risk !== 'other' ? 'warn' : undefined} text={r.text} />
          ),
        )}
      </Box>
      {rows.length > room ? <T tone="muted">{`  ${at + 1} of ${changes.length} changes${win.end < rows.length ? ' · more ↓' : ''}`}</T> : null}
    </StepLayout>
  );
}

/** The line under the list while an archive is marked as the first of two. */
export function markedLine(marked: ArchiveInfo): string {
  return `Marked ${formatTime(marked.takenAt)}: move to another archive and press w to compare (w here unmarks)`;
}
