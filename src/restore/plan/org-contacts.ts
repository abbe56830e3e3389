/**
 * Organizational contacts in a restore plan (src/catalog/org-contacts.ts). Pure.
 *
 * - A contact is never created: Graph v1.0 reads contacts but cannot write them (they are
 *   synchronized from on-premises or created in Exchange Online, docs/graph-facts.md S301).
 * - A contact the target holds (same mail, else same mailNickname) is matched like any object,
 *   so its group memberships are written to the target contact's id; it is never patched.
 * - A contact absent from the target is skipped with that reason (fidelity reports it, the exit
 *   code says so), its memberships are reported blocked by the relation phase (never dropped
 *   silently), and the manual step `manual:orgContacts` lists each contact's values to re-create
 *   in Exchange Online and the groups it must rejoin.
 */
import type { ResourceType } from '../../catalog/types.js';
import type { DirObject, Json, TenantData } from '../../model.js';
import type { AttributeChange, ManualStep, Plan } from '../types.js';
import { cmp } from '../json.js';

export const ORG_CONTACTS_STEP_ID = 'manual:orgContacts';

/** Why a missing archived contact is not created (undefined: other types). */
export function orgContactSkipReason(type: ResourceType): string | undefined {
  if (type !== 'orgContact') return undefined;
  return `Graph v1.0 cannot create an organizational contact (it is created in Exchange Online or synchronized from on-premises): listed in ${ORG_CONTACTS_STEP_ID}`;
}

/** Why an update of a contact is not written (undefined: other types, or nothing to write). */
export function orgContactUpdateReason(type: ResourceType, changes: readonly AttributeChange[]): string | undefined {
  if (type !== 'orgContact' || changes.length === 0) return undefined;
  return `Graph v1.0 cannot write an organizational contact: set ${changes.map((c) => c.property).join(', ')} again in Exchange Online (Set-Contact, Set-MailContact)`;
}

const str = (v: Json | undefined): string => (v === null || v === undefined || v === '' ? '—' : String(v));
const list = (v: Json | undefined): string => (Array.isArray(v) && v.length > 0 ? v.map((x) => String(x)).join(', ') : '—');

/** One contact in words: what New-MailContact and Set-Contact need. */
function describe(o: DirObject, groups: readonly string[] | undefined): string {
  const values = [
    `mail ${str(o['mail'])}`, `alias ${str(o['mailNickname'])}`, `proxy addresses ${list(o['proxyAddresses'])}`,
    `first name ${str(o['givenName'])}`, `last name ${str(o['surname'])}`, `company ${str(o['companyName'])}`,
    `department ${str(o['department'])}`, `job title ${str(o['jobTitle'])}`,
  ];
  const synced = o['onPremisesSyncEnabled'] === true ? ' (synchronized from on-premises: restore it there)' : '';
  return `- ${str(o['displayName'])}${synced}: ${values.join(', ')}${groups ? `; member of ${groups.join(', ')}` : ''}`;
}

/** The manual step listing the contacts the plan skipped and the groups they were in (undefined: none). */
export function orgContactsStep(skipped: Plan['skipped'], archivedById: ReadonlyMap<string, { obj: DirObject }>, archive: TenantData, nameOf: (id: string) => string): ManualStep | undefined {
  const contacts = (skipped ?? [])
    // only the contacts missing from the target: one matched but differing is skipped as not patched
    .filter((s) => s.type === 'orgContact' && s.reason === orgContactSkipReason('orgContact'))
    .map((s) => archivedById.get(s.archivedId)?.obj)
    .filter((o): o is DirObject => o !== undefined)
    .sort((a, b) => cmp(a.id, b.id));
  if (contacts.length === 0) return undefined;
  const groupsOf = new Map<string, string[]>();
  for (const e of archive.relations.groupMembers ?? []) {
    if (e.toType !== 'orgContact') continue;
    groupsOf.set(e.to, [...(groupsOf.get(e.to) ?? []), nameOf(e.from)].sort(cmp));
  }
  return {
    id: ORG_CONTACTS_STEP_ID,
    kind: 'other',
    title: `Create ${contacts.length} organizational contact(s) again`,
    instructions: [
      'Graph v1.0 reads organizational contacts but cannot create them, so the restore does not. Create each in the Exchange admin center (Recipients > Contacts) or with New-MailContact -Name -ExternalEmailAddress -Alias -DisplayName -FirstName -LastName (docs/graph-facts.md S303), then Set-Contact for the company, department and job title; a contact synchronized from on-premises comes back with directory synchronization.',
      'Then add each to the groups listed (its memberships are reported as not restored until then):',
      ...contacts.map((o) => describe(o, groupsOf.get(o.id))),
    ].join('\n'),
    objects: contacts.map((o) => o.id),
  };
}
