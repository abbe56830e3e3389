/**
 * Issue 15's layer of a generated tenant, written through plain Graph calls as an administrator
 * writes it (each body as the v1.0 page's example has it):
 * - a joiner lifecycle workflow whose welcome mail copies a user and which adds new hires to a
 *   security group (https://learn.microsoft.com/graph/api/lifecycleworkflows-workflow-post-workflows);
 * - an access review of a group's members by a user
 *   (https://learn.microsoft.com/graph/api/accessreviewset-post-definitions);
 * - a token lifetime policy on the first app
 *   (https://learn.microsoft.com/graph/api/application-post-tokenlifetimepolicies);
 * - an authentication context and a report-only CA policy that demands it
 *   (https://learn.microsoft.com/graph/api/conditionalaccessroot-post-authenticationcontextclassreferences,
 *   created by PATCH of its id: docs/graph-facts.md);
 * - a custom security attribute set and definition, and a user's value
 *   (https://learn.microsoft.com/graph/api/directory-post-customsecurityattributedefinitions,
 *   https://learn.microsoft.com/graph/custom-security-attributes-examples).
 */
import fc from 'fast-check';
import type { Io } from './graph-io.js';

export interface LayerSpec {
  /** `group`: an index among the security groups (modulo their count); none when there is none */
  workflow: { cc: number; group: number } | null;
  review: { group: number; reviewer: number } | null;
  lifetime: boolean;
  context: boolean;
  csa: { user: number; value: 'High' | 'Low' } | null;
}

export function layerSpec(users: number, groups: number): fc.Arbitrary<LayerSpec> {
  return fc.record({
    workflow: fc.option(fc.record({ cc: fc.nat(users - 1), group: fc.nat(groups - 1) }), { nil: null }),
    review: fc.option(fc.record({ group: fc.nat(groups - 1), reviewer: fc.nat(users - 1) }), { nil: null }),
    lifetime: fc.boolean(),
    context: fc.boolean(),
    csa: fc.option(fc.record({ user: fc.nat(users - 1), value: fc.constantFrom('High' as const, 'Low' as const) }), { nil: null }),
  });
}

const IG = (t: string) => `#microsoft.graph.identityGovernance.${t}`;
const ENABLE_USER = '6fc52c9d-398b-4305-9763-15f42c1676fc';
const WELCOME_EMAIL = '70b29d51-b59a-4773-9280-8841dfd3f2ea';
const ADD_TO_GROUPS = '22085229-5809-45e8-97fd-270d28d66910';

export interface LayerRefs {
  ids: Map<string, string>;
  user(i: number): string;
  group(i: number): string;
  /** indexes of the generated security groups */
  securityGroups: number[];
}

/** Writes `spec` through `io`; records what it created in `refs.ids` by oracle key. */
export async function writeLayer(io: Io, spec: LayerSpec, refs: LayerRefs): Promise<void> {
  const { ids, user, group } = refs;
  if (spec.workflow) {
    const sg = refs.securityGroups.length ? refs.securityGroups[spec.workflow.group % refs.securityGroups.length] : undefined;
    const w = await io.send('POST', '/identityGovernance/lifecycleWorkflows/workflows', {
      category: 'joiner', displayName: 'OV onboarding', description: 'oracle joiners', isEnabled: true, isSchedulingEnabled: false,
      executionConditions: {
        '@odata.type': IG('triggerAndScopeBasedConditions'),
        scope: { '@odata.type': IG('ruleBasedSubjectSet'), rule: "(department eq 'IT')" },
        trigger: { '@odata.type': IG('timeBasedAttributeTrigger'), timeBasedAttribute: 'employeeHireDate', offsetInDays: 0 },
      },
      tasks: [
        { displayName: 'Enable User Account', taskDefinitionId: ENABLE_USER, isEnabled: true, continueOnError: false, arguments: [] },
        { displayName: 'Send Welcome Email', taskDefinitionId: WELCOME_EMAIL, isEnabled: true, continueOnError: false, arguments: [{ name: 'cc', value: user(spec.workflow.cc) }] },
        ...(sg === undefined ? [] : [{ displayName: 'Add User To Groups', taskDefinitionId: ADD_TO_GROUPS, isEnabled: true, continueOnError: false, arguments: [{ name: 'groupID', value: group(sg) }] }]),
      ],
    });
    ids.set('workflow:OV onboarding', String(w?.id));
  }
  if (spec.review) {
    const gid = group(spec.review.group);
    const r = await io.send('POST', '/identityGovernance/accessReviews/definitions', {
      displayName: 'OV review', descriptionForAdmins: 'oracle review', descriptionForReviewers: 'keep who still needs it',
      scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${gid}/transitiveMembers`, queryType: 'MicrosoftGraph' },
      reviewers: [{ query: `/users/${user(spec.review.reviewer)}`, queryType: 'MicrosoftGraph' }],
      settings: {
        mailNotificationsEnabled: true, reminderNotificationsEnabled: true, justificationRequiredOnApproval: true, defaultDecisionEnabled: false, defaultDecision: 'None',
        instanceDurationInDays: 7, autoApplyDecisionsEnabled: false, recommendationsEnabled: true,
        recurrence: { pattern: { type: 'weekly', interval: 1 }, range: { type: 'noEnd', startDate: '2026-12-01' } },
      },
    });
    ids.set('review:OV review', String(r?.id));
  }
  const app = ids.get('app:OV App 0');
  if (spec.lifetime && app) {
    const p = await io.send('POST', '/policies/tokenLifetimePolicies', {
      definition: ['{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":"8:00:00"}}'], displayName: 'OV lifetime', isOrganizationDefault: false,
    });
    ids.set('tlp:OV lifetime', String(p?.id));
    await io.send('POST', `/applications/${app}/tokenLifetimePolicies/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/policies/tokenLifetimePolicies/${String(p?.id)}` });
  }
  if (spec.context) {
    await io.send('PATCH', '/identity/conditionalAccess/authenticationContextClassReferences/c7', { displayName: 'OV step-up', description: 'oracle', isAvailable: true });
    const ca = await io.send('POST', '/identity/conditionalAccess/policies', {
      displayName: 'OV Step-up policy', state: 'enabledForReportingButNotEnforced',
      conditions: { applications: { includeAuthenticationContextClassReferences: ['c7'] }, clientAppTypes: ['all'], users: { includeUsers: ['All'] } },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
    ids.set('ca:OV Step-up policy', String(ca?.id));
  }
  if (spec.csa) {
    await io.send('POST', '/directory/attributeSets', { id: 'OVSet', description: 'oracle', maxAttributesPerSet: 10 });
    await io.send('POST', '/directory/customSecurityAttributeDefinitions', {
      attributeSet: 'OVSet', name: 'Level', description: 'oracle level', type: 'String', status: 'Available', isCollection: false, isSearchable: true, usePreDefinedValuesOnly: false,
    });
    await io.send('PATCH', `/users/${user(spec.csa.user)}`, {
      customSecurityAttributes: { OVSet: { '@odata.type': '#Microsoft.DirectoryServices.CustomSecurityAttributeValue', Level: spec.csa.value } },
    });
  }
}
