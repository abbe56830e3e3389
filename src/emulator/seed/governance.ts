/**
 * Access reviews and lifecycle workflows in a drill tenant (issue 15 item 9): two access
 * review definitions (a security group's members reviewed by its owners with a user as
 * fallback; an access package's assignments reviewed by a user), a custom task extension
 * calling a Logic App, and three workflows (joiner with a welcome mail cc'd to two users, a group
 * to add to and the extension; leaver; mover scoped to a group's new members and managed within
 * an administrative unit). Shapes follow
 * Graph's documented examples (docs/graph-facts.md §3 "Access reviews and lifecycle workflows").
 */
import type { DirObject, Json } from '../../model.js';
import type { SeedContext, SeededUser } from './context.js';
import { TASK_DEFINITION_CATEGORY, TASK_DEFINITIONS } from '../governance.js';
import { Rng } from './rng.js';

const IG = (name: string): string => `#microsoft.graph.identityGovernance.${name}`;
const CREATED = '2025-04-01T08:00:00Z';

/** Built-in task definitions, by name (kept with their categories in ../governance.ts). */
export { TASK_DEFINITIONS };

/** What every tenant has: the lifecycle workflow settings at their defaults (S181). */
export function seedLifecycleDefaults(ctx: SeedContext): void {
  ctx.add('lifecycleWorkflowSettings', {
    id: 'lifecycleWorkflowSettings', '@odata.type': IG('lifecycleManagementSettings'),
    workflowScheduleIntervalInHours: 3, emailSettings: { senderDomain: 'microsoft.com', useCompanyBranding: false }, quarantineConfiguration: null,
  });
}

const settings = (recurrence: Json): Json => ({
  mailNotificationsEnabled: true, reminderNotificationsEnabled: true, justificationRequiredOnApproval: true, defaultDecisionEnabled: false,
  defaultDecision: 'None', instanceDurationInDays: 14, autoApplyDecisionsEnabled: false, recommendationsEnabled: true,
  decisionHistoriesForReviewersEnabled: false, recommendationLookBackDuration: null, recommendationInsightSettings: [], applyActions: [], recurrence,
});

const quarterly = { pattern: { type: 'absoluteMonthly', interval: 3, month: 0, dayOfMonth: 1, daysOfWeek: [], firstDayOfWeek: 'sunday', index: 'first' }, range: { type: 'noEnd', numberOfOccurrences: 0, recurrenceTimeZone: null, startDate: '2025-04-01', endDate: null } };

