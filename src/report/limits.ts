/**
 * What a restore cannot bring back through Microsoft Graph, as data: the source of the README's
 * "cannot be restored" section, `docs/limits.md` and every runbook (issue 11: the list is
 * generated, so it can never again omit what the code skips).
 *
 * Two sources, both kept next to the code that acts on them:
 * - the planner's manual steps and fixed plan warnings (`PLAN_LIMITS` below; a test checks that
 *   every `manual:*` id the planner emits is declared here and every one declared is emitted,
 *   test/repo/limits.test.ts);
 * - the catalog's exclusions, read from `src/catalog` at run time (each excluded property
 *   with the reason the catalog gives).
 */
import { BRANDING_STREAM } from '../catalog/branding.js';
import { catalog } from '../catalog/index.js';

/** One thing a restore cannot do itself, and what the operator does instead. */
export interface RestoreLimit {
  /** `manual:*` (a manual step in the plan), `warning:*` (a plan warning) or `excluded:TYPE.PROPERTY`. */
  id: string;
  what: string;
  why: string;
  /** What the tool does about it, and the operator's step. */
  step: string;
}

/** The manual steps and plan warnings the planner emits (src/restore/plan/manual.ts, exchange.ts, timebound.ts). */
export const PLAN_LIMITS: readonly RestoreLimit[] = [
  { id: 'manual:password', what: 'Passwords', why: 'Graph never returns a password.', step: 'Recreated users get a new temporary password, written only to a file encrypted to the operator; deliver each out of band.' },
  { id: 'manual:mfaRegistration', what: 'FIDO2 keys, Authenticator and phone methods', why: 'Authentication methods of a recreated user cannot be written through Graph.', step: 'Users register again, for example with a Temporary Access Pass.' },
  { id: 'manual:clientSecret', what: 'Client secrets of recreated apps', why: 'Graph never returns a secret value.', step: 'Listed by name and expiry; add new ones (addPassword) and update every client.' },
  { id: 'manual:certificate', what: 'Certificates of recreated apps', why: 'The archive holds their metadata, not the certificate files to upload again.', step: 'Listed by name, thumbprint and expiry; upload the public certificates again.' },
  { id: 'manual:domainVerification', what: 'Domain DNS verification', why: 'Verification needs a DNS record only the domain owner can publish.', step: 'User names are mapped to the initial domain until the domain is verified; then restore userPrincipalName with the attributes scenario.' },
  { id: 'manual:licence', what: 'Licences', why: 'A licence needs a subscription in the target tenant.', step: 'Listed with their SKU ids; assign them again.' },
  { id: 'manual:onPremisesSync', what: 'Objects synced from on-premises AD', why: 'Directory sync owns them; Graph cannot create them.', step: 'Run directory sync against the target, then plan again: entra-vault matches them by immutable id or SID and re-applies their cloud-only attributes and relationships.' },
  { id: 'manual:pausedDynamicGroups', what: 'Members of dynamic groups whose rule processing was paused', why: 'Entra computes dynamic members and refuses manual member changes.', step: 'Turn rule processing on, review the members the rule gives, pause it again if needed.' },
  { id: 'manual:conditionalAccessReview', what: 'Conditional Access policies with references nothing resolves', why: 'Enforcing a policy that names a missing user, group or app could lock people out or let them in.', step: 'Restored report-only and never enabled by the plan; fix the references and enable them by hand.' },
  { id: 'manual:exchangeGroups', what: 'Mail-enabled security groups and distribution lists, their members and owners', why: 'Exchange Online owns them; Graph can neither create them nor change their members.', step: 'Listed with mail, members and owners; recreate them in Exchange, then plan again for the references to them.' },
  { id: 'manual:betaOnlySettings', what: 'Report-suspicious-activity and system-preferred MFA settings', why: 'They exist only in the Graph beta API; the backup reads v1.0.', step: 'A tenant-loss plan names them as a manual step: set them again in the Entra admin center.' },
  { id: 'manual:adminConsentReviewers', what: 'Admin consent reviewers whose user or group is not restored', why: 'A reviewer names a user or group by id; one neither in the target nor recreated cannot be re-linked (src/restore/plan/consent.ts).', step: 'Taken out of the restored admin consent request policy; the plan lists each reviewer query to add again once its user or group exists.' },
  { id: 'manual:timeBoundMembership', what: 'End dates of time-bound group memberships (PIM for Groups, access packages)', why: 'A membership given outside PIM for Groups and the packages\' group roles is archived as a plain member edge (src/restore/plan/timebound.ts); PIM for Groups assignments are restored with their end dates (src/restore/plan/pim-groups.ts), and access package assignments requested again with theirs, the memberships their group roles give left to them (src/restore/plan/entitlement.ts).', step: 'Other time-bound memberships come back permanent; the plan warns and lists every group whose memberships it writes, to review.' },
  // issue 15 items 5-6 (src/restore/plan/terms-of-use.ts, identity-providers.ts, domain-federation.ts)
  { id: 'manual:termsOfUse', what: 'Terms of use agreements required by Conditional Access policies', why: 'Graph v1.0 reads and creates agreements only for a signed-in administrator and never returns a file\'s content.', step: 'In a new tenant a policy requiring one is restored report-only, never switched on; re-create the agreement from its PDF, set it in the policy, then switch the policy on.' },
  { id: 'manual:identityProviders', what: 'Identity providers (Google, Facebook, …) and their secrets', why: 'A provider\'s secret is write-only (read back as ****) and needed to create it.', step: 'Not created; the plan lists each provider\'s values and the secret to enter in the Entra admin center.' },
  { id: 'manual:userFlowLanguages', what: 'Whether each language of a self-service sign-up user flow is switched on', why: 'Graph v1.0 reads a user flow\'s languages but cannot write them (docs/graph-facts.md S332); their customized pages are PUT back.', step: 'The plan lists each flow language whose on/off state the target does not show, to set in the Entra admin center.' },
  // issue 15 item 8 (src/restore/plan/entitlement.ts)
  { id: 'manual:accessPackageAssignments', what: 'Access package assignments that were not delivered when archived, or are a service principal\'s, or whose package, policy or user is not restored', why: 'Graph creates an assignment only from a request; an administrator\'s request (adminAdd) names a user, and a restore that added users to the package\'s groups directly would hand out ungoverned access.', step: 'A delivered assignment of a user is requested again with its end date; these are listed (user, package, policy, end date, state) to assign by hand, and fidelity reports them as not restored.' },
  { id: 'manual:accessPackageAssignmentStarts', what: 'The start date of access package assignments requested again', why: 'A requested assignment starts when Graph delivers the request; no request sets a past start.', step: 'The plan lists each requested assignment with its archived start, to keep with the restore report as the record of when the access began; the verify compares the assignment\'s user, package, policy and end date.' },
  { id: 'manual:authenticationEventsFlows', what: 'The apps, identity providers, attributes and custom extensions of a sign-up events flow that are not restored', why: 'A flow names them by appId and id; one neither in the target nor recreated (a social identity provider, which needs its secret) cannot be re-linked, and Graph may not return the custom extension an attribute collection handler calls.', step: 'Taken out of the restored flow; the plan lists each with its archived value, and each handler whose extension the archive does not name, to set on the flow again.' },
  { id: 'manual:relinkByHand', what: 'Live objects outside an objects selection that name a selected object the restore recreates with a new id or appId, where Graph takes no write that re-links them (an access package catalog\'s resources and their roles, the device registration policy\'s groups, a lifecycle workflow\'s task arguments, an access review\'s scope)', why: 'Such an object still names the old id, and the writes the restore makes cannot point it at the new object (src/restore/plan/relink.ts); those they can (Conditional Access, PIM settings, required permissions, custom extensions, event listeners, sign-up flows\' apps, group settings, extension attribute values) are re-linked.', step: 'The plan lists each object, the property and the restored object to point it at; the final verify reports the reference as not as archived, so the restore does not say complete.' },
  { id: 'manual:accessPackagePolicySubjects', what: 'Access package approvers, reviewers and requestors whose user or group is not restored', why: 'A policy names them by id; one neither in the target nor recreated cannot be re-linked.', step: 'Taken out of the restored policy; the plan lists each with its archived id to add again once its user or group exists.' },
  { id: 'manual:accessPackageSharePointSites', what: 'SharePoint Online sites in access package catalogs, and the package roles on them, when the target is another tenant', why: 'A site is named by its URL on the archived tenant\'s SharePoint host, which the target does not have, and Graph\'s entitlement calls cannot check a site.', step: 'Not added; the plan names each site with its catalog and every access package role on it (role name and originId) to add again once the site exists in the target; fidelity reports them.' },
  { id: 'manual:accessPackageWorkflowExtensionLogicApps', what: 'The Azure Logic Apps that access package catalogs\' custom workflow extensions call', why: 'The Logic App lives in Azure, outside the tenant; its authorization policy accepts tokens issued for the tenant whose entitlement management calls it, which after a tenant-loss restore is the lost one.', step: 'The extensions are recreated as archived in their recreated catalogs and the policies\' stages run them again; the plan lists each Logic App (subscription, resource group, name) and the issuer of the restored tenant to authorize. Graph recreates an extension only for a caller holding Logic App Contributor, Contributor or Owner on its Logic App (docs/graph-facts.md S394): the preparation checklist asks for it (step 3.3), and a 403 is a failure whose next step names the Logic App.' },
  // issue 15 item 9 (src/restore/plan/governance.ts)
  { id: 'manual:customTaskExtensionLogicApps', what: 'The Azure Logic Apps that lifecycle workflows\' custom task extensions call', why: 'The Logic App lives in Azure, outside the tenant; it accepts callers by an authorization policy naming the tenant (token issuer) and the app the extension authenticates with, which after a tenant-loss restore are the lost ones.', step: 'The extensions are recreated as archived; the plan lists each Logic App (subscription, resource group, name) with the issuer and audience to set in its authorization policy. Graph recreates an extension only for a caller holding Logic App Contributor, Contributor or Owner on its Logic App (docs/graph-facts.md S394): the preparation checklist asks for it (step 3.3), and a 403 is a failure whose next step names the Logic App.' },
  // issue 15 item 10 (src/restore/plan/devices.ts)
  { id: 'manual:devices', what: 'Devices (Entra joined, hybrid joined and registered) and their group memberships', why: 'A device object is the device\'s own registration (deviceId, keys); Graph cannot recreate it for an application (create is delegated only), and a copy would not be the device.', step: 'Archived and not created; the plan lists each device (name, deviceId, OS, trust type) and the groups it was in: join or register each again, then add the new device objects to those groups. Fidelity reports them as not restored.' },
  // issue 15 item 7 (src/restore/plan/multi-tenant-org.ts)
  { id: 'manual:multiTenantOrganization', what: 'Membership of a multi-tenant organization (the organization, its member tenants, this tenant\'s join request)', why: 'A tenant is added by the owner tenant by its tenant id and joins from its side; a new tenant has a new id (docs/graph-facts.md S260-S262).', step: 'Archived and never written; the plan names the organization, its description and each member tenant (id, name, role): the owner adds the new tenant (POST …/multiTenantOrganization/tenants), the new tenant PATCHes …/joinRequest with addedByTenantId, the owner removes the lost tenant. Fidelity reports them as not restored.' },
  // issue 15 item 10 (src/restore/plan/org-contacts.ts)
  { id: 'manual:orgContacts', what: 'Organizational contacts (mail contacts) and their group memberships', why: 'Graph v1.0 reads contacts but cannot create or update them: they are created in Exchange Online or synchronized from on-premises.', step: 'Archived and not created; a contact the target holds (same mail, else alias) gets its memberships back. For each missing one the plan lists its values (name, mail, alias, proxy addresses, company, department, job title) and the groups it was in: create it in Exchange Online, then add it to those groups. Fidelity reports them as not restored.' },
  // issue 15 item 10 (src/restore/plan/people-settings.ts)
  { id: 'manual:profileCardProperties', what: 'Profile card properties (the directory attributes shown on the Microsoft 365 profile card, with their labels and translations)', why: 'Graph v1.0 lets an application list them but not create, update or delete them (Application: Not supported): only a signed-in People Administrator may.', step: 'Archived and not written; for each one the target lacks or holds differently the plan gives the exact request (POST, or PATCH by directoryPropertyName) with its archived annotations, to send signed in with PeopleSettings.ReadWrite.All. Fidelity reports them as not restored.' },
  { id: 'manual:profileSources', what: 'The Microsoft Entra ID profile source (kind MSEntra), when the target has none', why: 'Every tenant has it and only Microsoft creates it; Graph documents no way for a tenant to add one.', step: 'Not created; the plan lists it with its archived name and fidelity reports it missing with that reason. Once Microsoft has restored it, run the restore again: its name, URL and labels are set and the precedence names it again.' },
  { id: 'manual:profilePrecedence', what: 'Profile source precedence entries (prioritizedSourceUrls) that name no source of the target', why: 'Such a URL would order a source that does not exist in the target (a source the archive lacks, one archived without its Graph id, or the MSEntra source the target lacks).', step: 'Left out of the written list, the other entries kept in order; the plan lists each and fidelity reports the difference. Once the source exists, PATCH the setting with the archived order.' },
  { id: 'manual:domainFederation', what: 'Federation configuration of a domain not yet verified', why: 'A domain can be federated only after DNS verification.', step: 'Verify the domain, then run the restore again: it creates the configuration as archived, signing certificates included.' },
];

