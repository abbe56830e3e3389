/**
 * Reference remapping (docs/design.md "Restore": every reference is remapped old id → new
 * id). For every catalog reference rule and every value it finds in a body, decide:
 * keep it (special values, built-in role template ids, foreign appIds, ids already
 * live), write the live value now (target matched at plan time), leave a RefSlot for
 * the executor (target being created/restored by an op of this plan), or report it
 * unresolved. Pure.
 */
import type { ReferenceRule, ResourceDescriptor, ResourceType } from '../../catalog/types.js';
import type { DirObject, Json, JsonObject } from '../../model.js';
import type { RefSlot } from '../types.js';
import type { TenantMatch } from '../diff.js';
import { appIdHex, idInText, idsInText, parseExtensionName, referenceRules, withIdInText, withIdsInText } from '../catalog.js';
import { cloneJson, cmp, findValues, pathToString, setAt, type JsonPath } from '../json.js';
import { resolveTermsOfUse } from './terms-of-use.js';
import { unresolvedSourceUrls } from './profile-sources.js';

/** What the planner knows while resolving references. */
export interface RefContext {
  match: TenantMatch;
  /** Archived id → opId that makes that object exist in the target (create or restoreDeleted). */
  producer: Map<string, string>;
  /** Archived applications and service principals by appId. */
  appByAppId: Map<string, DirObject>;
  spByAppId: Map<string, DirObject>;
  /** Archived applications by appId without dashes (extension names). */
  appByHex: Map<string, DirObject>;
  /** Archived extension properties by full name (`extension_<hex>_<name>`). */
  extensionByName: Map<string, DirObject>;
  /** appIds of applications and service principals present in the target. */
  liveAppIds: Set<string>;
  liveAppHex: Set<string>;
}

export type Resolution =
  | { kind: 'keep' }
  | { kind: 'value'; value: string }
  | { kind: 'slot'; archivedTargetId: string; targetType: ResourceType; opId: string }
  | { kind: 'unresolved' };

/** A reference value that could not be resolved, before the planner decides its effect. */
export interface OpenRef {
  at: JsonPath;
  path: string;
  value: string;
  required: boolean;
}

export interface ResolvedBody {
  body: JsonObject;
  refs: RefSlot[];
  /** opIds the body's references wait for, sorted, unique. */
  deps: string[];
  unresolved: OpenRef[];
}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Resolve an archived object id (of one of `targets`). */
function resolveId(id: string, targets: readonly ResourceType[], ctx: RefContext): Resolution {
  const e = ctx.match.entries.get(id);
  if (e && (targets.length === 0 || targets.includes(e.type))) {
    if (e.state === 'live') {
      const liveId = ctx.match.idMap.get(id) as string;
      return liveId === id ? { kind: 'keep' } : { kind: 'value', value: liveId };
    }
    const opId = ctx.producer.get(id);
    if (opId) return { kind: 'slot', archivedTargetId: id, targetType: e.type, opId };
    return { kind: 'unresolved' };
  }
  // Not (or not as that type) in the archive: fine if the target has it under the same id.
  if (ctx.match.liveById.has(id)) return { kind: 'keep' };
  return { kind: 'unresolved' };
}

function resolveAppId(v: string, rule: ReferenceRule, selfType: ResourceType, ctx: RefContext): Resolution {
  const app = ctx.appByAppId.get(v);
  if (app && rule.targets.includes('application')) {
    const e = ctx.match.entries.get(app.id);
    if (e?.state === 'live') {
      const liveApp = str(e.live?.['appId']);
      return liveApp && liveApp !== v ? { kind: 'value', value: liveApp } : { kind: 'keep' };
    }
    const opId = ctx.producer.get(app.id);
    if (opId) return { kind: 'slot', archivedTargetId: app.id, targetType: 'application', opId };
    return { kind: 'unresolved' };
  }
  const sp = ctx.spByAppId.get(v);
  if (sp && selfType !== 'servicePrincipal') {
    const e = ctx.match.entries.get(sp.id);
    if (e?.state === 'live') return { kind: 'keep' };
    const opId = ctx.producer.get(sp.id);
    if (opId) return { kind: 'slot', archivedTargetId: sp.id, targetType: 'servicePrincipal', opId };
    return { kind: 'unresolved' };
  }
  if (ctx.liveAppIds.has(v)) return { kind: 'keep' };
  // A service principal of an application registered in another tenant (Microsoft's
  // first-party apps, multi-tenant SaaS): the appId is global, so it stays as it is.
  if (selfType === 'servicePrincipal' && !app) return { kind: 'keep' };
  return { kind: 'unresolved' };
}

