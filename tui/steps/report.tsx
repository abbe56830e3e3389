/**
 * Step 8: verify and report. Fidelity per type, deviations, the manual-steps checklist
 * and where the report, runbook and encrypted credentials file were written (or, for
 * "verify the vault", the archive check's result).
 */
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import type { ExecuteResult, FidelityRow, VerifyArchiveResult } from '../services.js';
import { useWizard } from '../context.js';
import { exitCodeOf, fidelityCell, fileRows, headlineOf, ratio } from '../report-rows.js';

// the outcome's rules are pure and shared with the plain wizard (tui/plain/)
export { exitCodeOf, headlineOf } from '../report-rows.js';
import { DetailScreen, useDetail, type Detail } from '../detail.js';
import { fitMiddle, useBody, wrapLines } from '../layout.js';
import { Field, Line, Row, StepLayout, T, Wrapped, fit, formatBytes, formatCount, formatDuration, pad, windowOf, useKeys } from '../ui.js';

export type View = 'failures' | 'fidelity' | 'deviations' | 'manual' | 'files';
const VIEWS: View[] = ['failures', 'fidelity', 'deviations', 'manual', 'files'];

/** At most this many rows under the headline name the Global Administrators; `a` shows them all. */
const ADMIN_ROWS = 3;

/**
 * Who holds Global Administrator after a run that brings admins back (issue 12 item 14f),
 * wrapped to `width`: those restored, and apart, those that were not. Empty for other runs.
 */
export function adminLines(r: ExecuteResult, width: number): { text: string; tone: 'good' | 'bad' }[] {
  const g = r.globalAdmins;
  if (!g || g.restored.length + g.notRestored.length === 0) return [];
  const cut = (lines: string[]): string[] => (lines.length <= ADMIN_ROWS ? lines : [...lines.slice(0, ADMIN_ROWS - 1), `${fit(lines[ADMIN_ROWS - 1]!, width - 12).replace(/…$/, '')}… (a: all)`]);
  const restored = g.restored.length > 0 ? `Global Administrator now held by (${g.restored.length}): ${g.restored.join(', ')}` : '✗ No Global Administrator was restored.';
  const out = cut(wrapLines(restored, width)).map((text) => ({ text, tone: g.restored.length > 0 ? ('good' as const) : ('bad' as const) }));
  if (g.notRestored.length > 0) out.push(...cut(wrapLines(`✗ Not restored as Global Administrator (${g.notRestored.length}): ${g.notRestored.join(', ')}`, width)).map((text) => ({ text, tone: 'bad' as const })));
  return out;
}

/** Every Global Administrator the run restored or did not, one a line (the `a` key). */
function adminsDetail(r: ExecuteResult): Detail | null {
  const g = r.globalAdmins;
  if (!g) return null;
  return { title: 'Global Administrators after the restore', fields: [['Restored', g.restored.join('\n') || 'none'], ['Not restored', g.notRestored.join('\n') || 'none']] };
}

/** A path cut from the left when too long: the file name is what the operator needs to see. */
export function fitPath(path: string, width: number): string {
  const chars = [...path];
  return chars.length <= width ? path : `…${chars.slice(chars.length - (width - 1)).join('')}`;
}

/** The type column's width in a fidelity row of `width` columns (null: too narrow for relations). */
function fidelityTypeWidth(width: number): number | null {
  return width >= 78 ? Math.min(30, width - 57) : null;
}

/** A fidelity row; below 78 columns the relations are left out (they are in the detail view). */
export function fidelityLine(r: FidelityRow, width = 80): string {
  const cell = (x: { expected: number; matched: number }, w: number): string => pad(`${formatCount(x.matched)}/${formatCount(x.expected)} ${ratio(x)}`, w);
  const t = fidelityTypeWidth(width);
  if (t === null) return `${pad(fitMiddle(r.type, 18), 18)} ${cell(r.objects, 16)} ${cell(r.attributes, 19)}`.trimEnd();
  return `${pad(fitMiddle(r.type, t), t)} ${cell(r.objects, 18)} ${cell(r.attributes, 19)} ${cell(r.relations, 17)}`.trimEnd();
}

