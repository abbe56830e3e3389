/**
 * Issue 11: the "cannot be restored" list is generated from the code, so it can never omit what
 * the code skips. The README section and docs/limits.md equal what `npm run gen:limits` writes;
 * every manual step the planner can emit is declared in src/report/limits.ts and every declared
 * one is emitted; every catalog exclusion is listed; every runbook carries the list.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../src/catalog/index.js';
import { NOT_READ_LIMITS, PLAN_LIMITS, SCHEMA_LIMITS, limitsDocMarkdown, restoreLimits } from '../../src/report/limits.js';
import { graphTypes } from '../../src/catalog/generated/graph-v1.0.js';
import { readmeWithLimits } from '../../scripts/gen-limits.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('the cannot-be-restored list is generated from the code', () => {
  it('README.md and docs/limits.md are what npm run gen:limits writes', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readmeWithLimits(readme), 'README.md is out of date: run npm run gen:limits').toBe(readme);
    expect(readFileSync('docs/limits.md', 'utf8'), 'docs/limits.md is out of date: run npm run gen:limits').toBe(limitsDocMarkdown());
  });

  it('declares every manual step the planner emits, and emits every one it declares', () => {
    const emitted = new Set<string>();
    for (const f of sources('src/restore')) for (const m of readFileSync(f, 'utf8').matchAll(/'(manual:[A-Za-z]+)'/g)) emitted.add(m[1]!);
    const declared = new Set(PLAN_LIMITS.map((l) => l.id).filter((id) => id.startsWith('manual:')));
    expect(emitted.size).toBeGreaterThan(5);
    expect([...emitted].sort()).toEqual([...declared].sort());
  });

  it('lists every property the catalog excludes, with its reason', () => {
    const ids = new Set(restoreLimits().map((l) => l.id));
    let n = 0;
    for (const d of catalog) {
      for (const [prop, why] of Object.entries(d.excluded ?? {})) {
        n++;
        expect(ids.has(`excluded:${d.type}.${prop}`), `${d.type}.${prop}`).toBe(true);
        expect(restoreLimits().find((l) => l.id === `excluded:${d.type}.${prop}`)?.why).toBe(why);
      }
    }
    expect(n).toBeGreaterThan(0);
  });

  it('lists the beta-only settings while the v1.0 schema lacks them (archive them once it has them)', () => {
    for (const l of SCHEMA_LIMITS) {
      const t = graphTypes[l.entityType];
      expect(t, l.entityType).toBeDefined();
      expect(t!.properties.some((p) => p.name === l.property), `${l.property} is in v1.0 now: archive it and drop ${l.id}`).toBe(false);
    }
  });

  it('names the custom data the backup does not read while no catalog type reads it (drop the entry once one does)', () => {
    expect(NOT_READ_LIMITS.map((l) => l.id)).toEqual(['notRead:openExtensions', 'notRead:schemaExtensions']);
    for (const l of NOT_READ_LIMITS) {
      const readers = catalog.filter((d) => d.path.endsWith(l.path) || d.path.includes(`${l.path}/`));
      expect(readers.map((d) => d.type), `${l.id}: the catalog reads ${l.path} now`).toEqual([]);
      expect(restoreLimits().some((x) => x.id === l.id)).toBe(true);
    }
  });
});
