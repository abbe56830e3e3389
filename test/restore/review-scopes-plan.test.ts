/**
 * An access review's fallback reviewer or notification recipient that names an object neither in
 * the target nor restored is left out whole, never as a scope without its query: a reviewer scope
 * is its query (`accessReviewReviewerScope`, https://learn.microsoft.com/graph/api/resources/accessreviewreviewerscope),
 * and `{ "queryType": "MicrosoftGraph" }` alone names no one. Found with Graph's own example
 * (accessreviewset-post-definitions-2, whose fallback reviewer is a user of the page's tenant;
 * test/ops/documented-tenant.test.ts). A required reference (the scope, the reviewers) still
 * blocks the definition.
 */
import { describe, expect, it } from 'vitest';
import type { TenantData } from '../../src/model.js';
import type { LiveState, Operation } from '../../src/restore/types.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { reviewScopeOf } from '../../src/restore/plan/governance.js';
import { meta } from './planner-fixtures.js';

const org = { id: 'tenant-a', displayName: 'Contoso' };
const U1 = '11111111-1111-4111-8111-111111111111';
const GONE = '5f1d57a4-3d43-40a4-a147-ffe03cb9b7ac';
const user = { id: U1, displayName: 'Ada', userPrincipalName: 'ada@contoso.example', accountEnabled: true, mailNickname: 'ada' };
const scope = (id: string) => ({ query: `/users/${id}`, queryType: 'MicrosoftGraph' });
const review = {
  id: 'r1', displayName: 'Guests', descriptionForAdmins: 'd', descriptionForReviewers: 'd',
  scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: "/users?$filter=userType eq 'Guest'", queryType: 'MicrosoftGraph' },
  reviewers: [scope(U1)], fallbackReviewers: [scope(GONE), scope(U1)],
  additionalNotificationRecipients: [{ notificationTemplateType: 'CompletedAdditionalRecipients', notificationRecipientScope: { '@odata.type': '#microsoft.graph.accessReviewNotificationRecipientQueryScope', query: `/users/${GONE}`, queryType: 'MicrosoftGraph' } }],
  settings: { recurrence: null },
};

describe('an access review definition naming a user that is gone', () => {
  it('leaves out the fallback reviewer and the recipient whole, and keeps the others', () => {
    const archive: TenantData = { tenantId: 'tenant-a', initialDomain: 'contoso.example', objects: { organization: [org], user: [user], accessReviewDefinition: [review] }, relations: {} };
    const live: LiveState = { tenantId: 'tenant-b', initialDomain: 'contoso.example', deleted: {}, verifiedDomains: ['contoso.example'], relations: {}, objects: { organization: [org], user: [user] } };
    const plan = buildPlan({ archive, archiveMeta: meta, live, scenario: 'tenant-loss' });
    const create = plan.operations.find((o) => o.opId === 'create:accessReviewDefinition:r1') as Extract<Operation, { kind: 'create' }> | undefined;
    expect(create?.body['fallbackReviewers']).toEqual([scope(U1)]);
    expect(create?.body['additionalNotificationRecipients']).toEqual([]);
    expect(plan.unresolved.map((u) => [u.path, u.effect])).toEqual([
      ['additionalNotificationRecipients[0].notificationRecipientScope.query', 'dropped'],
      ['fallbackReviewers[0].query', 'dropped'],
    ]);
  });

  it('the scope left out is the innermost array element holding the query', () => {
    expect(reviewScopeOf('accessReviewDefinition', ['stageSettings', 1, 'fallbackReviewers', 0, 'query'])).toEqual(['stageSettings', 1, 'fallbackReviewers', 0]);
    expect(reviewScopeOf('accessReviewDefinition', ['fallbackReviewers', 2, 'query'])).toEqual(['fallbackReviewers', 2]);
    expect(reviewScopeOf('accessPackageAssignmentPolicy', ['fallbackReviewers', 2, 'query'])).toEqual(['fallbackReviewers', 2, 'query']);
  });
});
