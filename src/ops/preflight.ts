/**
 * Preflight of a restore target: which tenant it is, which of the restore writer's
 * permissions the app holds and which are missing, and the tenant's state (empty, no Global
 * Administrator left, administrators present) — read through Graph like any client would.
 * The wizard's Connect step and `entra-vault preflight` both call it.
 */
import { GLOBAL_ADMIN_TEMPLATE_ID, MICROSOFT_GRAPH_APP_ID, RESTORE_WRITER_PERMISSIONS } from '../catalog/permissions.js';
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
}

/**
 * Held vs needed permissions and the state of the target.
 * @throws GraphError of the reads (the organization and Microsoft Graph's service principal are required)
 */
export async function preflight(graph: GraphClient, tenantId: string, clientId: string, label: string): Promise<Preflight> {
  const org = await graph.get<{ value?: { verifiedDomains?: { name?: string; isInitial?: boolean }[] }[] }>('/organization?$select=id,verifiedDomains');
  const initialDomain = org.value?.[0]?.verifiedDomains?.find((d) => d.isInitial)?.name ?? '';
  const graphSp = await graph.get<{ appRoles?: { id: string; value: string }[] }>(`/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')?$select=id,appRoles`);
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
  const needed = [...new Set<string>(RESTORE_WRITER_PERMISSIONS)];
  const heldSet = new Set(held);
  const implied = (p: string) => heldSet.has(p) || heldSet.has(p.replace('.Read.', '.ReadWrite.'));
  const missing = needed.filter((p) => !implied(p));
  let users = 0;
  for await (const _ of graph.list('/users?$select=id&$top=999')) {
    users += 1;
    if (users > 5) break;
  }
  let admins = 0;
  for await (const a of graph.list<{ principalId: string; roleDefinitionId: string }>('/roleManagement/directory/roleAssignments')) {
    if (a.roleDefinitionId === GLOBAL_ADMIN_TEMPLATE_ID) admins += 1;
  }
  const state: Preflight['state'] = users <= 1 ? 'empty' : admins === 0 ? 'noAdmins' : 'adminsPresent';
  return { tenantId, initialDomain, label, permissionsHeld: held.sort(), permissionsNeeded: needed, missing, state };
}
