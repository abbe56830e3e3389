/**
 * The planner's embedded-appId phase (docs/graph-facts.md §3 "Values that embed an appId
 * or the tenant"). Graph assigns a recreated application a new appId, so every string
 * that embeds the archived appId of an application this plan creates must be written
 * with the new one: an identifier URI `api://<appId>`, a service principal name, a URL.
 * - In the application's own create body such a value cannot be sent (the new appId is
 *   not known yet, and Entra refuses `api://<another appId>`): the properties holding it
 *   move to a follow-up update that runs right after the create, with `embedded` slots.
 * - In any other op's body the value gets an `embedded` appId slot and the op waits for
 *   the application (and its follow-up).
 * The old tenant id and initial domain, and the appIds of applications matched at plan
 * time, are already rewritten in the bodies by the diff's mapToLive (restore/diff.ts).
 * Every rewrite is listed in the plan's warnings. Pure.
 */
import type { Json, JsonObject } from '../../model.js';
import type { Operation, RefSlot } from '../types.js';
import { compileRewrites, embeddedIn, embedsAny, stringLeaves, type Rewrite, type Rewriter } from '../embed.js';
import { cmp } from '../json.js';
import { str, type PlanContext } from './context.js';
import { followUpId, opIdsInUse } from './split.js';
import type { Resolved } from './updates.js';

type BodyOp = Extract<Operation, { kind: 'create' | 'update' }>;

interface RecreatedApp {
  archivedId: string;
  appId: string;
  createOpId: string;
  /** The follow-up update writing the values that embed its own appId, if it needs one. */
  followOpId?: string;
}

const samePath = (a: (string | number)[], b: (string | number)[]): boolean => a.length === b.length && a.every((k, i) => k === b[i]);

/** Applications this plan creates (a new appId), by archived appId (lower case). */
function recreatedApps(ctx: PlanContext, res: Resolved, ops: readonly Operation[]): Map<string, RecreatedApp> {
  const out = new Map<string, RecreatedApp>();
  // which of the applications' producers are creates: a set of those few, not a map of every op
  const producers = new Set<string>();
  for (const app of ctx.archive.objects.application ?? []) {
    const opId = res.producer.get(app.id);
    if (opId) producers.add(opId);
  }
  const creates = new Set<string>();
  if (producers.size > 0) for (const o of ops) if (o.kind === 'create' && producers.has(o.opId)) creates.add(o.opId);
  for (const app of ctx.archive.objects.application ?? []) {
    const appId = str(app['appId']);
    const opId = res.producer.get(app.id);
    if (!appId || !opId || !creates.has(opId)) continue;
    out.set(appId.toLowerCase(), { archivedId: app.id, appId, createOpId: opId });
  }
  return out;
}

const GUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * Cheap pre-check (a 10k-user plan has tens of thousands of bodies): does any string of
 * `v` at least `min` characters long pass `test`? No copies, no paths.
 */
export function anyLongString(v: Json | undefined, min: number, test: (s: string) => boolean): boolean {
  if (typeof v === 'string') return v.length >= min && test(v);
  if (Array.isArray(v)) return v.some((x) => anyLongString(x, min, test));
  if (v !== null && typeof v === 'object') {
    for (const k in v) if (anyLongString(v[k], min, test)) return true;
  }
  return false;
}

/** Whether `s` holds a GUID that `ids` has (lower case). */
function embedsOneOf(s: string, ids: { has(id: string): boolean }): boolean {
  for (const m of s.matchAll(GUID_RE)) if (ids.has(m[0].toLowerCase())) return true;
  return false;
}

/**
 * The top-level properties of `value` with a string that holds one of `ids` (GUIDs, lower case:
 * appIds, object ids), each with the ids it holds, outside `id` and `appId` and the paths `skip`
 * names (they hold a reference slot of their own). The `objects` scenario's re-linking finds with
 * it the live objects that still name a recreated object by its old id or appId (./relink.ts).
 */
