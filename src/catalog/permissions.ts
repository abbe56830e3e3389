/**
 * Application permissions of the two appliance apps (docs/graph-facts.md §6). The emulator
 * grants exactly these to the profiles it writes; preflight compares held vs needed.
 */
export const BACKUP_READER_PERMISSIONS = [
  'User.Read.All',
  'Group.Read.All',
  'Application.Read.All',
  'RoleManagement.Read.Directory',
  // PIM role settings (role management policies and their rules): RoleManagement.Read.Directory
  // would do too, but this is the least-privileged one the list pages name
  'RoleManagementPolicy.Read.Directory',
  // PIM for Groups eligibility and assignment schedules (docs/graph-facts.md §3 "PIM for Groups")
  'PrivilegedEligibilitySchedule.Read.AzureADGroup',
  'PrivilegedAssignmentSchedule.Read.AzureADGroup',
  // PIM for Groups policies and their rules (scopeType Group, docs/graph-facts.md S209)
  'RoleManagementPolicy.Read.AzureADGroup',
  'Policy.Read.All',
  // permission grant (app consent) policies and their condition sets: Policy.Read.All is not
  // among the permissions their list pages name (docs/graph-facts.md §3 "App management and consent governance")
  'Policy.Read.PermissionGrant',
  'Organization.Read.All',
  'Domain.Read.All',
  'AdministrativeUnit.Read.All',
  'CustomSecAttributeDefinition.Read.All',
  // custom security attribute VALUES on users and service principals (issue 11 item 1):
  // Directory.Read.All does not cover them (docs/graph-facts.md §6)
  'CustomSecAttributeAssignment.Read.All',
  // identity providers (issue 15 item 6): Policy.Read.All does not cover them
  'IdentityProvider.Read.All',
  'CustomAuthenticationExtension.Read.All',
  'EventListener.Read.All',
  'IdentityUserFlow.Read.All',
  // entitlement management (issue 15 item 8): catalogs, access packages, policies, assignments
  'EntitlementManagement.Read.All',
  // access review definitions and lifecycle workflows (issue 15 item 9)
  'AccessReview.Read.All',
  'LifecycleWorkflows.Read.All',
  // devices and the device registration policy (issue 15 item 10, docs/graph-facts.md S185-S186)
  'Device.Read.All',
  'Policy.Read.DeviceConfiguration',
  'MultiTenantOrganization.Read.All',
  // organizational contacts, read only (issue 15 item 10, src/catalog/org-contacts.ts)
  'OrgContact.Read.All',
  // the people settings under /admin/people (issue 15 item 10, src/catalog/people-settings.ts)
  'PeopleSettings.Read.All',
  'Directory.Read.All',
  // the directory audit log: an incremental re-reads contained types only under the parents
  // its events name (docs/archive-format.md §12.3; List directoryAudits, docs/graph-facts.md S310)
  'AuditLog.Read.All',
] as const;

