/**
 * The planner (DESIGN.md "Restore"): a PURE function (archive, live state, scenario) →
 * Plan. No I/O, no clock, no randomness: the same input gives a deep-equal plan.
 * Operations form a DAG sorted topologically and stably (tier, catalog type order,
 * archived id). Tier 0 brings Global Administrators back first; CA policies are
 * written report-only and enabled by a separate op only when every reference resolves
 * (RELIABILITY 22); references are remapped or reported, never silently dropped.
 */
import type { ResourceDescriptor, ResourceType, RestoreTier } from '../../catalog/types.js';
import type { DirObject, Json, JsonObject, Relation, TenantData } from '../../model.js';
import type {
  AttributeChange,
  LiveState,
  Operation,
  Plan,
  RestoreSelection,
  ScenarioName,
  UnresolvedRef,
} from '../types.js';
import { compareObject, diffRelations, displayNameOf, mapToLive, matchTenant, type TenantMatch } from '../diff.js';
import {
  CA_REPORT_ONLY,
  GLOBAL_ADMIN_TEMPLATE,
  isNeverCreated,
  isDynamicGroup,
  isOnPremisesSynced,
  isWritable,
  parentIdOf,
  parseExtensionName,
  upnDomain,
  defaultPlannerCatalog,
  type PlannerCatalog,
} from '../catalog.js';
import { findGlobalAdmins } from './admins.js';
import { cmp, removeAt, type JsonPath } from '../json.js';
import { manualSteps } from './manual.js';
import { orderOperations } from './order.js';
import { makeSplitter } from './split.js';
import { buildRefIndexes, resolveBody, type OpenRef, type RefContext } from './refs.js';
import { closeSelection, referencedIds } from './scope.js';

export interface BuildPlanInput {
  archive: TenantData;
  archiveMeta: Plan['archive'];
  live: LiveState;
  scenario: ScenarioName;
  selection?: RestoreSelection;
  options?: { breakGlassUpn?: string; preferRecycleBin?: boolean };
  /** The catalog to plan with (tests inject one); default: src/catalog. */
  catalog?: PlannerCatalog;
}

/**
 * Attributes mastered on-premises for synced users and groups: directory sync owns
 * them and Graph rejects changes (DESIGN.md "Graph emulator"), so only the cloud-only
 * rest is re-applied.
 */
const SYNCED_ATTRIBUTES = new Set([
  'accountEnabled', 'displayName', 'givenName', 'surname', 'userPrincipalName', 'mail', 'mailNickname', 'jobTitle',
  'department', 'companyName', 'officeLocation', 'streetAddress', 'city', 'state', 'postalCode', 'country',
  'businessPhones', 'mobilePhone', 'faxNumber', 'employeeId', 'employeeType', 'otherMails', 'description',
  'securityEnabled', 'mailEnabled', 'onPremisesImmutableId', 'onPremisesExtensionAttributes', 'passwordPolicies',
]);

const BREAK_GLASS_OP = 'bootstrap:breakGlassAdmin';
const VERIFY_OP = 'verify';

type CandKind = 'create' | 'update' | 'restoreDeleted';

interface Candidate {
  opId: string;
  kind: CandKind;
  type: ResourceType;
  archivedId: string;
  tier: RestoreTier;
  /** create/update: the body before reference resolution (values in the target's terms where known). */
  body?: JsonObject;
  changes?: AttributeChange[];
  parent?: string;
  /** ops this one must follow regardless of references (update after restore). */
  after: string[];
  blocked?: boolean;
}

function opIdFor(kind: CandKind, type: ResourceType, id: string): string {
  return `${kind === 'restoreDeleted' ? 'restore' : kind}:${type}:${id}`;
}

