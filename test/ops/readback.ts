/**
 * Test helper (issue 15's first done-when): a tenant as it reads through Graph, rewritten so two
 * tenants can be compared without ids. Every object gets a label made of natural keys (the
 * catalog's `naturalKey`, its GUID values replaced by the labels of the objects they name, under
 * its parent's label), and its content has every GUID it holds (whole, or inside a string such
 * as `api://{appId}` or `extension_{appId}_name`) replaced the same way, its id and read-only
 * properties dropped. A source archive and a restored target read back through Graph then compare
 * object by object and property by property, with no use of the restore tool's id map, plan or
 * fidelity report.
 */
import { catalog } from '../../src/catalog/index.js';
import type { ResourceDescriptor, ResourceType } from '../../src/catalog/types.js';
import type { DirObject, TenantData } from '../../src/model.js';
import type { ManualStep } from '../../src/restore/types.js';
import type { Deviation } from '../../src/restore/fidelity.js';

type Obj = Record<string, unknown>;
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** `extension_{appId without dashes}_` anywhere in a string, and as an id's start */
const EXT_IN_TEXT = /extension_([0-9a-f]{32})_/gi;
const EXT_PREFIX = /^extension_([0-9a-f]{32})_/i;

/** One object by its label: the type, the archived/live id and its canonical content. */
export interface Labelled {
  type: ResourceType;
  id: string;
  label: string;
  content: Obj;
}

/** A tenant by labels, and its relations as label pairs per kind. */
export interface LabelledTenant {
  objects: Map<ResourceType, Labelled[]>;
  relations: Map<string, string[]>;
  /** id (or appId) → label */
  label(id: string): string | undefined;
}

const GUID_ONLY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The ids an object is named by: its id, and the Graph id the archive keeps beside a keyed one (`@graphId`). */
const idsOf = (o: DirObject): string[] => [o.id, o['@graphId']].filter((x): x is string => typeof x === 'string').map((x) => x.toLowerCase());
const get = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Obj)[k] : undefined), o);
const parentOf = (o: DirObject): string | undefined => (typeof o['@parentId'] === 'string' ? o['@parentId'] : undefined);

/**
 * Labels every object of `t`, then rewrites its content. `aliases` names strings that differ
 * between two tenants by nature (their tenant id, their initial domain): each becomes its alias.
 * `elsewhere` labels an id `t` does not hold (a tenant read while objects were deleted names them
 * by the archive's labels, `comparePartial`).
 */
