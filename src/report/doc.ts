/**
 * A tiny document model for runbooks and evidence reports, rendered to Markdown and to a
 * standalone HTML page from the same blocks. Every piece of text is data: Markdown
 * specials are backslash-escaped and HTML is entity-escaped, so a display name holding
 * `$(…)`, backticks, `;`, `<script>` or a newline shows up literally and can never
 * start a code span, a link, a table cell or a new line (docs/reliability.md 20).
 */
import { visibleLines, visibleText } from '../text.js';

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'para'; text: string }
  /** A list of plain items; `ordered` numbers them. */
  | { kind: 'list'; items: string[]; ordered?: boolean; checkbox?: boolean }
  | { kind: 'table'; head: string[]; rows: string[][] }
  /** Preformatted text (commands, hashes). */
  | { kind: 'code'; text: string }
  /** Label/value pairs. */
  | { kind: 'fields'; fields: [string, string][] };

export interface Doc {
  title: string;
  blocks: Block[];
}

/** Control characters (newlines included) shown as escapes so one value stays one line. */
export function oneLineText(s: string): string {
  return visibleText(s);
}

/**
 * Escape text for Markdown inline context: the characters CommonMark/GFM may read as
 * markup anywhere (backslash, backtick, emphasis, brackets, HTML, table pipes,
 * strikethrough, entities) and block markers at the start of the text. Everything else
 * ($, parentheses, semicolons, quotes) stays as it is, so values remain greppable.
 */
export function escapeMarkdown(s: string): string {
  return escapeInline(s)
    .replace(/^([#+\-=])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/** Escape text that never starts a block (table cells, values after a label). */
export function escapeInline(s: string): string {
  return oneLineText(s).replace(/[\\`*_{}[\]<>|~&]/g, (c) => `\\${c}`);
}

/** Escape text for HTML element and attribute content. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function fence(raw: string): string {
  const text = visibleLines(raw);
  let ticks = '```';
  while (text.includes(ticks)) ticks += '`';
  return `${ticks}text\n${text.replace(/\n$/, '')}\n${ticks}`;
}

/** Render the document as CommonMark/GFM. Pure. */
export function renderMarkdown(doc: Doc): string {
  const out: string[] = [`# ${escapeMarkdown(doc.title)}`];
  for (const b of doc.blocks) {
    out.push('');
    switch (b.kind) {
      case 'heading':
        out.push(`${'#'.repeat(b.level + 1)} ${escapeMarkdown(b.text)}`);
        break;
      case 'para':
        out.push(escapeMarkdown(b.text));
        break;
      case 'list':
        b.items.forEach((it, i) => out.push(`${b.ordered ? `${i + 1}.` : '-'}${b.checkbox ? ' [ ]' : ''} ${escapeMarkdown(it)}`));
        if (b.items.length === 0) out.push('_none_');
        break;
      case 'table':
        out.push(`| ${b.head.map(escapeInline).join(' | ')} |`);
        out.push(`|${b.head.map(() => ' --- |').join('')}`);
        for (const r of b.rows) out.push(`| ${r.map(escapeInline).join(' | ')} |`);
        break;
      case 'code':
        out.push(fence(b.text));
        break;
      case 'fields':
        for (const [k, v] of b.fields) out.push(`- **${escapeInline(k)}:** ${escapeInline(v)}`);
        break;
    }
  }
  return `${out.join('\n')}\n`;
}

const CSS = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#111}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #999;padding:.2rem .5rem;text-align:left;vertical-align:top}
pre{background:#f4f4f4;padding:.6rem;overflow-x:auto}code,pre{font-family:ui-monospace,monospace;font-size:.9em}
dt{font-weight:600}dd{margin:0 0 .3rem 1rem}li.check{list-style:'\\2610  '}`;

/** Render the document as one standalone HTML page (no scripts, no external resources). Pure. */
export function renderHtml(doc: Doc): string {
  const e = (s: string) => escapeHtml(oneLineText(s));
  const out: string[] = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
    `<title>${e(doc.title)}</title><style>${CSS}</style></head><body>`,
    `<h1>${e(doc.title)}</h1>`,
  ];
  for (const b of doc.blocks) {
    switch (b.kind) {
      case 'heading':
        out.push(`<h${b.level + 1}>${e(b.text)}</h${b.level + 1}>`);
        break;
      case 'para':
        out.push(`<p>${e(b.text)}</p>`);
        break;
      case 'list': {
        const tag = b.ordered ? 'ol' : 'ul';
        if (b.items.length === 0) out.push('<p><em>none</em></p>');
        else out.push(`<${tag}>${b.items.map((it) => `<li${b.checkbox ? ' class="check"' : ''}>${e(it)}</li>`).join('')}</${tag}>`);
        break;
      }
      case 'table':
        out.push(`<table><thead><tr>${b.head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>`);
        for (const r of b.rows) out.push(`<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`);
        out.push('</tbody></table>');
        break;
      case 'code':
        out.push(`<pre><code>${escapeHtml(visibleLines(b.text))}</code></pre>`);
        break;
      case 'fields':
        out.push(`<dl>${b.fields.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>`);
        break;
    }
  }
  out.push('</body></html>');
  return `${out.join('\n')}\n`;
}
