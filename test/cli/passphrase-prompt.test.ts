/**
 * Issue 16: `--passphrase-prompt`, wherever `--passphrase-env` is accepted. The passphrase is
 * typed on the terminal with echo off and never printed; without a terminal on stdin the
 * command refuses (NO_TERMINAL, naming --passphrase-env) before it reads or writes anything.
 * The refusal runs the built CLI with stdin a pipe; the prompt itself runs in a real terminal
 * through tmux (test/tui/pty.ts). Build dist/ first: `npx tsc -p tsconfig.json`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { registerCommands } from '../../src/cli/commands/index.js';
import { encryptAgeBytes, loadIdentity } from '../../src/crypto/age.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { spawnPty } from '../tui/pty.js';
import { cli } from './io.js';
import { BIN, spawnCli } from './spawned.js';

const PASSPHRASE = 'correct-horse-3am-staple';

describe('--passphrase-prompt (issue 16)', () => {
  let emu: EmulatorHandle;
  let dir: string;
  let archive: string;
  const source = seedTenant({ seed: 18, users: 10 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ev-prompt-'));
    emu = await startEmulator({ port: 0, tenants: [source] });
    await emu.writeProfiles(source.tenantId, { readerPath: join(dir, 'reader.json'), writerPath: join(dir, 'writer.json') });
    const keys = join(dir, 'keys');
    expect((await cli(['keys', 'init', '--dir', keys, '--x25519'])).code).toBe(0);
    const b = await cli(['backup', '--source', join(dir, 'reader.json'), '--vault', join(dir, 'vault'), '--init',
      '--recipient', join(keys, 'recipient.txt'), '--signing-key', join(keys, 'signing.key'), '--json']);
    expect(b.code, b.err).toBe(0);
    archive = (JSON.parse(b.out) as { archivePath: string }).archivePath;
    // the same identity, passphrase-protected as `keys init --passphrase-*` writes it, at a
    // low scrypt work factor so the test costs no seconds of key derivation
    const plain = await readFile(join(keys, 'identity.txt'));
    await writeFile(join(dir, 'identity-protected.age'), await encryptAgeBytes(plain, { passphrase: PASSPHRASE, workFactor: 10 }), { mode: 0o600 });
    expect(await loadIdentity(join(dir, 'identity-protected.age'), PASSPHRASE)).toHaveLength(1);
  });
  afterAll(async () => {
    await emu?.close();
  });

  it('every command that takes --passphrase-env also takes --passphrase-prompt', () => {
    const program = new Command('entra-vault');
    registerCommands(program, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: {}, cwd: dir }, () => undefined);
    const withEnv: string[] = [];
    const walk = (c: Command, path: string[]): void => {
      const longs = c.options.map((o) => o.long);
      if (longs.includes('--passphrase-env')) {
        withEnv.push(path.join(' '));
        expect(longs, path.join(' ')).toContain('--passphrase-prompt');
      }
      for (const sub of c.commands) walk(sub, [...path, sub.name()]);
    };
    walk(program, []);
    expect(withEnv).toEqual(expect.arrayContaining(['keys init', 'backup', 'verify', 'vault verify', 'restore', 'plan', 'diff', 'runbook', 'credentials show', 'credentials export']));
  });

  it('without a terminal on stdin: NO_TERMINAL naming --passphrase-env, exit 2, nothing created', async () => {
    const cases: string[][] = [
      ['keys', 'init', '--dir', join(dir, 'new-keys'), '--passphrase-prompt'],
      ['verify', archive, '--identity', join(dir, 'identity-protected.age'), '--passphrase-prompt'],
      ['backup', '--source', join(dir, 'reader.json'), '--vault', join(dir, 'vault'), '--recipient', join(dir, 'keys', 'recipient.txt'),
        '--signing-key', join(dir, 'keys', 'signing.key'), '--passphrase-prompt'],
    ];
    for (const args of cases) {
      const run = spawnCli(args);
      const code = await run.exit;
      expect(code, `${args[0]}: ${run.err()}`).toBe(2);
      const lines = run.err().trimEnd().split('\n');
      expect(lines, run.err()).toHaveLength(1);
      expect(lines[0]).toMatch(/^entra-vault: error \[NO_TERMINAL\]: --passphrase-prompt needs a terminal on stdin.*--passphrase-env NAME/);
      expect(run.out()).toBe('');
    }
    expect(existsSync(join(dir, 'new-keys'))).toBe(false);
    const list = await cli(['vault', 'list', '--vault', join(dir, 'vault'), '--json']);
    expect(JSON.parse(list.out)).toHaveLength(1);
    // the two ways are alternatives
    const both = await cli(['verify', archive, '--identity', join(dir, 'identity-protected.age'), '--passphrase-prompt', '--passphrase-env', 'X']);
    expect(both.code).toBe(2);
    expect(both.err).toContain('[USAGE]');
  });

  it('on a terminal: the passphrase is read with echo off, opens the identity, and never shows', { tags: ['slow'] }, async () => {
    const ok = await spawnPty({ command: [process.execPath, BIN, 'verify', archive, '--identity', join(dir, 'identity-protected.age'), '--passphrase-prompt'], env: { NO_COLOR: '1' } });
    try {
      await ok.waitFor(`passphrase for ${join(dir, 'identity-protected.age')}:`, 60_000);
      await ok.type(PASSPHRASE.slice(0, 8));
      await ok.type('x');
      await ok.keys('BSpace');
      await ok.type(PASSPHRASE.slice(8));
      const typed = await ok.screen();
      expect(typed).not.toContain(PASSPHRASE.slice(0, 4));
      expect(typed).not.toContain('*');
      await ok.keys('Enter');
      expect(await ok.exitCode(120_000)).toBe(0);
      expect(await ok.screen()).not.toContain(PASSPHRASE.slice(0, 4));
    } finally {
      await ok.close();
    }

    const wrong = await spawnPty({ command: [process.execPath, BIN, 'verify', archive, '--identity', join(dir, 'identity-protected.age'), '--passphrase-prompt'], env: { NO_COLOR: '1' } });
    try {
      await wrong.waitFor('passphrase for', 60_000);
      await wrong.type('not-the-passphrase');
      await wrong.keys('Enter');
      expect(await wrong.exitCode(120_000)).toBe(3);
    } finally {
      await wrong.close();
    }

    // keys init asks twice; two different entries are refused before any key is written
    const newKeys = join(dir, 'typo-keys');
    const twice = await spawnPty({ command: [process.execPath, BIN, 'keys', 'init', '--dir', newKeys, '--x25519', '--passphrase-prompt'], env: { NO_COLOR: '1' } });
    try {
      await twice.waitFor('passphrase for the new keys:', 60_000);
      await twice.type(PASSPHRASE);
      await twice.keys('Enter');
      await twice.waitFor('the same passphrase again:', 60_000);
      await twice.type(`${PASSPHRASE}!`);
      await twice.keys('Enter');
      expect(await twice.exitCode(120_000)).toBe(2);
      expect(await twice.screen()).not.toContain(PASSPHRASE.slice(0, 4));
    } finally {
      await twice.close();
    }
    expect(existsSync(join(newKeys, 'identity.txt'))).toBe(false);

    // Ctrl-C at the prompt is the operator's stop: exit 130
    const stop = await spawnPty({ command: [process.execPath, BIN, 'verify', archive, '--identity', join(dir, 'identity-protected.age'), '--passphrase-prompt'], env: { NO_COLOR: '1' } });
    try {
      await stop.waitFor('passphrase for', 60_000);
      await stop.type('abc');
      await stop.keys('C-c');
      expect(await stop.exitCode(120_000)).toBe(130);
    } finally {
      await stop.close();
    }
  });
});
