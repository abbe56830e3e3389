/**
 * Organizational contacts in drill tenants (issue 15 item 10; docs/graph-facts.md §3
 * "Organizational contacts"): two mail contacts of partner companies, as Exchange Online creates
 * them (mail, alias, SMTP proxy address), the first a member of a security group. Graph v1.0
 * cannot create them, so a tenant-loss restore lists them in `manual:orgContacts` with that
 * membership (src/restore/plan/org-contacts.ts).
 */
import type { DirObject } from '../../model.js';
import type { SeedContext } from './context.js';
import type { SeededGroup } from './directory.js';
import { Rng } from './rng.js';

const CONTACTS = [
  ['Dana', 'Okafor', 'Fabrikam', 'Procurement', 'Buyer', 'dana.okafor@fabrikam.example'],
  ['Lars', 'Holm', 'Tailspin Toys', 'Logistics', 'Account manager', 'lars.holm@tailspintoys.example'],
] as const;

/** The two contacts; the first is a member of `memberOf` (a security group with static members). */
export function seedOrgContacts(ctx: SeedContext, memberOf?: SeededGroup): DirObject[] {
  const rng = new Rng(ctx.seed, 'orgContacts');
  const out = CONTACTS.map(([given, sur, company, department, title, mail]) => {
    const alias = `${given}${sur}${company.split(' ')[0]!}`.replace(/\s+/g, '');
    return ctx.add('orgContact', {
      id: rng.guid(), '@odata.type': '#microsoft.graph.orgContact', deletedDateTime: null,
      addresses: [{ city: null, countryOrRegion: null, officeLocation: null, postalCode: null, state: null, street: null }],
      companyName: company, department, displayName: `${given} ${sur} (${company})`, givenName: given, jobTitle: title,
      mail, mailNickname: alias, onPremisesLastSyncDateTime: null, onPremisesProvisioningErrors: [], onPremisesSyncEnabled: null,
      phones: [{ type: 'business', number: null, region: null, language: null }], proxyAddresses: [`SMTP:${mail}`],
      serviceProvisioningErrors: [], surname: sur,
    });
  });
  if (memberOf && out[0]) ctx.rel('groupMembers', memberOf.id, out[0].id, 'orgContact');
  return out;
}
