/**
 * PIM role settings in seeded tenants: every role definition gets its policy and assignment
 * with Microsoft's default rules (../role-policies.ts), and a drill tenant changes a few of
 * them the way an administrator hardens PIM: Global Administrator activation needs approval
 * (an approver group and an approver user), MFA and justification, for at most 4 hours;
 * Privileged Role Administrator eligibility expires after 90 days and its admin
 * notifications go to a mailbox; the first custom role needs a ticket on activation.
 */
import type { JsonObject } from '../../model.js';
import { defaultDirectoryRoleRules } from '../builtin/pim-default-rules.js';
import { rolePolicyObjects } from '../role-policies.js';
import type { SeedContext } from './context.js';
import { ROLE } from './roles.js';

/** What the drill tenant's hardened rules name. */
export interface HardenedRoleSettings {
  /** A security group of approvers; a small tenant may have none. */
  approverGroupId?: string;
  approverUserId: string;
  /** A custom role definition's id (its activation needs a ticket). */
  customRoleId?: string;
  alertMailbox: string;
}

type RuleEdit = (rule: JsonObject) => void;

function edit(rules: JsonObject[], id: string, f: RuleEdit): void {
  const r = rules.find((x) => x['id'] === id);
  if (!r) throw new Error(`seed: no default rule ${id}`);
  f(r);
}

function hardened(roleId: string, h: HardenedRoleSettings): JsonObject[] {
  const rules = defaultDirectoryRoleRules();
  if (roleId === ROLE.globalAdministrator) {
    edit(rules, 'Expiration_EndUser_Assignment', (r) => { r['maximumDuration'] = 'PT4H'; });
    edit(rules, 'Enablement_EndUser_Assignment', (r) => { r['enabledRules'] = ['MultiFactorAuthentication', 'Justification']; });
    edit(rules, 'Approval_EndUser_Assignment', (r) => {
      r['setting'] = {
        isApprovalRequired: true, isApprovalRequiredForExtension: false, isRequestorJustificationRequired: true, approvalMode: 'SingleStage',
        approvalStages: [{
          approvalStageTimeOutInDays: 1, isApproverJustificationRequired: true, escalationTimeInMinutes: 0, isEscalationEnabled: false,
          primaryApprovers: [
            ...(h.approverGroupId ? [{ '@odata.type': '#microsoft.graph.groupMembers', groupId: h.approverGroupId, description: 'PIM approvers' }] : []),
            { '@odata.type': '#microsoft.graph.singleUser', userId: h.approverUserId, description: 'Security lead' },
          ],
          escalationApprovers: [],
        }],
      };
    });
  } else if (roleId === ROLE.privilegedRoleAdministrator) {
    edit(rules, 'Expiration_Admin_Eligibility', (r) => { r['isExpirationRequired'] = true; r['maximumDuration'] = 'P90D'; });
    edit(rules, 'Notification_Admin_Admin_Eligibility', (r) => {
      r['isDefaultRecipientsEnabled'] = false;
      r['notificationLevel'] = 'Critical';
      r['notificationRecipients'] = [h.alertMailbox];
    });
  } else if (roleId === h.customRoleId) {
    edit(rules, 'Enablement_EndUser_Assignment', (r) => { r['enabledRules'] = ['Justification', 'Ticketing']; });
  }
  return rules;
}

/** One policy and assignment per role definition already seeded; hardened rules when `h` is given. */
export function seedRolePolicies(ctx: SeedContext, h?: HardenedRoleSettings): void {
  for (const def of ctx.objects.get('roleDefinition') ?? []) {
    const { policy, assignment } = rolePolicyObjects(ctx.tenantId, def.id, h ? hardened(def.id, h) : defaultDirectoryRoleRules());
    ctx.add('roleManagementPolicy', policy);
    ctx.add('roleManagementPolicyAssignment', assignment);
  }
}
