/**
 * The restore's rule for profile sources and profile property settings (issue 15 item 10;
 * docs/graph-facts.md §3 "People settings", S370-S372). Pure.
 *
 * - A profile source is archived under its sourceId (src/snapshot/walker.ts `normalize`), the
 *   alternate key every documented Get, Update and Delete URL uses, and sourceId cannot change
 *   (S370, S371): so the same sourceId in the target is the same source (matched by id), and one
 *   absent is created with its archived sourceId.
 * - Microsoft's own Entra ID source (kind `MSEntra`, S370) has a GUID for sourceId that differs
 *   between tenants: it matches the target's one `MSEntra` source whatever its sourceId, and is
 *   never created (src/restore/catalog.ts `isMicrosoftBuiltIn`), so a built-in is never duplicated.
 *   Its sourceId and kind are Microsoft's; its name, URL and labels are the tenant's, patched.
 * - A profile property setting matches by name; the nameless one (the tenant-level precedence,
 *   at most one per collection, S372) matches the target's nameless one.
 * - prioritizedSourceUrls entries of the form `…/profileSources(sourceId='X')` are re-linked to the
 *   target's source matched to X (X itself when the restore creates it), the URL's prefix kept.
 *   Entries of the form `…/profileSources/{id}` name a source by its Graph id, which differs per
 *   tenant: the archive keeps it as `@graphId` (src/catalog/people-settings.ts GRAPH_ID_KEY), and
 *   the entry becomes the target's id of the matched source, or the sourceId form when the restore
 *   creates the source (its new id is unknown until then). An entry naming no source of the target
 *   nor of this plan (the target lacks the MSEntra source, the archive lacks the source) is
 *   reported and left out of the write ({@link unresolvedSourceUrls}), never written stale; an
 *   entry in any other form is kept as archived.
 */
import type { ResourceType } from '../../catalog/types.js';
import { GRAPH_ID_KEY } from '../../catalog/people-settings.js';
import type { DirObject, Json, JsonObject } from '../../model.js';
import type { ManualStep, Plan } from '../types.js';
import { cmp } from '../json.js';

/** The kind of Microsoft's Entra ID profile source, present in every tenant (S370). */
export const ENTRA_SOURCE_KIND = 'MSEntra';

/** Whether `obj` is Microsoft's built-in Entra ID profile source. */
export function isBuiltInProfileSource(type: ResourceType, obj: DirObject): boolean {
  return type === 'profileSource' && obj['kind'] === ENTRA_SOURCE_KIND;
}

/** Microsoft's part of its built-in source: never compared nor written. */
export function isMicrosoftOwnedSourceProperty(prop: string): boolean {
  return prop === 'sourceId' || prop === 'kind';
}

const nameless = (o: DirObject): boolean => o['name'] === null || o['name'] === undefined || o['name'] === '';

/**
 * The live object an archived profile source or property setting matches when neither its id
 * nor its natural key did: the target's one `MSEntra` source, or the target's nameless setting.
 */
export function profileSlotMatch(type: ResourceType, a: DirObject, liveObjs: readonly DirObject[], used: ReadonlySet<string>): DirObject | undefined {
  let free: DirObject[] = [];
  if (isBuiltInProfileSource(type, a)) free = liveObjs.filter((l) => l['kind'] === ENTRA_SOURCE_KIND && !used.has(l.id));
  else if (type === 'profilePropertySetting' && nameless(a)) free = liveObjs.filter((l) => nameless(l) && !used.has(l.id));
  return free.length === 1 ? free[0] : undefined;
}

/** Takes (`take`) the live object {@link profileSlotMatch} finds for `a`; whether there was one. */
export function takeProfileSlot(type: ResourceType, a: DirObject, liveObjs: readonly DirObject[], used: ReadonlySet<string>, take: (l: DirObject) => void): boolean {
  const l = profileSlotMatch(type, a, liveObjs, used);
  if (l) take(l);
  return l !== undefined;
}

