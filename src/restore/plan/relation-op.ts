/**
 * The planner's edge operations held in columns (issue 17 item 1).
 *
 * At 100k users a tenant-loss plan has about 251,000 edge operations. As plain objects each was
 * about 300 bytes of live heap from the relation phase to the run: the object and its
 * out-of-object property array (120), its op id (114, a flat string of about 90 characters) and
 * its dependency list (64), about 71 MiB in a heap snapshot at the planner's sort
 * (`plan:ordered`, docs/design.md "Session 40"). Here an edge operation is an object of two
 * hidden slots, its store and its row; its fields are the store's columns, its op id and label
 * made when read, its dependencies a frozen list made when read: about 115 bytes.
 *
 * The operation is an object equal to the plain one: the same keys in the same order (opId, kind,
 * tier, dependsOn, label, relation, from, to, toType), each an enumerable accessor, so its JSON,
 * the plan's sha256 and its stored file are unchanged. What differs, and what callers must keep to:
 * - a read of `opId` or `label` makes a new string (equal to the last): read it into a local where
 *   it is used many times. The run keys nothing by op id string (./execute/settled.ts,
 *   src/digest-index.ts), so no op id is kept for it (docs/design.md "Session 42");
 * - a read of `dependsOn` gives a frozen list: changing it in place throws (a TypeError in strict
 *   code) instead of changing nothing; assigning a new list replaces it;
 * - assigning any field replaces it for that operation alone (the store keeps what was assigned);
 * - a spread (`{ ...op }`) or `structuredClone` gives a plain operation;
 * - once a run holds its label on the object that replaces it (../held-fields.ts), the store lets
 *   go of the names: the replaced operation can no longer give its label (a read throws, a bug).
 * Every such operation shares one accessor per field (as ../held-lines.ts `rebuildWith` explains,
 * V8 keeps objects fast only when the functions are those an object of the same shape got before).
 */
import type { RelationKind, ResourceType, RestoreTier } from '../../catalog/types.js';
import type { Operation, UnresolvedRef } from '../types.js';
import { NumberColumn, ValueColumn } from '../../columns.js';
import { objectRoot } from '../held-lines.js';

type RelationOp = Extract<Operation, { kind: 'addRelation' }>;

/** An edge operation's store and row: own, non-enumerable symbols (JSON and Object.keys skip them). */
const STORE = Symbol('edgeOpStore');
const ROW = Symbol('edgeOpRow');

type Row = RelationOp & { [STORE]: EdgeStore; [ROW]: number };

/** The label of an edge of `kind` between two named ends: one flat string (a join, not a template). */
export function relationLabel(kind: RelationKind, fromName: string, toName: string): string {
  return ['Add', kind, fromName, '→', toName].join(' ');
}

const NO_DEPS: readonly string[] = Object.freeze([]);

/** The keys of an edge operation, in the plain operation's order (./relations.ts wrote them so). */
type Field = 'opId' | 'kind' | 'tier' | 'dependsOn' | 'label' | 'relation' | 'from' | 'to' | 'toType';

/**
 * One plan's edge operations, in columns. Never reads or keeps anything of the archive but each
 * edge's two ends, their names and the op ids its operation depends on.
 */
export class EdgeStore {
  private rows = 0;
  // in chunks (../../columns.ts): grown as single arrays, each old copy stayed on the heap until a
  // major collection, and the relation phase's step rose 460 → 482 MiB at 100k users
  private readonly from = new ValueColumn<string>();
  private readonly to = new ValueColumn<string>();
  /** The names the label is made of. */
  private readonly fromName = new ValueColumn<string | undefined>();
  private readonly toName = new ValueColumn<string | undefined>();
  /** Up to two dependencies, in order; more are kept as assigned. */
  private readonly dep0 = new ValueColumn<string | undefined>();
  private readonly dep1 = new ValueColumn<string | undefined>();
  /** Op ids given that differ from the one a row's fields make, or assigned (a row's op id is otherwise made when read). */
  private readonly ids = new ValueColumn<string | undefined>();
  /** Two-byte codes of the strings in `names`, and the tier. */
  private readonly relation = new NumberColumn((n) => new Uint16Array(n));
  private readonly toType = new NumberColumn((n) => new Uint16Array(n));
  private readonly tier = new NumberColumn((n) => new Uint16Array(n));
  /** The strings behind the codes. */
  private readonly names: string[] = [];
  private readonly codes = new Map<string, number>();
  /** Fields assigned after the operation was made, by row. */
  private readonly assigned = new Map<number, Partial<Record<Field, unknown>>>();

