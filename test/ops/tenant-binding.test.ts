/**
 * Issue 13 item 7 / issue 12 item 2: an archive of tenant B is never restored into tenant A
 * except by a tenant-loss restore (the lost tenant rebuilt in a new one), and an archive filed
 * under another tenant's vault directory is refused by every command that reads it.
 */
import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VaultError } from '../../src/errors.js';
import { checkTenantBinding } from '../../src/ops/restore.js';
import { openArchiveForUse } from '../../src/ops/open-archive.js';
import { initVault, importArchive } from '../../src/vault/vault.js';
import { cli } from '../cli/io.js';
import { keys, sampleUsers, writeSample } from '../archive/helpers.js';

const A = '11111111-1111-1111-1111-111111111111';
const B = '22222222-2222-2222-2222-222222222222';

describe('tenant binding', () => {
  it('only tenant-loss restores into another tenant; every other scenario refuses with WRONG_TENANT naming both', () => {
    expect(() => checkTenantBinding('tenant-loss', B, A)).not.toThrow();
    for (const s of ['all-admins-deleted', 'objects', 'attributes'] as const) {
      expect(() => checkTenantBinding(s, A, A.toUpperCase())).not.toThrow();
      let err: unknown;
      try {
        checkTenantBinding(s, B, A);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(VaultError);
      expect((err as VaultError).code).toBe('WRONG_TENANT');
      expect((err as VaultError).message).toContain(A);
      expect((err as VaultError).message).toContain(B);
    }
  });

  it('an archive of tenant B filed under tenant A in a vault is refused by verify and by openArchiveForUse', async () => {
    const k = await keys(true);
    const dir = await mkdtemp(join(tmpdir(), 'ev-binding-'));
    const staging = join(dir, 'staging');
    const b = await writeSample(k, { outDir: staging, tenantId: B, users: sampleUsers(5) });
    const v = join(dir, 'vault');
    await initVault(v, { signerPublicKey: k.signingPublicKeyPath });
    const imported = await importArchive(v, b.archivePath);
    expect(basename(dirname(imported.archivePath))).toBe(B);
    // the same signed archive, moved into tenant A's directory
    const misplaced = join(v, A, basename(imported.archivePath));
    await mkdir(join(v, A), { recursive: true });
    await copyFile(imported.archivePath, misplaced);
    await copyFile(`${imported.archivePath}.minisig`, `${misplaced}.minisig`);
    const verify = await cli(['verify', misplaced]);
    expect(verify.code).not.toBe(0);
    expect(verify.err).toContain('[WRONG_TENANT]');
    await expect(openArchiveForUse({ archivePath: misplaced, identityPath: k.identityPath, via: 'cli' })).rejects.toMatchObject({ code: 'WRONG_TENANT' });
    // and where it belongs it opens
    const ok = await openArchiveForUse({ archivePath: imported.archivePath, identityPath: k.identityPath, via: 'cli' });
    expect(ok.meta.tenantId).toBe(B);
  });
});
