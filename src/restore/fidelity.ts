/**
 * Post-restore verification (docs/design.md "Verify", tier 5): the archive is matched again
 * against a fresh read of the target — by id, natural key or on-premises anchor through
 * the diff's matcher, never by trusting the executor's id map — and fidelity is stated
 * per type: objects, writable attributes (compared after id remapping) and relations,
 * with every deviation and its reason.
 */
import { awaitsVerification } from './domains.js';
import { catalog as productCatalog, descriptor, relationDescriptor } from '../catalog/index.js';
import type { RelationKind, ResourceDescriptor, ResourceType } from '../catalog/types.js';
import type { DirObject, Relation, TenantData } from '../model.js';
import { Interner } from '../intern.js';
import { memMark } from '../mem-probe.js';
import { columnEdges, relationKindsFrom, visitRelations, type EdgeLists } from './relation-diff.js';
import { archivedObjectDiff, matchTenant, objectDiffsWithKeysOf, type MatchEntry, type TenantMatch } from './diff.js';
import type { LiveUsers } from './compact-users.js';
import { cmp } from './json.js';
import { TIME_BOUND_STEP_ID } from './plan/timebound.js';
import { ASSIGNMENT_STARTS_STEP_ID, packageGrantedEdges } from './plan/entitlement.js';
import { BETA_SETTINGS_STEP_ID } from './plan/beta.js';
import { RELINK_STEP_ID } from './plan/relink.js';
import type { ExecutionResult } from './execute/executor.js';
import { unrunOf } from './execute/outcomes-aside.js';
import { withNext } from './execute/context.js';
import { isCompared, isMicrosoftBuiltIn, isRuleMembership, isOnPremisesSynced, isTenantOwned, upnDomain, type PlannerCatalog } from './catalog.js';
import { EXCHANGE_EDGE_REASON, isExchangeGroup } from './plan/exchange.js';
import { isBuiltInProfileSource } from './plan/profile-sources.js';
import type { LiveState, ObjectDiff, Plan, RestoreSelection } from './types.js';
import { objectDeviation, type Deviation } from './deviation.js';

export interface TypeFidelity {
  type: ResourceType;
  objectsExpected: number;
  objectsRestored: number;
  attributesExpected: number;
  attributesMatching: number;
}

export interface RelationFidelity {
  kind: RelationKind;
  expected: number;
  restored: number;
}

export { deviationText, type Deviation } from './deviation.js';

export interface FidelityReport {
  types: TypeFidelity[];
  relations: RelationFidelity[];
  totals: { objectsExpected: number; objectsRestored: number; attributesExpected: number; attributesMatching: number; relationsExpected: number; relationsRestored: number };
  deviations: Deviation[];
}

/** The product catalog in the shape the diff expects. */
export const plannerCatalog: PlannerCatalog = {
  descriptor,
  types: productCatalog.map((d) => d.type),
  relation: (k) => {
    try {
      return relationDescriptor(k);
    } catch {
      return undefined;
    }
  },
};

/**
 * True when every archived service principal name missing live embeds the archived appId
 * (`<appId>`, `api://<appId>`): those Graph derives from the application, so a recreated
 * application's new appId replaces them. A custom name missing live is a real deviation.
 */
function onlyAppIdNamesDiffer(change: { archived: unknown; live: unknown } | undefined, archivedAppId: unknown): boolean {
  if (!change || typeof archivedAppId !== 'string' || archivedAppId === '') return false;
  const live = new Set(Array.isArray(change.live) ? change.live.map(String) : []);
  const archived = Array.isArray(change.archived) ? change.archived.map(String) : [];
  return archived.filter((n) => !live.has(n)).every((n) => n.toLowerCase().includes(archivedAppId.toLowerCase()));
}

/** How reasons key an edge: its kind and its archived ends (a plan's addRelation op, an archived edge). */
function edgeKey(kind: RelationKind, from: string, to: string): string {
  return `${kind}:${from}:${to}`;
}

/** What the verify reads of an unresolved reference of the plan. */
type UnresolvedNote = Pick<Plan['unresolved'][number], 'path' | 'value' | 'effect'>;

/**
 * Why something was not restored, from the plan and the run (the run's word is used for
 * *why*, never for *whether*). Indexed by archived id: deviations are looked up once
 * each, and a manual step (say, passwords for every created user) can list tens of
 * thousands of objects.
 */