export function labelTenant(t: TenantData, aliases: Record<string, string>, users: UserNaming = {}, elsewhere?: (id: string) => string | undefined): LabelledTenant {
  const byId = new Map<string, string>();
  const byHex = new Map<string, string>();
  const objects = new Map<ResourceType, Labelled[]>();
  const alias = (s: string): string => Object.entries(aliases).reduce((acc, [from, to]) => acc.split(from).join(to), s);
  /**
   * A string with every known GUID (and `extension_{appId}_` prefix) replaced; undefined when one is
   * still unknown and `strict`. `self`: the object's own id, which its natural key may repeat (a
   * custom role's templateId), kept as it is.
   */
  const mapText = (s: string, strict: boolean, self?: string): string | undefined => {
    let unknown = false;
    const out = s.replace(GUID, (g) => {
      const id = g.toLowerCase();
      if (id === self) return g;
      const l = byId.get(id) ?? (pendingIds.has(id) ? undefined : elsewhere?.(id));
      if (l === undefined && strict && pendingIds.has(id)) unknown = true;
      return l ?? g;
    }).replace(EXT_IN_TEXT, (whole, hex: string) => {
      const l = byHex.get(hex.toLowerCase());
      if (l === undefined && strict && pendingHex.has(hex.toLowerCase())) unknown = true;
      return l === undefined ? whole : `extension_${l}_`;
    });
    return unknown ? undefined : alias(out);
  };
  const pending: { d: ResourceDescriptor; o: DirObject }[] = [];
  const pendingIds = new Set<string>();
  const pendingHex = new Set<string>();
  for (const d of catalog) {
    for (const o of t.objects[d.type] ?? []) {
      pending.push({ d, o });
      for (const id of idsOf(o)) pendingIds.add(id);
      if (d.type === 'application' && typeof o.appId === 'string') {
        pendingIds.add(o.appId.toLowerCase());
        pendingHex.add(o.appId.replace(/-/g, '').toLowerCase());
      }
    }
  }
  // a scoped role member's roleId is its tenant's directoryRole object id: named by the role's template
  for (const o of t.objects.scopedRoleMembership ?? []) {
    if (typeof o.roleId === 'string' && typeof o['@roleTemplateId'] === 'string') byId.set(o.roleId.toLowerCase(), `directoryRole:${o['@roleTemplateId']}`);
  }
  // a user flow attribute's id names the tenant's own b2c-extensions-app (never archived)
  for (const o of t.objects.userFlowAttribute ?? []) {
    const hex = EXT_PREFIX.exec(o.id)?.[1];
    if (hex !== undefined) byHex.set(hex.toLowerCase(), 'b2cExtensionsApp');
  }
  // labels depend on other labels (an app role assignment names its principal): resolve in passes
  // while one makes progress; a GUID naming no object of the tenant (another tenant's, a
  // built-in app's) stays as it is; a cycle is broken by one last lenient pass
  for (let lenient = false; pending.length > 0;) {
    const before = pending.length;
    for (let i = pending.length - 1; i >= 0; i--) {
      const { d, o } = pending[i]!;
      const label = labelOf(d, o, t, byId, (s) => mapText(s, !lenient, o.id.toLowerCase()), users);
      if (label === undefined) continue;
      pending.splice(i, 1);
      for (const id of idsOf(o)) {
        pendingIds.delete(id);
        byId.set(id, label);
      }
      if (d.type === 'application' && typeof o.appId === 'string') {
        const hex = o.appId.replace(/-/g, '').toLowerCase();
        pendingIds.delete(o.appId.toLowerCase());
        pendingHex.delete(hex);
        byId.set(o.appId.toLowerCase(), `appId(${label})`);
        byHex.set(hex, `appId(${label})`);
      }
      const list = objects.get(d.type) ?? [];
      list.push({ type: d.type, id: o.id, label, content: {} });
      objects.set(d.type, list);
    }
    if (pending.length === before) {
      if (lenient) throw new Error(`unlabelled: ${pending.map((p) => `${p.d.type}/${p.o.id}`).join(', ')}`);
      lenient = true;
    } else lenient = false;
  }
  const rewrite = (v: unknown, nested: boolean, self: string): unknown => {
    if (typeof v === 'string') return mapText(v, false, self);
    if (Array.isArray(v)) return v.map((x) => rewrite(x, nested, self));
    if (v && typeof v === 'object') {
      const id = (v as Obj).id;
      if (nested && typeof id === 'string') {
        // an object of the tenant inlined in another (an expanded extension): it is compared
        // as its own type, here only which one it is
        const l = byId.get(id.toLowerCase());
        if (l !== undefined) return { id: l };
      }
      const out: Obj = {};
      for (const [k, x] of Object.entries(v)) {
        // a nested id naming nothing of the tenant is the service's own (a workflow task's,
        // a policy question's): each tenant makes its own
        if (nested && k === 'id' && typeof x === 'string' && GUID_ONLY.test(x)) continue;
        out[mapText(k, false) ?? k] = rewrite(x, true, self);
      }
      return out;
    }
    return v;
  };
  for (const d of catalog) {
    const src = new Map((t.objects[d.type] ?? []).map((o) => [o.id, o]));
    for (const l of objects.get(d.type) ?? []) {
      const o = src.get(l.id)!;
      const content: Obj = {};
      for (const [k, v] of Object.entries(o)) {
        if (k === 'id' || k === '@parentId' || k === '@graphId' || d.readOnly.includes(k)) continue;
        content[k] = v;
      }
      l.content = rewrite(content, false, l.id.toLowerCase()) as Obj;
    }
  }
  const relations = new Map<string, string[]>();
  for (const [kind, edges] of Object.entries(t.relations)) {
    const end = (id: string) => byId.get(id.toLowerCase()) ?? elsewhere?.(id.toLowerCase()) ?? id;
    relations.set(kind, (edges ?? []).map((e) => `${end(e.from)} → ${end(e.to)}`).sort());
  }
  return { objects, relations, label: (id) => byId.get(id.toLowerCase()) };
}