export function propertiesEmbedding(value: JsonObject, ids: ReadonlySet<string>, skip: (at: (string | number)[]) => boolean): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  if (ids.size === 0 || !anyLongString(value, 36, (s) => embedsOneOf(s, ids))) return out;
  for (const leaf of stringLeaves(value)) {
    if (leaf.at[0] === 'id' || leaf.at[0] === 'appId' || skip(leaf.at)) continue;
    for (const m of leaf.value.matchAll(GUID_RE)) {
      const id = m[0].toLowerCase();
      if (!ids.has(id)) continue;
      const p = String(leaf.at[0]);
      const held = out.get(p) ?? new Set<string>();
      held.add(id);
      out.set(p, held);
    }
  }
  return new Map([...out].sort((a, b) => cmp(a[0], b[0])));
}

function mayEmbed(body: JsonObject, apps: Map<string, RecreatedApp>): boolean {
  return anyLongString(body, 36, (s) => embedsOneOf(s, apps));
}

/** String leaves of the body that embed a recreated appId and hold no reference slot of their own. */
function embeddings(op: BodyOp, rw: Rewriter, apps: Map<string, RecreatedApp>): { at: (string | number)[]; app: RecreatedApp }[] {
  const out: { at: (string | number)[]; app: RecreatedApp }[] = [];
  // read once: a held body (../held-bodies.ts) is parsed at each read
  const body = op.body;
  if (!mayEmbed(body, apps)) return out;
  for (const leaf of stringLeaves(body)) {
    if (leaf.at[0] === 'id' || leaf.at[0] === 'appId') continue;
    if (op.refs.some((s) => samePath(s.at, leaf.at) && !s.embedded)) continue;
    for (const r of embeddedIn(leaf.value, rw)) {
      const app = apps.get(r.from.toLowerCase());
      if (app) out.push({ at: leaf.at, app });
    }
  }
  return out;
}

function slotFor(at: (string | number)[], app: RecreatedApp): RefSlot {
  return { at, by: 'appId', archivedTargetId: app.archivedId, targetType: 'application', embedded: app.appId };
}

/** Moves the top-level properties of an app's create that embed its own appId to a follow-up update. */
function splitOwnCreate(ctx: PlanContext, op: Extract<Operation, { kind: 'create' }>, own: { at: (string | number)[]; app: RecreatedApp }[], taken: Set<string>): Operation[] {
  const app = own[0]?.app as RecreatedApp;
  const keys = new Set(own.map((e) => String(e.at[0])));
  const body: JsonObject = {};
  const rest: JsonObject = {};
  for (const [k, v] of Object.entries(op.body)) (keys.has(k) ? rest : body)[k] = v as Json;
  const moved = (s: RefSlot): boolean => keys.has(String(s.at[0]));
  const followId = followUpId(taken, op);
  app.followOpId = followId;
  const desc = ctx.catalog.descriptor(op.type);
  const props = [...keys].sort(cmp);
  const follow: Operation = {
    opId: followId, kind: 'update', tier: op.tier,
    dependsOn: [...new Set([op.opId, ...op.dependsOn])].sort(cmp),
    label: `Set ${props.join(', ')} of ${desc.title} ${ctx.nameOf(op.archivedId)} with its new appId`,
    type: op.type, archivedId: op.archivedId,
    changes: props.map((p) => ({ property: p, archived: rest[p] ?? null, live: null })),
    body: rest,
    refs: [...op.refs.filter(moved), ...own.map((e) => slotFor(e.at, e.app))],
  };
  ctx.warnings.push(`${desc.title} ${ctx.nameOf(op.archivedId)}: ${props.join(', ')} embed(s) its archived appId ${app.appId}; written after creation with the new appId Graph assigns (update every client that uses the old value)`);
  return [{ ...op, body, refs: op.refs.filter((s) => !moved(s)) }, follow];
}

/**
 * Rewrites the plan's operations so no body carries a recreated application's archived
 * appId (see the module comment). Returns the operations, with follow-up updates added.
 */