class Reasons {
  /** covered archived id → the archived id of the create whose write also creates it (a PIM schedule request) */
  private readonly coveredBy = new Map<string, string>();
  /** archived id (or `relation:from:to`) → why its op did not succeed */
  readonly failedBy = new Map<string, string>();
  private readonly manualFor = new Map<string, Plan['manualSteps'][number]>();
  private readonly skippedFor = new Map<string, string>();
  /**
   * archived id → path → the first unresolved reference of that path (what `for` reads of it).
   * Only the first per path can be the first match of any property, and a copy of three fields
   * lets the plan's own entries go (a 100k-user plan has about 230,000, one per blocked edge,
   * each with its op id: about 40 MiB at the verify's peak; issue 17 item 1). One note alone, or a
   * list in plan order, not a Map per id: at 100k users about 62,000 ids have notes, nearly all one,
   * and a Map each was 21 MiB of the verify's heap (a snapshot at `verify:fidelity`).
   */
  private readonly unresolvedFor = new Map<string, UnresolvedNote | UnresolvedNote[]>();
  readonly reportOnlyFor: Map<string, Plan['reportOnly'][number]>;
  /**
   * One copy of each reason text: a template makes a new string per deviation, and a 100k-user
   * tenant-loss restore reports about 330,000 deviations; an object's or an attribute's reason is
   * one of a few thousand, an edge's explanation one per missing end (issue 17 item 1).
   */
  private readonly texts = new Interner();

  constructor(plan: Plan, result: ExecutionResult | undefined) {
    // Only the ops that did not succeed need their archived key: a 100k-user plan has about
    // 262,000 relation ops, and a key string for each was tens of MiB (issue 17 item 1).
    const unrun = result ? unrunOf(result) : [];
    const bad = new Set<string>([...(result?.failures ?? []).map((f) => f.opId), ...unrun.map((o) => o.opId)]);
    const keyOfBad = new Map<string, string>();
    for (const op of plan.operations) {
      if (op.kind === 'create') for (const c of op.covers ?? []) this.coveredBy.set(c.archivedId, op.archivedId);
      if (!bad.has(op.opId)) continue;
      if ('archivedId' in op) keyOfBad.set(op.opId, op.archivedId);
      if (op.kind === 'addRelation') keyOfBad.set(op.opId, edgeKey(op.relation, op.from, op.to));
    }
    // a failure's reason replaces an earlier one for the same object; an unrun op explains only what no failure does
    for (const f of result?.failures ?? []) {
      const a = keyOfBad.get(f.opId);
      if (a) this.failedBy.set(a, `operation failed: ${f.code} ${withNext(f)}`);
    }
    for (const o of unrun) {
      const a = keyOfBad.get(o.opId);
      if (a && !this.failedBy.has(a)) this.failedBy.set(a, o.outcome === 'skipped' ? 'not run: a dependency failed' : 'not run: the restore was paused');
    }
    for (const m of plan.manualSteps) {
      // review steps (every group whose memberships are written; settings the archive lacks; the starts of assignments requested again) explain no absence
      if (m.id === TIME_BOUND_STEP_ID || m.id === BETA_SETTINGS_STEP_ID || m.id === ASSIGNMENT_STARTS_STEP_ID) continue;
      for (const id of m.objects) if (!this.manualFor.has(id)) this.manualFor.set(id, m);
    }
    for (const x of plan.skipped ?? []) if (!this.skippedFor.has(x.archivedId)) this.skippedFor.set(x.archivedId, x.reason);
    for (const u of plan.unresolved) {
      const had = this.unresolvedFor.get(u.archivedId);
      // a note only for a path not seen yet: a group's blocked edges share one path
      if (had !== undefined && (Array.isArray(had) ? had.some((x) => x.path === u.path) : had.path === u.path)) continue;
      const note: UnresolvedNote = { path: u.path, value: u.value, effect: u.effect };
      if (had === undefined) this.unresolvedFor.set(u.archivedId, note);
      else if (Array.isArray(had)) had.push(note);
      else this.unresolvedFor.set(u.archivedId, [had, note]);
    }
    this.reportOnlyFor = new Map(plan.reportOnly.map((r) => [r.archivedId, r] as const));
  }

