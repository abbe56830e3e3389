/**
 * Step 8: verify and report. Fidelity per type, deviations, the manual-steps checklist
 * and where the report, runbook and encrypted credentials file were written (or, for
 * "verify the vault", the archive check's result).
 */
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import type { ExecuteResult, FidelityRow, VerifyArchiveResult } from '../services.js';
import { useWizard } from '../context.js';
import { restoredEverything } from '../report-rows.js';
import { Row, StepLayout, T, fit, formatBytes, formatCount, formatDuration, pad, windowOf, useKeys } from '../ui.js';
import { DetailView, type Detail } from '../detail.js';

type View = 'failures' | 'fidelity' | 'deviations' | 'manual' | 'files';
const VIEWS: View[] = ['failures', 'fidelity', 'deviations', 'manual', 'files'];
const ROWS = 10;

/**
 * The exit code of a finished wizard, as the CLI's (src/cli/exit.ts): 0 only when everything
 * was restored (or a dry run), 2 paused, 1 when anything failed, was skipped or is missing,
 * or the vault check failed.
 */
export function exitCodeOf(result: ExecuteResult | null, verify: VerifyArchiveResult | null): number {
  if (verify) return verify.ok ? 0 : 1;
  if (!result) return 1;
  if (result.status === 'paused') return 2;
  if (result.status === 'dryRun') return 0;
  return restoredEverything(result) ? 0 : 1;
}

/** The one line people read: it follows the real outcome, never the status alone. */
export function headlineOf(r: ExecuteResult): { tone: 'good' | 'warn' | 'bad'; text: string } {
  if (r.status === 'dryRun') return { tone: 'warn', text: 'Dry run finished: nothing was written.' };
  if (r.status === 'paused') return { tone: 'warn', text: 'Paused at an operation boundary: reopen the wizard to resume.' };
  if (r.failed > 0 || r.skipped > 0) {
    return { tone: 'bad', text: `✗ Restore INCOMPLETE: ${formatCount(r.failed)} failed, ${formatCount(r.skipped)} skipped. Reopen the wizard to resume.` };
  }
  if (!restoredEverything(r)) {
    return { tone: 'warn', text: `! Restore finished with ${formatCount(r.deviations.length)} deviations: see Deviations and Manual steps.` };
  }
  return { tone: 'good', text: '✓ Restore completed and verified.' };
}

function ratio(x: { expected: number; matched: number }): string {
  if (x.expected === 0) return '-';
  // Rounded down, so a single missing attribute never shows as 100%.
  return x.matched === x.expected ? '100%' : `${(Math.floor((x.matched / x.expected) * 1000) / 10).toFixed(1)}%`;
}

/** A path cut from the left when too long: the file name is what the operator needs to see. */
export function fitPath(path: string, width: number): string {
  const chars = [...path];
  return chars.length <= width ? path : `…${chars.slice(chars.length - (width - 1)).join('')}`;
}

export function fidelityLine(r: FidelityRow): string {
  const cell = (x: { expected: number; matched: number }, w: number): string => pad(`${formatCount(x.matched)}/${formatCount(x.expected)} ${ratio(x)}`, w);
  return `${pad(r.type, 23)} ${cell(r.objects, 18)} ${cell(r.attributes, 19)} ${cell(r.relations, 17)}`.trimEnd();
}

