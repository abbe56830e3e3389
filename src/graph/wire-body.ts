/**
 * The request bodies the Graph layer sends: JSON text, or the raw bytes of a stream property's
 * PUT (GraphClient.putBytes: branding images and stylesheets). Defined once so the middleware
 * and the custom-CA transport (./tls.ts) accept the same two kinds.
 */
export type WireBody = string | Uint8Array;

/** `body` as a WireBody; undefined when it is neither text nor bytes (absent, or anything else). */
export function wireBody(body: unknown): WireBody | undefined {
  return typeof body === 'string' || body instanceof Uint8Array ? body : undefined;
}