  /** Edge operations made by this store. */
  get size(): number {
    return this.rows;
  }

  /**
   * Row `i`'s label is held elsewhere now (../held-fields.ts holds a run's labels compressed, on a
   * new object): its names go. At 100k users they were the archive's display names, held by no one
   * else once the archive is set aside for the run. Reading the label of row `i` from here is then a
   * bug (it throws).
   */
  releaseLabel(i: number): void {
    this.fromName.set(i, undefined);
    this.toName.set(i, undefined);
  }

  /** Op ids held (given or assigned, not made): tests. */
  get keptIds(): number {
    let n = 0;
    for (let i = 0; i < this.rows; i++) if (this.ids.get(i) !== undefined) n++;
    return n;
  }

  /**
   * The edge operation from `e.from` to `e.to`, its label made from the two names when read.
   * `e.dependsOn` is its list as it is (the caller sorts it).
   */
  add(e: { opId?: string; tier: RestoreTier; dependsOn: readonly string[]; kind: RelationKind; from: string; to: string; toType: ResourceType }, fromName: string, toName: string): RelationOp {
    const i = this.rows++;
    this.from.push(e.from);
    this.to.push(e.to);
    this.fromName.push(fromName);
    this.toName.push(toName);
    this.relation.push(this.code(e.kind));
    this.toType.push(this.code(e.toType));
    this.tier.push(e.tier);
    const deps = e.dependsOn;
    this.dep0.push(deps.length <= 2 ? deps[0] : undefined);
    this.dep1.push(deps.length <= 2 ? deps[1] : undefined);
    this.ids.push(e.opId !== undefined && e.opId !== this.madeId(i) ? e.opId : undefined);
    if (deps.length > 2) this.assign(i, 'dependsOn', Object.freeze([...deps]));
    const op = new EdgeShell();
    for (const [k, d] of ACCESSORS) Object.defineProperty(op, k, d);
    Object.defineProperty(op, STORE, { value: this });
    Object.defineProperty(op, ROW, { value: i });
    return op;
  }

  private code(name: string): number {
    let c = this.codes.get(name);
    if (c === undefined) {
      c = this.names.push(name) - 1;
      this.codes.set(name, c);
    }
    return c;
  }

  private madeId(i: number): string {
    return ['add', this.names[this.relation.get(i)] as string, this.from.get(i), this.to.get(i)].join(':');
  }

  /** Field `f` of row `i` (the accessors' getter). */
  read(i: number, f: Field): unknown {
    if (this.assigned.size > 0) {
      const a = this.assigned.get(i);
      if (a && f in a) return a[f];
    }
    switch (f) {
      case 'opId': {
        return this.ids.get(i) ?? this.madeId(i);
      }
      case 'kind':
        return 'addRelation';
      case 'tier':
        return this.tier.get(i);
      case 'dependsOn': {
        const a = this.dep0.get(i);
        const b = this.dep1.get(i);
        return a === undefined ? NO_DEPS : Object.freeze(b === undefined ? [a] : [a, b]);
      }
      case 'label': {
        const [from, to] = [this.fromName.get(i), this.toName.get(i)];
        if (from === undefined || to === undefined) throw new Error(`bug: the label of edge operation ${String(this.read(i, 'opId'))} is held elsewhere (../held-fields.ts), not by this object`);
        return relationLabel(this.names[this.relation.get(i)] as RelationKind, from, to);
      }
      case 'relation':
        return this.names[this.relation.get(i)];
      case 'from':
        return this.from.get(i);
      case 'to':
        return this.to.get(i);
      case 'toType':
        return this.names[this.toType.get(i)];
    }
  }

  /** Field `f` of row `i` assigned (the accessors' setter): that operation's alone. */
  assign(i: number, f: Field, v: unknown): void {
    if (f === 'opId' && typeof v === 'string') {
      this.ids.set(i, v);
      return;
    }
    const a = this.assigned.get(i) ?? {};
    a[f] = v;
    this.assigned.set(i, a);
  }
}

/**
 * The root of every edge operation's hidden class (../held-lines.ts `objectRoot`), not `{}`: a run
 * rebuilds each operation from `{}` key by key with other accessors for its label and dependencies
 * (`rebuildWith`); had the edge operations' own accessors been added to `{}` first, V8 would find a
 * transition for `dependsOn` with other functions there and make every rebuilt one a slow
 * dictionary (test/restore/held-fields.test.ts "V8 hidden classes").
 */
const EdgeShell = objectRoot<Row>();

