import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeHtml, renderHtml, renderMarkdown } from '../../src/report/doc.js';
import { NOT_READ_LIMITS, PLAN_LIMITS, SCHEMA_LIMITS } from '../../src/report/limits.js';
import { lastDrill, runbookDoc, TIER_TITLES, type RunbookInput } from '../../src/report/runbook.js';
import { readScriptHeader, scriptInventory } from '../../src/ops/procedures.js';
import { writeEvidencePack } from '../../src/report/evidence.js';
import type { Plan } from '../../src/restore/types.js';
import { fixturePlan } from '../restore/fixture-plan.js';
import { HOSTILE, evidenceInput, tempVault } from './fixtures.js';

function plan(): Plan {
  const p = fixturePlan();
  p.manualSteps = [
    { id: 'pw', kind: 'password', title: 'Temporary passwords for 2 users', instructions: 'Hand them out from restore-credentials.age.', objects: ['a-u1', 'a-u2'] },
    { id: 'dns', kind: 'domainVerification', title: 'Verify contoso.example in DNS', instructions: 'Add the TXT record shown by Graph.', objects: [] },
    { id: 'evil', kind: 'other', title: `Review ${HOSTILE}`, instructions: HOSTILE, objects: [] },
  ];
  // a hostile display name in an operation label
  const op = p.operations.find((o) => o.opId === 'g1')!;
  op.label = `group ${HOSTILE}`;
  // shuffle so that rendering, not input order, has to put tiers in order
  p.operations = [...p.operations].reverse();
  return p;
}

async function input(over: Partial<RunbookInput> = {}): Promise<RunbookInput> {
  return {
    scenario: 'tenant-loss',
    generatedAt: '2026-01-03T00:00:00.000Z',
    toolVersion: '0.1.0',
    archive: { path: '/vault/src-tenant/x.evault', tenantId: 'src-tenant', takenAt: '2026-01-01T00:00:00.000Z', sequence: 1, manifestSha256: 'f'.repeat(64), signerKeyId: '0123456789ABCDEF' },
    manifest: { initialDomain: 'contoso.onmicrosoft.com', counts: { objects: { user: 3, group: 1 }, relations: { groupMembers: 1 } }, warnings: [], toolVersion: '0.1.0' },
    plan: plan(),
    lastDrill: { at: '2026-01-02T00:00:00.000Z', scenario: 'tenant-loss', result: 'pass', rtoMs: 90_000, tierMs: { 0: 1000, 2: 60_000 }, objects: '4/4', pack: '/p' },
    scripts: await scriptInventory(),
    names: { 'a-u1': 'alice@contoso.example' },
    procedure: await readScriptHeader('40-recover-tenant-loss.sh'),
    ...over,
  };
}