/** How a tenant's users are named beyond their UPN's local part. */
export interface UserNaming {
  /** ids of users that are nobody's counterpart (the new tenant's own admin): named `ownUser:…` */
  own?: ReadonlySet<string>;
  /** UPN local parts (lower case) a user was restored under → the archived one */
  renamed?: ReadonlyMap<string, string>;
}

function labelOf(d: ResourceDescriptor, o: DirObject, t: TenantData, byId: Map<string, string>, mapText: (s: string) => string | undefined, users: UserNaming): string | undefined {
  const pid = parentOf(o);
  let parent = '';
  if (d.shape !== 'collection' && pid !== undefined) {
    const p = d.parentType === 'organization' ? 'organization' : byId.get(pid.toLowerCase());
    if (p === undefined) return undefined;
    parent = `${p}/`;
  }
  if (d.type === 'organization') return 'organization';
  if (d.type === 'user') {
    const upn = String(o.userPrincipalName ?? '');
    const local = upn.slice(0, upn.indexOf('@')).toLowerCase();
    return users.own?.has(o.id) ? `ownUser:${local}` : `user:${users.renamed?.get(local) ?? local}`;
  }
  if (d.shape === 'singleton') return `${parent}${d.type}`;
  // a PIM policy is named only by the assignment that applies it to a role or a group
  if (d.type === 'roleManagementPolicy' || d.type === 'pimGroupPolicy') {
    const asgType = d.type === 'roleManagementPolicy' ? 'roleManagementPolicyAssignment' : 'pimGroupPolicyAssignment';
    const asg = (t.objects[asgType] ?? []).find((a) => a.policyId === o.id);
    const key = asg ? mapText(`${String(asg.roleDefinitionId)}@${String(asg.scopeId)}`) : `unassigned:${o.id}`;
    return key === undefined ? undefined : `${parent}${d.type}:${key}`;
  }
  if (d.idScopedByParent) return `${parent}${d.type}:${mapText(o.id.slice(o.id.indexOf('/') + 1)) ?? '?'}`;
  for (const nk of d.naturalKey) {
    const parts = nk.split('+').map((p) => get(o, p));
    if (parts.every((v) => v === undefined || v === null || v === '')) continue;
    const text = mapText(parts.map((v) => (typeof v === 'string' ? v : JSON.stringify(v ?? null))).join('+'));
    return text === undefined ? undefined : `${parent}${d.type}:${text}`;
  }
  // no natural key (an access package assignment): its content is its name
  const text = mapText(JSON.stringify(Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'id' && !d.readOnly.includes(k)))));
  return text === undefined ? undefined : `${parent}${d.type}:${text}`;
}

/** Two contents equal property by property (`propertyDiff` finds nothing); false when `a` is absent. */
function sameContent(a: Obj | undefined, b: Obj): boolean {
  return a !== undefined && propertyDiff(a, b).length === 0;
}

/** What differs between an archived object's content and its live counterpart's, property by property. */
export function propertyDiff(a: Obj, b: Obj): string[] {
  const out: string[] = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = JSON.stringify(a[k] ?? null);
    const y = JSON.stringify(b[k] ?? null);
    if (x !== y) out.push(k);
  }
  return out;
}

