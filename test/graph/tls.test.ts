/**
 * The profile's `caFile` (docs/design.md "Interfaces"): a missing file or one without a
 * certificate is an operator error naming the field; a certificate or device-code profile on
 * a plain-http emulator says to start it with --tls (@azure/identity refuses http authorities).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialForProfile } from '../../src/graph/auth.js';
import { trustFor } from '../../src/graph/tls.js';
import type { ConnectionProfile } from '../../src/profile.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ev-graph-tls-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('caFile', () => {
  it('is optional: no caFile, no extra trust', async () => {
    expect(await trustFor({})).toBeUndefined();
  });

  it('a missing file is FILE_NOT_FOUND, a file without a certificate PROFILE_INVALID', async () => {
    await expect(trustFor({ caFile: join(dir, 'nope.pem') })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    await writeFile(join(dir, 'empty.pem'), 'not a certificate\n');
    await expect(trustFor({ caFile: join(dir, 'empty.pem') })).rejects.toMatchObject({ code: 'PROFILE_INVALID', message: expect.stringContaining('holds no PEM certificate') });
  });
});

describe('certificate and device-code profiles on a plain-http emulator', () => {
  const base: ConnectionProfile = { tenantId: 't', authorityHost: 'http://127.0.0.1:1', graphBaseUrl: 'http://127.0.0.1:1/v1.0', clientId: 'c', emulator: true, auth: { kind: 'deviceCode' } };
  it('are refused with a hint to start the emulator with --tls', () => {
    for (const auth of [{ kind: 'deviceCode' as const }, { kind: 'certificate' as const, certificatePath: 'x.pem' }]) {
      let err: unknown;
      try {
        credentialForProfile({ ...base, auth });
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ code: 'PROFILE_INVALID', hint: expect.stringContaining('--tls') });
    }
  });
});
