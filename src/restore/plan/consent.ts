/**
 * Admin consent reviewers that cannot be re-linked (a user or group the plan neither finds in
 * the target nor recreates) are taken out of the restored admin consent request policy and
 * reported (plan `unresolved`, effect `dropped`, and a fidelity deviation with that reason);
 * this step lists each with the exact value to re-enter once its user or group exists again
 * (src/catalog/consent-policies.ts). Pure.
 */
import type { JsonObject } from '../../model.js';
import type { ManualStep, UnresolvedRef } from '../types.js';

/** Its id; one step for every dropped reviewer of the policy. */
export const CONSENT_REVIEWERS_STEP_ID = 'manual:adminConsentReviewers';

export function consentReviewerStep(unresolved: readonly UnresolvedRef[]): ManualStep | undefined {
  const dropped = unresolved.filter((u) => u.type === 'adminConsentRequestPolicy' && u.effect === 'dropped');
  if (dropped.length === 0) return undefined;
  const lines = dropped.map((u) => `- reviewer query "${u.value}" (queryType MicrosoftGraph)`);
  return {
    id: CONSENT_REVIEWERS_STEP_ID,
    kind: 'other',
    title: 'Add again the admin consent reviewers whose user or group was not restored',
    instructions: [
      'The restored admin consent request policy lacks these reviewers: the user or group each named is neither in the target nor restored by this plan.',
      'Recreate (or pick) the user or group, then add it as a reviewer in the Entra admin center (Enterprise applications > Admin consent settings) or with PUT /policies/adminConsentRequestPolicy, replacing the archived id with the new one:',
      ...lines,
    ].join('\n'),
    objects: [...new Set(dropped.map((u) => u.archivedId))],
  };
}

/** A reviewer whose `query` was taken out is no reviewer: the whole entry goes (`body` is changed in place). */
export function dropEmptyReviewers(body: JsonObject): void {
  const list = body['reviewers'];
  if (Array.isArray(list)) body['reviewers'] = list.filter((r) => r !== null && typeof r === 'object' && !Array.isArray(r) && typeof r['query'] === 'string');
}
