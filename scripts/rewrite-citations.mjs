#!/usr/bin/env node
// citation-rewrite: ignore-file (this file spells the old citations in order to find them)
/**
 * Rewrites citations of the design notes that used to live outside the repository into
 * citations of their copies in docs/ (issue 10: the repository stands alone).
 *
 *   node scripts/rewrite-citations.mjs [--write] [--quiet] PATH…
 *
 * PATH is a file or a directory (walked recursively; node_modules, .git, dist, vendor and
 * coverage are skipped). Without --write it is a dry run: it changes nothing and prints,
 * per file, each changed line before and after, then the counts per rule. With --write it
 * rewrites the files in place and prints the same summary. Exit code 0 on success, 2 on a
 * usage error; citations it cannot map (an unknown `../shared/` file) are listed as
 * "unresolved" and left as they are, so the standalone test still finds them.
 *
 * Deterministic: files are visited in sorted order, the rules are plain regular
 * expressions applied in a fixed order, and the output of a rule never matches any rule
 * (the new names are lower-case), so a second run changes nothing.
 *
 * Never touched: binary files, files with a detached signature beside them (`X.minisig`
 * signs X: rewriting X would break the signature), and files that contain the marker
 * `citation-rewrite: ignore-file` (this script, the standalone test).
 */
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'vendor', 'coverage']);
const IGNORE_MARKER = 'citation-rewrite: ignore-file';

// Not part of a longer word or path on either side: letters, digits, `_`, `-`, `/`.
const B = '(?<![A-Za-z0-9_/-])';
const E = '(?![A-Za-z0-9_-])';