/** Resolve one value of one rule. `selfType` is the type of the object holding it. */
export function resolveValue(rule: ReferenceRule, v: string, selfType: ResourceType, ctx: RefContext): Resolution {
  if (rule.specialValues?.includes(v)) return { kind: 'keep' };
  switch (rule.by) {
    case 'roleDefinitionId':
    case 'roleTemplateId': {
      // Built-in role template ids are the same in every tenant (docs/graph-facts.md §3).
      const e = ctx.match.entries.get(v);
      if (!e || e.type !== 'roleDefinition' || e.archived['isBuiltIn'] === true) return { kind: 'keep' };
      const r = resolveId(v, ['roleDefinition'], ctx);
      if (rule.by === 'roleDefinitionId' || r.kind !== 'value') return r;
      // A template-id reference to a live custom role names the live role's templateId, not its id.
      const t = str(e.live?.['templateId']);
      return t === undefined ? r : t === v ? { kind: 'keep' } : { kind: 'value', value: t };
    }
    case 'directoryScope': {
      if (v === '/' || v === '') return { kind: 'keep' };
      const au = /^\/administrativeUnits\/(.+)$/.exec(v);
      const id = au ? (au[1] as string) : v.slice(1);
      const targets: readonly ResourceType[] = au ? ['administrativeUnit'] : rule.targets;
      const r = resolveId(id, targets, ctx);
      if (r.kind === 'value') return { kind: 'value', value: au ? `/administrativeUnits/${r.value}` : `/${r.value}` };
      return r;
    }
    case 'appId':
      return resolveAppId(v, rule, selfType, ctx);
    case 'id':
      return resolveId(v, rule.targets, ctx);
    case 'extensionName':
      return { kind: 'keep' };
    case 'idInText': {
      const id = idInText(rule, v);
      if (id === undefined) return { kind: 'keep' };
      const r = resolveId(id, rule.targets, ctx);
      return r.kind === 'value' ? { kind: 'value', value: withIdInText(rule, v, r.value) } : r;
    }
  }
}

function resolveExtensionNames(body: JsonObject, ctx: RefContext, out: ResolvedBody, deps: Set<string>, required: boolean): void {
  for (const key of Object.keys(body).sort(cmp)) {
    const ext = parseExtensionName(key);
    if (!ext) continue;
    const app = ctx.appByHex.get(ext.appIdHex);
    if (!app) {
      if (ctx.liveAppHex.has(ext.appIdHex)) continue;
      out.unresolved.push({ at: [key], path: key, value: key, required });
      continue;
    }
    const e = ctx.match.entries.get(app.id);
    if (e?.state === 'live') {
      const liveAppId = str(e.live?.['appId']);
      if (liveAppId && appIdHex(liveAppId) !== ext.appIdHex) {
        body[`extension_${appIdHex(liveAppId)}_${ext.short}`] = body[key] as Json;
        delete body[key];
      }
      continue;
    }
    const opId = ctx.producer.get(app.id);
    if (!opId) {
      out.unresolved.push({ at: [key], path: key, value: key, required });
      continue;
    }
    out.refs.push({ at: ['$name', key], by: 'extensionName', archivedTargetId: app.id, targetType: 'application' });
    deps.add(opId);
    // The property must exist on the recreated app before a value can be written.
    const prop = ctx.extensionByName.get(key);
    const propOp = prop ? ctx.producer.get(prop.id) : undefined;
    if (propOp) deps.add(propOp);
  }
}

/**
 * Resolve every reference in `body` (a copy is modified and returned). Values matched
 * live are rewritten; values produced by this plan get a RefSlot and a dependency;
 * the rest are returned as `unresolved` (still in the body; the caller decides).
 */
export function resolveBody(desc: ResourceDescriptor, input: JsonObject, ctx: RefContext): ResolvedBody {
  const body = cloneJson(input);
  const out: ResolvedBody = { body, refs: [], deps: [], unresolved: [] };
  const deps = new Set<string>();
  for (const rule of referenceRules(desc)) {
    if (rule.by === 'extensionName') {
      resolveExtensionNames(body, ctx, out, deps, rule.required);
      continue;
    }
    for (const f of findValues(body, rule.path)) {
      if (rule.by === 'idInText' && rule.several && !rule.specialValues?.includes(f.value)) {
        resolveIdList(rule, f, body, ctx, out, deps);
        continue;
      }
      const r = resolveValue(rule, f.value, desc.type, ctx);
      if (r.kind === 'value') setAt(body, f.at, r.value);
      else if (r.kind === 'slot') {
        out.refs.push({ at: f.at, by: rule.by, archivedTargetId: r.archivedTargetId, targetType: r.targetType });
        deps.add(r.opId);
      } else if (r.kind === 'unresolved') {
        out.unresolved.push({ at: f.at, path: pathToString(f.at), value: f.value, required: rule.required });
      }
    }
  }
  if (desc.type === 'groupSetting') resolveGroupSettingValues(body, ctx, out, deps);
  if (desc.type === 'conditionalAccessPolicy') resolveTermsOfUse(body, ctx, out);
  if (desc.type === 'profilePropertySetting') resolveSourceUrls(body, ctx, out);
  out.deps = [...deps].sort(cmp);
  return out;
}

