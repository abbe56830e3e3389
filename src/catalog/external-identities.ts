/**
 * External identities (issue 15 item 6): the tenant's authentication flows policy.
 *
 * Graph facts (docs/graph-facts.md §3 "Authentication flows policy", S93):
 * - a singleton, `/policies/authenticationFlowsPolicy`, read with Policy.Read.All and updated
 *   with PATCH (Policy.ReadWrite.AuthenticationFlows); only `selfServiceSignUp` is writable
 *   (displayName, description and id are read-only)
 *   https://learn.microsoft.com/graph/api/resources/authenticationflowspolicy,
 *   https://learn.microsoft.com/graph/api/authenticationflowspolicy-update
 *
 * Identity providers, domain federation, user flows and custom authentication extensions are
 * not in the catalog yet (docs/coverage.md "Not covered yet", src/report/coverage.ts says why).
 */
import { define, ms } from './define.js';

export const authenticationFlowsPolicy = define({
  type: 'authenticationFlowsPolicy', entityType: ms('authenticationFlowsPolicy'), title: 'Authentication flows policy',
  path: '/policies/authenticationFlowsPolicy', shape: 'singleton',
  readOnly: ['description', 'displayName'], requiredOnCreate: [], naturalKey: [], softDelete: 'notDeletable', tier: 1,
  permissions: { read: 'Policy.Read.All', write: 'Policy.ReadWrite.AuthenticationFlows' },
});
