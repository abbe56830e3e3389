/**
 * The three views of the Plan step (tiers with their operations, the warnings, the diff),
 * each paged to the rows the terminal leaves, and the detail of each of their rows: an
 * operation (what it does, to what, after what), a warning (why a reference is blocked,
 * what a manual step asks), an object of the diff (every changed attribute, archived and
 * live). Rows are cut to the width; the detail (→) shows the whole text (issue 12 item 11).
 */
import React from 'react';
import { Box } from 'ink';
import type { RestoreTier } from '../../src/catalog/types.js';
import type { Json } from '../../src/model.js';
import type { ObjectDiff, Operation, Plan } from '../../src/restore/types.js';
import type { PlanResult } from '../services.js';
import type { Detail } from '../detail.js';
import { useBody, fitMiddle } from '../layout.js';
import { Line, Row, T, formatCount, pad, windowOf } from '../ui.js';

// the pure rows (tiers, warnings) are shared with the plain wizard (tui/plain/)
export { TIERS, opsOfTier, warningCount, warningItems, warningLines, type WarningItem } from '../plan-rows.js';
import { TIERS, opsOfTier, type WarningItem } from '../plan-rows.js';

function json(v: Json | undefined): string {
  return v === undefined ? '(absent)' : JSON.stringify(v);
}

/** What an operation does, to what and after what: the whole text of its row. */
export function operationDetail(plan: Plan, op: Operation): Detail {
  const labelOf = new Map(plan.operations.map((o) => [o.opId, o.label] as const));
  const fields: Detail['fields'] = [['Operation', op.label], ['Kind', op.kind], ['Tier', `${op.tier} (${TIERS.find((t) => t.tier === op.tier)?.name ?? ''})`]];
  switch (op.kind) {
    case 'create':
    case 'update':
    case 'restoreDeleted':
    case 'enableConditionalAccess':
      if ('type' in op) fields.push(['Type', op.type]);
      fields.push(['Archived id', op.archivedId]);
      if (op.kind === 'update') fields.push(['Changes', op.changes.length === 0 ? 'none listed' : op.changes.map((c) => `${c.property}: ${json(c.live)} → ${json(c.archived)}`).join('\n')]);
      if (op.kind === 'create' && op.needsPassword) fields.push(['Password', 'a temporary password, written only to the encrypted credentials file']);
      if (op.kind === 'enableConditionalAccess') fields.push(['State', op.state]);
      break;
    case 'addRelation':
      fields.push(['Relation', op.relation], ['From', plan.idMap[op.from] ? `${op.from} (live ${plan.idMap[op.from]})` : op.from], ['To', `${op.toType} ${op.to}`]);
      break;
    case 'createBreakGlassAdmin':
      fields.push(['User', `${op.displayName} <${op.userPrincipalName}>`], ['Role', 'Global Administrator, tenant-wide']);
      break;
    case 'verify':
      break;
  }
  const deps = op.dependsOn.map((d) => labelOf.get(d) ?? d);
  fields.push(['After', deps.length === 0 ? 'nothing' : `${formatCount(deps.length)}: ${deps.slice(0, 20).join('; ')}${deps.length > 20 ? ` … and ${formatCount(deps.length - 20)} more` : ''}`]);
  return { title: `Operation ${op.opId}`, fields };
}

/** An object of the diff, every changed attribute with its archived and live value. */
export function diffDetail(o: ObjectDiff): Detail {
  const fields: Detail['fields'] = [['Type', o.type], ['Name', o.displayName ?? '(no display name)'], ['Status', o.status]];
  if (o.archivedId) fields.push(['Archived id', o.archivedId]);
  if (o.liveId) fields.push(['Live id', o.liveId]);
  if (o.matchedBy) fields.push(['Matched by', o.matchedBy]);
  if (o.changes && o.changes.length > 0) fields.push(['Changes', o.changes.map((c) => `${c.property}: archived ${json(c.archived)}, live ${json(c.live)}`).join('\n')]);
  return { title: `${o.type} ${o.displayName ?? o.archivedId ?? o.liveId ?? ''}`, fields };
}

/** Rows above a view's list: the plan's title and the tabs. */
const TOP = 2;

