/**
 * Forensics diff between two archives (issue 18 item 3; docs/design.md "Interfaces",
 * docs/archive-diff-format.md): what was created, deleted and changed from archive A (older)
 * to archive B (newer), property by property and relation by relation. Objects are matched
 * with the restore diff's matcher (./diff.ts `matchTenant`: id, then natural key, then
 * on-premises anchor), B standing in for the live tenant, so a policy deleted and recreated
 * under the same name is one change, not two. Unlike the restore diff, every property is
 * compared (read-only ones too: a new secret shows in `passwordCredentials`, which a restore
 * cannot write); Microsoft-owned properties of built-ins are skipped like there
 * (./catalog.ts `isTenantOwned`). Pure: no I/O.
 *
 * Never outputs secret material: credential lists are compared by keyId and reported with an
 * allow-list of metadata (name, hint, dates, type, usage, thumbprint); any `secretText` or
 * `password` member elsewhere is replaced by REDACTED (docs/graph-facts.md §2 "Never readable").
 */
import type { RelationKind, ResourceType } from '../catalog/types.js';
import type { DirObject, Json, JsonObject, TenantData } from '../model.js';
import { defaultPlannerCatalog, isTenantOwned, upnDomain, type PlannerCatalog } from './catalog.js';
import { diffRelations, displayNameOf, mapToLive, matchTenant, type TenantMatch } from './diff.js';
import { cmp, jsonEqual } from './json.js';
import type { LiveState } from './types.js';

/** What happened to an object or an edge between A and B. */
export type ChangeKind = 'created' | 'deleted' | 'changed';

/** One property's value in A and in B (null when absent on that side). */
export interface PropertyChange {
  property: string;
  before: Json;
  after: Json;
}

/** The properties that hold credentials: compared by keyId, never printed whole. */
export const CREDENTIAL_PROPERTIES = ['passwordCredentials', 'keyCredentials'] as const;
export type CredentialProperty = (typeof CREDENTIAL_PROPERTIES)[number];

/** The metadata of one credential that may be shown (never secretText or key). */
export interface CredentialMeta {
  keyId: string;
  displayName?: string;
  hint?: string;
  type?: string;
  usage?: string;
  customKeyIdentifier?: string;
  startDateTime?: string;
  endDateTime?: string;
}

/** A credential added, removed or changed (its metadata differs) between A and B. */
export interface CredentialChange {
  property: CredentialProperty;
  change: 'added' | 'removed' | 'changed';
  /** B's metadata for added/changed, A's for removed. */
  credential: CredentialMeta;
  /** For `changed`: A's metadata. */
  before?: CredentialMeta;
}

/** An object created in B, deleted from A, or changed. */
export interface ObjectChange {
  subject: 'object';
  change: ChangeKind;
  type: ResourceType;
  /** Id in A (absent for created). */
  idA?: string;
  /** Id in B (absent for deleted). */
  idB?: string;
  /** How A's object was matched to B's (changed only; 'id' in the usual case). */
  matchedBy?: 'id' | 'naturalKey' | 'onPremisesAnchor';
  /** The object's name, or for an assignment "role → principal" (./archive-diff.ts `labelOf`). */
  label: string;
  /** Changed: the properties that differ. Created/deleted: every property with a value. Sorted by name. */
  properties: PropertyChange[];
  /** Credentials added/removed/changed (or all of them for a created/deleted object). */
  credentials: CredentialChange[];
}

/** An edge added in B or removed since A. */
export interface RelationChange {
  subject: 'relation';
  change: 'created' | 'deleted';
  kind: RelationKind;
  from: string;
  to: string;
  toType: ResourceType;
  fromLabel: string;
  toLabel: string;
}

export type Change = ObjectChange | RelationChange;

/** The raw comparison, before risk grouping (./risk.ts). */
export interface ArchiveComparison {
  changes: Change[];
  /** Object/edge lookups for the risk rules (e.g. is a group role-assignable): B first, then A. */
  objectOf: (id: string) => { type: ResourceType; obj: DirObject } | undefined;
}

/** Shown instead of any secret-looking member. */
export const REDACTED = '[redacted]';
const SECRET_MEMBERS = new Set(['secretText', 'password']);

/** A deep copy with every `secretText` / `password` member that has a value replaced by REDACTED. */
export function redact(v: Json | undefined): Json {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map((x) => redact(x));
  if (typeof v !== 'object') return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) out[k] = SECRET_MEMBERS.has(k) && x !== null && x !== undefined ? REDACTED : redact(x);
  return out;
}

const META_FIELDS = ['displayName', 'hint', 'type', 'usage', 'customKeyIdentifier', 'startDateTime', 'endDateTime'] as const;

/** The allowed metadata of one credential entry; undefined when it has no keyId. */
export function credentialMeta(c: Json | undefined): CredentialMeta | undefined {
  if (!c || typeof c !== 'object' || Array.isArray(c)) return undefined;
  const keyId = c['keyId'];
  if (typeof keyId !== 'string') return undefined;
  const out: CredentialMeta = { keyId };
  for (const f of META_FIELDS) {
    const v = c[f];
    if (typeof v === 'string' && v !== '') out[f] = v;
  }
  return out;
}

