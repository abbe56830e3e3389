/**
 * Shared building blocks of the wizard's screens: the colour theme (NO_COLOR aware),
 * the frame (header, step bar, status lines, keyboard help), the one key subscription
 * (`useKeys`) and small formatters; the text field is in text-field.tsx. The frame is laid
 * out to the terminal's size (layout.tsx): list rows are cut to the width (each has a detail
 * view with the whole text, detail.tsx), the status lines and the key line wrap.
 */
import React, { createContext, useCallback, useContext, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Box, Text, useInput, useStdin, type Key } from 'ink';
import { STEP_TITLES, type ShownError, type StepId } from './state.js';
import { BodyProvider, HEADER_ROWS, fitMiddle, fitStart, helpLines, stepBarParts, useBody, useSize, wrapLines } from './layout.js';
import { useClock, useNow } from './clock.js';
import { fit, pad } from './format.js';

// the pure formatters live in format.ts (the plain wizard uses them without Ink)
export { fit, pad, formatBytes, formatCount, formatDuration, formatTime, toShown } from './format.js';

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

/** The visible window of a list of `size` rows around `cursor`. */
export function windowOf(length: number, cursor: number, size: number): { start: number; end: number } {
  if (length <= size) return { start: 0, end: length };
  const start = Math.min(Math.max(0, cursor - Math.floor(size / 2)), length - size);
  return { start, end: start + size };
}

export function StepBar(props: { steps: StepId[]; current: StepId }): React.JSX.Element {
  const { columns } = useSize();
  const parts = stepBarParts(props.steps.map((s) => STEP_TITLES[s]), props.steps.indexOf(props.current), columns);
  return (
    <Text wrap="truncate-end">
      {parts.map((p, k) =>
        p.kind === 'current' ? (
          <T key={k} tone="accent" bold>
            {p.text}
          </T>
        ) : (
          <T key={k} tone={p.kind === 'before' ? 'plain' : 'muted'}>
            {p.text}
          </T>
        ),
      )}
    </Text>
  );
}

export interface Status {
  error: ShownError | null;
  busy: string | null;
  cancellable?: boolean;
  /** What the wait is doing now (a phase, a count, throttling), from the service's reporter. */
  progress?: string | null;
}

const StatusContext = createContext<Status>({ error: null, busy: null });
export const StatusProvider = StatusContext.Provider;

interface StatusLine {
  text: string;
  tone: Tone;
  bold?: boolean;
}

/** The status lines under a step's body (at least two): the error and its hint, or the wait. */
export function statusLines(status: Status, waited: number, width: number): StatusLine[] {
  const { error, busy } = status;
  if (error) {
    const lines: StatusLine[] = wrapLines(`✗ ${error.code}: ${error.message}`, width).map((text) => ({ text, tone: 'bad', bold: true }));
    const hint = error.hint ? wrapLines(error.hint, width - 2).map((text) => ({ text: `  ${text}`, tone: 'muted' as const })) : [{ text: '', tone: 'muted' as const }];
    return [...lines, ...hint];
  }
  if (!busy) return [{ text: '', tone: 'warn' }, { text: '', tone: 'plain' }];
  const lines = wrapLines(`… ${busy}${status.progress ? ` · ${status.progress}` : ''} · ${waited} s`, width).map((text) => ({ text, tone: 'warn' as const }));
  return lines.length > 1 ? lines : [...lines, { text: '', tone: 'plain' }];
}

/**
 * A step's body: its content in the rows left (paged by the lists in it: `useBody`), then
 * the status lines (error or waiting, wrapped), then the keyboard help, wrapped at its
 * separators so every key stays on screen at any width.
 */
export function StepLayout(props: { help: string; children: React.ReactNode }): React.JSX.Element {
  const status = useContext(StatusContext);
  const { columns, rows } = useSize();
  const waited = useElapsed(status.busy);
  const help = status.busy ? `please wait · ${status.cancellable ? 'esc cancel · ' : ''}ctrl-c quit` : props.help;
  const keys = helpLines(help, columns);
  const lines = statusLines(status, waited, columns);
  const body = Math.max(1, rows - HEADER_ROWS - lines.length - keys.length);
  return (
    <Box flexDirection="column" flexGrow={1}>
      <Box flexDirection="column" height={body} overflowY="hidden">
        {/* rows never shrink to fit: what does not fit is cut at the bottom, never squeezed out */}
        <Box flexDirection="column" flexShrink={0}>
          <BodyProvider value={{ columns, rows: body }}>{props.children}</BodyProvider>
        </Box>
      </Box>
      {lines.map((l, k) => (
        <T key={`s${k}`} tone={l.tone} bold={l.bold ?? false}>
          {l.text === '' ? ' ' : l.text}
        </T>
      ))}
      {keys.map((l, k) => (
        <T key={`k${k}`} tone="muted">
          {l}
        </T>
      ))}
    </Box>
  );
}

