import { describe, expect, test } from 'vitest';
import { diffTenant } from '../../src/restore/diff.js';
import { buildPlan } from '../../src/restore/plan/planner.js';
import { planToJson, renderDiffText, renderPlanText, wrap } from '../../src/restore/render.js';
import { emptyLive, liveCopy, meta, sampleArchive, user } from './planner-fixtures.js';

function longTenant() {
  const archive = sampleArchive();
  archive.objects.user!.push(
    user('u-long', `${'very-long-local-part-'.repeat(6)}@contoso.com`, { displayName: `Name with $(rm -rf /); \`x\`\nsecond line ${'Ü'.repeat(90)}` }),
  );
  const ca = archive.objects.conditionalAccessPolicy![0]!;
  (ca['conditions'] as { users: { includeGroups: string[] } }).users.includeGroups.push('g-ghost-with-a-rather-long-identifier-0000000000000000');
  return archive;
}

describe('renderPlanText', () => {
  const plan = buildPlan({ archive: longTenant(), archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });

  test('every line fits 80 columns (and 60 when asked)', () => {
    for (const width of [80, 60]) {
      const text = renderPlanText(plan, { width });
      for (const line of text.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(width);
    }
  });

  test('shows tiers with counts, operations, unresolved refs, report-only CA and manual steps', () => {
    const text = renderPlanText(plan);
    const tier0 = plan.operations.filter((o) => o.tier === 0).length;
    expect(text).toContain(`Tier 0 — bootstrap admins (${tier0})`);
    expect(text).toContain('Tier 4 — conditional access');
    expect(text).toContain('Unresolved references (1)');
    expect(text).toContain('keptReportOnly');
    expect(text).toContain('Conditional Access policies kept report-only (1)');
    expect(text).toContain('Manual steps');
    expect(text).toContain('contoso.com → fresh.onmicrosoft.com');
  });

  test('a display name with a newline stays on its line, shown literally', () => {
    const text = renderPlanText(plan);
    expect(text).toContain('$(rm -rf /); `x`\\nsecond');
    expect(text.split('\n').some((l) => l.startsWith('second line'))).toBe(false);
  });
});

describe('renderDiffText', () => {
  test('lists statuses and changes within 80 columns', () => {
    const archive = longTenant();
    const live = liveCopy(archive);
    live.objects.user = live.objects.user!.filter((u) => u.id !== 'u-admin');
    live.objects.user.find((u) => u.id === 'u-bob')!['jobTitle'] = 'x'.repeat(200);
    const text = renderDiffText(diffTenant(archive, live));
    for (const line of text.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
    expect(text).toContain('Missing (must be recreated) (1)');
    expect(text).toContain('~ jobTitle:');
    expect(text).toMatch(/^Diff: \d+ equal, 1 changed, 0 soft-deleted, 1 missing, 0 extra/);
  });
});

describe('planToJson', () => {
  test('stable, pretty, round-trips', () => {
    const a = buildPlan({ archive: sampleArchive(), archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    const b = buildPlan({ archive: sampleArchive(), archiveMeta: meta, live: emptyLive(), scenario: 'tenant-loss' });
    const json = planToJson(a);
    expect(planToJson(b)).toBe(json);
    expect(JSON.parse(json)).toEqual(a);
    expect(json.startsWith('{\n  "appIdMap"')).toBe(true);
    expect(json.endsWith('}\n')).toBe(true);
  });
});

describe('wrap', () => {
  test('breaks words longer than the line and keeps prefixes', () => {
    const lines = wrap(`short ${'x'.repeat(50)} end`, 20, '- ', '  ');
    expect(lines[0]).toBe('- short');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(20);
    expect(lines.slice(1).every((l) => l.startsWith('  '))).toBe(true);
    expect(lines.join('').replace(/[\s-]/g, '')).toBe(`short${'x'.repeat(50)}end`);
  });
});
