/**
 * String properties whose Graph page restricts their values, though the CSDL types them
 * `Edm.String` (so ./json-types.ts cannot refuse them): the emulator refuses what lies outside,
 * as Graph does, instead of storing it (a restore that sent such a value would fail against
 * Graph and pass here). docs/graph-facts.md §3 "Documented value sets and lengths".
 *
 * - `application.signInAudience`: AzureADMyOrg, AzureADMultipleOrgs,
 *   AzureADandPersonalMicrosoftAccount, PersonalMicrosoftAccount
 *   (https://learn.microsoft.com/graph/api/resources/application, `signInAudience`;
 *   https://learn.microsoft.com/entra/identity-platform/supported-accounts-validation).
 * - `user.usageLocation`: "A two-letter country code (ISO standard 3166)"
 *   (https://learn.microsoft.com/graph/api/resources/user, `usageLocation`).
 * - Values a page lists as "the possible values": a user's `userType` (Member, Guest); a group's
 *   `visibility` (Private, Public, HiddenMembership), `theme` (Teal, Purple, Green, Blue, Pink,
 *   Orange, Red) and `membershipRuleProcessingState` (On, Paused); an administrative unit's
 *   `membershipType` (dynamic, assigned). Not an application's `groupMembershipClaims`: its page
 *   lists three values where app manifests also carry DirectoryRole and ApplicationGroup.
 * - Maximum lengths ("Maximum length is N characters", "can be up to N characters", "can't
 *   exceed N characters") from the property descriptions of the user, group, application,
 *   administrativeUnit, device, orgContact, attributeSet, customSecurityAttributeDefinition and
 *   organizationalBranding resource pages, as Microsoft's SDK models carry them
 *   (`@microsoft/msgraph-sdk` models/index.d.ts); and a group's `mailNickname`, which
 *   "can contain only characters in the ASCII character set 0 - 127 except the following:
 *   @ () \ [] " ; : <> , SPACE" (https://learn.microsoft.com/graph/api/resources/group).
 *
 * What is not documented is not guessed: letter case is not checked (the pages do not say Graph
 * refuses `us` or `azureadmyorg`), a two-letter code is not checked against the ISO list (the
 * usage locations Entra admits are not published as a list), a user's `mailNickname` gets only
 * its length (Graph refuses a comma in one, but its page names no character set), and null is
 * left to the CSDL check. Graph answers these with 400 `Request_BadRequest` "Invalid value
 * specified for property '…' of resource '…'." and `details` naming the property (as clients
 * report it for a group's or a user's `mailNickname`, docs/graph-facts.md §3); the emulator gives
 * that answer for all of them (./graph-error.ts `invalidValue`).
 */
import type { Json } from '../model.js';
import { invalidValue } from './graph-error.js';

type Accepts = (v: string) => boolean;

const SIGN_IN_AUDIENCES = new Set(['azureadmyorg', 'azureadmultipleorgs', 'azureadandpersonalmicrosoftaccount', 'personalmicrosoftaccount']);
/** ASCII 0–127 without @ ( ) \ [ ] " ; : < > , and the space. */
const GROUP_NICKNAME = /^[\x00-\x7f]*$/;
const GROUP_NICKNAME_EXCLUDED = /[@()\\[\]";:<>, ]/;

const upTo = (n: number): Accepts => (v) => v.length <= n;
/** One of the values the page lists, in any letter case (the pages do not say case matters). */
const oneOf = (...values: string[]): Accepts => {
  const set = new Set(values.map((x) => x.toLowerCase()));
  return (v) => set.has(v.toLowerCase());
};

/** Per entity type: the resource's name in Graph's message, and a test per property. */
const RULES: Record<string, { resource: string; props: Record<string, Accepts> }> = {
  'microsoft.graph.application': {
    resource: 'Application',
    props: { signInAudience: (v) => SIGN_IN_AUDIENCES.has(v.toLowerCase()), displayName: upTo(256) },
  },
  'microsoft.graph.user': {
    resource: 'User',
    props: {
      usageLocation: (v) => /^[A-Za-z]{2}$/.test(v), userType: oneOf('Member', 'Guest'),
      displayName: upTo(256), mailNickname: upTo(64), givenName: upTo(64), surname: upTo(64), jobTitle: upTo(128),
      department: upTo(64), companyName: upTo(64), employeeId: upTo(16), mobilePhone: upTo(64), streetAddress: upTo(1024),
      city: upTo(128), state: upTo(128), postalCode: upTo(40), country: upTo(128),
    },
  },
  'microsoft.graph.group': {
    resource: 'Group',
    props: {
      displayName: upTo(256), mailNickname: (v) => v.length <= 64 && GROUP_NICKNAME.test(v) && !GROUP_NICKNAME_EXCLUDED.test(v),
      visibility: oneOf('Private', 'Public', 'HiddenMembership'), theme: oneOf('Teal', 'Purple', 'Green', 'Blue', 'Pink', 'Orange', 'Red'),
      membershipRuleProcessingState: oneOf('On', 'Paused'),
    },
  },
  'microsoft.graph.administrativeUnit': { resource: 'AdministrativeUnit', props: { displayName: upTo(256), membershipType: oneOf('dynamic', 'assigned') } },
  'microsoft.graph.device': { resource: 'Device', props: { displayName: upTo(256) } },
  'microsoft.graph.orgContact': { resource: 'OrgContact', props: { displayName: upTo(256) } },
  'microsoft.graph.attributeSet': { resource: 'AttributeSet', props: { description: upTo(128) } },
  'microsoft.graph.customSecurityAttributeDefinition': { resource: 'CustomSecurityAttributeDefinition', props: { name: upTo(32), description: upTo(128) } },
  // "can't exceed 64 characters" (organizationalBrandingProperties, the branding and each localization)
  'microsoft.graph.organizationalBranding': { resource: 'OrganizationalBranding', props: { usernameHintText: upTo(64) } },
  'microsoft.graph.organizationalBrandingLocalization': { resource: 'OrganizationalBrandingLocalization', props: { usernameHintText: upTo(64) } },
};

/**
 * Checks the top level of a POST or PATCH body of `entityType` (qualified name).
 * @throws GraphHttpError 400 Request_BadRequest naming the property and the resource
 */
export function checkDocumentedValues(entityType: string, body: Record<string, Json>): void {
  const rules = RULES[entityType];
  if (!rules) return;
  for (const [prop, accepts] of Object.entries(rules.props)) {
    const v = body[prop];
    if (typeof v === 'string' && !accepts(v)) throw invalidValue(prop, rules.resource);
  }
}
