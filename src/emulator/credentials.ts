/**
 * `addPassword` / `removePassword` on applications and service principals. The secret
 * text is returned once and never stored (docs/graph-facts.md §2 "Never readable").
 */
import { randomBytes } from 'node:crypto';
import type { ResourceType } from '../catalog/types.js';
import type { DirObject, Json } from '../model.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { contextUrl } from './odata/listing.js';
import { badRequest } from './graph-error.js';
import { isoNow } from './writes.js';

export function addPassword(ctx: Ctx, type: ResourceType, o: DirObject): Answer {
  requirePermission(ctx.caller, ctx.reg.descriptor(type), true);
  const body = (ctx.body ?? {}) as Record<string, Json>;
  const pc = (body.passwordCredential ?? {}) as Record<string, Json>;
  const secretText = randomBytes(30).toString('base64url').slice(0, 40);
  const start = isoNow(ctx);
  const end =
    typeof pc.endDateTime === 'string' ? pc.endDateTime : new Date(ctx.clock.now().getTime() + 2 * 365 * 86400_000).toISOString();
  const meta: Record<string, Json> = {
    customKeyIdentifier: null,
    displayName: typeof pc.displayName === 'string' ? pc.displayName : null,
    endDateTime: end,
    hint: secretText.slice(0, 3),
    keyId: ctx.rt.ids.guid(),
    secretText: null,
    startDateTime: start,
  };
  const list = Array.isArray(o.passwordCredentials) ? o.passwordCredentials : [];
  ctx.rt.store.replace(type, { ...o, passwordCredentials: [...list, meta] });
  ctx.rt.store.touch(type, o.id, 'live');
  return {
    status: 200,
    body: { '@odata.context': contextUrl(ctx, 'microsoft.graph.passwordCredential'), ...meta, secretText },
    mutated: true,
  };
}

export function removePassword(ctx: Ctx, type: ResourceType, o: DirObject): Answer {
  requirePermission(ctx.caller, ctx.reg.descriptor(type), true);
  const keyId = (ctx.body as Record<string, Json> | null)?.keyId;
  const list = Array.isArray(o.passwordCredentials) ? o.passwordCredentials : [];
  const kept = list.filter((c) => !(c && typeof c === 'object' && !Array.isArray(c) && c.keyId === keyId));
  if (kept.length === list.length) throw badRequest(`No password credential found with keyId '${String(keyId)}'.`);
  ctx.rt.store.replace(type, { ...o, passwordCredentials: kept });
  ctx.rt.store.touch(type, o.id, 'live');
  return { status: 204, mutated: true };
}
