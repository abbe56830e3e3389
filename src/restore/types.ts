/**
 * The restore contract: diff results, plan operations and the id map. The planner
 * (restore/plan/planner.ts) is a pure function (archive, live state, scenario) → Plan;
 * the executor (restore/execute/executor.ts) runs a Plan through a GraphClient, recording
 * every state change in the journal. The wizard and the CLI render these types.
 */
import type { RelationKind, ResourceType, RestoreTier, ReferenceBy } from '../catalog/types.js';
import type { DirObject, Json, JsonObject, Relation, TenantData } from '../model.js';

export type ScenarioName = 'tenant-loss' | 'all-admins-deleted' | 'objects' | 'attributes';

/** Live state of the target as read before planning (same shape as a backup, plus the recycle bins). */
export interface LiveState extends TenantData {
  /** Objects in /directory/deletedItems or /identity/conditionalAccess/deletedItems, by type. */
  deleted: Partial<Record<ResourceType, DirObject[]>>;
  /** Verified domain names of the target (for UPN domain remapping). */
  verifiedDomains: string[];
}

export type DiffStatus = 'equal' | 'changed' | 'softDeleted' | 'missing' | 'extra';

export interface AttributeChange {
  property: string;
  archived: Json | undefined;
  live: Json | undefined;
}

export interface ObjectDiff {
  type: ResourceType;
  status: DiffStatus;
  /** Id in the archive (absent for `extra`). */
  archivedId?: string;
  /** Id in the target (absent for `missing`). */
  liveId?: string;
  /** How archived and live were matched: by id, by natural key, or on-premises anchor. */
  matchedBy?: 'id' | 'naturalKey' | 'onPremisesAnchor';
  displayName?: string;
  /** For `changed`: the writable attributes that differ. */
  changes?: AttributeChange[];
  /** True for objects synced from on-premises (directory sync restores them). */
  onPremisesSynced?: boolean;
}

export interface RelationDiff {
  kind: RelationKind;
  status: 'equal' | 'missing' | 'extra';
  edge: Relation;
}

export interface DiffResult {
  objects: ObjectDiff[];
  relations: RelationDiff[];
  counts: Record<DiffStatus, number>;
}

/**
 * Where an operation's body holds a reference that must be rewritten to a live id.
 * The planner emits a slot only for targets produced by an op of the same plan (and
 * lists that op in dependsOn); targets matched at plan time are already live values.
 * - `id`: the value is the archived id; write the target's live id.
 * - `appId`: the value is the archived appId; write the live appId of `archivedTargetId`
 *   (an application, or a service principal of a foreign app whose appId is unchanged).
 * - `directoryScope`: keep the prefix ('/administrativeUnits/' or '/'), replace the id.
 * - `roleTemplateId`: a custom role definition recreated with its archived templateId;
 *   the value stays, the slot only orders the op after the definition's creation.
 * - `roleDefinitionId`: write the recreated role definition's live id.
 * - `extensionName`: `at` is ['$name', key]; rename the key to embed the live appId.
 * - `idInText`: the archived id inside a longer string (an admin consent reviewer's
 *   `/groups/{id}/…`); only that id is replaced by the target's live id.
 */
export interface RefSlot {
  /** JSON path into `body` as array of keys/indices. For extension names: ['$name', propertyName]. */
  at: (string | number)[];
  by: ReferenceBy;
  /** The archived object's id the value refers to (for appId: the archived app/SP object id). */
  archivedTargetId: string;
  targetType: ResourceType;
  /**
   * `by: 'appId'` only: the value is a longer string (an identifier URI, a service
   * principal name, a URL) that embeds this archived appId; only that substring is
   * replaced by the live appId (docs/graph-facts.md §3 "Values that embed an appId or the tenant").
   */
  embedded?: string;
}

/** A reference that could not be resolved (not in archive, not in target). */
export interface UnresolvedRef {
  opId: string;
  type: ResourceType;
  archivedId: string;
  path: string;
  value: string;
  /**
   * What happens: the op is blocked; (CA only) the policy stays report-only; the value is dropped
   * from the body; or (an update) the property holding it is not written, so it keeps its live
   * value while the object's other properties are updated (`propertyKept`).
   */
  effect: 'blocked' | 'keptReportOnly' | 'dropped' | 'propertyKept';
}

export interface ManualStep {
  id: string;
  kind:
    | 'password'
    | 'mfaRegistration'
    | 'clientSecret'
    | 'certificate'
    | 'domainVerification'
    | 'licence'
    | 'onPremisesSync'
    | 'conditionalAccessReview'
    | 'other';
  title: string;
  instructions: string;
  /** Archived ids of the objects concerned. */
  objects: string[];
}

