/**
 * Bound actions on single objects that are neither credentials (credentials.ts) nor
 * membership (membership.ts): `user: revokeSignInSessions` and `domain: verify`.
 */
import type { DirObject } from '../model.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { badRequest } from './graph-error.js';
import { contextUrl, project } from './odata/listing.js';
import { isoNow } from './writes.js';

/**
 * `POST /users/{id}/revokeSignInSessions`: resets signInSessionsValidFromDateTime to now and
 * answers `{"value": true}` typed Edm.Boolean; needs User.ReadWrite.All or
 * Directory.ReadWrite.All (https://learn.microsoft.com/graph/api/user-revokesigninsessions).
 */
export function revokeSignInSessions(ctx: Ctx, o: DirObject): Answer {
  requirePermission(ctx.caller, ctx.reg.descriptor('user'), true);
  const store = ctx.rt.store;
  store.replace('user', { ...o, signInSessionsValidFromDateTime: isoNow(ctx) });
  store.touch('user', o.id, 'live');
  return { status: 200, body: { '@odata.context': `${ctx.base}/$metadata#Edm.Boolean`, value: true }, mutated: true };
}

/**
 * `POST /domains/{id}/verify`: "Only applies to an unverified domain"; answers the domain,
 * now verified; needs Domain.ReadWrite.All (https://learn.microsoft.com/graph/api/domain-verify).
 * The emulator has no DNS to look at: a lab domain's verification record counts as published.
 * Verifying a domain that is already verified is refused (the documented precondition).
 */
export function verifyDomain(ctx: Ctx, o: DirObject): Answer {
  requirePermission(ctx.caller, ctx.reg.descriptor('domain'), true);
  if (o.isVerified === true) throw badRequest(`Domain '${o.id}' is already verified.`, 'Request_BadRequest');
  const next: DirObject = { ...o, isVerified: true };
  ctx.rt.store.replace('domain', next);
  ctx.rt.store.touch('domain', o.id, 'live');
  return { status: 200, body: { '@odata.context': contextUrl(ctx, 'domains', undefined, true), ...project(ctx, 'domain', next) }, mutated: true };
}
