import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./credentials-heap-child.ts', import.meta.url));

describe('encrypted credentials sink: passwords in memory', () => {
  // A restore at 100k users generates tens of thousands of temporary passwords. Once an entry is
  // durable in the encrypted spool, the sink holds no copy of it: a heap dump of a running restore
  // shows no password that reached the spool (src/restore/credentials.ts).
  it('holds no password once it is durable in the spool, nor after close', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ev-cred-heap-')), 'restore-credentials.age');
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, path], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ durable: 0, closed: 0, count: 20 });
    expect(existsSync(path)).toBe(true);
  });
});
