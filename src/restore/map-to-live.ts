/**
 * An archived object in the target's terms (./diff.ts matches, then compares with these): its
 * references mapped to the live ids and appIds the match found, extension names renamed to the
 * live app's appId, the UPN's domain remapped, and strings embedding the old tenant or appIds
 * rewritten. Pure: no I/O.
 */
import type { ReferenceRule, ResourceDescriptor } from '../catalog/types.js';
import type { DirObject, Json, JsonObject } from '../model.js';
import { appIdHex, parseExtensionName, referenceRules, withIdsInText } from './catalog.js';
import type { TenantMatch } from './diff.js';
import { mapUpn } from './domains.js';
import { compileRewrites, rewriteJson, type Rewrite, type Rewriter } from './embed.js';
import { cloneJson, findValues, setAt } from './json.js';
import { relinkSourceUrls } from './plan/profile-sources.js';

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Map an archived value of a reference to the live value it should have (identity when unknown). */
export function mapValue(rule: Pick<ReferenceRule, 'by' | 'pattern' | 'several'>, v: string, m: TenantMatch): string {
  switch (rule.by) {
    case 'appId':
      return m.appIdMap.get(v) ?? v;
    case 'roleTemplateId': {
      // A template-id reference names the live role's templateId, which a recreated custom role keeps.
      const live = m.idMap.get(v);
      const t = live === undefined ? undefined : m.liveById.get(live)?.obj['templateId'];
      return typeof t === 'string' ? t : (live ?? v);
    }
    case 'directoryScope': {
      const au = /^\/administrativeUnits\/(.+)$/.exec(v);
      if (au) return `/administrativeUnits/${m.idMap.get(au[1] as string) ?? au[1]}`;
      if (v.length > 1 && v.startsWith('/')) return `/${m.idMap.get(v.slice(1)) ?? v.slice(1)}`;
      return v;
    }
    case 'idInText':
      return withIdsInText(rule, v, (id) => m.idMap.get(id));
    default:
      return m.idMap.get(v) ?? v;
  }
}

/**
 * The archived object as it should look in the target: references mapped to live ids
 * and appIds, extension names renamed to the live app's appId, UPN domain remapped.
 */
export function mapToLive(desc: ResourceDescriptor, obj: DirObject, m: TenantMatch): JsonObject {
  const out = cloneJson(obj as JsonObject);
  for (const rule of referenceRules(desc)) {
    if (rule.by === 'extensionName') {
      for (const key of Object.keys(out)) {
        const ext = parseExtensionName(key);
        if (!ext) continue;
        const archivedApp = m.archivedAppByHex.get(ext.appIdHex);
        const liveApp = archivedApp === undefined ? undefined : m.appIdMap.get(archivedApp);
        if (liveApp === undefined) continue;
        const renamed = `extension_${appIdHex(liveApp)}_${ext.short}`;
        if (renamed !== key) {
          out[renamed] = out[key] as Json;
          delete out[key];
        }
      }
      continue;
    }
    for (const f of findValues(out, rule.path)) {
      if (rule.specialValues?.includes(f.value)) continue;
      setAt(out, f.at, mapValue(rule, f.value, m));
    }
  }
  // A group setting can name a group inside its name/value list (no reference path can say so).
  if (desc.type === 'groupSetting' && Array.isArray(out['values'])) {
    for (const entry of out['values']) {
      if (!entry || typeof entry !== 'object' || Array.isArray(entry)) continue;
      const v = entry['value'];
      if (entry['name'] === 'GroupCreationAllowedGroupId' && typeof v === 'string' && v !== '') entry['value'] = mapValue({ by: 'id' }, v, m);
    }
  }
  // An extension property's own name embeds its app's appId.
  const extName = desc.type === 'extensionProperty' ? str(out['name']) : undefined;
  const ext = extName ? parseExtensionName(extName) : undefined;
  const extApp = ext ? m.archivedAppByHex.get(ext.appIdHex) : undefined;
  const extLive = extApp ? m.appIdMap.get(extApp) : undefined;
  if (ext && extLive) out['name'] = `extension_${appIdHex(extLive)}_${ext.short}`;
  // A scoped role member's roleId is a per-tenant directoryRole id: compare by its template.
  const roleTemplate = desc.type === 'scopedRoleMembership' ? str(out['@roleTemplateId']) : undefined;
  const liveRole = roleTemplate ? m.directoryRoleByTemplate?.get(roleTemplate) : undefined;
  if (liveRole) out['roleId'] = liveRole;
  // Strings embedding the old tenant id, initial domain or a matched app's old appId (identifier URIs,
  // SP names, reply URLs, issuers) in the target's terms (docs/graph-facts.md §3 "Values that embed an appId or the tenant").
  const rw = embedRewriter(m);
  if (rw.re) for (const k of Object.keys(out)) if (k !== 'id') out[k] = rewriteJson(out[k] as Json, rw);
  // a property setting's source URLs name sources by sourceId (their archive id) or Graph id (./plan/profile-sources.ts)
  if (desc.type === 'profilePropertySetting') relinkSourceUrls(out, m);
  const upn = str(out['userPrincipalName']);
  if (desc.type === 'user' && upn) out['userPrincipalName'] = m.targetAdmins?.upnOverride.get(obj.id) ?? mapUpn(upn, m.domainMap);
  return out;
}

/** The match's rewriter: tenant rewrites plus every matched application whose appId changed. */
export function embedRewriter(m: TenantMatch): Rewriter {
  if (m.embedCache && m.embedCache.appIds === m.appIdMap.size) return m.embedCache.rw;
  const apps: Rewrite[] = [...m.appIdMap].filter(([a, l]) => a.toLowerCase() !== l.toLowerCase()).map(([from, to]) => ({ from, to, what: 'appId' as const }));
  const rw = compileRewrites([...(m.tenantRewrites ?? []), ...apps]);
  m.embedCache = { appIds: m.appIdMap.size, rw };
  return rw;
}
