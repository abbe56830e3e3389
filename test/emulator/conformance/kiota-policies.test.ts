/**
 * Conditional access and its neighbours through Microsoft's Kiota TypeScript SDK
 * (@microsoft/msgraph-sdk): each body written by the SDK's own serializer, each answer read by its
 * own parser, through the request adapter with Graph's URL templates (no fluent package publishes
 * these paths). What the emulator answers must be what the SDK expects of Graph.
 *
 * Sources: https://learn.microsoft.com/graph/api/conditionalaccessroot-post-namedlocations,
 * https://learn.microsoft.com/graph/api/conditionalaccessroot-post-policies,
 * https://learn.microsoft.com/graph/api/authenticationstrengthroot-post-policies,
 * https://learn.microsoft.com/graph/api/entitlementmanagement-post-catalogs,
 * https://learn.microsoft.com/graph/api/crosstenantaccesspolicy-post-partners,
 * https://learn.microsoft.com/graph/api/directory-post-attributesets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Parsable, type ParsableFactory } from '@microsoft/kiota-abstractions';
import type { GraphRequestAdapter } from '@microsoft/msgraph-sdk';
import {
  createAccessPackageCatalogFromDiscriminatorValue,
  createAttributeSetFromDiscriminatorValue,
  createAuthenticationStrengthPolicyFromDiscriminatorValue,
  createConditionalAccessPolicyFromDiscriminatorValue,
  createCrossTenantAccessPolicyConfigurationPartnerFromDiscriminatorValue,
  createNamedLocationFromDiscriminatorValue,
  serializeAccessPackageCatalog,
  serializeAttributeSet,
  serializeAuthenticationStrengthPolicy,
  serializeConditionalAccessPolicy,
  serializeCountryNamedLocation,
  serializeIpNamedLocation,
  type IpNamedLocation,
  type IpRange,
  type IPv4CidrRange,
  serializeCrossTenantAccessPolicyConfigurationPartner,
  type AccessPackageCatalog,
  type AttributeSet,
  type AuthenticationStrengthPolicy,
  type ConditionalAccessPolicy,
  type CountryNamedLocation,
  type CrossTenantAccessPolicyConfigurationPartner,
  type NamedLocation,
} from '@microsoft/msgraph-sdk/models/index.js';
import type { ODataError } from '@microsoft/msgraph-sdk/models/oDataErrors/index.js';
import { seedTenant } from '../../../src/emulator/seed/index.js';
import { lab, type Lab } from '../helpers.js';
import { getObj, post, writerAdapter } from './kiota-helpers.js';

const as = <T extends Parsable>(f: unknown) => f as ParsableFactory<T>;

describe('Kiota TypeScript SDK: conditional access and its neighbours against the emulator', () => {
  let L: Lab;
  let ad: GraphRequestAdapter;
  beforeAll(async () => {
    L = await lab(seedTenant({ seed: 16, users: 12 }));
    ad = await writerAdapter(L);
  });
  afterAll(async () => {
    await L.emu.close();
  });

  it('a country named location and a report-only CA policy that excludes it, from the SDK serializers; both read back', async () => {
    const loc: CountryNamedLocation = { odataType: '#microsoft.graph.countryNamedLocation', displayName: 'Kiota countries', countriesAndRegions: ['DE', 'FR'], includeUnknownCountriesAndRegions: false, countryLookupMethod: 'clientIpAddress' };
    const made = await post<CountryNamedLocation>(ad, '/identity/conditionalAccess/namedLocations', loc, serializeCountryNamedLocation as never, as(createNamedLocationFromDiscriminatorValue));
    expect(made?.odataType).toBe('#microsoft.graph.countryNamedLocation');
    const back = await getObj<NamedLocation>(ad, `/identity/conditionalAccess/namedLocations/${made!.id}`, as(createNamedLocationFromDiscriminatorValue)) as CountryNamedLocation | undefined;
    expect(back?.countriesAndRegions).toEqual(['DE', 'FR']);

    const group = L.tenant.objects.group!.find((g) => g.securityEnabled === true)!;
    const policy: ConditionalAccessPolicy = {
      displayName: 'Kiota: MFA outside DE and FR', state: 'enabledForReportingButNotEnforced',
      conditions: {
        applications: { includeApplications: ['All'] }, clientAppTypes: ['all'],
        users: { includeGroups: [group.id!] },
        locations: { includeLocations: ['All'], excludeLocations: [made!.id!] },
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    };
    const ca = await post<ConditionalAccessPolicy>(ad, '/identity/conditionalAccess/policies', policy, serializeConditionalAccessPolicy as never, as(createConditionalAccessPolicyFromDiscriminatorValue));
    expect(ca?.id).toBeTruthy();
    const caBack = await getObj<ConditionalAccessPolicy>(ad, `/identity/conditionalAccess/policies/${ca!.id}`, as(createConditionalAccessPolicyFromDiscriminatorValue));
    expect(caBack?.state).toBe('enabledForReportingButNotEnforced');
    expect(caBack?.conditions?.locations?.excludeLocations).toEqual([made!.id]);
    expect(caBack?.conditions?.users?.includeGroups).toEqual([group.id]);
    expect(caBack?.grantControls?.builtInControls).toEqual(['mfa']);
  });

  // https://learn.microsoft.com/graph/api/resources/ipnamedlocation ("ipRanges … in IPv4 CIDR format … Required")
  it('an IP named location: the SDK writes its nested ranges without their address (microsoft/kiota#6777), which is refused; with the address it reads back', async () => {
    const body = (range: IpRange): IpNamedLocation => ({ odataType: '#microsoft.graph.ipNamedLocation', displayName: 'Kiota office', isTrusted: true, ipRanges: [range] });
    const create = (b: IpNamedLocation) => post<IpNamedLocation>(ad, '/identity/conditionalAccess/namedLocations', b, serializeIpNamedLocation as never, as(createNamedLocationFromDiscriminatorValue));
    const refused = await create(body({ odataType: '#microsoft.graph.iPv4CidrRange', cidrAddress: '10.1.0.0/16' } as IpRange)).then(() => undefined, (e: unknown) => e as ODataError);
    expect(refused?.responseStatusCode).toBe(400);
    const made = await create(body({ odataType: '#microsoft.graph.iPv4CidrRange', additionalData: { cidrAddress: '10.1.0.0/16' } }));
    const back = await getObj<NamedLocation>(ad, `/identity/conditionalAccess/namedLocations/${made!.id}`, as(createNamedLocationFromDiscriminatorValue)) as IpNamedLocation | undefined;
    expect(back?.ipRanges?.map((r) => [r.odataType, (r as IPv4CidrRange).cidrAddress])).toEqual([['#microsoft.graph.iPv4CidrRange', '10.1.0.0/16']]);
  });

  it('an authentication strength, a catalog, a cross-tenant partner and an attribute set, from the SDK serializers; each read back', async () => {
    const strength = await post<AuthenticationStrengthPolicy>(ad, '/policies/authenticationStrengthPolicies', {
      displayName: 'Kiota strength', description: 'made by the SDK', allowedCombinations: ['fido2', 'windowsHelloForBusiness'],
    }, serializeAuthenticationStrengthPolicy as never, as(createAuthenticationStrengthPolicyFromDiscriminatorValue));
    expect(strength?.allowedCombinations).toEqual(['fido2', 'windowsHelloForBusiness']);
    expect(strength?.policyType).toBe('custom');

    const catalog = await post<AccessPackageCatalog>(ad, '/identityGovernance/entitlementManagement/catalogs', {
      displayName: 'Kiota catalog', description: 'made by the SDK', isExternallyVisible: false,
    }, serializeAccessPackageCatalog as never, as(createAccessPackageCatalogFromDiscriminatorValue));
    const catBack = await getObj<AccessPackageCatalog>(ad, `/identityGovernance/entitlementManagement/catalogs/${catalog!.id}`, as(createAccessPackageCatalogFromDiscriminatorValue));
    expect(catBack).toMatchObject({ displayName: 'Kiota catalog', isExternallyVisible: false });

    const partnerId = '3d0f5dec-5d3d-455c-8016-e2af1ae4d31a';
    const partner = await post<CrossTenantAccessPolicyConfigurationPartner>(ad, '/policies/crossTenantAccessPolicy/partners', {
      tenantId: partnerId, inboundTrust: { isMfaAccepted: true, isCompliantDeviceAccepted: false, isHybridAzureADJoinedDeviceAccepted: false },
    }, serializeCrossTenantAccessPolicyConfigurationPartner as never, as(createCrossTenantAccessPolicyConfigurationPartnerFromDiscriminatorValue));
    expect(partner?.tenantId).toBe(partnerId);
    const partnerBack = await getObj<CrossTenantAccessPolicyConfigurationPartner>(ad, `/policies/crossTenantAccessPolicy/partners/${partnerId}`, as(createCrossTenantAccessPolicyConfigurationPartnerFromDiscriminatorValue));
    expect(partnerBack?.inboundTrust?.isMfaAccepted).toBe(true);

    const set = await post<AttributeSet>(ad, '/directory/attributeSets', { id: 'KiotaSet', description: 'made by the SDK', maxAttributesPerSet: 12 }, serializeAttributeSet as never, as(createAttributeSetFromDiscriminatorValue));
    expect(set).toMatchObject({ id: 'KiotaSet', maxAttributesPerSet: 12 });
  });
});
