/**
 * Issue 3 / docs/reliability.md: a backup taken while Graph throttles (429 + Retry-After),
 * fails with 5xx and lags replication yields the same archive content — the same
 * manifest entries (path, size, sha256) — as one taken without faults.
 */
import { describe, expect, it } from 'vitest';
import { seedTenant } from '../../src/emulator/seed/index.js';
import { backupThrough, InstantSleepClock, newKeys, withEmulator, withPerObjectProperties } from './helpers.js';

describe('backup under faults', () => {
  it('throttling, 5xx and replication lag do not change a single archived byte', async () => {
    const tenant = withPerObjectProperties(seedTenant({ seed: 11, users: 40 }));
    const keys = await newKeys();
    // one clock for the emulator's Retry-After windows and the client's waits: a wait
    // returns at once but moves both past the window, as real time would
    const clock = new InstantSleepClock();
    await withEmulator(tenant, async (emu) => {
      const ctl = emu.tenant(tenant.tenantId);
      const clean = await backupThrough(emu, tenant, keys, { clock });
      await clean.archive.close();

      ctl.resetStats();
      ctl.setFaults({ throttleFraction: 0.2, retryAfterSeconds: 1, errorRate: 0.05, replicationLagMs: 2000, seed: 3 });
      const faulty = await backupThrough(emu, tenant, keys, { clock });
      await faulty.archive.close();
      const st = ctl.stats();

      // the faults really happened (otherwise this test proves nothing)
      expect(st.throttled).toBeGreaterThan(5);
      // the 429s were waited out (Retry-After: 1 s), on the injected clock; concurrent
      // calls share one wait, so there are fewer seconds than 429s
      expect(clock.slept).toBeGreaterThanOrEqual(5 * 1000);
      expect(faulty.result.graphRequests).toBeGreaterThan(clean.result.graphRequests);
      expect(faulty.archive.manifest.entries.length).toBeGreaterThan(10);
      expect(faulty.archive.manifest.entries).toEqual(clean.archive.manifest.entries);
      expect(faulty.archive.manifest.counts).toEqual(clean.archive.manifest.counts);
      expect(faulty.archive.manifest.warnings).toEqual([]);
      expect(faulty.archive.manifest.takenAt).not.toBe('');
    }, { clock });
  }, 240_000);
});
