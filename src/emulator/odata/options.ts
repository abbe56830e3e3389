/**
 * The query options the emulator answers, checked once for every request before dispatch:
 * an option it does not implement is refused with a 400, never silently ignored (a drill
 * that passes on a quietly ignored `$orderby` or `$search` would prove nothing about Graph).
 *
 * - Implemented: `$select`, `$filter`, `$top`, `$skiptoken`, `$count`, `$deltatoken`;
 *   `$expand` (expand.ts) and `$skip` are answered per endpoint (listing.ts refuses them where
 *   Graph does). A GET whose handler did not read an option it was sent is refused afterwards
 *   (`TrackedQuery` below), so an endpoint that does not implement an option cannot ignore it.
 * - `$orderby`: Graph refuses sorting on many queries with `Request_UnsupportedQuery`
 *   "Sorting not supported for current query." (https://learn.microsoft.com/graph/query-parameters,
 *   docs/graph-facts.md §2); the emulator gives that answer for every sort.
 * - `$search`: needs `ConsistencyLevel: eventual` in Graph (https://learn.microsoft.com/graph/search-query-parameter);
 *   not implemented here, so refused either way.
 * - The same names without `$`: on v1.0 the prefix is optional "for only a subset of APIs"
 *   (https://learn.microsoft.com/graph/query-parameters), so a client must not rely on it.
 * - Any other `$` option (`$format`, `$levels`, `$apply`, `$compute`, `$index`, …) and
 *   a repeated option are refused.
 */
import type { Ctx } from '../context.js';
import { badRequest, type GraphHttpError, unsupportedQuery } from '../graph-error.js';

const ANSWERED = new Set(['$select', '$filter', '$top', '$skiptoken', '$count', '$deltatoken', '$expand', '$skip']);
const SYSTEM_NAMES = new Set([...ANSWERED, '$orderby', '$search', '$format', '$levels', '$apply', '$compute', '$index', '$schemaversion'].map((n) => n.slice(1)));

/** @throws GraphHttpError 400 for a query option this emulator does not answer. */
export function checkQueryOptions(ctx: Pick<Ctx, 'query' | 'method' | 'segs'>): void {
  const seen = new Set<string>();
  // `DELETE …/{navigation}/$ref?$id={url}` names the reference to remove (OData's form of
  // "Remove member", https://learn.microsoft.com/graph/api/group-delete-members): the path decides
  // whether it is served, so an unknown navigation still answers as an unknown segment.
  const refDelete = ctx.method === 'DELETE' && ctx.segs[ctx.segs.length - 1] === '$ref';
  for (const raw of ctx.query.keys()) {
    const name = raw.toLowerCase();
    if (seen.has(name)) throw badRequest(`Query option '${raw}' was specified more than once, but it must be specified at most once.`, 'BadRequest');
    seen.add(name);
    if (name === '$orderby') throw unsupportedQuery('Sorting not supported for current query.');
    if (name === '$search') throw unsupportedQuery(`Search is not supported for current query ('$search' is not implemented by the entra-vault emulator).`);
    if (name === '$id' && refDelete) continue;
    if (name.startsWith('$') && !ANSWERED.has(name)) throw badRequest(`The query parameter '${raw}' is not supported.`, 'BadRequest');
    if (!name.startsWith('$') && SYSTEM_NAMES.has(name)) {
      throw badRequest(`The query parameter '${raw}' is not supported without its '$' prefix on v1.0; use '$${raw}'.`, 'BadRequest');
    }
  }
}

/**
 * The request's query, recording which options a handler read. After a GET is answered, an
 * option no handler looked at was ignored, so the request is refused instead
 * (`unreadOptionsError`): a `$filter` or `$top` on a single object, a `$select` on an action,
 * an `$expand` on a singleton. Graph refuses such options on non-collections ("Query options
 * $filter, $orderby, $count, $skip, and $top can be applied only on collections",
 * https://learn.microsoft.com/graph/query-parameters).
 */
export class TrackedQuery extends URLSearchParams {
  readonly read = new Set<string>();
  override get(name: string): string | null {
    this.read.add(name);
    return super.get(name);
  }
}

/** A 400 naming the first `$` option of `query` that no handler read, or undefined. */
export function unreadOptionsError(query: TrackedQuery): GraphHttpError | undefined {
  for (const name of query.keys()) {
    if (name.startsWith('$') && !query.read.has(name)) {
      return badRequest(`The query specified in the URI is not valid: query option '${name}' is not supported by this resource.`, 'BadRequest');
    }
  }
  return undefined;
}
