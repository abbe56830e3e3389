/**
 * What entra-vault covers, generated from the catalog (docs/coverage.md, `npm run
 * gen:coverage`): every type with its Graph path, how a restore writes it, the references
 * it re-links and what it cannot bring back; every relation; and the configuration areas
 * of Entra that are not in the catalog yet, each with why. The README links this list
 * instead of claiming "everything" in prose (issue 15).
 */
import { catalog, relationCatalog } from '../catalog/index.js';
import type { ResourceDescriptor } from '../catalog/types.js';

/** Configuration areas not in the catalog yet: neither archived nor restored. */
export interface NotCovered {
  area: string;
  graph: string;
  why: string;
}

/**
 * Kept by hand, in the words of issue 15's list: when a type joins the catalog, its line
 * goes (test/repo/coverage.test.ts fails while a covered path is still listed here).
 */
export const NOT_COVERED: readonly NotCovered[] = [
  { area: 'The tenant-wide PIM policy (scopeType Directory)', graph: '/policies/roleManagementPolicies?$filter=scopeId eq \'/\' and scopeType eq \'Directory\'', why: 'not a policy of its own in v1.0 (docs/graph-facts.md §3 "PIM role settings", S209): the list page takes scopeType Directory or DirectoryRole for the same Entra role policies and its examples return the same per-role policies under both (Directory_… and DirectoryRole_… ids, one guid, isOrganizationDefault false); policies cannot be created, and no page shows a tenant holding an isOrganizationDefault policy. The per-role policies are archived and restored (roleManagementPolicy), so nothing more is read or written' },
  { area: 'Beta-only parts of app management and consent governance: restriction types and exemptions v1.0\'s appManagementConfiguration does not declare, the beta authorization policy\'s permissionGrantPolicyIdsAssignedToDefaultUserRole, classifications other than low', graph: '/beta/policies/defaultAppManagementPolicy, /beta/policies/authorizationPolicy', why: 'the backup reads Graph v1.0 only; their v1.0 counterparts are covered (docs/graph-facts.md §3 "App management and consent governance")' },
  { area: 'Terms of use agreements (their files and localizations)', graph: '/identityGovernance/termsOfUse/agreements', why: 'Graph v1.0 serves them to delegated callers only ("Application: Not supported", docs/graph-facts.md §3 "Terms of use agreements"), so the app-only backup cannot read them; a CA policy requiring one (grantControls.termsOfUse) is restored into a new tenant report-only, never switched on, and the manual step manual:termsOfUse names the agreement (src/restore/plan/terms-of-use.ts)' },
  { area: 'The organization\'s settings (Microsoft application data access, contact and people insights)', graph: '/beta/organization/{id}/settings', why: 'v1.0 has no organization settings navigation (vendor/graph-metadata CSDL: organization holds branding, certificateBasedAuthConfiguration and extensions only), so /organization/{id}/settings is left out as beta-only; v1.0 serves item insights as /admin/people/itemInsights (peopleAdminSettings, which also holds pronouns, profileCardProperties, profilePropertySettings and profileSources in the vendor/graph-metadata CSDL): item insights and pronouns are restored (types itemInsightsSettings, its disabledForGroup re-linked to the recreated group, and pronounsSettings, patched; docs/graph-facts.md S340, S341), profile card properties are archived and listed in a manual step (profileCardProperty: an application cannot write them, S342); profile sources and profile property settings are restored (types profileSource, archived and matched by sourceId, Microsoft\'s MSEntra source matched by kind and never created, and profilePropertySetting, its prioritizedSourceUrls re-linked by sourceId; S370-S372). The organization\'s notification mails and phones and its privacy profile are restored (type organization, patched)' },
  { area: 'Access review instances, their stages and decisions, and access review history definitions', graph: '/identityGovernance/accessReviews/definitions/{id}/instances, …/instances/{id}/decisions, /identityGovernance/accessReviews/historyDefinitions', why: 'Graph makes instances from a definition\'s schedule and records decisions as reviewers answer: nothing a restore can write back (a definition recreated starts its own instances). Archiving past decisions is an audit record, not configuration; the definitions themselves are restored (accessReviewDefinition)' },
  { area: 'Lifecycle workflow runs, task reports, user processing results, insights and versions', graph: '/identityGovernance/lifecycleWorkflows/workflows/{id}/runs, …/taskReports, …/userProcessingResults, …/versions, /identityGovernance/lifecycleWorkflows/insights', why: 'runs, reports and results are the history of past executions, which Graph writes itself; a workflow is recreated at version 1 with its archived (latest) tasks, earlier versions are not replayed. A workflow deleted within 30 days is restored from deletedItems/workflows with its id (docs/graph-facts.md S271), its versions with it' },
  { area: 'On-premises directory synchronization settings (features and configuration)', graph: '/directory/onPremisesSynchronization', why: 'Graph v1.0 serves them to delegated callers only: Get and Update onPremisesDirectorySynchronization say "Application: Not supported" (OnPremDirectorySynchronization.Read.All / ReadWrite.All, Global Administrator; docs/graph-facts.md §3 "Devices and their settings"), so the app-only backup cannot read them nor the restore write them; after a tenant loss set them again with Microsoft Entra Connect (or the delegated API) before the first sync' },
];

