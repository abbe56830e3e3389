/**
 * The oracle's own Graph access: plain `fetch` with a bearer token, nothing from `src/graph`
 * or the product's restore code, so a bug there cannot hide itself (issue 11 "independent
 * fidelity oracle").
 */
export interface Io {
  get(path: string): Promise<Record<string, unknown>>;
  list(path: string): Promise<Record<string, unknown>[]>;
  send(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<Record<string, unknown> | undefined>;
}

export async function tokenFor(authority: string, tenantId: string, clientId: string, secret: string): Promise<string> {
  const r = await fetch(`${authority}/${tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope: 'https://graph.microsoft.com/.default' }),
  });
  if (!r.ok) throw new Error(`oracle: token request failed with ${r.status}`);
  return ((await r.json()) as { access_token: string }).access_token;
}

export function graphIo(base: string, token: string): Io {
  const call = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown> | undefined> => {
    const url = path.startsWith('http') ? path : `${base}${path}`;
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    if (!r.ok) throw new Error(`oracle: ${method} ${path} → ${r.status} ${text.slice(0, 300)}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  };
  return {
    get: async (p) => (await call('GET', p)) ?? {},
    async list(p) {
      const out: Record<string, unknown>[] = [];
      let next: string | undefined = p;
      while (next) {
        const page = (await call('GET', next)) ?? {};
        out.push(...((page.value as Record<string, unknown>[] | undefined) ?? []));
        next = typeof page['@odata.nextLink'] === 'string' ? (page['@odata.nextLink'] as string) : undefined;
      }
      return out;
    },
    send: (m, p, b) => call(m, p, b),
  };
}
