/**
 * Issue 16: `entra-vault credentials show|export` read a restore's credentials file with the
 * operator identity, including the default post-quantum one that Debian's age 1.1.1 cannot
 * read. Passwords reach a terminal or a new 0600 file, never a pipe, a log or an old file.
 */
import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initKeys } from '../../src/crypto/index.js';
import { createEncryptedCredentialsFile } from '../../src/restore/credentials.js';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from './io.js';

const PASSWORDS = [
  { userPrincipalName: 'ada@contoso.example', temporaryPassword: 'Tq9#x,"quoted"-pass' },
  { userPrincipalName: 'bob@contoso.example', temporaryPassword: 'Zr7!plain-pass' },
];

async function fixture() {
  const dir = await mkdtemp(join(tmpdir(), 'ev-creds-'));
  const keys = await initKeys(join(dir, 'keys'));
  const recipient = (await readFile(keys.recipientPath, 'utf8')).trim();
  expect(recipient.startsWith('age1pq1') || recipient.startsWith('age1')).toBe(true);
  const sink = await createEncryptedCredentialsFile(join(dir, 'restore-credentials.age'), recipient);
  for (const c of PASSWORDS) await sink.add(c);
  await sink.close();
  return { dir, file: sink.path, identity: keys.identityPath };
}

describe('credentials show|export', () => {
  it('export writes a new 0600 CSV, refuses to overwrite, and prints no password', async () => {
    const f = await fixture();
    const out = join(f.dir, 'handout.csv');
    const t = memoryIo();
    expect(await runCli(['credentials', 'export', f.file, '--identity', f.identity, '--out', out], t.io)).toBe(0);
    const csv = await readFile(out, 'utf8');
    expect(csv).toBe('userPrincipalName,temporaryPassword\nada@contoso.example,"Tq9#x,""quoted""-pass"\nbob@contoso.example,Zr7!plain-pass\n');
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    for (const c of PASSWORDS) expect(t.out() + t.err()).not.toContain(c.temporaryPassword);
    const again = memoryIo();
    expect(await runCli(['credentials', 'export', f.file, '--identity', f.identity, '--out', out], again.io)).toBe(5);
    expect(again.err()).toMatch(/\[FILE_EXISTS\]/);
    expect(await readFile(out, 'utf8')).toBe(csv);
    expect((await readdir(f.dir)).filter((n) => n.includes('.tmp'))).toEqual([]);
  });

  it('show prints to a terminal only; to a pipe it refuses and names export', async () => {
    const f = await fixture();
    const piped = memoryIo();
    expect(await runCli(['credentials', 'show', f.file, '--identity', f.identity], piped.io)).toBe(2);
    expect(piped.err()).toMatch(/\[NO_TERMINAL\].*credentials export/);
    expect(piped.out()).toBe('');
    const tty = memoryIo();
    Object.assign(tty.io.stdout, { isTTY: true });
    expect(await runCli(['credentials', 'show', f.file, '--identity', f.identity], tty.io)).toBe(0);
    for (const c of PASSWORDS) expect(tty.out().split('\n').some((l) => l.startsWith(c.userPrincipalName) && l.trimEnd().endsWith(`  ${c.temporaryPassword}`))).toBe(true);
  });

  it('a wrong identity is a one-line error, not a stack trace', async () => {
    const f = await fixture();
    const other = await initKeys(join(f.dir, 'other'));
    const t = memoryIo();
    const code = await runCli(['credentials', 'export', f.file, '--identity', other.identityPath, '--out', join(f.dir, 'x.csv')], t.io);
    expect(code).not.toBe(0);
    expect(code).not.toBe(70);
    expect(t.err().trim().split('\n')).toHaveLength(1);
    expect(t.err()).not.toMatch(/\n\s+at /);
  });
});
