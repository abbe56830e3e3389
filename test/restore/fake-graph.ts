/**
 * An in-memory Graph for executor tests: collections, recycle bin, $ref edges,
 * `$filter eq`, alternate-free addressing, server-assigned ids and appIds, optional
 * replication lag (a new object is invisible to the next N reads of it) and a write
 * counter. State can be saved to / loaded from a JSON file (crash tests in a child process).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { GraphError } from '../../src/graph/errors.js';
import type { BatchRequest, BatchResponse, DeltaPage, GraphClient, GraphStats } from '../../src/graph/types.js';
import type { DescriptorLookup, ExecDescriptor } from '../../src/restore/execute/endpoints.js';
import type { ResourceType } from '../../src/catalog/types.js';

type Obj = Record<string, unknown> & { id: string };

export interface FakeState {
  collections: Record<string, Obj[]>;
  deleted: { collection: string; obj: Obj }[];
  edges: Record<string, string[]>;
  seq: number;
}

export function emptyState(): FakeState {
  return { collections: {}, deleted: [], edges: {}, seq: 0 };
}

const COLLECTIONS = [
  '/users',
  '/groups',
  '/applications',
  '/servicePrincipals',
  '/identity/conditionalAccess/policies',
  '/identity/conditionalAccess/namedLocations',
  '/roleManagement/directory/roleAssignments',
  '/oauth2PermissionGrants',
  '/directory/administrativeUnits',
];

function err(status: number, code: string, message: string): GraphError {
  return new GraphError(status === 404 ? 'GRAPH_NOT_FOUND' : 'GRAPH_REQUEST_FAILED', `${code}: ${message}`, undefined, { status, graphCode: code });
}

export class FakeGraph implements GraphClient {
  writes = 0;
  reads = 0;
  /** Reads of a freshly created object that still answer 404. */
  lagReads = 0;
  private lagging = new Map<string, number>();
  /** Called after each write has taken effect (crash simulation). */
  afterWrite: ((n: number) => void) | undefined;
  constructor(public state: FakeState = emptyState(), private persistPath?: string) {}

  static load(path: string): FakeGraph {
    return new FakeGraph(JSON.parse(readFileSync(path, 'utf8')) as FakeState, path);
  }
  private persist() {
    if (!this.persistPath) return;
    writeFileSync(`${this.persistPath}.tmp`, JSON.stringify(this.state));
    renameSync(`${this.persistPath}.tmp`, this.persistPath);
  }

  all(collection: string): Obj[] {
    return (this.state.collections[collection] ??= []);
  }
  private newId(): string {
    this.state.seq++;
    return randomUUID();
  }
  private visible(id: string): boolean {
    const n = this.lagging.get(id);
    if (!n) return true;
    this.lagging.set(id, n - 1);
    return false;
  }
  private split(path: string): { segs: string[]; query: URLSearchParams } {
    const [p, q] = path.split('?') as [string, string | undefined];
    return { segs: p.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(q ?? '') };
  }
  /** Finds the collection a path starts with and the rest of the segments. */
  private route(segs: string[]): { coll: string; rest: string[] } | undefined {
    const p = '/' + segs.join('/');
    for (const c of [...COLLECTIONS].sort((a, b) => b.length - a.length)) {
      if (p === c || p.startsWith(c + '/')) return { coll: c, rest: p.slice(c.length).split('/').filter(Boolean) };
    }
    return undefined;
  }
  private item(coll: string, id: string): Obj {
    const o = this.all(coll).find((x) => x.id === id);
    if (!o || !this.visible(id)) throw err(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist`);
    return o;
  }
  private findAny(id: string): Obj | undefined {
    for (const c of Object.keys(this.state.collections)) {
      const o = this.all(c).find((x) => x.id === id);
      if (o) return o;
    }
    return undefined;
  }

  async get<T>(path: string): Promise<T> {
    this.reads++;
    const { segs, query } = this.split(path);
    const r = this.route(segs);
    if (!r) throw err(404, 'NotFound', 'no route');
    if (r.rest.length === 0) {
      let list = this.all(r.coll);
      const f = query.get('$filter');
      if (f) {
        const m = /^(\w+) eq '(.*)'$/.exec(f);
        if (!m) throw err(400, 'BadRequest', 'unsupported filter');
        const v = (m[2] as string).replace(/''/g, "'");
        list = list.filter((o) => o[m[1] as string] === v || (typeof o[m[1] as string] === 'string' && (o[m[1] as string] as string).toLowerCase() === v.toLowerCase()));
        list = list.filter((o) => !this.lagging.get(o.id));
      }
      return { value: list.map((o) => ({ ...o })) } as T;
    }
    const id = r.rest[0] as string;
    const o = this.item(r.coll, id);
    if (r.rest.length === 1) return { ...o } as T;
    const rel = r.rest[1] as string;
    if (r.coll === '/users' && rel === 'manager') {
      const m = this.state.edges[`${r.coll}/${id}/manager`]?.[0];
      if (!m) throw err(404, 'Request_ResourceNotFound', 'no manager');
      return { id: m } as T;
    }
    if (rel === 'appRoleAssignedTo') return { value: this.all('/appRoleAssignments').filter((a) => a.resourceId === id) } as T;
    // the principal's side (https://learn.microsoft.com/graph/api/user-list-approleassignments)
    if (rel === 'appRoleAssignments') return { value: this.all('/appRoleAssignments').filter((a) => a.principalId === id) } as T;
    return { value: (this.state.edges[`${r.coll}/${id}/${rel}`] ?? []).map((x) => ({ id: x })) } as T;
  }

  async *list<T>(path: string): AsyncIterable<T> {
    const page = await this.get<{ value: T[] }>(path);
    for (const x of page.value) yield x;
  }
  // eslint-disable-next-line require-yield
  async *delta<T>(): AsyncIterable<DeltaPage<T>> {
    throw new Error('delta is not used by the executor');
  }

  private wrote() {
    this.writes++;
    this.persist();
    this.afterWrite?.(this.writes);
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    const { segs } = this.split(path);
    const b = (body ?? {}) as Record<string, unknown>;
    // recycle bin restore
    if (segs.at(-1) === 'restore') {
      const id = segs.at(-2) as string;
      const i = this.state.deleted.findIndex((d) => d.obj.id === id);
      if (i < 0) throw err(404, 'Request_ResourceNotFound', 'not in deletedItems');
      const [d] = this.state.deleted.splice(i, 1);
      this.all(d!.collection).push(d!.obj);
      this.wrote();
      return { ...d!.obj } as T;
    }
    const r = this.route(segs);
    if (!r) throw err(404, 'NotFound', 'no route');
    if (r.rest.length === 3 && r.rest[2] === '$ref') {
      const [id, rel] = r.rest as [string, string];
      this.item(r.coll, id);
      const to = String(b['@odata.id']).split('/').at(-1) as string;
      if (!this.findAny(to) || !this.visible(to)) throw err(404, 'Request_ResourceNotFound', `Resource '${to}' does not exist`);
      const key = `${r.coll}/${id}/${rel}`;
      const list = (this.state.edges[key] ??= []);
      if (list.includes(to)) throw err(400, 'Request_BadRequest', 'One or more added object references already exist');
      list.push(to);
      this.wrote();
      return undefined as T;
    }
    if (r.rest.length === 2 && r.rest[1] === 'appRoleAssignedTo') {
      this.item(r.coll, r.rest[0] as string);
      const p = this.findAny(String(b.principalId));
      if (!p || !this.visible(p.id)) throw err(404, 'Request_ResourceNotFound', 'principal does not exist');
      const o = { ...b, id: this.newId() } as Obj;
      this.all('/appRoleAssignments').push(o);
      this.wrote();
      return { ...o } as T;
    }
    if (r.rest.length !== 0) throw err(400, 'BadRequest', 'unsupported post');
    const o = { ...b, id: this.newId() } as Obj;
    if (r.coll === '/users') {
      if (this.all('/users').some((u) => u.userPrincipalName === b.userPrincipalName)) throw err(400, 'Request_BadRequest', 'userPrincipalName already exists');
      delete o.passwordProfile;
    }
    if (r.coll === '/applications') o.appId = randomUUID();
    if (r.coll === '/servicePrincipals') {
      const app = this.all('/applications').find((a) => a.appId === b.appId);
      if (!app || !this.visible(app.id)) throw err(400, 'Request_BadRequest', 'The appId of the service principal does not reference a valid application object. NoBackingApplicationObject');
    }
    this.all(r.coll).push(o);
    if (this.lagReads > 0) this.lagging.set(o.id, this.lagReads);
    this.wrote();
    return { ...o } as T;
  }

  async patch(path: string, body: unknown): Promise<void> {
    const { segs } = this.split(path);
    const r = this.route(segs);
    if (!r || r.rest.length !== 1) throw err(400, 'BadRequest', 'unsupported patch');
    const o = this.item(r.coll, r.rest[0] as string);
    const props: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    // `<nav>@odata.bind` adds edges, at most 20, all or nothing (docs/graph-facts.md §3)
    const adds: { key: string; to: string }[] = [];
    for (const k of Object.keys(props).filter((x) => x.endsWith('@odata.bind'))) {
      const urls = props[k] as unknown[];
      delete props[k];
      const key = `${r.coll}/${o.id}/${k.slice(0, -'@odata.bind'.length)}`;
      for (const u of urls) {
        const to = String(u).split('/').at(-1) as string;
        if (!this.findAny(to) || !this.visible(to)) throw err(400, 'Request_BadRequest', `Resource '${to}' does not exist`);
        if ((this.state.edges[key] ?? []).includes(to)) throw err(400, 'Request_BadRequest', 'One or more added object references already exist');
        adds.push({ key, to });
      }
    }
    if (adds.length > 20) throw err(400, 'Request_BadRequest', 'at most 20 references per request');
    for (const a of adds) (this.state.edges[a.key] ??= []).push(a.to);
    Object.assign(o, props);
    this.wrote();
  }

  async put<T>(path: string, body: unknown): Promise<T> {
    const { segs } = this.split(path);
    const r = this.route(segs);
    if (!r || r.rest[1] !== 'manager') throw err(400, 'BadRequest', 'unsupported put');
    this.item(r.coll, r.rest[0] as string);
    const to = String((body as Record<string, unknown>)['@odata.id']).split('/').at(-1) as string;
    if (!this.findAny(to) || !this.visible(to)) throw err(404, 'Request_ResourceNotFound', 'manager does not exist');
    this.state.edges[`${r.coll}/${r.rest[0]}/manager`] = [to];
    this.wrote();
    return undefined as T;
  }

  async delete(path?: string): Promise<void> {
    throw new Error(`the executor never deletes (${path ?? 'no path'})`);
  }
  /** No branding stream is set in a fake tenant; writes of one are counted, not stored. */
  async getBytes(): Promise<undefined> {
    this.reads++;
    return undefined;
  }
  async putBytes(): Promise<void> {
    this.writes++;
  }
  /** Each sub-request as the direct call; a GraphError becomes its status and error envelope. */
  async batch(reqs: BatchRequest[]): Promise<BatchResponse[]> {
    const out: BatchResponse[] = [];
    for (const r of reqs) {
      try {
        const body = await (r.method === 'GET' ? this.get(r.url) : r.method === 'POST' ? this.post(r.url, r.body) : r.method === 'PATCH' ? this.patch(r.url, r.body) : r.method === 'PUT' ? this.put(r.url, r.body) : this.delete(r.url));
        out.push({ id: r.id, status: r.method === 'POST' ? 201 : body === undefined ? 204 : 200, ...(body !== undefined ? { body } : {}) });
      } catch (e) {
        // anything else (the simulated crash) fails the whole $batch, as a dying process would
        if (!(e instanceof GraphError)) throw e;
        const [code, ...rest] = e.message.split(': ');
        out.push({ id: r.id, status: e.status ?? 500, body: { error: { code: e.graphCode ?? code, message: rest.join(': ') } } });
      }
    }
    return out;
  }
  stats(): GraphStats {
    return { requests: this.reads + this.writes, batchedRequests: 0, retries: 0, throttled: 0, throttleWaitMs: 0 };
  }
}

const D: Partial<Record<ResourceType, ExecDescriptor>> = {
  user: { type: 'user', path: '/users', shape: 'collection', naturalKey: ['userPrincipalName'], softDelete: 'recycleBin' },
  group: { type: 'group', path: '/groups', shape: 'collection', naturalKey: ['mailNickname', 'displayName'], softDelete: 'recycleBinIfUnified' },
  application: { type: 'application', path: '/applications', shape: 'collection', naturalKey: ['uniqueName', 'displayName'], softDelete: 'recycleBin' },
  servicePrincipal: { type: 'servicePrincipal', path: '/servicePrincipals', shape: 'collection', naturalKey: ['appId'], softDelete: 'recycleBin' },
  appRoleAssignment: { type: 'appRoleAssignment', path: '/servicePrincipals/{parentId}/appRoleAssignedTo', shape: 'contained', parentType: 'servicePrincipal', naturalKey: [], softDelete: 'hard' },
  roleAssignment: { type: 'roleAssignment', path: '/roleManagement/directory/roleAssignments', shape: 'collection', naturalKey: [], softDelete: 'hard' },
  conditionalAccessPolicy: { type: 'conditionalAccessPolicy', path: '/identity/conditionalAccess/policies', shape: 'collection', naturalKey: ['displayName'], softDelete: 'caDeletedItems' },
  namedLocation: { type: 'namedLocation', path: '/identity/conditionalAccess/namedLocations', shape: 'collection', naturalKey: ['displayName'], softDelete: 'caDeletedItems' },
};

export const fakeCatalog: DescriptorLookup = (t) => {
  const d = D[t];
  if (!d) throw new Error(`fake catalog has no ${t}`);
  return d;
};

/** The target described through natural keys only (ids differ between runs). */
export function naturalView(s: FakeState) {
  const all = Object.values(s.collections).flat();
  const name = (id: string) => {
    const o = all.find((x) => x.id === id);
    return String(o?.userPrincipalName ?? o?.mailNickname ?? o?.uniqueName ?? o?.displayName ?? (o?.appId ? `sp:${o.appId === undefined ? '' : all.find((a) => a.appId === o.appId && a.uniqueName)?.uniqueName ?? o.appId}` : id));
  };
  const c = (k: string) => s.collections[k] ?? [];
  return {
    users: c('/users').map((u) => u.userPrincipalName).sort(),
    groups: c('/groups').map((g) => g.mailNickname).sort(),
    apps: c('/applications').map((a) => a.uniqueName).sort(),
    sps: c('/servicePrincipals').map((sp) => name(sp.id)).sort(),
    edges: Object.entries(s.edges).flatMap(([k, v]) => v.map((to) => `${name(k.split('/')[2] as string)} ${k.split('/')[3]} ${name(to)}`)).sort(),
    ca: c('/identity/conditionalAccess/policies').map((p) => `${p.displayName}:${p.state}:${JSON.stringify((p.conditions as { users?: unknown }).users)}`.replace(/[0-9a-f-]{36}/g, (id) => name(id))).sort(),
    roles: c('/roleManagement/directory/roleAssignments').map((r) => `${name(String(r.principalId))}:${r.roleDefinitionId}:${r.directoryScopeId}`).sort(),
    appRoles: c('/appRoleAssignments').map((r) => `${name(String(r.principalId))}:${name(String(r.resourceId))}`).sort(),
  };
}

