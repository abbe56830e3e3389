/**
 * The wizard's one-line text field: a value edited at a cursor (text-edit.ts), drawn with
 * the cursor as an inverse character, masked for a passphrase. It owns its keys through the
 * wizard's `useKeys` and applies them to the latest value kept in a ref, so keys arriving
 * before the next render (fast typing, a paste, `path\r` in one write) all count, in order.
 * (ink-text-input cannot be used for this: its handler edits the value of the last render,
 * it puts a chunk's Enter into the value, and it types `u` for Ctrl-U.)
 *
 * Arrows left and right, Home and End move in the text, so a step never reads ← as "back"
 * while a field is on screen: Esc is back on every step.
 */
import React, { useReducer, useRef } from 'react';
import { Text, Transform } from 'ink';
import { T, fit, useKeys } from './ui.js';
import { useBody } from './layout.js';
import { editChunk, fieldView, type EditState } from './text-edit.js';

export { applyChunk, deleteWord, editChunk, fieldView, type EditResult, type EditState } from './text-edit.js';

/** The keys a field understands, for the key line of a step that shows one. */
export const FIELD_KEYS = '←→ cursor';

/**
 * The cell under the cursor, in inverse. A terminal without attributes (TERM=dumb: Ink's
 * chalk then writes none) would show a plain cell and lose the cursor, so it is marked in
 * the text there instead: `_` at the end, a bar before the character elsewhere.
 */
function CursorCell(props: { char: string }): React.JSX.Element {
  const atEnd = props.char === '';
  return (
    <Transform transform={(out) => (out.includes('\u001B[') ? out : atEnd ? '_' : `▏${out}`)}>
      <Text inverse>{atEnd ? ' ' : props.char}</Text>
    </Transform>
  );
}

/**
 * A one-line text field. With `mask`, only asterisks are drawn (the value never reaches
 * the screen). Keys it does not use (up, down, tab, escape) are left to the step.
 */
export function TextField(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  onSubmit: (v: string) => void;
  active: boolean;
  mask?: boolean;
  placeholder?: string;
}): React.JSX.Element {
  // The value and cursor as of the last key, so keys arriving before the next render add up.
  const edit = useRef<EditState>({ value: props.value, cursor: props.value.length });
  // A value set from outside (cleared after a submit, restored on return): the cursor goes to its end.
  if (edit.current.value !== props.value) edit.current = { value: props.value, cursor: props.value.length };
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  useKeys(
    (_input, _key, raw) => {
      const before = edit.current;
      const r = editChunk(before, raw);
      edit.current = { value: r.value, cursor: r.cursor };
      if (r.value !== before.value) props.onChange(r.value);
      else if (r.cursor !== before.cursor) redraw();
      if (r.submitted !== undefined) props.onSubmit(r.submitted);
    },
    { isActive: props.active },
  );
  const room = useBody().columns - props.label.length - 4;
  const { value, cursor } = edit.current;
  const shown = props.mask ? '*'.repeat(value.length) : value;
  const view = fieldView(shown, cursor, room);
  return (
    <Text wrap="truncate-end">
      <T tone={props.active ? 'accent' : 'muted'}>{props.label}</T>
      {' '}
      {value.length === 0 && props.placeholder ? <T tone="muted">{fit(props.placeholder, room - 1)}</T> : null}
      {view.cutStart ? '…' : ''}
      {view.before}
      {props.active ? <CursorCell char={view.at} /> : view.at}
      {view.after}
      {view.cutEnd ? '…' : ''}
    </Text>
  );
}
