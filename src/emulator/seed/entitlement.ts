/**
 * Entitlement management in a drill tenant (issue 15 item 8): two catalogs, an access
 * package in each, assignment policies (direct assignment; employee requests approved by a
 * user with a group as fallback, reviewed yearly, limited to a group's members) and two
 * assignments, one until a fixed date and one without end. Shapes follow Graph's documented
 * examples (docs/graph-facts.md §3 "Entitlement management"); the links Graph serves only
 * expanded are kept under the emulator's own names (../entitlement.ts LINK).
 */
import type { DirObject, Json } from '../../model.js';
import { LINK } from '../entitlement.js';
import type { SeedContext, SeededUser } from './context.js';
import { Rng } from './rng.js';

const T = (name: string): string => `#microsoft.graph.${name}`;
const CREATED = '2025-03-01T09:00:00Z';

/** The fixed end of the seeded time-bound assignment (a drill checks it in the manual step). */
export const SEEDED_ASSIGNMENT_END = '2027-06-30T00:00:00Z';

/** What every tenant has: the entitlement management settings at their defaults (S143). */
export function seedEntitlementDefaults(ctx: SeedContext): void {
  ctx.add('entitlementManagementSettings', {
    id: 'entitlementManagementSettings', '@odata.type': T('entitlementManagementSettings'),
    externalUserLifecycleAction: 'blockSignInAndDelete', durationUntilExternalUserDeletedAfterBlocked: 'P30D',
  });
}

/** The partner tenant of the drill's connected organization (a fixed, fictitious tenant id). */
export const PARTNER_TENANT_ID = '5f1c3a2e-7b4d-4e8a-9c61-2d0f8e4b7a19';

/** A connected organization with an internal sponsor (a user) and an external one (a group, or the user again). */
function seedConnectedOrganization(ctx: SeedContext, rng: Rng, internal: string, external: string): DirObject {
  const org = ctx.add('connectedOrganization', {
    id: rng.guid(), '@odata.type': T('connectedOrganization'), displayName: 'Fabrikam', description: 'Partner for joint projects', state: 'configured',
    identitySources: [{ '@odata.type': T('azureActiveDirectoryTenant'), tenantId: PARTNER_TENANT_ID, displayName: 'Fabrikam' }],
    createdDateTime: CREATED, modifiedDateTime: CREATED,
  });
  ctx.rel('connectedOrganizationInternalSponsors', org.id, internal, 'user');
  ctx.rel('connectedOrganizationExternalSponsors', org.id, external, external === internal ? 'user' : 'group');
  return org;
}

/** A custom workflow extension of a catalog, run when a request is approved (S245, S246). */
function seedWorkflowExtension(ctx: SeedContext, qrng: Rng, catalogId: string): DirObject {
  return ctx.add('accessPackageCustomWorkflowExtension', {
    id: qrng.guid(), '@odata.type': T('accessPackageAssignmentRequestWorkflowExtension'), displayName: 'Notify CRM admins', description: 'Tells the CRM team about an approved request',
    createdBy: 'admin', lastModifiedBy: 'admin', createdDateTime: CREATED, lastModifiedDateTime: CREATED, clientConfiguration: null,
    endpointConfiguration: {
      '@odata.type': T('logicAppTriggerEndpointConfiguration'), subscriptionId: '38ab2ccc-3747-4567-b36b-9478f5602f0d', resourceGroupName: 'rg-identity',
      logicAppWorkflowName: 'notify-crm-admins', url: 'https://prod-31.eastus.logic.azure.com:443/workflows/8ccffea766ae48e6/triggers/manual/paths/invoke?api-version=2016-10-01',
    },
    authenticationConfiguration: { '@odata.type': T('azureAdPopTokenAuthentication') },
    callbackConfiguration: null,
  }, catalogId);
}

function subject(u: SeededUser): Json {
  return { objectId: u.id, displayName: u.displayName, principalName: u.upn, email: u.upn, subjectType: 'user', subjectLifecycle: 'governed', onPremisesSecurityIdentifier: null };
}

/**
 * Seeds the entitlement objects. `approver` approves and reviews; `group` is the fallback
 * approver and the policy's allowed targets (absent in a tenant without security groups: then
 * the approver's own user stands in); `members` get the two assignments.
 */
