/** Shown first when a restore journal did not finish: offer to continue it. */
import React from 'react';
import { Text } from 'ink';
import { useWizard } from '../context.js';
import { Field, StepLayout, T, Wrapped, formatCount, formatTime, useKeys } from '../ui.js';

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
      <Field label="  Scenario" labelWidth={13} value={j.scenario} />
      <Field label="  Archive" labelWidth={13} value={j.archivePath} />
      <Field label="  Target" labelWidth={13} value={`${j.targetTenantId} (${target})`} />
      <Field label="  Started" labelWidth={13} value={formatTime(j.startedAt)} />
      <Field label="  Progress" labelWidth={13} value={`${formatCount(j.done)} of ${formatCount(j.total)} operations done`} />
      <Field label="  Journal" labelWidth={13} value={j.journalPath} />
      <Text> </Text>
      <Wrapped text="Resuming skips every operation the journal records as done: nothing is created twice. You will unlock the archive, reconnect and confirm again." />
    </StepLayout>
  );
}
