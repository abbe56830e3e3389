/**
 * Routing driven by the catalog: each descriptor's `path` becomes a route template
 * (`/applications/{parentId}/extensionProperties`); a request path is matched to the
 * longest template, and what follows names an item, a navigation or an action.
 */
import type { ResourceDescriptor, ResourceType } from '../catalog/types.js';
import type { DirObject } from '../model.js';

/** Second addresses Graph serves for the same collection (docs/graph-facts.md §1). */
const ALIASES: Partial<Record<ResourceType, readonly string[]>> = {
  conditionalAccessPolicy: ['/identity/conditionalAccess/policies', '/policies/conditionalAccessPolicies'],
  authenticationStrengthPolicy: [
    '/policies/authenticationStrengthPolicies',
    '/identity/conditionalAccess/authenticationStrength/policies',
  ],
};

/**
 * Where a contained object's parent id comes from when Graph's own shape names it
 * (an app role assignment's resource, a scoped membership's AU). Others carry the parent
 * in a `parentId` / `@parentId` field in seed data, or get it from the URL they were posted to.
 */
const PARENT_PROPERTY: Partial<Record<ResourceType, string>> = {
  appRoleAssignment: 'resourceId',
  scopedRoleMembership: 'administrativeUnitId',
};

/** Seed fields that name a contained object's parent; stripped from responses. */
export const PARENT_FIELDS = ['parentId', '@parentId'] as const;

export interface RouteMatch {
  type: ResourceType;
  /** Values of `{parentId}` placeholders, in order. */
  parentIds: string[];
  /** Segments after the collection path. */
  rest: string[];
}

interface Route {
  type: ResourceType;
  segs: string[];
}

export class Registry {
  private readonly byType = new Map<ResourceType, ResourceDescriptor>();
  private readonly routes: Route[] = [];

  constructor(descriptors: readonly ResourceDescriptor[]) {
    for (const d of descriptors) {
      this.byType.set(d.type, d);
      const paths = new Set([d.path, ...(ALIASES[d.type] ?? [])]);
      for (const p of paths) this.routes.push({ type: d.type, segs: p.split('/').filter(Boolean) });
    }
    this.routes.sort((a, b) => b.segs.length - a.segs.length);
  }

  descriptor(type: ResourceType): ResourceDescriptor {
    const d = this.byType.get(type);
    if (!d) throw new Error(`emulator: no catalog descriptor for ${type}`);
    return d;
  }
  has(type: ResourceType): boolean {
    return this.byType.has(type);
  }
  all(): ResourceDescriptor[] {
    return [...this.byType.values()];
  }
  /** The type whose entityType is `microsoft.graph.x` (with or without '#'). */
  typeForODataType(odataType: string): ResourceType | undefined {
    const t = odataType.replace(/^#/, '');
    for (const d of this.byType.values()) if (d.entityType === t) return d.type;
    return undefined;
  }

  /** Longest route template that prefixes `segs` (case-insensitive, `{parentId}` matches any). */
  match(segs: string[]): RouteMatch | undefined {
    for (const r of this.routes) {
      if (r.segs.length > segs.length) continue;
      const parentIds: string[] = [];
      let ok = true;
      for (let i = 0; i < r.segs.length; i++) {
        const t = r.segs[i]!;
        if (t.startsWith('{')) parentIds.push(segs[i]!);
        else if (t.toLowerCase() !== segs[i]!.toLowerCase()) {
          ok = false;
          break;
        }
      }
      if (ok) return { type: r.type, parentIds, rest: segs.slice(r.segs.length) };
    }
    return undefined;
  }

  /** True when a contained type is addressed under a parent id. */
  hasParent(type: ResourceType): boolean {
    return this.descriptor(type).path.includes('{');
  }

  /** The parent id of a contained object, from its own properties where Graph's shape names it. */
  parentOf(type: ResourceType, o: DirObject): string | undefined {
    if (!this.byType.has(type) || !this.hasParent(type)) return undefined;
    const prop = PARENT_PROPERTY[type];
    if (prop && typeof o[prop] === 'string') return o[prop] as string;
    for (const f of PARENT_FIELDS) if (typeof o[f] === 'string') return o[f] as string;
    return undefined;
  }
}