export function seedEntitlement(ctx: SeedContext, opts: { approver: SeededUser; groupId?: string; members: readonly SeededUser[] }): void {
  const rng = new Rng(ctx.seed, 'entitlement');
  // a stream of its own, so the questions leave every other seeded id as it was
  const qrng = new Rng(ctx.seed, 'entitlement-questions');
  const settings = ctx.objects.get('entitlementManagementSettings')?.[0];
  if (settings) Object.assign(settings, { externalUserLifecycleAction: 'blockSignIn', durationUntilExternalUserDeletedAfterBlocked: 'P45D' });
  const partner = seedConnectedOrganization(ctx, rng, opts.approver.id, opts.groupId ?? opts.approver.id);
  const catalog = (displayName: string, description: string, isExternallyVisible: boolean): DirObject => ctx.add('accessPackageCatalog', {
    id: rng.guid(), '@odata.type': T('accessPackageCatalog'), displayName, description, catalogType: 'userManaged', state: 'published',
    isExternallyVisible, createdDateTime: CREATED, modifiedDateTime: CREATED,
  });
  const sales = catalog('Sales resources', 'Groups and apps the sales team requests', false);
  const partners = catalog('Partner onboarding', 'Access for partner organizations', true);
  const pkg = (cat: DirObject, displayName: string, description: string): DirObject => ctx.add('accessPackage', {
    id: rng.guid(), '@odata.type': T('accessPackage'), displayName, description, isHidden: false, createdDateTime: CREATED, modifiedDateTime: CREATED,
    [LINK.catalog]: cat.id,
  });
  const tools = pkg(sales, 'Sales tools', 'CRM and forecasting access for account managers');
  const callout = seedWorkflowExtension(ctx, qrng, sales.id);
  const workspace = pkg(partners, 'Partner workspace', 'Shared workspace for partner projects');
  const approverSet = { '@odata.type': T('singleUser'), userId: opts.approver.id, description: opts.approver.displayName };
  const groupSet = opts.groupId ? { '@odata.type': T('groupMembers'), groupId: opts.groupId, description: 'Sales approvers' } : approverSet;
  const base = (p: DirObject, displayName: string, description: string): DirObject => ({
    id: rng.guid(), '@odata.type': T('accessPackageAssignmentPolicy'), displayName, description, createdDateTime: CREATED, modifiedDateTime: CREATED,
    allowedTargetScope: 'notSpecified', specificAllowedTargets: [], automaticRequestSettings: null,
    expiration: { type: 'noExpiration', endDateTime: null, duration: null },
    notificationSettings: { isAssignmentNotificationDisabled: false },
    requestorSettings: {
      enableTargetsToSelfAddAccess: false, enableTargetsToSelfUpdateAccess: false, enableTargetsToSelfRemoveAccess: false, allowCustomAssignmentSchedule: true,
      enableOnBehalfRequestorsToAddAccess: false, enableOnBehalfRequestorsToUpdateAccess: false, enableOnBehalfRequestorsToRemoveAccess: false, onBehalfRequestors: [],
    },
    requestApprovalSettings: { isApprovalRequiredForAdd: false, isApprovalRequiredForUpdate: false, isRequestorJustificationRequired: false, stages: [] },
    reviewSettings: null,
    [LINK.accessPackage]: p.id,
  });
  // separation of duties: holding Sales tools excludes the partner workspace, which excludes the group's members
  ctx.rel('accessPackageIncompatibleAccessPackages', tools.id, workspace.id, 'accessPackage');
  if (opts.groupId) ctx.rel('accessPackageIncompatibleGroups', workspace.id, opts.groupId, 'group');
  const direct = ctx.add('accessPackageAssignmentPolicy', base(tools, 'Direct assignment', 'Administrators assign this package'));
  ctx.add('accessPackageAssignmentPolicy', {
    ...base(tools, 'Employee requests', 'Sales staff request; their approver decides, the group backs up'),
    id: rng.guid(), allowedTargetScope: 'specificDirectoryUsers', specificAllowedTargets: [groupSet],
    expiration: { type: 'afterDuration', endDateTime: null, duration: 'P365D' },
    requestorSettings: {
      enableTargetsToSelfAddAccess: true, enableTargetsToSelfUpdateAccess: true, enableTargetsToSelfRemoveAccess: true, allowCustomAssignmentSchedule: false,
      enableOnBehalfRequestorsToAddAccess: false, enableOnBehalfRequestorsToUpdateAccess: false, enableOnBehalfRequestorsToRemoveAccess: false, onBehalfRequestors: [],
    },
    requestApprovalSettings: {
      isApprovalRequiredForAdd: true, isApprovalRequiredForUpdate: true, isRequestorJustificationRequired: true,
      stages: [{
        durationBeforeAutomaticDenial: 'P7D', isApproverJustificationRequired: true, isEscalationEnabled: false, durationBeforeEscalation: 'PT0S',
        primaryApprovers: [approverSet], fallbackPrimaryApprovers: [groupSet], escalationApprovers: [], fallbackEscalationApprovers: [],
      }],
    },
    reviewSettings: {
      isEnabled: true, expirationBehavior: 'keepAccess', isRecommendationEnabled: true, isReviewerJustificationRequired: true, isSelfReview: false,
      schedule: { startDateTime: CREATED, expiration: { type: 'noExpiration', endDateTime: null, duration: null }, recurrence: { pattern: { type: 'absoluteMonthly', interval: 12, month: 0, dayOfMonth: 0, daysOfWeek: [], firstDayOfWeek: 'sunday', index: 'first' }, range: { type: 'noEnd', numberOfOccurrences: 0, recurrenceTimeZone: null, startDate: '2025-03-01', endDate: null } } },
      primaryReviewers: [approverSet], fallbackReviewers: [groupSet],
    },
    [LINK.stageSettings]: [{ id: qrng.guid(), stage: 'assignmentRequestApproved', extensionId: callout.id }],
    // one text and one multiple-choice question, as Graph's create example shapes them (S241)
    [LINK.questions]: [
      {
        '@odata.type': T('accessPackageTextInputQuestion'), id: qrng.guid(), sequence: 1, isRequired: true, isAnswerEditable: true,
        text: 'Which customer accounts do you manage?', localizations: [{ languageCode: 'fr-FR', text: 'Quels comptes clients gérez-vous ?' }],
        isSingleLineQuestion: false, regexPattern: null,
      },
      {
        '@odata.type': T('accessPackageMultipleChoiceQuestion'), id: qrng.guid(), sequence: 2, isRequired: false, isAnswerEditable: false,
        text: 'Which region do you work in?', localizations: [], isMultipleSelectionAllowed: false,
        choices: [{ actualValue: 'EMEA', text: 'Europe, Middle East and Africa', localizations: [] }, { actualValue: 'AMER', text: 'Americas', localizations: [] }],
      },
    ],
  });
  // the same name on another package: a policy's name is unique only within its package
  ctx.add('accessPackageAssignmentPolicy', base(workspace, 'Direct assignment', 'Administrators assign partner workspace access'));
  ctx.add('accessPackageAssignmentPolicy', {
    ...base(workspace, 'Fabrikam requests', 'Users of the connected organization Fabrikam request; the sponsors approve'),
    allowedTargetScope: 'specificConnectedOrganizationUsers',
    specificAllowedTargets: [{ '@odata.type': T('connectedOrganizationMembers'), connectedOrganizationId: partner.id, description: 'Fabrikam' }],
  });
  const assignment = (u: SeededUser, end: string | null): void => {
    ctx.add('accessPackageAssignment', {
      id: rng.guid(), '@odata.type': T('accessPackageAssignment'), state: 'delivered', status: 'Delivered', expiredDateTime: null, customExtensionCalloutInstances: [],
      schedule: { startDateTime: CREATED, expiration: end ? { type: 'afterDateTime', endDateTime: end, duration: null } : { type: 'noExpiration', endDateTime: null, duration: null }, recurrence: null },
      [LINK.accessPackage]: tools.id, [LINK.assignmentPolicy]: direct.id, [LINK.target]: subject(u),
    });
  };
  const [first, second] = opts.members;
  if (first) assignment(first, SEEDED_ASSIGNMENT_END);
  if (second) assignment(second, null);
}
