/**
 * A plan's tiers and warnings as rows of text, each warning with its whole text as a detail.
 * Pure: the Ink Plan step (steps/plan-views.tsx) and the plain wizard (tui/plain/) show the
 * same rows.
 */
import type { RestoreTier } from '../src/catalog/types.js';
import type { ObjectDiff, Operation, Plan } from '../src/restore/types.js';
import type { PlanResult } from './services.js';
import type { Detail } from './detail.js';

export const TIERS: { tier: RestoreTier; name: string }[] = [
  { tier: 0, name: 'bootstrap admins' },
  { tier: 1, name: 'settings and unreferenced policies' },
  { tier: 2, name: 'objects' },
  { tier: 3, name: 'relationships' },
  { tier: 4, name: 'conditional access (report-only first)' },
  { tier: 5, name: 'verification' },
];

export function opsOfTier(plan: Plan, tier: RestoreTier): Operation[] {
  return plan.operations.filter((o) => o.tier === tier);
}

/** One line of the warnings view: a heading, or an item with its whole text as a detail. */
export interface WarningItem {
  text: string;
  detail?: Detail;
}

const EFFECT: Record<Plan['unresolved'][number]['effect'], string> = {
  blocked: 'operation blocked',
  keptReportOnly: 'policy stays report-only',
  dropped: 'value dropped',
  propertyKept: 'property left as it is',
};

const EFFECT_WHY: Record<Plan['unresolved'][number]['effect'], string> = {
  blocked: 'the operation that needs this reference is not run (it is listed as blocked in the report)',
  keptReportOnly: 'the conditional-access policy is created report-only and stays so until the reference exists',
  dropped: 'the value is left out of the restored object',
  propertyKept: 'the property holding it is not written and keeps its value in the target; the object\'s other properties are restored',
};

/** The warnings of a plan, grouped under headings, each item with its detail. */
export function warningItems(plan: Plan): WarningItem[] {
  const labelOf = new Map(plan.operations.map((o) => [o.opId, o.label] as const));
  const items: WarningItem[] = [{ text: `Unresolvable references (${plan.unresolved.length})` }];
  for (const u of plan.unresolved) {
    items.push({
      text: `  ${u.type} ${u.path}=${u.value}: ${EFFECT[u.effect]}`,
      detail: {
        title: `Unresolvable reference: ${EFFECT[u.effect]}`,
        fields: [['Object', `${u.type} ${u.archivedId}`], ['Property', u.path], ['Refers to', `${u.value} (not in the archive, not in the target)`], ['Effect', EFFECT_WHY[u.effect]], ['Operation', labelOf.get(u.opId) ?? u.opId]],
      },
    });
  }
  items.push({ text: `Manual steps (${plan.manualSteps.length})` });
  for (const m of plan.manualSteps) {
    items.push({ text: `  [${m.kind}] ${m.title}`, detail: { title: `Manual step: ${m.title}`, fields: [['Kind', m.kind], ['What to do', m.instructions], ['Objects', m.objects.length === 0 ? 'none' : m.objects.join(', ')]] } });
  }
  items.push({ text: `Conditional access staying report-only (${plan.reportOnly.length})` });
  for (const r of plan.reportOnly) {
    items.push({ text: `  ${r.displayName}: ${r.reason}`, detail: { title: `Stays report-only: ${r.displayName}`, fields: [['Policy', `${r.displayName} (${r.archivedId})`], ['Why', r.reason]] } });
  }
  if (plan.warnings.length > 0) {
    items.push({ text: `Other warnings (${plan.warnings.length})` });
    for (const w of plan.warnings) items.push({ text: `  ${w}`, detail: { title: 'Warning', fields: [['', w]] } });
  }
  return items;
}

/** The warnings as plain lines (headings and items), as they are listed. */
export function warningLines(plan: Plan): string[] {
  return warningItems(plan).map((i) => i.text);
}

export function warningCount(plan: Plan): number {
  return plan.unresolved.length + plan.manualSteps.length + plan.reportOnly.length + plan.warnings.length;
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