/** The rules, in the order they are applied. Each replacement is lower-case, so no rule re-matches. */
export const RULES = [
  // ../shared/<file> (any number of ../) → its docs/ or vendor/ equivalent.
  { name: '../shared/DESIGN.md', re: /(?:\.\.\/)+shared\/DESIGN\.md/g, to: 'docs/design.md' },
  { name: '../shared/GRAPH-FACTS.md', re: /(?:\.\.\/)+shared\/GRAPH-FACTS\.md/g, to: 'docs/graph-facts.md' },
  { name: '../shared/RELIABILITY.md', re: /(?:\.\.\/)+shared\/RELIABILITY\.md/g, to: 'docs/reliability.md' },
  { name: '../shared/DEVELOPERS.md', re: /(?:\.\.\/)+shared\/DEVELOPERS\.md/g, to: 'docs/engineering.md' },
  { name: '../shared/graph-metadata/', re: /(?:\.\.\/)+shared\/graph-metadata\//g, to: 'vendor/graph-metadata/' },
  // Graph facts: `GRAPH-FACTS.md §3`, `GRAPH-FACTS §3`, `GRAPH-FACTS.md 4` (a section without §).
  { name: 'GRAPH-FACTS §N', re: new RegExp(`${B}GRAPH-FACTS(?:\\.md)? ?§ ?(\\d+)`, 'g'), to: 'docs/graph-facts.md §$1' },
  { name: 'GRAPH-FACTS.md N', re: new RegExp(`${B}GRAPH-FACTS(?:\\.md)? (\\d+)${E}`, 'g'), to: 'docs/graph-facts.md §$1' },
  { name: 'GRAPH-FACTS', re: new RegExp(`${B}GRAPH-FACTS(?:\\.md)?${E}`, 'g'), to: 'docs/graph-facts.md' },
  // Reliability checks: `RELIABILITY 12`, `RELIABILITY.md 12 and 14`, bare `RELIABILITY`.
  { name: 'RELIABILITY N', re: new RegExp(`${B}RELIABILITY(?:\\.md)? (\\d+)`, 'g'), to: 'docs/reliability.md $1' },
  { name: 'RELIABILITY', re: new RegExp(`${B}RELIABILITY(?:\\.md)?${E}`, 'g'), to: 'docs/reliability.md' },
  // The design: `DESIGN.md "Restore"`, `DESIGN "Security model"`, `DESIGN lists …`.
  { name: 'DESIGN', re: new RegExp(`${B}DESIGN(?:\\.md)?${E}`, 'g'), to: 'docs/design.md' },
  // The developer guide.
  { name: 'DEVELOPERS', re: new RegExp(`${B}DEVELOPERS(?:\\.md)?${E}`, 'g'), to: 'docs/engineering.md' },
];

/** What is left after the rules and still points outside the repository. */
const UNRESOLVED = /(?:\.\.\/)+shared\/[^\s'"`)]*/g;

/**
 * Rewrite one text. Pure: returns the new text, the count per rule and the unresolved
 * citations. Never throws.
 */
export function rewriteText(text) {
  const counts = {};
  let out = text;
  for (const rule of RULES) {
    out = out.replace(rule.re, (...m) => {
      counts[rule.name] = (counts[rule.name] ?? 0) + 1;
      return rule.to.replace(/\$(\d)/g, (_, i) => m[Number(i)]);
    });
  }
  const unresolved = out.match(UNRESOLVED) ?? [];
  return { text: out, counts, unresolved };
}

function isBinary(buf) {
  return buf.subarray(0, 8000).includes(0);
}

function listFiles(path, acc) {
  const st = statSync(path);
  if (st.isFile()) {
    acc.push(path);
    return acc;
  }
  if (!st.isDirectory()) return acc;
  for (const name of readdirSync(path).sort()) {
    if (SKIP_DIRS.has(name)) continue;
    listFiles(join(path, name), acc);
  }
  return acc;
}

function main(argv) {
  const write = argv.includes('--write');
  const quiet = argv.includes('--quiet');
  const paths = argv.filter((a) => !a.startsWith('--'));
  const unknown = argv.filter((a) => a.startsWith('--') && a !== '--write' && a !== '--quiet');
  if (paths.length === 0 || unknown.length > 0) {
    process.stderr.write('usage: node scripts/rewrite-citations.mjs [--write] [--quiet] PATH…\n');
    return 2;
  }
  const files = [...new Set(paths.flatMap((p) => listFiles(p, [])))].sort();
  const total = {};
  let changedFiles = 0;
  let changedLines = 0;
  const unresolved = [];
  for (const file of files) {
    const buf = readFileSync(file);
    if (isBinary(buf) || existsSync(`${file}.minisig`)) continue;
    const before = buf.toString('utf8');
    if (before.includes(IGNORE_MARKER)) continue;
    const r = rewriteText(before);
    for (const u of r.unresolved) unresolved.push(`${relative('.', file)}: ${u}`);
    if (r.text === before) continue;
    changedFiles++;
    for (const [k, v] of Object.entries(r.counts)) total[k] = (total[k] ?? 0) + v;
    const a = before.split('\n');
    const b = r.text.split('\n');
    // The rules never add or remove a newline, so lines correspond one to one.
    for (let i = 0; i < a.length; i++) {
      if (a[i] === b[i]) continue;
      changedLines++;
      if (!quiet) process.stdout.write(`${relative('.', file)}:${i + 1}\n  - ${a[i].trim()}\n  + ${b[i].trim()}\n`);
    }
    if (write) writeFileSync(file, r.text);
  }
  const replacements = Object.values(total).reduce((s, n) => s + n, 0);
  process.stdout.write(`\n${write ? 'rewrote' : 'would rewrite (dry run; --write to apply)'}: ${replacements} citations on ${changedLines} lines in ${changedFiles} of ${files.length} files\n`);
  for (const rule of RULES) if (total[rule.name]) process.stdout.write(`  ${String(total[rule.name]).padStart(4)}  ${rule.name}\n`);
  if (unresolved.length > 0) {
    process.stdout.write(`unresolved (left as they are):\n`);
    for (const u of unresolved) process.stdout.write(`  ${u}\n`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
