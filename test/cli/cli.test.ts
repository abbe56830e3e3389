import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { parseFaults } from '../../src/cli/commands/emulator.js';
import { memoryIo as io } from './io.js';

describe('CLI error mapping', () => {
  it('rejects an unknown flag with one line and exit 2', async () => {
    const t = io();
    const code = await runCli(['vault', 'list', '--vault', 'v', '--no-such-flag'], t.io);
    expect(code).toBe(2);
    expect(t.err().trim().split('\n')).toHaveLength(1);
    expect(t.err()).toMatch(/^entra-vault: error \[USAGE\]: unknown option '--no-such-flag'/);
  });

  it('restore --concurrency takes 1..64 and answers anything else with a USAGE error (exit 2)', async () => {
    for (const bad of ['0', '65', 'x', '-3']) {
      const t = io();
      const code = await runCli(['restore', 'a.evault', '--target', 'p.json', '--identity', 'id.txt', `--concurrency=${bad}`], t.io);
      expect(code).toBe(2);
      expect(t.err()).toMatch(/^entra-vault: error \[USAGE\]: .*--concurrency.*1 to 64/);
    }
    // the throttling hint names --concurrency: it must exist on restore and backup
    for (const c of ['restore', 'backup']) {
      const t = io();
      await runCli([c, '--help'], t.io);
      expect(t.out()).toContain('--concurrency <n>');
    }
  });

  it('rejects an unknown command', async () => {
    const t = io();
    expect(await runCli(['frobnicate'], t.io)).toBe(2);
    expect(t.err()).toContain('[USAGE]');
  });

  it('the wizard refuses without a terminal and names the non-interactive command', async () => {
    const t = io();
    const code = await runCli([], t.io);
    expect(code).toBe(2);
    expect(t.err()).toContain('[NO_TERMINAL]');
    expect(t.err()).toContain('entra-vault restore ARCHIVE');
  });

  it('prints a JSON error object with --json', async () => {
    const t = io();
    const code = await runCli(['verify', '/nonexistent/x.evault', '--signer', '/nonexistent/signing.pub', '--json'], t.io);
    expect(code).toBe(5);
    expect(JSON.parse(t.out().trim())).toMatchObject({ error: 'FILE_NOT_FOUND' });
  });

  // issue 16: the passphrase's key derivation takes seconds; the operator is told before and after
  it('keys init with a passphrase says it is deriving keys, and how long it took, without the passphrase', { tags: ['slow'], timeout: 180_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ev-cli-'));
    const t = io({ EV_KEY_PASS: 'correct horse battery staple' });
    expect(await runCli(['keys', 'init', '--dir', join(dir, 'k'), '--x25519', '--passphrase-env', 'EV_KEY_PASS'], t.io)).toBe(0);
    const before = t.err().indexOf('protecting the keys with the passphrase');
    expect(before).toBeGreaterThanOrEqual(0);
    expect(t.err().indexOf('keys protected')).toBeGreaterThan(before);
    expect(t.out() + t.err()).not.toContain('correct horse');
    expect(t.out()).toContain('passphrase-protected');
  });

  it('keys init creates 0600 secrets and prints no secret', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ev-cli-'));
    const t = io();
    expect(await runCli(['keys', 'init', '--dir', join(dir, 'k')], t.io)).toBe(0);
    const identity = await readFile(join(dir, 'k', 'identity.txt'), 'utf8');
    const secretLine = identity.split('\n').find((l) => l.startsWith('AGE-SECRET-KEY'));
    expect(secretLine).toBeDefined();
    expect(t.out()).not.toContain(secretLine!);
    expect(t.out()).not.toContain('AGE-SECRET-KEY');
    expect((await stat(join(dir, 'k', 'identity.txt'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'k', 'signing.key'))).mode & 0o777).toBe(0o600);
    // a second init never overwrites keys
    const t2 = io();
    expect(await runCli(['keys', 'init', '--dir', join(dir, 'k')], t2.io)).toBe(5);
    expect(t2.err()).toContain('[FILE_EXISTS]');
    expect(await readFile(join(dir, 'k', 'identity.txt'), 'utf8')).toBe(identity);
  });

  it('a malformed connection profile is one line, not a stack', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ev-cli-'));
    const p = join(dir, 'p.json');
    await writeFile(p, '{"tenantId": 5}');
    const t = io();
    const code = await runCli(['backup', '--source', p, '--vault', join(dir, 'v'), '--recipient', 'age1x', '--signing-key', join(dir, 'nokey')], t.io);
    expect(code).toBe(5);
    expect(t.err().trim().split('\n')).toHaveLength(1);
    expect(t.err()).toContain('[PROFILE_INVALID]');
    expect(t.err()).not.toMatch(/\n\s+at /);
  });

  it('rejects a bad --faults item', async () => {
    const t = io();
    expect(await runCli(['drill', '--faults', 'nonsense=1', '--users', '10', '--out', join(tmpdir(), 'never')], t.io)).toBe(2);
    expect(t.err()).toContain("unknown fault 'nonsense'");
  });

  it('parses every --faults item into the emulator\'s fault settings', () => {
    expect(parseFaults('throttle,throttle429=0.3,throttleFor=5,retryAfter=2,errors=0.1,rejectWrites=0.05,latency=20,writeLatency=7,lag=500,seed=3')).toEqual({
      throttle: { enabled: true }, throttleFraction: 0.3, throttleForSeconds: 5, retryAfterSeconds: 2, errorRate: 0.1, rejectWrites: 0.05, latencyMs: 20, writeLatencyMs: 7, replicationLagMs: 500, seed: 3,
    });
    expect(() => parseFaults('writeLatency=-1')).toThrow(/non-negative/);
  });

  it('every command answers --help with exit 0', async () => {
    const commands = [
      [], ['keys', 'init'], ['emulator'], ['backup'], ['vault', 'init'], ['vault', 'list'], ['vault', 'verify'],
      ['vault', 'import'], ['vault', 'prune'], ['vault', 'audit', 'verify'], ['verify'], ['diff'], ['plan'],
      ['restore'], ['drill'], ['runbook'], ['audit', 'verify'], ['audit', 'report'], ['audit', 'targets'], ['wizard'],
    ];
    for (const c of commands) {
      const t = io();
      const code = await runCli([...c, '--help'], t.io);
      expect(code, c.join(' ')).toBe(0);
      expect(t.out(), c.join(' ')).toMatch(/^Usage: entra-vault/m);
    }
  });

  it('a drill never writes into a directory that is not empty', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ev-cli-'));
    await writeFile(join(dir, 'evidence.json'), '{}');
    const t = io();
    expect(await runCli(['drill', '--users', '10', '--out', dir], t.io)).toBe(5);
    expect(t.err()).toContain('[FILE_EXISTS]');
    expect(await readFile(join(dir, 'evidence.json'), 'utf8')).toBe('{}');
  });
});
