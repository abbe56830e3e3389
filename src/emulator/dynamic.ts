/**
 * Dynamic group membership: Entra evaluates a group's `membershipRule` and maintains
 * its members itself (manual `$ref` changes are refused). The emulator supports the
 * user-rule subset `(user.prop -op "value")` with and / or / not and parentheses,
 * operators -eq -ne -startsWith -notStartsWith -contains -notContains -in -notIn,
 * and applies it immediately where Entra does so asynchronously. `user.extensionAttribute1` …
 * `extensionAttribute15` read the user's onPremisesExtensionAttributes, as Entra's rules do
 * (https://learn.microsoft.com/entra/identity/users/groups-dynamic-membership "Extension
 * properties"). Administrative units with `membershipType: "Dynamic"` are evaluated the same
 * way (https://learn.microsoft.com/entra/identity/role-based-access-control/admin-units-members-dynamic).
 */
import type { DirObject, Json } from '../model.js';
import { badRequest } from './graph-error.js';
import type { TenantStore } from './store.js';

type Rule =
  | { k: 'and' | 'or'; a: Rule; b: Rule }
  | { k: 'not'; e: Rule }
  | { k: 'cmp'; prop: string; op: string; value: Json };

const OPS = ['-eq', '-ne', '-startswith', '-notstartswith', '-contains', '-notcontains', '-in', '-notin'];

/** Parses a membership rule; 400 "Invalid membership rule" when it is outside the supported subset. */
export function parseRule(src: string): Rule {
  const toks = src.match(/"(?:[^"\\]|\\.)*"|\(|\)|\[|\]|,|[^\s()[\],]+/g) ?? [];
  let pos = 0;
  const fail = (): never => {
    throw badRequest(`Invalid membership rule: '${src}'.`);
  };
  const value = (): Json => {
    const t = toks[pos++] ?? fail();
    if (t.startsWith('"')) return t.slice(1, -1);
    if (t === 'true' || t === 'false') return t === 'true';
    if (t === 'null') return null;
    return fail();
  };
  const term = (): Rule => {
    const t = toks[pos] ?? fail();
    if (t === '(') {
      pos++;
      const e = expr();
      if (toks[pos++] !== ')') fail();
      return e;
    }
    if (t.toLowerCase() === 'not' || t === '-not') {
      pos++;
      return { k: 'not', e: term() };
    }
    pos++;
    const m = /^user\.(\w+)$/.exec(t);
    if (!m) return fail();
    const op = (toks[pos++] ?? '').toLowerCase();
    if (!OPS.includes(op)) fail();
    if (op === '-in' || op === '-notin') {
      if (toks[pos++] !== '[') fail();
      const list: Json[] = [];
      while (toks[pos] !== ']') {
        list.push(value());
        if (toks[pos] === ',') pos++;
        if (pos >= toks.length) fail();
      }
      pos++;
      return { k: 'cmp', prop: m[1]!, op, value: list };
    }
    return { k: 'cmp', prop: m[1]!, op, value: value() };
  };
  const expr = (): Rule => {
    let e = term();
    for (;;) {
      const t = (toks[pos] ?? '').toLowerCase();
      if (t !== 'and' && t !== 'or' && t !== '-and' && t !== '-or') return e;
      pos++;
      e = { k: t.replace('-', '') as 'and' | 'or', a: e, b: term() };
    }
  };
  const r = expr();
  if (pos !== toks.length) fail();
  return r;
}

function matches(r: Rule, u: DirObject): boolean {
  switch (r.k) {
    case 'and':
      return matches(r.a, u) && matches(r.b, u);
    case 'or':
      return matches(r.a, u) || matches(r.b, u);
    case 'not':
      return !matches(r.e, u);
    case 'cmp': {
      const ext = /^extensionAttribute(\d+)$/.exec(r.prop);
      const raw = ext ? ((u.onPremisesExtensionAttributes ?? {}) as Record<string, Json>)[r.prop] : u[r.prop];
      const v = typeof raw === 'string' ? raw.toLowerCase() : raw ?? null;
      const w = typeof r.value === 'string' ? r.value.toLowerCase() : r.value;
      const s = typeof v === 'string' ? v : '';
      switch (r.op) {
        case '-eq':
          return v === w;
        case '-ne':
          return v !== w;
        case '-startswith':
          return s.startsWith(String(w));
        case '-notstartswith':
          return !s.startsWith(String(w));
        case '-contains':
          return s.includes(String(w));
        case '-notcontains':
          return !s.includes(String(w));
        default: {
          const list = (r.value as Json[]).map((x) => (typeof x === 'string' ? x.toLowerCase() : x));
          return r.op === '-in' ? list.includes(v as Json) : !list.includes(v as Json);
        }
      }
    }
  }
}