  /** The first manual step naming `archivedId` (review steps excepted). */
  stepNaming(archivedId: string): Plan['manualSteps'][number] | undefined {
    return this.manualFor.get(archivedId);
  }

  /** The held copy of a reason text equal to `s`. */
  text(s: string): string {
    return this.texts.str(s);
  }

  /** The first unresolved reference of `archivedId` inside `property` (any, without one), in plan order. */
  private firstUnresolved(archivedId: string, property: string | undefined): UnresolvedNote | undefined {
    const had = this.unresolvedFor.get(archivedId);
    for (const u of had === undefined ? [] : Array.isArray(had) ? had : [had]) {
      if (property === undefined || u.path === property || u.path.startsWith(`${property}.`) || u.path.startsWith(`${property}[`)) return u;
    }
    return undefined;
  }

  /** The reason an archived object (or, with `property`, one of its attributes) is not as archived. */
  for(archivedId: string, onPrem?: boolean, manualExplains = true, property?: string): string {
    // A failed or unrun write is never explained away by a manual step or a plan note.
    const cov = this.coveredBy.get(archivedId);
    const failed = this.failedBy.get(archivedId) ?? (cov !== undefined ? this.failedBy.get(cov) : undefined);
    if (failed) return failed;
    const manual = manualExplains ? this.manualFor.get(archivedId) : undefined;
    if (manual) return `manual step: ${manual.title}`;
    const skipped = this.skippedFor.get(archivedId);
    if (skipped !== undefined) return `not restorable: ${skipped}`;
    // for an attribute, only an unresolved reference inside that attribute explains it
    const un = this.firstUnresolved(archivedId, property);
    if (un) return `unresolved reference ${un.path} → ${un.value} (${un.effect === 'propertyKept' ? 'not written: the property keeps its value in the target' : un.effect})`;
    if (onPrem) return 'synced from on-premises AD: directory sync restores it';
    return 'no operation in the plan restored it';
  }
}

interface Scope {
  objectIds?: Set<string>;
  attributes?: Set<string>;
}

function inScope(scope: Scope, id: string | undefined): boolean {
  return !scope.objectIds || (id !== undefined && scope.objectIds.has(id));
}

/**
 * Why one attribute differs. An attribute is explained by a failure, a plan note or a
 * property-specific rule, never by an unrelated manual step that merely lists the same
 * object.
 */
function attributeReason(o: ObjectDiff, p: string, entry: MatchEntry | undefined, desc: ResourceDescriptor, match: TenantMatch, reasons: Reasons): string {
  let reason = reasons.for(o.archivedId as string, o.onPremisesSynced, false, p);
  const archivedValue = entry?.archived[p];
  if (o.type === 'user' && p === 'mail' && typeof archivedValue === 'string' && match.domainMap.has(upnDomain(archivedValue))) {
    reason = `on domain ${upnDomain(archivedValue)}, not verified in the target: verify it (manual step), then restore this attribute`;
  }
  if (desc.createOnly.includes(p)) reason = 'create-only property: cannot be changed on an existing object';
  const ro = reasons.reportOnlyFor.get(o.archivedId as string);
  // Graph derives a service principal's names from its application's appId and
  // identifier URIs; a recreated application has a new appId (docs/graph-facts.md §3).
  if (o.type === 'servicePrincipal' && p === 'servicePrincipalNames' && onlyAppIdNamesDiffer(o.changes?.find((c) => c.property === p), entry?.archived.appId)) {
    reason = 'derived by Graph from the recreated application\'s new appId';
  }
  // a domain's settings wait for its DNS verification: Graph updates only verified domains (docs/graph-facts.md S68)
  if (awaitsVerification(o.type, entry?.live) && !reason.startsWith('operation failed')) reason = 'not verified in the target, and Graph updates only verified domains: set it once the domain is verified (manual:domainVerification)';
  // v1.0 reads a user flow's languages but cannot write them (src/restore/plan/user-flow-languages.ts, docs/graph-facts.md S332)
  if (o.type === 'userFlowLanguage' && p === 'isEnabled') reason = 'not restorable: Graph v1.0 cannot switch a user flow language on or off (manual:userFlowLanguages)';
  // a live object outside the selection still naming a recreated object, which no write re-links (src/restore/plan/relink.ts)
  const step = reasons.stepNaming(o.archivedId as string);
  if (step?.id === RELINK_STEP_ID) reason = `manual step: ${step.title}`;
  if (o.type === 'conditionalAccessPolicy' && p === 'state') reason = ro ? `kept report-only: ${ro.reason}` : 'kept report-only until the operator enables conditional access';
  return reason;
}

