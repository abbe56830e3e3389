/**
 * The planner's fixpoint phase: adds the updates (changed live objects, objects back
 * from the recycle bin that differ, objects whose references point at something this
 * plan recreates with a new id), then resolves every candidate's references and blocks
 * what cannot be written, until nothing more is blocked. Blocking one candidate can
 * strand another (its parent or a required reference was to come from it), hence the
 * rounds. Pure.
 */
import { withoutQuestionIds } from './entitlement.js';
import { reducedStageSettings } from './entitlement-extensions.js';
import { STREAMS_KEY, STREAM_TYPES } from '../../snapshot/branding-streams.js';
import { languageOfNewFlow, languageUpdate } from './user-flow-languages.js';
import { withAssignmentOrder } from './user-flow-order.js';
import type { ResourceDescriptor, ResourceType } from '../../catalog/types.js';
import type { DirObject, JsonObject } from '../../model.js';
import type { AttributeChange, RestoreSelection } from '../types.js';
import { compareObject, displayNameOf, mapToLive } from '../diff.js';
import { CA_REPORT_ONLY, isOnPremisesSynced, isTenantOwned, isWritable, upnDomain } from '../catalog.js';
import { cmp } from '../json.js';
import { isCA, oneLine, opIdFor, parentOf, sortedCandidates, type ArchivedEntry, type Candidate, type PlanContext } from './context.js';
import type { Candidates } from './candidates.js';
import { resolveBody, type OpenRef, type RefContext } from './refs.js';
import type { PlanScope } from './scope.js';
import { relinkCandidates } from './relink.js';
import { readOnlyUpdateReason } from './devices.js';
import { mtoUpdateReason } from './multi-tenant-org.js';
import { orgContactUpdateReason } from './org-contacts.js';
import { profileCardUpdateReason } from './people-settings.js';
import { updateUndocumented } from '../../catalog/documented-writes.js';
import { awaitsVerification } from '../domains.js';

/**
 * Why an update of `desc`'s type is not planned: Graph's reference documents no update of it
 * (src/catalog/documented-writes.ts), so a PATCH would be refused in a real tenant. The
 * differing properties are reported with the object, never written.
 */
function undocumentedUpdateReason(desc: ResourceDescriptor, changes: readonly AttributeChange[]): string | undefined {
  if (!updateUndocumented(desc.type)) return undefined;
  return `Graph v1.0 documents no update of a ${desc.title} (its reference page lists none): ${changes.map((c) => c.property).join(', ')} differ and are not written; set them by hand, or delete the object and restore it again`;
}

/**
 * Attributes mastered on-premises for synced users and groups: directory sync owns
 * them and Graph rejects changes (docs/design.md "Graph emulator"), so only the cloud-only
 * rest is re-applied.
 */
const SYNCED_ATTRIBUTES = new Set([
  'accountEnabled', 'displayName', 'givenName', 'surname', 'userPrincipalName', 'mail', 'mailNickname', 'jobTitle',
  'department', 'companyName', 'officeLocation', 'streetAddress', 'city', 'state', 'postalCode', 'country',
  'businessPhones', 'mobilePhone', 'faxNumber', 'employeeId', 'employeeType', 'otherMails', 'description',
  'securityEnabled', 'mailEnabled', 'onPremisesImmutableId', 'onPremisesExtensionAttributes', 'passwordPolicies',
]);

/**
 * Why a domain's settings are not written: "Only verified domains can be updated"
 * (docs/graph-facts.md S68); a domain created by a restore waits for its DNS verification, which
 * manual:domainVerification asks for, and its archived settings are set after it.
 */
function unverifiedDomainReason(type: string, live: DirObject | undefined, changes: readonly AttributeChange[]): string | undefined {
  if (!awaitsVerification(type, live)) return undefined;
  const values = changes.map((c) => `${c.property} ${JSON.stringify(c.archived ?? null)}`).join(', ');
  return `not verified in the target, and Graph updates only verified domains: once it is verified (manual:domainVerification), set ${values} (an attributes restore of the domain)`;
}

