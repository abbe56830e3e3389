/**
 * Conditional Access dependencies (issue 15 item 5): authentication context class
 * references, and the references Conditional Access policies and PIM role rules hold to them.
 *
 * Graph facts (docs/graph-facts.md §3 "Authentication contexts", S90–S92):
 * - an authentication context's id is chosen by the admin, `c1` … `c99`; it is the value of
 *   the `acrs` claim, so it is the same in every tenant and is its natural key
 *   https://learn.microsoft.com/graph/api/resources/authenticationcontextclassreference
 * - it is created and updated by one `PATCH /identity/conditionalAccess/authenticationContextClassReferences/{id}`
 *   (upsert, 204; there is no documented POST)
 *   https://learn.microsoft.com/graph/api/authenticationcontextclassreference-update
 * - a CA policy names contexts in `conditions.applications.includeAuthenticationContextClassReferences`
 *   https://learn.microsoft.com/graph/api/resources/conditionalaccessapplications
 * - a PIM role rule `unifiedRoleManagementPolicyAuthenticationContextRule` names one in `claimValue`
 *   https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementpolicyauthenticationcontextrule
 *
 * Terms of use agreements are not in the catalog: v1.0 serves them to delegated callers only
 * (docs/coverage.md "Not covered yet", src/report/coverage.ts); CA policies naming one stay
 * report-only (CA_DEPENDENCY_REFS).
 */
import type { ReferenceRule } from './types.js';
import { define, ms } from './define.js';

export const authenticationContextClassReference = define({
  type: 'authenticationContextClassReference', entityType: ms('authenticationContextClassReference'),
  title: 'Authentication context', path: '/identity/conditionalAccess/authenticationContextClassReferences', shape: 'collection',
  // the admin chooses the id (c1…c99) and it never changes
  createOnly: ['id'], requiredOnCreate: ['id'],
  naturalKey: ['id'], softDelete: 'hard', tier: 1,
  // Update authenticationContextClassReference admits Policy.ReadWrite.ConditionalAccess, which the writer holds (S91).
  permissions: { read: 'Policy.Read.All', write: 'Policy.ReadWrite.ConditionalAccess' },
});

/**
 * The CA policy's references to its dependencies: required, as every CA reference is (a policy
 * is switched on only after every reference verifies, restore/execute/access.ts).
 * `grantControls.termsOfUse` names agreements, which are not in the catalog (delegated-only,
 * docs/graph-facts.md §3 "Terms of use agreements"): with no target type the id resolves only
 * when the target has that very id live, so a policy requiring terms of use stays report-only
 * with the id named, never switched on with a dangling agreement.
 */
export const CA_DEPENDENCY_REFS: readonly ReferenceRule[] = [
  { path: 'conditions.applications.includeAuthenticationContextClassReferences', by: 'id', targets: ['authenticationContextClassReference'], required: true },
];

/**
 * A PIM role rule's authentication context (`rules.claimValue`; only the authentication
 * context rule carries it, null when the rule is off). Required: a role's activation rules are
 * never written without the context they demand (the rule would be refused or weakened).
 */
export const PIM_AUTHENTICATION_CONTEXT_REFS: readonly ReferenceRule[] = [
  { path: 'rules.claimValue', by: 'id', targets: ['authenticationContextClassReference'], required: true },
];

/**
 * Location values of every tenant, never a reference to re-link: All, AllTrusted, and the legacy
 * "MFA Trusted IPs" location, the nil GUID (Graph's own create example excludes it, docs/graph-facts.md S389).
 */
export const CA_LOCATION_VALUES: readonly string[] = ['All', 'AllTrusted', '00000000-0000-0000-0000-000000000000'];