/**
 * Settings Graph has only in beta: entra-vault reads v1.0 (src/catalog/generated), so they are
 * not archived (issue 11 item 11). test/repo/limits.test.ts fails once the v1.0 schema gains
 * one, so it gets archived then.
 */
export const SCHEMA_LIMITS: readonly (RestoreLimit & { entityType: string; property: string })[] = [
  {
    id: 'beta:authenticationMethodsPolicy.reportSuspiciousActivitySettings', entityType: 'microsoft.graph.authenticationMethodsPolicy', property: 'reportSuspiciousActivitySettings',
    what: 'Report-suspicious-activity setting of the authentication methods policy, with its target group', why: 'Beta only: not in the Graph v1.0 schema entra-vault reads.',
    step: 'Not archived; note it in the runbook and set it again in the Entra admin center after a tenant-loss restore.',
  },
  {
    id: 'beta:authenticationMethodsPolicy.systemCredentialPreferences', entityType: 'microsoft.graph.authenticationMethodsPolicy', property: 'systemCredentialPreferences',
    what: 'System-preferred multifactor authentication, with its include and exclude groups', why: 'Beta only: not in the Graph v1.0 schema entra-vault reads.',
    step: 'Not archived; note it in the runbook and set it again in the Entra admin center after a tenant-loss restore.',
  },
];