function fidelityHeader(width: number): string {
  const t = fidelityTypeWidth(width);
  return t === null ? `${pad('type', 18)} ${pad('objects', 16)} attributes` : `${pad('type', t)} ${pad('objects', 18)} ${pad('attributes', 19)} relations`;
}

/** The Files row's mark of an encrypted file: the path is cut before it, never the mark. */
const ENCRYPTED = ' (age-encrypted)';

/** How to read the credentials file, shown under the Files view's rows. */
const credentialsHint = (path: string): string => `  read it on this terminal: entra-vault credentials show ${path} --identity <your identity file>`;

function lengthOf(r: ExecuteResult, view: View): number {
  switch (view) {
    case 'failures':
      return r.failures.length;
    case 'fidelity':
      return r.fidelity.length;
    case 'deviations':
      return r.deviations.length;
    case 'manual':
      return r.manualSteps.length;
    case 'files':
      return fileRows(r).length;
  }
}

const cell = fidelityCell;

/** The whole text of the row under the cursor (→ or Enter), or null when the view is empty. */
export function reportDetail(r: ExecuteResult, view: View, cursor: number, ticked: Set<string>): Detail | null {
  switch (view) {
    case 'failures': {
      const f = r.failures[cursor];
      return f ? { title: `Failed operation ${cursor + 1} of ${r.failures.length}`, fields: [['Operation', f.label], ['Reason', f.reason]] } : null;
    }
    case 'fidelity': {
      const f = r.fidelity[cursor];
      return f ? { title: `Fidelity of ${f.type}`, fields: [['Objects', cell(f.objects)], ['Attributes', cell(f.attributes)], ['Relations', cell(f.relations)]] } : null;
    }
    case 'deviations': {
      const d = r.deviations[cursor];
      return d ? { title: `Deviation ${cursor + 1} of ${r.deviations.length}`, fields: [['Type', d.type], ['Object', d.displayName ?? '(no display name)'], ['Archived id', d.archivedId], ['Reason', d.reason]] } : null;
    }
    case 'manual': {
      const m = r.manualSteps[cursor];
      if (!m) return null;
      return { title: `Manual step: ${m.title}`, fields: [['Kind', m.kind], ['What to do', m.instructions], ['Objects', m.objects.length === 0 ? 'none' : m.objects.join(', ')], ['Ticked', ticked.has(m.id) ? 'yes' : 'no']] };
    }
    case 'files': {
      const f = fileRows(r)[cursor];
      return f ? { title: f.what, fields: [['Path', f.path], ...(f.note ? [['', f.note] as [string, string]] : [])] } : null;
    }
  }
}

export function ReportStep(): React.JSX.Element {
  const { state, exit } = useWizard();
  const [view, setView] = useState<View>(state.result && state.result.failed > 0 ? 'failures' : 'fidelity');
  const [cursor, setCursor] = useState(0);
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const { detail, open, close } = useDetail();
  const r = state.result;
  const v = state.verifyResult;

  useKeys(
    (input, key) => {
      if (input === 'q' || (key.return && !r)) {
        exit(exitCodeOf(r, v));
        return;
      }
      if (!r) return;
      if (input === 'a' && r.globalAdmins) {
        const d = adminsDetail(r);
        if (d) open(d);
        return;
      }
      if (key.tab) {
        setView((w) => VIEWS[(VIEWS.indexOf(w) + 1) % VIEWS.length]!);
        setCursor(0);
      } else if (key.upArrow) setCursor((c) => Math.max(0, c - 1));
      else if (key.downArrow) setCursor((c) => Math.min(Math.max(0, lengthOf(r, view) - 1), c + 1));
      else if (key.rightArrow || key.return) {
        const d = reportDetail(r, view, cursor, ticked);
        if (d) open(d);
      } else if (view === 'manual' && input === ' ') {
        const step = r.manualSteps[cursor];
        if (!step) return;
        setTicked((t) => {
          const n = new Set(t);
          if (n.has(step.id)) n.delete(step.id);
          else n.add(step.id);
          return n;
        });
      }
    },
    { isActive: !detail },
  );

  if (detail) return <DetailScreen detail={detail} onClose={close} />;
  if (v) return <VerifyReport result={v} />;
  if (!r) return <StepLayout help="q quit">{null}</StepLayout>;

  const headline = headlineOf(r);
  const admins = r.globalAdmins ? ' · a admins' : '';
  return (
    <StepLayout help={view === 'manual' ? `↑↓ move · → details · space tick · tab view${admins} · q quit` : `↑↓ move · →/enter details · tab view${admins} · q quit`}>
      <Wrapped bold tone={headline.tone} text={headline.text} />
      <AdminLines result={r} />
      <Tabs result={r} view={view} ticked={ticked} />
      <ReportView result={r} view={view} cursor={cursor} ticked={ticked} />
    </StepLayout>
  );
}

