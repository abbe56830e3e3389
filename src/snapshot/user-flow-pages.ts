/**
 * A user flow language's override pages in the backup (issue 15 item 6): the content an admin
 * customized (`…/languages/{lang}/overridesPages/{pageId}/$value`, docs/graph-facts.md S332) is
 * read with GraphClient.getBytes and archived on the language record as `@overridesPages`,
 * `{ "<pageId>": { "contentType": "application/json", "base64": "…" } }` (docs/archive-format.md §2).
 * Default pages are Microsoft's and not archived. The restore PUTs the content back
 * (src/restore/execute/user-flow-pages.ts).
 */
import { graphIdOf } from '../catalog/contained-ids.js';
import type { ResourceDescriptor } from '../catalog/types.js';
import { isVaultError } from '../errors.js';
import type { GraphClient } from '../graph/types.js';
import type { DirObject, Json } from '../model.js';
import { MAX_STREAM_BYTES } from './branding-streams.js';

/** The record key of a language's archived override pages. */
export const PAGES_KEY = '@overridesPages';

/** The Graph path of one override page's content, or of the list when `pageId` is omitted. */
export function overridesPagePath(flowId: string, lang: string, pageId?: string): string {
  const base = `/identity/b2xUserFlows/${encodeURIComponent(flowId)}/languages/${encodeURIComponent(lang)}/overridesPages`;
  return pageId === undefined ? base : `${base}/${encodeURIComponent(pageId)}/$value`;
}

/**
 * Reads the override pages of the language `obj` (archived id `<flowId>/<lang>`) into
 * `obj[PAGES_KEY]` (only pages with content). Returns the messages of pages not archived (too large).
 * @throws GraphError (the walker turns it into a per-type warning)
 */
export async function readOverridesPages(graph: GraphClient, d: ResourceDescriptor, flowId: string, obj: DirObject): Promise<string[]> {
  const lang = graphIdOf(d, obj.id, flowId);
  const out: Record<string, Json> = {};
  const skipped: string[] = [];
  for await (const page of graph.list<{ id?: unknown }>(overridesPagePath(flowId, lang))) {
    if (typeof page.id !== 'string') continue;
    let got: Awaited<ReturnType<GraphClient['getBytes']>>;
    try {
      got = await graph.getBytes(overridesPagePath(flowId, lang, page.id));
    } catch (e) {
      if (isVaultError(e, 'GRAPH_NOT_FOUND')) continue;
      throw e;
    }
    if (!got || got.bytes.length === 0) continue;
    if (got.bytes.length > MAX_STREAM_BYTES) {
      skipped.push(`${obj.id}/${page.id}: ${got.bytes.length} bytes, over the ${MAX_STREAM_BYTES}-byte bound`);
      continue;
    }
    out[page.id] = { contentType: got.contentType, base64: Buffer.from(got.bytes).toString('base64') };
  }
  if (Object.keys(out).length > 0) obj[PAGES_KEY] = out;
  return skipped;
}
