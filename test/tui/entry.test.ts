import { afterEach, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { isVaultError } from '../../src/errors.js';
import { assertInteractive, noColorFromEnv, runWizard } from '../../tui/index.js';
import { FakeServices } from './fake-services.js';
import { spawnPty, type Pty } from './pty.js';

const open: Pty[] = [];
afterEach(async () => {
  for (const p of open.splice(0)) await p.close();
});

describe('wizard entry', () => {
  it('refuses without a terminal and names the non-interactive command', async () => {
    const err = (() => {
      try {
        assertInteractive({ isTTY: false }, { isTTY: true });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(isVaultError(err, 'NO_TERMINAL')).toBe(true);
    expect((err as Error).message).toBe('the wizard needs a terminal');
    expect(isVaultError(err) && err.hint).toBe('use: entra-vault restore ARCHIVE --target F --identity I --scenario S --confirm TENANT_ID');
    expect(() => assertInteractive({ isTTY: true }, {})).toThrow('the wizard needs a terminal');
    expect(() => assertInteractive({ isTTY: true }, { isTTY: true })).not.toThrow();
  });

  it('runWizard rejects piped streams before drawing anything', async () => {
    const stdout = new PassThrough();
    let written = '';
    stdout.on('data', (c: Buffer) => (written += c.toString()));
    const f = new FakeServices();
    await expect(
      runWizard(f, { stdin: new PassThrough() as unknown as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream }),
    ).rejects.toMatchObject({ code: 'NO_TERMINAL' });
    expect(written).toBe('');
    expect(f.calls).toEqual([]);
  });

  it('reads NO_COLOR as set-and-not-empty', () => {
    expect(noColorFromEnv({ NO_COLOR: '1' })).toBe(true);
    expect(noColorFromEnv({ NO_COLOR: '' })).toBe(false);
    expect(noColorFromEnv({})).toBe(false);
  });

  it('runs on a real pseudo-terminal at 80×24 and leaves with 130 on ctrl-c', async () => {
    const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
    const script = fileURLToPath(new URL('./fixtures/fake-wizard.tsx', import.meta.url));
    // CI runs set CI=true, and Ink then draws only its last frame (is-in-ci): run the
    // wizard as an operator's terminal would, without CI in its environment.
    const pty = await spawnPty({ command: ['env', '-u', 'CI', tsx, script], env: { NO_COLOR: '1' } });
    open.push(pty);
    const first = await pty.waitFor('enter choose', 30_000);
    expect(first).toContain('[Scenario]');
    for (const line of first.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    await pty.keys('Enter');
    await pty.waitFor('Archives in vault');
    await pty.keys('Escape');
    await pty.waitFor('What happened?');
    await pty.keys('C-c');
    expect(await pty.exitCode(15_000)).toBe(130);
    expect(await pty.screen()).toContain('wizard exit 130');
  });
});