/**
 * A value holding several ids (a workflow task's `cc` list, S270): each id is resolved on its
 * own. Ids matched live are rewritten in place now; each id a plan op produces gets its own
 * slot at the same path (the executor replaces just that id, src/restore/execute/refs.ts);
 * each id nothing resolves is reported on its own, with the rule's `required`.
 */
function resolveIdList(rule: ReferenceRule, f: { at: JsonPath; value: string }, body: JsonObject, ctx: RefContext, out: ResolvedBody, deps: Set<string>): void {
  const live = new Map<string, string>();
  for (const id of idsInText(rule, f.value)) {
    const r = resolveId(id, rule.targets, ctx);
    if (r.kind === 'value') live.set(id, r.value);
    else if (r.kind === 'slot') {
      out.refs.push({ at: f.at, by: 'idInText', archivedTargetId: r.archivedTargetId, targetType: r.targetType });
      deps.add(r.opId);
    } else if (r.kind === 'unresolved') out.unresolved.push({ at: f.at, path: pathToString(f.at), value: id, required: rule.required });
  }
  if (live.size > 0) setAt(body, f.at, withIdsInText(rule, f.value, (id) => live.get(id)));
}

/**
 * A precedence entry naming no source of the target nor one this plan creates is an unresolved
 * optional reference: the planner leaves it out and reports it (./profile-sources.ts).
 */
function resolveSourceUrls(body: JsonObject, ctx: RefContext, out: ResolvedBody): void {
  const live = (x: string): boolean => ctx.match.liveById.get(x)?.type === 'profileSource';
  const created = (x: string): boolean => ctx.match.entries.get(x)?.type === 'profileSource' && ctx.producer.has(x);
  for (const u of unresolvedSourceUrls(body, ctx.match, live, created)) {
    const at: JsonPath = ['prioritizedSourceUrls', u.at];
    out.unresolved.push({ at, path: pathToString(at), value: u.value, required: false });
  }
}

/** Group setting values that name a group (a name/value pair no ReferenceRule path can express). */
const GROUP_VALUED_SETTINGS = new Set(['GroupCreationAllowedGroupId']);

/**
 * Types `resolveBody` gives reference slots beyond their catalog rules, and what those slots name
 * (a group setting's group-valued entries): the re-linking of ./relink.ts looks at these types too.
 */
export const EXTRA_SLOT_TARGETS: Readonly<Partial<Record<ResourceType, readonly ResourceType[]>>> = { groupSetting: ['group'] };

function resolveGroupSettingValues(body: JsonObject, ctx: RefContext, out: ResolvedBody, deps: Set<string>): void {
  const values = body['values'];
  if (!Array.isArray(values)) return;
  const rule: ReferenceRule = { path: 'values.value', by: 'id', targets: ['group'], required: false };
  values.forEach((entry, i) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return;
    const name = entry['name'];
    const v = entry['value'];
    if (typeof name !== 'string' || !GROUP_VALUED_SETTINGS.has(name) || typeof v !== 'string' || v === '') return;
    const at: JsonPath = ['values', i, 'value'];
    const r = resolveValue(rule, v, 'groupSetting', ctx);
    if (r.kind === 'value') entry['value'] = r.value;
    else if (r.kind === 'slot') {
      out.refs.push({ at, by: 'id', archivedTargetId: r.archivedTargetId, targetType: r.targetType });
      deps.add(r.opId);
    } else if (r.kind === 'unresolved') out.unresolved.push({ at, path: pathToString(at), value: v, required: false });
  });
}

/** Index the archive for appId / extension-name lookups and the target for live appIds. */
export function buildRefIndexes(
  archiveObjects: Partial<Record<ResourceType, DirObject[]>>,
  liveObjects: Partial<Record<ResourceType, DirObject[]>>,
): Omit<RefContext, 'match' | 'producer'> {
  const appByAppId = new Map<string, DirObject>();
  const spByAppId = new Map<string, DirObject>();
  const appByHex = new Map<string, DirObject>();
  const extensionByName = new Map<string, DirObject>();
  for (const a of archiveObjects.application ?? []) {
    const appId = str(a['appId']);
    if (!appId) continue;
    appByAppId.set(appId, a);
    appByHex.set(appIdHex(appId), a);
  }
  for (const s of archiveObjects.servicePrincipal ?? []) {
    const appId = str(s['appId']);
    if (appId) spByAppId.set(appId, s);
  }
  for (const x of archiveObjects.extensionProperty ?? []) {
    const name = str(x['name']);
    if (name) extensionByName.set(name, x);
  }
  const liveAppIds = new Set<string>();
  for (const t of ['application', 'servicePrincipal'] as const) {
    for (const o of liveObjects[t] ?? []) {
      const appId = str(o['appId']);
      if (appId) liveAppIds.add(appId);
    }
  }
  const liveAppHex = new Set([...liveAppIds].map(appIdHex));
  return { appByAppId, spByAppId, appByHex, extensionByName, liveAppIds, liveAppHex };
}
