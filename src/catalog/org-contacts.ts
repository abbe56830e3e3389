/**
 * Organizational contacts (issue 15 item 10): `/contacts`, archived for reference and for the
 * group memberships they hold, never created by a restore.
 *
 * Graph facts (docs/graph-facts.md §3 "Organizational contacts", S300–S303):
 * - `GET /contacts` lists them and `GET /contacts/{id}` reads one (OrgContact.Read.All).
 * - The orgContact resource page says contacts are synchronized from on-premises directories or
 *   from Exchange Online and are read-only in Microsoft Graph: v1.0 documents List, Get, delta and
 *   the hierarchy/membership reads, no create, update or delete. So a restore never POSTs one: a
 *   contact missing from the target is a manual step (src/restore/plan/org-contacts.ts) listing
 *   the values to re-enter in Exchange Online, with the groups it must rejoin.
 * - A contact can be a group member (`/groups/{id}/members` returns `#microsoft.graph.orgContact`
 *   items); the walker archives such an edge with toType `orgContact` (src/snapshot/walker.ts).
 * Natural key: `mail` (the contact's external address, which Exchange keeps unique among
 * recipients and which is the same in every tenant, unlike the id), else `mailNickname` (the
 * Exchange alias, also unique) for a contact without a mail address.
 */
import { define, ms } from './define.js';

export const orgContact = define({
  type: 'orgContact', entityType: ms('orgContact'), title: 'Organizational contact', path: '/contacts', shape: 'collection',
  requiredOnCreate: [], naturalKey: ['mail', 'mailNickname'], softDelete: 'hard', tier: 2,
  // read only: the writer reads the target's contacts for the diff and the re-link, never writes one
  permissions: { read: 'OrgContact.Read.All', write: 'OrgContact.Read.All' },
});
