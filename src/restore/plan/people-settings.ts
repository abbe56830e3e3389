/**
 * Profile card properties in a restore plan (src/catalog/people-settings.ts). Pure.
 *
 * Graph v1.0 lets an application list them (PeopleSettings.Read.All) but not create, update or
 * delete them ("Application: Not supported", docs/graph-facts.md S342): only a signed-in People
 * Administrator (or Tenant Administrator) may, with PeopleSettings.ReadWrite.All. So a restore
 * never writes one: each the target lacks or holds differently is skipped with that reason
 * (fidelity reports it, the exit code says there is a manual step), and `manual:profileCardProperties`
 * gives the exact delegated request for each, its archived annotations and localizations in the
 * body. A property the target holds and the archive does not is left alone, like every extra.
 */
import type { ResourceType } from '../../catalog/types.js';
import type { DirObject, Json } from '../../model.js';
import type { AttributeChange, ManualStep, Plan } from '../types.js';
import { cmp } from '../json.js';

export const PROFILE_CARD_STEP_ID = 'manual:profileCardProperties';
const PATH = '/admin/people/profileCardProperties';
const TYPE: ResourceType = 'profileCardProperty';

const MISSING = `Graph v1.0 lets only a signed-in administrator create a profile card property (Application: Not supported): listed in ${PROFILE_CARD_STEP_ID}`;

/** Why a missing archived profile card property is not created (undefined: other types). */
export function profileCardSkipReason(type: ResourceType): string | undefined {
  return type === TYPE ? MISSING : undefined;
}

/** Why a differing profile card property is not patched (undefined: other types, or nothing to write). */
export function profileCardUpdateReason(type: ResourceType, changes: readonly AttributeChange[]): string | undefined {
  if (type !== TYPE || changes.length === 0) return undefined;
  return `Graph v1.0 lets only a signed-in administrator update a profile card property (Application: Not supported): ${changes.map((c) => c.property).join(', ')} listed in ${PROFILE_CARD_STEP_ID}`;
}

/** The request body re-entering the archived values (what Create and Update take). */
function bodyOf(o: DirObject): Record<string, Json> {
  return { directoryPropertyName: o['directoryPropertyName'] ?? null, annotations: o['annotations'] ?? [] };
}

/** The manual step re-entering every skipped profile card property (undefined: none skipped). */
export function profileCardStep(skipped: Plan['skipped'], archivedById: ReadonlyMap<string, { obj: DirObject }>): ManualStep | undefined {
  const rows = (skipped ?? [])
    .filter((s) => s.type === TYPE)
    .map((s) => ({ obj: archivedById.get(s.archivedId)?.obj, missing: s.reason === MISSING }))
    .filter((r): r is { obj: DirObject; missing: boolean } => r.obj !== undefined)
    .sort((a, b) => cmp(a.obj.id, b.obj.id));
  if (rows.length === 0) return undefined;
  const request = ({ obj, missing }: { obj: DirObject; missing: boolean }): string => {
    const name = String(obj['directoryPropertyName']);
    const line = missing ? `POST ${PATH}` : `PATCH ${PATH}/${name}`;
    return `- ${name}: ${line} with ${JSON.stringify(bodyOf(obj))}`;
  };
  return {
    id: PROFILE_CARD_STEP_ID,
    kind: 'other',
    title: `Set ${rows.length} profile card propert${rows.length === 1 ? 'y' : 'ies'} again`,
    instructions: [
      'Graph v1.0 lets an application read the profile card properties but not write them (docs/graph-facts.md S342), so the restore does not.',
      'Signed in as a People Administrator with PeopleSettings.ReadWrite.All (delegated), send each request below (Content-Type: application/json; charset=utf-8), or enter the same labels in the Microsoft 365 admin center:',
      ...rows.map(request),
    ].join('\n'),
    objects: rows.map((r) => r.obj.id),
  };
}
