/**
 * An opened archive's contents, held by whoever runs a restore with them (issue 17 item 1).
 *
 * A writing restore reads the archive twice: to plan, and at the end to verify what came back.
 * In between, the plan runs for minutes (emulator) to hours (Graph's throttling), and the
 * archive is about 290 MiB of objects at 100k users. A holder that owns the contents sets them
 * aside as compressed JSON lines (src/set-aside.ts) while the plan runs, and parses a fresh copy
 * for the verify, interned exactly as the archive reader interns them (src/archive/reader.ts
 * `loadTenantData`). A borrowing holder never sets anything aside: its caller still holds the
 * contents, so compressing them would only cost time.
 */
import { Interner } from '../intern.js';
import type { DirObject, Relation, TenantData } from '../model.js';
import type { RelationKind, ResourceType } from '../catalog/types.js';
import { ListAside } from '../set-aside.js';

interface SetAside {
  tenantId: string;
  initialDomain: string;
  objects: [ResourceType, ListAside<DirObject>][];
  relations: [RelationKind, ListAside<Relation>][];
}

/** Each kind of `data`'s edges set aside (`setAside`, or ahead of it `setRelationsAsideFirst`). */
function relationsAside(data: TenantData): [RelationKind, ListAside<Relation>][] {
  return (Object.entries(data.relations) as [RelationKind, Relation[]][]).map(([k, arr]) => [k, new ListAside(arr)]);
}

export class HeldArchive {
  private data: TenantData | undefined;
  private aside: SetAside | undefined;
  /** Types set aside ahead of `setAside`, while their objects were still whole (`setAsideFirst`). */
  private readonly early = new Map<ResourceType, ListAside<DirObject>>();
  /** The relations set aside ahead of `setAside`, while they were still whole (`setRelationsAsideFirst`). */
  private earlyRelations: [RelationKind, ListAside<Relation>][] | undefined;

  private constructor(data: TenantData, readonly owned: boolean) {
    this.data = data;
  }

  /** A holder that owns `data`: the caller keeps no other reference, so setting it aside frees its memory. */
  static owning(data: TenantData): HeldArchive {
    return new HeldArchive(data, true);
  }

  /** A holder of data its caller keeps: `setAside` does nothing. */
  static borrowing(data: TenantData): HeldArchive {
    return new HeldArchive(data, false);
  }

  /** The holder of `a`: `a` itself, or a borrowing holder of plain data. */
  static of(a: TenantData | HeldArchive): HeldArchive {
    return a instanceof HeldArchive ? a : HeldArchive.borrowing(a);
  }

  /** True while the contents are held as objects (not set aside). */
  get held(): boolean {
    return this.data !== undefined;
  }

  /**
   * The contents, as objects.
   * @throws Error (a bug) when they were set aside: the caller should have used `load`.
   */
  get(): TenantData {
    if (!this.data) throw new Error('the archive was set aside: load() it');
    return this.data;
  }

  /**
   * Sets an owned archive aside: its JSON lines are compressed and its objects let go (their
   * memory is freed once no one else refers to them). Does nothing when borrowed or already aside.
   * Returns the compressed bytes now held (0 when nothing was set aside).
   */
  setAside(): number {
    if (!this.owned || !this.data) return 0;
    const d = this.data;
    const aside: SetAside = { tenantId: d.tenantId, initialDomain: d.initialDomain, objects: [], relations: [] };
    for (const [t, arr] of Object.entries(d.objects) as [ResourceType, DirObject[]][]) aside.objects.push([t, this.early.get(t) ?? new ListAside(arr)]);
    this.early.clear();
    aside.relations = this.earlyRelations ?? relationsAside(d);
    this.earlyRelations = undefined;
    this.aside = aside;
    this.data = undefined;
    return aside.objects.reduce((n, [, c]) => n + c.bytes, 0) + aside.relations.reduce((n, [, c]) => n + c.bytes, 0);
  }

  /**
   * Sets one type of an owned archive aside now, its objects still held: `setAside` later keeps
   * this copy, not the list as it is then. A writing restore's planner may then replace that
   * type's objects with slim copies (src/restore/plan/release.ts) and the final verify still
   * compares the archive as it was read. Returns false (nothing done) when borrowed or set aside:
   * the caller must then not let its objects be replaced.
   */
  setAsideFirst(type: ResourceType): boolean {
    if (!this.owned || !this.data) return false;
    if (!this.early.has(type)) this.early.set(type, new ListAside(this.data.objects[type] ?? []));
    return true;
  }

