/**
 * The kinds of write a restore sends, and the kinds Graph's v1.0 reference documents
 * (vendor/graph-docs/documented-requests.json; vendor/graph-docs/SOURCE.md): shared by
 * ./documented-requests.test.ts and the partial read-back (./partial-readback.test.ts).
 */
import { readFileSync } from 'node:fs';
import type { GraphClient } from '../../src/graph/types.js';

export interface Entry { method: string; path: string; documented: boolean | null; page: { path: string; commit: string } | null; requestLine: string | null }
export const listed = JSON.parse(readFileSync(new URL('../../vendor/graph-docs/documented-requests.json', import.meta.url), 'utf8')) as Entry[];

/** Kinds sent although no v1.0 request line names them, each with why. */
export const EXCEPTIONS: Record<string, string> = {
  // the default branding's images: the current update page says "To update Stream data types ...
  // use the PUT method" and documents PUT only under localizations; an older version PATCHes
  // /branding/bannerLogo (docs/graph-facts.md S235)
  'PUT /organization/{id}/branding/{stream}': 'stream PUT of the default branding (S235)',
  // "Assign appManagementPolicy" documents the application form; its example 2 assigns a policy to a
  // service principal this way (appmanagementpolicy-post-appliesto.md)
  'POST /servicePrincipals/{id}/appManagementPolicies/$ref': 'shown by the page\'s example 2',
};

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** A write's kind: its path with ids, names and keys as `{id}` (the vendored list's form). */
export function kindOf(method: string, path: string): string {
  let p = path.split('?')[0]!.replace(GUID, '{id}');
  p = p.replace(/\(sourceId='[^']*'\)/, "(sourceId='{sourceId}')")
    .replace(/\/b2xUserFlows\/B2X_1_[A-Za-z0-9_]+/, '/b2xUserFlows/{id}')
    .replace(/\/rules\/[A-Za-z_]+/, '/rules/{ruleId}')
    .replace(/(DirectoryRole|Group)_\{id\}_\{id\}/, '{id}')
    .replace(/\/authenticationContextClassReferences\/c\d+/, '/authenticationContextClassReferences/{id}')
    .replace(/\/authenticationMethodConfigurations\/[A-Za-z0-9]+/, '/authenticationMethodConfigurations/{id}')
    .replace(/\/permissionGrantPolicies\/[a-z0-9-]+\//, '/permissionGrantPolicies/{id}/')
    .replace(/\/languages\/[a-zA-Z-]+\/overridesPages\/[A-Za-z0-9_]+/, '/languages/{id}/overridesPages/{id}')
    .replace(/\/localizations\/[a-zA-Z-]+\//, '/localizations/{id}/');
  if (/^\/organization\/\{id\}\/branding\/[A-Za-z]+$/.test(p)) p = '/organization/{id}/branding/{stream}';
  return `${method} ${p}`;
}

/** The client, recording the kind of every write (the `$batch` sub-requests included). */
export function recording(g: GraphClient, kinds: Set<string>): GraphClient {
  return {
    ...g,
    get: g.get.bind(g), list: g.list.bind(g), delta: g.delta.bind(g), getBytes: g.getBytes.bind(g), stats: g.stats.bind(g),
    post: async (p, b, h) => { kinds.add(kindOf('POST', p)); return g.post(p, b, h); },
    patch: async (p, b, h) => { kinds.add(kindOf('PATCH', p)); return g.patch(p, b, h); },
    put: async (p, b, h) => { kinds.add(kindOf('PUT', p)); return g.put(p, b, h); },
    delete: async (p, h) => { kinds.add(kindOf('DELETE', p)); return g.delete(p, h); },
    putBytes: async (p, bytes, ct) => { kinds.add(kindOf('PUT', p)); return g.putBytes(p, bytes, ct); },
    batch: async (reqs) => { for (const r of reqs) if (r.method !== 'GET') kinds.add(kindOf(r.method, r.url)); return g.batch(reqs); },
  };
}

/** The kinds the vendored list documents. */
export function documentedKinds(): Set<string> {
  return new Set(listed.filter((e) => e.documented === true).map((e) => kindOf(e.method, e.path)));
}

/** The recorded kinds neither documented nor an exception, sorted. */
export function undocumentedOf(kinds: Iterable<string>): string[] {
  const documented = documentedKinds();
  return [...kinds].filter((k) => !documented.has(k) && !(k in EXCEPTIONS)).sort();
}
