/**
 * What every planning phase shares (src/restore/plan/planner.ts runs them in order): the
 * catalog view, the archive indexed by id, the match against the target, reference
 * indexes, and how objects are named in labels, warnings and skip reasons. Building the
 * context reads its input only; the phases add to `warnings` and `skipped` in a fixed
 * order so the plan stays deterministic. Pure.
 */
import type { ResourceDescriptor, ResourceType, RestoreTier } from '../../catalog/types.js';
import type { DirObject, Json, JsonObject, TenantData } from '../../model.js';
import type { AttributeChange, LiveState, Operation, Plan } from '../types.js';
import { displayNameOf, matchTenant, type TenantMatch } from '../diff.js';
import { GLOBAL_ADMIN_TEMPLATE, parentIdOf, parseExtensionName, type PlannerCatalog } from '../catalog.js';
import { cmp } from '../json.js';
import { buildRefIndexes, type OpenRef, type RefContext } from './refs.js';
import { visibleText } from '../../text.js';

export interface ArchivedEntry {
  type: ResourceType;
  obj: DirObject;
}

/** The planning state shared by the phases. */
export interface PlanContext {
  catalog: PlannerCatalog;
  archive: TenantData;
  live: LiveState;
  match: TenantMatch;
  refIdx: Omit<RefContext, 'match' | 'producer'>;
  archivedById: Map<string, ArchivedEntry>;
  /** Catalog position of each type: the tie-break order within a tier. */
  typeIndex: Map<ResourceType, number>;
  /** Appended to in phase order; the plan keeps the first of each distinct warning. */
  warnings: string[];
  /** Objects the plan does not restore, with why; sorted when the plan is assembled. */
  skipped: NonNullable<Plan['skipped']>;
  /**
   * Live objects outside an `objects` selection that still name a selected object the plan
   * recreates with a new id, where no write can re-link them (./relink.ts): listed in a manual step.
   */
  relinkByHand: RelinkByHand[];
  preferRecycleBin: boolean;
  /**
   * Set once the archived users were let go of (./release.ts): per user, the properties whose
   * archived values embed the archived tenant (absent: none), for ./embed.ts `tenantRewriteWarnings`.
   */
  releasedUsers?: Map<string, readonly string[]>;
  /** One-line display name of an archived object (its id when it is not archived). */
  nameOf(id: string): string;
  /** Assignments and grants are named by what they connect, not by their opaque ids. */
  describe(type: ResourceType, id: string): string;
  /** Records an archived object as skipped (ids not in the archive are ignored). */
  skip(id: string, reason: string): void;
  /**
   * The archived objects in id order, sorted once when first asked (the `objects` scenario's
   * scope and re-linking phases each walk them all in that order, so the plan does not depend
   * on the input's order).
   */
  inIdOrder(): readonly (readonly [string, ArchivedEntry])[];
}

/** A live object's reference to a recreated object that the plan cannot re-link (./relink.ts). */
export interface RelinkByHand {
  archivedId: string;
  type: ResourceType;
  /** The property holding the reference (dotted, with indices). */
  path: string;
  /** The recreated object it names. */
  targetId: string;
}

/**
 * True when the plan gives archived object `id` a new object, with a new id: missing in the target,
 * or in its recycle bin when the plan does not take from the bin (`preferRecycleBin` false).
 */
export function isRecreated(ctx: Pick<PlanContext, 'match' | 'preferRecycleBin'>, id: string): boolean {
  const state = ctx.match.entries.get(id)?.state;
  return state === 'missing' || (state === 'softDeleted' && !ctx.preferRecycleBin);
}

export type CandKind = 'create' | 'update' | 'restoreDeleted';

/** An operation before references are resolved and dependencies computed. */
export interface Candidate {
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
  /**
   * An update's required references that cannot be resolved, whose top-level properties were
   * taken out of its body so the rest is still written (./updates.ts `withholdBlocked`).
   */
  withheld?: OpenRef[];
  /** An out-of-scope live object's reference-only update (./relink.ts): keeps its live state. */
  relink?: boolean;
}

export function opIdFor(kind: CandKind, type: ResourceType, id: string): string {
  return `${kind === 'restoreDeleted' ? 'restore' : kind}:${type}:${id}`;
}

/** One-line, control-character-free text for labels (display names may hold newlines). */
export function oneLine(s: string): string {
  return visibleText(s);
}

export function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Conditional-access policies: unresolved references keep them report-only instead of blocking them. */
export function isCA(t: ResourceType): boolean {
  return t === 'conditionalAccessPolicy';
}

/** Candidates in opId order: every phase walks them in this order so the plan is deterministic. */
export function sortedCandidates(cands: Map<string, Candidate>): Candidate[] {
  return [...cands.values()].sort((a, b) => cmp(a.opId, b.opId));
}

