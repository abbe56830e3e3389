/**
 * The planner's candidate phase: for every archived object in scope that the target
 * lacks, a recycle-bin restore or a create (with its body in the target's terms), or a
 * recorded reason why neither is possible. Updates come later (./updates.ts), once it is
 * known what this plan recreates. Pure.
 */
import type { ResourceDescriptor, RestoreTier } from '../../catalog/types.js';
import type { DirObject, Json, JsonObject, TenantData } from '../../model.js';
import { displayNameOf, mapToLive } from '../diff.js';
import { identityProviderSkipReason, listenerSkipReason } from './identity-providers.js';
import { federationSkipReason } from './domain-federation.js';
import { assignmentSkipReason, packageAppRoles, withoutQuestionIds } from './entitlement.js';
import { roleScopeBody, siteSkipReason } from './entitlement-resources.js';
import { stripTaskServerSet } from './governance.js';
import { attributesWithoutQuestionIds, fixExtensionBody, reducedStageSettings } from './entitlement-extensions.js';
import { deviceSkipReason } from './devices.js';
import { mtoSkipReason } from './multi-tenant-org.js';
import { profileCardSkipReason } from './people-settings.js';
import { profileSourceSkipReason } from './profile-sources.js';
import { orgContactSkipReason } from './org-contacts.js';
import { CA_REPORT_ONLY, isMicrosoftBuiltIn, isNeverCreated, isOnPremisesSynced, isWritable, parentIdOf, parseExtensionName, upnDomain } from '../catalog.js';
import { cmp } from '../json.js';
import { isRecreated, oneLine, opIdFor, parentOf, sortedCandidates, str, type ArchivedEntry, type Candidate, type PlanContext } from './context.js';
import { EXCHANGE_GROUP_REASON, isExchangeGroup } from './exchange.js';
import type { PlanScope } from './scope.js';
import { heldCandidate } from './candidate-body.js';
import { BodyStore } from '../held-bodies.js';
import { isAssignmentOfCreatedRole, policyOfCreatedRole } from './role-policies.js';
import { isAssignmentOfOnboardedGroup, NOT_ONBOARDED_REASON, policyOfOnboardedGroup } from './group-policies.js';

export interface Candidates {
  /** opId → candidate; later phases add updates and mark blocked ones. */
  cands: Map<string, Candidate>;
  /** The scope in tier-independent order: catalog type order, then archived id. */
  ordered: string[];
  /** Archived role-assignment id → opId of the PIM schedule create that also creates it. */
  coveredBy: Map<string, string>;
  /** The inverse of `coveredBy`: schedule opId → the archived role-assignment ids it covers, sorted. */
  covers: Map<string, string[]>;
  /**
   * The ids of the missing objects synced from on-premises: directory sync brings them back, not
   * Graph. Ids only: the objects themselves, whole, were about 28,000 users held to the end of the
   * plan at 100k users, after the archive's own users were made slim (issue 17 item 1).
   */
  syncedMissingIds: Set<string>;
  /** Missing mail-enabled security groups and distribution lists: Exchange's, not Graph's (./exchange.ts). */
  exchangeMissing: DirObject[];
}

/** The name of an archived sign-up events flow (undefined: the archive does not hold it). */
function flowNameOf(ctx: PlanContext, id: string): string | undefined {
  return ctx.archivedById.get(id)?.type === 'authenticationEventsFlow' ? ctx.nameOf(id) : undefined;
}

/** principal|role|scope of an assignment-like object (archived ids). */
function grantKey(o: DirObject): string | undefined {
  const p = o['principalId'];
  const r = o['roleDefinitionId'];
  if (typeof p !== 'string' || typeof r !== 'string') return undefined;
  const scope = typeof o['directoryScopeId'] === 'string' ? o['directoryScopeId'] : '/';
  return `${p}|${r}|${scope}`;
}

/**
 * Pairs each role-assignment create with the archived active PIM schedule behind it
 * (same principal, role and scope) that is also being created; removes the assignment's
 * own create and returns covered archived id → schedule opId. The schedule keeps the
 * lower of the two tiers (a Global Administrator grant stays in tier 0).
 */