/** One-line, control-character-free text for labels (display names may hold newlines). */
export function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : '?'));
}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
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
function pairPimAssignments(cands: Map<string, Candidate>, archivedById: Map<string, { type: ResourceType; obj: DirObject }>): Map<string, string> {
  const schedules = new Map<string, Candidate>();
  for (const c of [...cands.values()].sort((a, b) => cmp(a.opId, b.opId))) {
    if (c.kind !== 'create' || c.type !== 'roleAssignmentSchedule') continue;
    const k = grantKey((archivedById.get(c.archivedId) as { obj: DirObject }).obj);
    if (k && !schedules.has(k)) schedules.set(k, c);
  }
  const covered = new Map<string, string>();
  for (const c of [...cands.values()].sort((a, b) => cmp(a.opId, b.opId))) {
    if (c.kind !== 'create' || c.type !== 'roleAssignment') continue;
    const k = grantKey((archivedById.get(c.archivedId) as { obj: DirObject }).obj);
    const s = k ? schedules.get(k) : undefined;
    if (!s || k === undefined) continue;
    schedules.delete(k);
    if (c.tier < s.tier) s.tier = c.tier;
    cands.delete(c.opId);
    covered.set(c.archivedId, s.opId);
  }
  return covered;
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
  if (desc.type === 'user') {
    const mail = str(body['mail']);
    if (mail && domainMap.has(upnDomain(mail))) {
      delete body['mail'];
      warn(`user ${oneLine(displayNameOf(mapped as DirObject))}: mail on unverified domain ${upnDomain(mail)} omitted`);
    }
  }
  if (desc.type === 'extensionProperty') {
    // POST takes the short name; Graph prefixes extension_<appId>_ itself.
    const ext = parseExtensionName(str(body['name']) ?? '');
    if (ext) body['name'] = ext.short;
  }
  if (desc.type === 'conditionalAccessPolicy') body['state'] = CA_REPORT_ONLY;
  return body;
}

interface Ctx {
  catalog: PlannerCatalog;
  archive: TenantData;
  live: LiveState;
  match: TenantMatch;
  refIdx: Omit<RefContext, 'match' | 'producer'>;
  archivedById: Map<string, { type: ResourceType; obj: DirObject }>;
  warnings: string[];
  preferRecycleBin: boolean;
}

/** The parent of a contained object: explicit field, the reference to the parent type, or the app an extension name embeds. */
function parentOf(ctx: Ctx, desc: ResourceDescriptor, obj: DirObject): string | undefined {
  if (!desc.parentType) return undefined;
  if (desc.shape === 'singleton') {
    // organizationalBranding under the organization: the only archived parent.
    const parents = ctx.archive.objects[desc.parentType] ?? [];
    return parents.length === 1 ? (parents[0] as DirObject).id : undefined;
  }
  if (desc.shape !== 'contained') return undefined;
  const explicit = parentIdOf(obj);
  if (explicit) return explicit;
  for (const r of desc.references) {
    if (r.by === 'id' && r.targets.length === 1 && r.targets[0] === desc.parentType && !r.path.includes('.')) {
      const v = str(obj[r.path]);
      if (v) return v;
    }
  }
  if (desc.type === 'extensionProperty') {
    const ext = parseExtensionName(str(obj['name']) ?? '');
    const app = ext ? ctx.refIdx.appByHex.get(ext.appIdHex) : undefined;
    if (app) return app.id;
  }
  return undefined;
}

/** Update body for the given changed properties (values in the target's terms). */
function updateBody(desc: ResourceDescriptor, changes: AttributeChange[]): JsonObject {
  const body: JsonObject = {};
  for (const c of changes) body[c.property] = c.archived ?? null;
  if (desc.type === 'conditionalAccessPolicy') body['state'] = CA_REPORT_ONLY;
  return body;
}

/**
 * Writable changes an update may carry: not create-only, not synced-from-on-premises
 * (for synced objects), restricted to `only` when given.
 */
