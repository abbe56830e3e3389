/**
 * Step 5: the plan. Tiers with their operation counts, each expandable to its
 * operations; the warnings (unresolvable references, manual steps, conditional-access
 * policies that will stay report-only); and, for the objects and attributes
 * scenarios, the diff with the selection of what to restore (re-planned on demand).
 */
import React, { useEffect, useMemo, useState } from 'react';
import { Box, Text, type Key } from 'ink';
import type { RestoreTier } from '../../src/catalog/types.js';
import type { ObjectDiff, Operation, Plan, RestoreSelection, ScenarioName } from '../../src/restore/types.js';
import type { PlanResult } from '../services.js';
import { useWizard } from '../context.js';
import { restoreScenarioOf } from '../state.js';
import { Row, StepLayout, T, fit, formatCount, pad, toShown, windowOf, useKeys, useLatestState } from '../ui.js';
import { DetailView, type Detail } from '../detail.js';

const TIERS: { tier: RestoreTier; name: string }[] = [
  { tier: 0, name: 'bootstrap admins' },
  { tier: 1, name: 'settings and unreferenced policies' },
  { tier: 2, name: 'objects' },
  { tier: 3, name: 'relationships' },
  { tier: 4, name: 'conditional access (report-only first)' },
  { tier: 5, name: 'verification' },
];

type View = 'tiers' | 'warnings' | 'diff';

interface DiffItem {
  kind: 'object' | 'attribute';
  key: string;
  text: string;
}

/** Objects the operator can select: everything that differs and exists in the archive. */
export function selectableObjects(result: PlanResult): ObjectDiff[] {
  return (result.diff?.objects ?? []).filter((o) => o.status !== 'equal' && o.status !== 'extra' && o.archivedId !== undefined);
}

export function changedAttributes(result: PlanResult): string[] {
  const names = new Set<string>();
  for (const o of selectableObjects(result)) for (const c of o.changes ?? []) names.add(c.property);
  return [...names].sort();
}

export function warningLines(plan: Plan): string[] {
  const lines: string[] = [];
  lines.push(`Unresolvable references (${plan.unresolved.length})`);
  for (const u of plan.unresolved) lines.push(`  ${u.type} ${u.path}=${u.value}: ${u.effect === 'blocked' ? 'operation blocked' : u.effect === 'keptReportOnly' ? 'policy stays report-only' : 'value dropped'}`);
  lines.push(`Manual steps (${plan.manualSteps.length})`);
  for (const m of plan.manualSteps) lines.push(`  [${m.kind}] ${m.title}`);
  lines.push(`Conditional access staying report-only (${plan.reportOnly.length})`);
  for (const r of plan.reportOnly) lines.push(`  ${r.displayName}: ${r.reason}`);
  if (plan.warnings.length > 0) {
    lines.push(`Other warnings (${plan.warnings.length})`);
    for (const w of plan.warnings) lines.push(`  ${w}`);
  }
  return lines;
}

function warningCount(plan: Plan): number {
  return plan.unresolved.length + plan.manualSteps.length + plan.reportOnly.length + plan.warnings.length;
}

function opsOfTier(plan: Plan, tier: RestoreTier): Operation[] {
  return plan.operations.filter((o) => o.tier === tier);
}

interface PlanSelection {
  ids: Set<string> | null;
  setIds: (next: (prev: Set<string> | null) => Set<string> | null) => void;
  attrs: Set<string> | null;
  setAttrs: (next: (prev: Set<string> | null) => Set<string> | null) => void;
  /** The rows of the diff view: selectable objects, then (attributes scenario) attributes. */
  diffItems: DiffItem[];
  /** What the operator has ticked, as the services take it. */
  selection: () => RestoreSelection;
  /** True when the ticks differ from what the current plan was made for. */
  dirty: boolean;
}

