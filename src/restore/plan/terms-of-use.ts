/**
 * A Conditional Access policy's terms of use (`grantControls.termsOfUse`) name agreements by
 * id. Agreements are not in the catalog: Graph v1.0 reads and creates them for delegated
 * callers only and never returns a file's content (docs/graph-facts.md §3 "Terms of use
 * agreements"). In another tenant an archived agreement id names nothing, so each value is an
 * unresolved, required reference: the policy is restored report-only (a disabled one without
 * it, reported), never switched on with a dangling agreement, and a manual step says what to
 * re-create. In the same tenant (all admins deleted, objects, attributes) the id is kept. Pure.
 */
import type { JsonObject } from '../../model.js';
import type { ManualStep, UnresolvedRef } from '../types.js';
import { cmp, pathToString, type JsonPath } from '../json.js';
import type { RefContext, ResolvedBody } from './refs.js';

const PATH = 'grantControls.termsOfUse';

/** Adds the policy's agreement ids to `out.unresolved` when the target is another tenant. */
export function resolveTermsOfUse(body: JsonObject, ctx: RefContext, out: ResolvedBody): void {
  if (!ctx.match.tenantRewrites?.some((r) => r.what === 'tenantId')) return;
  const grant = body['grantControls'];
  const list = grant && typeof grant === 'object' && !Array.isArray(grant) ? grant['termsOfUse'] : undefined;
  if (!Array.isArray(list)) return;
  list.forEach((v, i) => {
    if (typeof v !== 'string' || v === '') return;
    const at: JsonPath = ['grantControls', 'termsOfUse', i];
    out.unresolved.push({ at, path: pathToString(at), value: v, required: true });
  });
}

/** The manual step for CA policies whose terms of use could not be carried over (undefined: none). */
export function termsOfUseStep(unresolved: readonly UnresolvedRef[], nameOf: (id: string) => string): ManualStep | undefined {
  const hits = unresolved.filter((u) => u.type === 'conditionalAccessPolicy' && u.path.startsWith(PATH));
  if (hits.length === 0) return undefined;
  const policies = [...new Set(hits.map((u) => u.archivedId))].sort(cmp);
  const lines = policies.map((id) => `${nameOf(id)} (agreement ${hits.filter((u) => u.archivedId === id).map((u) => u.value).sort(cmp).join(', ')})`);
  return {
    id: 'manual:termsOfUse',
    kind: 'conditionalAccessReview',
    title: `Re-create the terms of use ${policies.length} CA policy(ies) require`,
    instructions:
      `Terms of use agreements are not restored: Graph v1.0 reads and creates them only for a signed-in administrator and never returns a file's content. In the Entra admin center (Identity Governance › Terms of use) create each agreement again from the PDF files you keep, then set it in the policy's grant controls and switch the policy on: ${lines.join('; ')}.`,
    objects: policies,
  };
}