/** Types whose PATCH must carry the object's `@odata.type` (docs/graph-facts.md S250, S373, S388). */
const NAMES_ITS_KIND: ReadonlySet<string> = new Set(['authenticationEventListener', 'authenticationEventsFlow', 'authenticationMethodConfiguration']);

/** What the later phases need from the fixpoint. */
export interface Resolved {
  /** Archived id → opId that makes it exist (restore, create, or the PIM schedule covering it). */
  producer: Map<string, string>;
  /** Reference resolution against the target and this plan's producers. */
  rc: RefContext;
}

/** Update body for the given changed properties (values in the target's terms). */
function updateBody(desc: ResourceDescriptor, changes: AttributeChange[]): JsonObject {
  const body: JsonObject = {};
  for (const c of changes) body[c.property] = c.archived ?? null;
  if (desc.type === 'conditionalAccessPolicy') body['state'] = CA_REPORT_ONLY;
  // a policy's questions are PUT without the ids Graph set in the lost tenant (./entitlement.ts)
  if (desc.type === 'accessPackageAssignmentPolicy' && Array.isArray(body['questions'])) body['questions'] = withoutQuestionIds(body['questions']) ?? [];
  if (desc.type === 'accessPackageAssignmentPolicy' && Array.isArray(body['customExtensionStageSettings'])) body['customExtensionStageSettings'] = reducedStageSettings(body['customExtensionStageSettings']) ?? [];
  return body;
}

/**
 * Writable changes an update may carry: not create-only, not synced-from-on-premises
 * (for synced objects), restricted to `only` when given.
 */
function writableChanges(ctx: PlanContext, desc: ResourceDescriptor, obj: DirObject, changes: AttributeChange[], only?: Set<string>): AttributeChange[] {
  const synced = isOnPremisesSynced(obj);
  return changes.filter((c) => {
    if (only && !only.has(c.property)) return false;
    if (c.property === 'state' && desc.type === 'conditionalAccessPolicy') return true;
    if (!isWritable(desc, c.property) || c.property === '@odata.type') return false;
    if (synced && SYNCED_ATTRIBUTES.has(c.property)) return false;
    // Graph derives a service principal's names from its application's appId and
    // identifier URIs (docs/graph-facts.md §3): writing the archived ones back would put the
    // old appId into a recreated app's principal.
    if (desc.type === 'servicePrincipal' && c.property === 'servicePrincipalNames') return false;
    // Same rule as on create: a mail address on a domain the target has not verified is
    // not written (it waits for the domain-verification manual step).
    if (desc.type === 'user' && c.property === 'mail' && typeof c.archived === 'string' && ctx.match.domainMap.has(upnDomain(c.archived))) {
      ctx.warnings.push(`user ${oneLine(displayNameOf(obj))}: mail on unverified domain ${upnDomain(c.archived)} not written`);
      return false;
    }
    if (desc.createOnly.includes(c.property)) {
      ctx.warnings.push(`${desc.title} ${oneLine(displayNameOf(obj))}: ${c.property} differs but can only be set on create`);
      return false;
    }
    return true;
  });
}

/** Top-level properties of `obj` holding a reference to an object this plan recreates with a new id. */
function propsReferencingCreated(desc: ResourceDescriptor, obj: JsonObject, rc: RefContext, creates: Set<string>): string[] {
  const r = resolveBody(desc, obj, rc);
  const props = new Set<string>();
  for (const s of r.refs) {
    if (!creates.has(s.archivedTargetId)) continue;
    const k = s.at[0] === '$name' ? s.at[1] : s.at[0];
    if (typeof k === 'string') props.add(k);
  }
  return [...props].sort(cmp);
}

/** Rebuilds archived id → producing opId from the candidates not blocked. */
function refreshProducers(c: Candidates, producer: Map<string, string>): void {
  producer.clear();
  for (const cand of c.cands.values()) if (!cand.blocked && cand.kind !== 'update') producer.set(cand.archivedId, cand.opId);
  for (const [covered, sched] of c.coveredBy) {
    const s = c.cands.get(sched);
    if (s && !s.blocked) producer.set(covered, s.opId);
  }
}

