/**
 * The incremental walk's reads (docs/archive-format.md §12): a type Graph offers `/delta` for
 * (catalog `delta`) is read from the deltaLink the previous archive's run stored
 * (docs/graph-facts.md §5 "Delta"): `@removed` items become `removed/<type>` records, changed
 * objects are read again whole by id through `$batch` — a delta round returns an updated
 * object with "at least the properties that have been updated", not its whole state — and
 * a group's `members@delta` becomes added and removed `groupMembers` edges. Every other type
 * is read in full by the walker as before.
 */
import { typeForODataType } from '../catalog/index.js';
import type { RelationKind, ResourceDescriptor, ResourceType } from '../catalog/types.js';
import { isResyncRequired } from '../graph/client.js';
import type { Json, Relation } from '../model.js';
import type { ChangePrefix } from '../archive/manifest.js';
import { forEachBatched, type BatchedReads } from './batched.js';
import type { AuditTargets } from './audit-feed.js';
import type { SnapshotSink } from './sink.js';
import { scalarText } from '../text.js';

/**
 * Delta types an incremental still reads in full: a grant disappears from lists with its
 * deleted principal (src/emulator/writes.ts PRINCIPAL_LINKED) without a delta `@removed`
 * item of its own, so only a full read sees it go.
 */
const READ_IN_FULL = new Set<ResourceType>(['oauth2PermissionGrant']);

/** Where an incremental's change records go (the archive writer). */
export interface ChangeSink extends SnapshotSink {
  addChange(prefix: ChangePrefix, name: string, sortKey: string, record: Record<string, Json>): Promise<void>;
}

/** What a run leaves for the next incremental: each delta type's deltaLink and its ids. */
export interface DeltaBase {
  links: Partial<Record<ResourceType, string>>;
  ids: Partial<Record<ResourceType, string[]>>;
  /**
   * Per contained type under a delta type: parent id → its children's archive ids. Lets an
   * incremental re-read only some parents' children (./contained-read.ts). Absent in states
   * written before it: the contained types are then read in full.
   */
  children?: Partial<Record<ResourceType, Record<string, string[]>>>;
}

/**
 * Graph answered a stored delta token with `410 Gone` (expired or unknown sync state,
 * docs/graph-facts.md §5): the incremental cannot be taken; runIncrementalBackup falls back
 * to a full backup. Not a VaultError: it never leaves the snapshot module.
 */
export class DeltaTokenGone extends Error {
  constructor(readonly type: ResourceType) {
    super(`Graph answered 410 Gone to the stored ${type} delta token`);
  }
}

/** Collects every delta type's newest deltaLink and id list during a walk (full or incremental). */
export class DeltaCapture {
  readonly links: Partial<Record<ResourceType, string>> = {};
  readonly ids: Partial<Record<ResourceType, string[]>> = {};
  readonly children: Partial<Record<ResourceType, Record<string, string[]>>> = {};
  link(type: ResourceType, url: string): void {
    this.links[type] = url;
  }
  /** `id` of contained `type` was read under `parentId`. */
  child(type: ResourceType, parentId: string, id: string): void {
    ((this.children[type] ??= {})[parentId] ??= []).push(id);
  }
  state(): DeltaBase {
    return { links: { ...this.links }, ids: { ...this.ids }, children: { ...this.children } };
  }
}

/** The incremental side of a walk: which types are read as changes, and what changed. */
export class ChangeReader {
  private readonly changed = new Map<ResourceType, string[]>();
  /** The manifest's `chain` modes: every type and kind this run read (unread ones carry over). */
  readonly modes: { objects: Partial<Record<ResourceType, 'replace' | 'delta'>>; relations: Partial<Record<RelationKind, 'replace' | 'delta'>> } = { objects: {}, relations: {} };

  constructor(
    readonly base: DeltaBase,
    readonly sink: ChangeSink,
    readonly capture: DeltaCapture,
    /** The audit log's target ids since the parent (./audit-feed.ts); not ok: contained types read in full. */
    readonly audit: AuditTargets = { ok: false, reason: 'not read' },
  ) {}

