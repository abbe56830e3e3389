/**
 * What the `attributes` scenario can restore: the writable, comparable structural
 * properties of a type (the ones the diff compares; a create-only one that differs is
 * named by the planner as a warning and counted by fidelity, not ignored). Relations (`manager`, memberships)
 * and properties the archive never holds (`signInActivity`, excluded with a reason in the
 * catalog) are not attributes of this scenario: a name the planner would
 * silently ignore is refused before planning instead (issue 11 item 6).
 */
import { descriptor } from '../../catalog/index.js';
import type { ResourceDescriptor, ResourceType } from '../../catalog/types.js';
import type { TenantData } from '../../model.js';
import { VaultError } from '../../errors.js';
import { isCompared } from '../catalog.js';

/** The attribute names the attributes scenario can restore for `desc`, sorted. Pure. */
export function restorableAttributes(desc: ResourceDescriptor): string[] {
  const all = [...desc.properties, ...(desc.perObjectProperties ?? [])];
  return [...new Set(all)].filter((p) => isCompared(desc, p)).sort();
}

/**
 * Checks every selected attribute name against the selected archived objects' types: a
 * name no selected type can restore is refused (a name of one selected type only is
 * applied to the objects of that type, as the wizard selects across types). Ids not in
 * the archive are left to the planner (it reports them).
 * @throws VaultError ATTRIBUTE_UNSUPPORTED (one line: the refused names, the type, what it supports)
 * Never reads or writes anything.
 */
export function checkAttributeSelection(archive: TenantData, objectIds: readonly string[], attributes: readonly string[]): void {
  const typeOf = new Map<string, ResourceType>();
  for (const [t, objs] of Object.entries(archive.objects) as [ResourceType, { id: string }[]][]) {
    for (const o of objs) typeOf.set(o.id, t);
  }
  const types = [...new Set(objectIds.map((id) => typeOf.get(id)).filter((t): t is ResourceType => t !== undefined))].sort();
  if (types.length === 0) return;
  const supported = types.map((t) => ({ t, ok: new Set(restorableAttributes(descriptor(t))) }));
  const bad = attributes.filter((a) => !supported.some((s) => s.ok.has(a)));
  if (bad.length === 0) return;
  const excluded = (a: string) => types.some((t) => descriptor(t).excluded[a] !== undefined);
  const why = bad.map((a) => (excluded(a) ? `${a} (not archived)` : a)).join(', ');
  throw new VaultError(
    'ATTRIBUTE_UNSUPPORTED',
    `the attributes scenario cannot restore ${why} of a ${types.join(' or ')}; relations such as manager or memberships are restored by the objects scenario`,
    `choose among: ${supported.map((s) => `${s.t}: ${[...s.ok].join(',')}`).join('; ')}`,
  );
}
