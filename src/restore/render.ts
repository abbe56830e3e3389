/**
 * Plans and diffs as readable text (fits a terminal width, 80 columns by default) and
 * as stable JSON. Pure string building: never prints, never includes secrets (plans
 * carry none: passwords are generated at execution, credentials listed as metadata).
 */
import { stableJson } from '../json.js';
import type { DiffResult, DiffStatus, Operation, Plan } from './types.js';
import { visibleText } from '../text.js';

const TIER_TITLES: Record<number, string> = {
  0: 'bootstrap admins',
  1: 'settings and policies',
  2: 'objects',
  3: 'relationships and assignments',
  4: 'conditional access',
  5: 'verification',
};

/** Visible length in code points. */
function len(s: string): number {
  return [...s].length;
}

/** Control characters made visible so one value can never break a line (docs/reliability.md 20). */
function clean(s: string): string {
  return visibleText(s);
}

/**
 * Wrap `text` to `width`, the first line prefixed with `first`, the others with
 * `rest`. Words longer than a line are broken hard. Every returned line is ≤ width.
 */
export function wrap(text: string, width: number, first = '', rest = first): string[] {
  const words = clean(text).split(/ +/).filter((w) => w !== '');
  const lines: string[] = [];
  let cur = first;
  let empty = true;
  const room = (prefix: string): number => Math.max(8, width - len(prefix));
  for (let w of words) {
    for (;;) {
      const sep = empty ? '' : ' ';
      if (len(cur) + len(sep) + len(w) <= width) {
        cur += sep + w;
        empty = false;
        break;
      }
      if (!empty) {
        lines.push(cur);
        cur = rest;
        empty = true;
        continue;
      }
      // A word longer than the line: break it.
      const cps = [...w];
      const n = Math.max(1, Math.min(cps.length, room(cur)));
      lines.push(cur + cps.slice(0, n).join(''));
      cur = rest;
      w = cps.slice(n).join('');
      if (w === '') break;
    }
  }
  if (!empty || lines.length === 0) lines.push(cur);
  return lines.map((l) => (len(l) > width ? [...l].slice(0, width).join('') : l.replace(/\s+$/, '')));
}

function kindWord(op: Operation): string {
  switch (op.kind) {
    case 'restoreDeleted':
      return 'restore';
    case 'createBreakGlassAdmin':
      return 'bootstrap';
    case 'enableConditionalAccess':
      return 'enable';
    case 'addRelation':
      return 'relate';
    default:
      return op.kind;
  }
}

/**
 * The plan as text: header, tiers with counts and their operations, unresolved
 * references, report-only CA policies, manual steps, domain map, warnings. Every line
 * fits `width` (default 80, minimum 40).
 */
export function renderPlanText(plan: Plan, opts: { width?: number } = {}): string {
  const width = Math.max(40, opts.width ?? 80);
  const out: string[] = [];
  const para = (text: string, first = '', rest = first): void => {
    out.push(...wrap(text, width, first, rest));
  };
  para(`Restore plan — scenario ${plan.scenario}`);
  para(`Archive: tenant ${plan.archive.tenantId}, taken ${plan.archive.takenAt}`);
  para(`Target: tenant ${plan.target.tenantId} (${plan.target.initialDomain})`);
  para(
    `${plan.operations.length} operations, ${plan.unresolved.length} unresolved reference(s), ${plan.reportOnly.length} CA policy(ies) kept report-only, ${plan.manualSteps.length} manual step(s)`,
  );
  const numWidth = String(plan.operations.length).length;
  const position = new Map(plan.operations.map((o, i) => [o.opId, i + 1]));
  for (const tier of [0, 1, 2, 3, 4, 5]) {
    const ops = plan.operations.filter((o) => o.tier === tier);
    if (ops.length === 0) continue;
    out.push('');
    para(`Tier ${tier} — ${TIER_TITLES[tier] ?? ''} (${ops.length})`);
    for (const op of ops) {
      const n = position.get(op.opId) ?? 0;
      const head = `  ${String(n).padStart(numWidth)}. ${kindWord(op).padEnd(9)} `;
      para(op.label, head, ' '.repeat(len(head)));
    }
  }
  if (plan.unresolved.length) {
    out.push('');
    para(`Unresolved references (${plan.unresolved.length})`);
    for (const u of plan.unresolved) para(`${u.effect}: ${u.type} ${u.archivedId} ${u.path} = ${u.value} (${u.opId})`, '  - ', '    ');
  }
  if (plan.reportOnly.length) {
    out.push('');
    para(`Conditional Access policies kept report-only (${plan.reportOnly.length})`);
    for (const r of plan.reportOnly) para(`${r.displayName}: ${r.reason}`, '  - ', '    ');
  }
  if (plan.manualSteps.length) {
    out.push('');
    para(`Manual steps (${plan.manualSteps.length})`);
    plan.manualSteps.forEach((s, i) => {
      para(s.title, `  ${i + 1}. `, '     ');
      para(s.instructions, '     ');
      if (s.objects.length) para(`objects: ${s.objects.join(', ')}`, '     ');
    });
  }
  const domains = Object.entries(plan.domainMap);
  if (domains.length) {
    out.push('');
    para('Domain remapping (until DNS verification)');
    for (const [from, to] of domains) para(`${from} → ${to}`, '  - ', '    ');
  }
  if (plan.included?.length) {
    out.push('');
    para(`Dependencies added to the selection (${plan.included.length})`);
    for (const i of plan.included) para(`${i.type} ${i.displayName} (${i.archivedId}), needed by ${i.requiredBy}`, '  - ', '    ');
  }
  if (plan.skipped?.length) {
    out.push('');
    para(`Not restored (${plan.skipped.length})`);
    for (const s of plan.skipped) para(`${s.type} ${s.displayName} (${s.archivedId}): ${s.reason}`, '  - ', '    ');
  }
  if (plan.warnings.length) {
    out.push('');
    para(`Warnings (${plan.warnings.length})`);
    for (const w of plan.warnings) para(w, '  ! ', '    ');
  }
  return `${out.join('\n')}\n`;
}