/**
 * Objects and attributes per type, with a deviation for each object or attribute not as archived.
 * The diffs are made and counted one type at a time (./diff.ts objectDiffsWithKeysOf), never all held.
 * With `liveAfter` (computeFidelity `release`), each user's copies go as soon as it is counted
 * (`releaseUser`): nothing after a user's own count reads its archived or live object.
 * With `wholeUsers` (computeFidelity), the archive's users are slim and each is counted from its
 * whole copy as that is given; their extras count nothing (countObject), as in the sorted walk.
 */
function objectFidelity(
  cat: PlannerCatalog, archive: TenantData, types: readonly ResourceType[], match: TenantMatch, scope: Scope, reasons: Reasons, deviations: Deviation[],
  liveAfter?: LiveState, wholeUsers?: () => Iterable<DirObject>, liveUsers?: LiveUsers,
): TypeFidelity[] {
  const per = new Map<ResourceType, TypeFidelity>();
  const attrInScope = (p: string) => !scope.attributes || scope.attributes.has(p);
  for (const type of types) {
    // with `liveAfter` (a release), each user goes once counted: both lists are let go of first (releaseUsers)
    const release = liveAfter !== undefined && type === 'user';
    if (release) {
      delete liveAfter.objects.user;
      delete liveAfter.deleted.user;
      if (wholeUsers) delete archive.objects.user; // as `consume` does (./diff.ts): each goes once released
    }
    if (type === 'user' && liveUsers && !wholeUsers) {
      // the archive's users are whole, so they are compared as listed: each user read back made whole first, at once
      for (const e of match.entries.values()) if (e.type === 'user' && e.live) e.live = liveUsers.whole(e.live);
    }
    if (type === 'user' && wholeUsers) {
      const counted: Deviation[] = [];
      for (const a of wholeUsers()) {
        const entry = match.entries.get(a.id);
        if (!entry) throw new Error(`computeFidelity: user ${a.id} was not in the archive matched`);
        // the entry holds its user whole only while it is counted (attributeReason reads it)
        const slim = entry.archived;
        // the whole copy names the user with the slim copy's id string: parsed again, its own copy was
        // kept by every deviation and by the entry made slim again (about 100,000 ids at 100k users)
        entry.archived = Object.isFrozen(a) ? { ...a, id: slim.id } : Object.assign(a, { id: slim.id });
        // and the user read back whole while it is compared (src/restore/compact-users.ts): made slim again below
        const liveSlim = entry.live;
        if (liveSlim && liveUsers) entry.live = liveUsers.whole(liveSlim);
        const { diff, mappedKeys } = archivedObjectDiff(cat.descriptor(type), type, entry.archived, entry, match);
        countObject(diff, mappedKeys, cat, match, scope, attrInScope, per, reasons, counted);
        if (release) releaseUser(entry, match);
        else {
          entry.archived = slim;
          if (liveSlim) entry.live = liveSlim;
        }
      }
      // in archived id order, as objectDiffsWithKeysOf gives them (stable: one user's stay in their order)
      counted.sort((x, y) => cmp(x.archivedId as string, y.archivedId as string));
      for (const d of counted) deviations.push(d);
      continue;
    }
    for (const { diff: o, mappedKeys } of objectDiffsWithKeysOf(cat, archive, match, type, release)) {
      countObject(o, mappedKeys, cat, match, scope, attrInScope, per, reasons, deviations);
      const entry = release && o.archivedId !== undefined ? match.entries.get(o.archivedId) : undefined;
      if (entry) releaseUser(entry, match);
    }
  }
  return [...per.values()];
}

