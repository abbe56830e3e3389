/**
 * Shared building blocks of the wizard's screens: the colour theme (NO_COLOR aware),
 * the frame (header, step bar, status lines, keyboard help), the one key subscription
 * (`useKeys`) and small formatters; the text field is in text-field.tsx. Everything is laid out for 80 columns: single lines are
 * truncated, never wrapped past the width.
 */
import React, { createContext, useCallback, useContext, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Box, Text, useInput, type Key } from 'ink';
import { isVaultError } from '../src/errors.js';
import { STEP_TITLES, type ShownError, type StepId } from './state.js';

export const WIDTH = 80;

export type Tone = 'accent' | 'good' | 'bad' | 'warn' | 'muted' | 'plain';

interface Theme {
  noColor: boolean;
}

const ThemeContext = createContext<Theme>({ noColor: false });
export const ThemeProvider = ThemeContext.Provider;

const COLORS: Record<Tone, string | undefined> = {
  accent: 'cyan',
  good: 'green',
  bad: 'red',
  warn: 'yellow',
  muted: 'gray',
  plain: undefined,
};

/** Text in a tone. Under NO_COLOR the tone adds nothing: meaning is always also in the words. */
export function T(props: { tone?: Tone; bold?: boolean; children: React.ReactNode; wrap?: 'wrap' | 'truncate-end' }): React.JSX.Element {
  const { noColor } = useContext(ThemeContext);
  const color = noColor ? undefined : COLORS[props.tone ?? 'plain'];
  return (
    <Text color={color} bold={props.bold} wrap={props.wrap ?? 'truncate-end'}>
      {props.children}
    </Text>
  );
}

/** One line, cut to `width` columns with an ellipsis (wide characters count as one: we only print narrow ones). */
export function fit(text: string, width: number): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return clean.length <= width ? clean : `${clean.slice(0, Math.max(0, width - 1))}…`;
}

