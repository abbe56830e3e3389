/**
 * `npm run gen:coverage`: writes docs/coverage.md from src/report/coverage.ts (the catalog).
 * `--check` writes nothing and exits 1 when it is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { coverageDocMarkdown } from '../src/report/coverage.js';

if (process.argv[1]?.endsWith('gen-coverage.ts')) {
  const file = 'docs/coverage.md';
  let now = '';
  try {
    now = readFileSync(file, 'utf8');
  } catch {
    // a missing file is stale
  }
  const text = coverageDocMarkdown();
  if (now !== text) {
    if (process.argv.includes('--check')) process.exitCode = 1;
    else writeFileSync(file, text);
    process.stdout.write(`${process.argv.includes('--check') ? 'out of date' : 'wrote'}: ${file}\n`);
  }
}
