import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePublicKey, generateSigningKey, type MinisignSecretKey } from '../../src/crypto/minisign.js';
import { initVault } from '../../src/vault/vault.js';
import type { EvidenceInput } from '../../src/report/evidence.js';

export const HOSTILE = 'Ops $(touch PWNED) `touch PWNED2`; rm -rf / <b>x</b> | *y* [z](u) \n# h';

export async function tempVault(): Promise<{ root: string; vault: string; key: MinisignSecretKey; pub: string }> {
  const root = mkdtempSync(join(tmpdir(), 'ev-appliance-'));
  const key = generateSigningKey();
  const pub = encodePublicKey(key);
  const vault = join(root, 'vault');
  await initVault(vault, { signerPublicKey: pub });
  return { root, vault, key, pub };
}

export function evidenceInput(over: Partial<EvidenceInput> = {}): EvidenceInput {
  return {
    kind: 'drill',
    scenario: 'tenant-loss',
    who: 'alice',
    startedAt: '2026-01-02T10:00:00.000Z',
    finishedAt: '2026-01-02T10:05:00.000Z',
    archive: {
      path: '/vault/t1/20260102T090000000Z.evault',
      sha256: 'a'.repeat(64),
      manifestSha256: 'b'.repeat(64),
      signatureKeyId: '0123456789ABCDEF',
      tenantId: 't1',
      takenAt: '2026-01-02T09:00:00.000Z',
    },
    target: { tenantId: 't2', initialDomain: 'new.onmicrosoft.com' },
    toolVersion: '0.1.0',
    scripts: [{ path: 'recovery-scripts/90-drill.sh', sha256: 'c'.repeat(64) }],
    rtoMs: 300_000,
    tiers: [
      { tier: 2, ms: 200_000, operations: 10, succeeded: 10, failed: 0 },
      { tier: 0, ms: 1_000, operations: 1, succeeded: 1, failed: 0 },
    ],
    fidelity: {
      types: [{ type: 'user', objectsExpected: 5, objectsRestored: 5, attributesExpected: 50, attributesMatching: 50 }],
      relations: [{ kind: 'groupMembers', expected: 3, restored: 3 }],
      totals: { objectsExpected: 5, objectsRestored: 5, attributesExpected: 50, attributesMatching: 50, relationsExpected: 3, relationsRestored: 3 },
    },
    deviations: [],
    manualSteps: [{ id: 'm1', kind: 'password', title: 'Hand out temporary passwords', instructions: 'Deliver from restore-credentials.age.', objects: ['u1'] }],
    result: 'pass',
    drill: { users: 50, seed: 1 },
    ...over,
  };
}