/** Matches the archive against the target and indexes both; nothing is decided yet. */
export function createContext(
  catalog: PlannerCatalog,
  archive: TenantData,
  live: LiveState,
  preferRecycleBin: boolean,
): PlanContext {
  const match = matchTenant(catalog, archive, live);
  const refIdx = buildRefIndexes(archive.objects, live.objects);
  const archivedById = new Map<string, ArchivedEntry>();
  // Graph's ids are unique across directory objects, not across every type (a user flow's
  // attribute assignment is named by its attribute, a locale by its language): two archived
  // objects of different types with one id would shadow each other here, so say which
  const shared: string[] = [];
  for (const t of catalog.types) {
    for (const o of archive.objects[t] ?? []) {
      const prior = archivedById.get(o.id);
      if (prior && prior.type !== t) shared.push(`Archived ${prior.type} and ${t} share the id ${o.id}: references to it resolve to the ${prior.type}; check both after the restore`);
      else archivedById.set(o.id, { type: t, obj: o });
    }
  }
  const nameOf = (id: string): string => {
    const a = archivedById.get(id);
    return a ? oneLine(displayNameOf(a.obj)) : id;
  };
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
    // PIM for Groups: 'Sales (member) → Bob' (./pim-groups.ts)
    if (type === 'pimGroupEligibilitySchedule' || type === 'pimGroupAssignmentSchedule') return `${ref('groupId')} (${str(o['accessId']) ?? '?'}) → ${ref('principalId')}`;
    // a PIM policy is named by its role (every policy's own displayName is 'DirectoryRole')
    if (type === 'roleManagementPolicy') {
      const role = str((archive.objects.roleManagementPolicyAssignment ?? []).find((a) => a['policyId'] === id)?.['roleDefinitionId']);
      if (role !== undefined) return `of ${archivedById.has(role) ? nameOf(role) : role}`;
    }
    // a PIM for Groups policy: 'of Sales (member)' (./group-policies.ts)
    if (type === 'pimGroupPolicy' || type === 'pimGroupPolicyAssignment') {
      const a = type === 'pimGroupPolicy' ? (archive.objects.pimGroupPolicyAssignment ?? []).find((x) => x['policyId'] === id) : o;
      const g = str(a?.['scopeId']);
      if (g !== undefined) return `of ${archivedById.has(g) ? nameOf(g) : g} (${str(a?.['roleDefinitionId']) ?? '?'})`;
    }
    if (type === 'oauth2PermissionGrant') return `${ref('clientId')} → ${ref('resourceId')}`;
    // a package's resource role: 'Member (Member_<groupId>) → Sales tools' (./entitlement-resources.ts)
    if (type === 'accessPackageResourceRoleScope') {
      const role = (o['role'] ?? {}) as Record<string, Json>;
      const pkg = typeof o['@parentId'] === 'string' ? nameOf(o['@parentId']) : '?';
      return `${str(role['displayName']) ?? '?'} (${str(role['originId']) ?? '?'}) → ${pkg}`;
    }
    return nameOf(id);
  };
  const skipped: NonNullable<Plan['skipped']> = [];
  const skip = (id: string, reason: string): void => {
    const a = archivedById.get(id);
    if (a) skipped.push({ archivedId: id, type: a.type, displayName: nameOf(id), reason });
  };
  let ordered: [string, ArchivedEntry][] | undefined;
  return {
    catalog,
    archive,
    live,
    match,
    refIdx,
    archivedById,
    inIdOrder: () => (ordered ??= [...archivedById.entries()].sort((x, y) => cmp(x[0], y[0]))),
    typeIndex: new Map(catalog.types.map((t, i) => [t, i])),
    warnings: shared,
    skipped,
    relinkByHand: [],
    preferRecycleBin,
    nameOf,
    describe,
    skip,
  };
}

/** The parent of a contained object: explicit field, the reference to the parent type, or the app an extension name embeds. */
export function parentOf(ctx: PlanContext, desc: ResourceDescriptor, obj: DirObject): string | undefined {
  if (!desc.parentType) return undefined;
  if (desc.shape === 'singleton') {
    // one under each parent (a partner's identity synchronization): the parent the backup recorded
    if (desc.type === 'crossTenantIdentitySyncPolicyPartner') return parentIdOf(obj);
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

/** The archived objects of `type` the plan creates, in id order (what a manual step lists). */
export function createdArchived(ops: readonly Operation[], archivedById: ReadonlyMap<string, DirObject>, type: ResourceType): DirObject[] {
  return ops
    .filter((op): op is Extract<Operation, { kind: 'create' }> => op.kind === 'create' && op.type === type)
    .map((op) => archivedById.get(op.archivedId))
    .filter((o): o is DirObject => o !== undefined)
    .sort((a, b) => cmp(a.id, b.id));
}