/** Whole seconds since `busy` last became non-null (on the injected clock), ticking once a second. */
function useElapsed(busy: string | null): number {
  const clock = useClock();
  const [since, setSince] = useState<number | null>(null);
  const now = useNow(busy !== null);
  useEffect(() => {
    setSince(busy ? clock.now().getTime() : null);
  }, [busy, clock]);
  return since === null ? 0 : Math.max(0, Math.floor((now - since) / 1000));
}

/** A key handler: Ink's reading of the key, and the bytes it came from (one key, or text typed in one write). */
export type KeyHandler = (input: string, key: Key, raw: string) => void;

interface KeyEntry {
  handler: KeyHandler;
  active: boolean;
  /** Gets keys even while the frame is hidden (terminal below the minimum size): the App's own. */
  global: boolean;
}

const KeysContext = createContext<Set<KeyEntry> | null>(null);

/**
 * The wizard's one subscription to Ink's input, handing each key to the handlers
 * registered by `useKeys`. Ink subscribes a `useInput` handler in a passive effect,
 * which can run well after the frame is drawn; a key typed in that gap would reach
 * the previous screen's handler or none. Registering in a layout effect (run during
 * the commit, before the frame is written) closes that gap.
 *
 * Handlers also get the raw bytes of the key: Ink's flags cannot tell Backspace from the
 * forward Delete key (both `key.delete`), which a text field must. The bytes are taken from
 * Ink's input events by a listener subscribed in a layout effect, so before `useInput`'s own
 * (a passive effect, always later): each event reaches it first.
 */
export function KeysProvider(props: { children: React.ReactNode; hidden?: boolean }): React.JSX.Element {
  const entries = useRef(new Set<KeyEntry>()).current;
  const hidden = useRef(false);
  hidden.current = props.hidden ?? false;
  const raw = useRef('');
  const { internal_eventEmitter: events } = useStdin();
  useLayoutEffect(() => {
    const onInput = (data: unknown): void => {
      raw.current = typeof data === 'string' ? data : '';
    };
    events.on('input', onInput);
    return () => {
      events.removeListener('input', onInput);
    };
  }, [events]);
  useInput((input, key) => {
    for (const e of [...entries]) {
      // A handler earlier in this loop may have unmounted this one; a hidden step gets no key.
      if (entries.has(e) && e.active && (e.global || !hidden.current)) e.handler(input, key, raw.current);
    }
  });
  return <KeysContext.Provider value={entries}>{props.children}</KeysContext.Provider>;
}

/** Like Ink's `useInput`, but always calling the handler of the latest render (see KeysProvider). */
export function useKeys(handler: KeyHandler, options: { isActive?: boolean; global?: boolean } = {}): void {
  const entries = useContext(KeysContext);
  const entry = useRef<KeyEntry>({ handler, active: true, global: false }).current;
  entry.handler = handler;
  entry.active = options.isActive !== false;
  entry.global = options.global ?? false;
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

/** A list row with the cursor marker (the marker, not colour, shows the cursor), cut to the body's width. */
export function Row(props: { selected: boolean; tone?: Tone; text: string }): React.JSX.Element {
  const { columns } = useBody();
  return (
    <T tone={props.tone ?? (props.selected ? 'accent' : 'plain')} bold={props.selected}>
      {fit(`${props.selected ? '›' : ' '} ${props.text}`, columns)}
    </T>
  );
}

/**
 * A line of the body cut to its width (the whole text is in a detail view or wrapped
 * elsewhere): at the end, at the start (a path: its file name is what matters), or in the
 * middle (names sharing a long prefix).
 */
export function Line(props: { tone?: Tone; bold?: boolean; text: string; cut?: 'end' | 'start' | 'middle' }): React.JSX.Element {
  const { columns } = useBody();
  const cut = props.cut ?? 'end';
  const text = cut === 'end' ? fit(props.text, columns) : cut === 'middle' ? fitMiddle(props.text, columns) : fitStart(props.text, columns);
  return (
    <T tone={props.tone ?? 'plain'} bold={props.bold ?? false}>
      {text || ' '}
    </T>
  );
}

/** Text wrapped to the body's width (nothing cut), each line in the tone. */
export function Wrapped(props: { tone?: Tone; bold?: boolean; text: string; indent?: number }): React.JSX.Element {
  const { columns } = useBody();
  const indent = ' '.repeat(props.indent ?? 0);
  return (
    <>
      {wrapLines(props.text, columns - indent.length).map((l, k) => (
        <T key={k} tone={props.tone ?? 'plain'} bold={props.bold ?? false}>
          {`${k > 0 ? indent : ''}${l}` || ' '}
        </T>
      ))}
    </>
  );
}

/** A `Label   value` line whose value wraps under itself (a tenant id, a path: read whole). */
export function Field(props: { label: string; value: string; labelWidth?: number; tone?: Tone; bold?: boolean }): React.JSX.Element {
  const { columns } = useBody();
  const w = props.labelWidth ?? 11;
  const lines = wrapLines(props.value, Math.max(10, columns - w));
  return (
    <>
      {lines.map((l, k) => (
        <T key={k} tone={props.tone ?? 'plain'} bold={props.bold ?? false}>
          {`${k === 0 ? pad(props.label, w) : ' '.repeat(w)}${l}`}
        </T>
      ))}
    </>
  );
}
