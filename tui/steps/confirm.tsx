/**
 * Step 6: the typed confirmation. Only the target's tenant id or initial domain turns
 * the run into a real restore; anything else keeps it a dry run, and the screen says so
 * before anything starts.
 */
import React, { useState } from 'react';
import { Text } from 'ink';
import { useWizard } from '../context.js';
import { StepLayout, T, fit, formatCount, useKeys } from '../ui.js';
import { TextField } from '../text-field.js';
import { visibleText } from '../../src/text.js';

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
  const what =
    state.mode === 'resume' && state.journal
      ? `resume ${state.journal.scenario}: ${formatCount(state.journal.total - state.journal.done)} operations left`
      : `${state.planResult?.plan.scenario ?? ''}: ${formatCount(state.planResult?.plan.operations.length ?? 0)} operations`;
  return (
    <StepLayout help={c ? 'enter start · esc retype · ctrl-c quit' : `type, then enter${state.mode === 'resume' ? '' : ' · tab dry run'} · esc back · ctrl-c quit`}>
      <T bold>Confirm the target</T>
      <Text> </Text>
      <T>{fit(`  Target   ${p.tenantId}`, 80)}</T>
      <T>{fit(`  Domain   ${p.initialDomain}`, 80)}</T>
      <T>{fit(`  Run      ${what}`, 80)}</T>
      {state.archive ? <T>{fit(`  Archive  of tenant ${state.archive.tenantId}`, 80)}</T> : null}
      {state.archive && state.archive.tenantId.toLowerCase() !== p.tenantId.toLowerCase() ? (
        <T tone="warn">{fit('  The archive is of ANOTHER tenant: typing the target below rebuilds it there.', 80)}</T>
      ) : null}
      <Text> </Text>
      <T>To write to this tenant, type its tenant id or initial domain.</T>
      {state.mode === 'resume' ? (
        <T>A resumed restore writes: there is no dry run of it.</T>
      ) : (
        <T>Or press tab for a DRY RUN: the plan is checked, nothing is written.</T>
      )}
      <Text> </Text>
      {c ? (
        <T>{fit(c.matches ? `Typed: ${c.typed}` : 'Dry run chosen.', 80)}</T>
      ) : (
        <TextField label="Target:" value={typed} onChange={setTyped} onSubmit={(v) => {
            setTyped('');
            dispatch({ type: 'confirmed', typed: v });
          }} active={!state.busy} />
      )}
      <Text> </Text>
      {!c && state.confirmMismatch !== null ? (
        // wrapped, never cut: a long typo still shows whole, with what to do (issue 12 item 11)
        <T tone="bad" wrap="wrap">{`✗ "${visibleText(state.confirmMismatch)}" does not match the target: type it again.`}</T>
      ) : null}
      {c ? (
        c.matches ? (
          <T tone="bad" bold wrap="wrap">
            {`LIVE RUN: changes will be written to ${p.initialDomain}. Enter starts.`}
          </T>
        ) : (
          <T tone="warn" bold>
            {fit(`DRY RUN: nothing will be written. Enter starts.`, 80)}
          </T>
        )
      ) : null}
    </StepLayout>
  );
}
