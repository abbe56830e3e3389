/**
 * Delta queries (docs/graph-facts.md §5 "Delta"): a first round pages through every live
 * object and ends with an `@odata.deltaLink`; later rounds return what changed since,
 * with `{id, "@removed": {reason}}` for soft-deleted ("changed") and gone ("deleted")
 * objects; groups carry `members@delta` unless a `$select` leaves `members` out. Tokens are stateless
 * (the change sequence, the `$select`, the issue time) and expire after 7 days of the
 * injected clock with 410 Gone + Location.
 */
import type { ResourceType } from '../../catalog/types.js';
import type { Json } from '../../model.js';
import type { Answer, Ctx } from '../context.js';
import { nowMs } from '../context.js';
import { GraphHttpError } from '../graph-error.js';
import { contextUrl, decodeToken, encodeToken, lowerBound, odataType, project, selectList } from './listing.js';
import type { IdSequence } from '../sorted-ids.js';
import { hiddenByPrincipal, PRINCIPAL_LINKED } from '../writes.js';

const TOKEN_TTL_MS = 7 * 24 * 3600 * 1000;

interface DeltaToken {
  /** Changes after this sequence (-1: the initial full round). */
  s: number;
  /** Upper bound of this round's sequence. */
  u: number;
  /** Keyset position within the round. */
  a?: string;
  sel?: string;
  /** Issue time (clock ms) of the round's first token. */
  i: number;
}

function pageSizeOf(ctx: Ctx): number {
  const m = /odata\.maxpagesize=(\d+)/i.exec(ctx.headers['prefer'] ?? '');
  const n = m ? Number(m[1]) : 100;
  return Math.min(Math.max(n, 1), 999);
}

export function deltaQuery(ctx: Ctx, type: ResourceType): Answer {
  const store = ctx.rt.store;
  const skip = ctx.query.get('$skiptoken');
  const dtok = ctx.query.get('$deltatoken');
  const collection = ctx.reg.descriptor(type).path;
  let tok: DeltaToken;
  if (skip || dtok) {
    tok = decodeToken<DeltaToken>((skip ?? dtok)!, skip ? '$skiptoken' : '$deltatoken');
    if (nowMs(ctx) - tok.i > TOKEN_TTL_MS) {
      throw new GraphHttpError(410, 'syncStateNotFound', 'The delta token has expired. A full synchronization is required.', {
        Location: `${ctx.base}${collection}/delta${tok.sel ? `?$select=${tok.sel}` : ''}`,
      });
    }
    if (dtok) tok = { s: tok.u, u: store.seq, i: nowMs(ctx), ...(tok.sel ? { sel: tok.sel } : {}) };
  } else {
    const sel = selectList(ctx, type);
    tok = { s: -1, u: store.seq, i: nowMs(ctx), ...(sel ? { sel: sel.join(',') } : {}) };
  }
  const select = tok.sel ? tok.sel.split(',') : undefined;
  // Without `$select` a default set is tracked and it includes `members@delta`; with one, only
  // when `members` is selected (https://learn.microsoft.com/graph/api/group-delta, Response 1).
  const withMembers = type === 'group' && (select?.includes('members') ?? true);
  let ids: IdSequence;
  if (tok.s < 0) {
    // the store's own list, read within this request (a copy per page cost O(n) a page)
    ids = store.sortedIds(type);
  } else {
    const changed: string[] = [];
    for (const [id, ch] of store.changes) if (ch.type === type && ch.seq > tok.s) changed.push(id);
    ids = changed.sort();
  }
  // binary search: a linear scan per page made a paged read of n ids cost n²/page size
  const start = tok.a ? lowerBound(ids, tok.a) : 0;
  const size = pageSizeOf(ctx);
  const value: Json[] = [];
  let last: string | undefined;
  let i = start;
  for (; i < ids.length && value.length < size; i++) {
    const id = ids.at(i)!;
    last = id;
    const obj = store.get(type, id);
    if (obj && !(PRINCIPAL_LINKED.includes(type) && hiddenByPrincipal(store, obj))) {
      const item = project(ctx, type, obj, select);
      if (withMembers) {
        const changes =
          tok.s < 0
            ? store.edges('groupMembers').targets(id).map((to) => ({ to, removed: false }))
            : (store.memberChanges.get(id) ?? []).filter((c) => c.seq > tok.s);
        item['members@delta'] = changes.map((c) => {
          const t = store.typeOf.get(c.to);
          const m: Record<string, Json> = { '@odata.type': t ? `#${ctx.reg.descriptor(t).entityType}` : '#microsoft.graph.directoryObject', id: c.to };
          if (c.removed) m['@removed'] = { reason: 'deleted' };
          return m;
        });
      }
      value.push(item);
    } else if (tok.s >= 0) {
      const binned = store.bin.get(type)?.get(id);
      const reason = binned ? 'changed' : 'deleted';
      value.push({ '@odata.type': binned ? odataType(ctx, type, binned) : `#${ctx.reg.descriptor(type).entityType}`, id, '@removed': { reason } });
    }
  }
  const out: Record<string, Json> = { '@odata.context': contextUrl(ctx, collection.replace(/^\//, ''), select) };
  const base = `${ctx.base}${collection}/delta`;
  if (i < ids.length && last) {
    out['@odata.nextLink'] = `${base}?$skiptoken=${encodeToken({ ...tok, a: last })}`;
  } else {
    const { a: _pos, ...round } = tok;
    out['@odata.deltaLink'] = `${base}?$deltatoken=${encodeToken(round)}`;
  }
  out.value = value;
  return { status: 200, body: out };
}
