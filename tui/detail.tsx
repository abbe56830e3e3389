/**
 * The detail view (issue 12 item 11): the whole text of one list row (who gets a role, why
 * a reference is blocked, a deviation's reason, a manual step's instructions, a failure's
 * error), wrapped to the terminal's width and scrolled with ↑↓ when longer than the screen.
 * A step opens it with → (or Enter where Enter has no other job) and keeps its own state
 * (cursor, tab, ticks) while it is open; Esc or ← returns to the list at the same row.
 */
import React, { useMemo, useState } from 'react';
import { Text } from 'ink';
import { StepLayout, T, pad, useKeys } from './ui.js';
import { useBody, wrapLines } from './layout.js';

export interface Detail {
  title: string;
  /** Label and text; the text wraps under itself, an empty label gives the text the whole width. */
  fields: Array<[label: string, text: string]>;
}

/** The keys of a detail view, on the key line. */
export const DETAIL_HELP = '↑↓ scroll · esc/← back to the list · ctrl-c quit';

/** The detail's lines at `width` columns: each field's label, then its text wrapped beside it. */
export function detailLines(detail: Detail, width: number): string[] {
  const labelWidth = Math.min(16, Math.max(0, ...detail.fields.map(([l]) => (l === '' ? 0 : [...l].length + 2))));
  const lines: string[] = [];
  for (const [label, text] of detail.fields) {
    const w = label === '' ? 0 : labelWidth;
    const paragraphs = text.split('\n');
    paragraphs.forEach((para, p) => {
      wrapLines(para, Math.max(10, width - w)).forEach((l, k) => {
        lines.push(`${p === 0 && k === 0 && label !== '' ? pad(label, w) : ' '.repeat(w)}${l}`);
      });
    });
  }
  return lines;
}

/** A step's screen while a detail is open: the detail in the body, its keys on the key line. */
export function DetailScreen(props: { detail: Detail; onClose: () => void }): React.JSX.Element {
  return (
    <StepLayout help={DETAIL_HELP}>
      <DetailBody detail={props.detail} onClose={props.onClose} />
    </StepLayout>
  );
}

function DetailBody(props: { detail: Detail; onClose: () => void }): React.JSX.Element {
  const { columns, rows } = useBody();
  const title = useMemo(() => wrapLines(props.detail.title, columns), [props.detail.title, columns]);
  const lines = useMemo(() => detailLines(props.detail, columns), [props.detail, columns]);
  const [top, setTop] = useState(0);
  // the title, then the text; a line above and below says what is scrolled away
  const room = Math.max(1, rows - title.length - (lines.length > rows - title.length ? 2 : 0));
  const maxTop = Math.max(0, lines.length - room);
  const at = Math.min(top, maxTop);
  useKeys((_input, key) => {
    if (key.escape || key.leftArrow) props.onClose();
    else if (key.upArrow) setTop(Math.max(0, at - 1));
    else if (key.downArrow) setTop(Math.min(maxTop, at + 1));
    else if (key.pageUp) setTop(Math.max(0, at - room));
    else if (key.pageDown) setTop(Math.min(maxTop, at + room));
  });
  const scrolled = lines.length > room;
  return (
    <>
      {title.map((l, k) => (
        <T key={`t${k}`} bold>
          {l}
        </T>
      ))}
      {scrolled ? <T tone="muted">{at > 0 ? `↑ ${at} more above` : ' '}</T> : null}
      {lines.slice(at, at + room).map((l, k) => (
        <Text key={k}>{l === '' ? ' ' : l}</Text>
      ))}
      {scrolled ? <T tone="muted">{at < maxTop ? `${lines.length - room - at} more ↓` : ' '}</T> : null}
    </>
  );
}

/** Which detail a step has open, if any: `open` from its list keys, `close` from the view. */
export function useDetail(): { detail: Detail | null; open: (d: Detail) => void; close: () => void } {
  const [detail, setDetail] = useState<Detail | null>(null);
  return { detail, open: setDetail, close: () => setDetail(null) };
}
