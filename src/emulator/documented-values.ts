/**
 * String properties whose Graph page closes the set of values, though the CSDL types them
 * `Edm.String` (so ./json-types.ts cannot refuse them): the emulator refuses what lies outside,
 * as Graph does, instead of storing it (a restore that sends such a value would fail against
 * Graph and pass here). docs/graph-facts.md §3 "Documented value sets".
 *
 * - `application.signInAudience`: AzureADMyOrg, AzureADMultipleOrgs,
 *   AzureADandPersonalMicrosoftAccount, PersonalMicrosoftAccount
 *   (https://learn.microsoft.com/graph/api/resources/application, `signInAudience`;
 *   https://learn.microsoft.com/entra/identity-platform/supported-accounts-validation).
 * - `user.usageLocation`: "A two-letter country code (ISO standard 3166)"
 *   (https://learn.microsoft.com/graph/api/resources/user, `usageLocation`).
 *
 * What is not documented is not guessed: letter case is not checked (the pages do not say Graph
 * refuses `us` or `azureadmyorg`), nor is a two-letter code checked against the ISO list (the
 * usage locations Entra admits are not published as a list), and null is left to the CSDL check.
 * Graph's exact message for these values is not documented either: the emulator answers with
 * the directory's "Invalid value specified for property" form (docs/graph-facts.md §3).
 */
import type { Json } from '../model.js';
import { badRequest } from './graph-error.js';

interface ValueRule {
  /** The resource's name in Graph's message. */
  resource: string;
  accepts: (v: string) => boolean;
}

const SIGN_IN_AUDIENCES = new Set(['azureadmyorg', 'azureadmultipleorgs', 'azureadandpersonalmicrosoftaccount', 'personalmicrosoftaccount']);

const RULES: Record<string, Record<string, ValueRule>> = {
  'microsoft.graph.application': { signInAudience: { resource: 'Application', accepts: (v) => SIGN_IN_AUDIENCES.has(v.toLowerCase()) } },
  'microsoft.graph.user': { usageLocation: { resource: 'User', accepts: (v) => /^[A-Za-z]{2}$/.test(v) } },
};

/**
 * Checks the top level of a POST or PATCH body of `entityType` (qualified name).
 * @throws GraphHttpError 400 Request_BadRequest naming the property and the resource
 */
export function checkDocumentedValues(entityType: string, body: Record<string, Json>): void {
  const rules = RULES[entityType];
  if (!rules) return;
  for (const [prop, rule] of Object.entries(rules)) {
    const v = body[prop];
    if (typeof v === 'string' && !rule.accepts(v)) throw badRequest(`Invalid value specified for property '${prop}' of resource '${rule.resource}'.`);
  }
}
