/**
 * The `objects` scenario's re-linking (issue 11 item 5): a selected object that comes back
 * with a new id (recreated, not restored from the recycle bin) leaves every live object that
 * named it pointing at the old id: a Conditional Access policy, a PIM role setting, an admin
 * consent reviewer, another app's required permissions, a custom extension's or sign-in event
 * listener's app. Those objects are not in the selection, so their archived values must not be
 * written back; only the reference is: the live value of the property that held it, with the
 * recreated object's id (or appId) where the archive had the old one. Each such object is listed
 * in the plan's `included` list with the object that brought it, and keeps its live state (no
 * report-only step, no enable op: nothing else in it changes). A live object no write can re-link
 * (an access package's resources) is listed in a manual step instead
 * (`relinkStep`), never left naming the old id in silence. Pure.
 */
import type { Json, JsonObject } from '../../model.js';
import type { ManualStep } from '../types.js';
import { mapToLive } from '../diff.js';
import { referenceRules } from '../catalog.js';
import type { ResourceType } from '../../catalog/types.js';
import type { JsonPath } from '../json.js';
import { cmp, getAt, jsonEqual, pathToString } from '../json.js';
import { opIdFor, parentOf, type Candidate, type PlanContext } from './context.js';
import { EXTRA_SLOT_TARGETS, resolveBody, type RefContext } from './refs.js';
import { propertiesEmbedding } from './embed.js';
import type { PlanScope } from './scope.js';

/**
 * Types whose live objects are re-linked to recreated selected objects by an update of the
 * property holding the reference: CA policies, PIM role settings whose approval rule names a
 * recreated user or group as approver (its rules are then patched one at a time,
 * execute/pim-rules.ts), for directory roles and groups; an app's required permissions of a
 * recreated API (`requiredResourceAccess`, PATCH application); a custom authentication or task
 * extension's token resource (`authenticationConfiguration`) and a sign-in event listener's apps
 * (`conditions`), which their PATCH takes (docs/graph-facts.md S383); a tenant group setting's
 * group-valued entry (`GroupCreationAllowedGroupId`, ./refs.ts), written with the setting's values.
 */
const RELINKED = new Set(['conditionalAccessPolicy', 'roleManagementPolicy', 'adminConsentRequestPolicy', 'pimGroupPolicy',
  'application', 'customAuthenticationExtension', 'customTaskExtension', 'authenticationEventListener', 'groupSetting',
  // a sign-up flow's apps (`conditions`): the executor adds and removes each app with the calls Graph
  // documents for them (POST / DELETE …/includeApplications, S382; src/restore/execute/flow-apps.ts)
  'authenticationEventsFlow']);

/** Types whose update must name their kind (`@odata.type`): a listener's and a sign-up flow's PATCH (S383, S373). */
const TYPED_UPDATE = new Set(['authenticationEventListener', 'authenticationEventsFlow']);

export const RELINK_STEP_ID = 'manual:relinkByHand';

const samePath = (a: JsonPath, b: JsonPath): boolean => a.length === b.length && a.every((k, i) => k === b[i]);

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Puts `target` where the slot `at` points, creating objects on the way: into the array when
 * the slot is an array element (once), else as the value.
 */
function placeAt(root: JsonObject, at: JsonPath, target: string): void {
  const indexed = typeof at[at.length - 1] === 'number';
  const keyPath = indexed ? at.slice(0, -1) : at;
  const key = keyPath[keyPath.length - 1];
  if (typeof key !== 'string') return;
  let node: JsonObject = root;
  for (const seg of keyPath.slice(0, -1)) {
    if (typeof seg !== 'string') return;
    const next = node[seg];
    if (isObject(next)) node = next;
    else if (next === undefined || next === null) node = node[seg] = {};
    else return;
  }
  if (!indexed) {
    node[key] = target;
    return;
  }
  const arr = node[key];
  if (Array.isArray(arr)) {
    if (!arr.includes(target)) arr.push(target);
  } else node[key] = [target];
}

/**
 * An id inside a string of an array entry (an admin consent reviewer's `query`): the live
 * list keeps its entries (one still naming the old id resolves to the recreated object); the
 * archived entry is added when the live list lacks it.
 */
function placeEntry(root: JsonObject, archived: JsonObject, at: JsonPath): void {
  const [top, index] = at;
  if (typeof top !== 'string' || typeof index !== 'number') return;
  const entry = (archived[top] as Json[] | undefined)?.[index];
  const list = root[top];
  if (entry === undefined || !Array.isArray(list)) return;
  // compared canonically: the live entry may list its members in another order than the archive
  if (!list.some((x) => jsonEqual(x, entry))) list.push(JSON.parse(JSON.stringify(entry)) as Json);
}

