/**
 * Stored-plan vectors (docs/journal-format.md "The stored plan"): each
 * test/vectors/plan-file/<case>.plan.age is read by the real loadPlan with the test identity and
 * must give the result in <case>.expected.json. Regenerate: npx tsx scripts/gen-plan-file-vectors.ts
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadIdentity } from '../../src/crypto/age.js';
import { isVaultError } from '../../src/errors.js';
import { loadPlan, planSha256 } from '../../src/ops/restore-pipeline.js';

const dir = join(import.meta.dirname, 'plan-file');
interface Expected {
  description: string;
  expect: { ok: true; operations: number; planSha256: string } | { error: string };
}
const cases = readdirSync(dir).filter((f) => f.endsWith('.expected.json')).sort();

describe('stored plan vectors', () => {
  it('has vectors', () => {
    expect(cases.length).toBeGreaterThanOrEqual(11);
  });
  for (const f of cases) {
    const name = f.slice(0, -'.expected.json'.length);
    const v = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Expected;
    it(`${name}: ${v.description}`, async () => {
      const identity = (await loadIdentity(join(import.meta.dirname, 'keys', 'test-identity.txt')))[0]!;
      let result: Expected['expect'];
      try {
        const { plan } = await loadPlan(join(dir, `${name}.plan.age`), identity);
        result = { ok: true, operations: plan.operations.length, planSha256: planSha256(plan) };
      } catch (e) {
        if (!isVaultError(e)) throw e;
        result = { error: e.code };
      }
      expect(result).toEqual(v.expect);
    });
  }
});