/** One object's counts and deviations (objectFidelity). */
function countObject(
  o: ObjectDiff,
  mappedKeys: string[] | undefined,
  cat: PlannerCatalog,
  match: TenantMatch,
  scope: Scope,
  attrInScope: (p: string) => boolean,
  per: Map<ResourceType, TypeFidelity>,
  reasons: Reasons,
  deviations: Deviation[],
): void {
  if (o.status === 'extra' || !inScope(scope, o.archivedId)) return;
  const entry = match.entries.get(o.archivedId as string);
  // Microsoft's built-ins are the target's own: one the target lacks is not a restore's to
  // make, and only their tenant-owned settings are compared (docs/graph-facts.md §3).
  const owned = (p: string): boolean => !entry || isTenantOwned(o.type, entry.archived, p);
  // Except the Entra ID profile source: its name, URL and labels are the tenant's, and a target
  // without one cannot hold them (nor a precedence naming it): reported (./plan/profile-sources.ts).
  if ((o.status === 'missing' || o.status === 'softDeleted') && entry && isMicrosoftBuiltIn(o.type, entry.archived) && !isBuiltInProfileSource(o.type, entry.archived)) return;
  let f = per.get(o.type);
  if (!f) per.set(o.type, (f = { type: o.type, objectsExpected: 0, objectsRestored: 0, attributesExpected: 0, attributesMatching: 0 }));
  f.objectsExpected++;
  if (o.status === 'missing' || o.status === 'softDeleted') {
    // a PIM policy's assignment is Entra's, made with the policy: it is missing for the policy's reason
    const of = policyOfAssignment(o.type, entry?.archived);
    const why = of !== undefined && match.entries.get(of)?.state !== 'live' ? reasons.for(of) : reasons.for(o.archivedId as string, o.onPremisesSynced);
    deviations.push(objectDeviation(o, o.status === 'missing' ? 'objectMissing' : 'objectSoftDeleted', reasons.text(why)));
    return;
  }
  f.objectsRestored++;
  const desc = cat.descriptor(o.type);
  const props = (mappedKeys ?? []).filter((p) => isCompared(desc, p) && attrInScope(p) && owned(p));
  const differing = new Set((o.changes ?? []).map((c) => c.property).filter((p) => attrInScope(p) && owned(p)));
  const expectedProps = new Set([...props, ...differing]);
  f.attributesExpected += expectedProps.size;
  f.attributesMatching += expectedProps.size - differing.size;
  for (const p of differing) {
    deviations.push(objectDeviation(o, 'attributeDiffers', reasons.text(attributeReason(o, p, entry, desc, match, reasons)), p));
  }
}

/** The archived policy a PIM policy assignment names (a restore never writes the assignment: Entra makes it with its policy). */
function policyOfAssignment(type: ResourceType, archived: DirObject | undefined): string | undefined {
  if (type !== 'pimGroupPolicyAssignment' && type !== 'roleManagementPolicyAssignment') return undefined;
  const p = archived?.['policyId'];
  return typeof p === 'string' ? p : undefined;
}

/** Relations per kind, with a deviation for each missing edge; walked edge by edge (./relation-diff.ts). */
function relationFidelity(
  archive: TenantData, edges: { archive: { relations: EdgeLists }; live: { relations: EdgeLists } }, kinds: ReadonlySet<RelationKind> | undefined,
  match: TenantMatch, scope: Scope, reasons: Reasons, deviations: Deviation[], release: boolean,
): RelationFidelity[] {
  const rel = new Map<RelationKind, RelationFidelity>();
  const granted = packageGrantedEdges(archive);
  // handed over (`release`): each kind's edges go once walked, with a memory mark every 100,000 (./relation-diff.ts visitRelations)
  visitRelations(edges.archive, edges.live, match.idMap, kinds, (kind, status, edge) => {
    if (status === 'extra') return;
    if (scope.objectIds && !inScope(scope, edge.from) && !inScope(scope, edge.to)) return;
    let x = rel.get(kind);
    if (!x) rel.set(kind, (x = { kind, expected: 0, restored: 0 }));
    x.expected++;
    if (status === 'equal') {
      x.restored++;
      return;
    }
    deviations.push({ what: 'relationMissing', relation: kind, archivedId: edge.from, to: edge.to, reason: reasons.text(missingEdgeReason(kind, edge, match, reasons, granted)) });
  }, { release, mark: 'verify:relations' });
  return [...rel.values()];
}

