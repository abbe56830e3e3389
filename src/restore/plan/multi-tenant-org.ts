/**
 * The multi-tenant organization in a restore plan (src/catalog/multi-tenant-org.ts). Pure.
 *
 * A restore never writes it: in a new tenant the organization's owner must add the new tenant id
 * and the new tenant must join from its side (docs/graph-facts.md S236, S260–S262). Each of its
 * objects the target lacks or holds differently is skipped with that reason (fidelity reports
 * it, the exit code says there is a manual step), and one manual step names the organization,
 * its description, each member tenant (id, name, role) and who adds whom. A restore into the same
 * tenant whose organization is unchanged skips nothing and emits no step.
 */
import type { ResourceType } from '../../catalog/types.js';
import type { DirObject, Json, TenantData } from '../../model.js';
import type { ManualStep, Plan } from '../types.js';
import { cmp } from '../json.js';

export const MTO_STEP_ID = 'manual:multiTenantOrganization';

const MTO_TYPES: ReadonlySet<ResourceType> = new Set<ResourceType>(['multiTenantOrganization', 'multiTenantOrganizationMember', 'multiTenantOrganizationJoinRequest']);

const WHY = `a multi-tenant organization cannot be re-created by a restore (the owner tenant adds a tenant by its id, and the tenant joins from its side): listed in ${MTO_STEP_ID}`;

/** Why a missing archived organization object is not created (undefined: other types). */
export function mtoSkipReason(type: ResourceType): string | undefined {
  return MTO_TYPES.has(type) ? WHY : undefined;
}

/** Why a differing organization object is not patched (undefined: other types or no change). */
export function mtoUpdateReason(type: ResourceType, changed: number): string | undefined {
  return changed > 0 && MTO_TYPES.has(type) ? WHY : undefined;
}

const str = (v: Json | undefined): string => (v === null || v === undefined || v === '' ? '—' : String(v));

/**
 * The manual step re-creating or re-joining the organization (undefined: nothing of it skipped).
 * `targetTenantId` is the tenant restored into; the archived tenant is `archive.tenantId`.
 */
export function mtoStep(skipped: Plan['skipped'], archive: TenantData, targetTenantId: string): ManualStep | undefined {
  const sourceTenantId = archive.tenantId;
  if (!(skipped ?? []).some((s) => MTO_TYPES.has(s.type))) return undefined;
  const [org] = archive.objects.multiTenantOrganization ?? [];
  if (!org || org['state'] !== 'active') return undefined;
  const tenants: DirObject[] = [...(archive.objects.multiTenantOrganizationMember ?? [])].sort((a, b) => cmp(str(a['tenantId']), str(b['tenantId'])));
  const owner = tenants.find((t) => t['role'] === 'owner');
  const ownerId = str(owner?.['tenantId']);
  const self = tenants.find((t) => t['tenantId'] === sourceTenantId);
  const newTenant = targetTenantId !== sourceTenantId;
  const lines = tenants.map((t) => `- ${str(t['tenantId'])} ${str(t['displayName'])}: role ${str(t['role'])}, state ${str(t['state'])}${t['tenantId'] === sourceTenantId ? ' (the archived tenant)' : ''}`);
  const role = str(self?.['role'] ?? 'member');
  const steps = newTenant
    ? [
      `1. In the owner tenant ${ownerId} (${str(owner?.['displayName'])}), add this tenant: POST /tenantRelationships/multiTenantOrganization/tenants with {"tenantId": "${targetTenantId}", "displayName": ${JSON.stringify(str(self?.['displayName']))}, "role": "${role}"} (or Entra admin center > Cross-tenant synchronization > Multitenant organization > Add tenant).`,
      `2. In this tenant ${targetTenantId}, join: PATCH /tenantRelationships/multiTenantOrganization/joinRequest with {"addedByTenantId": "${ownerId}"} (MultiTenantOrganization.ReadWrite.All; or the admin center's Join a multitenant organization).`,
      `3. In the owner tenant, remove the lost tenant ${sourceTenantId}: DELETE /tenantRelationships/multiTenantOrganization/tenants/${sourceTenantId}.`,
    ]
    : [`1. Compare the organization in the Entra admin center (Cross-tenant synchronization > Multitenant organization) with the values above; if this tenant left it, ask the owner tenant ${ownerId} to add ${targetTenantId} again, then PATCH /tenantRelationships/multiTenantOrganization/joinRequest with {"addedByTenantId": "${ownerId}"}.`];
  return {
    id: MTO_STEP_ID,
    kind: 'other',
    title: `Re-join the multi-tenant organization ${str(org['displayName'])}`,
    instructions: [
      'A restore cannot re-create membership of a multi-tenant organization: the owner tenant adds a tenant by its id, and the tenant joins from its side.',
      `Organization: ${str(org['displayName'])}; description: ${str(org['description'])}.`,
      'Member tenants as archived:',
      ...lines,
      ...steps,
    ].join('\n'),
    // the join request too: step 2 is what restores it, and fidelity's reason names this step for it
    objects: [org.id, ...tenants.map((t) => t.id), ...(archive.objects.multiTenantOrganizationJoinRequest ?? []).map((j) => j.id)],
  };
}
