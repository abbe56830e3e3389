/**
 * Where a snapshot goes. The archive writer implements it for backups; an in-memory
 * sink serves live-state reads before a restore. Objects and relations arrive in any
 * order; the sink owns ordering.
 */
import type { ResourceType } from '../catalog/types.js';
import type { DirObject, Relation, SnapshotWarning, TenantData } from '../model.js';
import { byEdge, byId } from '../model.js';
import { Interner } from '../intern.js';

export interface SnapshotSink {
  addObject(type: ResourceType, obj: DirObject): Promise<void>;
  addRelation(rel: Relation): Promise<void>;
  addWarning(w: SnapshotWarning): void;
}

/** Collects everything in memory (live-state reads, tests). Not for 100k-user backups. */
export class MemorySink implements SnapshotSink {
  readonly objects: Partial<Record<ResourceType, DirObject[]>> = {};
  readonly relations: TenantData['relations'] = {};
  readonly warnings: SnapshotWarning[] = [];
  /** A whole target read holds each id once, however many objects and edges name it (src/intern.ts). */
  private readonly ids = new Interner();

  /** `held`: objects of its type are kept as `hold` returns them, a new object (never the walker's own; src/restore/compact-users.ts: the verify's users, slim). */
  constructor(private readonly held?: { type: ResourceType; hold(o: DirObject): DirObject }) {}

  /**
   * Keeps a copy made whole by spreading: the walker builds each object member by member
   * (normalize, per-object reads), which left V8 holding it with dictionary properties, several
   * times the memory of the copy (measured: every user and group of a target read). Same
   * members, same order. An object of the `held` type needs no such copy: `hold` keeps a new one
   * (a slim copy), and only that is interned.
   */
  async addObject(type: ResourceType, obj: DirObject): Promise<void> {
    (this.objects[type] ??= []).push(this.ids.values(this.held?.type === type ? this.held.hold(obj) : { ...obj }));
  }
  async addRelation(rel: Relation): Promise<void> {
    (this.relations[rel.kind] ??= []).push(this.ids.values(rel));
  }
  addWarning(w: SnapshotWarning): void {
    this.warnings.push(w);
  }

  /** The collected tenant, sorted like an archive. */
  toTenantData(tenantId: string, initialDomain: string): TenantData {
    const objects: TenantData['objects'] = {};
    for (const [t, list] of Object.entries(this.objects) as [ResourceType, DirObject[]][]) {
      objects[t] = [...list].sort(byId);
    }
    const relations: TenantData['relations'] = {};
    for (const [k, list] of Object.entries(this.relations) as [keyof TenantData['relations'], Relation[]][]) {
      relations[k] = [...list].sort(byEdge);
    }
    return { tenantId, initialDomain, objects, relations };
  }
}
