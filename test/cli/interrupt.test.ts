/**
 * Issue 16, "the operator at 3 a.m.": the first Ctrl-C (SIGINT) in `backup` and `drill` acts.
 * The command stops at a safe point, adds nothing half-written to the vault, says so in one
 * line and exits 130. Spawns the built CLI (dist/: run `npx tsc -p tsconfig.json` first)
 * against an emulator slowed by `latency=50`, so the interrupt lands mid-run.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFaults } from '../../src/cli/commands/emulator.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { cli } from './io.js';
import { spawnCli } from './spawned.js';

const interruptedLines = (stderr: string) => stderr.split('\n').filter((l) => /interrupted/i.test(l));

describe('Ctrl-C in backup and drill (issue 16)', () => {
  let emu: EmulatorHandle;
  let dir: string;
  const source = seedTenant({ seed: 16, users: 60 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ev-int-'));
    emu = await startEmulator({ port: 0, tenants: [source] });
    await emu.writeProfiles(source.tenantId, { readerPath: join(dir, 'reader.json'), writerPath: join(dir, 'writer.json') });
  });
  afterAll(async () => {
    await emu?.close();
  });

  it('backup: the first SIGINT stops it, exit 130, one line, the vault keeps exactly its archives', async () => {
    const keys = join(dir, 'keys');
    const vault = join(dir, 'vault');
    expect((await cli(['keys', 'init', '--dir', keys, '--x25519'])).code).toBe(0);
    const args = ['backup', '--source', join(dir, 'reader.json'), '--vault', vault,
      '--recipient', join(keys, 'recipient.txt'), '--signing-key', join(keys, 'signing.key')];
    // one archive already in the vault, taken at full speed
    const first = await cli([...args, '--init']);
    expect(first.code, first.err).toBe(0);
    const before = await cli(['vault', 'list', '--vault', vault, '--json']);
    const archivesBefore = JSON.parse(before.out) as { file: string }[];
    expect(archivesBefore).toHaveLength(1);
    const archiveFile = (f: string) => (isAbsolute(f) ? f : join(vault, f));
    const archiveBytes = await readFile(archiveFile(archivesBefore[0]!.file));

    emu.tenant(source.tenantId).setFaults(parseFaults('latency=50')!);
    try {
      const run = spawnCli(args);
      await run.waitFor('reading objects');
      run.child.kill('SIGINT');
      const code = await run.exit;
      expect(code, run.err()).toBe(130);
      const lines = interruptedLines(run.err());
      expect(lines, run.err()).toHaveLength(1);
      expect(lines[0]).toMatch(/^entra-vault: error \[INTERRUPTED\]: backup interrupted: nothing was added to the vault/);
      expect(run.err()).not.toContain('internal error');
      // no result on stdout: no archive was announced
      expect(run.out()).toBe('');
    } finally {
      emu.tenant(source.tenantId).setFaults({});
    }

    const after = await cli(['vault', 'list', '--vault', vault, '--json']);
    expect(after.code, after.err).toBe(0);
    const archivesAfter = JSON.parse(after.out) as { file: string }[];
    expect(archivesAfter.map((a) => a.file)).toEqual(archivesBefore.map((a) => a.file));
    expect((await readFile(archiveFile(archivesBefore[0]!.file))).equals(archiveBytes)).toBe(true);
    // the staged archive was removed with its staging directory
    const staging = join(vault, '.staging');
    expect(existsSync(staging) ? await readdir(staging) : []).toEqual([]);
    // and the vault is still whole
    const check = await cli(['vault', 'verify', '--vault', vault]);
    expect(check.code, check.err).toBe(0);
  });

  it('drill: the first SIGINT stops it, exit 130, one line, no report', async () => {
    const out = join(dir, 'drill');
    const run = spawnCli(['drill', '--users', '30', '--out', out, '--faults', 'latency=50']);
    // the restore phase runs against the slowed target: interrupt once the archive is opened
    await run.waitFor('verifying and opening the archive');
    run.child.kill('SIGINT');
    const code = await run.exit;
    expect(code, run.err()).toBe(130);
    const lines = interruptedLines(run.err());
    expect(lines, run.err()).toHaveLength(1);
    expect(lines[0]).toMatch(/^entra-vault: error \[INTERRUPTED\]: drill interrupted after its backup/);
    expect(run.err()).not.toContain('internal error');
    expect(existsSync(join(out, 'drill-report.json'))).toBe(false);
    // the interrupted drill still leaves its record (drill-failed.json), coded INTERRUPTED
    const failed = JSON.parse(await readFile(join(out, 'drill-failed.json'), 'utf8')) as { error: { code: string } };
    expect(failed.error.code).toBe('INTERRUPTED');
    expect((await stat(join(out, 'vault'))).isDirectory()).toBe(true);
  });
});
