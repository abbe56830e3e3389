/**
 * `npm run gen:limits`: writes the "cannot be restored" section of README.md (between
 * `<!-- limits:begin -->` and `<!-- limits:end -->`) and docs/limits.md from src/report/limits.ts.
 * `--check` writes nothing and exits 1 when either is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { limitsDocMarkdown, limitsReadmeMarkdown } from '../src/report/limits.js';

const BEGIN = '<!-- limits:begin -->';
const END = '<!-- limits:end -->';

/** README.md with its limits section replaced. @throws Error when the markers are missing */
export function readmeWithLimits(readme: string): string {
  const i = readme.indexOf(BEGIN);
  const j = readme.indexOf(END);
  if (i < 0 || j < i) throw new Error(`README.md lacks ${BEGIN} … ${END}`);
  return `${readme.slice(0, i + BEGIN.length)}\n${limitsReadmeMarkdown()}${readme.slice(j)}`;
}

if (process.argv[1]?.endsWith('gen-limits.ts')) {
  const check = process.argv.includes('--check');
  const readme = readFileSync('README.md', 'utf8');
  const wanted = { 'README.md': readmeWithLimits(readme), 'docs/limits.md': limitsDocMarkdown() };
  let stale = false;
  for (const [file, text] of Object.entries(wanted)) {
    let now = '';
    try {
      now = readFileSync(file, 'utf8');
    } catch {
      // a missing file is stale
    }
    if (now === text) continue;
    stale = true;
    if (!check) writeFileSync(file, text);
    process.stdout.write(`${check ? 'out of date' : 'wrote'}: ${file}\n`);
  }
  if (check && stale) process.exitCode = 1;
}
