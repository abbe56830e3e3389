/**
 * The `client-ratio` line of `npm run bench -- client --users 10000,100000` (bench/client.mts
 * clientRatios): issue 17's ratios, the larger size against the smaller, each size's figure the
 * median of its restores.
 */
import { describe, expect, it } from 'vitest';
import { clientRatios, type ClientRun } from '../../bench/client.mts';

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
});