function AdminLines(props: { result: ExecuteResult }): React.JSX.Element {
  const { columns } = useBody();
  return (
    <>
      {adminLines(props.result, columns).map((l, k) => (
        <T key={k} tone={l.tone}>
          {l.text}
        </T>
      ))}
    </>
  );
}

/** The view tabs, with short labels where the long ones do not fit. */
function Tabs(props: { result: ExecuteResult; view: View; ticked: Set<string> }): React.JSX.Element {
  const { columns } = useBody();
  const r = props.result;
  const label = (w: View, short: boolean): string => {
    switch (w) {
      case 'failures':
        return `${short ? 'Fail' : 'Failures'} (${r.failed})`;
      case 'fidelity':
        return 'Fidelity';
      case 'deviations':
        return `${short ? 'Dev' : 'Deviations'} (${r.deviations.length})`;
      case 'manual':
        return `${short ? 'Manual' : 'Manual steps'} (${props.ticked.size}/${r.manualSteps.length})`;
      case 'files':
        return 'Files';
    }
  };
  const tabs = (short: boolean): string => VIEWS.map((w) => (w === props.view ? `[${label(w, short)}]` : ` ${label(w, short)} `)).join(' ');
  const long = tabs(false);
  return <Line tone="accent" text={[...long].length <= columns ? long : tabs(true)} />;
}

/** "Verify the vault": the chosen archive's result, and apart from it what failed elsewhere in the vault. */
function VerifyReport(props: { result: VerifyArchiveResult }): React.JSX.Element {
  const v = props.result;
  const elsewhere = v.elsewhere ?? [];
  return (
    <StepLayout help="enter/q quit">
      <T bold tone={v.ok ? 'good' : 'bad'}>
        {v.ok ? `✓ ${elsewhere.length > 0 ? 'This' : 'The'} archive is intact and decrypts.` : '✗ This archive failed verification.'}
      </T>
      <Text> </Text>
      <Field label="  Archive" labelWidth={14} value={v.archivePath} />
      <Field label="  Signature" labelWidth={14} value={v.signature} />
      <Field label="  Entries" labelWidth={14} value={`${formatCount(v.entries)} checked`} />
      <Field label="  Size" labelWidth={14} value={formatBytes(v.bytes)} />
      <Text> </Text>
      {v.problems.map((p, i) => (
        <Wrapped key={i} tone="bad" indent={4} text={`  ✗ ${p}`} />
      ))}
      {elsewhere.length > 0 ? <Wrapped tone="bad" bold text={`✗ Elsewhere in the vault (not this archive): ${elsewhere.length} problem${elsewhere.length === 1 ? '' : 's'}`} /> : null}
      {elsewhere.map((p, i) => (
        <Wrapped key={`e${i}`} tone="bad" indent={4} text={`  ✗ ${p}`} />
      ))}
    </StepLayout>
  );
}