/** The update candidate for one archived object, or undefined when nothing is to be written. */
function updateFor(ctx: PlanContext, id: string, scope: PlanScope, rc: RefContext, createdIds: Set<string>, onlyAttrs: Set<string> | undefined): Candidate | undefined {
  const { type, obj } = ctx.archivedById.get(id) as ArchivedEntry;
  const desc = ctx.catalog.descriptor(type);
  const e = ctx.match.entries.get(id);
  if (!e) return undefined;
  if (type === 'roleDefinition' && obj['isBuiltIn'] === true) return undefined;
  // A first-party service principal: only the tenant's own settings are written (FIRST_PARTY_TENANT_PROPERTIES).
  const owned = (c: AttributeChange): boolean => isTenantOwned(type, obj, c.property);
  let base: DirObject | undefined;
  let after: string[] = [];
  if (e.state === 'live') base = e.live;
  else if (e.state === 'softDeleted' && !scope.attributes && ctx.preferRecycleBin) {
    base = e.deleted;
    after = [opIdFor('restoreDeleted', type, id)];
  }
  // a language of a flow this plan recreates: its pages are PUT once the flow exists (./user-flow-languages.ts)
  if (!base && type === 'userFlowLanguage') return languageOfNewFlow(ctx, desc, id, obj, rc.producer);
  // a flow this plan recreates: its attribute order is set once its assignments are back (./user-flow-order.ts)
  if (!base && type === 'b2xUserFlow') return withAssignmentOrder(ctx, desc, id, obj, undefined, undefined, rc.producer);
  if (!base) return undefined;
  let changes = writableChanges(ctx, desc, obj, compareObject(desc, obj, base, ctx.match), onlyAttrs).filter(owned);
  if (!scope.attributes) {
    const mapped = mapToLive(desc, obj, ctx.match);
    const extraProps = propsReferencingCreated(desc, mapped, rc, createdIds);
    const extra = [...new Set(extraProps)].filter((p) => !changes.some((c) => c.property === p));
    if (extra.length) {
      const more = extra.map((p): AttributeChange => ({ property: p, archived: mapped[p] ?? null, live: base?.[p] ?? null }));
      changes = writableChanges(ctx, desc, obj, [...changes, ...more].sort((a, b) => cmp(a.property, b.property)), onlyAttrs).filter(owned);
    }
  }
  // a language: its pages are PUT, its isEnabled only reported (./user-flow-languages.ts)
  if (type === 'userFlowLanguage') return languageUpdate(ctx, desc, id, obj, base, changes);
  if (changes.length === 0) return type === 'b2xUserFlow' ? withAssignmentOrder(ctx, desc, id, obj, base, undefined, rc.producer) : undefined;
  // Graph cannot write these (./devices.ts): reported as skipped with a manual step, never PATCHed
  const readOnly = readOnlyUpdateReason(type, changes) ?? mtoUpdateReason(type, changes.length) ?? orgContactUpdateReason(type, changes) ?? profileCardUpdateReason(type, changes)
    ?? undocumentedUpdateReason(desc, changes) ?? unverifiedDomainReason(type, base, changes);
  if (readOnly) {
    ctx.skip(id, readOnly);
    // a user flow's attribute order is written by its own action all the same (./user-flow-order.ts)
    return type === 'b2xUserFlow' ? withAssignmentOrder(ctx, desc, id, obj, base, undefined, rc.producer) : undefined;
  }
  const c: Candidate = {
    opId: opIdFor('update', type, id), kind: 'update', type, archivedId: id, tier: desc.tier,
    body: updateBody(desc, changes), changes, after,
  };
  // a branding's images ride along and are PUT apart (src/restore/execute/branding-streams.ts)
  const streams = STREAM_TYPES.has(type) ? obj[STREAMS_KEY] : undefined;
  if (streams) c.body![STREAMS_KEY] = streams;
  const parent = parentOf(ctx, desc, obj);
  if (parent) c.parent = parent;
  // a listener's, a sign-up events flow's and an authentication method configuration's PATCH must
  // name its kind (docs/graph-facts.md S250, S373, S388)
  if (NAMES_ITS_KIND.has(type) && typeof obj['@odata.type'] === 'string') c.body!['@odata.type'] = obj['@odata.type'];
  if (type === 'b2xUserFlow') return withAssignmentOrder(ctx, desc, id, obj, base, c, rc.producer);
  return c;
}

