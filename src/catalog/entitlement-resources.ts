/**
 * Entitlement management, part 2 (issue 15 item 8): the resources of a catalog and the
 * resource role scopes of an access package — what an access package actually grants.
 * Graph facts and sources: docs/graph-facts.md §3 "Entitlement management: resources and
 * resource role scopes" (S205–S208).
 *
 * - A catalog's resources (`accessPackageResource`, a group, an application's service
 *   principal or a SharePoint Online site) are listed under the catalog and cannot be POSTed
 *   there: a resource is added by `POST …/resourceRequests` with `requestType: adminAdd`, the
 *   resource's `originSystem` and `originId` (the group's id, the service principal's id, the
 *   site's URL) and `catalog: { id }` (S205, S206). The restore does that
 *   (src/restore/execute/entitlement-resources.ts); `originId` is a reference re-linked to the
 *   recreated group or service principal. A site's URL holds no object id and is kept; a site
 *   of another SharePoint tenant is a manual step (src/restore/plan/entitlement-resources.ts).
 * - A resource role scope names a role of a catalog resource and a scope of it (S207). The
 *   group roles' `originId` embeds the group id (`Member_<groupId>`, `Owner_<groupId>`), the
 *   root scope's `originId` is the resource's; both are re-linked. It is read on its package's
 *   GET (`$expand=resourceRoleScopes($expand=role,scope)`, S208, S225) and created under it naming the catalog resource by id
 *   (`role.resource.id`), which the plan fills with the archived resource of the same origin
 *   in the package's catalog so the generic reference rules remap it and order the create
 *   after the resource's.
 */
import type { ReferenceRule, ResourceDescriptor } from './types.js';
import { define, ms } from './define.js';
import { structuralProperties } from './schema.js';

const P = { read: 'EntitlementManagement.Read.All', write: 'EntitlementManagement.ReadWrite.All' } as const;
const BASE = '/identityGovernance/entitlementManagement';

/** An object id (a group's, a service principal's); a site URL does not match and holds no reference. */
export const OBJECT_ID_PATTERN = '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$';
/** A group role's origin id: `Member_<groupId>` or `Owner_<groupId>` (S207). */
export const GROUP_ROLE_PATTERN = '^(?:Member|Owner)_([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$';

const originRef = (path: string): ReferenceRule => ({ path, by: 'idInText', pattern: OBJECT_ID_PATTERN, targets: ['group', 'servicePrincipal'], required: true });

const all = (entityType: string): readonly string[] => structuralProperties(entityType, false).map((p) => p.name);

/** In restore order: a catalog's resources, then the packages' role scopes on them. */
export const entitlementResourceTypes: readonly ResourceDescriptor[] = [
  define({
    type: 'accessPackageResource', entityType: ms('accessPackageResource'), title: 'Access package catalog resource',
    path: `${BASE}/catalogs/{parentId}/resources`, shape: 'contained', parentType: 'accessPackageCatalog',
    defaultProperties: all(ms('accessPackageResource')),
    // Graph copies the name and description from the origin; attributes are written by an adminUpdate
    // request after the add (src/restore/execute/entitlement-resources.ts, S247), never by PATCH
    readOnly: ['createdDateTime', 'modifiedDateTime', 'displayName', 'description', 'attributes'], createOnly: ['originId', 'originSystem'],
    requiredOnCreate: ['originId', 'originSystem'], references: [originRef('originId')],
    // one resource per origin within a catalog (the key is scoped by the parent catalog)
    naturalKey: ['originId'], softDelete: 'hard', tier: 3, permissions: P,
  }),
  define({
    type: 'accessPackageResourceRoleScope', entityType: ms('accessPackageResourceRoleScope'), title: 'Access package resource role',
    path: `${BASE}/accessPackages/{parentId}/resourceRoleScopes`, shape: 'contained', parentType: 'accessPackage',
    defaultProperties: all(ms('accessPackageResourceRoleScope')),
    // read as Graph v1.0 documents it, expanded on the package's GET (S225); the path serves the create (S207)
    inlineNavigation: ['role', 'scope'], parentExpand: 'resourceRoleScopes($expand=role,scope)',
    // role and scope are navigations (no update method: written once, on create)
    readOnly: ['createdDateTime'], requiredOnCreate: [],
    references: [
      { path: 'role.originId', by: 'idInText', pattern: GROUP_ROLE_PATTERN, targets: ['group'], required: true },
      // filled by the plan from the catalog's archived resources (src/restore/plan/entitlement-resources.ts)
      { path: 'role.resource.id', by: 'id', targets: ['accessPackageResource'], required: true },
      originRef('scope.originId'),
    ],
    naturalKey: ['role.originId+scope.originId'], softDelete: 'hard', tier: 3, permissions: P,
  }),
];
