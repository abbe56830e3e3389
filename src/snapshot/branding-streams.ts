/**
 * Company branding images and stylesheet in the backup (issue 15 item 10): each Edm.Stream of
 * the default branding and of each localization is read with its own GET (GraphClient.getBytes;
 * docs/graph-facts.md S235) and archived on the branding record as `@streams`, one small record
 * per stream: `{ "squareLogo": { "contentType": "image/png", "base64": "…" } }` (docs/archive-format.md).
 * Annotations are never compared or sent as properties (src/restore/catalog.ts); the restore PUTs
 * them after the branding exists (src/restore/execute/branding-streams.ts).
 */
import type { ResourceType } from '../catalog/types.js';
import { isVaultError } from '../errors.js';
import type { GraphClient } from '../graph/types.js';
import type { DirObject, Json } from '../model.js';

/** The record key of a branding's archived streams. */
export const STREAMS_KEY = '@streams';

/** The stream properties of organizationalBranding and organizationalBrandingLocalization (CSDL). */
export const BRANDING_STREAM_NAMES = ['backgroundImage', 'bannerLogo', 'customCSS', 'favicon', 'headerLogo', 'squareLogo', 'squareLogoDark'] as const;

/** The types whose records carry `@streams`. */
export const STREAM_TYPES: ReadonlySet<ResourceType> = new Set<ResourceType>(['organizationalBranding', 'organizationalBrandingLocalization']);

/**
 * The most bytes archived per stream: above the largest documented limit (background image,
 * 300 KB, docs/graph-facts.md S235), so a stream this size is not a branding image Graph accepts.
 */
export const MAX_STREAM_BYTES = 1024 * 1024;

/** The Graph path of a branding record's stream (the default branding is the singleton `/branding`). */
export function streamPath(type: ResourceType, orgId: string, id: string, name: string): string {
  const base = `/organization/${encodeURIComponent(orgId)}/branding`;
  return type === 'organizationalBranding' ? `${base}/${name}` : `${base}/localizations/${encodeURIComponent(id)}/${name}`;
}

/**
 * Reads every stream of a branding record into `obj[STREAMS_KEY]` (only the ones set).
 * Returns the messages of the streams not archived (too large), for the backup's warnings.
 * @throws GraphError other than not-found (the walker turns it into a per-type warning)
 */
export async function readBrandingStreams(graph: GraphClient, type: ResourceType, orgId: string, obj: DirObject): Promise<string[]> {
  const out: Record<string, Json> = {};
  const skipped: string[] = [];
  for (const name of BRANDING_STREAM_NAMES) {
    let got: Awaited<ReturnType<GraphClient['getBytes']>>;
    try {
      got = await graph.getBytes(streamPath(type, orgId, obj.id, name));
    } catch (e) {
      // none set: Graph's answer is undocumented; 404 is read as "none" like 204 (docs/graph-facts.md S235)
      if (isVaultError(e, 'GRAPH_NOT_FOUND')) continue;
      throw e;
    }
    if (!got || got.bytes.length === 0) continue;
    if (got.bytes.length > MAX_STREAM_BYTES) {
      skipped.push(`${obj.id}/${name}: ${got.bytes.length} bytes, over the ${MAX_STREAM_BYTES}-byte bound`);
      continue;
    }
    out[name] = { contentType: got.contentType, base64: Buffer.from(got.bytes).toString('base64') };
  }
  if (Object.keys(out).length > 0) obj[STREAMS_KEY] = out;
  return skipped;
}
