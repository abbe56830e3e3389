/**
 * The multi-tenant organization (issue 15 item 7, last part): the organization this tenant belongs
 * to, its member tenants and this tenant's join request.
 *
 * Graph facts (docs/graph-facts.md S236, S260–S262):
 * - `/tenantRelationships/multiTenantOrganization` (displayName, description, state),
 *   `…/tenants` (multiTenantOrganizationMember: tenantId, displayName, role, state, addedByTenantId,
 *   addedDateTime, joinedDateTime, transitionDetails) and `…/joinRequest`
 *   (multiTenantOrganizationJoinRequestRecord: addedByTenantId, memberState, role,
 *   transitionDetails) are read by an application with MultiTenantOrganization.Read.All.
 * - A restore cannot bring them back by itself: a new tenant has a new tenant id, the owner tenant
 *   must add it and it must join from its side. The catalog's `write` permission is therefore the
 *   read permission (the reader never asks for more), the plan never writes them and emits
 *   manual:multiTenantOrganization (src/restore/plan/multi-tenant-org.ts).
 */
import { define, ms } from './define.js';

const MTO_PERMISSIONS = { read: 'MultiTenantOrganization.Read.All', write: 'MultiTenantOrganization.Read.All' } as const;

export const multiTenantOrganization = define({
  type: 'multiTenantOrganization', entityType: ms('multiTenantOrganization'), title: 'Multi-tenant organization',
  path: '/tenantRelationships/multiTenantOrganization', shape: 'singleton',
  readOnly: ['createdDateTime', 'state'], requiredOnCreate: [], naturalKey: [], softDelete: 'notDeletable', tier: 3,
  permissions: MTO_PERMISSIONS,
});

export const multiTenantOrganizationMember = define({
  type: 'multiTenantOrganizationMember', entityType: ms('multiTenantOrganizationMember'), title: 'Multi-tenant organization member tenant',
  path: '/tenantRelationships/multiTenantOrganization/tenants', shape: 'collection',
  readOnly: ['addedByTenantId', 'addedDateTime', 'joinedDateTime', 'state', 'transitionDetails'], requiredOnCreate: ['tenantId'],
  naturalKey: ['tenantId'], softDelete: 'hard', tier: 3,
  permissions: MTO_PERMISSIONS,
});

export const multiTenantOrganizationJoinRequest = define({
  type: 'multiTenantOrganizationJoinRequest', entityType: ms('multiTenantOrganizationJoinRequestRecord'), title: 'Multi-tenant organization join request',
  path: '/tenantRelationships/multiTenantOrganization/joinRequest', shape: 'singleton',
  readOnly: ['memberState', 'role', 'transitionDetails'], requiredOnCreate: [], naturalKey: [], softDelete: 'notDeletable', tier: 3,
  permissions: MTO_PERMISSIONS,
});
