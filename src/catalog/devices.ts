/**
 * Devices and their tenant settings (issue 15 item 10): the devices themselves (archived for
 * reference only), the device registration policy (read-only in v1.0) and the certificate-based
 * authentication trust store of the organization.
 *
 * Graph facts (docs/graph-facts.md §3 "Devices and their settings", S185–S188):
 * - `/devices` lists device objects (Device.Read.All). A device is an identity the device itself
 *   registers (its deviceId, its keys in alternativeSecurityIds): a copy POSTed by a restore is
 *   not the device, which must join or register again. So a restore never creates one: it is
 *   archived for reference and a manual step lists them (src/restore/plan/devices.ts).
 * - `/policies/deviceRegistrationPolicy` is a singleton v1.0 reads (Policy.Read.DeviceConfiguration)
 *   and writes by PUT of every updatable property (Policy.ReadWrite.DeviceConfiguration; the
 *   update page since 2026, though the CSDL's UpdateRestrictions still say `Updatable false`,
 *   docs/graph-facts.md S186). The users and groups it names (who may join, who may register,
 *   who is local administrator) are re-linked like any reference; one that cannot be is left out,
 *   which only narrows who may join, register or administer a device.
 * - `/organization/{id}/certificateBasedAuthConfiguration` holds at most one object, with the
 *   fixed id 29728ade-6ae4-4ee9-9103-412912537da5, created by POST with its certificateAuthorities
 *   (Organization.ReadWrite.All; list and get need Organization.Read.All); v1.0 documents list,
 *   get, create and delete, no update. The fixed id is the same in every tenant, so it is the key.
 */
import type { ReferenceRule } from './types.js';
import { define, ms } from './define.js';

/** Organizational contacts, read-only the same way (./org-contacts.ts); re-exported for ./resources.ts. */
export { orgContact } from './org-contacts.js';

/** The certificate-based-auth configuration's id in every tenant (docs/graph-facts.md S187). */
export const CBA_CONFIGURATION_ID = '29728ade-6ae4-4ee9-9103-412912537da5';

export const device = define({
  type: 'device', entityType: ms('device'), title: 'Device', path: '/devices', shape: 'collection',
  // Graph's create needs these (Create device); a restore never sends it (src/restore/plan/devices.ts).
  requiredOnCreate: ['accountEnabled', 'alternativeSecurityIds', 'deviceId', 'displayName', 'operatingSystem', 'operatingSystemVersion'],
  naturalKey: ['deviceId'], softDelete: 'hard', tier: 2,
  // read only: the writer reads the target's devices for the diff and never writes one
  permissions: { read: 'Device.Read.All', write: 'Device.Read.All' },
});

/** Who may join, who may register, who administers joined devices: users and groups by id. */
const REGISTRATION_REFS: readonly ReferenceRule[] = ['azureADJoin.allowedToJoin', 'azureADRegistration.allowedToRegister', 'azureADJoin.localAdmins.registeringUsers']
  .flatMap((m): ReferenceRule[] => [
    { path: `${m}.users`, by: 'id', targets: ['user'], required: false },
    { path: `${m}.groups`, by: 'id', targets: ['group'], required: false },
  ]);

export const deviceRegistrationPolicy = define({
  type: 'deviceRegistrationPolicy', entityType: ms('deviceRegistrationPolicy'), title: 'Device registration policy',
  path: '/policies/deviceRegistrationPolicy', shape: 'singleton',
  readOnly: ['description', 'displayName'], requiredOnCreate: [], naturalKey: [], softDelete: 'notDeletable', tier: 3,
  references: REGISTRATION_REFS,
  // written whole by PUT (docs/graph-facts.md S186), after the users and groups it names
  permissions: { read: 'Policy.Read.DeviceConfiguration', write: 'Policy.ReadWrite.DeviceConfiguration' },
});

export const certificateBasedAuthConfiguration = define({
  type: 'certificateBasedAuthConfiguration', entityType: ms('certificateBasedAuthConfiguration'), title: 'Certificate-based authentication trust store',
  path: '/organization/{parentId}/certificateBasedAuthConfiguration', shape: 'contained', parentType: 'organization',
  requiredOnCreate: ['certificateAuthorities'], naturalKey: ['id'], softDelete: 'hard', tier: 1,
  permissions: { read: 'Organization.Read.All', write: 'Organization.ReadWrite.All' },
});