function credentialsOf(obj: DirObject | undefined, prop: CredentialProperty): Map<string, CredentialMeta> {
  const list = obj?.[prop];
  const out = new Map<string, CredentialMeta>();
  if (Array.isArray(list)) for (const c of list) {
    const m = credentialMeta(c);
    if (m) out.set(m.keyId, m);
  }
  return out;
}

/** Credentials added, removed and changed between A's and B's version of an object (either may be absent). */
export function compareCredentials(a: DirObject | undefined, b: DirObject | undefined): CredentialChange[] {
  const out: CredentialChange[] = [];
  for (const property of CREDENTIAL_PROPERTIES) {
    const before = credentialsOf(a, property);
    const after = credentialsOf(b, property);
    for (const keyId of [...new Set([...before.keys(), ...after.keys()])].sort(cmp)) {
      const x = before.get(keyId);
      const y = after.get(keyId);
      if (x && y) {
        if (!jsonEqual(x as unknown as Json, y as unknown as Json)) out.push({ property, change: 'changed', credential: y, before: x });
      } else if (y) out.push({ property, change: 'added', credential: y });
      else if (x) out.push({ property, change: 'removed', credential: x });
    }
  }
  return out;
}

/** True for properties compared value by value (annotations, id and credential lists are not). */
function isPlainProperty(type: ResourceType, obj: DirObject, p: string): boolean {
  if (p === 'id' || p.startsWith('@')) return false;
  if ((CREDENTIAL_PROPERTIES as readonly string[]).includes(p)) return false;
  return isTenantOwned(type, obj, p);
}

/** Every property of A's (mapped) and B's version that differs, sorted by name. */
export function compareProperties(type: ResourceType, a: JsonObject, b: DirObject, original: DirObject): PropertyChange[] {
  const out: PropertyChange[] = [];
  for (const p of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(cmp)) {
    if (!isPlainProperty(type, original, p)) continue;
    if (!jsonEqual(a[p], b[p])) out.push({ property: p, before: redact(a[p]), after: redact(b[p]) });
  }
  return out;
}

/** Every property with a value, as a change from/to nothing (created: after; deleted: before). */
function allProperties(type: ResourceType, obj: DirObject, side: 'before' | 'after'): PropertyChange[] {
  const out: PropertyChange[] = [];
  for (const p of Object.keys(obj).sort(cmp)) {
    const v = obj[p];
    if (!isPlainProperty(type, obj, p) || jsonEqual(v, null)) continue;
    out.push(side === 'after' ? { property: p, before: null, after: redact(v) } : { property: p, before: redact(v), after: null });
  }
  return out;
}

/**
 * B as the "live" side of the restore matcher, with no recycle bins. Within one tenant no UPN
 * domain is remapped (a UPN that moved is a change to report); across tenants A's domains that
 * B has not verified map to B's initial domain, as in a restore (./domains.ts).
 */
function asLive(a: TenantData, b: TenantData): LiveState {
  const verified = (b.objects.domain ?? []).filter((d) => d['isVerified'] === true).map((d) => d.id);
  const sameTenant = a.tenantId.toLowerCase() === b.tenantId.toLowerCase();
  const upnDomains = (a.objects.user ?? []).map((u) => (typeof u['userPrincipalName'] === 'string' ? upnDomain(u['userPrincipalName']) : ''));
  return { ...b, deleted: {}, verifiedDomains: sameTenant ? [...new Set([...verified, ...upnDomains])] : verified };
}

type Lookup = ArchiveComparison['objectOf'];

function lookupOf(a: TenantData, b: TenantData, catalog: PlannerCatalog): Lookup {
  const byId = new Map<string, { type: ResourceType; obj: DirObject }>();
  for (const data of [a, b]) for (const type of catalog.types) for (const obj of data.objects[type] ?? []) byId.set(obj.id, { type, obj });
  return (id) => byId.get(id);
}

/** PIM role settings policy id → the role it governs, from the policy assignments of A and B (catalog/pim-policies.ts). */
function policyRolesOf(a: TenantData, b: TenantData): Map<string, string> {
  const out = new Map<string, string>();
  for (const data of [a, b]) for (const x of data.objects.roleManagementPolicyAssignment ?? []) {
    if (typeof x['policyId'] === 'string' && typeof x['roleDefinitionId'] === 'string') out.set(x['policyId'], x['roleDefinitionId']);
  }
  return out;
}

/** What names an object in labels: every object of A and B by id, and the role of each PIM policy. */
export interface Names {
  objectOf: Lookup;
  policyRole: Map<string, string>;
}

function nameOf(id: string | undefined, lookup: Lookup): string {
  if (id === undefined) return '?';
  const o = lookup(id);
  return o ? displayNameOf(o.obj) : id;
}

