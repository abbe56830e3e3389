/**
 * The optional state file: every tenant's data, bins, relation edges and bookkeeping
 * as JSON, loaded at start and rewritten (temp file + rename, so a crash leaves the old
 * or the new file, never half of one) after mutating requests.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RelationKind, ResourceType } from '../catalog/types.js';
import type { DirObject } from '../model.js';
import type { LabCredential } from './seed/types.js';
import { type ChangeEntry, type MemberChange, type OnPremSource, TenantStore } from './store.js';

interface TenantFile {
  tenantId: string;
  initialDomain: string;
  credentials: LabCredential[];
  onPremisesIds: string[];
  live: Record<string, DirObject[]>;
  bin: Record<string, DirObject[]>;
  relations: Record<string, Array<[string, string]>>;
  parentOf: Array<[string, string]>;
  onPremSource: Array<[string, OnPremSource]>;
  seq: number;
  changes: Array<[string, ChangeEntry]>;
  memberChanges: Array<[string, MemberChange[]]>;
}

export interface StateFile {
  version: 1;
  /** Token signing key (hex), so issued tokens survive a restart. */
  key: string;
  tenants: TenantFile[];
}

function dump(s: TenantStore): TenantFile {
  const live: Record<string, DirObject[]> = {};
  for (const [t, m] of s.live) live[t] = [...m.values()];
  const bin: Record<string, DirObject[]> = {};
  for (const [t, m] of s.bin) bin[t] = [...m.values()];
  const relations: Record<string, Array<[string, string]>> = {};
  for (const [k, e] of s.rel) {
    const l: Array<[string, string]> = [];
    for (const [from, tos] of e.fwd) for (const to of tos) l.push([from, to]);
    relations[k] = l;
  }
  return {
    tenantId: s.tenantId,
    initialDomain: s.initialDomain,
    credentials: s.credentials,
    onPremisesIds: s.onPremisesIds,
    live,
    bin,
    relations,
    parentOf: [...s.parentOf],
    onPremSource: [...s.onPremSource],
    seq: s.seq,
    changes: [...s.changes],
    memberChanges: [...s.memberChanges],
  };
}

function load(f: TenantFile): TenantStore {
  const s = new TenantStore(f);
  for (const [t, list] of Object.entries(f.live)) for (const o of list) s.insert(t as ResourceType, o);
  for (const [t, list] of Object.entries(f.bin)) {
    for (const o of list) {
      s.binMap(t as ResourceType).set(o.id, o);
      s.typeOf.set(o.id, t as ResourceType);
    }
  }
  for (const [k, l] of Object.entries(f.relations)) for (const [a, b] of l) s.edges(k as RelationKind).add(a, b);
  for (const [a, b] of f.parentOf) s.parentOf.set(a, b);
  for (const [a, b] of f.onPremSource) s.onPremSource.set(a, b);
  s.seq = f.seq;
  for (const [a, b] of f.changes) s.changes.set(a, b);
  for (const [a, b] of f.memberChanges) s.memberChanges.set(a, b);
  return s;
}

/** Reads a state file; undefined when it does not exist. */
export async function readStateFile(path: string): Promise<{ key: Buffer; stores: TenantStore[] } | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const parsed = JSON.parse(text) as StateFile;
  if (parsed.version !== 1) throw new Error(`emulator state file ${path}: unsupported version`);
  return { key: Buffer.from(parsed.key, 'hex'), stores: parsed.tenants.map(load) };
}

/** Serialises every tenant; written with mode 0600 (it holds lab secrets). */
export async function writeStateFile(path: string, key: Buffer, stores: TenantStore[]): Promise<void> {
  const data: StateFile = { version: 1, key: key.toString('hex'), tenants: stores.map(dump) };
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(data), { mode: 0o600 });
  await rename(tmp, path);
}
