/**
 * The target tenant's own administrators (issue 11 item 4; docs/design.md "Restore"). A
 * fresh tenant comes with the admin the operator works as (`admin@<new initial domain>`);
 * an archived admin whose UPN is remapped onto the initial domain gets the same UPN. Matching
 * the two by natural key would overwrite the operator's working admin with the archived
 * one's attributes. So a live user that holds a tenant-wide directory role, is not an
 * archived object, and whose display name differs from every archived user its UPN would
 * match, is the target's own admin: never matched, never changed. The archived user is
 * restored as itself under a UPN that names its lost domain (`admin-contoso@…`), which
 * later runs match again. Pure.
 */
import type { DirObject, Json, TenantData } from '../model.js';
import type { LiveState } from './types.js';
import { upnDomain, upnLocal } from './catalog.js';

export interface TargetAdmins {
  /** Live user ids that are the target's own admins: never matched to an archived user. */
  protectedIds: Set<string>;
  /** Archived user id → the UPN it is restored under (its remapped UPN is a target admin's). */
  upnOverride: Map<string, string>;
}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function sameName(a: DirObject, b: DirObject): boolean {
  const x = str(a['displayName'])?.trim().toLowerCase();
  return x !== undefined && x === str(b['displayName'])?.trim().toLowerCase();
}

/** The archived user's UPN with the lost domain's first label in its local part. */
export function alternateUpn(archivedUpn: string, targetDomain: string): string {
  const label = upnDomain(archivedUpn).split('.')[0] || 'restored';
  return `${upnLocal(archivedUpn)}-${label}@${targetDomain}`;
}

/**
 * The target's own admins and the UPNs the archived users that collide with them get.
 * `mapUpn` is the UPN mapping the match uses (domain remap).
 */
export function findTargetAdmins(archive: TenantData, live: LiveState, mapUpn: (upn: string) => string): TargetAdmins {
  const out: TargetAdmins = { protectedIds: new Set(), upnOverride: new Map() };
  const archivedIds = new Set((archive.objects.user ?? []).map((u) => u.id));
  const holders = new Set<string>();
  for (const a of live.objects.roleAssignment ?? []) {
    const p = str(a['principalId']);
    const scope = a['directoryScopeId'];
    if (p && (scope === undefined || scope === null || scope === '/')) holders.add(p);
  }
  const byUpn = new Map<string, DirObject>();
  for (const u of live.objects.user ?? []) {
    const upn = str(u['userPrincipalName']);
    if (upn && holders.has(u.id) && !archivedIds.has(u.id)) byUpn.set(upn.toLowerCase(), u);
  }
  if (byUpn.size === 0) return out;
  const liveIds = new Set((live.objects.user ?? []).map((u) => u.id));
  const initial = live.initialDomain.toLowerCase();
  const collisions: { archived: DirObject; upn: string; live: DirObject }[] = [];
  for (const a of [...(archive.objects.user ?? [])].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))) {
    const raw = str(a['userPrincipalName']);
    if (!raw || liveIds.has(a.id)) continue;
    const mapped = mapUpn(raw);
    for (const c of [mapped, `${upnLocal(raw)}@${initial}`]) {
      const l = byUpn.get(c.toLowerCase());
      if (l) {
        collisions.push({ archived: a, upn: mapped, live: l });
        break;
      }
    }
  }
  // A live admin with the archived user's name is that user restored earlier: it matches.
  const claimed = new Set(collisions.filter((c) => sameName(c.archived, c.live)).map((c) => c.live.id));
  for (const c of collisions) {
    if (claimed.has(c.live.id)) continue;
    out.protectedIds.add(c.live.id);
    out.upnOverride.set(c.archived.id, alternateUpn(str(c.archived['userPrincipalName']) as string, upnDomain(c.upn)));
  }
  return out;
}