export const RESTORE_WRITER_PERMISSIONS = [
  'User.ReadWrite.All',
  'Group.ReadWrite.All',
  'Application.ReadWrite.All',
  'AppRoleAssignment.ReadWrite.All',
  'DelegatedPermissionGrant.ReadWrite.All',
  'RoleManagement.ReadWrite.Directory',
  // PATCH of a PIM role setting's rule (Update unifiedRoleManagementPolicyRule)
  'RoleManagementPolicy.ReadWrite.Directory',
  // PIM for Groups schedule requests (adminAssign)
  'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
  'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
  // PATCH of a PIM for Groups policy's rule
  'RoleManagementPolicy.ReadWrite.AzureADGroup',
  'Policy.ReadWrite.ConditionalAccess',
  'Policy.Read.All',
  'Application.Read.All',
  'Policy.ReadWrite.AuthenticationMethod',
  'Policy.ReadWrite.Authorization',
  'Policy.ReadWrite.CrossTenantAccess',
  // token lifetime/issuance, claims-mapping, home-realm-discovery and activity timeout policies
  'Policy.ReadWrite.ApplicationConfiguration',
  // permission grant policies, their condition sets, delegated permission classifications
  'Policy.ReadWrite.PermissionGrant',
  // the admin consent request policy (PUT /policies/adminConsentRequestPolicy)
  'Policy.ReadWrite.ConsentRequest',
  // the authentication flows policy (self-service sign-up), issue 15 item 6
  'Policy.ReadWrite.AuthenticationFlows',
  // identity providers: read for the diff, PATCH of an existing one (never created: the secret is unreadable)
  'IdentityProvider.ReadWrite.All',
  'CustomAuthenticationExtension.ReadWrite.All',
  'EventListener.ReadWrite.All',
  'IdentityUserFlow.ReadWrite.All',
  // entitlement management (issue 15 item 8): catalogs, access packages, assignment policies
  'EntitlementManagement.ReadWrite.All',
  // access review definitions (POST, PUT) and lifecycle workflows, their settings and custom task extensions (issue 15 item 9)
  'AccessReview.ReadWrite.All',
  'LifecycleWorkflows.ReadWrite.All',
  'AdministrativeUnit.ReadWrite.All',
  'CustomSecAttributeDefinition.ReadWrite.All',
  'CustomSecAttributeAssignment.ReadWrite.All',
  'Organization.ReadWrite.All',
  'Domain.ReadWrite.All',
  // the group lifecycle (expiration) policy and its addGroup action: Directory.ReadWrite.All is
  // the only permission their pages name (docs/graph-facts.md §3 "Group lifecycle policy")
  'Directory.ReadWrite.All',
  // the target's devices, read only for the diff (a restore never writes one), and the device
  // registration policy, PUT back whole (src/catalog/devices.ts, docs/graph-facts.md S186)
  'Device.Read.All',
  'Policy.ReadWrite.DeviceConfiguration',
  'MultiTenantOrganization.Read.All',
  // organizational contacts, read only (issue 15 item 10, src/catalog/org-contacts.ts)
  'OrgContact.Read.All',
  // the people settings under /admin/people, patched back (issue 15 item 10, src/catalog/people-settings.ts)
  'PeopleSettings.ReadWrite.All',
  'Directory.Read.All',
] as const;

/** Microsoft Graph's appId (the resource every permission above belongs to). */
export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/**
 * The tenant that owns Microsoft's first-party applications ("Microsoft Services"): the
 * `appOwnerOrganizationId` of their service principals in every tenant
 * (docs/graph-facts.md §3 "First-party service principals").
 */
export const MICROSOFT_SERVICES_TENANT_ID = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
/** Global Administrator's role template id (immutable across tenants). */
export const GLOBAL_ADMIN_TEMPLATE_ID = '62e90394-69f5-4237-9190-012177145e10';
/** Privileged Role Administrator's role template id. */
export const PRIVILEGED_ROLE_ADMIN_TEMPLATE_ID = 'e8611ab8-c189-46e8-94e1-60213ab1f814';
/** Privileged Authentication Administrator's role template id. */
export const PRIVILEGED_AUTH_ADMIN_TEMPLATE_ID = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';

/**
 * Directory roles the recovery app's own service principal must hold, beyond its application
 * permissions (docs/graph-facts.md §4 "Sensitive actions"): Privileged Authentication
 * Administrator to restore, delete or update the sensitive attributes (password, phones,
 * accountEnabled, UPN) of users who hold admin roles — application permissions alone are
 * refused there — and Privileged Role Administrator to restore role-assignable groups.
 * Global Administrator on the app covers both.
 */
export const RESTORE_WRITER_DIRECTORY_ROLES: ReadonlyArray<{ templateId: string; displayName: string }> = [
  { templateId: PRIVILEGED_AUTH_ADMIN_TEMPLATE_ID, displayName: 'Privileged Authentication Administrator' },
  { templateId: PRIVILEGED_ROLE_ADMIN_TEMPLATE_ID, displayName: 'Privileged Role Administrator' },
];