export function remapEmbeddedAppIds(ctx: PlanContext, res: Resolved, ops: Operation[]): Operation[] {
  const apps = recreatedApps(ctx, res, ops);
  if (apps.size === 0) return ops;
  // Only used to find the old appIds: the new ones are known at execution (the slots).
  const rw = compileRewrites([...apps.values()].map((a): Rewrite => ({ from: a.appId, to: `(new appId of ${a.appId})`, what: 'appId' })));
  // the opIds in use, made when an application's own create is first split (rare)
  const taken = opIdsInUse(ops);
  const out: Operation[] = [];
  const others: { op: BodyOp; found: { at: (string | number)[]; app: RecreatedApp }[] }[] = [];
  // Own-appId values first, so the others can wait for the follow-up that writes them.
  for (const op of ops) {
    if (op.kind !== 'create' && op.kind !== 'update') {
      out.push(op);
      continue;
    }
    const found = embeddings(op, rw, apps);
    const own = found.filter((e) => op.kind === 'create' && op.type === 'application' && e.app.archivedId === op.archivedId);
    if (own.length && op.kind === 'create') {
      const [created, follow] = splitOwnCreate(ctx, op, own, taken());
      const rest = found.filter((e) => !own.includes(e));
      others.push({ op: created as BodyOp, found: rest.filter((e) => !own.some((o) => o.at[0] === e.at[0])) });
      others.push({ op: follow as BodyOp, found: rest.filter((e) => own.some((o) => o.at[0] === e.at[0])) });
      continue;
    }
    others.push({ op, found });
  }
  for (const { op, found } of others) {
    if (found.length === 0) {
      out.push(op);
      continue;
    }
    const deps = new Set(op.dependsOn);
    for (const e of found) deps.add(e.app.followOpId ?? e.app.createOpId);
    deps.delete(op.opId);
    const desc = ctx.catalog.descriptor(op.type);
    const names = [...new Set(found.map((e) => ctx.nameOf(e.app.archivedId)))].sort(cmp);
    ctx.warnings.push(`${desc.title} ${ctx.describe(op.type, op.archivedId)}: ${[...new Set(found.map((e) => String(e.at[0])))].sort(cmp).join(', ')} embed(s) the archived appId of ${names.join(', ')}; written with the new appId`);
    out.push({ ...op, dependsOn: [...deps].sort(cmp), refs: [...op.refs, ...found.map((e) => slotFor(e.at, e.app))] });
  }
  return out;
}

/**
 * Whether a value embeds the archived tenant (its id or initial domain), with the rewrites that
 * say so; undefined when nothing is rewritten.
 */
export function embedsTenantTest(ctx: Pick<PlanContext, 'match'>): { hit: (v: Json | undefined) => boolean; rewrites: readonly Rewrite[] } | undefined {
  const rw = compileRewrites(ctx.match.tenantRewrites ?? []);
  if (!rw.re) return undefined;
  return { hit: (v) => anyLongString(v, rw.minLength, (x) => embedsAny(x, rw)), rewrites: rw.rewrites };
}

/**
 * One warning for the values the diff rewrote from the archived tenant to the target
 * (tenant id, initial domain) in the bodies this plan writes, so the operator sees them.
 */
export function tenantRewriteWarnings(ctx: PlanContext, ops: Operation[]): void {
  const tenant = embedsTenantTest(ctx);
  if (!tenant) return;
  const { hit } = tenant;
  const hits = new Map<string, Set<string>>();
  for (const op of ops) {
    if (op.kind !== 'create' && op.kind !== 'update') continue;
    const entry = ctx.archivedById.get(op.archivedId);
    // a user let go of (./release.ts): which of its values embed the tenant was recorded then
    if (entry?.type === 'user' && ctx.releasedUsers) {
      const keys = ctx.releasedUsers.get(op.archivedId);
      // read once, and only when asked: a held body (../held-bodies.ts) is parsed at each read
      const body = keys && keys.length > 0 ? op.body : undefined;
      for (const k of keys ?? []) if (body && k in body) hits.set(k, (hits.get(k) ?? new Set<string>()).add(op.archivedId));
      continue;
    }
    const archived = entry?.obj;
    if (!archived || !hit(archived as JsonObject)) continue;
    for (const k of Object.keys(op.body)) {
      if (k === 'id' || k === 'userPrincipalName') continue;
      const v = archived[k];
      if (v === undefined || !hit(v)) continue;
      const set = hits.get(k) ?? new Set<string>();
      set.add(op.archivedId);
      hits.set(k, set);
    }
  }
  if (hits.size === 0) return;
  const what = tenant.rewrites.map((r) => `${r.from} → ${r.to}`).join(', ');
  const props = [...hits].sort((a, b) => cmp(a[0], b[0])).map(([k, ids]) => `${k} (${ids.size})`).join(', ');
  ctx.warnings.push(`Values embedding the archived tenant (${what}) are written in the target's terms: ${props}`);
}
