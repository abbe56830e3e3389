/** Step 1: what happened, i.e. which procedure to run. */
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useWizard } from '../context.js';
import { SCENARIOS } from '../state.js';
import { Row, StepLayout, T, pad, useKeys } from '../ui.js';

export function ScenarioStep(): React.JSX.Element {
  const { state, dispatch } = useWizard();
  const initial = Math.max(0, SCENARIOS.findIndex((s) => s.id === state.scenario));
  const [cursor, setCursor] = useState(initial);
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
      <Text> </Text>
      <Box flexDirection="column">
        {SCENARIOS.map((s, i) => (
          <Row key={s.id} selected={i === cursor} text={`${pad(s.title, 20)}  ${s.when}`} />
        ))}
      </Box>
      <Text> </Text>
      <T tone="muted">Every step here is also a command: entra-vault restore|drill|verify --help.</T>
      <T tone="muted">Nothing is written to a tenant before you type its id on the Confirm step.</T>
    </StepLayout>
  );
}
