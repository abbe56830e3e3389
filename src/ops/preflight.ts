/**
 * Preflight of a restore target: which tenant it is, which of the restore writer's
 * permissions the app holds and which are missing, and the tenant's state (empty, no Global
 * Administrator left, administrators present) — read through Graph like any client would.
 * The wizard's Connect step and `entra-vault preflight` both call it.
 */
import { GLOBAL_ADMIN_TEMPLATE_ID, MICROSOFT_GRAPH_APP_ID, RESTORE_WRITER_DIRECTORY_ROLES, RESTORE_WRITER_PERMISSIONS } from '../catalog/permissions.js';
import type { GraphClient } from '../graph/types.js';

/** What a target looks like before a restore. */
export type TenantState = 'empty' | 'noAdmins' | 'adminsPresent';

export interface Preflight {
  tenantId: string;
  initialDomain: string;
  /** Display name of the profile or emulator. */
  label: string;
  permissionsHeld: string[];
  permissionsNeeded: string[];
  /** Needed and not held: a non-empty list blocks a restore. */
  missing: string[];
  state: TenantState;
  /** A delegated (device-code) profile: the operator it signed in as. */
  signedInAs?: string;
}

/**
 * Held vs needed permissions and the state of the target.
 * @throws GraphError of the reads (the organization and Microsoft Graph's service principal are required)
 */
export async function preflight(graph: GraphClient, tenantId: string, clientId: string, label: string, opts: { delegated?: boolean } = {}): Promise<Preflight> {
  const org = await graph.get<{ value?: { verifiedDomains?: { name?: string; isInitial?: boolean }[] }[] }>('/organization?$select=id,verifiedDomains');
  const initialDomain = org.value?.[0]?.verifiedDomains?.find((d) => d.isInitial)?.name ?? '';
  const graphSp = await graph.get<{ id: string; appRoles?: { id: string; value: string }[] }>(`/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')?$select=id,appRoles`);
  const who = opts.delegated ? await delegatedHeld(graph, clientId, graphSp.id) : { held: await applicationHeld(graph, clientId, graphSp), user: undefined };
  const needed = [...new Set<string>(RESTORE_WRITER_PERMISSIONS)];
  const heldSet = new Set(who.held);
  const implied = (p: string) => heldSet.has(p) || heldSet.has(p.replace('.Read.', '.ReadWrite.'));
  const missing = needed.filter((p) => !implied(p));
  // A delegated token can do no more than its user (docs/design.md "Interfaces", deviceCode):
  // the restore writes roles, policies and every object kind, which only a Global Administrator may.
  if (who.user && !who.user.globalAdmin) missing.push(`Global Administrator role for ${who.user.upn}`);
  // every role assignment, read once: the admins are counted from it and the app's roles found in it
  const assignments: { principalId: string; roleDefinitionId: string; directoryScopeId?: string }[] = [];
  for await (const a of graph.list<{ principalId: string; roleDefinitionId: string; directoryScopeId?: string }>('/roleManagement/directory/roleAssignments')) assignments.push(a);
  if (!who.user) missing.push(...(await missingAppRoles(graph, clientId, assignments)));
  const held = who.held;
  let users = 0;
  for await (const _ of graph.list('/users?$select=id&$top=999')) {
    users += 1;
    if (users > 5) break;
  }
  const admins = assignments.filter((a) => a.roleDefinitionId === GLOBAL_ADMIN_TEMPLATE_ID).length;
  const state: Preflight['state'] = users <= 1 ? 'empty' : admins === 0 ? 'noAdmins' : 'adminsPresent';
  return { tenantId, initialDomain, label, permissionsHeld: held.sort(), permissionsNeeded: needed, missing, state, ...(who.user ? { signedInAs: who.user.upn } : {}) };
}

/**
 * The directory roles the app's own service principal lacks (RESTORE_WRITER_DIRECTORY_ROLES):
 * Graph refuses an app-only caller without them when it restores, deletes or updates the
 * password, phones or UPN of a user who holds an admin role, whatever its permissions
 * (docs/graph-facts.md §4 "Sensitive actions"). Global Administrator covers them all.
 */
async function missingAppRoles(graph: GraphClient, clientId: string, assignments: readonly { principalId: string; roleDefinitionId: string; directoryScopeId?: string }[]): Promise<string[]> {
  const held = new Set<string>();
  try {
    const sp = await graph.get<{ id: string }>(`/servicePrincipals(appId='${clientId}')?$select=id`);
    for (const a of assignments) if (a.principalId === sp.id && (a.directoryScopeId ?? '/') === '/') held.add(a.roleDefinitionId);
  } catch {
    // an app that may not read its own service principal: every role is listed as missing
  }
  if (held.has(GLOBAL_ADMIN_TEMPLATE_ID)) return [];
  return RESTORE_WRITER_DIRECTORY_ROLES.filter((r) => !held.has(r.templateId)).map((r) => `${r.displayName} role for the app (directory role on its service principal)`);
}

/** The application permissions (app roles on Microsoft Graph) granted to the app. */
async function applicationHeld(graph: GraphClient, clientId: string, graphSp: { appRoles?: { id: string; value: string }[] }): Promise<string[]> {
  const roleNames = new Map((graphSp.appRoles ?? []).map((r) => [r.id, r.value]));
  const held: string[] = [];
  try {
    for await (const a of graph.list<{ appRoleId: string }>(`/servicePrincipals(appId='${clientId}')/appRoleAssignments`)) {
      const n = roleNames.get(a.appRoleId);
      if (n) held.push(n);
    }
  } catch {
    // an app that may not read its own assignments: held stays empty and missing shows all
  }
  return held;
}

/**
 * A delegated token (device code) carries the scopes consented to the app on Microsoft
 * Graph — for every user or for this one (oauth2PermissionGrants) — and acts as its user,
 * so the user's Global Administrator role is read too
 * (https://learn.microsoft.com/graph/permissions-overview "Delegated permissions").
 * App roles do not apply to a delegated token: they are not counted.
 */
async function delegatedHeld(graph: GraphClient, clientId: string, graphSpId: string): Promise<{ held: string[]; user: { upn: string; globalAdmin: boolean } }> {
  const me = await graph.get<{ id: string; userPrincipalName?: string }>('/me?$select=id,userPrincipalName');
  const sp = await graph.get<{ id: string }>(`/servicePrincipals(appId='${clientId}')?$select=id`);
  const held = new Set<string>();
  for await (const g of graph.list<{ resourceId: string; consentType: string; principalId?: string | null; scope?: string }>(`/oauth2PermissionGrants?$filter=clientId eq '${sp.id}'`)) {
    if (g.resourceId !== graphSpId) continue;
    if (g.consentType !== 'AllPrincipals' && g.principalId !== me.id) continue;
    for (const s of (g.scope ?? '').split(' ')) if (s) held.add(s);
  }
  let globalAdmin = false;
  for await (const a of graph.list<{ roleDefinitionId: string }>(`/roleManagement/directory/roleAssignments?$filter=principalId eq '${me.id}'`)) {
    if (a.roleDefinitionId === GLOBAL_ADMIN_TEMPLATE_ID) globalAdmin = true;
  }
  return { held: [...held], user: { upn: me.userPrincipalName ?? me.id, globalAdmin } };
}