/** Per-type exceptions to the generic rule, as src/restore/catalog.ts `isNeverCreated` applies them. */
const NOTES: Partial<Record<string, string>> = {
  domain: '; the initial `*.onmicrosoft.com` domain is never created, a custom domain needs DNS verification',
  roleDefinition: '; built-in roles exist in every tenant and are never created',
  user: '; objects synced from on-premises come back through directory sync',
  group: '; objects synced from on-premises come back through directory sync',
  permissionGrantPolicy: '; Microsoft\'s built-in policies (`microsoft-…`) exist in every tenant and are never created or changed',
  permissionGrantPolicyInclude: '; those of Microsoft\'s built-in policies are never written',
  permissionGrantPolicyExclude: '; those of Microsoft\'s built-in policies are never written',
  delegatedPermissionClassification: ' (its API\'s service principal matched by appId: a first-party one has another id in every tenant)',
  adminConsentRequestPolicy: ' (PUT of the whole policy, the only write Graph documents); an unresolvable reviewer is taken out and becomes a manual step',
  authenticationContextClassReference: ' by PATCH of its own id (c1…c99), Graph\'s only create',
  domainFederation: '; only once its domain is verified in the target (a run after DNS verification)',
  groupLifecyclePolicy: '; Graph keeps one per tenant, so a target holding a policy for another kind of groups refuses it (a reported failure); a `Selected` policy\'s groups are added again by `addGroup` (relation `groupLifecyclePolicies`)',
  groupSpecificSetting: ' (the recreated group\'s new id); Graph takes only the Group.Unified.Guest template there, for Microsoft 365 groups',
  certificateBasedAuthConfiguration: ' (the target\'s organization) with its certificate authorities; Graph keeps one per tenant, with the same fixed id everywhere',
  accessPackageAssignmentPolicy: ' on its recreated access package; an approver, reviewer, requestor or allowed target whose user or group is not restored is taken out and becomes a manual step',
  accessPackage: ' in its recreated catalog (`catalog: { id }`, Graph\'s create body)',
  accessPackageResourceRoleScope: ' on its recreated access package, naming the catalog resource the restore added (`role.resource.id`); a group role\'s `Member_<groupId>` / `Owner_<groupId>` and the scope\'s origin re-linked to the recreated group or service principal; a role on a SharePoint site of another tenant becomes a manual step',
  accessReviewDefinition: '; its scope, reviewers and fallback reviewers are OData queries whose user, group, service principal or access package id is re-linked; an existing definition is updated by PUT of the whole object (Graph\'s only update)',
  lifecycleWorkflow: ' with its tasks in one POST (group, user and custom task extension ids in task arguments, each id of a comma-separated list, the group-based execution scope and the administrative units of its administrationScopeTargets re-linked); its execution conditions and tasks are read from each workflow\'s own GET, its administrationScopeTargets from their navigation',
  customTaskExtension: '; the Azure Logic App it calls must authorize the restored tenant and app: manual step manual:customTaskExtensionLogicApps',
  accessPackageCustomWorkflowExtension: ' in its recreated catalog, with its type and Logic App (Graph answers the trigger url itself); policies\' custom extension stages re-linked to it; the Azure Logic App must authorize the restored tenant: manual step manual:accessPackageWorkflowExtensionLogicApps',
  roleManagementPolicy: '; matched to the target\'s policy of the same role through its assignment, and only the rules that differ are patched, one at a time (a recreated custom role\'s policy after the role\'s create)',
  authenticationEventsFlow: ' with its apps (by appId), identity providers and attributes inline in the create body, each read from its own navigation (Graph never returns them inline), the sign-up page\'s input attributes re-linked too; one that cannot be re-linked (a social identity provider, never created) is taken out and named in manual step manual:authenticationEventsFlows; the event listeners the flow manages come back with it, never on their own',
  pimGroupPolicy: '; matched to the target\'s member or owner policy of the same (re-linked) group through its assignment, and only the rules that differ are patched, one at a time; a recreated group\'s policies after its restored PIM schedules onboard it (a group with none to restore is onboarded by nobody: reported, with the step to onboard it)',
};

