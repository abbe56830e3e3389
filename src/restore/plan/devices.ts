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
 * - The device registration policy is an ordinary update: PUT whole, its users and groups
 *   re-linked (src/catalog/devices.ts, docs/graph-facts.md S186).
 */
import type { ResourceType } from '../../catalog/types.js';
import type { DirObject, Json, TenantData } from '../../model.js';
import type { AttributeChange, ManualStep, Plan } from '../types.js';
import { cmp } from '../json.js';

export const DEVICES_STEP_ID = 'manual:devices';

/** Why a missing archived device is not created (undefined: other types). */
export function deviceSkipReason(type: ResourceType): string | undefined {
  if (type !== 'device') return undefined;
  return `a device cannot be recreated through Graph (it registers or joins again itself, and Graph's create is delegated only): listed in ${DEVICES_STEP_ID}`;
}

/**
 * Why an update of `type` is not written (undefined: it is): a device's properties are its own.
 */
export function readOnlyUpdateReason(type: ResourceType, changes: readonly AttributeChange[]): string | undefined {
  if (changes.length === 0) return undefined;
  if (type === 'device') return 'a device\'s properties are its own: not written by a restore';
  return undefined;
}

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

