/**
 * The edge-by-edge relation walk (src/restore/relation-diff.ts) gives exactly what the former
 * list did, which keyed every live edge by a joined string (kept here as the reference).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RelationKind } from '../../src/catalog/types.js';
import type { Relation, TenantData } from '../../src/model.js';
import { cmp } from '../../src/restore/json.js';
import { columnEdges, diffRelationList, visitRelations } from '../../src/restore/relation-diff.js';
import { setMemProbe } from '../../src/mem-probe.js';
import type { LiveState, RelationDiff } from '../../src/restore/types.js';

function reference(archive: TenantData, live: LiveState, idMap: Map<string, string>, kinds?: Set<RelationKind>): RelationDiff[] {
  const key = (k: string, f: string, t: string) => `${k}\u0000${f}\u0000${t}`;
  const out: RelationDiff[] = [];
  const liveEdges = new Map<string, Relation>();
  const all = new Set<RelationKind>([...(Object.keys(archive.relations) as RelationKind[]), ...(Object.keys(live.relations) as RelationKind[])]);
  const sorted = [...all].filter((k) => !kinds || kinds.has(k)).sort(cmp);
  for (const kind of sorted) for (const e of live.relations[kind] ?? []) liveEdges.set(key(kind, e.from, e.to), e);
  const seen = new Set<string>();
  const byEnds = (a: Relation, b: Relation) => cmp(a.from, b.from) || cmp(a.to, b.to);
  for (const kind of sorted) {
    for (const e of [...(archive.relations[kind] ?? [])].sort(byEnds)) {
      const k = key(kind, idMap.get(e.from) ?? e.from, idMap.get(e.to) ?? e.to);
      const present = liveEdges.has(k);
      if (present) seen.add(k);
      out.push({ kind, status: present ? 'equal' : 'missing', edge: e });
    }
  }
  for (const kind of sorted) for (const e of [...(live.relations[kind] ?? [])].sort(byEnds)) if (!seen.has(key(kind, e.from, e.to))) out.push({ kind, status: 'extra', edge: e });
  return out;
}

const ids = ['a', 'b', 'c', 'd', 'e'];
const kindArb = fc.constantFrom<RelationKind>('groupMembers', 'groupOwners', 'userManager');
const edgeArb = fc.record({ kind: kindArb, from: fc.constantFrom(...ids), to: fc.constantFrom(...ids), toType: fc.constantFrom('user', 'group') });
const edgesArb = fc.array(edgeArb, { maxLength: 25 });
function tenant(edges: { kind: RelationKind; from: string; to: string; toType: string }[]): LiveState {
  const relations: TenantData['relations'] = {};
  for (const e of edges) (relations[e.kind] ??= []).push({ kind: e.kind, from: e.from, to: e.to, toType: e.toType } as Relation);
  return { tenantId: 't', initialDomain: 'x.onmicrosoft.com', objects: {}, relations, deleted: {}, verifiedDomains: [] };
}

describe('relation diff, edge by edge', () => {
  it('equals the joined-key reference for any edges, id map (including two ids mapped to one) and kind filter', () => {
    fc.assert(fc.property(
      edgesArb, edgesArb, fc.dictionary(fc.constantFrom(...ids), fc.constantFrom(...ids)), fc.option(fc.subarray(['groupMembers', 'groupOwners', 'userManager'] as RelationKind[])),
      (a, l, map, kinds) => {
        const archive = tenant(a);
        const live = tenant(l);
        const idMap = new Map(Object.entries(map));
        const k = kinds === null ? undefined : new Set(kinds);
        expect(diffRelationList(archive, live, idMap, k)).toEqual(reference(archive, live, idMap, k));
      },
    ), { numRuns: 500 });
  });

  it('walks edges moved into columns (the final verify, columnEdges) as it walks the lists: the same statuses and edges, in the same order', () => {
    fc.assert(fc.property(
      edgesArb, edgesArb, fc.dictionary(fc.constantFrom(...ids), fc.constantFrom(...ids)), fc.option(fc.subarray(['groupMembers', 'groupOwners', 'userManager'] as RelationKind[])),
      (a, l, map, kinds) => {
        const idMap = new Map(Object.entries(map));
        const k = kinds === null ? undefined : new Set(kinds);
        const expected = diffRelationList(tenant(a), tenant(l), idMap, k);
        const archive = tenant(a);
        const live = tenant(l);
        const cols = { archive: { relations: columnEdges(archive) }, live: { relations: columnEdges(live) } };
        // moved: the lists are gone from what was handed over
        expect([archive.relations, live.relations]).toEqual([{}, {}]);
        const got: RelationDiff[] = [];
        visitRelations(cols.archive, cols.live, idMap, k, (kind, status, edge) => got.push({ kind, status, edge }));
        // each edge as read, with the same keys (their order aside)
        expect(got).toEqual(expected);
        // handed over (`release`): the same walk, each walked kind's columns gone from both sides after it, the others left
        const walked = new Set(Object.keys({ ...cols.archive.relations, ...cols.live.relations }).filter((x) => !k || k.has(x as RelationKind)));
        const released: RelationDiff[] = [];
        visitRelations(cols.archive, cols.live, idMap, k, (kind, status, edge) => {
          // a kind's columns are still there while it is walked, and gone before the extras' visits
          if (status !== 'extra') expect(kind in cols.archive.relations || kind in cols.live.relations).toBe(true);
          else expect(kind in cols.archive.relations || kind in cols.live.relations).toBe(false);
          released.push({ kind, status, edge });
        }, { release: true });
        expect(released).toEqual(expected);
        for (const x of walked) expect(x in cols.archive.relations || x in cols.live.relations).toBe(false);
        const left = Object.keys({ ...cols.archive.relations, ...cols.live.relations });
        expect(left.every((x) => !walked.has(x))).toBe(true);
      },
    ), { numRuns: 500 });
  });

  it('marks memory every 100,000 archived edges walked when asked, and never otherwise', () => {
    const edges = (n: number): Relation[] => Array.from({ length: n }, (_, i) => ({ from: `g${i % 50}`, to: `u${i}` }));
    const marks: string[] = [];
    setMemProbe((label) => marks.push(label));
    try {
      let n = 0;
      visitRelations({ relations: { groupMembers: edges(150_000), userManager: edges(60_000) } }, { relations: {} }, new Map(), undefined, () => {
        n++;
      }, { mark: 'verify:relations' });
      expect(n).toBe(210_000);
      expect(marks).toEqual(['verify:relations', 'verify:relations']);
      marks.length = 0;
      visitRelations({ relations: { groupMembers: edges(150_000) } }, { relations: {} }, new Map(), undefined, () => undefined);
      expect(marks).toEqual([]);
    } finally {
      setMemProbe(undefined);
    }
  });
});