/** Types whose restore is not a create at all, in their own words. */
const MODES: Partial<Record<string, string>> = {
  accessPackageResource: 'added to its recreated catalog by a resource request (`POST …/resourceRequests`, requestType adminAdd) with its origin re-linked to the recreated group or service principal; a SharePoint Online site is added by URL only on the target tenant\'s own SharePoint host, otherwise a manual step names it and the package roles on it; its attributes (the questions the resource app asks, written to the user) follow in a resource request of type adminUpdate. A resource already in the target keeps its own attributes: they are not compared or rewritten',
  accessPackageAssignment: 'requested again (an administrator\'s assignment request, adminAdd) for the re-linked user, policy and package, with its archived end date; it starts at the restore, and the plan lists each archived start (manual:accessPackageAssignmentStarts); never turned into group memberships. One not delivered when archived, or a service principal\'s, is listed by manual:accessPackageAssignments and reported not restored',
  identityProvider: 'never created (a social provider\'s secret is unreadable): a manual step lists its values and the secret to enter; an existing one is patched without its secret; built-in ones are in every tenant',
  device: 'never created (a device registers or joins again itself; Graph\'s create is delegated only) and never patched: archived, a manual step lists each device (name, deviceId, OS, trust type) with its group memberships, which are reported as not restored, and fidelity reports each device',
  orgContact: 'never created and never patched (Graph v1.0 reads contacts only; they are created in Exchange Online or synced from on-premises): one the target holds (same mail, else alias) gets its group memberships back; a missing one is listed in a manual step with its values and groups, its memberships reported as not restored, and fidelity reports it',
  crossTenantIdentitySyncPolicyPartner: 'created with PUT under its recreated partner (Graph returns no id: matched by the partner\'s tenantId), an existing one patched',
  profileCardProperty: 'never created, patched or deleted (Graph v1.0 lets only a signed-in administrator write them; an application reads them): archived by directoryPropertyName; one the target lacks or holds differently is listed in manual:profileCardProperties with the exact request and its archived labels, and fidelity reports it',
  profileSource: 'archived under its sourceId (the alternate key Graph addresses it by; its GUID id differs per tenant) and matched by it: one the target lacks is created with its sourceId, one that differs patched at profileSources(sourceId=…), never its sourceId (not updatable); Microsoft\'s Entra ID source (kind MSEntra, a per-tenant sourceId) is matched to the target\'s by kind, never created, only its name, URL and labels patched; a target without one is reported (manual:profileSources); its Graph id kept as @graphId for precedence URLs that name it',
  profilePropertySetting: 'matched by name, the nameless one (the tenant-level precedence, one per tenant) to the target\'s nameless one; each prioritizedSourceUrls entry profileSources(sourceId=X) is re-linked to the sourceId of the target\'s source matched to X, and profileSources/{id} to the target\'s id of the matched source (the sourceId form for one the restore creates); an entry naming no source of the target is left out and reported (manual:profilePrecedence); other URL forms are kept as archived',
  deviceRegistrationPolicy: 'written whole by PUT when the target differs (every updatable property, Policy.ReadWrite.DeviceConfiguration), the users and groups allowed to join, register or administer devices re-linked; one that cannot be is left out (narrower, never wider) and reported',
};