export function ReportStep(): React.JSX.Element {
  const { state, exit } = useWizard();
  const [view, setView] = useState<View>(state.result && state.result.failed > 0 ? 'failures' : 'fidelity');
  const [cursor, setCursor] = useState(0);
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const [detail, setDetail] = useState(false);
  const r = state.result;
  const v = state.verifyResult;

  useKeys((input, key) => {
    if (input === 'q' || (key.return && view !== 'manual' && !detail)) {
      exit(exitCodeOf(r, v));
      return;
    }
    if (!r) return;
    if (detail) {
      if (key.escape || key.leftArrow || key.return) setDetail(false);
      return;
    }
    if (key.rightArrow && detailOf(r, view, cursor)) setDetail(true);
    else if (key.tab) {
      setView((w) => VIEWS[(VIEWS.indexOf(w) + 1) % VIEWS.length]!);
      setCursor(0);
    } else if (key.upArrow) setCursor((c) => Math.max(0, c - 1));
    else if (key.downArrow) setCursor((c) => Math.min(Math.max(0, lengthOf(r, view) - 1), c + 1));
    else if (view === 'manual' && (input === ' ' || key.return)) {
      const step = r.manualSteps[cursor];
      if (!step) return;
      setTicked((t) => {
        const n = new Set(t);
        if (n.has(step.id)) n.delete(step.id);
        else n.add(step.id);
        return n;
      });
    }
  });

  if (v) return <VerifyReport result={v} />;
  if (!r) return <StepLayout help="q quit">{null}</StepLayout>;

  const shown = detail ? detailOf(r, view, cursor) : undefined;
  if (shown) return <DetailView detail={shown} position={`${cursor + 1} of ${lengthOf(r, view)}`} />;
  const headline = headlineOf(r);
  const tabs = VIEWS.map((w) => {
    const label =
      w === 'failures' ? `Failures (${r.failed})` : w === 'fidelity' ? 'Fidelity' : w === 'deviations' ? `Deviations (${r.deviations.length})` : w === 'manual' ? `Manual steps (${ticked.size}/${r.manualSteps.length})` : 'Files';
    return w === view ? `[${label}]` : ` ${label} `;
  }).join(' ');
  return (
    <StepLayout help={view === 'manual' ? '↑↓ move · space tick · → details · tab view · q quit' : view === 'failures' || view === 'deviations' ? '↑↓ scroll · → details · tab view · enter/q quit' : '↑↓ scroll · tab view · enter/q quit'}>
      <T bold tone={headline.tone}>
        {headline.text}
      </T>
      <T tone="accent">{fit(tabs, 80)}</T>
      <ReportView result={r} view={view} cursor={cursor} ticked={ticked} />
    </StepLayout>
  );
}

/** "Verify the vault": the archive check's result. */
function VerifyReport(props: { result: VerifyArchiveResult }): React.JSX.Element {
  const v = props.result;
  return (
    <StepLayout help="enter/q quit">
      <T bold tone={v.ok ? 'good' : 'bad'}>
        {v.ok ? '✓ The archive is intact and decrypts.' : '✗ The archive failed verification.'}
      </T>
      <Text> </Text>
      <T>{fit(`  Archive     ${v.archivePath}`, 80)}</T>
      <T>{`  Signature   ${v.signature}`}</T>
      <T>{`  Entries     ${formatCount(v.entries)} checked`}</T>
      <T>{`  Size        ${formatBytes(v.bytes)}`}</T>
      <Text> </Text>
      {v.problems.slice(0, 8).map((p, i) => (
        <T key={i} tone="bad">
          {fit(`  ✗ ${p}`, 80)}
        </T>
      ))}
    </StepLayout>
  );
}

/** The whole text of the row under the cursor, for the detail view (undefined: nothing to open). */
export function detailOf(r: ExecuteResult, view: View, cursor: number): Detail | undefined {
  if (view === 'failures') {
    const f = r.failures[cursor];
    return f ? { title: `Failed: ${f.label}`, fields: [{ label: 'Why', value: f.reason }, { label: 'Next', value: 'fix the cause, then resume the restore: the journal runs the failed and skipped operations again' }] } : undefined;
  }
  if (view === 'deviations') {
    const d = r.deviations[cursor];
    return d ? { title: `${d.type} ${d.displayName ?? d.archivedId}`, fields: [{ label: 'Archived id', value: d.archivedId }, { label: 'Deviation', value: d.reason }] } : undefined;
  }
  if (view === 'manual') {
    const m = r.manualSteps[cursor];
    if (!m) return undefined;
    const objects = m.objects.length ? [{ label: `Objects (${m.objects.length})`, value: `${m.objects.slice(0, 20).join(', ')}${m.objects.length > 20 ? `, … (${m.objects.length - 20} more in the report)` : ''}` }] : [];
    return { title: m.title, fields: [{ label: 'What to do', value: m.instructions }, ...objects] };
  }
  return undefined;
}

