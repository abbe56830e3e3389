/**
 * The wizard's one-line text field: ink-text-input draws the value (masked for a
 * passphrase), and this wrapper owns the keys. ink-text-input 6.0.0 cannot own them
 * itself: its handler edits the value of the last render and Ink re-subscribes it only
 * after the next render, so keys arriving before that re-render are lost (three single
 * keys written back to back left one); a chunk such as `path\r` goes into the value
 * whole, Enter included; and Ctrl-U and Ctrl-W insert `u` and `w`. So the field is
 * rendered with `focus={false}` (its own handler stays unsubscribed) and the keys come
 * through the wizard's `useKeys`, applied to the latest value kept in a ref.
 */
import React, { useRef } from 'react';
import { Text, type Key } from 'ink';
import TextInput from 'ink-text-input';
import { T, fit, useKeys } from './ui.js';
import { useBody } from './layout.js';

/** What one key (or one chunk of several) did to the field. */
export interface EditResult {
  value: string;
  /** Set when the chunk held Enter: the value at that Enter (what follows it is dropped). */
  submitted?: string;
}

/** Ctrl-W as in readline (unix-word-rubout): the spaces before the cursor, then the word before them. */
export function deleteWord(value: string): string {
  return value.replace(/\S*\s*$/, '');
}

/**
 * Applies one chunk of typed text, character by character, so a chunk holding several
 * keys (a paste, fast typing, a terminal that sends `text\r` in one write) keeps every
 * one: printable characters are added, DEL/BS delete one, Ctrl-U clears the line,
 * Ctrl-W deletes the last word, CR/LF submit, other control characters are ignored.
 * Pure; never throws.
 */
export function applyChunk(value: string, chunk: string): EditResult {
  let v = value;
  for (const c of chunk) {
    if (c === '\r' || c === '\n') return { value: v, submitted: v };
    if (c === '\u007f' || c === '\b') v = v.slice(0, -1);
    else if (c === '\u0015') v = '';
    else if (c === '\u0017') v = deleteWord(v);
    else if (!/[\u0000-\u001f\u007f-\u009f]/.test(c)) v += c;
  }
  return { value: v };
}

/**
 * What one event from Ink does to the field, or null when the field does not use it
 * (arrows, tab, escape, other control keys are left to the step). Ink names a single
 * control key (`key.return`, `key.ctrl` with `u`) and hands a multi-key chunk over as text.
 */
export function applyKey(value: string, input: string, key: Key): EditResult | null {
  if (key.return) return { value, submitted: value };
  if (key.backspace || key.delete) return { value: value.slice(0, -1) };
  if (key.ctrl && input === 'u') return { value: '' };
  if (key.ctrl && input === 'w') return { value: deleteWord(value) };
  if (key.ctrl || key.meta || key.escape || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return null;
  return applyChunk(value, input);
}

/**
 * A one-line text field. With `mask`, only asterisks are rendered (the value never
 * reaches the screen). Keys it does not use (arrows, tab, escape) are left to the step.
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
  // The value as of the last key, so keys arriving before the next render still add up.
  const current = useRef(props.value);
  current.current = props.value;
  useKeys(
    (input, key) => {
      const r = applyKey(current.current, input, key);
      if (!r) return;
      if (r.value !== current.current) {
        current.current = r.value;
        props.onChange(r.value);
      }
      if (r.submitted !== undefined) props.onSubmit(r.submitted);
    },
    { isActive: props.active },
  );
  const room = useBody().columns - props.label.length - 4;
  // Only the tail that fits is handed to the input (one column for the ellipsis).
  const cut = props.value.length > room;
  const tail = cut ? props.value.slice(props.value.length - room + 1) : props.value;
  return (
    <Text wrap="truncate-end">
      <T tone={props.active ? 'accent' : 'muted'}>{props.label}</T>
      {' '}
      {props.value.length === 0 && props.placeholder ? <T tone="muted">{fit(props.placeholder, room)}</T> : null}
      {cut ? '…' : ''}
      <TextInput value={tail} onChange={() => undefined} focus={false} showCursor={false} {...(props.mask ? { mask: '*' } : {})} />
      {props.active ? '_' : ''}
    </Text>
  );
}
