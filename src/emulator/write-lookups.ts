/** Lookups the emulator's write rules share (src/emulator/writes.ts): domains, roles, principals. */
import type { DirObject, Json } from '../model.js';
import type { TenantStore } from './store.js';

/** Domains users may live on: the initial one and every domain not marked unverified. */
export function verifiedDomains(store: TenantStore): Set<string> {
  const out = new Set([store.initialDomain.toLowerCase()]);
  for (const d of store.live.get('domain')?.values() ?? []) {
    // only a verified domain carries user names (https://learn.microsoft.com/graph/api/domain-post-domains)
    if (d.isVerified === true) out.add(d.id.toLowerCase());
  }
  return out;
}

/** Never store a password: keep passwordProfile's flags, drop the secret (write-only, §2). */
export function stripPassword(o: DirObject): void {
  const pp = o.passwordProfile;
  if (pp && typeof pp === 'object' && !Array.isArray(pp)) {
    const { password: _drop, ...rest } = pp as Record<string, Json>;
    o.passwordProfile = rest;
  }
}

export function resolveRoleDefinition(store: TenantStore, idOrTemplate: string): DirObject | undefined {
  const direct = store.get('roleDefinition', idOrTemplate);
  if (direct) return direct;
  for (const d of store.live.get('roleDefinition')?.values() ?? []) if (d.templateId === idOrTemplate) return d;
  return undefined;
}

export function principalType(store: TenantStore, id: string): string | undefined {
  const t = store.typeOf.get(id);
  return t === 'user' ? 'User' : t === 'group' ? 'Group' : t === 'servicePrincipal' ? 'ServicePrincipal' : undefined;
}