  /** True when `type` is read from its stored deltaLink (mode `delta`). */
  covers(type: ResourceType): boolean {
    return !READ_IN_FULL.has(type) && this.base.links[type] !== undefined && this.base.ids[type] !== undefined;
  }

  setMode(what: 'objects', key: ResourceType, mode: 'replace' | 'delta'): void;
  setMode(what: 'relations', key: RelationKind, mode: 'replace' | 'delta'): void;
  setMode(what: 'objects' | 'relations', key: string, mode: 'replace' | 'delta'): void {
    (this.modes[what] as Record<string, 'replace' | 'delta'>)[key] = mode;
  }

  /** `from`'s edges of `kind` are replaced by the ones this run reads (`resets/<kind>`). */
  async reset(kind: RelationKind, from: string): Promise<void> {
    await this.sink.addChange('resets', kind, from, { from });
  }

  /** Ids of `type` whose objects this run wrote (their relations are read again). */
  changedIds(type: ResourceType): string[] | undefined {
    return this.changed.get(type);
  }

  /**
   * Reads `d`'s changes: removed ids recorded, changed objects re-read whole and emitted,
   * group member changes written as edges. Records the new deltaLink and id list.
   * @throws DeltaTokenGone on 410 | what the GraphClient throws
   */
  async read(opts: BatchedReads, d: ResourceDescriptor, select: string, emit: (raw: unknown) => Promise<void>): Promise<void> {
    const type = d.type;
    const all = new Set(this.base.ids[type]);
    const changed = new Set<string>();
    const removed = async (id: string, reason: string) => {
      all.delete(id);
      changed.delete(id);
      await this.sink.addChange('removed', type, id, { id, reason });
    };
    try {
      for await (const page of opts.graph.delta<Record<string, Json>>(this.base.links[type]!)) {
        for (const item of page.items) {
          if (!item || typeof item.id !== 'string') continue;
          const gone = item['@removed'];
          if (gone && typeof gone === 'object' && !Array.isArray(gone)) await removed(item.id, scalarText(gone.reason ?? 'deleted'));
          else changed.add(item.id);
          if (type === 'group') await this.memberChanges(item.id, item['members@delta']);
        }
        if (page.deltaLink) this.capture.link(type, page.deltaLink);
      }
    } catch (e) {
      if (isResyncRequired(e)) throw new DeltaTokenGone(type);
      throw e;
    }
    const ids = [...changed].sort();
    // an object deleted between the delta round and its re-read is gone: recorded as removed
    await forEachBatched(opts, ids, (id) => `${d.path}/${encodeURIComponent(id)}${select ? `?${select}` : ''}`, async (id, body, status) => {
      if (status === 404) await removed(id, 'deleted');
      else await emit(body);
    }, true);
    for (const id of changed) all.add(id);
    this.changed.set(type, [...changed].sort());
    this.capture.ids[type] = [...all].sort();
  }

  /** A group's `members@delta` (docs/graph-facts.md §5, [S69]): added edges, and removed ones as `unrelations/`. */
  private async memberChanges(groupId: string, delta: Json | undefined): Promise<void> {
    if (!Array.isArray(delta)) return;
    // a member added and removed within the window is listed twice in the emulator: the last one holds
    const last = new Map<string, { [key: string]: Json }>();
    for (const m of delta) {
      if (m && typeof m === 'object' && !Array.isArray(m) && typeof m.id === 'string') last.set(m.id, m);
    }
    for (const m of last.values()) {
      if (typeof m.id !== 'string') continue;
      const odataType = typeof m['@odata.type'] === 'string' ? m['@odata.type'] : undefined;
      const toType = (odataType && typeForODataType(odataType)) || 'user';
      const edge: Relation = { kind: 'groupMembers', from: groupId, to: m.id, toType };
      if (m['@removed'] !== undefined) {
        await this.sink.addChange('unrelations', 'groupMembers', `${groupId}\u0000${m.id}`, { ...edge });
      } else await this.sink.addRelation(edge);
    }
  }
}
