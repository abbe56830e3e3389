/**
 * Issue 16: global --quiet and --verbose, one filter in src/cli/reporters.ts. A quiet backup
 * prints its result and nothing else (errors still print); a verbose one adds every Graph
 * request, method, path and status, and still no secret. Spawns the built CLI (dist/: run
 * `npx tsc -p tsconfig.json` first) against the emulator.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { registerCommands } from '../../src/cli/commands/index.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { cli } from './io.js';
import { spawnCli } from './spawned.js';

describe('--quiet and --verbose (issue 16)', () => {
  let emu: EmulatorHandle;
  let dir: string;
  let backupArgs: string[];
  const source = seedTenant({ seed: 17, users: 25 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ev-verbosity-'));
    emu = await startEmulator({ port: 0, tenants: [source] });
    await emu.writeProfiles(source.tenantId, { readerPath: join(dir, 'reader.json'), writerPath: join(dir, 'writer.json') });
    expect((await cli(['keys', 'init', '--dir', join(dir, 'keys'), '--x25519'])).code).toBe(0);
    backupArgs = ['backup', '--source', join(dir, 'reader.json'), '--vault', join(dir, 'vault'), '--init',
      '--recipient', join(dir, 'keys', 'recipient.txt'), '--signing-key', join(dir, 'keys', 'signing.key')];
  });
  afterAll(async () => {
    await emu?.close();
  });

  const run = async (args: string[]) => {
    const r = spawnCli(args);
    const code = await r.exit;
    return { code, out: r.out(), err: r.err() };
  };

  it('a normal backup prints progress on stderr; --quiet only the result lines on stdout', async () => {
    const normal = await run(backupArgs);
    expect(normal.code, normal.err).toBe(0);
    expect(normal.err).toContain('== backup: reading objects');
    expect(normal.err).not.toMatch(/graph GET /);

    // global options go before or after the command name
    for (const args of [[...backupArgs, '--quiet'], ['-q', ...backupArgs]]) {
      const quiet = await run(args);
      expect(quiet.code, quiet.err).toBe(0);
      expect(quiet.err).toBe('');
      const lines = quiet.out.trimEnd().split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^archive .*\.evault$/);
      expect(lines[1]).toMatch(/^signature .*\.minisig$/);
      expect(lines[2]).toMatch(new RegExp(`^tenant ${source.tenantId} `));
    }

    // --quiet never hides an error
    const typo = await run(['backup', '--source', join(dir, 'reader.json'), '--vault', join(dir, 'vualt'),
      '--recipient', join(dir, 'keys', 'recipient.txt'), '--signing-key', join(dir, 'keys', 'signing.key'), '--quiet']);
    expect(typo.code).toBe(5);
    expect(typo.err.trim()).toMatch(/^entra-vault: error \[VAULT_NOT_FOUND\]/);
  });

  it('--verbose adds every Graph request (method, path, status) and prints no secret', async () => {
    const verbose = await run([...backupArgs, '--verbose']);
    expect(verbose.code, verbose.err).toBe(0);
    expect(verbose.err).toContain('== backup: reading objects');
    expect(verbose.err).toMatch(/^ {3}graph GET \/organization\?\$select=id,verifiedDomains -> 200$/m);
    expect(verbose.err).toMatch(/^ {3}graph GET \/users\/delta\?.* -> 200$/m);
    expect(verbose.err).toMatch(/^ {3}graph POST \/\$batch -> 200$/m);
    // the reader's client secret, the signing key and any token stay out of every line
    const profile = JSON.parse(await readFile(join(dir, 'reader.json'), 'utf8')) as { auth: { secret?: string } };
    expect(profile.auth.secret?.length).toBeGreaterThan(8);
    const signingKey = (await readFile(join(dir, 'keys', 'signing.key'), 'utf8')).trim().split('\n').pop()!;
    for (const secret of [profile.auth.secret!, signingKey]) {
      expect(verbose.err).not.toContain(secret);
      expect(verbose.out).not.toContain(secret);
    }
    expect(verbose.err).not.toMatch(/bearer|eyJ[A-Za-z0-9_-]{10,}/i);
  });

  it('both together are a usage error; every --help lists them', async () => {
    const both = await cli(['--quiet', '--verbose', ...backupArgs]);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/\[USAGE\].*--quiet.*--verbose/);
    // every command, found by walking the program itself
    const names: string[][] = [];
    const program = new Command('entra-vault');
    registerCommands(program, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: {}, cwd: dir }, () => undefined);
    const walk = (c: Command, path: string[]): void => {
      names.push(path);
      for (const sub of c.commands) walk(sub, [...path, sub.name()]);
    };
    walk(program, []);
    expect(names.length).toBeGreaterThan(20);
    for (const path of names) {
      const h = await cli([...path, '--help']);
      expect(h.code, path.join(' ')).toBe(0);
      expect(h.out, path.join(' ')).toMatch(/^ {2}-q, --quiet +print only errors and the final result/m);
      expect(h.out, path.join(' ')).toMatch(/^ {2}--verbose +also print every step and Graph request/m);
    }
  });
});
