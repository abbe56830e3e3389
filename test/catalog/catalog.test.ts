import { describe, expect, it } from 'vitest';
import {
  catalog,
  descriptor,
  instancePath,
  isRelationKind,
  isResourceType,
  relationCatalog,
  relationDescriptor,
  typeForODataType,
  type RelationKind,
  type ResourceType,
} from '../../src/catalog/index.js';
import { resolvePath, schemaType, structuralProperties, structuralPropertyNames } from '../../src/catalog/schema.js';
import { graphTypes } from '../../src/catalog/generated/graph-v1.0.js';
import { BACKUP_READER_PERMISSIONS, RESTORE_WRITER_PERMISSIONS } from '../../src/catalog/permissions.js';

// Exhaustive lists: adding a union member without a descriptor fails to compile here.
const ALL_TYPES: Record<ResourceType, true> = {
  organization: true, organizationalBranding: true, domain: true, user: true, group: true, groupSetting: true,
  application: true, extensionProperty: true, federatedIdentityCredential: true, servicePrincipal: true,
  appRoleAssignment: true, oauth2PermissionGrant: true, roleDefinition: true, roleAssignment: true,
  roleEligibilitySchedule: true, roleAssignmentSchedule: true, administrativeUnit: true, scopedRoleMembership: true,
  namedLocation: true, authenticationStrengthPolicy: true, authenticationCombinationConfiguration: true, conditionalAccessPolicy: true,
  authenticationMethodsPolicy: true, authenticationMethodConfiguration: true, authorizationPolicy: true,
  crossTenantAccessPolicy: true, crossTenantAccessPolicyDefault: true, crossTenantAccessPolicyPartner: true,
  attributeSet: true, customSecurityAttributeDefinition: true, identitySecurityDefaultsEnforcementPolicy: true,
  activityBasedTimeoutPolicy: true, claimsMappingPolicy: true, homeRealmDiscoveryPolicy: true, tokenIssuancePolicy: true, tokenLifetimePolicy: true,
  roleManagementPolicy: true, roleManagementPolicyAssignment: true,
  tenantAppManagementPolicy: true, appManagementPolicy: true, delegatedPermissionClassification: true, permissionGrantPolicy: true,
  permissionGrantPolicyInclude: true, permissionGrantPolicyExclude: true, adminConsentRequestPolicy: true,
  authenticationContextClassReference: true, authenticationFlowsPolicy: true, identityProvider: true, domainFederation: true, customAuthenticationExtension: true, b2xUserFlow: true, authenticationEventListener: true,
  // issue 15: external-tenant sign-up flows
  authenticationEventsFlow: true,
  groupLifecyclePolicy: true, groupSpecificSetting: true,
  pimGroupEligibilitySchedule: true, pimGroupAssignmentSchedule: true, pimGroupPolicy: true, pimGroupPolicyAssignment: true,
  // issue 15 item 8
  accessPackageCatalog: true, accessPackage: true, accessPackageAssignmentPolicy: true, accessPackageAssignment: true,
  connectedOrganization: true, entitlementManagementSettings: true,
  // issue 15 item 10
  organizationalBrandingLocalization: true,
  accessPackageResource: true, accessPackageResourceRoleScope: true, accessPackageCustomWorkflowExtension: true,
  // issue 15 item 9
  accessReviewDefinition: true, lifecycleWorkflowSettings: true, customTaskExtension: true, lifecycleWorkflow: true,
  // issue 15 item 10: devices and their settings
  deviceRegistrationPolicy: true, certificateBasedAuthConfiguration: true, device: true,
  // issue 15 item 7
  crossTenantIdentitySyncPolicyPartner: true,
  multiTenantOrganization: true, multiTenantOrganizationMember: true, multiTenantOrganizationJoinRequest: true,
  orgContact: true,
  pronounsSettings: true, itemInsightsSettings: true, profileCardProperty: true, profileSource: true, profilePropertySetting: true,
  // issue 15 item 6: a user flow's attribute assignments and the attributes they collect
  userFlowAttribute: true, userFlowAttributeAssignment: true, userFlowLanguage: true,
};
const ALL_KINDS: Record<RelationKind, true> = {
  groupMembers: true, groupOwners: true, applicationOwners: true, servicePrincipalOwners: true,
  userManager: true, administrativeUnitMembers: true, applicationTokenLifetimePolicies: true, applicationTokenIssuancePolicies: true,
  servicePrincipalClaimsMappingPolicies: true, servicePrincipalHomeRealmDiscoveryPolicies: true,
  applicationAppManagementPolicies: true, servicePrincipalAppManagementPolicies: true,
  b2xUserFlowIdentityProviders: true,
  groupLifecyclePolicies: true,
  connectedOrganizationInternalSponsors: true, connectedOrganizationExternalSponsors: true,
  userSponsors: true,
  accessPackageIncompatibleAccessPackages: true, accessPackageIncompatibleGroups: true,
};

