/**
 * Restore-journal vectors (docs/journal-format.md): each test/vectors/journal/<case>.journal
 * is opened by the real openJournal (on a copy: opening truncates a torn tail) and must
 * give the result in <case>.expected.json. Regenerate: npx tsx scripts/gen-journal-vectors.ts
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isVaultError } from '../../src/errors.js';
import { openJournal, type PlanIdentity } from '../../src/restore/execute/journal.js';

const dir = join(import.meta.dirname, 'journal');
interface Expected {
  description: string;
  identity: PlanIdentity;
  expect: { ok: true; records: number; tornLastLine: boolean } | { error: string; line?: number };
}
const cases = readdirSync(dir).filter((f) => f.endsWith('.expected.json')).sort();

describe('restore journal vectors', () => {
  it('has vectors', () => {
    expect(cases.length).toBeGreaterThanOrEqual(7);
  });
  for (const f of cases) {
    const name = f.slice(0, -'.expected.json'.length);
    const v = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Expected;
    it(`${name}: ${v.description}`, () => {
      const copy = join(mkdtempSync(join(tmpdir(), 'ev-jv-')), 'j.journal');
      copyFileSync(join(dir, `${name}.journal`), copy);
      let result: Expected['expect'];
      try {
        const j = openJournal(copy, v.identity);
        result = { ok: true, records: j.recordsRead, tornLastLine: j.tornLastLine };
        j.close();
      } catch (e) {
        if (!isVaultError(e)) throw e;
        const line = /line (\d+)/.exec(e.message)?.[1];
        result = { error: e.code, ...(line && 'line' in v.expect ? { line: Number(line) } : {}) };
      }
      expect(result).toEqual(v.expect);
    });
  }
});
