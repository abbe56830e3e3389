/**
 * What debug logging of Graph traffic may show (LoggingMiddleware, middleware.ts):
 * method, path and status only. Never bodies or headers (tokens, passwords in
 * passwordProfile); query values that are opaque tokens ($skiptoken, $deltatoken, …)
 * are replaced by "…".
 */

const SECRET_PARAMS = /^(\$?skiptoken|\$?deltatoken|token|code|sig|signature|secret|client_secret|password|access_token|key)$/i;

/** A path+query with token-like query values masked; the origin is dropped. */
export function redactPath(pathOrUrl: string): string {
  let p = pathOrUrl;
  if (/^https?:\/\//i.test(p)) {
    try {
      const u = new URL(p);
      p = u.pathname + u.search;
    } catch {
      return '(unparsable url)';
    }
  }
  const q = p.indexOf('?');
  if (q === -1) return p;
  const parts = p
    .slice(q + 1)
    .split('&')
    .map((kv) => {
      const eq = kv.indexOf('=');
      const k = eq === -1 ? kv : kv.slice(0, eq);
      let name = k;
      try {
        name = decodeURIComponent(k);
      } catch {
        name = k;
      }
      return SECRET_PARAMS.test(name) ? `${k}=…` : kv;
    });
  return `${p.slice(0, q)}?${parts.join('&')}`;
}