export function WarningsView(props: { items: WarningItem[]; cursor: number }): React.JSX.Element {
  const { rows } = useBody();
  const room = Math.max(1, rows - TOP - 1);
  const win = windowOf(props.items.length, props.cursor, room);
  return (
    <Box flexDirection="column">
      {props.items.slice(win.start, win.end).map((item, k) =>
        item.detail ? (
          <Row key={win.start + k} selected={win.start + k === props.cursor} tone={win.start + k === props.cursor ? 'accent' : 'warn'} text={item.text} />
        ) : (
          <Line key={win.start + k} bold text={`${win.start + k === props.cursor ? '› ' : '  '}${item.text}`} />
        ),
      )}
      {props.items.length > room ? <T tone="muted">{`  ${win.start + 1}–${win.end} of ${props.items.length}${win.end < props.items.length ? ` · ${props.items.length - win.end} more ↓` : ''}`}</T> : null}
    </Box>
  );
}

export function TiersView(props: { plan: Plan; cursor: number; expanded: RestoreTier | null; opCursor: number }): React.JSX.Element {
  const { columns, rows } = useBody();
  // the six tiers stay; the expanded one's operations page in what is left
  const room = Math.max(1, rows - TOP - TIERS.length - 1);
  const name = columns >= 78 ? 40 : 26;
  const out: React.JSX.Element[] = [];
  TIERS.forEach((t, i) => {
    const ops = opsOfTier(props.plan, t.tier);
    const open = props.expanded === t.tier;
    out.push(
      <Row key={`t${t.tier}`} selected={i === props.cursor && props.expanded === null} text={`${open ? '▾' : '▸'} Tier ${t.tier}  ${pad(t.name, name)} ${formatCount(ops.length).padStart(8)} ops`} />,
    );
    if (!open) return;
    const win = windowOf(ops.length, props.opCursor, room);
    if (ops.length === 0) out.push(<T key="none" tone="muted">{'      (no operations)'}</T>);
    ops.slice(win.start, win.end).forEach((op, k) => {
      out.push(<Row key={op.opId} selected={win.start + k === props.opCursor} text={`    ${pad(op.kind, 16)} ${op.label}`} />);
    });
    if (ops.length > room) out.push(<T key="more" tone="muted">{`      ${props.opCursor + 1} of ${ops.length}${win.end < ops.length ? ` · ${ops.length - win.end} more ↓` : ''}`}</T>);
  });
  return <Box flexDirection="column">{out}</Box>;
}

export interface DiffItem {
  kind: 'object' | 'attribute';
  key: string;
  text: string;
  object?: ObjectDiff;
}

/** A diff row: the type cut in the middle (types share long prefixes), the name, the status, the changed attributes. */
export function diffRow(o: ObjectDiff): string {
  return `${pad(fitMiddle(o.type, 18), 18)} ${pad(o.displayName ?? o.archivedId!, 26)} ${pad(o.status, 11)} ${(o.changes ?? []).map((c) => c.property).join(', ')}`;
}

export function DiffView(props: { result: PlanResult; items: DiffItem[]; cursor: number; ids: Set<string> | null; attrs: Set<string> | null }): React.JSX.Element {
  const { rows } = useBody();
  const c = props.result.diff?.counts;
  const counts = c ? `missing ${c.missing} · soft-deleted ${c.softDeleted} · changed ${c.changed} · equal ${c.equal} · extra ${c.extra} (kept)` : 'no diff';
  const room = Math.max(1, rows - TOP - 1 - 1);
  const win = windowOf(props.items.length, props.cursor, room);
  return (
    <Box flexDirection="column">
      <Line tone="muted" text={counts} />
      {props.items.length === 0 ? <T>Nothing differs: there is nothing to restore.</T> : null}
      {props.items.slice(win.start, win.end).map((item, k) => {
        const on = item.kind === 'object' ? props.ids?.has(item.key) : props.attrs?.has(item.key);
        return <Row key={`${item.kind}:${item.key}`} selected={win.start + k === props.cursor} text={`[${on ? 'x' : ' '}] ${item.text}`} />;
      })}
      {props.items.length > room ? <T tone="muted">{`  ${props.cursor + 1} of ${props.items.length}${win.end < props.items.length ? ` · ${props.items.length - win.end} more ↓` : ''}`}</T> : null}
    </Box>
  );
}
