/**
 * Devices and their tenant settings in seeded tenants (issue 15 item 10; docs/graph-facts.md §3
 * "Devices and their settings"). Every tenant has a device registration policy: a new tenant
 * Graph's defaults (anyone may join and register, 50 devices a user, no MFA to join), a drill
 * tenant a hardened one (one security group may join, MFA required, 20 devices a user, LAPS on),
 * which v1.0 cannot write back, so a restore lists it as a manual step. A drill tenant also
 * trusts a root and an issuing certificate authority for certificate-based authentication
 * (recreated by a restore) and holds a few registered devices, one of them a member of a
 * security group (archived, never recreated: the manual step lists them and that membership).
 */
import type { DirObject, Json } from '../../model.js';
import { CBA_CONFIGURATION_ID } from '../../catalog/devices.js';
import type { SeedContext, SeededUser } from './context.js';
import type { SeededGroup } from './directory.js';
import { Rng } from './rng.js';

const T = (name: string): string => `#microsoft.graph.${name}`;
const ALL = { '@odata.type': T('allDeviceRegistrationMembership') };
const NONE = { '@odata.type': T('noDeviceRegistrationMembership') };

/** The tenant's device registration policy; `hardened` for drill tenants (joining limited to `joinGroupId`). */
export function seedDeviceRegistrationPolicy(ctx: SeedContext, hardened: boolean, joinGroupId?: string): void {
  const join: Json = hardened && joinGroupId ? { '@odata.type': T('enumeratedDeviceRegistrationMembership'), users: [], groups: [joinGroupId] } : ALL;
  ctx.add('deviceRegistrationPolicy', {
    id: 'deviceRegistrationPolicy', '@odata.type': T('deviceRegistrationPolicy'),
    displayName: 'Device Registration Policy', description: 'Tenant-wide policy that manages initial provisioning controls using quota restrictions, additional authentication and authorization checks',
    userDeviceQuota: hardened ? 20 : 50,
    multiFactorAuthConfiguration: hardened ? 'required' : 'notRequired',
    azureADRegistration: { isAdminConfigurable: false, allowedToRegister: ALL },
    azureADJoin: { isAdminConfigurable: true, allowedToJoin: join, localAdmins: { enableGlobalAdmins: !hardened, registeringUsers: hardened ? NONE : ALL } },
    localAdminPassword: { isEnabled: hardened },
  });
}

/** A DER-looking base64 blob (the emulator never parses it). */
function certificate(rng: Rng): string {
  return Buffer.from(rng.bytes(96)).toString('base64');
}

/** The CBA trust store: a root and an issuing authority with their CRLs. */
export function seedCertificateAuthorities(ctx: SeedContext): void {
  const rng = new Rng(ctx.seed, 'cba');
  const crl = (name: string): string => `http://pki.${ctx.customDomain}/crl/${name}.crl`;
  const ski = (): string => Buffer.from(rng.bytes(20)).toString('hex').toUpperCase();
  ctx.add('certificateBasedAuthConfiguration', {
    id: CBA_CONFIGURATION_ID, '@odata.type': T('certificateBasedAuthConfiguration'),
    certificateAuthorities: [
      { isRootAuthority: true, certificate: certificate(rng), certificateRevocationListUrl: crl('root'), deltaCertificateRevocationListUrl: null, issuer: `CN=${ctx.orgName} Root CA`, issuerSki: ski() },
      { isRootAuthority: false, certificate: certificate(rng), certificateRevocationListUrl: crl('issuing'), deltaCertificateRevocationListUrl: crl('issuing-delta'), issuer: `CN=${ctx.orgName} Issuing CA 1`, issuerSki: ski() },
    ],
  }, ctx.tenantId);
}

const MODELS: ReadonlyArray<readonly [string, string, string, string, string]> = [
  ['Windows', '10.0.22631.3880', 'AzureAd', 'Microsoft Corporation', 'Surface Laptop 5'],
  ['Windows', '10.0.19045.4651', 'ServerAd', 'Dell Inc.', 'Latitude 7440'],
  ['iOS', '17.5.1', 'Workplace', 'Apple', 'iPhone 15'],
  ['MacMDM', '14.5', 'Workplace', 'Apple', 'MacBook Air'],
];

/** A few registered devices (3 plus one per 40 users, at most 12); the first is a member of `memberOf`. */
export function seedDevices(ctx: SeedContext, users: readonly SeededUser[], memberOf?: SeededGroup): DirObject[] {
  const rng = new Rng(ctx.seed, 'devices');
  const owners = users.filter((u) => u.enabled && !u.guest);
  const n = Math.min(12, 3 + Math.floor(users.length / 40));
  const out: DirObject[] = [];
  for (let i = 0; i < n && owners.length > 0; i++) {
    const [os, version, trustType, manufacturer, model] = MODELS[i % MODELS.length]!;
    const owner = owners[i % owners.length]!;
    const deviceId = rng.guid();
    out.push(ctx.add('device', {
      id: rng.guid(), '@odata.type': T('device'), deletedDateTime: null, accountEnabled: true,
      alternativeSecurityIds: [{ type: 2, identityProvider: null, key: Buffer.from(rng.bytes(24)).toString('base64') }],
      approximateLastSignInDateTime: '2026-11-30T08:00:00Z', complianceExpirationDateTime: null, deviceCategory: null, deviceId,
      deviceMetadata: null, deviceOwnership: trustType === 'Workplace' ? 'Personal' : 'Company', deviceVersion: 2,
      displayName: `${owner.displayName.split(' ')[0]!.toUpperCase()}-${model.replace(/\s+/g, '').toUpperCase()}-${i + 1}`,
      enrollmentProfileName: null, enrollmentType: null, isCompliant: trustType !== 'Workplace', isManaged: trustType !== 'Workplace', isManagementRestricted: false,
      isRooted: false, managementType: trustType === 'Workplace' ? null : 'MDM', manufacturer, mdmAppId: null, model,
      onPremisesLastSyncDateTime: null, onPremisesSecurityIdentifier: null, onPremisesSyncEnabled: trustType === 'ServerAd' ? true : null,
      operatingSystem: os, operatingSystemVersion: version, physicalIds: [], profileType: 'RegisteredDevice',
      registrationDateTime: '2025-03-01T09:00:00Z', systemLabels: [], trustType,
    }));
  }
  if (memberOf && out[0]) ctx.rel('groupMembers', memberOf.id, out[0].id, 'device');
  return out;
}
