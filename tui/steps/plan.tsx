/**
 * Step 5: the plan. Tiers with their operation counts, each expandable to its
 * operations; the warnings (unresolvable references, manual steps, conditional-access
 * policies that will stay report-only); and, for the objects and attributes
 * scenarios, the diff with the selection of what to restore (re-planned on demand).
 */
import React, { useEffect, useMemo, useState } from 'react';
import { Text } from 'ink';
import type { RestoreTier } from '../../src/catalog/types.js';
import type { ProgressEvent } from '../../src/progress.js';
import type { ObjectDiff, RestoreSelection, ScenarioName } from '../../src/restore/types.js';
import type { PlanResult } from '../services.js';
import { useWizard } from '../context.js';
import { restoreScenarioOf } from '../state.js';
import { DetailScreen, useDetail } from '../detail.js';
import { Line, StepLayout, T, formatCount, toShown, useKeys, useLatestState } from '../ui.js';
import { DiffView, TIERS, TiersView, WarningsView, diffDetail, diffRow, operationDetail, opsOfTier, warningCount, warningItems, type DiffItem } from './plan-views.js';

export { warningLines } from './plan-views.js';

type View = 'tiers' | 'warnings' | 'diff';

export { changedAttributes, selectableObjects } from '../plan-rows.js';
import { changedAttributes, selectableObjects } from '../plan-rows.js';

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
  // The selection in effect: what was planned, or everything when nothing was chosen yet. Set
  // while rendering the new result (React's "adjusting state when a prop changes"), not in an
  // effect: an effect let one frame show the new plan with nothing selected ("0 selected").
  const [madeFor, setMadeFor] = useState<{ result: PlanResult | null; planned: RestoreSelection | null }>({ result: null, planned: null });
  if (result && (madeFor.result !== result || madeFor.planned !== planned)) {
    setMadeFor({ result, planned });
    setIds(new Set(planned?.objectIds ?? selectableObjects(result).map((o) => o.archivedId!)));
    setAttrs(new Set(planned?.attributes ?? changedAttributes(result)));
  }

  const diffItems = useMemo<DiffItem[]>(() => {
    if (!result || !withDiff) return [];
    const items: DiffItem[] = selectableObjects(result).map((o: ObjectDiff) => ({ kind: 'object', key: o.archivedId!, text: diffRow(o), object: o }));
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
    // the live read's phases and counts, on the wait's status line (issue 12 item 12)
    const reporter = { report: (event: ProgressEvent) => !c.signal.aborted && dispatch({ type: 'waitProgress', event }) };
    services.plan(selection ? { scenario, selection } : { scenario }, { reporter }).then(
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
  const [tierCursor, setTierCursor] = useState(0);
  const [expanded, setExpanded] = useState<RestoreTier | null>(null);
  const [opCursor, setOpCursor] = useState(0);
  const [warnCursor, setWarnCursor] = useState(0);
  const { detail, open, close } = useDetail();
  const [diffCursor, setDiffCursor, latestDiffCursor] = useLatestState(0);
  const { ids, setIds, attrs, setAttrs, diffItems, selection, dirty } = usePlanSelection(result, state.selection, scenario);

  const requestPlan = usePlanRequest();

  const views: View[] = withDiff ? ['diff', 'tiers', 'warnings'] : ['tiers', 'warnings'];
  const warnItems = useMemo(() => (result ? warningItems(result.plan) : []), [result]);

  useKeys(
    (input, key) => {
      if (!result) {
        if (key.escape) dispatch({ type: 'back' });
        else if (input === 'r') requestPlan(state.selection);
        return;
      }
      if (key.tab) {
        setView((v) => views[(views.indexOf(v) + 1) % views.length]!);
        return;
      }
      if (view === 'tiers') {
        if (expanded !== null) {
          const ops = opsOfTier(result.plan, expanded);
          if (key.upArrow) setOpCursor((c) => Math.max(0, c - 1));
          else if (key.downArrow) setOpCursor((c) => Math.min(ops.length - 1, c + 1));
          else if (key.rightArrow && ops[opCursor]) open(operationDetail(result.plan, ops[opCursor]!));
          else if (key.leftArrow || key.escape || input === ' ') setExpanded(null);
          else if (key.return) dispatch({ type: 'next' });
          return;
        }
        if (key.upArrow) setTierCursor((c) => Math.max(0, c - 1));
        else if (key.downArrow) setTierCursor((c) => Math.min(TIERS.length - 1, c + 1));
        else if (key.rightArrow || input === ' ') {
          setExpanded(TIERS[tierCursor]!.tier);
          setOpCursor(0);
        }
      } else if (view === 'warnings') {
        const item = warnItems[warnCursor];
        if (key.upArrow) setWarnCursor((c) => Math.max(0, c - 1));
        else if (key.downArrow) setWarnCursor((c) => Math.min(warnItems.length - 1, c + 1));
        else if (key.rightArrow && item?.detail) open(item.detail);
      } else {
        if (key.upArrow) setDiffCursor((c) => Math.max(0, c - 1));
        else if (key.downArrow) setDiffCursor((c) => Math.min(diffItems.length - 1, c + 1));
        else if (key.rightArrow && diffItems[latestDiffCursor()]?.object) open(diffDetail(diffItems[latestDiffCursor()]!.object!));
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
    { isActive: !state.busy && !detail },
  );

  if (detail) return <DetailScreen detail={detail} onClose={close} />;
  if (!result) {
    return <StepLayout help="r plan again · esc back · ctrl-c quit">{null}</StepLayout>;
  }
  const plan = result.plan;
  const tabs = planTabs(views, view, plan, ids?.size ?? 0);
  return (
    <StepLayout help={planHelp(view, expanded !== null)}>
      <Line bold text={`Plan ${plan.scenario}: ${formatCount(plan.operations.length)} operations on ${plan.target.initialDomain}`} />
      <Text wrap="truncate-end">
        <T tone="accent">{tabs}</T>
        {dirty ? <T tone="warn">{'  selection changed: r re-plans'}</T> : null}
      </Text>
      {view === 'tiers' ? (
        <TiersView plan={plan} cursor={tierCursor} expanded={expanded} opCursor={opCursor} />
      ) : view === 'warnings' ? (
        <WarningsView items={warnItems} cursor={warnCursor} />
      ) : (
        <DiffView result={result} items={diffItems} cursor={diffCursor} ids={ids} attrs={attrs} />
      )}
    </StepLayout>
  );
}

/** The view tabs, the current one in brackets. */
function planTabs(views: View[], view: View, plan: PlanResult['plan'], selected: number): string {
  return views
    .map((v) => {
      const label = v === 'tiers' ? 'Tiers' : v === 'warnings' ? `Warnings (${warningCount(plan)})` : `Diff (${selected} selected)`;
      return v === view ? `[${label}]` : ` ${label} `;
    })
    .join(' ');
}

/** The keys the current view takes, on the help line. */
function planHelp(view: View, expanded: boolean): string {
  if (view === 'tiers') {
    return expanded
      ? '↑↓ operations · → details · ←/esc collapse · tab view · enter continue'
      : '↑↓ tier · → expand · tab view · enter continue · esc back · ctrl-c quit';
  }
  return view === 'warnings'
    ? '↑↓ move · → details · tab view · enter continue · esc back · ctrl-c quit'
    : '↑↓ move · → details · space select · a all · r re-plan · tab view · enter next · esc back';
}

/** `set` with `key` added, or removed when it was there (a new set: state is never mutated). */
function toggled(set: Set<string> | null, key: string): Set<string> {
  const n = new Set(set ?? []);
  if (n.has(key)) n.delete(key);
  else n.add(key);
  return n;
}