const SOURCE_URL = /^(.*\/profileSources\(sourceId=')((?:[^']|'')*)('\).*)$/;
const GRAPH_ID_URL = /^(.*\/profileSources)\/([^/?#()']+)$/;

/** Both tenants' profile sources by Graph id (lower-cased GUID), for the `…/profileSources/{id}` form. */
export interface ProfileSourceIndex {
  /** Graph id → archived sourceId (the archive id). */
  archivedByGraphId: Map<string, string>;
  /** Graph id → the target's sourceId (its live id). */
  liveByGraphId: Map<string, string>;
  /** The target's sourceId → its Graph id. */
  graphIdOfLive: Map<string, string>;
}

/** What the re-linking needs of the match (src/restore/diff.ts TenantMatch). */
export interface SourceMatch {
  entries: ReadonlyMap<string, { type: ResourceType; archived: DirObject }>;
  idMap: ReadonlyMap<string, string>;
  liveById: ReadonlyMap<string, { type: ResourceType; obj: DirObject }>;
}

const indexes = new WeakMap<SourceMatch, { entries: number; index: ProfileSourceIndex }>();

/** The match's sources by `@graphId`, built once per match (again if it has grown since: matching is under way). */
export function sourceIndexOf(m: SourceMatch): ProfileSourceIndex {
  const cached = indexes.get(m);
  if (cached && cached.entries === m.entries.size) return cached.index;
  const archived = [...m.entries.values()].filter((e) => e.type === 'profileSource').map((e) => e.archived);
  const live = [...m.liveById.values()].filter((l) => l.type === 'profileSource').map((l) => l.obj);
  const index = indexProfileSources(archived, live);
  indexes.set(m, { entries: m.entries.size, index });
  return index;
}

/** Indexes the archived and live sources by their `@graphId`. */
function indexProfileSources(archived: readonly DirObject[], live: readonly DirObject[]): ProfileSourceIndex {
  const idx: ProfileSourceIndex = { archivedByGraphId: new Map(), liveByGraphId: new Map(), graphIdOfLive: new Map() };
  for (const a of archived) if (typeof a[GRAPH_ID_KEY] === 'string') idx.archivedByGraphId.set(a[GRAPH_ID_KEY].toLowerCase(), a.id);
  for (const l of live) {
    if (typeof l[GRAPH_ID_KEY] !== 'string') continue;
    idx.liveByGraphId.set(l[GRAPH_ID_KEY].toLowerCase(), l.id);
    idx.graphIdOfLive.set(l.id, l[GRAPH_ID_KEY]);
  }
  return idx;
}

const bySourceId = (prefix: string, sourceId: string): string => `${prefix}(sourceId='${sourceId.replace(/'/g, "''")}')`;

/**
 * A property setting's prioritizedSourceUrls in the target's terms: `profileSources(sourceId='X')`
 * names the source archived as X and becomes the target's sourceId of it; `profileSources/{id}`
 * names the archived source whose `@graphId` is id and becomes the target's Graph id of it (the
 * sourceId form when the restore creates it). An entry naming no archived source, or Microsoft's
 * source the target lacks (never created), is kept as archived: {@link unresolvedSourceUrls} reports it.
 */
export function relinkSourceUrls(out: JsonObject, m: SourceMatch): void {
  const urls = out['prioritizedSourceUrls'];
  if (!Array.isArray(urls)) return;
  out['prioritizedSourceUrls'] = urls.map((u: Json): Json => (typeof u === 'string' ? relinkOne(u, m) : u));
}

/** The target's sourceId of the source archived as X: live, or X itself when the restore creates it. */
function targetOf(x: string, m: SourceMatch): string | undefined {
  const e = m.entries.get(x);
  if (e?.type !== 'profileSource') return undefined;
  return m.idMap.get(x) ?? (e.archived['kind'] === ENTRA_SOURCE_KIND ? undefined : x);
}

function relinkOne(u: string, m: SourceMatch): string {
  const s = SOURCE_URL.exec(u);
  if (s) {
    const target = targetOf(s[2]!.replace(/''/g, "'"), m);
    return target === undefined ? u : `${s[1]}${target.replace(/'/g, "''")}${s[3]}`;
  }
  const g = GRAPH_ID_URL.exec(u);
  const archived = g ? sourceIndexOf(m).archivedByGraphId.get(g[2]!.toLowerCase()) : undefined;
  const target = archived === undefined ? undefined : targetOf(archived, m);
  if (!g || archived === undefined || target === undefined) return u;
  const liveGraphId = m.idMap.has(archived) ? sourceIndexOf(m).graphIdOfLive.get(target) : undefined;
  return liveGraphId === undefined ? bySourceId(g[1]!, target) : `${g[1]}/${liveGraphId}`;
}

/**
 * The prioritizedSourceUrls entries (already in the target's terms) that name no source of the
 * target (`liveSource`) nor one this plan creates (`created`): their index and value. Written, such
 * an entry would order a source that does not exist (a stale GUID, the archived tenant's MSEntra
 * sourceId), so the planner reports it and leaves it out (src/restore/plan/refs.ts).
 */
export function unresolvedSourceUrls(body: JsonObject, m: SourceMatch, liveSource: (sourceId: string) => boolean, created: (sourceId: string) => boolean): { at: number; value: string }[] {
  const urls = body['prioritizedSourceUrls'];
  if (!Array.isArray(urls)) return [];
  const out: { at: number; value: string }[] = [];
  urls.forEach((u, i) => {
    if (typeof u !== 'string') return;
    const s = SOURCE_URL.exec(u);
    const g = s ? null : GRAPH_ID_URL.exec(u);
    const sourceId = s ? s[2]!.replace(/''/g, "'") : undefined;
    const ok = sourceId !== undefined ? liveSource(sourceId) || created(sourceId) : g ? sourceIndexOf(m).liveByGraphId.has(g[2]!.toLowerCase()) : true;
    if (!ok) out.push({ at: i, value: u });
  });
  return out;
}

/**
 * prioritizedSourceUrls as fidelity compares them: an entry naming a target source by its Graph id
 * in the sourceId form, so the two forms of one source compare equal (the restore writes the
 * sourceId form for a source it creates, whose id it cannot know beforehand).
 */
export function comparableSourceUrls(v: Json | undefined, m: SourceMatch): Json | undefined {
  if (!Array.isArray(v)) return v;
  const index = sourceIndexOf(m);
  return v.map((u) => {
    const g = typeof u === 'string' && !SOURCE_URL.test(u) ? GRAPH_ID_URL.exec(u) : null;
    const sourceId = g ? index.liveByGraphId.get(g[2]!.toLowerCase()) : undefined;
    return g && sourceId !== undefined ? bySourceId(g[1]!, sourceId) : u;
  });
}

export const PROFILE_SOURCE_STEP_ID = 'manual:profileSources';

const NO_ENTRA_SOURCE = `the target has no Microsoft Entra ID profile source (kind ${ENTRA_SOURCE_KIND}): Graph gives one to every tenant and a restore never creates it (docs/graph-facts.md S370); listed in ${PROFILE_SOURCE_STEP_ID}`;

/** Why an archived profile source the target lacks is not created (undefined: other objects). */
export function profileSourceSkipReason(type: ResourceType, obj: DirObject): string | undefined {
  return isBuiltInProfileSource(type, obj) ? NO_ENTRA_SOURCE : undefined;
}

export const PROFILE_PRECEDENCE_STEP_ID = 'manual:profilePrecedence';

/**
 * The manual steps for what the restore could not carry over of the profile sources: the target's
 * missing MSEntra source (its title is the reason fidelity gives), and each precedence entry left
 * out because it names no source of the target.
 */
export function profileSourceSteps(skipped: Plan['skipped'], unresolved: Plan['unresolved'], nameOf: (id: string) => string): ManualStep[] {
  const steps: ManualStep[] = [];
  const entra = (skipped ?? []).filter((s) => s.type === 'profileSource' && s.reason === NO_ENTRA_SOURCE).sort((a, b) => cmp(a.archivedId, b.archivedId));
  if (entra.length > 0) {
    steps.push({
      id: PROFILE_SOURCE_STEP_ID,
      kind: 'other',
      title: `The target has no Microsoft Entra ID profile source (kind ${ENTRA_SOURCE_KIND}): have Microsoft restore it, then run the restore again`,
      instructions: [
        `Every tenant has Microsoft's Entra ID profile source and only Microsoft creates it (docs/graph-facts.md S370), so the restore did not; GET /admin/people/profileSources lists none of kind ${ENTRA_SOURCE_KIND} in the target. Open a support case; once it is listed, run the restore again: its name, URL and labels are set and the precedence names it again.`,
        ...entra.map((s) => `- ${s.displayName} (archived sourceId ${s.archivedId})`),
      ].join('\n'),
      objects: entra.map((s) => s.archivedId),
    });
  }
  const urls = unresolved.filter((u) => u.type === 'profilePropertySetting' && u.path.startsWith('prioritizedSourceUrls')).sort((a, b) => cmp(a.archivedId, b.archivedId) || cmp(a.path, b.path));
  if (urls.length > 0) {
    steps.push({
      id: PROFILE_PRECEDENCE_STEP_ID,
      kind: 'other',
      title: `Put ${urls.length} profile source(s) the target lacks back into the precedence`,
      instructions: [
        'These prioritizedSourceUrls entries name no source of the target, so the restore left them out (the others kept in their order) rather than write a URL naming nothing (docs/graph-facts.md §3 "People settings"). Once the source exists, PATCH /admin/people/profilePropertySettings/{id} with prioritizedSourceUrls in the archived order:',
        ...urls.map((u) => `- ${nameOf(u.archivedId)}: ${u.path} = ${u.value} names no source of the target`),
      ].join('\n'),
      objects: [...new Set(urls.map((u) => u.archivedId))],
    });
  }
  return steps;
}
