/**
 * citation-rewrite: ignore-file (scripts/rewrite-citations.mjs leaves this test alone: it spells the old names on purpose)
 * The repository stands alone (issue 10; docs/engineering.md "Citations"): no file a
 * reader or a build uses names a path outside the repository, or cites a design note that
 * is not committed. The notes it used to cite are docs/design.md, docs/graph-facts.md,
 * docs/reliability.md and docs/engineering.md; scripts/rewrite-citations.mjs rewrites old
 * citations to them.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** What is scanned: everything a reader, a build or CI reads. */
const SCANNED = ['src', 'tui', 'test', 'scripts', 'bench', 'docs', '.ci', 'README.md', 'Dockerfile'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage']);

/**
 * Files allowed to spell the old names, and why. Each exemption is one file, never a folder.
 * (Paths use '/' whatever the platform.)
 */
const EXEMPT: Readonly<Record<string, string>> = {
  'test/repo/standalone.test.ts': 'this test spells the forbidden patterns to find them',
  'scripts/rewrite-citations.mjs': 'the rewrite script spells the old citations to find them',
};

/** Rules that apply only outside certain files, with the reason. */
const WORK_PATH_ALLOWED_IN: Readonly<Record<string, string>> = {
  // `docker run -v work:/work` mounts a volume at /work inside the container: an in-image path.
  Dockerfile: 'container volume mount point',
};

/** Not part of a longer identifier or path on either side. */
const B = '(?<![A-Za-z0-9_/-])';
const E = '(?![A-Za-z0-9_-])';

export const RULES: readonly { name: string; re: RegExp; appliesTo?: (file: string) => boolean }[] = [
  { name: 'path into ../shared', re: /(?:\.\.\/)+shared\b/ },
  { name: 'absolute /work/ path', re: /(?<![A-Za-z0-9_.-])\/work\//, appliesTo: (f) => !(f in WORK_PATH_ALLOWED_IN) },
  { name: 'design note outside docs/', re: new RegExp(`${B}DESIGN(?:\\.md)?${E}`) },
  { name: 'Graph facts outside docs/', re: new RegExp(`${B}GRAPH-FACTS(?:\\.md)?${E}`) },
  { name: 'reliability list outside docs/', re: new RegExp(`${B}RELIABILITY(?:\\.md)?${E}`) },
  { name: 'developer guide outside docs/', re: new RegExp(`${B}DEVELOPERS(?:\\.md)?${E}`) },
];

/** Every offending line of one text, as `file:line: rule: excerpt`. */
export function offences(file: string, text: string): string[] {
  const out: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    for (const rule of RULES) {
      if (rule.appliesTo && !rule.appliesTo(file)) continue;
      const m = rule.re.exec(line);
      if (m) out.push(`${file}:${i + 1}: ${rule.name}: ${line.trim().slice(0, 140)}`);
    }
  }
  return out;
}

function walk(path: string, acc: string[]): void {
  let st;
  try {
    st = statSync(path);
  } catch {
    return; // a listed top-level entry that this checkout does not have (e.g. no .ci/)
  }
  if (st.isFile()) {
    acc.push(path);
    return;
  }
  if (!st.isDirectory()) return;
  for (const name of readdirSync(path).sort()) if (!SKIP_DIRS.has(name)) walk(join(path, name), acc);
}

function scannedFiles(): string[] {
  const acc: string[] = [];
  for (const entry of SCANNED) walk(join(root, entry), acc);
  return acc.map((abs) => relative(root, abs).split(sep).join('/'));
}

describe('the repository stands alone', () => {
  it('the matcher finds each kind of outside reference (so the scan below can fail)', () => {
    const planted = [
      'see ../shared/DESIGN.md',
      "const p = '/work/shared/graph-metadata/x.xml';",
      '(DESIGN.md "Restore")',
      'DESIGN lists them',
      'GRAPH-FACTS.md §3',
      'GRAPH-FACTS §2',
      'RELIABILITY 22',
      'RELIABILITY.md 12',
      'DEVELOPERS.md',
    ];
    for (const line of planted) expect(offences('src/x.ts', line), line).toHaveLength(1);
    for (const line of ['docs/design.md "Restore"', 'docs/graph-facts.md §3', 'docs/reliability.md 22', 'docs/engineering.md', 'DESIGN_VERSION', 'RELIABILITY_LIMIT']) {
      expect(offences('src/x.ts', line), line).toEqual([]);
    }
    expect(offences('Dockerfile', 'docker run -v work:/work entra-vault drill --out /work/drill')).toEqual([]);
    expect(offences('README.md', 'docker run -v work:/work entra-vault drill --out /work/drill')).toHaveLength(1);
  });

  it('no file in src/, tui/, test/, scripts/, bench/, docs/, .ci/, README.md or Dockerfile names a path or note outside the repository', () => {
    const files = scannedFiles();
    expect(files.length).toBeGreaterThan(200); // the walk really covers the tree
    const found: string[] = [];
    for (const file of files) {
      if (file in EXEMPT) continue;
      const buf = readFileSync(join(root, file));
      if (buf.subarray(0, 8000).includes(0)) continue; // binary
      found.push(...offences(file, buf.toString('utf8')));
    }
    // Old citations: run `node scripts/rewrite-citations.mjs --write <paths>`, then fix what is left by hand.
    expect(found).toEqual([]);
  });

  it('the documents citations point at exist', () => {
    for (const f of ['docs/design.md', 'docs/graph-facts.md', 'docs/reliability.md', 'docs/engineering.md', 'docs/decisions.md']) {
      expect(statSync(join(root, f)).isFile(), f).toBe(true);
    }
    const facts = readFileSync(join(root, 'docs/graph-facts.md'), 'utf8');
    for (let n = 1; n <= 7; n++) expect(facts, `§${n}`).toMatch(new RegExp(`^## §${n} `, 'm'));
    const checks = readFileSync(join(root, 'docs/reliability.md'), 'utf8');
    for (let n = 1; n <= 30; n++) expect(checks, `check ${n}`).toMatch(new RegExp(`^${n}\\. \\*\\*`, 'm'));
  });
});