const ROLE_TYPES = new Set<ResourceType>(['roleAssignment', 'roleEligibilitySchedule', 'roleAssignmentSchedule']);

/**
 * A readable name: an assignment is "role → principal (scope)", a grant "client → resource",
 * anything else its display name (./diff.ts `displayNameOf`).
 */
export function labelOf(type: ResourceType, obj: DirObject, names: Names): string {
  const lookup = names.objectOf;
  const s = (k: string): string | undefined => (typeof obj[k] === 'string' ? (obj[k] as string) : undefined);
  // every PIM policy is named "DirectoryRole": name the role it governs instead
  if (type === 'roleManagementPolicy' && names.policyRole.has(obj.id)) return `PIM settings of ${nameOf(names.policyRole.get(obj.id), lookup)}`;
  if (type === 'roleManagementPolicyAssignment') return `PIM settings of ${nameOf(s('roleDefinitionId'), lookup)} (policy ${s('policyId') ?? '?'})`;
  if (ROLE_TYPES.has(type)) {
    const scope = s('directoryScopeId');
    return `${nameOf(s('roleDefinitionId'), lookup)} → ${nameOf(s('principalId'), lookup)}${scope && scope !== '/' ? ` (scope ${scope})` : ''}`;
  }
  if (type === 'appRoleAssignment') return `${nameOf(s('principalId'), lookup)} → ${nameOf(s('resourceId'), lookup)} app role ${s('appRoleId') ?? '?'}`;
  if (type === 'oauth2PermissionGrant') return `${nameOf(s('clientId'), lookup)} → ${nameOf(s('resourceId'), lookup)} (${s('scope') ?? ''})`;
  if (type === 'scopedRoleMembership') {
    const info = obj['roleMemberInfo'];
    const member = info && typeof info === 'object' && !Array.isArray(info) && typeof info['id'] === 'string' ? info['id'] : undefined;
    return `${nameOf(s('roleId'), lookup)} → ${nameOf(member, lookup)} in ${nameOf(s('administrativeUnitId'), lookup)}`;
  }
  return displayNameOf(obj);
}

/** The object-level changes of one type, in id order: deleted and changed (A's objects), then created (B's). */
function objectChanges(type: ResourceType, a: TenantData, m: TenantMatch, catalog: PlannerCatalog, names: Names): ObjectChange[] {
  const desc = catalog.descriptor(type);
  const out: ObjectChange[] = [];
  for (const x of [...(a.objects[type] ?? [])].sort((p, q) => cmp(p.id, q.id))) {
    const e = m.entries.get(x.id);
    if (!e || e.state !== 'live' || !e.live) {
      out.push({ subject: 'object', change: 'deleted', type, idA: x.id, label: labelOf(type, x, names), properties: allProperties(type, x, 'before'), credentials: compareCredentials(x, undefined) });
      continue;
    }
    const y = e.live;
    const properties = compareProperties(type, mapToLive(desc, x, m), y, x);
    const credentials = compareCredentials(x, y);
    if (properties.length === 0 && credentials.length === 0 && x.id === y.id) continue;
    out.push({ subject: 'object', change: 'changed', type, idA: x.id, idB: y.id, matchedBy: e.matchedBy ?? 'id', label: labelOf(type, y, names), properties, credentials });
  }
  for (const extra of m.extras) {
    if (extra.type !== type) continue;
    const y = extra.obj;
    out.push({ subject: 'object', change: 'created', type, idB: y.id, label: labelOf(type, y, names), properties: allProperties(type, y, 'after'), credentials: compareCredentials(undefined, y) });
  }
  return out;
}

/**
 * Compares archive A (older) with archive B (newer) of the same tenant: objects in catalog
 * order, then relations by kind. Deterministic and pure; never throws on data it does not
 * understand (unknown properties compare as JSON). Tenant checks are the caller's
 * (src/ops/archive-diff.ts).
 */
export function compareArchives(a: TenantData, b: TenantData, opts: { catalog?: PlannerCatalog } = {}): ArchiveComparison {
  const catalog = opts.catalog ?? defaultPlannerCatalog;
  const live = asLive(a, b);
  const m = matchTenant(catalog, a, live);
  const lookup = lookupOf(a, b, catalog);
  const names: Names = { objectOf: lookup, policyRole: policyRolesOf(a, b) };
  const changes: Change[] = [];
  for (const type of catalog.types) changes.push(...objectChanges(type, a, m, catalog, names));
  for (const r of diffRelations(a, live, m)) {
    if (r.status === 'equal') continue;
    const { kind, edge } = r;
    changes.push({
      subject: 'relation', change: r.status === 'missing' ? 'deleted' : 'created', kind, from: edge.from, to: edge.to, toType: edge.toType,
      fromLabel: nameOf(edge.from, lookup), toLabel: nameOf(edge.to, lookup),
    });
  }
  return { changes, objectOf: lookup };
}
