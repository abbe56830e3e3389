/**
 * A user flow's languages on restore (src/catalog/user-flow-attributes.ts, docs/graph-facts.md
 * S332): v1.0 cannot write a language's `isEnabled` (Get and List only), so a difference becomes a
 * manual step with the exact values, and fidelity reports it; the customized pages
 * (`@overridesPages`) are PUT back by an update op whose body carries them
 * (src/restore/execute/user-flow-pages.ts). Pure.
 */
import type { ResourceDescriptor } from '../../catalog/types.js';
import type { DirObject } from '../../model.js';
import { PAGES_KEY } from '../../snapshot/user-flow-pages.js';
import { canonicalJson } from '../../json.js';
import type { AttributeChange, ManualStep } from '../types.js';
import type { TenantMatch } from '../diff.js';
import { cmp } from '../json.js';
import { opIdFor, parentOf, type Candidate, type PlanContext } from './context.js';

const STEP_ID = 'manual:userFlowLanguages';

/** The update candidate writing a language's pages (undefined: they already match); `isEnabled` is never written. */
export function languageUpdate(ctx: PlanContext, desc: ResourceDescriptor, id: string, obj: DirObject, live: DirObject, changes: readonly AttributeChange[]): Candidate | undefined {
  const pages = obj[PAGES_KEY];
  const enabled = changes.find((c) => c.property === 'isEnabled');
  if (enabled) ctx.warnings.push(`${desc.title} ${id}: isEnabled differs (${String(enabled.archived)} archived) and Graph v1.0 cannot write it (${STEP_ID})`);
  if (pages === undefined || canonicalJson(pages) === canonicalJson(live[PAGES_KEY] ?? null)) return undefined;
  const c: Candidate = { opId: opIdFor('update', desc.type, id), kind: 'update', type: desc.type, archivedId: id, tier: desc.tier, body: { [PAGES_KEY]: pages }, changes: [], after: [] };
  const parent = parentOf(ctx, desc, obj);
  if (parent) c.parent = parent;
  return c;
}

/** The page update of a language whose flow this plan creates (undefined: no pages, or the flow is not created), after that create. */
export function languageOfNewFlow(ctx: PlanContext, desc: ResourceDescriptor, id: string, obj: DirObject, producer: ReadonlyMap<string, string>): Candidate | undefined {
  const parent = parentOf(ctx, desc, obj);
  const flowOp = parent === undefined ? undefined : producer.get(parent);
  if (flowOp === undefined) return undefined;
  const c = languageUpdate(ctx, desc, id, obj, { id }, []);
  if (c) c.after = [flowOp];
  return c;
}

/** The manual step naming each archived language whose isEnabled the target does not show (undefined: none). */
export function userFlowLanguageStep(archive: readonly DirObject[], match: TenantMatch): ManualStep | undefined {
  const differ = [...archive].sort((a, b) => cmp(a.id, b.id)).filter((o) => {
    const e = match.entries.get(o.id);
    return !(e?.state === 'live' && e.live?.['isEnabled'] === o['isEnabled']);
  });
  if (differ.length === 0) return undefined;
  const lines = differ.map((o) => {
    const cut = o.id.lastIndexOf('/');
    return `${o.id.slice(0, cut)} ${String(o['displayName'] ?? o.id.slice(cut + 1))} (${o.id.slice(cut + 1)}): ${o['isEnabled'] === true ? 'enabled' : 'disabled'}`;
  });
  return {
    id: STEP_ID,
    kind: 'other',
    title: `Set ${lines.length} user flow language(s) on or off`,
    instructions: `Graph v1.0 cannot switch a user flow's languages on or off. In the Entra admin center (External Identities › User flows › the flow › Languages) set each as archived: ${lines.join('; ')}.`,
    objects: differ.map((o) => o.id),
  };
}
