/**
 * Domain federation (`internalDomainFederation`, issue 15 item 6): `POST
 * /domains/{id}/federationConfiguration` (https://learn.microsoft.com/graph/api/domain-post-federationconfiguration)
 * federates a domain, after which the domain's authenticationType reads `Federated`
 * (https://learn.microsoft.com/graph/api/resources/domain: "Federated indicates authentication is
 * federated with an identity provider"). A domain is federated once; the initial
 * `*.onmicrosoft.com` domain and a domain not yet verified cannot be (docs/graph-facts.md §3
 * "Domain federation": the verified rule is Entra's, not stated on the Graph page).
 */
import type { DirObject } from '../model.js';
import type { Ctx } from './context.js';
import { badRequest, GraphHttpError } from './graph-error.js';
import type { CreateContext } from './writes.js';

/** Validates a new federation configuration and federates its domain. @throws GraphHttpError 400 / 409 */
export function prepareDomainFederation(ctx: Ctx, o: DirObject, c: CreateContext): void {
  const store = ctx.rt.store;
  const domain = c.parentId ? store.get('domain', c.parentId) : undefined;
  if (!domain) throw badRequest('A federation configuration is created under its domain.');
  if (domain['isInitial'] === true) throw badRequest(`Domain '${domain.id}' is the initial domain and cannot be federated.`);
  if (domain['isVerified'] !== true) throw badRequest(`Domain '${domain.id}' is not verified: verify it before federating it.`);
  const existing = [...(store.live.get('domainFederation')?.keys() ?? [])].some((id) => store.parentOf.get(id) === domain.id);
  if (existing) throw new GraphHttpError(409, 'Request_MultipleObjectsWithSameKeyValue', `Domain '${domain.id}' already has a federation configuration.`);
  o['signingCertificateUpdateStatus'] ??= null;
  store.replace('domain', { ...domain, authenticationType: 'Federated' });
  store.touch('domain', domain.id, 'live');
}
