/**
 * Issue 11 item 6: the attributes scenario refuses names it cannot restore (before any
 * planning or Graph call), and a restore's exit follows fidelity in every scenario
 * (README "Errors and exit codes": 1 when fidelity is below 100 %).
 */
import { describe, expect, it } from 'vitest';
import { formatError } from '../../src/cli/exit.js';
import { descriptor } from '../../src/catalog/index.js';
import { VaultError } from '../../src/errors.js';
import type { TenantData } from '../../src/model.js';
import { restoreComplete, runRestore, type RunRestoreOptions, type RunRestoreResult } from '../../src/ops/restore.js';
import { checkAttributeSelection, restorableAttributes } from '../../src/restore/plan/attributes.js';
import { silentReporter } from '../../src/progress.js';
import { systemClock } from '../../src/clock.js';

const archive: TenantData = {
  tenantId: 't', initialDomain: 't.onmicrosoft.com',
  objects: { user: [{ id: 'u1', displayName: 'Ann', jobTitle: 'x' }], group: [{ id: 'g1', displayName: 'G' }] },
  relations: {},
};

function refusal(f: () => unknown): VaultError {
  try {
    f();
  } catch (e) {
    if (e instanceof VaultError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('attributes scenario: names it cannot restore are refused', () => {
  it('refuses manager (a relation), a user property the archive leaves out (signInActivity) and unknown names, listing what a user supports', () => {
    // customSecurityAttributes is archived and restorable since issue 11 item 1: it is accepted
    expect(() => checkAttributeSelection(archive, ['u1'], ['customSecurityAttributes'])).not.toThrow();
    for (const name of ['manager', 'signInActivity', 'noSuchThing']) {
      const e = refusal(() => checkAttributeSelection(archive, ['u1'], ['jobTitle', name]));
      expect(e.code).toBe('ATTRIBUTE_UNSUPPORTED');
      expect(e.message).toContain(name);
      expect(e.message).toContain('user');
      const f = formatError(e);
      expect(f.code).toBe(2);
      expect(f.text.split('\n')).toHaveLength(1);
      expect(f.text).toContain('jobTitle');
      expect(f.text).toContain('department');
    }
  });

  it('accepts writable attributes of any selected type, refuses names of none', () => {
    expect(() => checkAttributeSelection(archive, ['u1'], ['jobTitle', 'department'])).not.toThrow();
    // jobTitle is a user's, not a group's: applied to the user (the wizard selects across types)
    expect(() => checkAttributeSelection(archive, ['u1', 'g1'], ['jobTitle'])).not.toThrow();
    expect(refusal(() => checkAttributeSelection(archive, ['g1'], ['jobTitle'])).message).toContain('group');
  });

  it('the supported list never holds read-only or excluded names, nor relations', () => {
    const d = descriptor('user');
    const ok = restorableAttributes(d);
    expect(ok).toContain('jobTitle');
    for (const p of [...d.readOnly, ...Object.keys(d.excluded), 'id', 'manager']) expect(ok).not.toContain(p);
  });

  it('runRestore refuses before planning or reading the target (the CLI and the wizard share it)', async () => {
    const o = {
      archive, archiveMeta: { tenantId: 't', takenAt: '2026-01-01T00:00:00Z', manifestSha256: 'x' },
      // any Graph call would fail: the refusal must come first
      graph: new Proxy({}, { get: () => { throw new Error('Graph touched'); } }),
      targetTenantId: 't', scenario: 'attributes', selection: { objectIds: ['u1'], attributes: ['manager'] },
      dryRun: true, journalPath: '/nonexistent/j', reporter: silentReporter, clock: systemClock,
    } as unknown as RunRestoreOptions;
    await expect((async () => runRestore(o))()).rejects.toMatchObject({ code: 'ATTRIBUTE_UNSUPPORTED' });
  });
});

describe('restore exit follows fidelity', () => {
  const totals = { objectsExpected: 2, objectsRestored: 2, attributesExpected: 5, attributesMatching: 5, relationsExpected: 1, relationsRestored: 1 };
  const ex = { paused: false, failures: [] } as unknown as NonNullable<RunRestoreResult['execution']>;
  const fid = (over: Partial<typeof totals>, deviations: unknown[] = []) =>
    ({ types: [], relations: [], totals: { ...totals, ...over }, deviations }) as unknown as NonNullable<RunRestoreResult['fidelity']>;

  it('complete only with no failure, no shortfall and no deviation at all', () => {
    expect(restoreComplete({ execution: ex, fidelity: fid({}) })).toBe(true);
    // the issue: missing manager edges were deviations, yet the exit was 0
    expect(restoreComplete({ execution: ex, fidelity: fid({ relationsRestored: 0 }, [{ what: 'relationMissing', relation: 'manager', reason: '→ u2: no operation in the plan' }]) })).toBe(false);
    expect(restoreComplete({ execution: ex, fidelity: fid({ attributesMatching: 4 }, [{ what: 'attributeDiffers', reason: 'not run' }]) })).toBe(false);
    expect(restoreComplete({ execution: ex, fidelity: fid({}, [{ what: 'objectMissing', reason: 'operation failed: 400' }]) })).toBe(false);
    // a deviation with its reason and manual step is reported AND makes the exit non-zero
    // (issue 11: "appears in the report as a deviation … and the exit code is non-zero")
    expect(restoreComplete({ execution: ex, fidelity: fid({ objectsRestored: 1 }, [{ what: 'objectMissing', reason: 'synced from on-premises AD: restore it there' }]) })).toBe(false);
    expect(restoreComplete({ execution: ex })).toBe(false);
    expect(restoreComplete({ execution: { ...ex, paused: true }, fidelity: fid({}) })).toBe(false);
    expect(restoreComplete({ execution: { ...ex, failures: [{}] } as never, fidelity: fid({}) })).toBe(false);
  });
});
