/**
 * Issue 15 done-when: docs/coverage.md is generated from the catalog and the README links it
 * instead of claiming "every" in prose. The file equals what `npm run gen:coverage` writes;
 * every catalog type and relation is in it; no "not covered" line names a path the catalog
 * already serves.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalog, relationCatalog } from '../../src/catalog/index.js';
import { NOT_COVERED, coverageDocMarkdown } from '../../src/report/coverage.js';

describe('docs/coverage.md', () => {
  it('is what npm run gen:coverage writes', () => {
    expect(readFileSync('docs/coverage.md', 'utf8'), 'docs/coverage.md is out of date: run npm run gen:coverage').toBe(coverageDocMarkdown());
  });

  it('names every catalog type and relation, and lists nothing the catalog covers as missing', () => {
    const doc = coverageDocMarkdown();
    for (const d of catalog) expect(doc).toContain(`(\`${d.type}\`) | \`${d.path}\``);
    for (const r of relationCatalog) expect(doc).toContain(`| \`${r.kind}\` | \`${r.path}\``);
    const served = new Set(catalog.map((d) => d.path.toLowerCase()));
    for (const n of NOT_COVERED) for (const p of n.graph.split(', ')) expect(served.has(p.toLowerCase()), `${p} is in the catalog: remove it from NOT_COVERED`).toBe(false);
  });

  it('is linked from the README, which no longer claims everything in prose', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain('docs/coverage.md');
    expect(readme).not.toMatch(/every object, every attribute, every relationship, every tenant\s+setting/);
  });
});
