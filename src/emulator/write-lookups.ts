/** Lookups the emulator's write rules share (src/emulator/writes.ts): domains, roles, principals. */
import type { DirObject, Json } from '../model.js';
import type { TenantStore } from './store.js';
import { checkPasswordPolicy } from './password-policy.js';

/** Domains users may live on: the initial one and every domain not marked unverified. */
export function verifiedDomains(store: TenantStore): Set<string> {
  const out = new Set([store.initialDomain.toLowerCase()]);
  for (const d of store.live.get('domain')?.values() ?? []) {
    // only a verified domain carries user names (https://learn.microsoft.com/graph/api/domain-post-domains)
    if (d.isVerified === true) out.add(d.id.toLowerCase());
  }
  return out;
}

/**
 * A user's created or updated object keeps passwordProfile's flags, never the secret (write-only,
 * docs/graph-facts.md §2), once the password has passed Entra's policy (./password-policy.ts).
 * @throws GraphHttpError 400 for a password the policy refuses
 */
export function stripPassword(o: DirObject): void {
  const pp = o.passwordProfile;
  checkPasswordPolicy(pp);
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
