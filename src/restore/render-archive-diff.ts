/**
 * The forensics diff between two archives as a report (the stable JSON shape of
 * docs/archive-diff-format.md), as text for a terminal and as Markdown. Pure string building:
 * never prints. Values come from ./archive-diff.ts, which already keeps secret material out
 * (credentials as metadata, `secretText`/`password` redacted); every value is made visible
 * (src/text.ts) or Markdown-escaped (src/report/doc.ts) so one value stays one line
 * (docs/reliability.md 20).
 */
import type { ArchiveComparison, Change, CredentialChange, CredentialMeta, ObjectChange, PropertyChange } from './archive-diff.js';
import { groupByRisk, type RiskGroup, type WarnedChange } from './risk.js';
import { wrap } from './render.js';
import { escapeInline, escapeMarkdown } from '../report/doc.js';
import type { Json } from '../model.js';

/** Which archive a side of the diff is. */
export interface ArchiveSide {
  tenantId: string;
  takenAt: string;
  manifestSha256: string;
  /** The file as given on the command line. */
  file: string;
}

/** The JSON document `diff A B --json` prints (docs/archive-diff-format.md). */
export interface ArchiveDiffReport {
  format: 'entra-vault.archive-diff';
  version: 1;
  a: ArchiveSide;
  b: ArchiveSide;
  /** True when nothing differs (exit code 0; else 1). */
  identical: boolean;
  /** Set when A was taken after B: the changes read from A to B all the same. */
  reversed: boolean;
  /** Changes by kind, objects and relations together. */
  counts: { created: number; deleted: number; changed: number };
  /** Every risk group, riskiest first (src/restore/risk.ts `RISK_GROUPS`), empty ones too; a change may carry `warnings`. */
  groups: { risk: RiskGroup; title: string; changes: WarnedChange[] }[];
}

/** The report of a comparison between two archives. */
export function archiveDiffReport(a: ArchiveSide, b: ArchiveSide, result: ArchiveComparison): ArchiveDiffReport {
  const counts = { created: 0, deleted: 0, changed: 0 };
  for (const c of result.changes) counts[c.change]++;
  return {
    format: 'entra-vault.archive-diff', version: 1, a, b, identical: result.changes.length === 0, reversed: a.takenAt > b.takenAt, counts,
    groups: groupByRisk(result),
  };
}

const SIGN = { created: '+', deleted: '-', changed: '~' } as const;
const VALUE_MAX = 160;

function value(v: Json): string {
  const s = v === null ? '(none)' : typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
  const cps = [...s];
  return cps.length > VALUE_MAX ? `${cps.slice(0, VALUE_MAX - 1).join('')}…` : s;
}

/** A credential's shown metadata (never a secret: ./archive-diff.ts `credentialMeta`). */
function credentialText(c: CredentialMeta): string {
  const bits = [c.displayName ?? '(unnamed)', `keyId ${c.keyId}`];
  if (c.hint) bits.push(`hint ${c.hint}`);
  if (c.type || c.usage) bits.push(`${c.type ?? 'key'}/${c.usage ?? '?'}`);
  if (c.customKeyIdentifier) bits.push(`thumbprint ${c.customKeyIdentifier}`);
  if (c.startDateTime) bits.push(`from ${c.startDateTime}`);
  if (c.endDateTime) bits.push(`until ${c.endDateTime}`);
  return bits.join(', ');
}

/** One line per credential change. */
export function credentialLine(c: CredentialChange): string {
  const what = c.property === 'passwordCredentials' ? 'secret' : 'certificate/key';
  const before = c.change === 'changed' && c.before ? ` (was ${credentialText(c.before)})` : '';
  return `${what} ${c.change}: ${credentialText(c.credential)}${before}`;
}

/** One line per property change: `name: before → after`. */
export function propertyLine(p: PropertyChange): string {
  return `${p.property}: ${value(p.before)} → ${value(p.after)}`;
}

/** The headline of a change: `created roleAssignment Global Administrator → mallory (ids)`. */
export function headline(c: Change): string {
  if (c.subject === 'relation') return `${c.change} ${c.kind} ${c.fromLabel} → ${c.toLabel} (${c.from} → ${c.to})`;
  const ids = c.idA && c.idB && c.idA !== c.idB ? `${c.idA} → ${c.idB}` : (c.idB ?? c.idA ?? '');
  const how = c.matchedBy && c.matchedBy !== 'id' ? `, matched by ${c.matchedBy}` : '';
  return `${c.change} ${c.type} ${c.label} (${ids}${how})`;
}

/**
 * The detail lines of an object change: warnings first (`! …`), then credentials, then
 * properties (all of them for risky groups; only for changes elsewhere).
 */
export function details(c: ObjectChange & { warnings?: string[] }, risk: RiskGroup): string[] {
  const props = c.change === 'changed' || risk !== 'other' ? c.properties.map(propertyLine) : [];
  return [...(c.warnings ?? []).map((w) => `! ${w}`), ...c.credentials.map(credentialLine), ...props];
}

function header(r: ArchiveDiffReport): string[] {
  const c = r.counts;
  const lines = [
    `Archive diff — tenant ${r.a.tenantId}${r.b.tenantId !== r.a.tenantId ? ` → ${r.b.tenantId}` : ''}`,
    `A: taken ${r.a.takenAt}, ${r.a.file}`,
    `B: taken ${r.b.takenAt}, ${r.b.file}`,
    r.identical ? 'A and B are identical' : `${c.created} created, ${c.deleted} deleted, ${c.changed} changed (riskiest first)`,
  ];
  if (r.reversed) lines.push('note: A was taken after B; changes read from A to B');
  return lines;
}

/**
 * The report as text: a header, then each non-empty risk group riskiest first, one line
 * per change (`+` created, `-` deleted, `~` changed) indented by two, its credentials and
 * properties by six. Every line fits `width` (default 80, minimum 40).
 */
export function renderArchiveDiffText(r: ArchiveDiffReport, opts: { width?: number } = {}): string {
  const width = Math.max(40, opts.width ?? 80);
  const out: string[] = [];
  for (const h of header(r)) out.push(...wrap(h, width));
  for (const g of r.groups) {
    if (g.changes.length === 0) continue;
    out.push('', ...wrap(`${g.title} (${g.changes.length})`, width));
    for (const c of g.changes) {
      out.push(...wrap(headline(c), width, `  ${SIGN[c.change]} `, '    '));
      if (c.subject === 'object') for (const d of details(c, g.risk)) out.push(...wrap(d, width, '      ', '        '));
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * The report as Markdown (GFM): a title, the two archives, then a section per non-empty
 * risk group with one list item per change and its details nested. Every value escaped.
 */
export function renderArchiveDiffMarkdown(r: ArchiveDiffReport): string {
  const [title, ...rest] = header(r);
  const out = [`# ${escapeMarkdown(title ?? '')}`, '', ...rest.map((l) => `${escapeMarkdown(l)}  `)];
  for (const g of r.groups) {
    if (g.changes.length === 0) continue;
    out.push('', `## ${escapeMarkdown(`${g.title} (${g.changes.length})`)}`, '');
    for (const c of g.changes) {
      out.push(`- **${c.change}** ${escapeInline(headline(c).slice(c.change.length + 1))}`);
      if (c.subject === 'object') for (const d of details(c, g.risk)) out.push(`  - ${escapeInline(d)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