const STATUS_TITLES: Record<DiffStatus, string> = {
  missing: 'Missing (must be recreated)',
  softDeleted: 'Soft-deleted (recycle bin can restore)',
  changed: 'Changed',
  extra: 'Extra (created after the snapshot; never deleted)',
  equal: 'Equal',
};

function short(v: unknown, max: number): string {
  const s = v === undefined ? '(absent)' : JSON.stringify(v);
  return len(s) > max ? `${[...s].slice(0, max - 1).join('')}…` : s;
}

/**
 * The diff as text: counts, then objects grouped by status (equal objects only
 * counted), changed attributes with archived → live values, relation counts and the
 * missing/extra edges. Every line fits `width` (default 80).
 */
export function renderDiffText(diff: DiffResult, opts: { width?: number } = {}): string {
  const width = Math.max(40, opts.width ?? 80);
  const out: string[] = [];
  const para = (text: string, first = '', rest = first): void => {
    out.push(...wrap(text, width, first, rest));
  };
  const c = diff.counts;
  para(`Diff: ${c.equal} equal, ${c.changed} changed, ${c.softDeleted} soft-deleted, ${c.missing} missing, ${c.extra} extra`);
  for (const status of ['missing', 'softDeleted', 'changed', 'extra'] as const) {
    const objs = diff.objects.filter((o) => o.status === status);
    if (objs.length === 0) continue;
    out.push('');
    para(`${STATUS_TITLES[status]} (${objs.length})`);
    for (const o of objs) {
      const ids = o.archivedId && o.liveId && o.archivedId !== o.liveId ? `${o.archivedId} → ${o.liveId}` : (o.archivedId ?? o.liveId ?? '');
      const flags = [o.matchedBy && o.matchedBy !== 'id' ? `matched by ${o.matchedBy}` : '', o.onPremisesSynced ? 'synced' : '']
        .filter((x) => x)
        .join(', ');
      para(`${o.type} ${o.displayName ?? ''} (${ids})${flags ? ` [${flags}]` : ''}`, '  - ', '    ');
      for (const ch of o.changes ?? []) {
        para(`~ ${ch.property}: ${short(ch.live, 30)} → ${short(ch.archived, 30)}`, '      ', '        ');
      }
    }
  }
  if (diff.relations.length) {
    out.push('');
    const kinds = [...new Set(diff.relations.map((r) => r.kind))].sort();
    para('Relations');
    for (const k of kinds) {
      const rs = diff.relations.filter((r) => r.kind === k);
      const n = (s: string): number => rs.filter((r) => r.status === s).length;
      para(`${k}: ${n('equal')} equal, ${n('missing')} missing, ${n('extra')} extra`, '  ', '    ');
    }
    for (const r of diff.relations.filter((x) => x.status !== 'equal')) {
      para(`${r.status} ${r.kind} ${r.edge.from} → ${r.edge.to} (${r.edge.toType})`, '  - ', '    ');
    }
  }
  return `${out.join('\n')}\n`;
}

/** The plan as stable, pretty JSON (keys sorted, 2-space indent, trailing newline). */
export function planToJson(plan: Plan): string {
  return stableJson(plan);
}