/** How live objects may still name what this plan recreates (`relinkCandidates`). */
interface RecreatedNames {
  /** The old appIds of the applications this plan recreates (lower case). */
  oldAppIds: ReadonlySet<string>;
  /** The archived ids (GUIDs, lower case) of every object this plan recreates. */
  createdGuids: ReadonlySet<string>;
  /** The archived app of each old appId (lower case). */
  appOf: ReadonlyMap<string, string>;
  /** Whether an object of type `t` may name a recreated object: by id, or by an extension attribute's name. */
  namesCreated(t: ResourceType, obj: JsonObject): boolean;
}

function recreatedNames(ctx: PlanContext, createdIds: ReadonlySet<string>): RecreatedNames {
  const appOf = new Map<string, string>();
  for (const app of ctx.archive.objects.application ?? []) {
    if (createdIds.has(app.id) && typeof app['appId'] === 'string') appOf.set(app['appId'].toLowerCase(), app.id);
  }
  const oldAppIds = new Set(appOf.keys());
  // only types with a reference rule to a recreated type can name one by id (at 100k users most
  // objects are users, which name nothing recreated): the others are looked at for embedded appIds only
  const createdTypes = new Set([...createdIds].map((x) => ctx.archivedById.get(x)?.type));
  const byId = new Map<string, boolean>();
  const byExtension = new Map<string, boolean>();
  const extensionPrefixes = [...oldAppIds].map((a) => `extension_${a.replace(/-/g, '')}_`);
  const createdGuids = new Set([...createdIds].map((x) => x.toLowerCase()).filter((x) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(x)));
  return {
    oldAppIds,
    createdGuids,
    appOf,
    namesCreated(t, obj) {
      let v = byId.get(t);
      if (v === undefined) {
        const rules = referenceRules(ctx.catalog.descriptor(t)).filter((r) => r.targets.some((x) => createdTypes.has(x)));
        byId.set(t, (v = rules.some((r) => r.by !== 'extensionName') || (EXTRA_SLOT_TARGETS[t] ?? []).some((x) => createdTypes.has(x))));
        byExtension.set(t, rules.some((r) => r.by === 'extensionName'));
      }
      return v || (byExtension.get(t) === true && Object.keys(obj).some((k) => extensionPrefixes.some((x) => k.toLowerCase().startsWith(x))));
    },
  };
}

/**
 * Update candidates (with `relink` set) for live out-of-scope objects that referenced a
 * selected object this plan recreates with a new id. Adds each to `scope.included`; an object
 * whose live value holds a reference nothing resolves is left alone with a plan warning, and one
 * of a type no write re-links, or whose reference cannot be placed, goes to `ctx.relinkByHand`.
 */
