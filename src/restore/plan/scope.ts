/**
 * Which archived objects a scenario restores. `objects`: the selection plus the
 * transitive dependencies it needs (referenced objects and parents not present in the
 * target), and the grants that hang off what is restored (its app role assignments, role
 * assignments and eligibilities, scoped role memberships, delegated grants: issue 11 item 5),
 * each reported. Memberships and ownerships with one end in scope are relations
 * (./relations.ts). Pure.
 */
import type { ResourceType } from '../../catalog/types.js';
import type { DirObject, JsonObject } from '../../model.js';
import type { Plan, RestoreSelection, ScenarioName } from '../types.js';
import type { TenantMatch } from '../diff.js';
import { idsInText, parseExtensionName, referenceRules, type PlannerCatalog } from '../catalog.js';
import { cmp, findValues } from '../json.js';
import { isRecreated, parentOf, type ArchivedEntry, type PlanContext } from './context.js';
import type { RefContext } from './refs.js';
import { addPackageDependents, addSubjectAssignments } from './entitlement.js';
import { addCatalogDependents } from './entitlement-resources.js';

/** The archived object ids an object refers to (references, extension names, parent). */
export function referencedIds(
  catalog: PlannerCatalog,
  type: ResourceType,
  obj: DirObject,
  ctx: Pick<RefContext, 'appByAppId' | 'spByAppId' | 'appByHex' | 'extensionByName'>,
  match: TenantMatch,
  parent: string | undefined,
): string[] {
  const out = new Set<string>();
  if (parent) out.add(parent);
  for (const rule of referenceRules(catalog.descriptor(type))) {
    if (rule.by === 'extensionName') {
      for (const key of Object.keys(obj)) {
        const ext = parseExtensionName(key);
        const app = ext ? ctx.appByHex.get(ext.appIdHex) : undefined;
        if (app) out.add(app.id);
        const prop = ctx.extensionByName.get(key);
        if (prop) out.add(prop.id);
      }
      continue;
    }
    for (const f of findValues(obj as JsonObject, rule.path)) {
      if (rule.specialValues?.includes(f.value)) continue;
      if (rule.by === 'appId') {
        const app = rule.targets.includes('application') ? ctx.appByAppId.get(f.value) : undefined;
        const sp = type !== 'servicePrincipal' ? ctx.spByAppId.get(f.value) : undefined;
        const hit = app ?? sp;
        if (hit) out.add(hit.id);
        continue;
      }
      let id = f.value;
      if (rule.by === 'directoryScope') {
        if (id === '/') continue;
        id = id.replace(/^\/administrativeUnits\//, '').replace(/^\//, '');
      }
      if (rule.by === 'idInText') {
        // a list of ids (a workflow task's cc, S270) names each of them
        for (const inner of idsInText(rule, id)) if (match.entries.has(inner)) out.add(inner);
        continue;
      }
      if (match.entries.has(id)) out.add(id);
    }
  }
  out.delete(obj.id);
  return [...out].sort(cmp);
}

export interface ScopeResult {
  ids: Set<string>;
  included: { archivedId: string; type: ResourceType; displayName: string; requiredBy: string }[];
  unknown: string[];
}

/**
 * Close a selection over its dependencies: an object referenced by a selected one is
 * added when the target does not have it (missing or soft-deleted).
 */
export function closeSelection(
  selected: readonly string[],
  deps: (id: string) => string[],
  match: TenantMatch,
  nameOf: (id: string) => string,
): ScopeResult {
  const ids = new Set<string>();
  const included: ScopeResult['included'] = [];
  const unknown: string[] = [];
  const queue: string[] = [];
  for (const id of [...new Set(selected)].sort(cmp)) {
    if (!match.entries.has(id)) unknown.push(id);
    else if (!ids.has(id)) {
      ids.add(id);
      queue.push(id);
    }
  }
  while (queue.length) {
    const id = queue.shift() as string;
    for (const d of deps(id)) {
      const e = match.entries.get(d);
      if (!e || ids.has(d) || e.state === 'live') continue;
      ids.add(d);
      queue.push(d);
      included.push({ archivedId: d, type: e.type, displayName: nameOf(d), requiredBy: id });
    }
  }
  return { ids, included, unknown };
}

/** The planner's scope phase: which archived ids the scenario restores. */
export interface PlanScope {
  ids: Set<string>;
  /** `objects`: dependencies added to the selection, each with the object that needs it. */
  included?: Plan['included'];
  /** The `attributes` scenario: updates of live objects only, nothing created. */
  attributes: boolean;
}

/**
 * Whole-tenant scenarios take every archived object; `attributes` the selected archived
 * ids as they are; `objects` the selection closed over its missing dependencies.
 * Warns (in `ctx.warnings`) about an empty selection and ids not in the archive.
 */
export function selectScope(ctx: PlanContext, scenario: ScenarioName, selection: RestoreSelection | undefined): PlanScope {
  const attributes = scenario === 'attributes';
  if (scenario !== 'objects' && !attributes) return { ids: new Set(ctx.archivedById.keys()), attributes };
  const selected = selection?.objectIds ?? [];
  if (selected.length === 0) ctx.warnings.push(`scenario ${scenario}: no objects selected`);
  if (attributes) {
    const ids = new Set(selected.filter((id) => ctx.archivedById.has(id)));
    for (const id of selected) if (!ctx.archivedById.has(id)) ctx.warnings.push(`selected id ${id} is not in the archive`);
    return { ids, attributes };
  }
  const deps = (id: string): string[] => {
    const a = ctx.archivedById.get(id) as ArchivedEntry;
    return referencedIds(ctx.catalog, a.type, a.obj, ctx.refIdx, ctx.match, parentOf(ctx, ctx.catalog.descriptor(a.type), a.obj));
  };
  const closed = closeSelection(selected, deps, ctx.match, ctx.nameOf);
  for (const id of closed.unknown) ctx.warnings.push(`selected id ${id} is not in the archive`);
  addDependents(ctx, closed, deps);
  addPackageDependents(ctx, closed, (ids) => closeSelection(ids, deps, ctx.match, ctx.nameOf));
  addCatalogDependents(ctx, closed, (ids) => closeSelection(ids, deps, ctx.match, ctx.nameOf));
  addSubjectAssignments(ctx, closed);
  addRecreatedChildren(ctx, closed);
  return { ids: closed.ids, included: closed.included, attributes };
}

/**
 * A selected object the plan recreates brings the archived objects contained in it (an app's
 * extension properties and federated credentials): they went with it, and values of its
 * extension attributes on other objects cannot be written before the new app declares them
 * (src/restore/plan/relink.ts). One restored from the recycle bin brings its own back with it.
 */
function addRecreatedChildren(ctx: PlanContext, closed: ScopeResult): void {
  for (const [id, a] of ctx.inIdOrder()) {
    if (closed.ids.has(id)) continue;
    const desc = ctx.catalog.descriptor(a.type);
    if (desc.shape !== 'contained') continue;
    const parent = parentOf(ctx, desc, a.obj);
    if (parent === undefined || !closed.ids.has(parent) || !isRecreated(ctx, parent)) continue;
    if (ctx.match.entries.get(id)?.state === 'live') continue;
    closed.ids.add(id);
    closed.included.push({ archivedId: id, type: a.type, displayName: ctx.nameOf(id), requiredBy: parent });
  }
}

/**
 * Types that exist only for the objects they name (a grant of a role, an app role, a scope):
 * restoring a group without its app role assignment leaves its members without access. A
 * recreated custom role brings its PIM policy assignment, and through it the policy whose
 * rules are patched after the role's create (./role-policies.ts).
 */
const DEPENDENT_TYPES: ReadonlySet<ResourceType> = new Set<ResourceType>([
  'appRoleAssignment', 'oauth2PermissionGrant', 'roleAssignment', 'roleAssignmentSchedule', 'roleEligibilitySchedule', 'scopedRoleMembership',
  'roleManagementPolicyAssignment',
  // a restored group's (or principal's) PIM for Groups eligibility and active assignments
  'pimGroupEligibilitySchedule', 'pimGroupAssignmentSchedule',
  // a restored group's PIM for Groups settings (its policy assignment names the policy)
  'pimGroupPolicyAssignment',
  // a recreated API's delegated permission classifications, a recreated consent policy's condition sets
  'delegatedPermissionClassification', 'permissionGrantPolicyInclude', 'permissionGrantPolicyExclude',
  // a recreated Microsoft 365 group's own settings (Group.Unified.Guest)
  'groupSpecificSetting',
]);

/**
 * Adds to `closed` every archived dependent object (DEPENDENT_TYPES) the target lacks that
 * names something in scope, with what it needs in turn, until nothing changes. Each is listed
 * in `included` with the in-scope object that brought it.
 */
function addDependents(ctx: PlanContext, closed: ScopeResult, deps: (id: string) => string[]): void {
  const candidates = [...ctx.archivedById.entries()]
    .filter(([id, a]) => DEPENDENT_TYPES.has(a.type) && ctx.match.entries.get(id)?.state !== 'live')
    .map(([id]) => id)
    .sort(cmp);
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of candidates) {
      if (closed.ids.has(id)) continue;
      const refs = deps(id);
      const by = refs.find((r) => closed.ids.has(r));
      if (!by) continue;
      const more = closeSelection([id], deps, ctx.match, ctx.nameOf);
      for (const x of more.ids) closed.ids.add(x);
      const e = ctx.match.entries.get(id);
      closed.included.push({ archivedId: id, type: e?.type ?? ctx.archivedById.get(id)!.type, displayName: ctx.nameOf(id), requiredBy: by });
      for (const inc of more.included) if (!closed.included.some((c) => c.archivedId === inc.archivedId)) closed.included.push(inc);
      changed = true;
    }
  }
}
