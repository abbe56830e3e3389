/**
 * The mutable bag a seed run fills: objects by catalog type, edges by relation kind,
 * contained objects' parents, plus the cross-area facts later steps need (who the
 * emergency-access accounts are, which apps exist …). Only the seed uses it.
 */
import type { RelationKind, ResourceType } from '../../catalog/types.js';
import type { DirObject, Relation } from '../../model.js';
import type { LabCredential, SeededTenant } from './types.js';
import type { Department, Site } from './names.js';

export interface SeededUser {
  obj: DirObject;
  id: string;
  upn: string;
  displayName: string;
  department: Department;
  site: Site;
  guest: boolean;
  enabled: boolean;
  hybrid: boolean;
}

export interface SeededApp {
  app: DirObject;
  sp: DirObject;
  appId: string;
  displayName: string;
  /** App roles the app defines, by member type. */
  userRoleIds: string[];
  appOnlyRoleIds: string[];
  scopeValues: string[];
}

export class SeedContext {
  readonly objects = new Map<ResourceType, DirObject[]>();
  readonly deleted = new Map<ResourceType, DirObject[]>();
  readonly relations = new Map<RelationKind, Relation[]>();
  readonly parents: Record<string, string> = {};
  readonly credentials: LabCredential[] = [];
  readonly onPremisesIds: string[] = [];

  users: SeededUser[] = [];
  emergencyAccess: SeededUser[] = [];
  /** Admin users (not emergency access), in creation order. */
  admins: SeededUser[] = [];
  apps: SeededApp[] = [];
  graphSpId = '';

  constructor(
    readonly seed: number,
    readonly tenantId: string,
    readonly orgName: string,
    readonly initialDomain: string,
    readonly customDomain: string,
    readonly onPremDomain: string,
  ) {}

  add(type: ResourceType, obj: DirObject, parentId?: string): DirObject {
    let list = this.objects.get(type);
    if (!list) this.objects.set(type, (list = []));
    list.push(obj);
    if (parentId !== undefined) this.parents[obj.id] = parentId;
    return obj;
  }

  addDeleted(type: ResourceType, obj: DirObject): DirObject {
    let list = this.deleted.get(type);
    if (!list) this.deleted.set(type, (list = []));
    list.push(obj);
    return obj;
  }

  rel(kind: RelationKind, from: string, to: string, toType: ResourceType): void {
    let list = this.relations.get(kind);
    if (!list) this.relations.set(kind, (list = []));
    list.push({ kind, from, to, toType });
  }

  /**
   * Objects sorted by id, as `byId` orders them: ids are sorted natively (same UTF-16
   * code-unit order as `<`) because a comparator callback dominates at 100k objects.
   * @throws Error on a duplicate id (a generator bug, never expected).
   */
  private static sortObjects(list: DirObject[]): DirObject[] {
    const byKey = new Map<string, DirObject>();
    for (const o of list) {
      if (byKey.has(o.id)) throw new Error(`seed produced duplicate id ${o.id}`);
      byKey.set(o.id, o);
    }
    return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
  }

  /**
   * Edges sorted by (from, to) as `byEdge` orders them, duplicates dropped (edges are a
   * set). Grouping by `from` first keeps the sort native and allocation-light.
   */
  private static sortEdges(list: Relation[]): Relation[] {
    const byFrom = new Map<string, Relation[]>();
    for (const r of list) {
      let l = byFrom.get(r.from);
      if (!l) byFrom.set(r.from, (l = []));
      l.push(r);
    }
    const out: Relation[] = [];
    for (const from of [...byFrom.keys()].sort()) {
      const l = byFrom.get(from)!;
      if (l.length > 1) l.sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
      let prev: string | undefined;
      for (const r of l) {
        if (r.to !== prev) out.push(r);
        prev = r.to;
      }
    }
    return out;
  }

  /** Freeze into the contract shape: every list sorted (objects by id, edges by from/to). */
  finish(): SeededTenant {
    const objects: SeededTenant['objects'] = {};
    for (const [type, list] of [...this.objects].sort(([a], [b]) => (a < b ? -1 : 1))) objects[type] = SeedContext.sortObjects(list);
    const deleted: SeededTenant['deleted'] = {};
    for (const [type, list] of [...this.deleted].sort(([a], [b]) => (a < b ? -1 : 1))) deleted[type] = SeedContext.sortObjects(list);
    const relations: SeededTenant['relations'] = {};
    for (const [kind, list] of [...this.relations].sort(([a], [b]) => (a < b ? -1 : 1))) relations[kind] = SeedContext.sortEdges(list);
    return {
      tenantId: this.tenantId,
      initialDomain: this.initialDomain,
      objects,
      relations,
      deleted,
      credentials: this.credentials.slice(),
      onPremisesIds: this.onPremisesIds.slice().sort(),
      parents: this.parents,
    };
  }
}