describe('runbook', () => {
  it('renders the plan tier by tier, in order, with every operation', async () => {
    const i = await input();
    const md = renderMarkdown(runbookDoc(i));
    const at = (s: string) => md.indexOf(s);
    const tiers = [0, 2, 3, 4, 5] as const;
    const pos = tiers.map((t) => at(`### Tier ${t} — ${TIER_TITLES[t].replace(/[()]/g, (c) => c)}`));
    for (const p of pos) expect(p).toBeGreaterThan(0);
    expect([...pos].sort((a, b) => a - b)).toEqual(pos);
    // every op appears, after its tier's heading and before the next one
    for (const op of i.plan!.operations) {
      const t = tiers.indexOf(op.tier as (typeof tiers)[number]);
      const label = op.label.includes('Ops') ? ' | group Ops $(touch PWNED)' : ` | ${op.label} |`;
      const p = at(label);
      expect(p, op.label).toBeGreaterThan(pos[t]!);
      if (t + 1 < pos.length) expect(p, op.label).toBeLessThan(pos[t + 1]!);
    }
    // steps are numbered continuously across tiers
    const steps = md.slice(md.indexOf('### Tier 0'), md.indexOf('## Manual steps'));
    const nums = [...steps.matchAll(/^\| (\d+) \| /gm)].map((m) => Number(m[1]));
    expect(nums).toEqual(i.plan!.operations.map((_, k) => k + 1));
    expect(md).toContain('| 0 | Bootstrap admins | 1 | 1.0 s |');
    expect(md).toContain('| 2 | Objects | 6 | 60.0 s |');
  });

  it('renders every manual step with its instructions, and the permissions and script hashes', async () => {
    const i = await input();
    const md = renderMarkdown(runbookDoc(i));
    expect(md).toContain('## Manual steps (3)');
    for (const [k, s] of i.plan!.manualSteps.entries()) expect(md).toContain(`### M${k + 1}. ${s.title.startsWith('Review') ? 'Review Ops' : s.title}`);
    expect(md).toContain('Hand them out from restore-credentials.age.');
    expect(md).toContain('Objects (2):\n\n- alice@contoso.example (a-u1)\n- a-u2\n');
    for (const p of ['RoleManagement.ReadWrite.Directory', 'Policy.ReadWrite.ConditionalAccess']) expect(md).toContain(`- ${p}`);
    for (const s of i.scripts) expect(md).toContain(`| ${s.path.replace(/_/g, '\\_')} | ${s.sha256} |`);
    expect(md).toContain('Last drill: tenant-loss on 2026-01-02T00:00:00.000Z, result pass, recovery time 90.0 s');
    expect(md).toContain('- [ ] Custody check of the archive');
    // issue 11: every runbook carries the generated list of what no restore brings back
    expect(md).toContain('# What a restore cannot bring back');
    for (const l of PLAN_LIMITS) expect(md).toContain(l.what);
    // and what no archive holds: beta-only settings, custom data the backup does not read
    for (const l of [...SCHEMA_LIMITS, ...NOT_READ_LIMITS]) expect(md).toContain(l.what.replace(/_/g, '\\_').replace(/</g, '\\<').replace(/>/g, '\\>'));
  });

  it('keeps hostile display names literal: Markdown escaped, HTML entity-encoded, one line each', async () => {
    const i = await input({ contacts: [HOSTILE] });
    const doc = runbookDoc(i);
    const md = renderMarkdown(doc);
    const escaped = 'Ops $(touch PWNED) \\`touch PWNED2\\`; rm -rf / \\<b\\>x\\</b\\> \\| \\*y\\* \\[z\\](u) \\\\n# h';
    expect(md).toContain(`- ${escaped}`);
    expect(md).toContain(`| group ${escaped} |`);
    expect(md).not.toMatch(/^# h/m);
    const html = renderHtml(doc);
    expect(html).toContain(`<li>${escapeHtml('Ops $(touch PWNED) `touch PWNED2`; rm -rf / <b>x</b> | *y* [z](u) \\n# h')}</li>`);
    expect(html).not.toContain('<b>x</b>');
    expect(html).not.toMatch(/<script/i);
  });

  it('without a plan says how to get one', async () => {
    const md = renderMarkdown(runbookDoc(await input({ plan: undefined, lastDrill: null, lastDrillNote: 'no drill recorded in the vault\'s audit log' })));
    expect(md).toContain('Not computed: give --target');
    expect(md).toContain('No drill figure: no drill recorded');
  });

  it('reads the last drill of the scenario from the vault audit log', async () => {
    const v = await tempVault();
    expect((await lastDrill(v.vault, 'tenant-loss')).drill).toBeNull();
    await writeEvidencePack(join(v.root, 'a'), evidenceInput({ rtoMs: 1000 }), { signingKey: v.key, vault: v.vault });
    await writeEvidencePack(join(v.root, 'b'), evidenceInput({ scenario: 'all-admins-deleted', rtoMs: 2000 }), { signingKey: v.key, vault: v.vault });
    expect((await lastDrill(v.vault, 'tenant-loss')).drill).toMatchObject({ scenario: 'tenant-loss', rtoMs: 1000, tierMs: { 0: 1000, 2: 200000 } });
    expect((await lastDrill(v.vault, 'all-admins-deleted')).drill).toMatchObject({ rtoMs: 2000 });
    const log = join(v.vault, 'audit.log');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(log, readFileSync(log, 'utf8').replace('"rtoMs":1000', '"rtoMs":10'));
    const broken = await lastDrill(v.vault, 'tenant-loss');
    expect(broken.drill).toBeNull();
    expect(broken.note).toContain('not trusted');
  });
});
