/**
 * The size budget (docs/engineering.md): no hand-written function in src/ or tui/ longer than
 * 100 lines, no file longer than 500. scripts/check-size.ts measures it with the TypeScript
 * parser; this test keeps it at zero.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/check-size.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });

describe('size budget', () => {
  it('no function over 100 lines, no file over 500, in src/ and tui/', () => {
    const r = run();
    expect(r.stdout.trim().split('\n')).toEqual(['0 over budget']);
    expect(r.status).toBe(0);
  }, 120_000);

  it('the check can fail: with a 20-line budget it names offenders and exits 1', () => {
    const r = run('--max-fn', '20');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/src\/\S+\.ts:\d+: function \S+ \d+ lines \(max 20\)/);
  }, 120_000);
});