/** Strings that differ between two tenants by nature: the tenant id, the initial domain, the tenant's own Entra profile source. */
export function tenantAliases(t: TenantData): Record<string, string> {
  const out: Record<string, string> = { [t.tenantId]: 'TENANT', [t.initialDomain]: 'INITIAL_DOMAIN' };
  for (const s of t.objects.profileSource ?? []) if (s.kind === 'MSEntra') out[s.id] = 'TENANT_ENTRA_SOURCE';
  return out;
}

/** `label` occurs in `text` as a whole label (not as the start of a longer one). */
function names(text: string, label: string): boolean {
  for (let i = text.indexOf(label); i >= 0; i = text.indexOf(label, i + 1)) {
    const next = text[i + label.length];
    if (next === undefined || '+/@ ,)'.includes(next)) return true;
  }
  return false;
}

/** What the restore itself said, which the comparison takes as accounting for a difference. */
export interface RestoreFacts {
  manualSteps: readonly ManualStep[];
  /** the plan's warnings */
  warnings: readonly string[];
  /** the user principal names the restore handed a temporary password for (the bootstrap credentials) */
  newPasswords: readonly string[];
  /** ids of the new tenant's own users: there before the restore, and matched to no archived user */
  ownUsers?: ReadonlySet<string>;
  /**
   * archived ids the restore's report names as not (fully) restored, each with its reason (a
   * blocked reference, a property left as it was, a documented failure): accounted for like an
   * object a manual step names. Callers pass only deviations whose reason says why.
   */
  reported?: ReadonlySet<string>;
}

/** What a comparison of an archive with the tenant restored from it found. */
export interface ReadBackResult {
  /** archived objects found with every property equal */
  equal: number;
  /** objects, properties and relations neither there nor accounted for, one line each */
  findings: string[];
  /** types with an object missing or differing, accounted for or not */
  typesWithDifferences: Set<ResourceType>;
}

/** What accounts for a difference between an archived object and its read-back counterpart. */
interface Accounting {
  /** ids of archived objects a manual step names (not the per-user chores) */
  named: ReadonlySet<string>;
  /** the difference of property `p` between archived `a` and read-back `b` is one the restore said it leaves */
  excused(a: Labelled, b: Labelled, p: string): boolean;
}

/**
 * The manual steps and known differences of one restore (`compareReadBack`, `comparePartial`):
 * - an object named by a manual step (not the per-user chores: a new password, MFA registration, a
 *   licence, which every restored user has and which change none of its properties but the password);
 * - a user on a domain the new tenant has not verified yet: on the initial domain, no mail, until
 *   manual:domainVerification;
 * - a user renamed beside the new tenant's own admin, which the plan's warning says (`renamed` below);
 * - a restored user's new password: manual:password, or the bootstrap credentials handed to the operator;
 * - an access package assignment requested again: its start, listed by manual:accessPackageAssignmentStarts;
 * - the initial domain as the default until the archived default domain is verified.
 */
/** Two schedules equal but for their startDateTime. */
function sameButStart(a: unknown, b: unknown): boolean {
  const rest = (x: unknown): unknown => (x !== null && typeof x === 'object' ? { ...(x as Record<string, unknown>), startDateTime: null } : x);
  return JSON.stringify(rest(a)) === JSON.stringify(rest(b));
}

/** Two assignment subjects equal but for a principal name or email on an unverified domain, which is on the initial domain after. */
function sameSubject(a: unknown, b: unknown, unverified: (v: unknown) => boolean): boolean {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
  return [...new Set([...Object.keys(x), ...Object.keys(y)])].every((k) => {
    if (JSON.stringify(x[k]) === JSON.stringify(y[k])) return true;
    const v = x[k];
    return (k === 'principalName' || k === 'email') && typeof v === 'string' && unverified(v) && y[k] === `${v.slice(0, v.indexOf('@'))}@INITIAL_DOMAIN`;
  });
}