function pairPimAssignments(cands: Map<string, Candidate>, archivedById: Map<string, ArchivedEntry>): Map<string, string> {
  const schedules = new Map<string, Candidate>();
  for (const c of sortedCandidates(cands)) {
    if (c.kind !== 'create' || c.type !== 'roleAssignmentSchedule') continue;
    const k = grantKey((archivedById.get(c.archivedId) as ArchivedEntry).obj);
    if (k && !schedules.has(k)) schedules.set(k, c);
  }
  const covered = new Map<string, string>();
  for (const c of sortedCandidates(cands)) {
    if (c.kind !== 'create' || c.type !== 'roleAssignment') continue;
    const k = grantKey((archivedById.get(c.archivedId) as ArchivedEntry).obj);
    const s = k ? schedules.get(k) : undefined;
    if (!s || k === undefined) continue;
    schedules.delete(k);
    if (c.tier < s.tier) s.tier = c.tier;
    cands.delete(c.opId);
    covered.set(c.archivedId, s.opId);
  }
  return covered;
}

/**
 * One grant, one write: an active PIM assignment schedule and the role assignment it grants are
 * one thing in Entra — the adminAssign schedule request creates both (docs/graph-facts.md §3
 * "unifiedRoleAssignment"). The schedule request carries the schedule (permanent or time-bound),
 * so it is the op kept; the paired assignment gets no write of its own (a second POST would
 * conflict) and is `covers` of it. Likewise an app role a requested access package assignment
 * gives (its package's app role scope) comes with the assignment, as Graph provisions it (S385).
 * Returns covered archived id → the covering op; the covered candidates are taken out.
 */
function coveredWrites(cands: Map<string, Candidate>, archivedById: Map<string, ArchivedEntry>, archive: TenantData): Map<string, string> {
  const coveredBy = pairPimAssignments(cands, archivedById);
  for (const [cov, op] of packageAppRoles(cands, archivedById, archive)) coveredBy.set(cov, op);
  return coveredBy;
}

/** The writable, non-null properties of an archived object as a create body. */
function createBody(desc: ResourceDescriptor, mapped: JsonObject, domainMap: Map<string, string>, warn: (w: string) => void): JsonObject {
  const body: JsonObject = {};
  for (const k of Object.keys(mapped).sort(cmp)) {
    const v = mapped[k];
    if (v === null || v === undefined) continue;
    if (k === '@odata.type') {
      // Kept only where Graph needs it: derived types (ipNamedLocation, fido2AuthenticationMethodConfiguration…).
      if (v !== `#${desc.entityType}`) body[k] = v;
      continue;
    }
    if (!isWritable(desc, k)) continue;
    body[k] = v;
  }
  if (desc.createOnly.includes('id') || desc.type === 'domain') body['id'] = mapped['id'] as Json;
  // a domain is created by its name only ("Id is the only property that can be specified"); its
  // settings wait for its verification (manual:domainVerification, docs/graph-facts.md S68)
  if (desc.type === 'domain') return { id: mapped['id'] as Json };
  if (desc.type === 'user') {
    const mail = str(body['mail']);
    if (mail && domainMap.has(upnDomain(mail))) {
      delete body['mail'];
      warn(`user ${oneLine(displayNameOf(mapped as DirObject))}: mail on unverified domain ${upnDomain(mail)} omitted`);
    }
  }
  // POST takes a user flow's name; Graph prefixes B2X_1_ itself (docs/graph-facts.md §3 "Self-service sign-up user flows").
  if (desc.type === 'b2xUserFlow' && typeof body['id'] === 'string') body['id'] = body['id'].replace(/^B2X_1_/, '');
  // a custom user flow attribute is POSTed without its derived type, as Graph's example shows (src/catalog/user-flow-attributes.ts)
  if (desc.type === 'userFlowAttribute') delete body['@odata.type'];
  if (desc.type === 'extensionProperty') {
    // POST takes the short name; Graph prefixes extension_<appId>_ itself.
    const ext = parseExtensionName(str(body['name']) ?? '');
    if (ext) body['name'] = ext.short;
  }
  // A scoped role member's roleId is a directoryRole id of the lost tenant: write the role's
  // template, which the executor activates in the target and swaps for that role's id.
  if (desc.type === 'scopedRoleMembership' && typeof mapped['@roleTemplateId'] === 'string') body['roleId'] = mapped['@roleTemplateId'];
  // a workflow's tasks come in its create body without what Graph sets (./governance.ts)
  if (desc.type === 'lifecycleWorkflow') stripTaskServerSet(body);
  // a policy's questions come in its create body without the ids Graph sets (./entitlement.ts)
  if (desc.type === 'accessPackageAssignmentPolicy' && Array.isArray(body['questions'])) body['questions'] = withoutQuestionIds(body['questions']) ?? [];
  // its custom extension stages as `{ stage, customExtension: { id } }`; an extension with its type, without Graph's url (./entitlement-extensions.ts)
  if (desc.type === 'accessPackageAssignmentPolicy' && Array.isArray(body['customExtensionStageSettings'])) body['customExtensionStageSettings'] = reducedStageSettings(body['customExtensionStageSettings']) ?? [];
  if (desc.type === 'accessPackageCustomWorkflowExtension') fixExtensionBody(body, mapped);
  // a catalog resource's attributes: read-only to a PATCH, written by an adminUpdate request after the add (src/restore/execute/entitlement-resources.ts)
  if (desc.type === 'accessPackageResource' && Array.isArray(mapped['attributes']) && mapped['attributes'].length > 0) body['attributes'] = attributesWithoutQuestionIds(mapped['attributes']);
  // Created report-only until its enable op verifies it; a disabled one is created disabled (issue 11 item 7).
  if (desc.type === 'conditionalAccessPolicy') body['state'] = mapped['state'] === 'disabled' ? 'disabled' : CA_REPORT_ONLY;
  return body;
}