/** The body of the current tab, its rows windowed around the cursor in the rows the terminal leaves. */
function ReportView(props: { result: ExecuteResult; view: View; cursor: number; ticked: Set<string> }): React.JSX.Element {
  const { result: r, view, cursor, ticked } = props;
  const { columns, rows } = useBody();
  const headlineRows = wrapLines(headlineOf(r).text, columns).length + adminLines(r, columns).length;
  // Files: the files first, then the time per tier in the rows left (the admins' lines may take some)
  const credRows = r.credentialsPath ? wrapLines(credentialsHint(r.credentialsPath), columns).length : 0;
  const tiers = Math.min(r.perTier.length, Math.max(0, rows - headlineRows - 1 - credRows - 2 - fileRows(r).length));
  const extra = view === 'fidelity' ? 1 : view === 'failures' ? (r.failed === 0 && r.skipped === 0 ? 1 : 0) + (r.skipped > 0 ? 1 : 0) : view === 'manual' ? 1 : view === 'files' ? 2 + tiers + credRows : 1;
  const room = Math.max(1, rows - headlineRows - 1 - extra);
  const win = windowOf(lengthOf(r, view), cursor, room);
  // the label column as wide as the longest label, up to 45% of the width
  const labelWidth = Math.min(Math.max(10, ...r.failures.map((f) => [...f.label].length)), Math.floor(columns * 0.45));
  if (view === 'fidelity') {
    return (
      <Box flexDirection="column">
        <Line tone="muted" text={`  ${fidelityHeader(columns - 2)}`} />
        {r.fidelity.slice(win.start, win.end).map((f, k) => (
          <Row key={f.type} selected={win.start + k === cursor} tone={f.objects.matched < f.objects.expected || f.attributes.matched < f.attributes.expected ? 'warn' : undefined} text={fidelityLine(f, columns - 2)} />
        ))}
      </Box>
    );
  }
  if (view === 'failures') {
    return (
      <Box flexDirection="column">
        {r.failed === 0 && r.skipped === 0 ? <T tone="good">No operation failed.</T> : null}
        {r.skipped > 0 ? <Line tone="bad" text={`${formatCount(r.skipped)} operations were skipped because something they need failed.`} /> : null}
        {r.failures.slice(win.start, win.end).map((f, k) => (
          <Row key={`${f.label}:${k}`} selected={win.start + k === cursor} text={`${pad(f.label, labelWidth)} ${f.reason}`} />
        ))}
      </Box>
    );
  }
  if (view === 'deviations') {
    return (
      <Box flexDirection="column">
        {r.deviations.length === 0 ? <T tone="good">No deviations.</T> : null}
        {r.deviations.slice(win.start, win.end).map((d, k) => (
          <Row key={`${d.archivedId}:${k}`} selected={win.start + k === cursor} text={`${pad(fitMiddle(d.type, 18), 18)} ${pad(d.displayName ?? d.archivedId, 22)} ${d.reason}`} />
        ))}
      </Box>
    );
  }
  if (view === 'manual') {
    return (
      <Box flexDirection="column">
        {r.manualSteps.length === 0 ? <T tone="good">No manual steps.</T> : null}
        {r.manualSteps.slice(win.start, win.end).map((m, k) => (
          <Row key={m.id} selected={win.start + k === cursor} text={`[${ticked.has(m.id) ? 'x' : ' '}] ${m.title}`} />
        ))}
        {r.manualSteps[cursor] ? <Line tone="muted" text={`    ${r.manualSteps[cursor]!.instructions}`} /> : null}
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      {fileRows(r).slice(win.start, win.end).map((f, k) => (
        // the path cut from the left to leave room for its note, which is never cut
        <Row key={f.what} selected={win.start + k === cursor} text={`${pad(f.what, 12)}${fitPath(f.path, columns - 16 - (f.note ? ENCRYPTED.length : 0))}${f.note ? ENCRYPTED : ''}`} />
      ))}
      {r.credentialsPath ? (
        // how to read it: the temporary passwords are only in this file (issue 12 item 14)
        <T tone="muted" wrap="wrap">{credentialsHint(r.credentialsPath)}</T>
      ) : null}
      <Text> </Text>
      <T tone="muted">{`Time per tier${tiers < r.perTier.length ? ` (${tiers} of ${r.perTier.length} shown: all in the report)` : ''}`}</T>
      {r.perTier.slice(0, tiers).map((t) => (
        <T key={t.tier}>{`  Tier ${t.tier}   ${formatCount(t.operations).padStart(8)} ops   ${formatDuration(t.elapsedMs).padStart(8)}`}</T>
      ))}
    </Box>
  );
}