function accountingOf(archive: TenantData, restore: RestoreFacts, A: LabelledTenant, renamed: ReadonlyMap<string, string>): Accounting {
  const { manualSteps, newPasswords } = restore;
  const step = (id: string): Set<string> => new Set(manualSteps.find((s) => s.id === id)?.objects ?? []);
  const chores = new Set(['password', 'mfaRegistration', 'licence']);
  // a review step that records history (an assignment's archived start) accounts for nothing but that
  const starts = step('manual:accessPackageAssignmentStarts');
  const named = new Set([...manualSteps.filter((s) => !chores.has(s.kind) && s.id !== 'manual:accessPackageAssignmentStarts').flatMap((s) => s.objects), ...(restore.reported ?? [])]);
  const unverified = step('manual:domainVerification');
  const newPassword = new Set([...step('manual:password')].map((id) => A.label(id)));
  for (const upn of newPasswords) {
    const local = upn.slice(0, upn.indexOf('@')).toLowerCase();
    newPassword.add(`user:${renamed.get(local) ?? local}`);
  }
  const userDomain = (v: unknown) => (typeof v === 'string' ? v.slice(v.indexOf('@') + 1) : '');
  const excused = (a: Labelled, b: Labelled, p: string): boolean => {
    const was = a.content[p];
    const now = b.content[p];
    if (a.type === 'user' && (p === 'userPrincipalName' || p === 'mail') && unverified.has(userDomain(was))
      && (p === 'mail' ? now === null : now === `${String(was).slice(0, String(was).indexOf('@'))}@INITIAL_DOMAIN`)) return true;
    if (a.type === 'user' && p === 'userPrincipalName' && typeof now === 'string' && now.startsWith('renamed:')) return true;
    if (a.type === 'user' && p === 'passwordProfile' && newPassword.has(a.label)) return true;
    // an access package assignment requested again starts at the restore; the step lists its archived start
    if (a.type === 'accessPackageAssignment' && p === 'schedule' && starts.has(a.id) && sameButStart(was, now)) return true;
    // its subject carries the user's names: on the initial domain until manual:domainVerification, as the user's own
    if (a.type === 'accessPackageAssignment' && p === 'target' && sameSubject(was, now, (v) => unverified.has(userDomain(v)))) return true;
    return a.type === 'domain' && p === 'isDefault' && (archive.objects.domain ?? []).some((x) => x.isDefault === true && unverified.has(x.id));
  };
  return { named, excused };
}

/**
 * Archived users the plan's warnings say were restored under another UPN (the new tenant's own
 * admin holds theirs, src/restore/target-admins.ts): their read-back UPN local part → the archived one.
 */
function renamedUsers(archive: TenantData, warnings: readonly string[]): Map<string, string> {
  const renamed = new Map<string, string>();
  for (const a of archive.objects.user ?? []) {
    const upn = String(a.userPrincipalName ?? '').toLowerCase();
    const local = upn.slice(0, upn.indexOf('@'));
    const alt = `${local}-${upn.slice(upn.indexOf('@') + 1).split('.')[0]}`;
    if (warnings.some((w) => w.toLowerCase().includes(`restored as ${alt}@`))) renamed.set(alt, local);
  }
  return renamed;
}

/** The read-back object paired with archived `a` among archived `twins` of one label: the same rank in content order. */
function pairOf(a: Labelled, twins: readonly Labelled[], live: readonly Labelled[]): Labelled {
  const order = (xs: readonly Labelled[]) => [...xs].sort((x, y) => (JSON.stringify(x.content) < JSON.stringify(y.content) ? -1 : 1));
  return order(live)[order(twins).indexOf(a)]!;
}

