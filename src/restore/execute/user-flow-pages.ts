/**
 * A user flow language's customized pages on restore (src/snapshot/user-flow-pages.ts): the
 * update body carries the archived `@overridesPages`; each page's content is PUT to
 * `…/languages/{lang}/overridesPages/{pageId}/$value` (docs/graph-facts.md S332). Nothing else of
 * a language is written: v1.0 documents no update of it (src/restore/plan/user-flow-languages.ts).
 */
import { graphIdOf, scopedArchiveId } from '../../catalog/contained-ids.js';
import { VaultError } from '../../errors.js';
import type { JsonObject } from '../../model.js';
import { overridesPagePath, PAGES_KEY } from '../../snapshot/user-flow-pages.js';
import { lag, type Ctx, type Done } from './context.js';

/**
 * PUTs every archived page of the language archived as `<archivedFlowId>/<lang>` under the live
 * flow `flowId` (the language comes with the flow, so it needs no match of its own).
 * @throws VaultError ARCHIVE_MALFORMED for a malformed page record, PLAN_BLOCKED without a live flow
 */
export async function putOverridesPages(ctx: Ctx, body: JsonObject, flowId: string | undefined, archivedId: string, archivedFlowId: string | undefined): Promise<Done> {
  if (flowId === undefined || archivedFlowId === undefined) throw new VaultError('PLAN_BLOCKED', `user flow language ${archivedId}: its user flow has no live id`);
  const lang = graphIdOf({ idScopedByParent: true }, archivedId, archivedFlowId);
  const liveId = scopedArchiveId(flowId, lang);
  const rec = body[PAGES_KEY];
  if (!rec || typeof rec !== 'object' || Array.isArray(rec)) throw new VaultError('ARCHIVE_MALFORMED', `the archived user flow language ${liveId} has a malformed ${PAGES_KEY} record`);
  for (const [pageId, v] of Object.entries(rec)) {
    const s = v as { contentType?: unknown; base64?: unknown } | null;
    if (!s || typeof s.contentType !== 'string' || typeof s.base64 !== 'string') throw new VaultError('ARCHIVE_MALFORMED', `the archived page ${pageId} of ${liveId} is malformed`);
    const path = overridesPagePath(flowId, lang, pageId);
    const bytes = new Uint8Array(Buffer.from(s.base64, 'base64'));
    await lag(ctx, path, () => ctx.graph.putBytes(path, bytes, s.contentType as string));
  }
  return { outcome: 'updated', liveId };
}
