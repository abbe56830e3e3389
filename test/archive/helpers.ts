import { isVaultError } from '../../src/errors.js';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initKeys, type InitKeysResult } from '../../src/crypto/keys.js';
import { loadSigningKey } from '../../src/crypto/keys.js';
import { createArchiveWriter, type FinishedArchive } from '../../src/archive/writer.js';
import type { DirObject, Relation } from '../../src/model.js';

export function tmp(prefix = 'ev-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function keys(x25519 = true): Promise<InitKeysResult> {
  return initKeys(join(tmp('ev-keys-'), 'k'), { x25519 });
}

export function sampleUsers(n: number): DirObject[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `0000${i.toString(16).padStart(4, '0')}-aaaa-bbbb-cccc-${String(i).padStart(12, '0')}`,
    displayName: `User ${i} $(rm -rf /); \`x\``,
    userPrincipalName: `user${i}@contoso.onmicrosoft.com`,
    accountEnabled: i % 3 !== 0,
    otherMails: [`u${i}@example.org`],
  }));
}

export interface WriteOpts {
  outDir: string;
  tenantId?: string;
  takenAt?: Date;
  sequence?: number;
  users?: DirObject[];
  relations?: Relation[];
  spoolParent?: string;
}

export async function writeSample(k: InitKeysResult, o: WriteOpts): Promise<FinishedArchive> {
  const w = await createArchiveWriter({
    outDir: o.outDir,
    tenantId: o.tenantId ?? '11111111-2222-3333-4444-555555555555',
    initialDomain: 'contoso.onmicrosoft.com',
    takenAt: o.takenAt ?? new Date('2026-01-26T11:15:00.000Z'),
    recipients: [k.recipient],
    signingKey: await loadSigningKey(k.signingKeyPath),
    toolVersion: '0.1.0-test',
    catalogHash: 'sha256:test',
    sequence: o.sequence,
    spoolParent: o.spoolParent,
  });
  const users = o.users ?? sampleUsers(20);
  // deliberately reversed: the writer must sort
  for (const u of [...users].reverse()) await w.addObject('user', u);
  await w.addObject('group', { id: 'g1', displayName: 'Admins', securityEnabled: true });
  for (const r of o.relations ?? [
    { kind: 'groupMembers', from: 'g1', to: users[1]!.id, toType: 'user' },
    { kind: 'groupMembers', from: 'g1', to: users[0]!.id, toType: 'user' },
  ] satisfies Relation[]) {
    await w.addRelation(r);
  }
  w.addWarning({ code: 'PERMISSION_MISSING', type: 'roleEligibilitySchedule', message: 'no RoleEligibilitySchedule.Read.Directory', permission: 'RoleEligibilitySchedule.Read.Directory' });
  return w.finish();
}

/** Every file under dir (relative), with sizes — to prove nothing else was written. */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const st = statSync(p);
      if (st.isDirectory()) walk(p, `${rel}${n}/`);
      else out.push(`${rel}${n}:${st.size}`);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** The VaultError code a promise rejects with, or 'OK' (other errors are rethrown). */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    if (isVaultError(e)) return e.code;
    throw e;
  }
}