/**
 * Custom data Graph keeps in places the backup does not read (docs/graph-facts.md §2). Each is
 * named so that an auditor sees the gap: a backup that cannot hold a fact must say so rather
 * than let a complete-looking restore pass over it. test/repo/limits.test.ts fails once the
 * catalog reads one of them, so its entry goes then.
 */
export const NOT_READ_LIMITS: readonly (RestoreLimit & { path: string })[] = [
  {
    id: 'notRead:openExtensions', path: '/extensions',
    what: 'Open extensions (openTypeExtension) on users, groups, devices, administrative units and the organization',
    why: 'Graph lists a resource\'s open extensions only one resource at a time (GET /users/{id}/extensions): no list request returns them for a whole collection, so reading them costs one request per object (docs/graph-facts.md S398).',
    step: 'Not archived, never compared or restored. An application that keeps its data in open extensions must back up and write that data itself; list them per object before relying on entra-vault for them.',
  },
  {
    id: 'notRead:schemaExtensions', path: '/schemaExtensions',
    what: 'Schema extension definitions and the values they add to users, groups, devices and the organization (properties named ext<8 characters>_<name>)',
    why: 'A schema extension is owned by an application and its values are returned only when $select names them (docs/graph-facts.md S399); the catalog reads the properties of the v1.0 schema and directory extensions (extension_<appId>_<name>), not schema extensions.',
    step: 'Not archived, never compared or restored. Export the definitions (GET /schemaExtensions?$filter=owner eq \'{appId}\') and their values with the owning application, and create them again with it after a tenant-loss restore.',
  },
];