/** The objects and attributes ticked in the diff view (objects and attributes scenarios). */
function usePlanSelection(result: PlanResult | null, planned: RestoreSelection | null, scenario: ScenarioName | null): PlanSelection {
  const withDiff = scenario === 'objects' || scenario === 'attributes';
  const [ids, setIds, latestIds] = useLatestState<Set<string> | null>(null);
  const [attrs, setAttrs, latestAttrs] = useLatestState<Set<string> | null>(null);
  // The selection in effect: what was planned, or everything when nothing was chosen yet.
  useEffect(() => {
    if (!result) return;
    setIds(new Set(planned?.objectIds ?? selectableObjects(result).map((o) => o.archivedId!)));
    setAttrs(new Set(planned?.attributes ?? changedAttributes(result)));
  }, [result, planned]);

  const diffItems = useMemo<DiffItem[]>(() => {
    if (!result || !withDiff) return [];
    const items: DiffItem[] = selectableObjects(result).map((o) => ({
      kind: 'object',
      key: o.archivedId!,
      text: `${pad(o.type, 18)} ${pad(o.displayName ?? o.archivedId!, 26)} ${pad(o.status, 11)} ${(o.changes ?? []).map((c) => c.property).join(', ')}`,
    }));
    if (scenario === 'attributes') for (const a of changedAttributes(result)) items.push({ kind: 'attribute', key: a, text: `attribute ${a}` });
    return items;
  }, [result, withDiff, scenario]);

  const selection = (): RestoreSelection => ({
    objectIds: [...(latestIds() ?? [])].sort(),
    ...(scenario === 'attributes' ? { attributes: [...(latestAttrs() ?? [])].sort() } : {}),
  });
  const dirty = useMemo(() => {
    if (!result || !withDiff || !ids) return false;
    const plannedIds = planned?.objectIds ?? selectableObjects(result).map((o) => o.archivedId!);
    const plannedAttrs = planned?.attributes ?? changedAttributes(result);
    const same = (a: Set<string> | null, b: string[]): boolean => !!a && a.size === b.length && b.every((x) => a.has(x));
    return !same(ids, plannedIds) || (scenario === 'attributes' && !same(attrs, plannedAttrs));
  }, [ids, attrs, result, planned, withDiff, scenario]);
  return { ids, setIds, attrs, setAttrs, diffItems, selection, dirty };
}

/** Plans once on entry (when there is no plan yet) and returns how to plan again (`r`). */
function usePlanRequest(): (selection: RestoreSelection | null) => void {
  const { state, dispatch, services, setWaitController } = useWizard();
  const scenario = restoreScenarioOf(state.scenario);
  const requestPlan = (selection: RestoreSelection | null): void => {
    if (!scenario) return;
    dispatch({ type: 'busy', message: selection ? 'planning the selection' : 'reading the target and planning' });
    // planning only reads: Esc abandons it and its late answer is dropped (issue 12 item 6)
    const c = new AbortController();
    setWaitController(c);
    services.plan(selection ? { scenario, selection } : { scenario }).then(
      (r) => !c.signal.aborted && dispatch({ type: 'planned', result: r, selection }),
      (e: unknown) => !c.signal.aborted && dispatch({ type: 'failed', error: toShown(e) }),
    );
  };

  useEffect(() => {
    if (!state.planResult && !state.busy && !state.error) requestPlan(null);
    // Plan once on entry; re-planning is the operator's explicit `r`.
  }, []);
  return requestPlan;
}

