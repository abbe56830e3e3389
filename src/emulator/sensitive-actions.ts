/**
 * Graph's "sensitive actions" on users (docs/graph-facts.md §4 "Sensitive actions", S56, S57):
 * updating accountEnabled, businessPhones, mobilePhone, onPremisesImmutableId, otherMails,
 * passwordProfile or userPrincipalName of a user who holds an admin role, and deleting or
 * restoring such a user, are allowed only to the roles in the "Who can update sensitive
 * attributes?" table of https://learn.microsoft.com/graph/api/resources/users — whatever
 * application permission the caller holds. An app-only caller needs the role itself, on its
 * service principal ("the User.ReadWrite.All application permission isn't enough privilege
 * to delete users with privileged administrative roles. The app must be assigned a higher
 * privileged administrator role", https://learn.microsoft.com/graph/api/user-delete).
 */
import type { DirObject } from '../model.js';
import { BUILTIN_ROLES } from './builtin/generated/tenant-builtins.js';
import type { Caller } from './context.js';
import { forbidden } from './graph-error.js';
import type { TenantStore } from './store.js';

/** The user properties the table calls sensitive. */
export const SENSITIVE_USER_PROPERTIES: readonly string[] = ['accountEnabled', 'businessPhones', 'mobilePhone', 'onPremisesImmutableId', 'otherMails', 'passwordProfile', 'userPrincipalName'];

function templateOf(displayName: string): string {
  const r = BUILTIN_ROLES.find((x) => x.displayName === displayName);
  // the names below are the table's; the generated role list must carry each of them
  if (!r) throw new Error(`built-in role '${displayName}' is not in the generated role list`);
  return r.templateId;
}

const AUTH = 'Authentication Administrator';
const USER = 'User Administrator';
const PAA = 'Privileged Authentication Administrator';
const GA = 'Global Administrator';

/** Rows of the table: the role a target holds → the roles that may act on it. */
const TABLE: ReadonlyArray<readonly [string, readonly string[]]> = [
  [AUTH, [AUTH, PAA, GA]],
  ['Directory Readers', [AUTH, USER, PAA, GA]],
  [GA, [PAA, GA]],
  ['Groups Administrator', [USER, PAA, GA]],
  ['Guest Inviter', [AUTH, USER, PAA, GA]],
  ['Helpdesk Administrator', [USER, PAA, GA]],
  ['Message Center Reader', [AUTH, USER, PAA, GA]],
  ['Password Administrator', [AUTH, USER, PAA, GA]],
  [PAA, [PAA, GA]],
  ['Privileged Role Administrator', [PAA, GA]],
  ['Reports Reader', [AUTH, USER, PAA, GA]],
  [USER, [USER, PAA, GA]],
  ['Usage Summary Reports Reader', [AUTH, USER, PAA, GA]],
];

const MAY_ACT: ReadonlyMap<string, ReadonlySet<string>> = new Map(TABLE.map(([row, cols]) => [templateOf(row), new Set(cols.map(templateOf))]));
/** A role the table does not list, or membership of a role-assignable group: the two roles that can act on anyone. */
const TOP: ReadonlySet<string> = new Set([templateOf(PAA), templateOf(GA)]);
/** Marker for "member or owner of a role-assignable group" (a row of its own in the table). */
const ROLE_ASSIGNABLE_GROUP = 'roleAssignableGroup';

/** The role template ids a principal holds through active assignments (kept while it is in the recycle bin). */
function rolesOf(store: TenantStore, principalId: string): Set<string> {
  const out = new Set<string>();
  const defs = store.live.get('roleDefinition');
  for (const a of store.live.get('roleAssignment')?.values() ?? []) {
    if (a.principalId !== principalId) continue;
    const def = defs?.get(String(a.roleDefinitionId));
    out.add(String(def?.templateId ?? a.roleDefinitionId));
  }
  return out;
}

/** What the target user holds: its roles, and whether it is in (or owns) a role-assignable group. */
function targetRoles(store: TenantStore, userId: string): Set<string> {
  const out = rolesOf(store, userId);
  for (const g of store.live.get('group')?.values() ?? []) {
    if (g.isAssignableToRole !== true) continue;
    if (store.edges('groupMembers').has(g.id, userId) || store.edges('groupOwners').has(g.id, userId)) out.add(ROLE_ASSIGNABLE_GROUP);
  }
  return out;
}

/** The caller's own directory roles: its user's (delegated) or its service principal's (app-only). */
function callerRoles(store: TenantStore, caller: Caller): Set<string> {
  if (caller.userId) return rolesOf(store, caller.userId);
  const sp: DirObject | undefined = store.byKey('servicePrincipal', 'appId', caller.appId);
  return sp ? rolesOf(store, sp.id) : new Set();
}

/**
 * Throws unless the caller may perform a sensitive action on this user: a user without an
 * admin role needs nothing beyond the permission; otherwise every role the user holds must be
 * one the caller's roles may act on.
 * @throws GraphHttpError 403 Authorization_RequestDenied, as Graph answers
 */
export function checkSensitiveAction(store: TenantStore, caller: Caller, userId: string): void {
  const held = targetRoles(store, userId);
  if (held.size === 0) return;
  const mine = callerRoles(store, caller);
  for (const role of held) {
    const allowed = MAY_ACT.get(role) ?? TOP;
    if (![...mine].some((r) => allowed.has(r))) throw forbidden();
  }
}

/** True when a PATCH body touches a sensitive property. */
export function touchesSensitive(body: Record<string, unknown>): boolean {
  return SENSITIVE_USER_PROPERTIES.some((p) => p in body);
}
