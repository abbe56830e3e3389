/**
 * Issue 15's layer through a client nobody on the team wrote: Microsoft's Kiota TypeScript SDK
 * (@microsoft/msgraph-sdk). None of these areas has a published fluent package, so each call goes
 * through the SDK's request adapter with Graph's URL template, its body written by the SDK's own
 * serializer and the answer read by the SDK's own parser (polymorphic types included). What the
 * emulator answers must be what the SDK expects of Graph.
 *
 * Sources: https://learn.microsoft.com/graph/api/policyroot-list-rolemanagementpolicyassignments
 * ($filter and $expand=policy($expand=rules)), https://learn.microsoft.com/graph/api/unifiedrolemanagementpolicyrule-update,
 * https://learn.microsoft.com/graph/api/lifecycleworkflows-workflow-post-workflows,
 * https://learn.microsoft.com/graph/api/resources/identitygovernance-taskdefinition (a task's category, docs/graph-facts.md S380),
 * https://learn.microsoft.com/graph/api/conditionalaccessroot-post-authenticationcontextclassreferences,
 * https://learn.microsoft.com/graph/api/tokenlifetimepolicy-post-tokenlifetimepolicies,
 * https://learn.microsoft.com/graph/api/accessreviewset-post-definitions.
 * SDK gaps met on the way (the emulator answers as Graph does; each is asserted as the SDK behaves):
 * flags enums read only from JSON arrays (microsoft/kiota#5309, microsoft/kiota-python#515), a
 * nested derived value written without its own properties (microsoft/kiota#6777).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Duration, HttpMethod, type Parsable, type ParsableFactory } from '@microsoft/kiota-abstractions';
import type { GraphRequestAdapter } from '@microsoft/msgraph-sdk';
import {
  createAccessReviewScheduleDefinitionFromDiscriminatorValue,
  createAuthenticationContextClassReferenceCollectionResponseFromDiscriminatorValue,
  createTokenLifetimePolicyFromDiscriminatorValue,
  createUnifiedRoleManagementPolicyAssignmentCollectionResponseFromDiscriminatorValue,
  createUnifiedRoleManagementPolicyRuleFromDiscriminatorValue,
  serializeAccessReviewScheduleDefinition,
  serializeAuthenticationContextClassReference,
  serializeTokenLifetimePolicy,
  serializeUnifiedRoleManagementPolicyExpirationRule,
  type AccessReviewScheduleDefinition,
  type AuthenticationContextClassReferenceCollectionResponse,
  type TokenLifetimePolicy,
  type UnifiedRoleManagementPolicyAssignmentCollectionResponse,
  type UnifiedRoleManagementPolicyExpirationRule,
  type UnifiedRoleManagementPolicyRule,
} from '@microsoft/msgraph-sdk/models/index.js';
import { createWorkflowFromDiscriminatorValue, serializeWorkflow, type Workflow } from '@microsoft/msgraph-sdk/models/identityGovernance/index.js';
import type { ODataError } from '@microsoft/msgraph-sdk/models/oDataErrors/index.js';
import { seedTenant } from '../../../src/emulator/seed/index.js';
import { lab, type Lab } from '../helpers.js';
import { errors, getObj, info, noContent, post, writerAdapter } from './kiota-helpers.js';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const as = <T extends Parsable>(f: unknown) => f as ParsableFactory<T>;

describe('Kiota TypeScript SDK: the policy and governance layer against the emulator', () => {
  let L: Lab;
  let ad: GraphRequestAdapter;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 15, users: 12 }));
    ad = await writerAdapter(L);
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it("PIM: a role's policy with its rules, parsed into their derived types; a rule PATCHed from the SDK's serializer reads back", async () => {
    const f = encodeURIComponent(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${GA}'`);
    const page = await getObj<UnifiedRoleManagementPolicyAssignmentCollectionResponse>(ad, `/policies/roleManagementPolicyAssignments?$filter=${f}&$expand=policy($expand=rules)`,
      as(createUnifiedRoleManagementPolicyAssignmentCollectionResponseFromDiscriminatorValue));
    expect(page?.value).toHaveLength(1);
    const policy = page!.value![0]!.policy!;
    const rule = policy.rules!.find((r) => r.id === 'Expiration_EndUser_Assignment') as UnifiedRoleManagementPolicyExpirationRule | undefined;
    // the SDK picked the derived type from @odata.type: the expiration rule's own properties are there
    expect(rule?.odataType).toBe('#microsoft.graph.unifiedRoleManagementPolicyExpirationRule');
    expect(typeof rule?.maximumDuration).toBe('object');
    const patch = async (maximumDuration: Duration): Promise<void> => {
      const body: UnifiedRoleManagementPolicyExpirationRule = { odataType: '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule', id: rule!.id!, isExpirationRequired: true, maximumDuration };
      const r = info(HttpMethod.PATCH, `/policies/roleManagementPolicies/${policy.id}/rules/${rule!.id}`);
      r.setContentFromParsable(ad, 'application/json', body, serializeUnifiedRoleManagementPolicyExpirationRule as never);
      await ad.sendNoResponseContent(r, errors);
    };
    // a plain object is no Duration: the SDK writes "[object Object]", which Graph's OData reader cannot convert (S381)
    const refused = await patch({ hours: 5 } as Duration).then(() => undefined, (e: unknown) => e as ODataError);
    expect(refused?.responseStatusCode).toBe(400);
    expect(refused?.errorEscaped?.message).toContain("Cannot convert the literal '[object Object]' to the expected type 'Edm.Duration'");
    await patch(new Duration({ hours: 5 }));
    const back = await getObj<UnifiedRoleManagementPolicyRule>(ad, `/policies/roleManagementPolicies/${policy.id}/rules/${rule!.id}`, as(createUnifiedRoleManagementPolicyRuleFromDiscriminatorValue));
    expect((back as UnifiedRoleManagementPolicyExpirationRule).isExpirationRequired).toBe(true);
    expect((back as UnifiedRoleManagementPolicyExpirationRule).maximumDuration?.hours).toBe(5);
  });

  it("a lifecycle workflow created from the SDK's serializer; each task reads back with its definition's category", async () => {
    const group = L.tenant.objects.group!.find((g) => Array.isArray(g.groupTypes) && g.groupTypes.length === 0 && g.securityEnabled === true)!;
    const wf: Workflow = {
      category: 'joiner', displayName: 'Kiota joiners', description: 'made by the SDK', isEnabled: true, isSchedulingEnabled: false,
      executionConditions: { odataType: '#microsoft.graph.identityGovernance.onDemandExecutionOnly' },
      tasks: [
        { displayName: 'Enable User Account', taskDefinitionId: '6fc52c9d-398b-4305-9763-15f42c1676fc', isEnabled: true, continueOnError: false, arguments: [] },
        { displayName: 'Add User To Groups', taskDefinitionId: '22085229-5809-45e8-97fd-270d28d66910', isEnabled: true, continueOnError: false, arguments: [{ name: 'groupID', value: group.id }] },
      ],
    };
    const made = await post<Workflow>(ad, '/identityGovernance/lifecycleWorkflows/workflows', wf, serializeWorkflow as never, as(createWorkflowFromDiscriminatorValue));
    expect(made?.id).toBeTruthy();
    const one = await getObj<Workflow>(ad, `/identityGovernance/lifecycleWorkflows/workflows/${made!.id}`, as(createWorkflowFromDiscriminatorValue));
    expect(one?.executionConditions?.odataType).toBe('#microsoft.graph.identityGovernance.onDemandExecutionOnly');
    expect(one?.tasks?.map((t) => [t.executionSequence, t.displayName])).toEqual([[1, 'Enable User Account'], [2, 'Add User To Groups']]);
    // Graph sends a flags enum as one comma-separated string (S380's examples: "joiner,leaver"); this
    // SDK reads flags only from a JSON array and yields [] (the gap microsoft/kiota#5309 and
    // microsoft/kiota-python#515 describe), so the category is checked on the wire
    expect(one?.tasks?.map((t) => t.category)).toEqual([[], []]);
    const raw = await L.writer('GET', `/identityGovernance/lifecycleWorkflows/workflows/${made!.id}`);
    expect((raw.json.tasks as { category: string }[]).map((t) => t.category)).toEqual(['joiner,leaver', 'joiner,leaver']);
    expect(one?.tasks?.[1]?.arguments).toEqual([{ name: 'groupID', value: group.id }]);
  });

  it("an authentication context created by PATCH of its id, and a token lifetime policy, from the SDK's serializers", async () => {
    const r = info(HttpMethod.PATCH, '/identity/conditionalAccess/authenticationContextClassReferences/c9');
    r.setContentFromParsable(ad, 'application/json', { displayName: 'Kiota step-up', description: 'made by the SDK', isAvailable: true }, serializeAuthenticationContextClassReference as never);
    await ad.sendNoResponseContent(r, errors);
    const list = await getObj<AuthenticationContextClassReferenceCollectionResponse>(ad, '/identity/conditionalAccess/authenticationContextClassReferences',
      as(createAuthenticationContextClassReferenceCollectionResponseFromDiscriminatorValue));
    expect(list?.value?.find((c) => c.id === 'c9')).toMatchObject({ displayName: 'Kiota step-up', isAvailable: true });

    const p = await post<TokenLifetimePolicy>(ad, '/policies/tokenLifetimePolicies', {
      displayName: 'Kiota lifetime', isOrganizationDefault: false, definition: ['{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":"5:00:00"}}'],
    }, serializeTokenLifetimePolicy as never, as(createTokenLifetimePolicyFromDiscriminatorValue));
    expect(p?.definition).toEqual(['{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":"5:00:00"}}']);
    const app = L.tenant.objects.application![0]!;
    await noContent(ad, HttpMethod.POST, `/applications/${app.id}/tokenLifetimePolicies/$ref`, { '@odata.id': `${L.emu.graphBaseUrl}/policies/tokenLifetimePolicies/${p!.id}` });
    const assigned = await getObj<TokenLifetimePolicy>(ad, `/policies/tokenLifetimePolicies/${p!.id}`, as(createTokenLifetimePolicyFromDiscriminatorValue));
    expect(assigned?.displayName).toBe('Kiota lifetime');
  });

  it("an access review of a group's members from the SDK's serializer; its scope and reviewers read back", async () => {
    const group = L.tenant.objects.group!.find((g) => g.securityEnabled === true)!;
    const reviewer = L.tenant.objects.user!.find((u) => !u.onPremisesSyncEnabled)!;
    const def: AccessReviewScheduleDefinition = {
      displayName: 'Kiota review', descriptionForAdmins: 'made by the SDK', descriptionForReviewers: 'keep who needs it',
      scope: { odataType: '#microsoft.graph.accessReviewQueryScope', query: `/groups/${group.id}/transitiveMembers`, queryType: 'MicrosoftGraph' } as never,
      reviewers: [{ query: `/users/${reviewer.id}`, queryType: 'MicrosoftGraph' }],
      settings: {
        mailNotificationsEnabled: true, reminderNotificationsEnabled: true, justificationRequiredOnApproval: true, defaultDecisionEnabled: false, defaultDecision: 'None',
        instanceDurationInDays: 7, autoApplyDecisionsEnabled: false, recommendationsEnabled: true,
        recurrence: { pattern: { type: 'weekly', interval: 1 }, range: { type: 'noEnd', startDate: '2026-12-01' as never } },
      },
    };
    const create = (d: AccessReviewScheduleDefinition) => post<AccessReviewScheduleDefinition>(ad, '/identityGovernance/accessReviews/definitions', d, serializeAccessReviewScheduleDefinition as never,
      as(createAccessReviewScheduleDefinitionFromDiscriminatorValue));
    // this SDK writes a nested value of a derived type with its @odata.type but without its own
    // properties (microsoft/kiota#6777): the scope arrives without its query, which the emulator,
    // like Graph, refuses, and the SDK parses the refusal
    const refused = await create(def).then(() => undefined, (e: unknown) => e as ODataError);
    expect(refused?.responseStatusCode).toBe(400);
    expect(refused?.errorEscaped?.message).toContain('needs a scope');
    // the SDK's documented escape hatch, additionalData, carries them
    const made = await create({ ...def, scope: { odataType: '#microsoft.graph.accessReviewQueryScope', additionalData: { query: `/groups/${group.id}/transitiveMembers`, queryType: 'MicrosoftGraph' } } });
    expect(made?.id).toBeTruthy();
    const one = await getObj<AccessReviewScheduleDefinition>(ad, `/identityGovernance/accessReviews/definitions/${made!.id}`, as(createAccessReviewScheduleDefinitionFromDiscriminatorValue));
    expect(one?.displayName).toBe('Kiota review');
    expect((one?.scope as { query?: string } | undefined)?.query).toBe(`/groups/${group.id}/transitiveMembers`);
    expect(one?.reviewers?.map((r) => r.query)).toEqual([`/users/${reviewer.id}`]);
    expect(one?.settings?.recurrence?.pattern?.type).toBe('weekly');
  });
});