interface OpBase {
  opId: string;
  tier: RestoreTier;
  /**
   * opIds that must complete first. A run that spends its plan holds it compressed with the label
   * (./held-fields.ts): each read a frozen copy; assign a new list to change it.
   */
  dependsOn: string[];
  /** One line for plans and logs (never secret). */
  label: string;
}

export type Operation =
  /** POST /directory/deletedItems/{id}/restore (or CA deletedItems): keeps the original id. */
  | (OpBase & { kind: 'restoreDeleted'; type: ResourceType; archivedId: string; deletedId: string })
  /** Create an object that is gone; the server assigns a new id (and appId). */
  | (OpBase & {
      kind: 'create';
      type: ResourceType;
      archivedId: string;
      /**
       * Writable properties only, references still holding archived values (see refs). The
       * planner holds it compressed (./held-bodies.ts): each read is a new, frozen copy, so read
       * it once and assign a new object to change it.
       */
      body: JsonObject;
      refs: RefSlot[];
      /** For contained types: the archived id of the parent. */
      parentArchivedId?: string;
      /** Natural key used to find an object this op already created (resume without duplicates). */
      naturalKey?: { property: string; value: string };
      /** Users: a temporary password is generated at execution and written only to the encrypted credentials file. */
      needsPassword?: boolean;
      /**
       * Archived objects this one write also creates, which get no op of their own: an
       * active PIM schedule request (adminAssign) creates the role assignment it grants.
       */
      covers?: { type: ResourceType; archivedId: string }[];
    })
  /** PATCH writable attributes back to their archived values. */
  | (OpBase & {
      kind: 'update';
      type: ResourceType;
      archivedId: string;
      changes: AttributeChange[];
      /** Held as a create's body is (./held-bodies.ts). */
      body: JsonObject;
      refs: RefSlot[];
      parentArchivedId?: string;
    })
  /**
   * Add an edge (member/owner/manager/AU member) between two archived ids. An edge that
   * already exists counts as done (restoring a soft-deleted user brings its memberships
   * back, docs/graph-facts.md §4).
   */
  | (OpBase & { kind: 'addRelation'; relation: RelationKind; from: string; to: string; toType: ResourceType })
  /**
   * Bootstrap: create an emergency-access admin (tier 0) when no archived admin can come
   * back, and assign it Global Administrator (template id, scope '/') in the same op.
   */
  | (OpBase & { kind: 'createBreakGlassAdmin'; userPrincipalName: string; displayName: string })
  /** Switch a CA policy created report-only to its archived state once its references verify. */
  | (OpBase & { kind: 'enableConditionalAccess'; archivedId: string; state: 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced' })
  /** Tier 5: diff again and compute fidelity. Always the last op; runs after every other op. */
  | (OpBase & { kind: 'verify' });

export interface Plan {
  formatVersion: 1;
  scenario: ScenarioName;
  archive: { tenantId: string; takenAt: string; manifestSha256: string };
  target: { tenantId: string; initialDomain: string };
  /** Topologically sorted: every op after everything in its dependsOn. */
  operations: Operation[];
  /** Archived id → live id for everything matched at plan time. */
  idMap: Record<string, string>;
  /** Archived appId → live appId for applications matched at plan time. */
  appIdMap: Record<string, string>;
  /** Archived UPN domain → target domain, when the original is not verified in the target. */
  domainMap: Record<string, string>;
  unresolved: UnresolvedRef[];
  manualSteps: ManualStep[];
  /** Archived ids of CA policies that will stay report-only, with the reason. */
  reportOnly: { archivedId: string; displayName: string; reason: string }[];
  warnings: string[];
  /** `objects` scenario: dependencies added to the selection, and which selected object needed each. */
  included?: { archivedId: string; type: ResourceType; displayName: string; requiredBy: string }[];
  /** Archived objects in scope that the plan does not restore, with the reason (missing in an `attributes` restore, on-premises synced, blocked…). */
  skipped?: { archivedId: string; type: ResourceType; displayName: string; reason: string }[];
  /**
   * `bootstrap`: the first phase of a bootstrap-first restore (src/restore/plan/bootstrap.ts),
   * only tier-0 operations; the rest is planned after it ran (docs/design.md "Bootstrap-first restore").
   * Absent for a whole plan.
   */
  phase?: 'bootstrap';
}

/** Selection for the `objects` and `attributes` scenarios. */
export interface RestoreSelection {
  /** Archived object ids to restore (with their dependencies). */
  objectIds?: string[];
  /** For `attributes`: property names to restore on the selected objects. */
  attributes?: string[];
}

export type { DirObject, Relation };