/** One accessor per field, shared by every edge operation of every store. */
const ACCESSORS: readonly [Field, PropertyDescriptor][] = (['opId', 'kind', 'tier', 'dependsOn', 'label', 'relation', 'from', 'to', 'toType'] as const).map((f) => [f, {
  enumerable: true,
  configurable: true,
  get(this: Row): unknown {
    return this[STORE].read(this[ROW], f);
  },
  set(this: Row, v: unknown) {
    this[STORE].assign(this[ROW], f, v);
  },
}]);

/**
 * `op`'s label is held elsewhere now, on an object that replaces it (../held-fields.ts): when `op`
 * is an edge operation, its store lets go of the names the label was made of (EdgeStore.releaseLabel).
 */
export function releaseEdgeLabel(op: Operation): void {
  const r = op as Partial<Row>;
  if (r[STORE] instanceof EdgeStore) r[STORE].releaseLabel(r[ROW] as number);
}

/** True when `op` is an edge operation held in a store (tests and the bench). */
export function isEdgeRow(op: Operation): boolean {
  return (op as Partial<Row>)[STORE] instanceof EdgeStore;
}

/** A blocked edge's `to` end (its op id's last part; `value` names the missing end, either one). */
const TO_END = Symbol('blockedEdgeTo');

type Blocked = UnresolvedRef & { [TO_END]: string };

/** Its own root (../held-lines.ts `objectRoot`), as EdgeShell: not `{}`, to which a run's rebuilt operations add an accessor `opId`. */
const BlockedShell = objectRoot<Partial<Blocked>>();

const OPID: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Blocked): string {
    return ['add', this.path, this.archivedId, this[TO_END]].join(':');
  },
  // an op id assigned replaces the made one: the entry's own, as a plain property (rare: no slot kept for it)
  set(this: Blocked, v: string) {
    Object.defineProperty(this, 'opId', { value: v, writable: true, enumerable: true, configurable: true });
  },
};

/**
 * The unresolved entry of an edge the plan cannot write because its end `missing` (`from` or `to`)
 * is neither in the target nor made by the plan: `{ opId, type, archivedId: from, path: kind,
 * value: missing, effect: 'blocked' }`, equal to the plain entry, its `opId` (`add:<kind>:<from>:<to>`,
 * the op the edge would have had) made when read. At 100k users about 141,000 such entries held
 * their op ids as 15 MiB of strings from the relation phase to the end of the run (a heap snapshot
 * at `plan:ordered`; issue 17 item 1). As an edge operation's label: each read makes a new string; an
 * assigned op id is kept; a spread gives a plain entry. The op id is made from `path` and
 * `archivedId`, which nothing changes once the entry is made.
 */
export function blockedEdge(e: { kind: RelationKind; from: string; to: string }, type: ResourceType, missing: string): UnresolvedRef {
  const u = new BlockedShell();
  Object.defineProperty(u, 'opId', OPID);
  u.type = type;
  u.archivedId = e.from;
  u.path = e.kind;
  u.value = missing;
  u.effect = 'blocked';
  Object.defineProperty(u, TO_END, { value: e.to });
  return u as UnresolvedRef;
}

/**
 * `u` as `blockedEdge` makes it when it is a blocked edge's entry (its op id `add:<path>:<archivedId>:<to>`),
 * else `u` itself. For an entry parsed again from JSON (a plan's notes set aside while it runs,
 * ../plan-aside.ts): at 100k users its 144,000 blocked edges, parsed, held their op ids as 15 MiB
 * of strings and their objects as 25 MiB more from the run's end until the plan was set aside (a
 * heap snapshot at `rest:execute`; issue 17 item 1). `intern` gives the one copy of an id, so the
 * `to` end is a flat string shared with its equals, never a slice that keeps the op id alive.
 */
export function asBlockedEdge(u: UnresolvedRef, intern: (s: string) => string): UnresolvedRef {
  if (u.effect !== 'blocked' || typeof u.opId !== 'string') return u;
  const prefix = `add:${u.path}:${u.archivedId}:`;
  if (!u.opId.startsWith(prefix) || Object.keys(u).join() !== 'opId,type,archivedId,path,value,effect') return u;
  // a flat copy: a slice of the op id would keep all of it
  const to = intern(JSON.parse(JSON.stringify(u.opId.slice(prefix.length))) as string);
  const b = blockedEdge({ kind: u.path as RelationKind, from: u.archivedId, to }, u.type, u.value);
  return b.opId === u.opId ? b : u;
}
