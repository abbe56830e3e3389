/**
 * Untrusted text made safe to show (docs/reliability.md 20): display names, reasons, Graph
 * error messages and archive contents can hold terminal escapes (ESC, BEL, C1 controls),
 * line breaks, and invisible or direction-changing characters (U+202E RIGHT-TO-LEFT
 * OVERRIDE and its kin) that make a screen, a runbook or an HTML report show something
 * other than what is there. Every renderer — terminal lines, the wizard, Markdown, HTML,
 * plan text, error lines — passes such text through `visibleText` first, so one value
 * always shows as one line of exactly its characters. What is stored and sent stays the
 * text itself.
 */

/**
 * C0 controls, DEL, C1 controls, the soft hyphen, the Arabic letter mark, zero-width and
 * directional marks, line/paragraph separators, the bidi embeddings and overrides
 * (U+202A–U+202E), word joiner and invisible operators, the bidi isolates (U+2066–U+2069)
 * and the byte-order mark.
 */
export const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** Whether `s` holds any character `visibleText` would escape. */
export function hasUnsafeChars(s: string): boolean {
  UNSAFE_CHARS.lastIndex = 0;
  const found = UNSAFE_CHARS.test(s);
  UNSAFE_CHARS.lastIndex = 0;
  return found;
}

/**
 * `s` with every unsafe character written as a visible escape: `\n`, `\t`, `\r` for those
 * three, `\u{hex}` for the rest. Never returns a control or bidi character.
 */
export function visibleText(s: string): string {
  return s.replace(UNSAFE_CHARS, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : `\\u{${c.codePointAt(0)!.toString(16)}}`));
}

/** As `visibleText`, but line breaks stay (multi-line blocks: code, pre); `\r` is shown. */
export function visibleLines(s: string): string {
  return s.split('\n').map(visibleText).join('\n');
}

/**
 * `v` as text when it is a string, number, boolean, bigint or null; otherwise what it is
 * (`an object`, `an array`, `undefined`). Never throws: parsed JSON can hold
 * `{"toString": 1}`, which `String()` cannot convert ("Cannot convert object to primitive
 * value"), so a value read from an archive, a journal, the audit log or a Graph response is
 * shown through this, never through `String()`.
 */
export function scalarText(v: unknown): string {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === undefined) return 'undefined';
  return Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
