/**
 * "What changed since this archive?" as rows, shared by both wizards (the Ink Archive step's
 * changes view, tui/steps/archive-changes.tsx, and the plain wizard, tui/plain/changes.ts):
 * a summary with the counts per risk group, then each non-empty group (riskiest first,
 * src/restore/risk.ts) with one row per change, and the detail of each change. The text comes
 * from src/restore/render-archive-diff.ts, which keeps secret material out. Pure.
 */
import type { ArchiveDiffReport } from './services.js';
import { credentialLine, headline, propertyLine } from '../src/restore/render-archive-diff.js';
import type { RiskGroup, WarnedChange } from '../src/restore/risk.js';
import type { Detail } from './detail.js';
import { formatTime } from './format.js';

export type ChangeRow =
  | { kind: 'group'; risk: RiskGroup; text: string }
  | { kind: 'change'; risk: RiskGroup; text: string; warned: boolean; change: WarnedChange; groupTitle: string };

const SIGN = { created: '+', deleted: '-', changed: '~' } as const;

/** The lines above the list: the two sides, the totals and the count of each non-empty group. */
export function changesSummary(r: ArchiveDiffReport): string[] {
  const c = r.counts;
  const since = r.b.manifestSha256 === '' ? `the archive of ${formatTime(r.a.takenAt)} → ${r.b.file} now` : `the archive of ${formatTime(r.a.takenAt)} → the archive of ${formatTime(r.b.takenAt)}`;
  const lines = [`Changes from ${since}`];
  if (r.identical) lines.push('Nothing changed.');
  else {
    lines.push(`${c.created} created · ${c.deleted} deleted · ${c.changed} changed, riskiest first`);
    lines.push(r.groups.filter((g) => g.changes.length > 0).map((g) => `${g.title} ${g.changes.length}`).join(' · '));
  }
  if (r.a.tenantId.toLowerCase() !== r.b.tenantId.toLowerCase()) lines.push(`another tenant: ${r.a.tenantId} → ${r.b.tenantId} (matched by natural key)`);
  return lines;
}

/** Every non-empty group's heading and its changes' rows; a change with warnings starts with `!`. */
export function changeRows(r: ArchiveDiffReport): ChangeRow[] {
  const rows: ChangeRow[] = [];
  for (const g of r.groups) {
    if (g.changes.length === 0) continue;
    rows.push({ kind: 'group', risk: g.risk, text: `${g.title} (${g.changes.length})` });
    for (const c of g.changes) {
      const warned = (c.warnings?.length ?? 0) > 0;
      rows.push({ kind: 'change', risk: g.risk, text: `${warned ? '!' : SIGN[c.change]} ${headline(c)}`, warned, change: c, groupTitle: g.title });
    }
  }
  return rows;
}

/** One change whole: its group, warnings, credentials (metadata only) and properties before → after. */
export function changeDetail(row: Extract<ChangeRow, { kind: 'change' }>): Detail {
  const c = row.change;
  const fields: Detail['fields'] = [['Risk group', row.groupTitle], ['Change', c.change]];
  if (c.subject === 'relation') {
    fields.push(['Relation', c.kind], ['From', `${c.fromLabel} (${c.from})`], ['To', `${c.toLabel} (${c.toType} ${c.to})`]);
    return { title: headline(c), fields };
  }
  fields.push(['Type', c.type], ['Name', c.label]);
  if (c.idA) fields.push(['Id in A', c.idA]);
  if (c.idB) fields.push(['Id in B', c.idB]);
  if (c.matchedBy && c.matchedBy !== 'id') fields.push(['Matched by', c.matchedBy]);
  if (c.warnings?.length) fields.push(['Warnings', c.warnings.join('\n')]);
  if (c.credentials.length > 0) fields.push(['Credentials', c.credentials.map(credentialLine).join('\n')]);
  if (c.properties.length > 0) fields.push(['Properties', c.properties.map(propertyLine).join('\n')]);
  return { title: headline(c), fields };
}