export function pad(text: string, width: number): string {
  const f = fit(text, width);
  return f + ' '.repeat(Math.max(0, width - f.length));
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** `2025-01-12T03:00:00Z` → `2025-01-12 03:00Z`. */
export function formatTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}Z` : fit(iso, 17);
}

/** Turns any rejection into what the status lines show. */
export function toShown(e: unknown): ShownError {
  if (isVaultError(e)) return { code: e.code, message: e.message, hint: e.hint };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'BUG', message: `unexpected error: ${message}`, hint: 'this is a bug in entra-vault; please report it' };
}

/** The visible window of a list of `size` rows around `cursor`. */
export function windowOf(length: number, cursor: number, size: number): { start: number; end: number } {
  if (length <= size) return { start: 0, end: length };
  const start = Math.min(Math.max(0, cursor - Math.floor(size / 2)), length - size);
  return { start, end: start + size };
}

export function StepBar(props: { steps: StepId[]; current: StepId }): React.JSX.Element {
  const i = props.steps.indexOf(props.current);
  return (
    <Box>
      {props.steps.map((s, k) => (
        <Text key={s}>
          {k > 0 ? ' › ' : ''}
          {k === i ? (
            <T tone="accent" bold>
              [{STEP_TITLES[s]}]
            </T>
          ) : (
            <T tone={k < i ? 'plain' : 'muted'}>{STEP_TITLES[s]}</T>
          )}
        </Text>
      ))}
    </Box>
  );
}

const StatusContext = createContext<{ error: ShownError | null; busy: string | null; cancellable?: boolean }>({ error: null, busy: null });
export const StatusProvider = StatusContext.Provider;

/**
 * A step's body: its content, then two status lines (error or waiting), then the
 * keyboard help line at the bottom of the frame.
 */
export function StepLayout(props: { help: string; children: React.ReactNode }): React.JSX.Element {
  const { error, busy, cancellable } = useContext(StatusContext);
  const waited = useElapsed(busy);
  return (
    <Box flexDirection="column" flexGrow={1}>
      <Box flexDirection="column" flexGrow={1} overflowY="hidden">
        {props.children}
      </Box>
      {error ? (
        <>
          {/* wrapped, never cut: an error and its next step are read whole (issue 12 item 11) */}
          <T tone="bad" bold wrap="wrap">
            {`✗ ${error.code}: ${error.message}`.replace(/[\u0000-\u001f\u007f]/g, ' ')}
          </T>
          <T tone="muted" wrap="wrap">{error.hint ? `  ${error.hint}`.replace(/[\u0000-\u001f\u007f]/g, ' ') : ' '}</T>
        </>
      ) : (
        <>
          <T tone="warn">{fit(busy ? `… ${busy} · ${waited} s` : '', WIDTH)}</T>
          <Text> </Text>
        </>
      )}
      <T tone="muted">{fit(busy ? `please wait · ${cancellable ? 'esc cancel · ' : ''}ctrl-c quit` : props.help, WIDTH)}</T>
    </Box>
  );
}

/** Whole seconds since `busy` last became non-null, ticking once a second while it stays so. */
function useElapsed(busy: string | null): number {
  const [since, setSince] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!busy) {
      setSince(null);
      return undefined;
    }
    const start = Date.now();
    setSince(start);
    setNow(start);
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [busy]);
  return since === null ? 0 : Math.max(0, Math.floor((now - since) / 1000));
}

interface KeyEntry {
  handler: (input: string, key: Key) => void;
  active: boolean;
}

const KeysContext = createContext<Set<KeyEntry> | null>(null);

/**
 * The wizard's one subscription to Ink's input, handing each key to the handlers
 * registered by `useKeys`. Ink subscribes a `useInput` handler in a passive effect,
 * which can run well after the frame is drawn; a key typed in that gap would reach
 * the previous screen's handler or none. Registering in a layout effect (run during
 * the commit, before the frame is written) closes that gap.
 */
export function KeysProvider(props: { children: React.ReactNode }): React.JSX.Element {
  const entries = useRef(new Set<KeyEntry>()).current;
  useInput((input, key) => {
    for (const e of [...entries]) {
      // A handler earlier in this loop may have unmounted this one.
      if (entries.has(e) && e.active) e.handler(input, key);
    }
  });
  return <KeysContext.Provider value={entries}>{props.children}</KeysContext.Provider>;
}

/** Like Ink's `useInput`, but always calling the handler of the latest render (see KeysProvider). */
export function useKeys(handler: (input: string, key: Key) => void, options: { isActive?: boolean } = {}): void {
  const entries = useContext(KeysContext);
  const entry = useRef<KeyEntry>({ handler, active: true }).current;
  entry.handler = handler;
  entry.active = options.isActive !== false;
  useLayoutEffect(() => {
    if (!entries) throw new Error('useKeys needs a KeysProvider');
    entries.add(entry);
    return () => {
      entries.delete(entry);
    };
  }, [entries, entry]);
}

/**
 * `useState` whose latest value is also readable at once (`latest()`), for key handlers:
 * under load several keys can arrive before the next render, and a handler that read the
 * rendered value would act on a stale one (a toggle on the wrong row, a re-plan without
 * the last tick). Updates go through the ref first, so they add up in order.
 */
export function useLatestState<V>(initial: V): [V, (next: V | ((prev: V) => V)) => void, () => V] {
  const [value, setValue] = useState(initial);
  const ref = useRef(initial);
  const set = useCallback((next: V | ((prev: V) => V)) => {
    ref.current = typeof next === 'function' ? (next as (prev: V) => V)(ref.current) : next;
    setValue(ref.current);
  }, []);
  const latest = useCallback(() => ref.current, []);
  return [value, set, latest];
}

/** A list row with the cursor marker (the marker, not colour, shows the cursor). */
export function Row(props: { selected: boolean; tone?: Tone; text: string }): React.JSX.Element {
  return (
    <T tone={props.tone ?? (props.selected ? 'accent' : 'plain')} bold={props.selected}>
      {fit(`${props.selected ? '›' : ' '} ${props.text}`, WIDTH)}
    </T>
  );
}
