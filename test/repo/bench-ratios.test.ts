/**
 * The `client-ratio` line of `npm run bench -- client --users 10000,100000` (bench/client.mts
 * clientRatios): issue 17's ratios, the larger size against the smaller, each size's figure the
 * median of its restores.
 */
import { describe, expect, it } from 'vitest';
import { clientRatios, kindFigures, type ClientRun, type KindFigure } from '../../bench/client.mts';

const run = (users: number, rss: number, t2: number, t3: number, ga: number, failures = 0): ClientRun => ({
  users, restorePeakRssMiB: rss, failures, phases: { firstGlobalAdminSeconds: ga },
  perTier: { tier2: { ops: 1, seconds: 1, perSec: t2 }, tier3: { ops: 1, seconds: 1, perSec: t3 } },
});

describe('bench client ratios', () => {
  it('compares the medians of each size, larger over smaller, and keeps the highest peak RSS', () => {
    const r = clientRatios([
      run(10_000, 250, 600, 3500, 0.6), run(10_000, 244, 800, 2800, 0.7), run(10_000, 248, 700, 3100, 0.9, 1),
      run(100_000, 998, 735, 2925, 2.8),
    ]);
    expect(r).toMatchObject({
      small: { users: 10_000, runs: 3, failures: 1, peakRssMiB: 248, peakRssMiBMax: 250, perSec: { tier2: 700, tier3: 3100 }, firstGlobalAdminSeconds: 0.7 },
      large: { users: 100_000, runs: 1, peakRssMiB: 998, perSec: { tier2: 735, tier3: 2925 } },
      peakRssRatio: 4.02,
      perSecRatio: { tier2: 1.05, tier3: 0.94 },
    });
  });

  it('an even count takes the mean of the middle two; one size gives no ratio line', () => {
    const r = clientRatios([run(1000, 100, 10, 10, 1), run(1000, 110, 30, 30, 1), run(2000, 210, 20, 40, 1)]);
    expect(r).toMatchObject({ small: { peakRssMiB: 105, perSec: { tier2: 20, tier3: 20 } }, peakRssRatio: 2, perSecRatio: { tier2: 1, tier3: 2 } });
    expect(clientRatios([run(1000, 100, 10, 10, 1)])).toBeUndefined();
  });

  it('per kind of operation: done ops over the span from the first start to the last done, from journal records', () => {
    const at = (ms: number) => new Date(Date.UTC(2026, 11, 6, 9, 0, 0, ms)).toISOString();
    const figures = kindFigures([
      { opId: 'add:groupMembers:g1:u1', state: 'started', at: at(0) },
      { opId: 'add:groupMembers:g1:u2', state: 'started', at: at(0) },
      { opId: 'add:groupMembers:g1:u1', state: 'done', at: at(400) },
      { opId: 'add:groupMembers:g1:u2', state: 'done', at: at(500) },
      { opId: 'add:userManager:u1:u2', state: 'started', at: at(100) },
      { opId: 'add:userManager:u1:u2', state: 'failed', at: at(900) },
      { opId: 'create:user:u3', state: 'started', at: at(200) },
      { opId: 'create:user:u3', state: 'done', at: at(450) },
      { kind: 'entra-vault-restore-journal', at: at(0) } as { opId?: unknown; at?: unknown },
    ]);
    // a kind with no op done is left out; a failed op is not counted
    expect(figures).toEqual({ 'add:groupMembers': { ops: 2, seconds: 0.5, perSec: 4 }, 'create:user': { ops: 1, seconds: 0.25, perSec: 4 } });
  });

  it('per-kind ratios only for kinds with at least 1,000 ops at the smaller size', () => {
    const withKinds = (r: ClientRun, k: Record<string, KindFigure>): ClientRun => ({ ...r, perKind: k });
    const r = clientRatios([
      withKinds(run(10_000, 250, 600, 3500, 0.6), { 'add:groupMembers': { ops: 12_000, seconds: 2, perSec: 6000 }, 'create:domain': { ops: 3, seconds: 0.1, perSec: 30 } }),
      withKinds(run(100_000, 900, 600, 3000, 3), { 'add:groupMembers': { ops: 120_000, seconds: 24, perSec: 5000 }, 'create:domain': { ops: 3, seconds: 0.2, perSec: 15 } }),
    ]);
    expect(r?.['perKindRatio']).toEqual({ 'add:groupMembers': { ops: [12_000, 120_000], perSec: [6000, 5000], ratio: 0.83 } });
  });
});
