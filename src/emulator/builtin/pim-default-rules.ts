/**
 * The rules every PIM role management policy of a directory role starts with: the 17 rules
 * of "List roleManagementPolicies" example 2 (`$expand=rules`), vendored verbatim in
 * vendor/graph-docs/role-management-policy-rules.json (vendor/graph-docs/SOURCE.md;
 * test/emulator/role-management-policies.test.ts checks this copy against it). Microsoft's
 * defaults: activation at most 8 h with MFA and justification, no approval, eligibility up to
 * a year, active assignment up to 180 days, every notification to the default recipients.
 */
import type { JsonObject } from '../../model.js';

const RULES: readonly JsonObject[] = [
  {
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
    "id": "Expiration_Admin_Eligibility",
    "isExpirationRequired": false,
    "maximumDuration": "P365D",
    "target": {
      "caller": "Admin",
      "operations": [
        "all"
      ],
      "level": "Eligibility",
      "inheritableSettings": [],
      "enforcedSettings": []
    }
  },
  {
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
    "id": "Notification_Admin_Admin_Eligibility",
    "notificationType": "Email",
    "recipientType": "Admin",
    "notificationLevel": "All",
    "isDefaultRecipientsEnabled": true,
    "notificationRecipients": [],
    "target": {
      "caller": "Admin",
      "operations": [
        "all"
      ],
      "level": "Eligibility",
      "inheritableSettings": [],
      "enforcedSettings": []
    }
  },
  {
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
    "id": "Notification_Requestor_Admin_Eligibility",
    "notificationType": "Email",
    "recipientType": "Requestor",
    "notificationLevel": "All",
    "isDefaultRecipientsEnabled": true,
    "notificationRecipients": [],
    "target": {
      "caller": "Admin",
      "operations": [
        "all"
      ],
      "level": "Eligibility",
      "inheritableSettings": [],
      "enforcedSettings": []
    }
  },
  {
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
    "id": "Notification_Approver_Admin_Eligibility",
    "notificationType": "Email",
    "recipientType": "Approver",
    "notificationLevel": "All",
    "isDefaultRecipientsEnabled": true,
    "notificationRecipients": [],
    "target": {
      "caller": "Admin",
      "operations": [
        "all"
      ],
      "level": "Eligibility",
      "inheritableSettings": [],
      "enforcedSettings": []
    }
  },
  {
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
    "id": "Enablement_Admin_Eligibility",
    "enabledRules": [],
    "target": {
      "caller": "Admin",
      "operations": [
        "all"
      ],
      "level": "Eligibility",
      "inheritableSettings": [],
      "enforcedSettings": []
    }
  },
  {
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
    "id": "Expiration_Admin_Assignment",
    "isExpirationRequired": false,
    "maximumDuration": "P180D",
    "target": {
      "caller": "Admin",
      "operations": [
        "all"
      ],
      "level": "Assignment",
      "inheritableSettings": [],
      "enforcedSettings": []
    }
  },
  {
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
    "id": "Enablement_Admin_Assignment",
    "enabledRules": [
      "Justification"
    ],
    "target": {
      "caller": "Admin",
      "operations": [
        "all"
      ],
      "level": "Assignment",
      "inheritableSettings": [],
      "enforcedSettings": []
    }
  },
  {
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
    "id": "Notification_Admin_Admin_Assignment",
    "notificationType": "Email",
    "recipientType": "Admin",
    "notificationLevel": "All",
    "isDefaultRecipientsEnabled": true,
    "notificationRecipients": [],
    "target": {
      "caller": "Admin",
      "operations": [
        "all"
      ],
      "level": "Assignment",
      "inheritableSettings": [],
      "enforcedSettings": []
    }
  },
  {
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
    "id": "Notification_Requestor_Admin_Assignment",
    "notificationType": "Email",
    "recipientType": "Requestor",
    "notificationLevel": "All",
    "isDefaultRecipientsEnabled": true,
    "notificationRecipients": [],
    "target": {
      "caller": "Admin",
      "operations": [
        "all"
      ],
      "level": "Assignment",
      "inheritableSettings": [],
      "enforcedSettings": []
    }
  },
  {
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
    "id": "Notification_Approver_Admin_Assignment",
    "notificationType": "Email",
    "recipientType": "Approver",
    "notificationLevel": "All",
    "isDefaultRecipientsEnabled": true,
    "notificationRecipients": [],
    "target": {
      "caller": "Admin",
      "operations": [
        "all"
      ],
      "level": "Assignment",
      "inheritableSettings": [],
      "enforcedSettings": []
    }
  },
  {
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
    "id": "Expiration_EndUser_Assignment",
    "isExpirationRequired": true,
    "maximumDuration": "PT8H",
    "target": {
      "caller": "EndUser",
      "operations": [
        "all"
      ],
      "level": "Assignment",
      "inheritableSettings": [],
      "enforcedSettings": []
    }
  },
  {
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
    "id": "Enablement_EndUser_Assignment",
    "enabledRules": [
      "MultiFactorAuthentication",
      "Justification"
    ],
    "target": {
      "caller": "EndUser",
      "operations": [
        "all"
      ],
      "level": "Assignment",
      "inheritableSettings": [],
      "enforcedSettings": []
    }
  },
  {
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
    "id": "Approval_EndUser_Assignment",
    "target": {
      "caller": "EndUser",
      "operations": [
        "all"
      ],
      "level": "Assignment",
      "inheritableSettings": [],
      "enforcedSettings": []
    },
    "setting": {
      "isApprovalRequired": false,
      "isApprovalRequiredForExtension": false,
      "isRequestorJustificationRequired": true,
      "approvalMode": "SingleStage",
      "approvalStages": [
        {
          "approvalStageTimeOutInDays": 1,
          "isApproverJustificationRequired": true,
          "escalationTimeInMinutes": 0,
          "isEscalationEnabled": false,
          "primaryApprovers": [],
          "escalationApprovers": []
        }
      ]
    }
  },
  {
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule",
    "id": "AuthenticationContext_EndUser_Assignment",
    "isEnabled": false,
    "claimValue": null,
    "target": {
      "caller": "EndUser",
      "operations": [
        "all"
      ],
      "level": "Assignment",
      "inheritableSettings": [],
      "enforcedSettings": []
    }
  },
  {
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
    "id": "Notification_Admin_EndUser_Assignment",
    "notificationType": "Email",
    "recipientType": "Admin",
    "notificationLevel": "All",
    "isDefaultRecipientsEnabled": true,
    "notificationRecipients": [],
    "target": {
      "caller": "EndUser",
      "operations": [
        "all"
      ],
      "level": "Assignment",
      "inheritableSettings": [],
      "enforcedSettings": []
    }
  },
  {
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
    "id": "Notification_Requestor_EndUser_Assignment",
    "notificationType": "Email",
    "recipientType": "Requestor",
    "notificationLevel": "All",
    "isDefaultRecipientsEnabled": true,
    "notificationRecipients": [],
    "target": {
      "caller": "EndUser",
      "operations": [
        "all"
      ],
      "level": "Assignment",
      "inheritableSettings": [],
      "enforcedSettings": []
    }
  },
  {
    "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
    "id": "Notification_Approver_EndUser_Assignment",
    "notificationType": "Email",
    "recipientType": "Approver",
    "notificationLevel": "All",
    "isDefaultRecipientsEnabled": true,
    "notificationRecipients": [],
    "target": {
      "caller": "EndUser",
      "operations": [
        "all"
      ],
      "level": "Assignment",
      "inheritableSettings": [],
      "enforcedSettings": []
    }
  }
];

/** A fresh copy of the default rules (the store owns it). */
export function defaultDirectoryRoleRules(): JsonObject[] {
  return JSON.parse(JSON.stringify(RULES)) as JsonObject[];
}