  /**
   * Sets an owned archive's relations aside now, as `setAsideFirst` does a type: `setAside` later
   * keeps this copy. A writing restore's planner then keeps only the few edges its last phases
   * read (src/restore/plan/release.ts) and the final verify still compares every archived edge.
   * Returns false (nothing done) when borrowed or set aside: the caller must then not let the
   * relations be replaced.
   */
  setRelationsAsideFirst(): boolean {
    if (!this.owned || !this.data) return false;
    this.earlyRelations ??= relationsAside(this.data);
    return true;
  }

  /**
   * The contents: the held objects, or a fresh copy parsed from what was set aside, equal to the
   * original as JSON and interned as the archive reader interns. The holder does not keep that
   * copy: it is freed when the caller lets go of it. Never writes anything.
   */
  load(): TenantData {
    return this.data ?? this.parse(false);
  }

  /**
   * The contents for their last use: as `load`, and an owned holder lets go of what it set aside
   * (the final verify of a restore holds the parsed copy and has no use for the compressed one,
   * 55 MiB at 100k users), each type's as soon as that type is parsed: the compressed bytes never
   * sit beside the whole parsed copy, where the verify's peak is (issue 17 item 1). Any later `get`
   * or `load` throws.
   */
  loadLast(): TenantData {
    if (!this.owned) return this.load();
    const data = this.data ?? this.parse(true);
    this.data = undefined;
    return data;
  }

  /**
   * The contents for their last use, as `loadLast`, with the objects of `type` slim (`slim` of
   * each, applied as it is parsed) and given again whole by `whole`, one at a time, parsed from
   * their compressed copy as they are asked for. The final verify of a restore matches the users
   * by their slim copies and compares them whole one at a time, so the archive's users (about
   * 150 MiB of live heap at 100k) are never all whole at once (issue 17 item 1). `whole` gives
   * the same objects as `loadLast` would, in the archive's order, and is meant to be read once.
   * With `onEdges`, each kind's edges are handed to it as they are parsed, one at a time (interned
   * alike), and the contents' `relations` are left without them: the final verify puts them in
   * columns (src/restore/relation-diff.ts), and 640,000 edge objects at 100k users were parsed whole
   * before they were (issue 17 item 1). `onEdges` must read the edges before it returns.
   * Without a compressed copy of `type` (a borrowed holder, contents still held, no such type)
   * the contents are `loadLast`'s, whole, relations included, and `whole` is absent.
   */
  loadLastSplit(type: ResourceType, slim: (o: DirObject) => DirObject, onEdges?: (kind: RelationKind, edges: Iterable<Relation>) => void): { data: TenantData; whole?: () => Generator<DirObject> } {
    const list = this.owned && !this.data ? this.aside?.objects.find(([t]) => t === type)?.[1] : undefined;
    if (!list) return { data: this.loadLast() };
    const data = this.parse(true, { type, each: slim }, onEdges);
    return { data, whole: () => list.each() };
  }

  /**
   * Holds the contents as objects again, parsed from what was set aside (`loadLast`'s copy), and
   * lets go of the compressed one: the holder is then as it was before `setAside`. A resumed
   * restore sets the archive aside before it knows which plan it continues, and a bootstrap-first
   * plan reads the archive again (src/ops/restore-pipeline.ts). Does nothing when the contents are
   * held or borrowed.
   * @throws Error (a bug) when they were let go of (`loadLast`)
   */
  takeBack(): void {
    if (!this.owned || this.data) return;
    this.data = this.parse(true);
  }

  /**
   * A fresh copy parsed from what was set aside; with `release`, each list is let go of once parsed;
   * with `slim`, each object of its type is made slim before it is interned (`loadLastSplit`); with
   * `onEdges`, each kind's edges go to it rather than into the copy.
   */
  private parse(release: boolean, slim?: { type: ResourceType; each: (o: DirObject) => DirObject }, onEdges?: (kind: RelationKind, edges: Iterable<Relation>) => void): TenantData {
    const a = this.aside;
    if (!a) throw new Error('the archive was let go of (loadLast)');
    if (release) this.aside = undefined;
    const data: TenantData = { tenantId: a.tenantId, initialDomain: a.initialDomain, objects: {}, relations: {} };
    const ids = new Interner();
    // shift(): with `release`, the list set aside is no longer reachable once it is parsed
    const objects = release ? a.objects : [...a.objects];
    for (let e = objects.shift(); e; e = objects.shift()) {
      const each = e[0] === slim?.type ? slim.each : undefined;
      data.objects[e[0]] = e[1].take(each ? (o) => ids.values(each(o)) : (o) => ids.values(o));
    }
    const relations = release ? a.relations : [...a.relations];
    for (let e = relations.shift(); e; e = relations.shift()) {
      const list = e[1];
      if (onEdges) onEdges(e[0], (function* () {
        for (const r of list.each()) yield ids.values(r);
      })());
      else data.relations[e[0]] = list.take((r) => ids.values(r));
    }
    return data;
  }
}