/** Objects by label, per type. */
function byLabel(t: LabelledTenant, type: ResourceType): Map<string, Labelled[]> {
  const out = new Map<string, Labelled[]>();
  for (const b of t.objects.get(type) ?? []) out.set(b.label, [...(out.get(b.label) ?? []), b]);
  return out;
}

/**
 * Compares `archive` with `live` (the restored tenant read back through Graph) object by object,
 * property by property and relation by relation, by label. What is not there must be named by a
 * manual step of the restore (by its archived id), follow from an object so named (an app role
 * assignment of a user that directory sync brings back), or be one of the differences
 * `accountingOf` lists, each with the manual step or plan warning that covers it.
 */
export function compareReadBack(archive: TenantData, live: TenantData, restore: RestoreFacts): ReadBackResult {
  const renamed = renamedUsers(archive, restore.warnings);
  const A = labelTenant(archive, tenantAliases(archive));
  // the new tenant's own users (its admin) are no counterpart of an archived user
  const B = labelTenant(live, tenantAliases(live), { renamed, ...(restore.ownUsers ? { own: restore.ownUsers } : {}) });
  for (const b of B.objects.get('user') ?? []) {
    const upn = String(b.content.userPrincipalName ?? '').toLowerCase();
    if (renamed.has(upn.slice(0, upn.indexOf('@')))) b.content = { ...b.content, userPrincipalName: `renamed:${upn}` };
  }
  const { named, excused } = accountingOf(archive, restore, A, renamed);

  const missing: Labelled[] = [];
  const differs: { a: Labelled; b: Labelled; props: string[] }[] = [];
  const findings: string[] = [];
  let equal = 0;
  for (const d of catalog) {
    const liveByLabel = byLabel(B, d.type);
    const archivedByLabel = byLabel(A, d.type);
    for (const a of A.objects.get(d.type) ?? []) {
      let m = liveByLabel.get(a.label) ?? [];
      // the archive itself holds several of this label (Graph allows two workflows of one name): as many must be back, paired in order of content
      const twins = archivedByLabel.get(a.label) ?? [];
      if (twins.length > 1 && m.length === twins.length) m = [pairOf(a, twins, m)];
      if (m.length > 1) findings.push(`duplicate ${d.type} ${a.label}: ${m.length} in the new tenant`);
      else if (m.length === 0) missing.push(a);
      else {
        const props = propertyDiff(a.content, m[0]!.content);
        if (props.length === 0) equal++;
        else differs.push({ a, b: m[0]!, props });
      }
    }
  }
  // an archived object named by a manual step is accounted for, and so is what names it
  const accounted = [...missing, ...differs.map((x) => x.a)].filter((o) => named.has(o.id)).map((o) => o.label);
  const follows = (label: string) => accounted.some((l) => l !== label && names(label, l));
  for (const a of missing) {
    if (!named.has(a.id) && !follows(a.label)) findings.push(`missing ${a.type} ${a.label}`);
  }
  for (const { a, b, props } of differs) {
    if (named.has(a.id) || follows(a.label)) continue;
    for (const p of props) {
      if (!excused(a, b, p)) findings.push(`differs ${a.type} ${a.label} ${p}: ${JSON.stringify(a.content[p])} → ${JSON.stringify(b.content[p])}`);
    }
  }
  for (const [kind, edges] of A.relations) {
    const liveEdges = new Set(B.relations.get(kind) ?? []);
    for (const e of edges) {
      if (liveEdges.has(e)) continue;
      const [from, to] = e.split(' → ');
      if (accounted.some((l) => l === from || l === to) || follows(from!) || follows(to!)) continue;
      findings.push(`relation missing ${kind} ${e}`);
    }
  }
  return { equal, findings, typesWithDifferences: new Set([...missing.map((x) => x.type), ...differs.map((x) => x.a.type)]) };
}

/** What a partial restore (the objects or attributes scenario) was asked to bring back. */
export interface PartialSelection {
  /** archived ids the restore brought back: the selection and what the plan included with it (`Plan.included`) */
  objectIds: readonly string[];
  /** the attributes scenario: the selected properties; absent for the objects scenario */
  attributes?: readonly string[];
}