function writableChanges(ctx: Ctx, desc: ResourceDescriptor, obj: DirObject, changes: AttributeChange[], only?: Set<string>): AttributeChange[] {
  const synced = isOnPremisesSynced(obj);
  return changes.filter((c) => {
    if (only && !only.has(c.property)) return false;
    if (c.property === 'state' && desc.type === 'conditionalAccessPolicy') return true;
    if (!isWritable(desc, c.property) || c.property === '@odata.type') return false;
    if (synced && SYNCED_ATTRIBUTES.has(c.property)) return false;
    // Graph derives a service principal's names from its application's appId and
    // identifier URIs (GRAPH-FACTS.md §3): writing the archived ones back would put the
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

/**
 * Build the restore plan. Pure and deterministic.
 * @throws Error only on a planner bug (an unbreakable dependency cycle); never VaultError,
 *   never I/O. Blocked operations are reported in `unresolved`, not thrown.
 */
export function buildPlan(input: BuildPlanInput): Plan {
  const catalog = input.catalog ?? defaultPlannerCatalog;
  const { archive, live, scenario } = input;
  const match = matchTenant(catalog, archive, live);
  const refIdx = buildRefIndexes(archive.objects, live.objects);
  const archivedById = new Map<string, { type: ResourceType; obj: DirObject }>();
  for (const t of catalog.types) for (const o of archive.objects[t] ?? []) archivedById.set(o.id, { type: t, obj: o });
  const ctx: Ctx = {
    catalog,
    archive,
    live,
    match,
    refIdx,
    archivedById,
    warnings: [],
    preferRecycleBin: input.options?.preferRecycleBin ?? true,
  };
  const typeIndex = new Map(catalog.types.map((t, i) => [t, i]));
  const nameOf = (id: string): string => {
    const a = archivedById.get(id);
    return a ? oneLine(displayNameOf(a.obj)) : id;
  };
  /** Assignments and grants are named by what they connect, not by their opaque ids. */
  const describe = (type: ResourceType, id: string): string => {
    const o = archivedById.get(id)?.obj;
    if (!o) return id;
    const ref = (k: string): string => {
      const v = str(o[k]);
      return v === undefined ? '?' : archivedById.has(v) ? nameOf(v) : v;
    };
    if (type === 'roleAssignment' || type === 'roleEligibilitySchedule' || type === 'roleAssignmentSchedule') {
      const def = str(o['roleDefinitionId']) ?? '?';
      const role = def === GLOBAL_ADMIN_TEMPLATE ? 'Global Administrator' : archivedById.has(def) ? nameOf(def) : def;
      const scope = str(o['directoryScopeId']);
      return `${role} → ${ref('principalId')}${scope && scope !== '/' ? ` (scope ${scope})` : ''}`;
    }
    if (type === 'appRoleAssignment') return `${ref('principalId')} → ${ref('resourceId')}`;
    if (type === 'oauth2PermissionGrant') return `${ref('clientId')} → ${ref('resourceId')}`;
    return nameOf(id);
  };
  const skipped: NonNullable<Plan['skipped']> = [];
  const skip = (id: string, reason: string): void => {
    const a = archivedById.get(id);
    if (a) skipped.push({ archivedId: id, type: a.type, displayName: nameOf(id), reason });
  };

  // ---- scope -------------------------------------------------------------------------
  let scope: Set<string>;
  let included: Plan['included'];
  const attributes = scenario === 'attributes';
  if (scenario === 'objects' || attributes) {
    const selected = input.selection?.objectIds ?? [];
    if (selected.length === 0) ctx.warnings.push(`scenario ${scenario}: no objects selected`);
    if (attributes) {
      scope = new Set(selected.filter((id) => archivedById.has(id)));
      for (const id of selected) if (!archivedById.has(id)) ctx.warnings.push(`selected id ${id} is not in the archive`);
    } else {
      const deps = (id: string): string[] => {
        const a = archivedById.get(id) as { type: ResourceType; obj: DirObject };
        return referencedIds(catalog, a.type, a.obj, refIdx, match, parentOf(ctx, catalog.descriptor(a.type), a.obj));
      };
      const closed = closeSelection(selected, deps, match, nameOf);
      scope = closed.ids;
      included = closed.included;
      for (const id of closed.unknown) ctx.warnings.push(`selected id ${id} is not in the archive`);
    }
  } else {
    scope = new Set(archivedById.keys());
  }

  // ---- bootstrap admins (tier 0) -----------------------------------------------------
  const bootstrap = scenario === 'tenant-loss' || scenario === 'all-admins-deleted';
  const admins = bootstrap ? findGlobalAdmins(archive) : undefined;
  const tier0 = new Set<string>(admins ? [...admins.users, ...admins.groups, ...admins.assignments.map((a) => a.id)] : []);

  // ---- candidates: restore / create ----------------------------------------------------
  const cands = new Map<string, Candidate>();
  const syncedMissing: DirObject[] = [];
  const onlyAttrs = attributes && input.selection?.attributes?.length ? new Set(input.selection.attributes) : undefined;
  const ordered = [...scope].sort((a, b) => {
    const ta = typeIndex.get((archivedById.get(a) as { type: ResourceType }).type) as number;
    const tb = typeIndex.get((archivedById.get(b) as { type: ResourceType }).type) as number;
    return ta - tb || cmp(a, b);
  });
  for (const id of ordered) {
    const { type, obj } = archivedById.get(id) as { type: ResourceType; obj: DirObject };
    const desc = catalog.descriptor(type);
    const e = match.entries.get(id);
    if (!e) continue;
    const tier: RestoreTier = tier0.has(id) ? 0 : desc.tier;
    if (attributes) {
      if (e.state !== 'live') skip(id, e.state === 'softDeleted' ? 'in the recycle bin: restore the object first (objects scenario)' : 'missing in the target: an attributes restore does not create objects');
      continue;
    }
    const missing = e.state === 'missing' || (e.state === 'softDeleted' && !ctx.preferRecycleBin);
    if (e.state === 'softDeleted' && ctx.preferRecycleBin) {
      // Recycle bin first: restoring keeps the id and everything attached (RELIABILITY 18, GRAPH-FACTS §4).
      const opId = opIdFor('restoreDeleted', type, id);
      cands.set(opId, { opId, kind: 'restoreDeleted', type, archivedId: id, tier, after: [] });
    } else if (missing) {
      if (isNeverCreated(desc, obj)) {
        if (!(type === 'roleDefinition' && obj['isBuiltIn'] === true)) {
          ctx.warnings.push(`${desc.title} ${nameOf(id)} is not in the target and cannot be created; nothing planned`);
          skip(id, 'cannot be created through Graph');
        }
        continue;
      }
      if (isOnPremisesSynced(obj)) {
        syncedMissing.push(obj);
        skip(id, 'synced from on-premises AD: directory sync brings it back');
        continue;
      }
      const opId = opIdFor('create', type, id);
      const body = createBody(desc, mapToLive(desc, obj, match), match.domainMap, (w) => ctx.warnings.push(w));
      const c: Candidate = { opId, kind: 'create', type, archivedId: id, tier, body, after: [] };
      const parent = parentOf(ctx, desc, obj);
      if (parent) c.parent = parent;
      cands.set(opId, c);
    }
  }
  // One grant, one write: an active PIM assignment schedule and the role assignment it
  // grants are one thing in Entra — the adminAssign schedule request creates both
  // (GRAPH-FACTS.md §3 "unifiedRoleAssignment"). The schedule request carries the
  // schedule (permanent or time-bound), so it is the op kept; the paired assignment
  // gets no write of its own (a second POST would conflict) and is `covers` of it.
  const coveredBy = pairPimAssignments(cands, archivedById);
  const createdIds = new Set([...cands.values()].filter((c) => c.kind === 'create').map((c) => c.archivedId));

  // ---- fixpoint: resolve references, block what cannot be written --------------------
  const producer = new Map<string, string>();
  const rc: RefContext = { match, producer, ...refIdx };
  const refreshProducers = (): void => {
    producer.clear();
    for (const c of cands.values()) if (!c.blocked && c.kind !== 'update') producer.set(c.archivedId, c.opId);
    for (const [covered, sched] of coveredBy) {
      const c = cands.get(sched);
      if (c && !c.blocked) producer.set(covered, c.opId);
    }
  };
  refreshProducers();
  // Updates: changed live objects, objects restored from the recycle bin that differ, and
  // objects whose references point at something this plan recreates with a new id.
  const addUpdates = (): void => {
    for (const c of [...cands.values()]) if (c.kind === 'update') cands.delete(c.opId);
    for (const id of ordered) {
      const { type, obj } = archivedById.get(id) as { type: ResourceType; obj: DirObject };
      const desc = catalog.descriptor(type);
      const e = match.entries.get(id);
      if (!e) continue;
      if (type === 'roleDefinition' && obj['isBuiltIn'] === true) continue;
      let base: DirObject | undefined;
      let after: string[] = [];
      if (e.state === 'live') base = e.live;
      else if (e.state === 'softDeleted' && !attributes && ctx.preferRecycleBin) {
        base = e.deleted;
        after = [opIdFor('restoreDeleted', type, id)];
      }
      if (!base) continue;
      let changes = writableChanges(ctx, desc, obj, compareObject(desc, obj, base, match), onlyAttrs);
      if (!attributes) {
        const mapped = mapToLive(desc, obj, match);
        const extraProps = propsReferencingCreated(desc, mapped, rc, createdIds);
        if (type === 'conditionalAccessPolicy' && e.state === 'softDeleted') {
          // A policy coming back from deletedItems returns in its old state: if any of its
          // references cannot be resolved it must be switched to report-only (RELIABILITY 22).
          for (const u of resolveBody(desc, mapped, rc).unresolved) if (typeof u.at[0] === 'string') extraProps.push(u.at[0]);
        }
        const extra = [...new Set(extraProps)].filter((p) => !changes.some((c) => c.property === p));
        if (extra.length) {
          const more = extra.map((p): AttributeChange => ({ property: p, archived: mapped[p] ?? null, live: base?.[p] ?? null }));
          changes = writableChanges(ctx, desc, obj, [...changes, ...more].sort((a, b) => cmp(a.property, b.property)), onlyAttrs);
        }
      }
      if (changes.length === 0) continue;
      const opId = opIdFor('update', type, id);
      const parent = parentOf(ctx, desc, obj);
      const c: Candidate = {
        opId, kind: 'update', type, archivedId: id, tier: desc.tier,
        body: updateBody(desc, changes), changes, after,
      };
      if (parent) c.parent = parent;
      cands.set(opId, c);
    }
  };
  const isCA = (t: ResourceType): boolean => t === 'conditionalAccessPolicy';
  const parentAvailable = (p: string): boolean => {
    const e = match.entries.get(p);
    if (e?.state === 'live') return true;
    if (!e && match.liveById.has(p)) return true;
    return producer.has(p);
  };
  addUpdates();
  for (let round = 0; round <= cands.size; round++) {
    let changed = false;
    for (const c of [...cands.values()].sort((a, b) => cmp(a.opId, b.opId))) {
      if (c.blocked || !c.body) continue;
      const desc = catalog.descriptor(c.type);
      const r = resolveBody(desc, c.body, rc);
      const required = !isCA(c.type) && r.unresolved.some((u) => u.required);
      const orphan = c.kind === 'create' && c.parent !== undefined && !parentAvailable(c.parent);
      if (required || orphan) {
        c.blocked = true;
        changed = true;
      }
    }
    if (!changed) break;
    refreshProducers();
  }

  // ---- finalize candidates into operations -------------------------------------------
  const ops: Operation[] = [];
  const unresolved: UnresolvedRef[] = [];
  const reportOnly: Plan['reportOnly'] = [];
  const enableFor: { caOpId: string; archivedId: string; deps: string[] }[] = [];
  const label = (verb: string, type: ResourceType, id: string): string => `${verb} ${catalog.descriptor(type).title} ${describe(type, id)}`;
  const unresolvedOf = (c: Candidate, refs: OpenRef[], effect: UnresolvedRef['effect']): void => {
    for (const u of refs) unresolved.push({ opId: c.opId, type: c.type, archivedId: c.archivedId, path: u.path, value: u.value, effect });
  };
  for (const c of [...cands.values()].sort((a, b) => cmp(a.opId, b.opId))) {
    const desc = catalog.descriptor(c.type);
    if (c.blocked) {
      const r = c.body ? resolveBody(desc, c.body, rc) : undefined;
      const req = r?.unresolved.filter((u) => u.required) ?? [];
      if (req.length) unresolvedOf(c, req, 'blocked');
      else if (c.parent) unresolvedOf(c, [{ at: [], path: '(parent)', value: c.parent, required: true }], 'blocked');
      const first = req[0];
      const why = first
        ? `blocked: required reference ${first.path} → ${nameOf(first.value)} is neither in the target nor restored by this plan${syncedMissing.some((o) => o.id === first.value) ? ' (synced from on-premises: directory sync brings it back, then plan again)' : ''}`
        : c.parent ? `blocked: its parent ${nameOf(c.parent)} is not restored` : `blocked: a required reference cannot be resolved (${c.kind})`;
      skip(c.archivedId, why);
      for (const [cov, sched] of coveredBy) if (sched === c.opId) skip(cov, why);
      continue;
    }
    if (c.kind === 'restoreDeleted') {
      const deletedId = c.archivedId;
      ops.push({ opId: c.opId, kind: 'restoreDeleted', tier: c.tier, dependsOn: [], label: label('Restore', c.type, c.archivedId), type: c.type, archivedId: c.archivedId, deletedId });
      continue;
    }
    let body = c.body as JsonObject;
    let r = resolveBody(desc, body, rc);
    if (r.unresolved.length) {
      const ca = isCA(c.type);
      unresolvedOf(c, r.unresolved, ca ? 'keptReportOnly' : 'dropped');
      if (ca) {
        reportOnly.push({
          archivedId: c.archivedId,
          displayName: nameOf(c.archivedId),
          reason: `${r.unresolved.length} unresolved reference(s): ${r.unresolved.slice(0, 3).map((u) => `${u.path}=${u.value}`).join(', ')}${r.unresolved.length > 3 ? ', …' : ''}`,
        });
      } else {
        ctx.warnings.push(`${desc.title} ${nameOf(c.archivedId)}: dropped unresolved optional reference(s) ${r.unresolved.map((u) => u.path).join(', ')}`);
      }
      // Unresolvable values are taken out of the body (a report-only CA policy enforces nothing).
      body = JSON.parse(JSON.stringify(body)) as JsonObject;
      const paths: JsonPath[] = r.unresolved.map((u) => u.at);
      const renamed = paths.filter((p) => p.length === 1);
      removeAt(body, paths.filter((p) => p.length !== 1));
      for (const p of renamed) delete body[p[0] as string];
      r = resolveBody(desc, body, rc);
    }
    const deps = new Set<string>([...r.deps, ...c.after]);
    if (c.kind === 'create' && c.parent) {
      const p = producer.get(c.parent);
      if (p) deps.add(p);
    }
    if (c.kind === 'update') {
      const own = producer.get(c.archivedId);
      if (own) deps.add(own);
    }
    deps.delete(c.opId);
    const dependsOn = [...deps].sort(cmp);
    if (c.kind === 'create') {
      const op: Extract<Operation, { kind: 'create' }> = {
        opId: c.opId, kind: 'create', tier: c.tier, dependsOn, label: label('Create', c.type, c.archivedId),
        type: c.type, archivedId: c.archivedId, body: r.body, refs: r.refs,
      };
      if (c.parent) op.parentArchivedId = c.parent;
      const nk = desc.naturalKey.find((k) => !k.includes('+') && !k.includes('.') && typeof r.body[k] === 'string');
      if (nk) op.naturalKey = { property: nk, value: r.body[nk] as string };
      if (c.type === 'user') op.needsPassword = true;
      const covers = [...coveredBy].filter(([, sched]) => sched === c.opId).map(([cov]) => cov).sort(cmp);
      if (covers.length) op.covers = covers.map((archivedId) => ({ type: 'roleAssignment' as const, archivedId }));
      ops.push(op);
    } else {
      const op: Extract<Operation, { kind: 'update' }> = {
        opId: c.opId, kind: 'update', tier: c.tier, dependsOn, label: label('Update', c.type, c.archivedId),
        type: c.type, archivedId: c.archivedId, changes: c.changes ?? [], body: r.body, refs: r.refs,
      };
      if (c.parent) op.parentArchivedId = c.parent;
      ops.push(op);
    }
    if (isCA(c.type) && r.unresolved.length === 0 && !unresolved.some((u) => u.opId === c.opId)) {
      enableFor.push({ caOpId: c.opId, archivedId: c.archivedId, deps: dependsOn });
    }
  }
  // A CA policy with any op carrying an unresolved reference is never enabled.
  const keptReportOnly = new Set(reportOnly.map((x) => x.archivedId));
  const caOps = new Map<string, string[]>();
  for (const e of enableFor) caOps.set(e.archivedId, [...(caOps.get(e.archivedId) ?? []), e.caOpId, ...e.deps]);
  for (const [archivedId, deps] of [...caOps].sort((a, b) => cmp(a[0], b[0]))) {
    if (keptReportOnly.has(archivedId)) continue;
    const archived = (archivedById.get(archivedId) as { obj: DirObject }).obj;
    const state = archived['state'];
    if (state !== 'enabled' && state !== 'disabled') continue;
    // Every op that creates/restores something the policy references, and the policy's own ops.
    const restore = producer.get(archivedId);
    const all = new Set(deps);
    if (restore) all.add(restore);
    ops.push({
      opId: `enable:conditionalAccessPolicy:${archivedId}`, kind: 'enableConditionalAccess', tier: 4,
      dependsOn: [...all].sort(cmp), label: `Switch CA policy ${nameOf(archivedId)} to ${state}`, archivedId, state,
    });
  }

  // ---- relations ---------------------------------------------------------------------
  const pausedDynamic: DirObject[] = [];
  if (!attributes) {
    const available = (id: string): { ok: boolean; dep?: string } => {
      const e = match.entries.get(id);
      if (e?.state === 'live') return { ok: true };
      const p = producer.get(id);
      if (p) return { ok: true, dep: p };
      if (!e && match.liveById.has(id)) return { ok: true };
      return { ok: false };
    };
    pausedDynamic.length = 0;
    const bootstrapEdges = new Set((admins?.memberships ?? []).map((e) => `${e.kind}|${e.from}|${e.to}`));
    for (const rd of diffRelations(archive, live, match)) {
      if (rd.status !== 'missing') continue;
      const e: Relation = rd.edge;
      if (scenario === 'objects' && !scope.has(e.from) && !scope.has(e.to)) continue;
      const fromType = catalog.relation(e.kind)?.fromType ?? archivedById.get(e.from)?.type ?? 'group';
      const opId = `add:${e.kind}:${e.from}:${e.to}`;
      if (e.kind === 'groupMembers' && isDynamicGroup(archivedById.get(e.from)?.obj)) {
        // Entra maintains a dynamic group's members from its rule and refuses manual
        // $ref writes (GRAPH-FACTS.md §3 "Groups"): no op; a paused rule is a manual step.
        const g = archivedById.get(e.from)?.obj as DirObject;
        if (g['membershipRuleProcessingState'] === 'Paused' && !pausedDynamic.some((x) => x.id === g.id)) pausedDynamic.push(g);
        continue;
      }
      if (e.kind === 'groupOwners' && archivedById.get(e.from)?.obj['isAssignableToRole'] === true && producer.has(e.from)) {
        // GRAPH-FACTS.md §3: a role-assignable group can't have an owner.
        ctx.warnings.push(`owner ${nameOf(e.to)} of role-assignable group ${nameOf(e.from)} not restored (such groups get no owners)`);
        continue;
      }
      const f = available(e.from);
      const t = available(e.to);
      if (!f.ok || !t.ok) {
        const bad = !f.ok ? e.from : e.to;
        unresolved.push({ opId, type: fromType, archivedId: e.from, path: e.kind, value: bad, effect: 'blocked' });
        continue;
      }
      const deps = [f.dep, t.dep].filter((d): d is string => d !== undefined);
      ops.push({
        opId, kind: 'addRelation', tier: bootstrapEdges.has(`${e.kind}|${e.from}|${e.to}`) ? 0 : 3,
        dependsOn: [...new Set(deps)].sort(cmp), label: `Add ${e.kind} ${nameOf(e.from)} → ${nameOf(e.to)}`,
        relation: e.kind, from: e.from, to: e.to, toType: e.toType,
      });
    }
  }

  // ---- break-glass ---------------------------------------------------------------------
  if (admins) {
    const comesBack = admins.users.some((u) => {
      const e = match.entries.get(u);
      if (e?.state === 'softDeleted') return ctx.preferRecycleBin;
      if (e?.state !== 'live') return false;
      // A disabled admin is no way in (GRAPH-FACTS.md §7) unless this plan re-enables it.
      const willEnable = e.archived['accountEnabled'] === true && !isOnPremisesSynced(e.archived);
      return e.live?.['accountEnabled'] !== false || willEnable;
    });
    if (!comesBack) {
      const upn = input.options?.breakGlassUpn ?? `entra-vault-breakglass@${live.initialDomain}`;
      ops.push({
        opId: BREAK_GLASS_OP, kind: 'createBreakGlassAdmin', tier: 0, dependsOn: [],
        label: `Create emergency-access Global Administrator ${upn}`, userPrincipalName: upn,
        displayName: 'Emergency access (entra-vault)',
      });
      ctx.warnings.push('no archived Global Administrator can come back with its credentials: an emergency-access account is created');
    }
  }
  ops.push({ opId: VERIFY_OP, kind: 'verify', tier: 5, dependsOn: [], label: 'Verify: diff the target against the archive again' });

  // ---- tier-0 ops must not wait for later tiers: move such references to a follow-up ----
  const byId = new Map(ops.map((o) => [o.opId, o]));
  const split = makeSplitter({ catalog, producer, taken: byId, nameOf });
  let staged: Operation[] = [];
  for (const op of ops) {
    if (op.tier === 0 && op.kind === 'create') {
      const late = new Set(op.dependsOn.filter((d) => (byId.get(d)?.tier ?? 0) !== 0));
      const parts = late.size ? split(op, late) : undefined;
      if (parts) {
        staged.push(...parts);
        continue;
      }
    }
    staged.push(op);
  }
  staged = orderOperations(
    staged,
    (o) => {
      const t = o.kind === 'addRelation' ? (catalog.relation(o.relation)?.fromType ?? 'group') : 'type' in o ? o.type : o.kind === 'enableConditionalAccess' ? 'conditionalAccessPolicy' : undefined;
      const sortId = o.kind === 'addRelation' ? `${o.from}|${o.to}` : 'archivedId' in o ? o.archivedId : '';
      return { typeIndex: o.kind === 'createBreakGlassAdmin' ? -1 : t ? (typeIndex.get(t) ?? 999) : 999, sortId };
    },
    split,
  );
  // Verify runs last whatever the sort made of it.
  const verify = staged.filter((o) => o.kind === 'verify');
  staged = [...staged.filter((o) => o.kind !== 'verify'), ...verify];

  // ---- maps, manual steps ------------------------------------------------------------
  const idMap: Record<string, string> = {};
  for (const [a, l] of [...match.idMap].sort((x, y) => cmp(x[0], y[0]))) idMap[a] = l;
  const appIdMap: Record<string, string> = {};
  for (const [a, l] of [...match.appIdMap].sort((x, y) => cmp(x[0], y[0]))) appIdMap[a] = l;
  const usedDomains = new Set<string>();
  for (const o of staged) {
    if ((o.kind === 'create' || o.kind === 'update') && o.type === 'user') {
      const archivedUpn = str(archivedById.get(o.archivedId)?.obj['userPrincipalName']);
      if (archivedUpn && typeof o.body['userPrincipalName'] === 'string') usedDomains.add(upnDomain(archivedUpn));
    }
  }
  const domainMap: Record<string, string> = {};
  for (const [d, t] of match.domainMap) if (usedDomains.has(d)) domainMap[d] = t;
  const archivedObjs = new Map([...archivedById].map(([k, v]) => [k, v.obj]));
  const steps = manualSteps({ operations: staged, archivedById: archivedObjs, domainMap, syncedMissing, reportOnly, pausedDynamicGroups: pausedDynamic });
  reportOnly.sort((a, b) => cmp(a.archivedId, b.archivedId));
  unresolved.sort((a, b) => cmp(a.opId, b.opId) || cmp(a.path, b.path) || cmp(a.value, b.value));

  const plan: Plan = {
    formatVersion: 1,
    scenario,
    archive: { ...input.archiveMeta },
    target: { tenantId: live.tenantId, initialDomain: live.initialDomain },
    operations: staged,
    idMap,
    appIdMap,
    domainMap,
    unresolved,
    manualSteps: steps,
    reportOnly,
    warnings: [...new Set(ctx.warnings)],
  };
  if (included && included.length) plan.included = included;
  if (skipped.length) plan.skipped = skipped.sort((a, b) => cmp(a.archivedId, b.archivedId));
  return plan;
}