/** Why an archived edge is not in the target. */
function missingEdgeReason(kind: RelationKind, edge: Relation, match: TenantMatch, reasons: Reasons, granted: ReadonlyMap<string, string>): string {
  const k = edgeKey(kind, edge.from, edge.to);
  // A missing end explains the edge only as far as the end's own absence is explained.
  const gone = [edge.from, edge.to].find((id) => match.entries.get(id)?.state !== 'live');
  const fromObj = match.entries.get(edge.from)?.archived;
  const what = kind === 'groupMembers' ? 'dynamic group' : 'dynamic administrative unit';
  const dynamicReason = isRuleMembership(kind, fromObj)
    ? (fromObj?.['membershipRuleProcessingState'] === 'Paused'
      ? `${what} with rule processing paused: Entra refuses manual member changes (manual step: re-evaluate the rule)`
      : `${what}: Entra computes the members from the rule and the member does not match it`)
    : undefined;
  // Exchange manages a mail-enabled security group's or distribution list's members and owners (restore/plan/exchange.ts).
  const exchangeReason = (kind === 'groupMembers' || kind === 'groupOwners') && isExchangeGroup(fromObj) ? EXCHANGE_EDGE_REASON : undefined;
  // a membership an access package assignment gives is left to the assignment (restore/plan/entitlement.ts packageGrantedEdges)
  const by = granted.get(`${kind}|${edge.from}|${edge.to}`);
  const grantReason = by === undefined ? undefined : match.entries.get(by)?.state === 'live'
    ? `given by the access package assignment ${by}, which is back: Graph has not provisioned its package's group role`
    : `given by the access package assignment ${by} and left to it, which is not back: ${reasons.for(by)}`;
  return reasons.failedBy.get(k) ?? (gone ? undefined : dynamicReason ?? exchangeReason ?? grantReason) ?? (gone ? `end ${gone} is not in the target: ${reasons.for(gone, isSyncedEntry(match.entries.get(gone)?.archived))}` : reasons.for(k));
}

/**
 * What the verify needs of a plan and its execution: why each thing may be absent (a failed
 * or unrun operation, a manual step, a skip, an unresolved reference, a report-only policy).
 * Made before the final verify so the plan can be set aside while it runs
 * (src/restore/plan-aside.ts; issue 17 item 1). Pure.
 */
export function fidelityReasons(plan: Plan, result: ExecutionResult | undefined): FidelityReasons {
  return new Reasons(plan, result);
}

/** The reasons of one plan and execution (`fidelityReasons`). */
export type FidelityReasons = Reasons;

/**
 * Lets go of the users' objects once they are compared (each as it is counted, objectFidelity, and
 * here whatever is left): the relation phase reads of a user only
 * its match state and whether it is synced (missingEdgeReason), so each user's entry keeps its id
 * and `onPremisesSyncEnabled`, and the archived, live and deleted copies go. At 100k users they are
 * most of what the verify holds (the archive's users about 150 MiB of live heap, the read-back's
 * most of the rest), and the relation phase's own indexes came on top of them (issue 17 item 1).
 */
function releaseUsers(archive: TenantData, liveAfter: LiveState, match: TenantMatch): void {
  for (const e of match.entries.values()) if (e.type === 'user') releaseUser(e, match);
  for (const [id, l] of match.liveById) if (l.type === 'user') match.liveById.delete(id);
  match.extras = match.extras.filter((x) => x.type !== 'user');
  delete archive.objects.user;
  delete liveAfter.objects.user;
  delete liveAfter.deleted.user;
}

/**
 * One user's entry made slim (releaseUsers): its id and whether it is synced; the archived, live
 * and deleted copies go, and the live one from `liveById`. Idempotent.
 */
export function releaseUser(e: MatchEntry, match: TenantMatch): void {
  if (e.type !== 'user') return;
  if (e.live && match.liveById.get(e.live.id)?.type === 'user') match.liveById.delete(e.live.id);
  e.archived = { id: e.archived.id, ...(isOnPremisesSynced(e.archived) ? { onPremisesSyncEnabled: true } : {}) };
  // cleared, not deleted: a delete made each entry a slow dictionary of ~450 B (31 MiB at 100k users, issue 17 item 1)
  e.live = e.deleted = undefined;
}