/**
 * Compares a tenant restored in place by a partial restore with the archive and with the tenant
 * as it was just before (`damaged`), all three read through Graph, by label:
 * - each restored object is there, every property as archived (objects), or every selected property
 *   as archived and every other one as it was before (attributes), or accounted for as
 *   `compareReadBack` accounts; a relation of the archive with a restored end is there;
 * - nothing else moved: every other object is there with each property as before or, for the objects
 *   scenario only, as archived (a reference re-linked to a recreated object); no object appears that
 *   was neither there before nor restored; no relation of before is gone, and a new one joins the
 *   archive's with a restored end (objects), or there is none (attributes).
 * `equal` counts restored objects equal to the archive in every compared property.
 */
export function comparePartial(archive: TenantData, damaged: TenantData, live: TenantData, restore: RestoreFacts, sel: PartialSelection): ReadBackResult {
  const A = labelTenant(archive, tenantAliases(archive));
  // the objects deleted before the restore are named as archived where the tenant still refers to
  // them; not after it: a reference left to an object that came back with a new id must show
  const D = labelTenant(damaged, tenantAliases(damaged), {}, (id) => A.label(id));
  const L = labelTenant(live, tenantAliases(live));
  const { named, excused } = accountingOf(archive, restore, A, new Map());
  const chosen = new Set(sel.objectIds);
  const attrs = sel.attributes ? new Set(sel.attributes) : undefined;
  const restored = new Set<string>();
  const findings: string[] = [];
  const differences = new Set<ResourceType>();
  let equal = 0;
  for (const d of catalog) {
    const arch = byLabel(A, d.type);
    const before = byLabel(D, d.type);
    const after = byLabel(L, d.type);
    // the selection, by label: an object recreated has a new id
    for (const a of A.objects.get(d.type) ?? []) {
      if (!chosen.has(a.id)) continue;
      restored.add(a.label);
      let m = after.get(a.label) ?? [];
      // several archived objects of this label: as many after, paired in order of content (as in compareReadBack)
      const twins = arch.get(a.label) ?? [];
      if (twins.length > 1 && m.length === twins.length) m = [pairOf(a, twins, m)];
      if (m.length > 1) findings.push(`duplicate ${d.type} ${a.label}: ${m.length} after the restore`);
      if (m.length !== 1) {
        if (m.length === 0 && !named.has(a.id)) findings.push(`missing ${d.type} ${a.label}`);
        differences.add(d.type);
        continue;
      }
      const b = m[0]!;
      const was = before.get(a.label)?.[0];
      let same = true;
      for (const p of propertyDiff(a.content, b.content)) {
        // an attribute not selected keeps the value it had before the restore
        if (attrs && !attrs.has(p)) continue;
        same = false;
        if (!named.has(a.id) && !excused(a, b, p)) findings.push(`differs ${d.type} ${a.label} ${p}: ${JSON.stringify(a.content[p])} → ${JSON.stringify(b.content[p])}`);
      }
      if (attrs && was) {
        for (const p of propertyDiff(was.content, b.content).filter((x) => !attrs.has(x))) findings.push(`changed unselected ${d.type} ${a.label} ${p}: ${JSON.stringify(was.content[p])} → ${JSON.stringify(b.content[p])}`);
      }
      if (same) equal++;
      else differences.add(d.type);
    }
    // everything else, in place: paired by id with the tenant before the restore
    const beforeById = new Map((D.objects.get(d.type) ?? []).map((o) => [o.id, o]));
    const afterIds = new Set<string>();
    for (const b of L.objects.get(d.type) ?? []) {
      afterIds.add(b.id);
      if (chosen.has(b.id)) continue;
      const was = beforeById.get(b.id);
      if (!was) {
        // an object the restore brought back, or one that came back with its restored parent (an
        // app's extension properties, with the app from the recycle bin) as archived
        const withParent = [...restored].some((l) => b.label.startsWith(`${l}/`)) && sameContent(arch.get(b.label)?.[0]?.content, b.content);
        if (!restored.has(b.label) && !withParent) findings.push(`appeared ${d.type} ${b.label}: neither there before nor restored`);
        continue;
      }
      const archived = arch.get(was.label)?.[0];
      for (const p of propertyDiff(was.content, b.content)) {
        // a reference re-linked to an object that came back with a new id moves toward the archive
        const towardArchive = !attrs && archived !== undefined && JSON.stringify(archived.content[p] ?? null) === JSON.stringify(b.content[p] ?? null);
        if (!towardArchive && !named.has(b.id)) findings.push(`changed outside the selection ${d.type} ${was.label} ${p}: ${JSON.stringify(was.content[p])} → ${JSON.stringify(b.content[p])}`);
      }
      // and must have: a property whose archived value names a restored object (or is named after
      // one: an app's extension attribute) is as archived, unless a manual step names the object
      if (!attrs && archived && !named.has(b.id)) {
        for (const p of propertyDiff(archived.content, b.content)) {
          const text = `${p} ${JSON.stringify(archived.content[p] ?? null)}`;
          if ([...restored].some((l) => names(text, l))) findings.push(`not re-linked ${d.type} ${was.label} ${p}: ${JSON.stringify(archived.content[p] ?? null)} → ${JSON.stringify(b.content[p] ?? null)}`);
        }
      }
    }
    for (const [id, was] of beforeById) if (!afterIds.has(id)) findings.push(`removed ${d.type} ${was.label}: there before the restore`);
  }
  const touchesRestored = (e: string) => e.split(' → ').some((end) => restored.has(end));
  const dynamic = (o: Labelled) => (Array.isArray(o.content.groupTypes) && o.content.groupTypes.includes('DynamicMembership')) || o.content.membershipType === 'Dynamic';
  const ruled = new Set([...A.objects.values()].flat().filter(dynamic).map((o) => o.label));
  const namedLabels = new Set([...named].map((id) => A.label(id)));
  for (const [kind, edges] of A.relations) {
    const now = new Set(L.relations.get(kind) ?? []);
    for (const e of edges) if (touchesRestored(e) && !now.has(e) && !e.split(' → ').some((end) => namedLabels.has(end))) findings.push(`relation missing ${kind} ${e}`);
  }
  for (const kind of new Set([...D.relations.keys(), ...L.relations.keys()])) {
    const was = new Set(D.relations.get(kind) ?? []);
    const now = new Set(L.relations.get(kind) ?? []);
    const archived = new Set(A.relations.get(kind) ?? []);
    for (const e of was) if (!now.has(e)) findings.push(`relation removed ${kind} ${e}`);
    // attributes: only a rule's membership may follow a restored attribute (a user's department back in a dynamic group)
    for (const e of now) if (!was.has(e) && (!archived.has(e) || !touchesRestored(e) || (attrs && !ruled.has(e.split(' → ')[0]!)))) findings.push(`relation added ${kind} ${e}`);
  }
  return { equal, findings, typesWithDifferences: differences };
}

/** Reasons that say why something is not back: a blocked or unresolved reference, a property left as it was. */
export const SAYS_WHY = /^(not restorable: |unresolved reference )/;

/**
 * The archived ids a report names as not (fully) restored with a reason `why` accepts, for
 * `RestoreFacts.reported`. A missing relation's reason explains its edge, not its `from` object,
 * so it names nothing here.
 */
export function reportedIds(deviations: readonly Deviation[] | undefined, why: RegExp = SAYS_WHY): Set<string> {
  return new Set((deviations ?? []).filter((d) => d.what !== 'relationMissing' && why.test(d.reason)).map((d) => d.archivedId ?? ''));
}
