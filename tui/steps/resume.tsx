/** Shown first when a restore journal did not finish: offer to continue it. */
import React from 'react';
import { Text } from 'ink';
import { useWizard } from '../context.js';
import { StepLayout, T, fit, formatCount, formatTime, useKeys } from '../ui.js';

export function ResumeStep(): React.JSX.Element {
  const { state, dispatch } = useWizard();
  const j = state.journal;
  useKeys(
    (input, key) => {
      if (key.return || input === 'y') dispatch({ type: 'resumeAnswered', resume: true });
      else if (input === 'n') dispatch({ type: 'resumeAnswered', resume: false });
    },
    { isActive: !state.busy },
  );
  if (!j) return <StepLayout help="ctrl-c quit">{null}</StepLayout>;
  const target = 'emulator' in j.target ? 'built-in emulator' : j.target.profilePath;
  return (
    <StepLayout help="enter/y resume · n start a new recovery · ctrl-c quit">
      <T bold tone="warn">
        An unfinished restore was found.
      </T>
      <Text> </Text>
      <T>{fit(`  Scenario   ${j.scenario}`, 80)}</T>
      <T>{fit(`  Archive    ${j.archivePath}`, 80)}</T>
      <T>{fit(`  Target     ${j.targetTenantId} (${target})`, 80)}</T>
      <T>{fit(`  Started    ${formatTime(j.startedAt)}`, 80)}</T>
      <T>{fit(`  Progress   ${formatCount(j.done)} of ${formatCount(j.total)} operations done`, 80)}</T>
      <T>{fit(`  Journal    ${j.journalPath}`, 80)}</T>
      <Text> </Text>
      <T>Resuming skips every operation the journal records as done: nothing is</T>
      <T>created twice. You will unlock the archive, reconnect and confirm again.</T>
    </StepLayout>
  );
}
