/**
 * Builders for hostile archives: correctly encrypted and signed with a TEST key (a
 * compromised collector), but with tar/manifest contents a reader must refuse.
 * Used by tests and scripts/gen-vectors.ts.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { canonicalJson } from '../../src/json.js';
import { formatTrustedComment, type Manifest } from '../../src/archive/manifest.js';
import { sealRawArchive } from '../../src/archive/writer.js';
import { signPrehashed, type MinisignSecretKey } from '../../src/crypto/minisign.js';

export interface RawEntry {
  name: string;
  data?: Buffer;
  /** typeflag: '0' file, '1' hardlink, '2' symlink, '5' dir, 'x' pax … */
  type?: string;
  linkname?: string;
  /** Header size field override (bomb: claims a huge size, no data follows). */
  claimedSize?: number;
}

export function ustarHeader(e: { name: string; size: number; type: string; linkname?: string }): Buffer {
  const b = Buffer.alloc(512);
  const put = (s: string, off: number, len: number) => Buffer.from(s, 'utf8').copy(b, off, 0, len);
  const oct = (n: number, len: number) => n.toString(8).padStart(len - 1, '0') + '\0';
  put(e.name, 0, 100);
  put(oct(0o644, 8), 100, 8);
  put(oct(0, 8), 108, 8);
  put(oct(0, 8), 116, 8);
  put(oct(e.size, 12), 124, 12);
  put(oct(0, 12), 136, 12);
  b.fill(0x20, 148, 156);
  b[156] = e.type.charCodeAt(0);
  put(e.linkname ?? '', 157, 100);
  put('ustar\u0000', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const x of b) sum += x;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  return b;
}

export function rawTar(entries: RawEntry[], opts: { endMarker?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = e.data ?? Buffer.alloc(0);
    parts.push(ustarHeader({ name: e.name, size: e.claimedSize ?? data.length, type: e.type ?? '0', linkname: e.linkname }));
    if (e.claimedSize === undefined) {
      parts.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
    }
  }
  if (opts.endMarker !== false) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export const TEST_TENANT = '11111111-2222-3333-4444-555555555555';
export const TEST_TAKEN_AT = '2026-01-26T11:15:00.000Z';

/** The manifest 0.1.0 wrote: the current one with its Graph delta links. */
type LegacyManifest = Manifest & { deltaLinks: Record<string, string> };

/**
 * A manifest as 0.1.0 wrote it: with `deltaLinks`, which readers accept and ignore
 * (docs/archive-format.md, the manifest's fields), so every hostile archive also checks that
 * an earlier writer's manifest still opens.
 */
export function manifestFor(listed: { path: string; data: Buffer }[], over: Partial<LegacyManifest> = {}): LegacyManifest {
  return {
    format: 'entra-vault-archive',
    version: 1,
    tenantId: TEST_TENANT,
    initialDomain: 'contoso.onmicrosoft.com',
    takenAt: TEST_TAKEN_AT,
    sequence: 1769426100000,
    toolVersion: 'test',
    catalogHash: 'test',
    counts: { objects: {}, relations: {} },
    entries: listed
      .map((l) => ({ path: l.path, size: l.data.length, sha256: createHash('sha256').update(l.data).digest('hex') }))
      .sort((a, b) => (a.path < b.path ? -1 : 1)),
    warnings: [],
    deltaLinks: {},
    ...over,
  };
}

/**
 * Seal `entries` behind a valid signed manifest listing `listed`.
 * manifestBytesOverride lets a vector carry a manifest that is not canonical/valid.
 */
export async function sealHostile(
  path: string,
  sk: MinisignSecretKey,
  recipient: string,
  o: { listed: { path: string; data: Buffer }[]; entries: RawEntry[]; manifest?: Manifest | Buffer; manifestSigKey?: MinisignSecretKey; endMarker?: boolean; tamperManifestAfterSign?: boolean },
): Promise<void> {
  const m = o.manifest ?? manifestFor(o.listed);
  const mBytes = Buffer.isBuffer(m) ? m : Buffer.from(canonicalJson(m));
  const sha = createHash('sha256').update(mBytes).digest('hex');
  const meta = Buffer.isBuffer(m) ? { tenantId: TEST_TENANT, takenAt: TEST_TAKEN_AT, sequence: 1769426100000 } : m;
  const tc = formatTrustedComment({ tenantId: meta.tenantId, takenAt: meta.takenAt, sequence: meta.sequence, manifestSha256: sha });
  const mSig = Buffer.from(signPrehashed(o.manifestSigKey ?? sk, createHash('blake2b512').update(mBytes).digest(), tc));
  let shipped = mBytes;
  if (o.tamperManifestAfterSign) {
    shipped = Buffer.from(mBytes);
    shipped[shipped.length - 3] = shipped[shipped.length - 3]! ^ 1;
  }
  const tar = rawTar([{ name: 'manifest.json', data: shipped }, { name: 'manifest.sig', data: mSig }, ...o.entries], { endMarker: o.endMarker });
  await sealRawArchive(gzipSync(tar), path, { recipients: [recipient], signingKey: sk, trustedComment: tc });
}
