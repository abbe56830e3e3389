/**
 * A self-service sign-up user flow's languages and their pages (issue 15 item 6) as Graph v1.0
 * documents them (docs/graph-facts.md §3 "Self-service sign-up user flows", S332):
 * - userFlowLanguageConfiguration: "you can only leverage the built-in languages provided by
 *   Microsoft"; v1.0 documents Get, List defaultPages and List overridesPages only, so a language
 *   is never created, updated or deleted here (405)
 *   https://learn.microsoft.com/graph/api/resources/userflowlanguageconfiguration
 * - overridesPages "only allows to modify the content of the page, any other modification is not
 *   allowed (creation or deletion of pages)": `PUT …/overridesPages/{id}/$value` (JSON content)
 *   https://learn.microsoft.com/graph/api/userflowlanguagepage-put; defaultPages allow no change.
 * Every flow gets the built-in languages when it is created (the emulator's choice of languages,
 * all enabled, and of page ids: `selfasserted1_1` is the documented example's). A page's content
 * is kept on the language as `@em.page.<id>` (never shown as a property).
 */
import { scopedArchiveId } from '../catalog/contained-ids.js';
import type { DirObject, Json } from '../model.js';
import { requirePermission } from './auth.js';
import type { Answer, Ctx } from './context.js';
import { badRequest, GraphHttpError, notFound } from './graph-error.js';
import { contextUrl } from './odata/listing.js';

/** The built-in languages every user flow offers (id, displayName). */
export const FLOW_LANGUAGES: readonly [string, string][] = [['de', 'German'], ['en', 'English'], ['fr', 'French']];
/** The pages of every language (the documented example's id). */
export const FLOW_PAGES: readonly string[] = ['selfasserted1_1'];
const PAGE = '@em.page.';

/** The language objects of a new flow, stored `<flowId>/<lang>` (src/catalog/contained-ids.ts). */
export function flowLanguages(flowId: string): DirObject[] {
  return FLOW_LANGUAGES.map(([id, displayName]) => ({ id: scopedArchiveId(flowId, id), '@odata.type': '#microsoft.graph.userFlowLanguageConfiguration', displayName, isEnabled: true }));
}

/** A language's override content for `pageId` as seeded or PUT (a drill seed sets one). */
export function withPage(o: DirObject, pageId: string, content: string): DirObject {
  return { ...o, [`${PAGE}${pageId}`]: content };
}

const METHOD_NOT_ALLOWED = (what: string, method: string): GraphHttpError => new GraphHttpError(405, 'Request_BadRequest', `The HTTP method '${method}' is not allowed on ${what}.`);

/**
 * `…/b2xUserFlows/{id}/languages/…` beyond a GET of the language list or one language: writes
 * to a language (405) and its pages. Undefined for every other request (the registry serves them).
 * @throws GraphHttpError 404 for an unknown flow, language or page, 405 for a write Graph does not document
 */
export function flowLanguageRoute(ctx: Ctx, segs: string[]): Answer | undefined {
  const low = segs.map((s) => s.toLowerCase());
  if (low[0] !== 'identity' || low[1] !== 'b2xuserflows' || low[3] !== 'languages') return undefined;
  const store = ctx.rt.store;
  const d = ctx.reg.descriptor('userFlowLanguage');
  if (segs.length <= 5) {
    if (ctx.method === 'GET') return undefined;
    throw METHOD_NOT_ALLOWED('a user flow language (v1.0 offers only the built-in languages)', ctx.method);
  }
  const flow = store.get('b2xUserFlow', segs[2]!);
  const lang = flow ? store.get('userFlowLanguage', scopedArchiveId(flow.id, segs[4]!)) : undefined;
  if (!flow || !lang) throw notFound(segs[flow ? 4 : 2]!);
  const kind = low[5];
  if (kind !== 'overridespages' && kind !== 'defaultpages') return undefined;
  requirePermission(ctx.caller, d, ctx.method !== 'GET');
  if (segs.length === 6) {
    if (ctx.method !== 'GET') throw METHOD_NOT_ALLOWED('the pages of a language (no page is created)', ctx.method);
    const value: Json[] = FLOW_PAGES.map((id) => ({ id }));
    return { status: 200, body: { '@odata.context': contextUrl(ctx, `identity/b2xUserFlows('${flow.id}')/languages('${segs[4]}')/${segs[5]}`, undefined, false), value } };
  }
  const page = FLOW_PAGES.find((p) => p.toLowerCase() === low[6]);
  if (!page) throw notFound(segs[6]!);
  if (segs.length === 7) {
    if (ctx.method !== 'GET') throw METHOD_NOT_ALLOWED('a language page (only its $value)', ctx.method);
    return { status: 200, body: { '@odata.context': contextUrl(ctx, `identity/b2xUserFlows('${flow.id}')/languages('${segs[4]}')/${segs[5]}`, undefined, true), id: page } };
  }
  if (segs.length !== 8 || low[7] !== '$value') return undefined;
  if (ctx.method === 'GET') {
    const content = kind === 'overridespages' ? lang[`${PAGE}${page}`] : undefined;
    if (typeof content !== 'string') return { status: 204 };
    return { status: 200, bytes: { contentType: 'application/json', data: Buffer.from(content, 'utf8') } };
  }
  if (ctx.method !== 'PUT' || kind !== 'overridespages') throw METHOD_NOT_ALLOWED(`the ${segs[5]} of a language`, ctx.method);
  if (!ctx.body || typeof ctx.body !== 'object' || ctx.body instanceof Uint8Array) throw badRequest('The page content must be a JSON document.');
  store.replace('userFlowLanguage', withPage(lang, page, JSON.stringify(ctx.body)));
  store.touch('userFlowLanguage', lang.id, 'live');
  return { status: 204, mutated: true };
}