describe('catalog completeness', () => {
  it('has exactly one descriptor per ResourceType', () => {
    const types = catalog.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    expect([...types].sort()).toEqual(Object.keys(ALL_TYPES).sort());
    for (const t of Object.keys(ALL_TYPES) as ResourceType[]) expect(descriptor(t).type).toBe(t);
  });

  it('has exactly one descriptor per RelationKind', () => {
    const kinds = relationCatalog.map((d) => d.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect([...kinds].sort()).toEqual(Object.keys(ALL_KINDS).sort());
    for (const k of Object.keys(ALL_KINDS) as RelationKind[]) expect(relationDescriptor(k).kind).toBe(k);
  });

  it('throws on unknown types and kinds, and the guards agree', () => {
    expect(() => descriptor('printer' as ResourceType)).toThrow(/unknown resource type/);
    expect(() => relationDescriptor('deviceOwners' as RelationKind)).toThrow(/unknown relation kind/);
    expect(isResourceType('user')).toBe(true);
    expect(isResourceType('printer')).toBe(false);
    expect(isRelationKind('groupMembers')).toBe(true);
    expect(isRelationKind('user')).toBe(false);
  });

  it('is in restore order: tiers never decrease and parents come before children', () => {
    for (let i = 1; i < catalog.length; i++) expect(catalog[i]!.tier).toBeGreaterThanOrEqual(catalog[i - 1]!.tier);
    const index = new Map(catalog.map((d, i) => [d.type, i]));
    for (const d of catalog) {
      if (d.parentType) expect(index.get(d.parentType)!).toBeLessThan(index.get(d.type)!);
      for (const r of d.references) {
        for (const t of r.targets) {
          if (t === d.type) continue;
          // A target restored later must at least not be in a lower tier than the referrer.
          expect(descriptor(t).tier, `${d.type}.${r.path} → ${t}`).toBeLessThanOrEqual(d.tier);
        }
      }
    }
  });
});

describe('properties against the CSDL', () => {
  for (const d of catalog) {
    it(`${d.type}: every structural property is selected, per-object or excluded with a reason`, () => {
      const all = structuralPropertyNames(d.entityType, d.derivedEntityTypes !== undefined);
      expect(all.length).toBeGreaterThan(0);
      const excluded = Object.keys(d.excluded);
      const perObject = d.perObjectProperties ?? [];
      const covered = [...d.properties, ...excluded, ...perObject];
      expect(new Set(covered).size, 'properties, excluded and perObjectProperties overlap').toBe(covered.length);
      expect([...covered].sort()).toEqual([...all].sort());
      for (const reason of Object.values(d.excluded)) expect(reason.trim().length).toBeGreaterThan(10);
      // Streams can never be $selected.
      for (const p of structuralProperties(d.entityType, d.derivedEntityTypes !== undefined)) {
        if (p.type === 'Edm.Stream') expect(excluded).toContain(p.name);
      }
    });

    it(`${d.type}: readOnly ⊆ properties, createOnly ⊆ properties, requiredOnCreate ∩ readOnly = ∅`, () => {
      const props = new Set(d.properties);
      for (const p of d.readOnly) expect(props.has(p), p).toBe(true);
      for (const p of d.createOnly) expect(props.has(p), p).toBe(true);
      for (const p of d.requiredOnCreate) {
        expect(props.has(p), p).toBe(true);
        expect(d.readOnly, p).not.toContain(p);
      }
      for (const p of d.createOnly) expect(d.readOnly, p).not.toContain(p);
      // CSDL Computed always lands in readOnly.
      for (const p of structuralProperties(d.entityType, d.derivedEntityTypes !== undefined)) {
        if (p.computed && props.has(p.name)) expect(d.readOnly).toContain(p.name);
      }
    });

    it(`${d.type}: natural key parts are properties`, () => {
      for (const key of d.naturalKey) {
        for (const part of key.split('+')) {
          // an inline navigation the archive keeps with the object (an access package's catalog, `catalog.id`)
          const nav = (d.inlineNavigation ?? []).includes(part.split('.')[0]!);
          if (nav) {
            expect(graphTypes[d.entityType]?.navigationProperties.map((n) => n.name), `${d.type} naturalKey ${part}`).toContain(part.split('.')[0]);
            continue;
          }
          expect(resolvePath(d.entityType, part), `${d.type} naturalKey ${part}`).toBeDefined();
          expect(d.properties).toContain(part.split('.')[0]);
        }
      }
    });
  }

  it('readOnly follows docs/graph-facts.md §3 for the documented examples', () => {
    expect(descriptor('user').readOnly).toContain('proxyAddresses');
    expect(descriptor('user').readOnly).not.toContain('onPremisesImmutableId');
    for (const p of ['createdDateTime', 'expirationDateTime', 'renewedDateTime', 'securityIdentifier']) {
      expect(descriptor('group').readOnly).toContain(p);
    }
    for (const p of ['principalType', 'principalDisplayName', 'createdDateTime']) {
      expect(descriptor('appRoleAssignment').readOnly).toContain(p);
    }
    expect(descriptor('application').readOnly).toEqual(expect.arrayContaining(['appId', 'publisherDomain', 'passwordCredentials']));
  });

  it('requiredOnCreate follows docs/graph-facts.md §3', () => {
    expect([...descriptor('user').requiredOnCreate].sort()).toEqual(
      ['accountEnabled', 'displayName', 'mailNickname', 'passwordProfile', 'userPrincipalName'],
    );
    expect([...descriptor('group').requiredOnCreate].sort()).toEqual(['displayName', 'mailEnabled', 'mailNickname', 'securityEnabled']);
    expect(descriptor('application').requiredOnCreate).toEqual(['displayName']);
    expect(descriptor('servicePrincipal').requiredOnCreate).toEqual(['appId']);
    expect([...descriptor('appRoleAssignment').requiredOnCreate].sort()).toEqual(['appRoleId', 'principalId', 'resourceId']);
    expect(descriptor('conditionalAccessPolicy').requiredOnCreate).toContain('conditions');
  });

  it('user defaultProperties are exactly Graph\'s 11 (docs/graph-facts.md §2)', () => {
    expect([...(descriptor('user').defaultProperties ?? [])].sort()).toEqual([
      'businessPhones', 'displayName', 'givenName', 'id', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation',
      'preferredLanguage', 'surname', 'userPrincipalName',
    ]);
  });

  it('group defaultProperties are the 2021 subset, with what the documented List/Get responses add, and a strict subset of properties', () => {
    const g = descriptor('group');
    expect(g.defaultProperties).toHaveLength(29);
    for (const p of ['deletedDateTime', 'resourceBehaviorOptions', 'resourceProvisioningOptions']) expect(g.defaultProperties).toContain(p);
    for (const p of g.defaultProperties ?? []) expect(g.properties).toContain(p);
    expect(g.defaultProperties).not.toContain('allowExternalSenders');
    expect(g.properties.length).toBeGreaterThan(26);
  });

  it('the user select list keeps what a default GET loses (docs/graph-facts.md §2)', () => {
    const u = descriptor('user');
    for (const p of ['accountEnabled', 'mailNickname', 'proxyAddresses', 'onPremisesImmutableId', 'usageLocation']) {
      expect(u.properties).toContain(p);
    }
    expect(u.excluded).toHaveProperty('signInActivity');
    expect(u.perObjectProperties).toContain('aboutMe');
  });
});

describe('references', () => {
  const validTypes = new Set(Object.keys(ALL_TYPES));
  for (const d of catalog) {
    it(`${d.type}: every reference path resolves and targets are catalog types`, () => {
      for (const r of d.references) {
        expect(r.targets.length).toBeGreaterThan(0);
        for (const t of r.targets) expect(validTypes.has(t), t).toBe(true);
        if (r.by === 'extensionName') {
          expect(r.path).toBe('*');
          expect(schemaType(d.entityType).openType).toBe(true);
          continue;
        }
        const leaf = resolvePath(d.entityType, r.path);
        expect(leaf, `${d.type}.${r.path}`).toBeDefined();
        // References are ids, appIds or scope strings.
        expect(['Edm.String', 'Edm.Guid'], `${d.type}.${r.path} is ${leaf}`).toContain(leaf);
      }
    });
  }

  it('resolvePath rejects paths that do not exist', () => {
    expect(resolvePath('microsoft.graph.conditionalAccessPolicy', 'conditions.users.includeGroups')).toBe('Edm.String');
    expect(resolvePath('microsoft.graph.conditionalAccessPolicy', 'conditions.users.includeGroupz')).toBeUndefined();
    // manager is a directoryObject, generated since a workflow's administrationScopeTargets name them (issue 15 item 9)
    expect(resolvePath('microsoft.graph.user', 'manager.id')).toBe('Edm.String');
    expect(resolvePath('microsoft.graph.user', 'manager.idz')).toBeUndefined();
  });

  it('declares every Conditional Access reference of docs/graph-facts.md §3, all required', () => {
    const ca = descriptor('conditionalAccessPolicy');
    const paths = ca.references.map((r) => r.path);
    for (const who of ['Users', 'Groups', 'Roles']) {
      for (const side of ['include', 'exclude']) expect(paths).toContain(`conditions.users.${side}${who}`);
    }
    expect(paths).toEqual(expect.arrayContaining([
      'conditions.applications.includeApplications', 'conditions.applications.excludeApplications',
      'conditions.locations.includeLocations', 'conditions.locations.excludeLocations',
      'grantControls.authenticationStrength.id',
    ]));
    for (const r of ca.references) expect(r.required, r.path).toBe(true);
    const roles = ca.references.find((r) => r.path === 'conditions.users.includeRoles')!;
    expect(roles.by).toBe('roleTemplateId');
    const apps = ca.references.find((r) => r.path === 'conditions.applications.includeApplications')!;
    expect(apps.by).toBe('appId');
    expect(apps.specialValues).toContain('All');
  });

  it('declares the relationship-object references', () => {
    const ara = descriptor('appRoleAssignment').references;
    expect(ara.find((r) => r.path === 'principalId')?.targets).toEqual(['user', 'group', 'servicePrincipal']);
    expect(ara.find((r) => r.path === 'resourceId')?.targets).toEqual(['servicePrincipal']);
    const grant = descriptor('oauth2PermissionGrant').references.map((r) => r.path).sort();
    expect(grant).toEqual(['clientId', 'principalId', 'resourceId']);
    for (const t of ['roleAssignment', 'roleEligibilitySchedule', 'roleAssignmentSchedule'] as const) {
      const refs = descriptor(t).references;
      // an object id: a recreated custom role has a new id, which its templateId need not equal (issue 11 item 2)
      expect(refs.find((r) => r.path === 'roleDefinitionId')?.by).toBe('roleDefinitionId');
      expect(refs.find((r) => r.path === 'directoryScopeId')?.by).toBe('directoryScope');
      expect(refs.find((r) => r.path === 'directoryScopeId')?.specialValues).toContain('/');
      expect(refs.find((r) => r.path === 'principalId')?.required).toBe(true);
    }
    expect(descriptor('scopedRoleMembership').references.map((r) => r.path)).toContain('roleMemberInfo.id');
    const sp = descriptor('servicePrincipal').references.find((r) => r.path === 'appId')!;
    expect(sp).toMatchObject({ by: 'appId', targets: ['application'], required: false });
    const rra = descriptor('application').references.find((r) => r.path === 'requiredResourceAccess.resourceAppId')!;
    expect(rra).toMatchObject({ by: 'appId', required: false });
    const amc = descriptor('authenticationMethodConfiguration').references;
    expect(amc.find((r) => r.path === 'includeTargets.id')?.specialValues).toContain('all_users');
    for (const t of ['user', 'group'] as const) {
      expect(descriptor(t).references).toContainEqual(expect.objectContaining({ by: 'extensionName', path: '*', targets: ['application'] }));
    }
  });
});

describe('shapes, paths and permissions', () => {
  it('contained types name their parent and a {parentId} path; others do not', () => {
    for (const d of catalog) {
      if (d.shape === 'contained') {
        expect(d.parentType, d.type).toBeDefined();
        // the parent is in the path, or in the filter Graph requires (PIM for Groups: groupId eq '{parentId}')
        expect(`${d.path}?${d.listQuery ?? ''}`, d.type).toContain('{parentId}');
      } else if (d.path.includes('{parentId}')) {
        expect(d.parentType, d.type).toBeDefined();
      }
      expect(d.path.startsWith('/')).toBe(true);
    }
    expect(descriptor('appRoleAssignment').path).toBe('/servicePrincipals/{parentId}/appRoleAssignedTo');
    expect(descriptor('administrativeUnit').path).toBe('/directory/administrativeUnits');
    expect(descriptor('authorizationPolicy').shape).toBe('singleton');
    expect(descriptor('crossTenantAccessPolicyPartner').keyProperty).toBe('tenantId');
  });

  it('uses only permission names the appliance apps hold', () => {
    const read = new Set<string>(BACKUP_READER_PERMISSIONS);
    const write = new Set<string>(RESTORE_WRITER_PERMISSIONS);
    for (const d of [...catalog, ...relationCatalog]) {
      const name = 'type' in d ? d.type : d.kind;
      expect(read.has(d.permissions.read), `${name} read ${d.permissions.read}`).toBe(true);
      expect(write.has(d.permissions.write), `${name} write ${d.permissions.write}`).toBe(true);
    }
  });

  it('soft-delete and delta follow docs/graph-facts.md §4 and §5', () => {
    const recycle = catalog.filter((d) => d.softDelete === 'recycleBin').map((d) => d.type).sort();
    expect(recycle).toEqual(['administrativeUnit', 'application', 'servicePrincipal', 'user']);
    expect(descriptor('group').softDelete).toBe('recycleBinIfUnified');
    expect(descriptor('conditionalAccessPolicy').softDelete).toBe('caDeletedItems');
    expect(descriptor('namedLocation').softDelete).toBe('caDeletedItems');
    const delta = catalog.filter((d) => d.delta).map((d) => d.type).sort();
    expect(delta).toEqual(['administrativeUnit', 'application', 'group', 'oauth2PermissionGrant', 'servicePrincipal', 'user']);
  });
});

describe('typeForODataType', () => {
  it('round-trips every catalog entity type and derived type', () => {
    for (const d of catalog) {
      // the first catalog type of an entity type names it (condition sets: includes before excludes)
      const first = catalog.find((x) => x.entityType === d.entityType)!.type;
      expect(typeForODataType(`#${d.entityType}`)).toBe(first);
      expect(typeForODataType(d.entityType)).toBe(first);
      for (const derived of d.derivedEntityTypes ?? []) expect(typeForODataType(`#${derived}`)).toBe(d.type);
    }
    expect(typeForODataType('#microsoft.graph.user')).toBe('user');
    expect(typeForODataType('#microsoft.graph.ipNamedLocation')).toBe('namedLocation');
    expect(typeForODataType('#microsoft.graph.countryNamedLocation')).toBe('namedLocation');
    expect(typeForODataType('#microsoft.graph.unifiedRoleAssignment')).toBe('roleAssignment');
    expect(typeForODataType('#microsoft.graph.device')).toBe('device');
    expect(typeForODataType('#microsoft.graph.orgContact')).toBe('orgContact');
    expect(typeForODataType('#microsoft.graph.printer')).toBeUndefined();
    expect(typeForODataType('')).toBeUndefined();
  });

  it('every generated entity type reachable from the catalog is mapped or a support type', () => {
    const mapped = Object.values(graphTypes).filter((t) => t.kind === 'entity' && typeForODataType(`#${t.name}`) !== undefined);
    expect(mapped.length).toBeGreaterThanOrEqual(catalog.length);
  });
});

describe('instancePath', () => {
  it('substitutes and encodes the parent id, and refuses a missing or superfluous one', () => {
    expect(instancePath(descriptor('extensionProperty'), 'a/b')).toBe('/applications/a%2Fb/extensionProperties');
    expect(instancePath(descriptor('organizationalBranding'), 'org-1')).toBe('/organization/org-1/branding');
    expect(instancePath(descriptor('user'))).toBe('/users');
    expect(() => instancePath(descriptor('federatedIdentityCredential'))).toThrow(/needs parent id/);
    expect(() => instancePath(descriptor('user'), 'x')).toThrow(/takes no parent id/);
  });
});
