/**
 * Company branding images and stylesheet on restore (issue 15 item 10): a branding's create
 * body carries its archived streams as `@streams` (src/snapshot/branding-streams.ts); they are
 * taken out of the JSON body (Graph refuses Stream types "with other data types in the same
 * request", docs/graph-facts.md S235) and PUT one by one once the branding or localization exists.
 */
import type { ResourceType } from '../../catalog/types.js';
import { VaultError } from '../../errors.js';
import type { Json } from '../../model.js';
import { STREAMS_KEY, STREAM_TYPES, streamPath } from '../../snapshot/branding-streams.js';
import { lag, type Ctx } from './context.js';

/** One archived stream, ready to PUT. */
export interface ArchivedStream {
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

/**
 * Removes `@streams` from a create body and returns its streams (empty for other types).
 * @throws VaultError ARCHIVE_INVALID for a malformed stream record
 */
export function takeStreams(type: ResourceType, body: Record<string, Json>): ArchivedStream[] {
  if (!STREAM_TYPES.has(type) || !(STREAMS_KEY in body)) return [];
  const rec = body[STREAMS_KEY];
  delete body[STREAMS_KEY];
  if (!rec || typeof rec !== 'object' || Array.isArray(rec)) throw new VaultError('ARCHIVE_MALFORMED', `the archived ${type} has a malformed ${STREAMS_KEY} record`);
  const out: ArchivedStream[] = [];
  for (const [name, v] of Object.entries(rec)) {
    const s = v as { contentType?: Json; base64?: Json } | null;
    if (!s || typeof s.contentType !== 'string' || typeof s.base64 !== 'string') throw new VaultError('ARCHIVE_MALFORMED', `the archived ${type} stream ${name} is malformed`);
    out.push({ name, contentType: s.contentType, bytes: new Uint8Array(Buffer.from(s.base64, 'base64')) });
  }
  return out;
}

/** PUTs each stream to the target's branding (retried through replication lag like every write under a just-created parent). */
export async function putStreams(ctx: Ctx, type: ResourceType, orgId: string, id: string, streams: readonly ArchivedStream[]): Promise<void> {
  for (const s of streams) {
    const path = streamPath(type, orgId, id, s.name);
    await lag(ctx, path, () => ctx.graph.putBytes(path, s.bytes, s.contentType));
  }
}