/**
 * Computes fidelity of `liveAfter` against `archive`. Pure, unless `release`.
 * `plan` is the plan that ran, or the reasons made from it and `result` (`fidelityReasons`).
 * `selection` narrows the expectation for the objects/attributes scenarios.
 * `release`: the caller hands `archive` and `liveAfter` over and never reads them again (the final
 * verify of a restore, src/ops/restore-pipeline.ts); their users' objects are let go once compared
 * (`releaseUsers`), and both are left without users; their edges are moved into columns
 * (./relation-diff.ts `columnEdges`), and both are left without relations. The report is the same.
 * `wholeUsers`: `archive`'s users are slim copies (at least the properties the match reads:
 * ./plan/release.ts `slimUser`), and this gives the same users whole, in any order, once
 * (src/archive/held.ts `loadLastSplit`): each is compared whole, and only one is whole at a time
 * (issue 17 item 1). The report is the same as with the users whole in `archive`.
 * `liveUsers`: `liveAfter`'s users may be slim copies (src/restore/compact-users.ts), and its `whole`
 * gives one whole (any other object as it is): each is made whole only while it is compared, when
 * `wholeUsers` is given too; with `release`, its `release` is called once the users are compared.
 * The report is the same as with the users read back whole.
 * `edges`: both sides' edges, already moved into columns by the caller (./relation-diff.ts
 * `columnEdges`, which leaves `archive` and `liveAfter` without relations); the report is the same.
 * @throws Error (a bug) when `wholeUsers` gives a user `archive` did not list
 */
export function computeFidelity(
  archive: TenantData,
  liveAfter: LiveState,
  plan: Plan | FidelityReasons,
  result: ExecutionResult | undefined,
  opts: { catalog?: PlannerCatalog; selection?: RestoreSelection; types?: ResourceType[]; release?: boolean; wholeUsers?: () => Iterable<DirObject>; liveUsers?: LiveUsers; edges?: { archive: EdgeLists; live: EdgeLists } } = {},
): FidelityReport {
  const cat = opts.catalog ?? plannerCatalog;
  // handed over: both sides' edges as columns, their objects let go of before the match
  // (./relation-diff.ts columnEdges); the walk below reads either form alike
  // (or already: `opts.edges`, the caller's columns of both, their lists gone from `archive` and `liveAfter`)
  const edges = opts.edges ? { archive: { relations: opts.edges.archive }, live: { relations: opts.edges.live } }
    : opts.release ? { archive: { relations: columnEdges(archive) }, live: { relations: columnEdges(liveAfter) } } : { archive, live: liveAfter };
  // matching always uses every type, so references still map (./diff.ts diffTenant)
  const match = matchTenant(cat, archive, liveAfter);
  memMark('verify:match');
  const wanted = opts.types ? new Set(opts.types) : undefined;
  const types = cat.types.filter((t) => !wanted || wanted.has(t));
  const scope: Scope = {
    ...(opts.selection?.objectIds ? { objectIds: new Set(opts.selection.objectIds) } : {}),
    ...(opts.selection?.attributes ? { attributes: new Set(opts.selection.attributes) } : {}),
  };
  const reasons = plan instanceof Reasons ? plan : new Reasons(plan, result);
  const deviations: Deviation[] = [];
  const perType = objectFidelity(cat, archive, types, match, scope, reasons, deviations, opts.release ? liveAfter : undefined, opts.wholeUsers, opts.liveUsers);
  if (opts.release) {
    releaseUsers(archive, liveAfter, match);
    // the users read back are compared: their whole copies go before the edges are (about 24 MiB at 100k users)
    opts.liveUsers?.release();
  }
  memMark('verify:objects');
  const kinds = opts.types ? relationKindsFrom(cat, edges.archive, edges.live, new Set(opts.types)) : undefined;
  const relations = relationFidelity(archive, edges, kinds, match, scope, reasons, deviations, opts.release === true);
  const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);
  return {
    types: perType,
    relations,
    totals: {
      objectsExpected: sum(perType, (t) => t.objectsExpected),
      objectsRestored: sum(perType, (t) => t.objectsRestored),
      attributesExpected: sum(perType, (t) => t.attributesExpected),
      attributesMatching: sum(perType, (t) => t.attributesMatching),
      relationsExpected: sum(relations, (r) => r.expected),
      relationsRestored: sum(relations, (r) => r.restored),
    },
    deviations,
  };
}

function isSyncedEntry(o: DirObject | undefined): boolean {
  return o !== undefined && isOnPremisesSynced(o);
}
