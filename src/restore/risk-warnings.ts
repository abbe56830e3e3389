/**
 * The warnings of the forensics diff (issue 18 item 3; docs/archive-diff-format.md
 * "Warnings"): changes that switch a protection off, named in one line so the operator sees
 * them before anything else in their risk group. Pure.
 *
 * PIM role settings (src/catalog/pim-policies.ts): a policy's `rules` are compared by rule id;
 * an approval rule whose `setting.isApprovalRequired` was true and no longer is, and an
 * enablement rule that no longer lists `MultiFactorAuthentication`, weaken the activation or
 * assignment of the role the policy governs.
 * Consent (docs/archive-diff-format.md "Risk groups"): `permissionGrantPoliciesAssigned` of
 * the authorization policy gaining a `ManagePermissionGrantsForSelf.*` policy lets users
 * consent to apps themselves; the admin consent request workflow switched off
 * (`isEnabled` true → false) removes the review of what users ask for.
 */
import type { Json } from '../model.js';
import type { Change } from './archive-diff.js';

type Rule = { id: string; obj: Record<string, Json> };

function rulesOf(v: Json): Map<string, Rule> {
  const out = new Map<string, Rule>();
  if (Array.isArray(v)) for (const r of v) {
    if (r && typeof r === 'object' && !Array.isArray(r) && typeof r['id'] === 'string') out.set(r['id'], { id: r['id'], obj: r });
  }
  return out;
}

function approvalRequired(r: Rule | undefined): boolean {
  const s = r?.obj['setting'];
  return Boolean(s && typeof s === 'object' && !Array.isArray(s) && s['isApprovalRequired'] === true);
}

function requiresMfa(r: Rule | undefined): boolean {
  const e = r?.obj['enabledRules'];
  return Array.isArray(e) && e.includes('MultiFactorAuthentication');
}

/** The PIM rules that were weakened from `before` to `after` (a rules list each). */
export function pimWeakenings(before: Json, after: Json): string[] {
  const a = rulesOf(before);
  const b = rulesOf(after);
  const out: string[] = [];
  for (const [id, rule] of [...a].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    if (approvalRequired(rule) && !approvalRequired(b.get(id))) out.push(`PIM approval turned off (${id})`);
    if (requiresMfa(rule) && !requiresMfa(b.get(id))) out.push(`PIM MFA requirement turned off (${id})`);
  }
  return out;
}

const strings = (v: Json | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function assignedPolicies(v: Json): string[] {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return [];
  return strings(v['permissionGrantPoliciesAssigned']);
}

/** The one-line warnings of a change (empty for most). */
export function warningsOf(c: Change): string[] {
  if (c.subject !== 'object' || c.change !== 'changed') return [];
  const out: string[] = [];
  for (const p of c.properties) {
    if ((c.type === 'roleManagementPolicy' || c.type === 'pimGroupPolicy') && p.property === 'rules') out.push(...pimWeakenings(p.before, p.after));
    if (c.type === 'authorizationPolicy' && p.property === 'defaultUserRolePermissions') {
      const before = new Set(assignedPolicies(p.before));
      for (const x of assignedPolicies(p.after)) if (!before.has(x) && x.startsWith('ManagePermissionGrantsForSelf.')) out.push(`user consent allowed: ${x}`);
    }
    if (c.type === 'adminConsentRequestPolicy' && p.property === 'isEnabled' && p.before === true && p.after !== true) out.push('admin consent requests turned off');
  }
  return out;
}
