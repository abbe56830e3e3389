/**
 * Refreshes test/durations.json (the start order of test files, test/sequencer.ts) from a
 * vitest JSON report: `npx vitest run --reporter=json --outputFile=R.json` then
 * `npm run test:durations -- R.json`. Files the report lacks keep their old figure.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const target = fileURLToPath(new URL('../test/durations.json', import.meta.url));
const reportPath = process.argv[2];
if (!reportPath) {
  process.stderr.write('usage: npm run test:durations -- REPORT.json\n');
  process.exit(2);
}
const report = JSON.parse(readFileSync(reportPath, 'utf8')) as { testResults?: { name: string; startTime?: number; endTime?: number }[] };
const old = JSON.parse(readFileSync(target, 'utf8')) as { about: string; files: Record<string, number> };
const files: Record<string, number> = { ...old.files };
let n = 0;
for (const r of report.testResults ?? []) {
  if (typeof r.startTime !== 'number' || typeof r.endTime !== 'number') continue;
  files[relative(root, r.name).split('\\').join('/')] = Math.round((r.endTime - r.startTime) / 100) / 10;
  n++;
}
const sorted = Object.fromEntries(Object.entries(files).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
writeFileSync(target, `${JSON.stringify({ about: old.about, files: sorted }, null, 1)}\n`);
process.stdout.write(`test/durations.json: ${n} files from ${reportPath}\n`);