/**
 * Tenant policies whose top-level properties are separate settings (inbound and outbound B2B,
 * trust, consent; the methods policy's registration campaign beside its other settings): one can
 * keep its live value while the others are restored, and no mix of them grants more than either
 * state did. Not an authentication method configuration (its state without its targets would
 * switch a method on for everyone), a review (a new scope with the old reviewers), a workflow or a
 * CA policy (report-only instead).
 */
const INDEPENDENT_SETTINGS: ReadonlySet<ResourceType> = new Set(['crossTenantAccessPolicyDefault', 'crossTenantAccessPolicyPartner', 'authenticationMethodsPolicy']);

/**
 * Takes the top-level properties holding `required` out of an update's body (and its changes),
 * when its type's settings are independent and the body has other properties to write: the
 * update then writes those, and the properties taken out keep their live value, as a blocked
 * update would have left them. Never for a create (its object would lack what it names) or when
 * nothing else is left. Returns whether it did.
 */
function withholdBlocked(cand: Candidate, required: readonly OpenRef[]): boolean {
  if (cand.kind !== 'update' || !cand.body || !INDEPENDENT_SETTINGS.has(cand.type)) return false;
  if (required.some((u) => typeof u.at[0] !== 'string')) return false;
  const props = new Set(required.map((u) => u.at[0] as string));
  const rest = Object.keys(cand.body).filter((k) => !k.startsWith('@') && !props.has(k));
  if (rest.length === 0) return false;
  for (const p of props) delete cand.body[p];
  if (cand.changes) cand.changes = cand.changes.filter((c) => !props.has(c.property));
  cand.withheld = [...(cand.withheld ?? []), ...required];
  return true;
}

/**
 * Adds the update candidates to `c.cands`, then blocks (marks `blocked`) every candidate
 * with an unresolvable required reference (CA policies excepted: they stay report-only)
 * and every create whose parent neither exists nor is produced, until a fixpoint.
 */
export function resolveCandidates(ctx: PlanContext, c: Candidates, scope: PlanScope, selection: RestoreSelection | undefined): Resolved {
  const { match, catalog } = ctx;
  const onlyAttrs = scope.attributes && selection?.attributes?.length ? new Set(selection.attributes) : undefined;
  const createdIds = new Set([...c.cands.values()].filter((x) => x.kind === 'create').map((x) => x.archivedId));
  const producer = new Map<string, string>();
  const rc: RefContext = { match, producer, ...ctx.refIdx };
  refreshProducers(c, producer);
  for (const id of c.ordered) {
    const u = updateFor(ctx, id, scope, rc, createdIds, onlyAttrs);
    if (u) c.cands.set(u.opId, u);
  }
  for (const r of relinkCandidates(ctx, scope, rc, createdIds)) c.cands.set(r.opId, r);
  const parentAvailable = (p: string): boolean => {
    const e = match.entries.get(p);
    if (e?.state === 'live') return true;
    if (!e && match.liveById.has(p)) return true;
    return producer.has(p);
  };
  for (let round = 0; round <= c.cands.size; round++) {
    let changed = false;
    for (const cand of sortedCandidates(c.cands)) {
      // read once: a create candidate's body is parsed anew at each read (./candidate-body.ts)
      const body = cand.blocked ? undefined : cand.body;
      if (!body) continue;
      const r = resolveBody(catalog.descriptor(cand.type), body, rc);
      const required = !isCA(cand.type) && r.unresolved.some((u) => u.required);
      const orphan = cand.kind === 'create' && cand.parent !== undefined && !parentAvailable(cand.parent);
      // an update writes what it can: a property naming what cannot be resolved keeps its live value
      if (required && !orphan && withholdBlocked(cand, r.unresolved.filter((u) => u.required))) {
        changed = true;
        continue;
      }
      if (required || orphan) {
        cand.blocked = true;
        changed = true;
      }
    }
    if (!changed) break;
    refreshProducers(c, producer);
  }
  return { producer, rc };
}
