/**
 * `entra-vault emulator --tls --profile-auth certificate` (issue 14 item 5), run in process:
 * it prints an https URL, writes certificate profiles naming `emulator-ca.pem` beside them,
 * and the product's Graph client connects with them; `--profile-auth certificate` without
 * `--tls` is a usage error, since @azure/identity refuses an http authority.
 * Follows https://learn.microsoft.com/entra/identity-platform/certificate-credentials.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorCommand } from '../../src/cli/commands/emulator.js';
import type { EmulatorOpts } from '../../src/cli/commands/index.js';
import type { CliIo } from '../../src/cli/io.js';
import { createGraphClient } from '../../src/graph/index.js';
import { loadProfile } from '../../src/profile.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ev-tls-cli-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function io(signal: AbortSignal): { io: CliIo; out: () => string } {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => { text += d.toString('utf8'); });
  return { io: { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {}, cwd: dir, signal }, out: () => text };
}

const base: EmulatorOpts = { port: 0, users: 10, seed: 3 };

describe('entra-vault emulator --tls', () => {
  it('writes certificate profiles and the CA, and the Graph client connects with them', async () => {
    const stop = new AbortController();
    const { io: cli, out } = io(stop.signal);
    const run = emulatorCommand({ ...base, tls: true, profileAuth: 'certificate', profileOut: join(dir, 'reader.json'), writerProfileOut: join(dir, 'writer.json') }, cli);
    try {
      for (let i = 0; i < 200 && !out().includes('ready at'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(out()).toMatch(/ready at https:\/\/127\.0\.0\.1:\d+/);
      const reader = await loadProfile(join(dir, 'reader.json'));
      expect(reader.auth.kind).toBe('certificate');
      expect(reader.caFile).toBe(join(dir, 'emulator-ca.pem'));
      expect(await readFile(join(dir, 'emulator-ca.pem'), 'utf8')).toContain('BEGIN CERTIFICATE');
      expect((await stat(join(dir, 'writer.cert.pem'))).mode & 0o777).toBe(0o600);
      // the private key went to the 0600 file only, never to the command's output
      const pem = await readFile(join(dir, 'reader.cert.pem'), 'utf8');
      const keyBody = /-----BEGIN PRIVATE KEY-----\n([^\n]+)/.exec(pem)![1]!;
      expect(out()).not.toContain(keyBody);
      const g = await createGraphClient(reader);
      expect((await g.get<{ value: unknown[] }>('/users?$top=1')).value).toHaveLength(1);
    } finally {
      stop.abort();
      expect(await run).toBe(0);
    }
  }, 60_000);

  it('refuses --profile-auth certificate without --tls, and an unknown kind', async () => {
    const { io: cli } = io(new AbortController().signal);
    await expect(emulatorCommand({ ...base, profileAuth: 'certificate', profileOut: join(dir, 'x.json') }, cli)).rejects.toThrow(/needs --tls/);
    await expect(emulatorCommand({ ...base, profileAuth: 'password', profileOut: join(dir, 'y.json') }, cli)).rejects.toThrow(/unknown kind/);
  });
});