function seedAccessReviews(ctx: SeedContext, rng: Rng, reviewer: SeededUser, groupId: string, packageId: string | undefined): void {
  const base = { '@odata.type': '#microsoft.graph.accessReviewScheduleDefinition', createdDateTime: CREATED, lastModifiedDateTime: CREATED, status: 'InProgress', createdBy: null, stageSettings: [], additionalNotificationRecipients: [] };
  ctx.add('accessReviewDefinition', {
    ...base, id: rng.guid(), displayName: 'Quarterly review of Sales group members', descriptionForAdmins: 'Group owners confirm who still needs access', descriptionForReviewers: 'Keep only people who still work in sales',
    scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${groupId}/transitiveMembers`, queryType: 'MicrosoftGraph', queryRoot: null },
    instanceEnumerationScope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${groupId}`, queryType: 'MicrosoftGraph', queryRoot: null },
    reviewers: [{ query: `/groups/${groupId}/owners`, queryType: 'MicrosoftGraph', queryRoot: null }],
    fallbackReviewers: [{ query: `/users/${reviewer.id}`, queryType: 'MicrosoftGraph', queryRoot: null }],
    settings: settings(quarterly),
  });
  if (!packageId) return;
  ctx.add('accessReviewDefinition', {
    ...base, id: rng.guid(), displayName: 'Review of Sales tools assignments', descriptionForAdmins: 'Assignments of the Sales tools access package', descriptionForReviewers: 'Confirm each assignment',
    scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/identityGovernance/entitlementManagement/accessPackageAssignments?$filter=(accessPackageId eq '${packageId}')`, queryType: 'MicrosoftGraph', queryRoot: null },
    instanceEnumerationScope: null,
    reviewers: [{ query: `/users/${reviewer.id}`, queryType: 'MicrosoftGraph', queryRoot: null }],
    fallbackReviewers: [],
    settings: settings(quarterly),
  });
}

/** A task as Graph answers it: its category is its definition's (../governance.ts TASK_DEFINITION_CATEGORY). */
function task(seq: number, displayName: string, taskDefinitionId: string, args: { name: string; value: string }[], id: string): Json {
  return { id, category: TASK_DEFINITION_CATEGORY[taskDefinitionId] ?? null, continueOnError: false, description: displayName, displayName, executionSequence: seq, isEnabled: true, taskDefinitionId, arguments: args };
}

/**
 * Seeds the governance objects. `reviewer` reviews and is cc'd on welcome mails (with `alsoCc`); `groupId` is
 * the reviewed group, the group new hires join and the mover workflow's scope; `appId` is the
 * app the custom task extension authenticates with; `packageId` an access package to review.
 */
export function seedGovernance(ctx: SeedContext, opts: { reviewer: SeededUser; groupId: string; appId?: string; packageId?: string; alsoCc?: SeededUser; scopeAuId?: string }): void {
  const rng = new Rng(ctx.seed, 'governance');
  seedAccessReviews(ctx, rng, opts.reviewer, opts.groupId, opts.packageId);
  const settings = ctx.objects.get('lifecycleWorkflowSettings')?.[0];
  if (settings) Object.assign(settings, { workflowScheduleIntervalInHours: 6, emailSettings: { senderDomain: ctx.customDomain, useCompanyBranding: true } });
  const ext: DirObject | undefined = opts.appId ? ctx.add('customTaskExtension', {
    id: rng.guid(), '@odata.type': IG('customTaskExtension'), displayName: 'Provision HR badge', description: 'Asks the badge system for a new badge',
    endpointConfiguration: { '@odata.type': '#microsoft.graph.logicAppTriggerEndpointConfiguration', subscriptionId: 'c500b67c-e9b7-4ad2-a90d-77d41385ae55', resourceGroupName: 'rg-lifecycle', logicAppWorkflowName: 'badge-provisioning', url: null },
    authenticationConfiguration: { '@odata.type': '#microsoft.graph.azureAdTokenAuthentication', resourceId: opts.appId },
    clientConfiguration: { '@odata.type': '#microsoft.graph.customExtensionClientConfiguration', maximumRetries: 1, timeoutInMilliseconds: 1000 },
    callbackConfiguration: { '@odata.type': IG('customTaskExtensionCallbackConfiguration'), timeoutDuration: 'PT20M' },
    createdDateTime: CREATED, lastModifiedDateTime: CREATED,
  }) : undefined;
  const flow = (category: string, displayName: string, executionConditions: Json, tasks: Json[], scopes: Json[] = []): void => {
    ctx.add('lifecycleWorkflow', {
      administrationScopeTargets: scopes,
      id: rng.guid(), '@odata.type': IG('workflow'), category, displayName, description: displayName, isEnabled: true, isSchedulingEnabled: category !== 'mover',
      createdDateTime: CREATED, lastModifiedDateTime: CREATED, deletedDateTime: null, nextScheduleRunDateTime: null, version: 1, quarantineDetails: null,
      settings: { '@odata.type': IG('workflowSetting'), quarantineConfiguration: null }, executionConditions, tasks,
    });
  };
  const rule = (r: string, attr: string, offset: number): Json => ({
    '@odata.type': IG('triggerAndScopeBasedConditions'), scope: { '@odata.type': IG('ruleBasedSubjectSet'), rule: r },
    trigger: { '@odata.type': IG('timeBasedAttributeTrigger'), timeBasedAttribute: attr, offsetInDays: offset },
  });
  // a cc list is comma-separated, as the task arguments page's example sends it (docs/graph-facts.md S270)
  const cc = opts.alsoCc ? `${opts.reviewer.id},${opts.alsoCc.id}` : opts.reviewer.id;
  flow('joiner', 'Onboard new hires in Sales', rule("(department eq 'Sales')", 'employeeHireDate', 0), [
    task(1, 'Enable User Account', TASK_DEFINITIONS.enableUser, [], rng.guid()),
    task(2, 'Send Welcome Email', TASK_DEFINITIONS.welcomeEmail, [{ name: 'cc', value: cc }, { name: 'locale', value: 'en-us' }], rng.guid()),
    task(3, 'Add User To Groups', TASK_DEFINITIONS.addToGroups, [{ name: 'groupID', value: opts.groupId }], rng.guid()),
    ...(ext ? [task(4, 'Run a Custom Task Extension', TASK_DEFINITIONS.customExtension, [{ name: 'customTaskExtensionID', value: ext.id }], rng.guid())] : []),
  ]);
  flow('leaver', 'Offboard Sales leavers', rule("(department eq 'Sales')", 'employeeLeaveDateTime', 7), [
    task(1, 'Remove user from all groups', TASK_DEFINITIONS.removeFromAllGroups, [], rng.guid()),
    task(2, 'Disable User Account', TASK_DEFINITIONS.disableUser, [], rng.guid()),
  ]);
  flow('mover', 'Welcome people who join the Sales group', {
    '@odata.type': IG('triggerAndScopeBasedConditions'), scope: { '@odata.type': IG('groupBasedSubjectSet'), groups: [{ id: opts.groupId }] },
    trigger: { '@odata.type': IG('membershipChangeTrigger'), changeType: 'add' },
  // a mover workflow runs tasks of the mover category (the notify-manager task, as Microsoft's mover tutorial does)
  }, [task(1, 'Notify manager of user move', TASK_DEFINITIONS.notifyManagerOfMove, [], rng.guid())],
  // managed by the Lifecycle Workflows Administrators scoped to an administrative unit (docs/graph-facts.md S272)
  opts.scopeAuId ? [{ '@odata.type': '#microsoft.graph.administrativeUnit', id: opts.scopeAuId }] : []);
}
