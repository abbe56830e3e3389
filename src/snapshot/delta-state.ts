/**
 * Delta state: what the next incremental backup needs from the run that wrote an archive —
 * each delta type's `@odata.deltaLink` and the type's ids — kept in the vault beside that
 * archive as `<archive>.evault.state` (docs/archive-format.md §12.4).
 *
 * Not in the archive: the collector cannot read archives (it holds recipients only), and
 * tokens must not be signed into a record kept for years. Delta tokens are not credentials
 * (a token is useless without an access token to the tenant), but the links and ids are tenant
 * data: the file is sealed with AES-256-GCM under a key derived (HKDF-SHA256) from the
 * collector's signing key, which only the collector holds, with the archive's manifest hash as
 * associated data — so a state file moved next to another archive does not open.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ResourceType } from '../catalog/types.js';
import type { MinisignSecretKey } from '../crypto/index.js';
import { writeFileAtomic } from '../fs/atomic.js';
import type { DeltaBase } from './delta-read.js';

export const DELTA_STATE_SUFFIX = '.state';
const FORMAT = 'entra-vault-delta-state';

/** The decrypted state of one archive. */
export interface DeltaState extends DeltaBase {
  tenantId: string;
  manifestSha256: string;
  /** The archive's takenAt: the tokens were issued then (they expire 7 days later). */
  takenAt: string;
  /** The archive's chain index: 0 for a full archive. */
  chainIndex: number;
}

const fileSchema = z.strictObject({
  format: z.literal(FORMAT),
  version: z.literal(1),
  tenantId: z.string(),
  manifestSha256: z.string().regex(/^[0-9a-f]{64}$/),
  nonce: z.string(),
  sealed: z.string(),
});

const plainSchema = z.strictObject({
  takenAt: z.string(),
  chainIndex: z.number().int().nonnegative(),
  links: z.record(z.string(), z.string()),
  ids: z.record(z.string(), z.array(z.string())),
  children: z.record(z.string(), z.record(z.string(), z.array(z.string()))).optional(),
});

function keyFor(signingKey: MinisignSecretKey, tenantId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', signingKey.seed, Buffer.from(tenantId), Buffer.from('entra-vault delta state v1'), 32));
}

/** Seals and writes the state beside `archivePath` (temp, fsync, rename). Never writes a token in clear. */
export async function writeDeltaState(archivePath: string, state: DeltaState, signingKey: MinisignSecretKey): Promise<void> {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', keyFor(signingKey, state.tenantId), nonce);
  c.setAAD(Buffer.from(state.manifestSha256));
  const plain = JSON.stringify({ takenAt: state.takenAt, chainIndex: state.chainIndex, links: state.links, ids: state.ids, ...(state.children ? { children: state.children } : {}) });
  const sealed = Buffer.concat([c.update(plain, 'utf8'), c.final(), c.getAuthTag()]);
  const file = { format: FORMAT, version: 1, tenantId: state.tenantId, manifestSha256: state.manifestSha256, nonce: nonce.toString('base64'), sealed: sealed.toString('base64') };
  await writeFileAtomic(`${archivePath}${DELTA_STATE_SUFFIX}`, JSON.stringify(file), 0o600, true);
}

/**
 * The state beside `archivePath`, or why it cannot be used (missing, another archive's,
 * sealed with another signing key, malformed): the caller then takes a full backup.
 */
export async function readDeltaState(
  archivePath: string,
  expect: { tenantId: string; manifestSha256: string },
  signingKey: MinisignSecretKey,
): Promise<{ ok: true; state: DeltaState } | { ok: false; reason: string }> {
  let text: string;
  try {
    text = await readFile(`${archivePath}${DELTA_STATE_SUFFIX}`, 'utf8');
  } catch {
    return { ok: false, reason: 'the newest archive has no delta state (taken by an older release, or its run was stopped before writing it)' };
  }
  try {
    const f = fileSchema.parse(JSON.parse(text));
    if (f.tenantId !== expect.tenantId || f.manifestSha256 !== expect.manifestSha256) return { ok: false, reason: 'the delta state belongs to another archive' };
    const d = createDecipheriv('aes-256-gcm', keyFor(signingKey, f.tenantId), Buffer.from(f.nonce, 'base64'));
    d.setAAD(Buffer.from(f.manifestSha256));
    const sealed = Buffer.from(f.sealed, 'base64');
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    const plain = Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]).toString('utf8');
    const p = plainSchema.parse(JSON.parse(plain));
    return {
      ok: true,
      state: { tenantId: f.tenantId, manifestSha256: f.manifestSha256, takenAt: p.takenAt, chainIndex: p.chainIndex, links: p.links as Partial<Record<ResourceType, string>>, ids: p.ids as Partial<Record<ResourceType, string[]>>, ...(p.children ? { children: p.children as NonNullable<DeltaState['children']> } : {}) },
    };
  } catch {
    return { ok: false, reason: 'the delta state does not open with this signing key (another collector, or damaged)' };
  }
}
