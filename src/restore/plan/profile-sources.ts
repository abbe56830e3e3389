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
 *   target's source matched to X (X itself when the restore creates it), the URL's prefix kept; an
 *   entry in another form or naming a source the archive lacks is kept as archived.
 */
import type { ResourceType } from '../../catalog/types.js';
import type { DirObject, Json, JsonObject } from '../../model.js';

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

/**
 * A property setting's prioritizedSourceUrls in the target's terms: each `profileSources(sourceId='X')`
 * names the source archived as X, so it becomes the sourceId of the target's source matched to it
 * (`targetOf`: undefined when the archive has no such source, then the URL is kept).
 */
export function relinkSourceUrls(out: JsonObject, targetOf: (archivedSourceId: string) => string | undefined): void {
  const urls = out['prioritizedSourceUrls'];
  if (!Array.isArray(urls)) return;
  out['prioritizedSourceUrls'] = urls.map((u: Json): Json => {
    const m = typeof u === 'string' ? SOURCE_URL.exec(u) : null;
    if (!m) return u;
    const target = targetOf(m[2]!.replace(/''/g, "'"));
    return target === undefined ? u : `${m[1]}${target.replace(/'/g, "''")}${m[3]}`;
  });
}