function lengthOf(r: ExecuteResult, view: View): number {
  if (view === 'failures') return r.failures.length;
  return view === 'fidelity' ? r.fidelity.length : view === 'deviations' ? r.deviations.length : view === 'manual' ? r.manualSteps.length : 0;
}

/** The body of the current tab, its rows windowed around the cursor. */
function ReportView(props: { result: ExecuteResult; view: View; cursor: number; ticked: Set<string> }): React.JSX.Element {
  const { result: r, view, cursor, ticked } = props;
  const win = windowOf(lengthOf(r, view), cursor, ROWS);
  if (view === 'fidelity') {
    return (
      <Box flexDirection="column">
        <T tone="muted">{`${pad('type', 23)} ${pad('objects', 18)} ${pad('attributes', 19)} relations`}</T>
        {r.fidelity.slice(win.start, win.end).map((f) => (
          <T key={f.type} tone={f.objects.matched < f.objects.expected || f.attributes.matched < f.attributes.expected ? 'warn' : 'plain'}>
            {fit(fidelityLine(f), 80)}
          </T>
        ))}
      </Box>
    );
  }
  if (view === 'failures') {
    return (
      <Box flexDirection="column">
        {r.failed === 0 && r.skipped === 0 ? <T tone="good">No operation failed.</T> : null}
        {r.skipped > 0 ? <T tone="bad">{`${formatCount(r.skipped)} operations were skipped because something they need failed.`}</T> : null}
        {r.failures.slice(win.start, win.end).map((f, k) => (
          <Row key={`${f.label}:${k}`} selected={win.start + k === cursor} text={`${pad(f.label, 34)} ${f.reason}`} />
        ))}
      </Box>
    );
  }
  if (view === 'deviations') {
    return (
      <Box flexDirection="column">
        {r.deviations.length === 0 ? <T tone="good">No deviations.</T> : null}
        {r.deviations.slice(win.start, win.end).map((d, k) => (
          <Row key={`${d.archivedId}:${k}`} selected={win.start + k === cursor} text={`${pad(d.type, 18)} ${pad(d.displayName ?? d.archivedId, 22)} ${d.reason}`} />
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
        {r.manualSteps[cursor] ? <T tone="muted">{fit(`    ${r.manualSteps[cursor]!.instructions}`, 80)}</T> : null}
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <T>{`Report        ${fitPath(r.reportPath, 66)}`}</T>
      <T>{`Runbook       ${fitPath(r.runbookPath, 66)}`}</T>
      <T>{`Credentials   ${r.credentialsPath ? `${fitPath(r.credentialsPath, 50)} (age-encrypted)` : 'none written'}`}</T>
      {r.credentialsPath ? (
        // how to read it: the temporary passwords are only in this file (issue 12 item 14)
        <T tone="muted" wrap="wrap">{`  read it on this terminal: entra-vault credentials show ${r.credentialsPath} --identity <your identity file>`}</T>
      ) : null}
      {r.journalPath ? <T>{`Journal       ${fitPath(r.journalPath, 66)}`}</T> : null}
      <Text> </Text>
      <T tone="muted">Time per tier</T>
      {r.perTier.map((t) => (
        <T key={t.tier}>{`  Tier ${t.tier}   ${formatCount(t.operations).padStart(8)} ops   ${formatDuration(t.elapsedMs).padStart(8)}`}</T>
      ))}
    </Box>
  );
}