export function PlanStep(): React.JSX.Element {
  const { state, dispatch } = useWizard();
  const scenario = restoreScenarioOf(state.scenario);
  const result = state.planResult;
  const withDiff = scenario === 'objects' || scenario === 'attributes';
  const [view, setView] = useState<View>(withDiff ? 'diff' : 'tiers');
  const tiers = useTiers(result?.plan, () => dispatch({ type: 'next' }));
  const { tierCursor, expanded, opCursor, opDetail } = tiers;
  const [warnScroll, setWarnScroll] = useState(0);
  const [diffCursor, setDiffCursor, latestDiffCursor] = useLatestState(0);
  const { ids, setIds, attrs, setAttrs, diffItems, selection, dirty } = usePlanSelection(result, state.selection, scenario);

  const requestPlan = usePlanRequest();

  const views: View[] = withDiff ? ['diff', 'tiers', 'warnings'] : ['tiers', 'warnings'];
  const warnLines = result ? warningLines(result.plan) : [];

  useKeys(
    (input, key) => {
      if (!result) {
        if (key.escape) dispatch({ type: 'back' });
        else if (input === 'r') requestPlan(state.selection);
        return;
      }
      if (key.tab && !opDetail) {
        setView((v) => views[(views.indexOf(v) + 1) % views.length]!);
        return;
      }
      if (view === 'tiers') {
        if (tiers.onKey(input, key)) return;
      } else if (view === 'warnings') {
        if (key.upArrow) setWarnScroll((s) => Math.max(0, s - 1));
        else if (key.downArrow) setWarnScroll((s) => Math.min(Math.max(0, warnLines.length - 12), s + 1));
      } else {
        if (key.upArrow) setDiffCursor((c) => Math.max(0, c - 1));
        else if (key.downArrow) setDiffCursor((c) => Math.min(diffItems.length - 1, c + 1));
        else if (input === ' ' && diffItems[latestDiffCursor()]) {
          const item = diffItems[latestDiffCursor()]!;
          (item.kind === 'object' ? setIds : setAttrs)((set) => toggled(set, item.key));
        } else if (input === 'a') {
          const all = diffItems.filter((i) => i.kind === 'object').map((i) => i.key);
          setIds((s) => (s && s.size === all.length ? new Set() : new Set(all)));
        }
      }
      if (input === 'r') {
        const sel = selection();
        if (withDiff && (sel.objectIds?.length ?? 0) === 0) {
          dispatch({ type: 'failed', error: { code: 'USAGE', message: 'nothing is selected', hint: 'press space on an object to select it' } });
        } else requestPlan(withDiff ? sel : null);
      } else if (key.return) {
        if (dirty) dispatch({ type: 'failed', error: { code: 'USAGE', message: 'the selection changed since the plan was made', hint: 'press r to plan the selection' } });
        else dispatch({ type: 'next' });
      } else if (key.escape) dispatch({ type: 'back' });
    },
    { isActive: !state.busy },
  );

  if (!result) {
    return <StepLayout help="r plan again · esc back · ctrl-c quit">{null}</StepLayout>;
  }
  const plan = result.plan;
  const op = view === 'tiers' && expanded !== null && opDetail ? opsOfTier(plan, expanded)[opCursor] : undefined;
  if (op) return <DetailView detail={operationDetail(op)} position={`tier ${op.tier} · operation ${opCursor + 1} of ${opsOfTier(plan, op.tier).length}`} />;
  const tabs = views
    .map((v) => {
      const label = v === 'tiers' ? 'Tiers' : v === 'warnings' ? `Warnings (${warningCount(plan)})` : `Diff (${ids?.size ?? 0} selected)`;
      return v === view ? `[${label}]` : ` ${label} `;
    })
    .join(' ');
  return (
    <StepLayout help={planHelp(view, expanded !== null)}>
      <T bold>{fit(`Plan ${plan.scenario}: ${formatCount(plan.operations.length)} operations on ${plan.target.initialDomain}`, 80)}</T>
      <Text wrap="truncate-end">
        <T tone="accent">{tabs}</T>
        {dirty ? <T tone="warn">{'  selection changed: r re-plans'}</T> : null}
      </Text>
      {view === 'tiers' ? (
        <TiersView plan={plan} cursor={tierCursor} expanded={expanded} opCursor={opCursor} />
      ) : view === 'warnings' ? (
        <WarningsView lines={warnLines} scroll={warnScroll} />
      ) : (
        <DiffView result={result} items={diffItems} cursor={diffCursor} ids={ids} attrs={attrs} />
      )}
    </StepLayout>
  );
}

/**
 * The Tiers view's cursor, expanded tier, operation cursor and operation detail, and its
 * keys. `onKey` returns true when the key is used up (the step handles nothing more).
 */
function useTiers(plan: Plan | undefined, next: () => void) {
  const [tierCursor, setTierCursor] = useState(0);
  const [expanded, setExpanded] = useState<RestoreTier | null>(null);
  const [opCursor, setOpCursor] = useState(0);
  const [opDetail, setOpDetail] = useState(false);
  const onKey = (input: string, key: Key): boolean => {
    if (!plan) return false;
    if (expanded !== null) {
      const ops = opsOfTier(plan, expanded);
      if (opDetail) {
        if (key.escape || key.leftArrow) setOpDetail(false);
      } else if (key.rightArrow && ops[opCursor]) setOpDetail(true);
      else if (key.upArrow) setOpCursor((c) => Math.max(0, c - 1));
      else if (key.downArrow) setOpCursor((c) => Math.min(ops.length - 1, c + 1));
      else if (key.leftArrow || key.escape || input === ' ') setExpanded(null);
      else if (key.return) next();
      return true;
    }
    if (key.upArrow) setTierCursor((c) => Math.max(0, c - 1));
    else if (key.downArrow) setTierCursor((c) => Math.min(TIERS.length - 1, c + 1));
    else if (key.rightArrow || input === ' ') {
      setExpanded(TIERS[tierCursor]!.tier);
      setOpCursor(0);
    }
    return false;
  };
  return { tierCursor, expanded, opCursor, opDetail, onKey };
}

