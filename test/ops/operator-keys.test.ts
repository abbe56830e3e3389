import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initKeys } from '../../src/crypto/index.js';
import { operatorKeys } from '../../src/ops/restore.js';

describe('operatorKeys (src/ops/restore.ts)', () => {
  it('a dry run reads no identity; a write (fresh or resumed) gets the identity, which tags the stored plan, and its recipient; --operator-recipient wins for credentials', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ev-opkeys-'));
    const keys = await initKeys(join(dir, 'k'), { x25519: true });
    const recipient = (await readFile(keys.recipientPath, 'utf8')).trim();
    // a path that does not exist: a dry run must not touch it
    expect(await operatorKeys({ identityPath: join(dir, 'missing.txt'), dryRun: true })).toEqual({});
    const k = await operatorKeys({ identityPath: keys.identityPath, dryRun: false });
    expect(k.credentialsRecipient).toBe(recipient);
    expect(k.operatorIdentity).toMatch(/^AGE-SECRET-KEY-/);
    const other = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
    const withOther = await operatorKeys({ identityPath: keys.identityPath, recipient: other, dryRun: false });
    expect(withOther.credentialsRecipient).toBe(other);
    expect(withOther.operatorIdentity).toMatch(/^AGE-SECRET-KEY-/);
    // a write needs the identity even with another recipient: the stored plan is tagged with it
    await expect(operatorKeys({ identityPath: join(dir, 'missing.txt'), recipient: other, dryRun: false })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