/** What `collectCandidates` gathers, one archived object at a time (`candidateFor`). */
interface Gathered {
  cands: Map<string, Candidate>;
  /** The create candidates' bodies (./candidate-body.ts). */
  bodies: BodyStore;
  syncedMissingIds: Set<string>;
  exchangeMissing: DirObject[];
}

/** The candidate of one archived object in scope, or the reason it has none (see `collectCandidates`). */
function candidateFor(ctx: PlanContext, scope: PlanScope, tier0: ReadonlySet<string>, id: string, acc: Gathered): void {
  const { catalog, match, archivedById } = ctx;
  const { cands, syncedMissingIds, exchangeMissing } = acc;
  const { type, obj } = archivedById.get(id) as ArchivedEntry;
  const desc = catalog.descriptor(type);
  const e = match.entries.get(id);
  if (!e) return;
  const tier: RestoreTier = tier0.has(id) ? 0 : desc.tier;
  if (scope.attributes) {
    if (e.state !== 'live') ctx.skip(id, e.state === 'softDeleted' ? 'in the recycle bin: restore the object first (objects scenario)' : 'missing in the target: an attributes restore does not create objects');
    return;
  }
  const missing = isRecreated(ctx, id);
  if (e.state === 'softDeleted' && ctx.preferRecycleBin) {
    // Recycle bin first: restoring keeps the id and everything attached (docs/reliability.md 18, docs/graph-facts.md §4).
    const opId = opIdFor('restoreDeleted', type, id);
    cands.set(opId, { opId, kind: 'restoreDeleted', type, archivedId: id, tier, after: [] });
  } else if (missing) {
    // the PIM role settings of a custom role this plan recreates: patched after the role's create
    // the PIM for Groups settings of a group this plan onboards: patched after its schedules (./group-policies.ts)
    const rolePolicy = type === 'roleManagementPolicy' ? policyOfCreatedRole(ctx, obj, new Set(cands.keys()))
      : type === 'pimGroupPolicy' ? policyOfOnboardedGroup(ctx, obj, new Set(cands.keys())) : undefined;
    if (rolePolicy) {
      cands.set(rolePolicy.opId, rolePolicy);
      return;
    }
    if (type === 'roleManagementPolicyAssignment' && isAssignmentOfCreatedRole(obj, new Set(cands.keys()))) return;
    if (type === 'pimGroupPolicyAssignment' && isAssignmentOfOnboardedGroup(obj, new Set(cands.keys()))) return;
    if (type === 'pimGroupPolicy' || type === 'pimGroupPolicyAssignment') {
      ctx.warnings.push(`${desc.title} ${ctx.nameOf(id)}: ${NOT_ONBOARDED_REASON}`);
      ctx.skip(id, NOT_ONBOARDED_REASON);
      return;
    }
    const manualOnly = identityProviderSkipReason(type, obj) ?? listenerSkipReason(type, obj, (f) => flowNameOf(ctx, f)) ?? federationSkipReason(type, obj, ctx.live.verifiedDomains) ?? assignmentSkipReason(type, obj)
      ?? siteSkipReason(type, obj, ctx.live.initialDomain) ?? deviceSkipReason(type) ?? mtoSkipReason(type) ?? orgContactSkipReason(type) ?? profileCardSkipReason(type)
      ?? profileSourceSkipReason(type, obj);
    if (manualOnly) {
      ctx.skip(id, manualOnly);
      return;
    }
    // a language comes with the flow this plan creates; its pages follow it (./user-flow-languages.ts)
    if (type === 'userFlowLanguage' && cands.has(opIdFor('create', 'b2xUserFlow', parentIdOf(obj) ?? ''))) return;
    if (isNeverCreated(desc, obj)) {
      // Microsoft's own objects are in every tenant: nothing to create, nothing to report.
      if (!isMicrosoftBuiltIn(type, obj)) {
        ctx.warnings.push(`${desc.title} ${ctx.nameOf(id)} is not in the target and cannot be created; nothing planned`);
        // a user flow's language comes with its flow: the next run writes its pages (./user-flow-languages.ts)
        ctx.skip(id, type === 'userFlowLanguage' ? 'comes with its user flow: run the restore again once the flow exists to write its pages' : 'cannot be created through Graph');
      }
      return;
    }
    if (isOnPremisesSynced(obj)) {
      syncedMissingIds.add(id);
      ctx.skip(id, 'synced from on-premises AD: directory sync brings it back');
      return;
    }
    if (type === 'group' && isExchangeGroup(obj)) {
      exchangeMissing.push(obj);
      ctx.skip(id, EXCHANGE_GROUP_REASON);
      return;
    }
    const opId = opIdFor('create', type, id);
    const body = createBody(desc, mapToLive(desc, obj, match), match.domainMap, (w) => ctx.warnings.push(w));
    // a package's resource role: its role and scope, naming the catalog resource (./entitlement-resources.ts)
    const noRole = type === 'accessPackageResourceRoleScope' ? roleScopeBody(ctx, obj, body) : undefined;
    if (noRole) {
      ctx.skip(id, noRole);
      return;
    }
    // held compressed until its operation is made (./candidate-body.ts)
    const c = heldCandidate({ opId, kind: 'create', type, archivedId: id, tier, after: [] }, body, acc.bodies);
    const parent = parentOf(ctx, desc, obj);
    if (parent) c.parent = parent;
    cands.set(opId, c);
  }
}

