/**
 * Devices and the device registration policy in a restore plan (src/catalog/devices.ts). Pure.
 *
 * - A device is never created: it is an identity the device registers itself (deviceId, keys),
 *   and Graph's create is delegated only (docs/graph-facts.md §3 "Devices and their settings").
 *   A missing device is skipped with that reason (fidelity reports it, the exit code says so),
 *   and a manual step lists each one (name, deviceId, OS, trust type) with the groups it was a
 *   member of: those memberships cannot be written until the device registers again, so the
 *   relation phase reports them as blocked (never dropped silently) and the step names them.
 *   A device live in the target is never patched: its properties are the device's own.
 * - The device registration policy is not written: a target whose policy differs from the
 *   archive is not changed (v1.0 documents a PUT of the whole policy only since 2026, and the
 *   users and groups it names would need re-linking: docs/graph-facts.md S186); the policy is skipped with that reason and a
 *   manual step gives the archived values to enter in the admin center, the groups and users
 *   allowed to join named as archived.
 */
import type { ResourceType } from '../../catalog/types.js';
import type { DirObject, Json, JsonObject, TenantData } from '../../model.js';
import type { AttributeChange, ManualStep, Plan } from '../types.js';
import { cmp } from '../json.js';

export const DEVICES_STEP_ID = 'manual:devices';
export const DEVICE_REGISTRATION_STEP_ID = 'manual:deviceRegistrationPolicy';

/** Why a missing archived device is not created (undefined: other types). */
export function deviceSkipReason(type: ResourceType): string | undefined {
  if (type !== 'device') return undefined;
  return `a device cannot be recreated through Graph (it registers or joins again itself, and Graph's create is delegated only): listed in ${DEVICES_STEP_ID}`;
}

/**
 * Why an update of `type` is not written (undefined: it is): a device's properties are its own,
 * and the device registration policy is not written by a restore (yet: docs/graph-facts.md S186).
 */
export function readOnlyUpdateReason(type: ResourceType, changes: readonly AttributeChange[]): string | undefined {
  if (changes.length === 0) return undefined;
  if (type === 'deviceRegistrationPolicy') return `entra-vault does not write the device registration policy: set ${changes.map((c) => c.property).join(', ')} again by hand (${DEVICE_REGISTRATION_STEP_ID})`;
  if (type === 'device') return 'a device\'s properties are its own: not written by a restore';
  return undefined;
}

const isObj = (v: Json | undefined): v is JsonObject => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
const str = (v: Json | undefined): string => (v === null || v === undefined ? '—' : String(v));

/** The archived objects behind the skipped entries of `type`, by id. */
function skippedOf(type: ResourceType, skipped: Plan['skipped'], archivedById: ReadonlyMap<string, { obj: DirObject }>): DirObject[] {
  return (skipped ?? [])
    .filter((s) => s.type === type)
    .map((s) => archivedById.get(s.archivedId)?.obj)
    .filter((o): o is DirObject => o !== undefined)
    .sort((a, b) => cmp(a.id, b.id));
}

/** The manual step listing the devices the plan skipped and their group memberships (undefined: none). */
export function devicesStep(skipped: Plan['skipped'], archivedById: ReadonlyMap<string, { obj: DirObject }>, archive: TenantData, nameOf: (id: string) => string): ManualStep | undefined {
  const devices = skippedOf('device', skipped, archivedById);
  if (devices.length === 0) return undefined;
  const groupsOf = new Map<string, string[]>();
  for (const e of archive.relations.groupMembers ?? []) {
    if (e.toType !== 'device') continue;
    groupsOf.set(e.to, [...(groupsOf.get(e.to) ?? []), nameOf(e.from)].sort(cmp));
  }
  const lines = devices.map((o) => {
    const groups = groupsOf.get(o.id);
    return `- ${str(o['displayName'])} (deviceId ${str(o['deviceId'])}, ${str(o['operatingSystem'])} ${str(o['operatingSystemVersion'])}, trust type ${str(o['trustType'])}, ${str(o['manufacturer'])} ${str(o['model'])})${groups ? `; member of ${groups.join(', ')}` : ''}`;
  });
  return {
    id: DEVICES_STEP_ID,
    kind: 'other',
    title: `Register or join ${devices.length} device(s) again`,
    instructions: [
      'A device object is the device\'s own registration (its deviceId and keys): Graph cannot recreate it, so the restore does not. Each device joins or registers again (Entra join, hybrid join through directory sync, or Settings > Accounts > Access work or school); Intune re-enrolls managed ones.',
      'Then add the new device objects to the groups listed (their memberships are reported as not restored until then):',
      ...lines,
    ].join('\n'),
    objects: devices.map((o) => o.id),
  };
}

/** A deviceRegistrationMembership in words, with group and user ids named as archived. */
function membership(v: Json | undefined, nameOf: (id: string) => string): string {
  if (!isObj(v)) return '—';
  const t = str(v['@odata.type']).replace('#microsoft.graph.', '');
  if (t === 'allDeviceRegistrationMembership') return 'all users';
  if (t === 'noDeviceRegistrationMembership') return 'none';
  const names = (k: string): string[] => (Array.isArray(v[k]) ? (v[k] as Json[]).map((x) => nameOf(String(x))) : []);
  return [...names('users').map((n) => `user ${n}`), ...names('groups').map((n) => `group ${n}`)].join(', ') || 'selected (none)';
}

/** The manual step for a device registration policy the plan could not write (undefined: none skipped). */
export function deviceRegistrationStep(skipped: Plan['skipped'], archivedById: ReadonlyMap<string, { obj: DirObject }>, nameOf: (id: string) => string): ManualStep | undefined {
  const [p] = skippedOf('deviceRegistrationPolicy', skipped, archivedById);
  if (!p) return undefined;
  const join = isObj(p['azureADJoin']) ? p['azureADJoin'] : {};
  const reg = isObj(p['azureADRegistration']) ? p['azureADRegistration'] : {};
  const admins = isObj(join['localAdmins']) ? join['localAdmins'] : {};
  const laps = isObj(p['localAdminPassword']) ? p['localAdminPassword'] : {};
  const values = [
    `Users may join devices to Microsoft Entra: ${membership(join['allowedToJoin'], nameOf)}`,
    `Users may register devices: ${membership(reg['allowedToRegister'], nameOf)}`,
    `Require multifactor authentication to register or join devices: ${str(p['multiFactorAuthConfiguration'])}`,
    `Maximum number of devices per user: ${str(p['userDeviceQuota'])}`,
    `Global administrators are local administrators on joined devices: ${str(admins['enableGlobalAdmins'])}; registering users are local administrators: ${membership(admins['registeringUsers'], nameOf)}`,
    `Enable Microsoft Entra Local Administrator Password Solution (LAPS): ${str(laps['isEnabled'])}`,
  ];
  return {
    id: DEVICE_REGISTRATION_STEP_ID,
    kind: 'other',
    title: 'Set the device registration policy again',
    instructions: ['entra-vault does not write the device registration policy (Graph v1.0 documents its update only since 2026). In the Entra admin center (Devices > Device settings) set:', ...values.map((v) => `- ${v}`)].join('\n'),
    objects: [p.id],
  };
}
