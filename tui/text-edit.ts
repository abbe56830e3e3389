/**
 * The text field's editing, pure: a value and a cursor, and what a chunk of keys does to
 * them. Keys are read from the raw bytes Ink received, not from Ink's `key` flags: Ink
 * reports Backspace (DEL) and the forward Delete key (ESC [3~) both as `key.delete`, and
 * hands several keys typed in one write over as one string, so only the bytes tell them
 * apart and keep their order.
 */

export interface EditState {
  value: string;
  /** Index into `value` (0 … value.length): where the next character is inserted. */
  cursor: number;
}

/** What one key (or one chunk of several) did to the field. */
export interface EditResult extends EditState {
  /** Set when the chunk held Enter: the value at that Enter (what follows it is dropped). */
  submitted?: string;
}

/** Ctrl-W as in readline (unix-word-rubout): the spaces before the cursor, then the word before them. */
export function deleteWord(value: string): string {
  return value.replace(/\S*\s*$/, '');
}

type Edit = (s: EditState) => EditState;

const clampTo = (s: EditState, cursor: number): EditState => ({ value: s.value, cursor: Math.max(0, Math.min(s.value.length, cursor)) });
const left: Edit = (s) => clampTo(s, s.cursor - 1);
const right: Edit = (s) => clampTo(s, s.cursor + 1);
const home: Edit = (s) => clampTo(s, 0);
const end: Edit = (s) => clampTo(s, s.value.length);
const backspace: Edit = (s) => (s.cursor === 0 ? s : { value: s.value.slice(0, s.cursor - 1) + s.value.slice(s.cursor), cursor: s.cursor - 1 });
const forwardDelete: Edit = (s) => ({ value: s.value.slice(0, s.cursor) + s.value.slice(s.cursor + 1), cursor: s.cursor });
const clearToStart: Edit = (s) => ({ value: s.value.slice(s.cursor), cursor: 0 });
const killToEnd: Edit = (s) => ({ value: s.value.slice(0, s.cursor), cursor: s.cursor });
const wordBefore: Edit = (s) => {
  const before = deleteWord(s.value.slice(0, s.cursor));
  return { value: before + s.value.slice(s.cursor), cursor: before.length };
};

/** Escape sequences of the keys the field uses (xterm, VT220 and rxvt spellings); others are ignored. */
const SEQUENCES: Record<string, Edit> = {
  '\u001B[D': left,
  '\u001BOD': left,
  '\u001B[C': right,
  '\u001BOC': right,
  '\u001B[H': home,
  '\u001BOH': home,
  '\u001B[1~': home,
  '\u001B[7~': home,
  '\u001B[F': end,
  '\u001BOF': end,
  '\u001B[4~': end,
  '\u001B[8~': end,
  '\u001B[3~': forwardDelete,
};

/** Single control characters (readline's emacs keys); Enter is handled by the caller. */
const CONTROLS: Record<string, Edit> = {
  '\u0001': home, // Ctrl-A
  '\u0002': left, // Ctrl-B
  '\u0004': forwardDelete, // Ctrl-D
  '\u0005': end, // Ctrl-E
  '\u0006': right, // Ctrl-F
  '\u0008': backspace, // Ctrl-H / BS
  '\u000B': killToEnd, // Ctrl-K
  '\u0015': clearToStart, // Ctrl-U
  '\u0017': wordBefore, // Ctrl-W
  '\u007F': backspace, // DEL, what Backspace sends
};

/** The escape sequence starting at `i` (CSI or SS3, or a lone ESC with the character after it). */
function sequenceAt(chunk: string, i: number): string {
  // an extra ESC before a sequence is Alt (meta) with that key: read as the key's own
  const m = /^\u001B\u001B?(\[[0-9;]*[ -/]*[@-~]|O[@-~])/.exec(chunk.slice(i)) ?? /^\u001B[\s\S]?/.exec(chunk.slice(i));
  return m ? m[0] : '\u001B';
}

/**
 * Applies one chunk of keys to the field, key by key, so a chunk holding several (a paste,
 * fast typing, a terminal that sends `text\r` in one write) keeps every one in order:
 * printable characters are inserted at the cursor, the editing keys above act at it, CR/LF
 * submit, other control characters and escape sequences are ignored. Pure; never throws.
 */
export function editChunk(state: EditState, chunk: string): EditResult {
  let s = clampTo(state, state.cursor);
  for (let i = 0; i < chunk.length; ) {
    const c = String.fromCodePoint(chunk.codePointAt(i)!);
    if (c === '\r' || c === '\n') return { ...s, submitted: s.value };
    if (c === '\u001B') {
      const seq = sequenceAt(chunk, i);
      s = (SEQUENCES[seq] ?? SEQUENCES[seq.replace(/^\u001B\u001B/, '\u001B')])?.(s) ?? s;
      i += seq.length;
      continue;
    }
    const control = CONTROLS[c];
    if (control) s = control(s);
    else if (!/[\u0000-\u001f\u007f-\u009f]/.test(c)) s = { value: s.value.slice(0, s.cursor) + c + s.value.slice(s.cursor), cursor: s.cursor + c.length };
    i += c.length;
  }
  return s;
}

/** `editChunk` at the end of `value` (the cursor where typing leaves it), for callers without a cursor. */
export function applyChunk(value: string, chunk: string): { value: string; submitted?: string } {
  const r = editChunk({ value, cursor: value.length }, chunk);
  return r.submitted !== undefined ? { value: r.value, submitted: r.submitted } : { value: r.value };
}

/** What of a field is drawn in `room` columns: the text around the cursor, and whether each side is cut. */
export interface FieldView {
  before: string;
  /** The character under the cursor, or '' at the end (a blank cell is drawn there). */
  at: string;
  after: string;
  cutStart: boolean;
  cutEnd: boolean;
}

/**
 * The part of `text` drawn in `room` columns with the cursor in view: all of it when it fits
 * (with the cell after it for the cursor); else the end when the cursor is near it, else a
 * window starting a little before the cursor. An ellipsis takes a column on each cut side.
 */
export function fieldView(text: string, cursor: number, room: number): FieldView {
  const width = Math.max(3, room);
  const len = text.length;
  const c = Math.max(0, Math.min(len, cursor));
  const cell = c === len ? 1 : 0;
  let start = 0;
  let end = len;
  if (len + cell > width) {
    const tailStart = len + cell + 1 - width;
    if (c >= tailStart) start = tailStart;
    else {
      start = Math.max(0, c - Math.floor(width / 3));
      end = Math.min(len, start + width - (start > 0 ? 1 : 0) - 1);
    }
  }
  return { before: text.slice(start, c), at: text.slice(c, c + 1), after: text.slice(c + 1, end), cutStart: start > 0, cutEnd: end < len };
}
