/**
 * UPN domains between the archive and the target: an archived domain the target has not
 * verified maps to the target's initial domain (the only one a fresh tenant can use before
 * DNS verification; docs/graph-facts.md).
 */
import type { DirObject, TenantData } from '../model.js';
import type { LiveState } from './types.js';
import { upnDomain, upnLocal } from './catalog.js';
import { cmp } from './json.js';

/**
 * Archived UPN domains not verified in the target, mapped to the target's initial
 * domain (the only one a fresh tenant can use before DNS verification).
 */
export function computeDomainMap(archive: TenantData, live: LiveState): Map<string, string> {
  const verified = new Set(live.verifiedDomains.map((d) => d.toLowerCase()));
  verified.add(live.initialDomain.toLowerCase());
  const out = new Map<string, string>();
  for (const u of archive.objects.user ?? []) {
    const upn = typeof u['userPrincipalName'] === 'string' ? u['userPrincipalName'] : undefined;
    if (!upn) continue;
    const d = upnDomain(upn);
    if (d !== '' && !verified.has(d)) out.set(d, live.initialDomain.toLowerCase());
  }
  return new Map([...out].sort((a, b) => cmp(a[0], b[0])));
}

/** A UPN rewritten for the target (domain remapped when unverified), original case kept. */
export function mapUpn(upn: string, domainMap: Map<string, string>): string {
  const mapped = domainMap.get(upnDomain(upn));
  return mapped === undefined ? upn : `${upnLocal(upn)}@${mapped}`;
}

/**
 * True for a domain the target holds unverified: Graph updates only verified domains
 * (docs/graph-facts.md S68), so its archived settings wait for manual:domainVerification.
 */
export function awaitsVerification(type: string, live: DirObject | undefined): boolean {
  return type === 'domain' && live !== undefined && live['isVerified'] !== true;
}
