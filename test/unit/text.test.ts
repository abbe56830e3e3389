/**
 * Issue 13 item 11: one function makes untrusted text visible for every renderer (src/text.ts).
 * A display name or reason holding terminal escapes, line breaks or U+202E must show as
 * escapes in terminal lines, plan text, Markdown, HTML and error lines.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatError } from '../../src/cli/exit.js';
import { VaultError } from '../../src/errors.js';
import { renderHtml, renderMarkdown } from '../../src/report/doc.js';
import { wrap } from '../../src/restore/render.js';
import { hasUnsafeChars, scalarText, visibleLines, visibleText } from '../../src/text.js';
import { shownText } from '../../tui/steps/archive.js';

const HOSTILE = 'Eve\u001b[2J\u0007\u202egnp.exe\u2066x\u2069\u200b\u0085\u009b31m<script>\n2nd line\r';

describe('visibleText (src/text.ts)', () => {
  it('never returns a control, bidi or invisible format character, and leaves other text alone', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(hasUnsafeChars(visibleText(s))).toBe(false);
        if (!hasUnsafeChars(s)) expect(visibleText(s)).toBe(s);
      }),
      { numRuns: 500 },
    );
    expect(visibleText(HOSTILE)).toBe('Eve\\u{1b}[2J\\u{7}\\u{202e}gnp.exe\\u{2066}x\\u{2069}\\u{200b}\\u{85}\\u{9b}31m<script>\\n2nd line\\r');
    expect(visibleLines('a\u202eb\nc\u001b')).toBe('a\\u{202e}b\nc\\u{1b}');
  });

  it('every renderer shows the hostile name as escapes: plan text, Markdown, HTML (text and code), error lines, the wizard', () => {
    const renderers: [string, string][] = [
      ['plan text', wrap(HOSTILE, 200).join('\n')],
      ['markdown', renderMarkdown({ title: HOSTILE, blocks: [{ kind: 'para', text: HOSTILE }, { kind: 'code', text: HOSTILE }] })],
      ['html', renderHtml({ title: HOSTILE, blocks: [{ kind: 'para', text: HOSTILE }, { kind: 'code', text: HOSTILE }] })],
      ['error line', formatError(new VaultError('USAGE', HOSTILE, HOSTILE)).text],
      ['wizard', shownText(HOSTILE)],
    ];
    for (const [name, out] of renderers) {
      expect(out.includes('\u001b'), name).toBe(false);
      expect(out.includes('\u202e'), name).toBe(false);
      expect(out.includes('\u0007'), name).toBe(false);
      expect(out.includes('\u009b'), name).toBe(false);
      expect(out.includes('\u2066'), name).toBe(false);
    }
  });
});

describe('scalarText (src/text.ts)', () => {
  it('shows scalars as String does, and names objects and arrays that String cannot convert, without throwing', () => {
    expect([scalarText('v1'), scalarText(2), scalarText(-0), scalarText(true), scalarText(null), scalarText(undefined), scalarText(3n)]).toEqual(['v1', '2', '0', 'true', 'null', 'undefined', '3']);
    // parsed JSON: String() throws "Cannot convert object to primitive value" on both
    const hostile = [JSON.parse('{"toString":1}') as unknown, JSON.parse('{"toString":1,"valueOf":{}}') as unknown];
    for (const v of hostile) expect(() => String(v)).toThrow(TypeError);
    expect(hostile.map(scalarText)).toEqual(['an object', 'an object']);
    expect(scalarText(JSON.parse('[{"toString":1}]'))).toBe('an array');
    fc.assert(fc.property(fc.jsonValue(), (v) => typeof scalarText(v) === 'string'), { numRuns: 500 });
  });
});