export function relinkCandidates(ctx: PlanContext, scope: PlanScope, rc: RefContext, createdIds: ReadonlySet<string>): Candidate[] {
  const out: Candidate[] = [];
  if (!scope.included || createdIds.size === 0) return out;
  const { oldAppIds, createdGuids, appOf, namesCreated } = recreatedNames(ctx, createdIds);
  // in id order: the plan must not depend on the order of the input arrays
  for (const [id, entry] of ctx.inIdOrder()) {
    if (scope.ids.has(id)) continue;
    const e = ctx.match.entries.get(id);
    if (e?.state !== 'live' || !e.live) continue;
    const names = namesCreated(entry.type, entry.obj as JsonObject);
    if (!names && oldAppIds.size === 0 && createdGuids.size === 0) continue;
    const desc = ctx.catalog.descriptor(entry.type);
    // mapped (a copy of the archived object) only for types that may name a recreated object: at
    // 100k users a copy of every user was most of this phase's time
    const mapped = names ? mapToLive(desc, entry.obj, ctx.match) : {};
    const slots = names ? resolveBody(desc, mapped, rc).refs.filter((s) => createdIds.has(s.archivedTargetId)) : [];
    // values that embed a recreated app's old appId (a token resource `api://…/{appId}`): written
    // from their live value, and ./embed.ts remapEmbeddedAppIds gives them the new appId
    // read-only properties are Graph's record, not references to re-link (a group's assignedLicenses)
    const readOnly = new Set(desc.readOnly);
    // a read-only property (Graph's record) or a slot the catalog already re-links is not scanned
    const skipPath = (at: JsonPath): boolean => readOnly.has(String(at[0])) || slots.some((s) => samePath(s.at, at));
    const embedding = propertiesEmbedding(e.live as JsonObject, oldAppIds, skipPath);
    // any other value still holding a recreated object's old id (a reference no catalog rule names:
    // the device registration policy's groups) is never re-linked in silence: listed by hand
    const stray = propertiesEmbedding(e.live as JsonObject, createdGuids, (at) => skipPath(at) || embedding.has(String(at[0])));
    for (const [p, held] of stray) for (const t of held) ctx.relinkByHand.push({ archivedId: id, type: entry.type, path: p, targetId: t });
    if (stray.size > 0) ctx.warnings.push(`${desc.title} ${ctx.nameOf(id)}: ${[...stray.keys()].join(', ')} still name(s) an object the restore recreates with a new id; see ${RELINK_STEP_ID}`);
    if (slots.length === 0 && embedding.size === 0) continue;
    // each embedded old appId names its archived app
    const appsIn = (held: Set<string>): string[] => [...held].map((a) => appOf.get(a) as string);
    const targets = [...new Set([...slots.map((s) => s.archivedTargetId), ...[...embedding.values()].flatMap(appsIn)])];
    const byHand = (why = 'no write can re-link it') => {
      for (const s of slots) ctx.relinkByHand.push({ archivedId: id, type: entry.type, path: pathToString(s.at), targetId: s.archivedTargetId });
      for (const [p, held] of embedding) for (const t of appsIn(held)) ctx.relinkByHand.push({ archivedId: id, type: entry.type, path: p, targetId: t });
      ctx.warnings.push(`${desc.title} ${ctx.nameOf(id)} still names the old ${targets.map((t) => ctx.nameOf(t)).join(', ')}: ${why}; see ${RELINK_STEP_ID}`);
    };
    // a value of a recreated app's extension attribute (a user's `extension_{appId}_costCenter`) is
    // written under the name the new appId gives it, whatever the object's type
    const extensionsOnly = embedding.size === 0 && slots.every((s) => s.by === 'extensionName');
    if (!RELINKED.has(entry.type) && !extensionsOnly) {
      byHand();
      continue;
    }
    const body: JsonObject = {};
    for (const p of embedding.keys()) body[p] = JSON.parse(JSON.stringify(e.live[p] ?? null)) as Json;
    for (const s of slots) {
      if (s.by === 'extensionName') {
        const key = s.at[1];
        if (typeof key === 'string' && mapped[key] !== undefined) body[key] = JSON.parse(JSON.stringify(mapped[key])) as Json;
        continue;
      }
      const top = s.at[0];
      if (typeof top !== 'string') continue;
      if (!(top in body)) body[top] = JSON.parse(JSON.stringify(e.live[top] ?? {})) as Json;
      if (s.by === 'idInText') placeEntry(body, mapped, s.at);
      // the live value still holds the archived one where the archive had it (an app's required
      // permissions of the old API): the slot rewrites it to the recreated object's
      else if (jsonEqual(getAt(e.live as JsonObject, s.at), getAt(mapped, s.at))) continue;
      // else the archived value: the object's id, or for an appId reference its appId (placing the
      // object id there left the policy naming an id no app has, and unre-linked)
      else {
        const value = getAt(mapped, s.at);
        placeAt(body, s.at, typeof value === 'string' ? value : s.archivedTargetId);
      }
    }
    const check = resolveBody(desc, body, rc);
    if (check.unresolved.length > 0) {
      byHand(`not re-linked because it also holds reference(s) nothing resolves (${check.unresolved.map((u) => `${u.path}=${u.value}`).join(', ')})`);
      continue;
    }
    if (!slots.every((s) => check.refs.some((r) => r.archivedTargetId === s.archivedTargetId))) {
      byHand();
      continue;
    }
    const props = Object.keys(body).sort();
    // a listener's and a flow's PATCH must name its kind (docs/graph-facts.md S383, S373)
    if (TYPED_UPDATE.has(entry.type) && typeof e.live['@odata.type'] === 'string') body['@odata.type'] = e.live['@odata.type'];
    out.push({
      opId: opIdFor('update', entry.type, id), kind: 'update', type: entry.type, archivedId: id, tier: desc.tier, body,
      changes: props.map((p) => ({ property: p, archived: body[p] ?? null, live: e.live?.[p] ?? null })), after: [], relink: true,
      // a group's PIM settings live under their group (catalog/pim-group-policies.ts)
      ...(parentOf(ctx, desc, entry.obj) ? { parent: parentOf(ctx, desc, entry.obj) as string } : {}),
    });
    if (!scope.included.some((x) => x.archivedId === id)) scope.included.push({ archivedId: id, type: entry.type, displayName: ctx.nameOf(id), requiredBy: targets[0] as string });
  }
  return out;
}

/** The manual step for the live objects no write re-links to a recreated object (undefined: none). */
export function relinkStep(ctx: PlanContext): ManualStep | undefined {
  const list = [...ctx.relinkByHand].sort((a, b) => cmp(a.archivedId, b.archivedId) || cmp(a.path, b.path));
  if (list.length === 0) return undefined;
  return {
    id: RELINK_STEP_ID,
    kind: 'other',
    title: `Point ${new Set(list.map((x) => x.archivedId)).size} object(s) at the objects restored with a new id`,
    instructions: [
      'These objects were not selected and still name the old id (or appId) of an object the restore recreated. Graph takes no write the restore can make for them, so change each by hand:',
      ...list.map((x) => `- ${ctx.catalog.descriptor(x.type).title} ${ctx.nameOf(x.archivedId)}: ${x.path} names ${ctx.nameOf(x.targetId)}; point it at the restored ${ctx.nameOf(x.targetId)}`),
    ].join('\n'),
    objects: [...new Set(list.map((x) => x.archivedId))],
  };
}