/** Every catalog exclusion as a limit, in catalog order. */
export function catalogLimits(): RestoreLimit[] {
  const out: RestoreLimit[] = [];
  for (const d of catalog) {
    for (const [prop, reason] of Object.entries(d.excluded ?? {})) {
      // branding images are archived and restored apart (src/snapshot/branding-streams.ts)
      const step = reason === BRANDING_STREAM
        ? 'Archived apart (`@streams`, docs/archive-format.md) and PUT back after the branding is created or updated; a change to an image alone is not seen by the diff, so a restore into the same tenant leaves images that differ.'
        : 'Not archived; the backup says so, and it is never compared or restored.';
      out.push({ id: `excluded:${d.type}.${prop}`, what: `${d.title}: ${prop}`, why: reason, step });
    }
  }
  return out;
}

/** The whole list: plan limits first, then the catalog's exclusions. */
export function restoreLimits(): RestoreLimit[] {
  return [...PLAN_LIMITS, ...SCHEMA_LIMITS, ...NOT_READ_LIMITS, ...catalogLimits()];
}

/** The README section (between its limits markers): the plan limits as a list, the exclusions counted. */
export function limitsReadmeMarkdown(): string {
  const lines = [
    'What **cannot** be restored through Graph, and how the tool guides it. Each item is a manual',
    'step or a warning in the plan, the runbook and the report (generated from `src/report/limits.ts`',
    'by `npm run gen:limits`; the full list, with the catalog\'s excluded properties, is',
    '[`docs/limits.md`](docs/limits.md)):',
    '',
    ...[...PLAN_LIMITS, ...SCHEMA_LIMITS, ...NOT_READ_LIMITS].map((l) => `- **${l.what}.** ${l.why} ${l.step}`),
    `- **${catalogLimits().length} properties the catalog excludes** (telemetry, mailbox settings, images), each with its reason in \`docs/limits.md\`.`,
  ];
  return `${lines.join('\n')}\n`;
}

/** `docs/limits.md`: every limit as a table. */
export function limitsDocMarkdown(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const table = (ls: readonly RestoreLimit[]) => ['| id | what | why | what happens instead |', '|---|---|---|---|', ...ls.map((l) => `| \`${l.id}\` | ${cell(l.what)} | ${cell(l.why)} | ${cell(l.step)} |`)];
  return [
    '# What a restore cannot bring back',
    '',
    'Generated by `npm run gen:limits` from `src/report/limits.ts` (the planner\'s manual steps and',
    'warnings) and `src/catalog` (excluded properties); `test/repo/limits.test.ts` fails when this',
    'file, the README section or the code disagree. Every runbook carries the same list.',
    '',
    '## Manual steps and plan warnings',
    '',
    ...table(PLAN_LIMITS),
    '',
    '## Settings Graph v1.0 does not have',
    '',
    ...table(SCHEMA_LIMITS),
    '',
    '## Custom data the backup does not read',
    '',
    ...table(NOT_READ_LIMITS),
    '',
    '## Properties the catalog excludes',
    '',
    ...table(catalogLimits()),
    '',
  ].join('\n');
}
