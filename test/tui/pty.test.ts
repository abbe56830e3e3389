import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { spawnPty, type Pty } from './pty.js';

const script = fileURLToPath(new URL('./fixtures/echo-keys.mjs', import.meta.url));
const open: Pty[] = [];
afterEach(async () => {
  for (const p of open.splice(0)) await p.close();
});

describe('tmux pseudo-terminal helper', () => {
  it('runs a program on an 80×24 terminal, types into it and reads the screen', async () => {
    const pty = await spawnPty({ command: [process.execPath, script] });
    open.push(pty);
    const first = await pty.waitFor('ready>');
    expect(first).toContain('tty=true size=80x24');
    await pty.type('$(echo not run); `id`');
    await pty.keys('Enter');
    const s = await pty.waitFor('echo: ');
    // Typed literally: no shell ever saw it.
    expect(s).toContain('echo: $(echo not run); `id`');
    expect(s.split('\n').length).toBeLessThanOrEqual(24);
  });

  it('reports the exit code of the program', async () => {
    const pty = await spawnPty({ command: [process.execPath, script], cols: 100, rows: 30 });
    open.push(pty);
    await pty.waitFor('size=100x30');
    await pty.type('exit 3');
    await pty.keys('Enter');
    expect(await pty.exitCode()).toBe(3);
  });

  it('passes environment variables such as NO_COLOR', async () => {
    const pty = await spawnPty({ command: [process.execPath, '-e', 'console.log("NO_COLOR=" + process.env.NO_COLOR); setTimeout(() => {}, 300)'], env: { NO_COLOR: '1' } });
    open.push(pty);
    await pty.waitFor('NO_COLOR=1');
    expect(await pty.exitCode()).toBe(0);
  });
});
