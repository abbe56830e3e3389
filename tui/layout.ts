/**
 * The wizard lays out to the terminal (issue 12 item 10): the frame is as wide as the
 * terminal and one row less than it is high (so Ink never scrolls), with no maximum and a
 * minimum below which only a one-line request to enlarge the terminal is drawn. The header,
 * the step bar, the status lines and the key line always fit; the step's body gets the rows
 * that are left (`useBody`), and its lists page within them.
 *
 * Text that does not fit is wrapped (`wrapLines`, by wrap-ansi, the library Ink itself wraps
 * with) or, in a list row, cut with an ellipsis (`fit` in ui.tsx) or in the middle
 * (`fitMiddle`, for type names that share a long prefix); every cut list row has a detail
 * view with its whole text (detail.tsx).
 */
import { createContext, useContext, useEffect, useState } from 'react';
import { useStdout } from 'ink';
import wrapAnsi from 'wrap-ansi';

/** Below this the wizard draws one line asking for a larger terminal. */
export const MIN_COLUMNS = 60;
export const MIN_ROWS = 20;

/** Rows above a step's body: the header, the step bar and the rule under them. */
export const HEADER_ROWS = 3;

export interface Size {
  columns: number;
  rows: number;
}

/** The frame's size (terminal columns; terminal rows less one). */
const SizeContext = createContext<Size>({ columns: 80, rows: 23 });
export const SizeProvider = SizeContext.Provider;

export function useSize(): Size {
  return useContext(SizeContext);
}

/** What a step's body may use: the rows left between the step bar and the status lines. */
const BodyContext = createContext<Size>({ columns: 80, rows: 17 });
export const BodyProvider = BodyContext.Provider;

export function useBody(): Size {
  return useContext(BodyContext);
}

/** The terminal's size as Ink's stdout reports it, following every resize. */
export function useTerminalSize(): Size {
  const { stdout } = useStdout();
  const read = (): Size => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = (): void => setSize(read());
    stdout.on('resize', onResize);
    onResize();
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

/** Whether the terminal is below the minimum the wizard lays out for. */
export function tooSmall(terminal: Size): boolean {
  return terminal.columns < MIN_COLUMNS || terminal.rows < MIN_ROWS;
}

/** The one line drawn instead of the frame on a terminal below the minimum. */
export function enlargeLine(terminal: Size): string {
  return `enlarge the terminal to at least ${MIN_COLUMNS}×${MIN_ROWS} (it is ${terminal.columns}×${terminal.rows})`;
}

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * `text` wrapped to `width` columns: at spaces where it can, inside a word (a path, an id)
 * where it must; explicit newlines are kept. Control characters become spaces. Never
 * returns an empty array.
 */
export function wrapLines(text: string, width: number): string[] {
  const clean = text.replace(/\r\n?/g, '\n').replace(/\t/g, '  ').replace(CONTROL, ' ');
  if (clean === '') return [''];
  return wrapAnsi(clean, Math.max(1, width), { hard: true, trim: true }).split('\n');
}

/**
 * One line cut in the middle with an ellipsis, so two long names sharing a prefix stay
 * distinguishable (`crossTenantAc…licyDefault` vs `crossTenantAc…ncePartner`).
 */
export function fitMiddle(text: string, width: number): string {
  const chars = [...text.replace(/[\u0000-\u001f\u007f]/g, ' ')];
  if (chars.length <= width) return chars.join('');
  if (width <= 1) return '…'.slice(0, width);
  const head = Math.ceil((width - 1) / 2);
  const tail = width - 1 - head;
  return `${chars.slice(0, head).join('')}…${tail > 0 ? chars.slice(chars.length - tail).join('') : ''}`;
}

/** One line cut from the start with an ellipsis (a path: the file name is what the operator needs). */
export function fitStart(text: string, width: number): string {
  const chars = [...text.replace(/[\u0000-\u001f\u007f]/g, ' ')];
  return chars.length <= width ? chars.join('') : `…${chars.slice(chars.length - Math.max(0, width - 1)).join('')}`;
}

/**
 * Items (keys of the key line) packed into lines of at most `width` columns, joined by
 * `sep`, never splitting an item unless it alone is wider than the line.
 */
export function packItems(items: string[], width: number, sep = ' · '): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const next = line === '' ? item : `${line}${sep}${item}`;
    if ([...next].length <= width || line === '') line = next;
    else {
      lines.push(line);
      line = item;
    }
  }
  lines.push(line);
  return lines.flatMap((l) => ([...l].length > width ? wrapLines(l, width) : [l]));
}

/** The key line as the lines it takes at `width` (it wraps at its ` · ` separators). */
export function helpLines(help: string, width: number): string[] {
  return packItems(help.split(' · '), width);
}

export interface StepBarPart {
  text: string;
  /** before/after the current step, the current step, or a marker of steps left out. */
  kind: 'before' | 'current' | 'after' | 'gap';
}

/**
 * The step bar in at most `width` columns: every step when they fit, else `n/m` and the
 * current step with as many neighbours as fit, `…` standing for the ones left out.
 */
export function stepBarParts(titles: string[], current: number, width: number): StepBarPart[] {
  const kindOf = (k: number): StepBarPart['kind'] => (k < current ? 'before' : k === current ? 'current' : 'after');
  const label = (k: number): string => (k === current ? `[${titles[k]}]` : titles[k]!);
  const build = (from: number, to: number, counter: boolean): StepBarPart[] => {
    const parts: StepBarPart[] = [];
    if (counter) parts.push({ text: `${current + 1}/${titles.length} `, kind: 'gap' });
    if (from > 0) parts.push({ text: '… › ', kind: 'gap' });
    for (let k = from; k <= to; k++) parts.push({ text: `${k > from ? ' › ' : ''}${label(k)}`, kind: kindOf(k) });
    if (to < titles.length - 1) parts.push({ text: ' › …', kind: 'gap' });
    return parts;
  };
  const widthOf = (parts: StepBarPart[]): number => parts.reduce((n, p) => n + [...p.text].length, 0);
  const all = build(0, titles.length - 1, false);
  if (widthOf(all) <= width) return all;
  let from = current;
  let to = current;
  // grow the window one step at a time, the next step first (where the operator is going)
  for (let grew = true; grew; ) {
    grew = false;
    for (const [f, t] of [[from, to + 1], [from - 1, to]] as const) {
      if (f < 0 || t >= titles.length) continue;
      if (widthOf(build(f, t, true)) <= width) {
        from = f;
        to = t;
        grew = true;
        break;
      }
    }
  }
  return build(from, to, true);
}

/** A part of a screen that may be left out when rows are short (`drop`: higher goes first). */
export interface Block {
  rows: number;
  /** 0: always shown; otherwise dropped, highest first, until the parts fit. */
  drop: number;
}

/** Which blocks to show in `rows`: all when they fit, else without the most droppable ones. */
export function chooseBlocks(blocks: Block[], rows: number): boolean[] {
  const shown = blocks.map(() => true);
  let used = blocks.reduce((n, b) => n + b.rows, 0);
  const order = blocks.map((b, i) => ({ b, i })).filter(({ b }) => b.drop > 0).sort((x, y) => y.b.drop - x.b.drop || y.i - x.i);
  for (const { b, i } of order) {
    if (used <= rows) break;
    shown[i] = false;
    used -= b.rows;
  }
  return shown;
}