function restoreMode(d: ResourceDescriptor): string {
  const own = MODES[d.type];
  if (own) return own;
  if (d.shape !== 'singleton' && d.softDelete === 'notDeletable' && d.requiredOnCreate.length === 0) return `update the tenant's own (never created)${NOTES[d.type] ?? ''}`;
  return `${createMode(d)}${NOTES[d.type] ?? ''}`;
}

function createMode(d: ResourceDescriptor): string {
  const from = d.softDelete === 'recycleBin' ? 'recycle bin first, else create' : d.softDelete === 'recycleBinIfUnified' ? 'recycle bin first (Microsoft 365 groups), else create' : d.softDelete === 'caDeletedItems' ? 'create (Graph opens the CA recycle bin to no application, S392)' : d.softDelete === 'lifecycleDeletedItems' ? 'deleted-workflows bin first (its id kept), else create' : 'create';
  if (d.shape === 'singleton') return 'patch the archived values';
  if (d.shape === 'contained') return `${from} under its ${d.parentType ?? 'parent'}`;
  return from;
}

function referencesOf(d: ResourceDescriptor): string {
  if (d.references.length === 0) return '—';
  return d.references.map((r) => `\`${r.path}\` → ${r.targets.join('/')} (by ${r.by}${r.required ? ', required' : ''})`).join('<br>');
}

/** docs/coverage.md */
export function coverageDocMarkdown(): string {
  const out: string[] = [
    '# What entra-vault backs up and restores',
    '',
    'Generated by `npm run gen:coverage` from `src/catalog` and `src/report/coverage.ts`;',
    '`test/repo/coverage.test.ts` fails when this file and the code disagree. What a restore',
    'cannot bring back within these types (passwords, secrets, DNS verification, …) is in',
    '[`limits.md`](limits.md).',
    '',
    `## Types (${catalog.length})`,
    '',
    'Every type is read in full by `backup` (every property of its v1.0 entity type, except the',
    'excluded ones), compared by `diff`, written by `restore` in its tier, and checked by the',
    'fidelity report.',
    '',
    '| type | Graph path | tier | restore | natural key | references re-linked | properties not archived |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const d of catalog) {
    const excluded = Object.keys(d.excluded);
    out.push(`| ${d.title} (\`${d.type}\`) | \`${d.path}\` | ${d.tier} | ${restoreMode(d)} | ${d.naturalKey.length ? d.naturalKey.map((k) => `\`${k}\``).join(', ') : '—'} | ${referencesOf(d)} | ${excluded.length ? excluded.map((p) => `\`${p}\``).join(', ') : '—'} |`);
  }
  out.push('', `## Relations (${relationCatalog.length})`, '', 'Archived as edges and written with `$ref` after both ends exist, re-linked to new ids.', '', '| relation | Graph path | targets |', '|---|---|---|');
  for (const r of relationCatalog) out.push(`| \`${r.kind}\` | \`${r.path}\` | ${r.targets.join(', ')}${r.addAction ? ` (written by \`POST ${r.addAction.path}\`, not \`$ref\`)` : ''} |`);
  out.push('', `## Not covered yet (${NOT_COVERED.length} areas)`, '', 'Neither archived nor restored today. After a tenant-loss restore these are at the new', "tenant's defaults and must be configured again by hand.", '', '| area | Graph | why |', '|---|---|---|');
  for (const n of NOT_COVERED) out.push(`| ${n.area} | \`${n.graph}\` | ${n.why} |`);
  return `${out.join('\n')}\n`;
}
