/**
 * Citations point at something that exists: every docs/*.md a file cites, every section of
 * docs/graph-facts.md and every numbered check of docs/reliability.md it names, and every
 * src/, tui/ or test/ file the docs name. (test/repo/standalone.test.ts checks that nothing
 * names a path outside the repository.)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TEXT = /\.(ts|tsx|mts|mjs|js|md|sh|json|yml|yaml|txt)$|^Dockerfile$|^\.ci\//;

function trackedTextFiles(): string[] {
  const all = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
  // vendor/ is third-party data kept byte for byte; generated code cites its source itself.
  return all.filter((f) => TEXT.test(f) && !f.startsWith('vendor/') && f !== 'package-lock.json' && existsSync(join(ROOT, f)));
}

describe('citations', () => {
  const files = trackedTextFiles();

  it('finds the files it checks', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain('src/errors.ts');
  });

  it('every docs/*.md a file cites exists, and so does every cited section and check', () => {
    const facts = readFileSync(join(ROOT, 'docs/graph-facts.md'), 'utf8');
    const sections = new Set([...facts.matchAll(/^## §?(\d+)\.? /gm)].map((m) => m[1]));
    const reliability = readFileSync(join(ROOT, 'docs/reliability.md'), 'utf8');
    const checks = new Set([...reliability.matchAll(/^(\d+)\. /gm)].map((m) => m[1]));
    const bad: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      for (const m of text.matchAll(/(?<![\w/.-])docs\/([\w./-]+\.md)\b/g)) {
        if (!existsSync(join(ROOT, 'docs', m[1]!))) bad.push(`${f}: docs/${m[1]} does not exist`);
      }
      for (const m of text.matchAll(/docs\/graph-facts\.md\s*§(\d+)/g)) {
        if (!sections.has(m[1]!)) bad.push(`${f}: docs/graph-facts.md §${m[1]} is not a section`);
      }
      for (const m of text.matchAll(/docs\/reliability\.md (\d+)/g)) {
        if (!checks.has(m[1]!)) bad.push(`${f}: docs/reliability.md ${m[1]} is not a check`);
      }
    }
    expect(sections.size).toBeGreaterThanOrEqual(7);
    expect(checks.size).toBeGreaterThanOrEqual(30);
    expect(bad).toEqual([]);
  });

  it('every src/, tui/, test/ or scripts/ file the docs name exists', () => {
    const missing: string[] = [];
    for (const f of files.filter((x) => x.startsWith('docs/') || x === 'README.md')) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      for (const m of text.matchAll(/(?<![\w/.-])((?:src|tui|test|scripts)\/[\w./-]+\.(?:ts|tsx|mjs|mts))\b/g)) {
        if (!existsSync(join(ROOT, m[1]!))) missing.push(`${f}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
