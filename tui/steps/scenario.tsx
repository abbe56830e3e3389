/** Step 1: what happened, i.e. which procedure to run. */
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useWizard } from '../context.js';
import { SCENARIOS } from '../state.js';
import { Row, StepLayout, T, Wrapped, pad, useKeys } from '../ui.js';
import { useSize } from '../layout.js';

export function ScenarioStep(): React.JSX.Element {
  const { state, dispatch } = useWizard();
  const initial = Math.max(0, SCENARIOS.findIndex((s) => s.id === state.scenario));
  const [cursor, setCursor] = useState(initial);
  // the title and its "when" side by side where they fit; else the cursor's "when" under the list
  const wide = useSize().columns >= 76;
  useKeys(
    (input, key) => {
      if (key.upArrow || input === 'k') setCursor((c) => (c + SCENARIOS.length - 1) % SCENARIOS.length);
      else if (key.downArrow || input === 'j') setCursor((c) => (c + 1) % SCENARIOS.length);
      else if (key.return) dispatch({ type: 'scenarioChosen', scenario: SCENARIOS[cursor]!.id });
    },
    { isActive: !state.busy },
  );
  return (
    <StepLayout help="↑↓ move · enter choose · ctrl-c quit">
      <T bold>What happened? Choose the procedure to run.</T>
      {wide ? <Text> </Text> : null}
      <Box flexDirection="column">
        {SCENARIOS.map((s, i) => (
          <Row key={s.id} selected={i === cursor} text={wide ? `${pad(s.title, 20)}  ${s.when}` : s.title} />
        ))}
      </Box>
      {wide ? null : <Wrapped tone="accent" text={`  ${SCENARIOS[cursor]!.when}`} indent={2} />}
      <Text> </Text>
      <Wrapped tone="muted" text="Every step here is also a command: entra-vault restore|drill|verify --help." />
      <Wrapped tone="muted" text="Nothing is written to a tenant before you type its id on the Confirm step." />
    </StepLayout>
  );
}
