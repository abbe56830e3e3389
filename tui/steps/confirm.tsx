/**
 * Step 6: the typed confirmation. Only the target's tenant id or initial domain turns
 * the run into a real restore; anything else keeps it a dry run, and the screen says so
 * before anything starts. Nothing here is cut: the tenant id, the mismatch and the LIVE RUN
 * banner wrap, and on a short terminal the explanations and blank lines go first (issue 12
 * item 10), never the target, the field or the banner.
 */
import React, { useState } from 'react';
import { Text } from 'ink';
import { useWizard } from '../context.js';
import { Field, StepLayout, Wrapped, formatCount, useKeys, type Tone } from '../ui.js';
import { FIELD_KEYS, TextField } from '../text-field.js';
import { visibleText } from '../../src/text.js';
import { chooseBlocks, useBody, wrapLines } from '../layout.js';

export function ConfirmStep(): React.JSX.Element {
  const { state, dispatch } = useWizard();
  const [typed, setTyped] = useState('');
  const p = state.preflight;
  const c = state.confirmation;

  useKeys(
    (_input, key) => {
      if (key.tab && !c && state.mode !== 'resume') {
        dispatch({ type: 'dryRunChosen' });
        return;
      }
      if (key.escape) {
        if (c) {
          setTyped('');
          dispatch({ type: 'confirmReset' });
        }
        else dispatch({ type: 'back' });
      } else if (key.return && c) dispatch({ type: 'next' });
    },
    { isActive: !state.busy },
  );

  if (!p) return <StepLayout help="esc back · ctrl-c quit">{null}</StepLayout>;
  return (
    <StepLayout help={c ? 'enter start · esc retype · ctrl-c quit' : `type, then enter${state.mode === 'resume' ? '' : ' · tab dry run'} · ${FIELD_KEYS} · esc back · ctrl-c quit`}>
      <ConfirmBody typed={typed} setTyped={setTyped} />
    </StepLayout>
  );
}

interface Part {
  key: string;
  text: string;
  tone?: Tone;
  bold?: boolean;
  drop: number;
}

/** The Confirm screen's lines in the rows the terminal leaves: the less needed go first. */
function ConfirmBody(props: { typed: string; setTyped: (v: string) => void }): React.JSX.Element {
  const { state, dispatch } = useWizard();
  const { columns, rows } = useBody();
  const p = state.preflight!;
  const c = state.confirmation;
  const what =
    state.mode === 'resume' && state.journal
      ? `resume ${state.journal.scenario}: ${formatCount(state.journal.total - state.journal.done)} operations left`
      : `${state.planResult?.plan.scenario ?? ''}: ${formatCount(state.planResult?.plan.operations.length ?? 0)} operations`;
  const foreign = state.archive && state.archive.tenantId.toLowerCase() !== p.tenantId.toLowerCase();
  const parts: Part[] = [
    { key: 'title', text: 'Confirm the target', bold: true, drop: 3 },
    { key: 'b1', text: '', drop: 9 },
    { key: 'target', text: '', drop: 0 },
    { key: 'domain', text: '', drop: 0 },
    { key: 'run', text: '', drop: 2 },
    ...(state.archive ? [{ key: 'archive', text: '', drop: 2 }] : []),
    ...(foreign ? [{ key: 'foreign', text: '  The archive is of ANOTHER tenant: typing the target below rebuilds it there.', tone: 'warn' as const, drop: 0 }] : []),
    { key: 'b2', text: '', drop: 8 },
    { key: 'how', text: 'To write to this tenant, type its tenant id or initial domain.', drop: 5 },
    { key: 'dry', text: state.mode === 'resume' ? 'A resumed restore writes: there is no dry run of it.' : 'Or press tab for a DRY RUN: the plan is checked, nothing is written.', drop: 4 },
    { key: 'b3', text: '', drop: 7 },
    { key: 'field', text: '', drop: 0 },
    { key: 'b4', text: '', drop: 6 },
  ];
  if (!c && state.confirmMismatch !== null) parts.push({ key: 'mismatch', text: `✗ "${visibleText(state.confirmMismatch)}" does not match the target: type it again.`, tone: 'bad', drop: 0 });
  if (c) {
    parts.push(
      c.matches
        ? { key: 'banner', text: `LIVE RUN: changes will be written to ${p.initialDomain}. Enter starts.`, tone: 'bad', bold: true, drop: 0 }
        : { key: 'banner', text: 'DRY RUN: nothing will be written. Enter starts.', tone: 'warn', bold: true, drop: 0 },
    );
  }
  const valueRows = (v: string): number => wrapLines(v, Math.max(10, columns - 11)).length;
  // the archive by its initial domain (from its manifest, known once it was opened to plan) and tenant id
  const archiveDomain = state.planResult?.archiveDomain;
  const archiveText = state.archive ? `${archiveDomain ? `${archiveDomain}, tenant` : 'of tenant'} ${state.archive.tenantId}` : '';
  const rowsOf = (part: Part): number =>
    part.key === 'target' ? valueRows(p.tenantId) : part.key === 'domain' ? valueRows(p.initialDomain) : part.key === 'archive' ? valueRows(archiveText) : part.key === 'field' ? 1 : wrapLines(part.text, columns).length;
  const shown = chooseBlocks(parts.map((part) => ({ rows: rowsOf(part), drop: part.drop })), rows);
  return (
    <>
      {parts.map((part, i) => {
        if (!shown[i]) return null;
        switch (part.key) {
          case 'target':
            return <Field key={part.key} label="  Target" value={p.tenantId} />;
          case 'domain':
            return <Field key={part.key} label="  Domain" value={p.initialDomain} />;
          case 'run':
            return <Field key={part.key} label="  Run" value={what} />;
          case 'archive':
            return <Field key={part.key} label="  Archive" value={archiveText} />;
          case 'field':
            return c ? (
              <Wrapped key={part.key} text={c.matches ? `Typed: ${c.typed}` : 'Dry run chosen.'} />
            ) : (
              <TextField key={part.key} label="Target:" value={props.typed} onChange={props.setTyped} onSubmit={(v) => {
                  props.setTyped('');
                  dispatch({ type: 'confirmed', typed: v });
                }} active={!state.busy} />
            );
          default:
            return part.text === '' ? <Text key={part.key}> </Text> : <Wrapped key={part.key} text={part.text} tone={part.tone ?? 'plain'} bold={part.bold ?? false} />;
        }
      })}
    </>
  );
}
