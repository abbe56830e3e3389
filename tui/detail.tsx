/**
 * The detail view of a list row (issue 12 item 11): a row is cut to the frame's width, so
 * → (or Enter where Enter has no other use) opens its whole text here, wrapped, and Esc or ←
 * returns to the list at the same row. The texts come from the step that owns the list.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { StepLayout, T } from './ui.js';

/** What a detail view shows: a title and labelled fields, each wrapped whole. */
export interface Detail {
  title: string;
  fields: { label: string; value: string }[];
}

/** Control characters would move the cursor: shown as spaces, as in every other line. */
const clean = (s: string): string => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ');

export function DetailView(props: { detail: Detail; position?: string }): React.JSX.Element {
  const { detail } = props;
  return (
    <StepLayout help="esc/← back to the list · q quit">
      <T bold wrap="wrap">
        {clean(detail.title)}
      </T>
      {props.position ? <T tone="muted">{props.position}</T> : null}
      <Text> </Text>
      {detail.fields.map((f, i) => (
        <Box key={i} flexDirection="column">
          <T tone="muted">{f.label}</T>
          <Box paddingLeft={2}>
            <Text wrap="wrap">{clean(f.value)}</Text>
          </Box>
        </Box>
      ))}
    </StepLayout>
  );
}