/** The keys the current view takes, on the help line. */
function planHelp(view: View, expanded: boolean): string {
  if (view === 'tiers') {
    return expanded
      ? '↑↓ operations · → details · ←/esc collapse · tab view · enter continue'
      : '↑↓ tier · → expand · tab view · enter continue · esc back · ctrl-c quit';
  }
  return view === 'warnings'
    ? '↑↓ scroll · tab view · enter continue · esc back · ctrl-c quit'
    : '↑↓ move · space select · a all · r re-plan · tab view · enter next · esc back';
}

/** `set` with `key` added, or removed when it was there (a new set: state is never mutated). */
function toggled(set: Set<string> | null, key: string): Set<string> {
  const n = new Set(set ?? []);
  if (n.has(key)) n.delete(key);
  else n.add(key);
  return n;
}

/** Warnings wrap, never cut (issue 12 item 11): each is read whole; ↑↓ scroll by warning. */
function WarningsView(props: { lines: string[]; scroll: number }): React.JSX.Element {
  return (
    <Box flexDirection="column">
      {props.lines.slice(props.scroll, props.scroll + 12).map((l, i) => (
        <T key={props.scroll + i} tone={l.startsWith('  ') ? 'warn' : 'plain'} bold={!l.startsWith('  ')} wrap="wrap">
          {l.replace(/[\u0000-\u001f\u007f]/g, ' ')}
        </T>
      ))}
    </Box>
  );
}

/** One operation whole: its label, what it writes and what it waits for. */
export function operationDetail(op: Operation): Detail {
  const fields = [{ label: 'Operation', value: `${op.kind}${'type' in op ? ` of ${op.type}` : ''} (tier ${op.tier})` }, { label: 'Id in the plan', value: op.opId }];
  if (op.dependsOn.length > 0) fields.push({ label: `Waits for (${op.dependsOn.length})`, value: `${op.dependsOn.slice(0, 8).join(', ')}${op.dependsOn.length > 8 ? ', …' : ''}` });
  return { title: op.label, fields };
}

function TiersView(props: { plan: Plan; cursor: number; expanded: RestoreTier | null; opCursor: number }): React.JSX.Element {
  const rows: React.JSX.Element[] = [];
  TIERS.forEach((t, i) => {
    const ops = opsOfTier(props.plan, t.tier);
    const open = props.expanded === t.tier;
    rows.push(
      <Row
        key={`t${t.tier}`}
        selected={i === props.cursor && props.expanded === null}
        text={`${open ? '▾' : '▸'} Tier ${t.tier}  ${pad(t.name, 40)} ${formatCount(ops.length).padStart(8)} ops`}
      />,
    );
    if (open) {
      const win = windowOf(ops.length, props.opCursor, 6);
      if (ops.length === 0) rows.push(<T key="none" tone="muted">{'      (no operations)'}</T>);
      ops.slice(win.start, win.end).forEach((op, k) => {
        const at = win.start + k;
        rows.push(<Row key={op.opId} selected={at === props.opCursor} text={`    ${pad(op.kind, 16)} ${op.label}`} />);
      });
      if (ops.length > 6) rows.push(<T key="more" tone="muted">{`      ${props.opCursor + 1} of ${ops.length}`}</T>);
    }
  });
  return <Box flexDirection="column">{rows}</Box>;
}

function DiffView(props: { result: PlanResult; items: DiffItem[]; cursor: number; ids: Set<string> | null; attrs: Set<string> | null }): React.JSX.Element {
  const c = props.result.diff?.counts;
  const counts = c
    ? `missing ${c.missing} · soft-deleted ${c.softDeleted} · changed ${c.changed} · equal ${c.equal} · extra ${c.extra} (kept)`
    : 'no diff';
  const win = windowOf(props.items.length, props.cursor, 11);
  return (
    <Box flexDirection="column">
      <T tone="muted">{fit(counts, 80)}</T>
      {props.items.length === 0 ? <T>Nothing differs: there is nothing to restore.</T> : null}
      {props.items.slice(win.start, win.end).map((item, k) => {
        const on = item.kind === 'object' ? props.ids?.has(item.key) : props.attrs?.has(item.key);
        return <Row key={`${item.kind}:${item.key}`} selected={win.start + k === props.cursor} text={`[${on ? 'x' : ' '}] ${item.text}`} />;
      })}
    </Box>
  );
}