/**
 * Restore and create candidates for the scope. `tier0` holds the archived ids of the
 * bootstrap admins (their ops run in tier 0 whatever their type's tier). An `attributes`
 * scope yields no candidates: objects not live in the target are skipped with a reason.
 * `done` is told each archived id once its candidate is made: the planner may let go of an
 * archived object nothing reads whole again (./release.ts `UserRelease`). Pure otherwise.
 */
export function collectCandidates(ctx: PlanContext, scope: PlanScope, tier0: ReadonlySet<string>, done?: (id: string) => void): Candidates {
  const { archivedById, typeIndex } = ctx;
  const acc: Gathered = { cands: new Map(), bodies: new BodyStore(), syncedMissingIds: new Set(), exchangeMissing: [] };
  const { cands, syncedMissingIds, exchangeMissing } = acc;
  const ordered = [...scope.ids].sort((a, b) => {
    const ta = typeIndex.get((archivedById.get(a) as ArchivedEntry).type) as number;
    const tb = typeIndex.get((archivedById.get(b) as ArchivedEntry).type) as number;
    return ta - tb || cmp(a, b);
  });
  for (const id of ordered) {
    candidateFor(ctx, scope, tier0, id, acc);
    done?.(id);
  }
  const coveredBy = coveredWrites(cands, archivedById, ctx.archive);
  // looked up once per operation (./operations.ts): a scan of coveredBy per create was
  // quadratic at 100k users (issue 17 item 2)
  const covers = new Map<string, string[]>();
  for (const [cov, sched] of coveredBy) {
    const list = covers.get(sched);
    if (list) list.push(cov);
    else covers.set(sched, [cov]);
  }
  for (const list of covers.values()) list.sort(cmp);
  return { cands, ordered, coveredBy, covers, syncedMissingIds, exchangeMissing };
}