export function isDynamic(g: DirObject): boolean {
  return Array.isArray(g.groupTypes) && g.groupTypes.includes('DynamicMembership');
}

/** An administrative unit whose members Entra computes from its rule. */
export function isDynamicUnit(au: DirObject): boolean {
  return au.membershipType === 'Dynamic';
}

function active(g: DirObject, dynamic: (o: DirObject) => boolean = isDynamic): Rule | undefined {
  if (!dynamic(g) || typeof g.membershipRule !== 'string' || g.membershipRuleProcessingState === 'Paused') return undefined;
  try {
    return parseRule(g.membershipRule);
  } catch {
    return undefined;
  }
}

/**
 * Adds or removes a rule-made member, recording the change as a manual edit would (navs.ts
 * addEdge): a group's member delta, or the administrative unit as changed.
 */
function setMember(store: TenantStore, kind: 'groupMembers' | 'administrativeUnitMembers', from: string, userId: string, member: boolean): void {
  const edges = store.edges(kind);
  if ((edges.fwd.get(from)?.has(userId) === true) === member) return;
  if (member) edges.add(from, userId);
  else edges.remove(from, userId);
  if (kind === 'groupMembers') store.memberChanged(from, userId, !member);
  else store.touch('administrativeUnit', from, 'live');
}

/** Re-evaluates one dynamic group over every live user. */
export function evaluateGroup(store: TenantStore, g: DirObject): void {
  const rule = active(g);
  if (!rule) return;
  for (const u of store.live.get('user')?.values() ?? []) setMember(store, 'groupMembers', g.id, u.id, matches(rule, u));
}

/** Re-evaluates one dynamic administrative unit over every live user. */
export function evaluateUnit(store: TenantStore, au: DirObject): void {
  const rule = active(au, isDynamicUnit);
  if (!rule) return;
  for (const u of store.live.get('user')?.values() ?? []) setMember(store, 'administrativeUnitMembers', au.id, u.id, matches(rule, u));
}

interface RuledList { version: number; list: Array<{ id: string; rule: Rule }> }
/** Per store and type: the live objects with an active rule, in the store's order, and their parsed rules. */
const ruled = new WeakMap<TenantStore, Map<'group' | 'administrativeUnit', RuledList>>();

/**
 * The groups (or administrative units) whose rule is active, as a walk of every live one in
 * the store's order finds them, kept until an object of the type changes (TenantStore.version):
 * a user's create walked every group and parsed every rule again, users × groups for a restore.
 */
function withRules(store: TenantStore, type: 'group' | 'administrativeUnit'): RuledList['list'] {
  let byType = ruled.get(store);
  if (!byType) ruled.set(store, (byType = new Map()));
  const version = store.version(type);
  const hit = byType.get(type);
  if (hit && hit.version === version) return hit.list;
  const list: RuledList['list'] = [];
  for (const o of store.live.get(type)?.values() ?? []) {
    const rule = type === 'group' ? active(o) : active(o, isDynamicUnit);
    if (rule) list.push({ id: o.id, rule });
  }
  byType.set(type, { version, list });
  return list;
}

/** Re-evaluates every dynamic group and administrative unit for one (new or changed) user. */
export function evaluateUser(store: TenantStore, u: DirObject): void {
  for (const g of withRules(store, 'group')) setMember(store, 'groupMembers', g.id, u.id, matches(g.rule, u));
  for (const au of withRules(store, 'administrativeUnit')) setMember(store, 'administrativeUnitMembers', au.id, u.id, matches(au.rule, u));
}
