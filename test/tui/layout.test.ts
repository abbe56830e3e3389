/**
 * The wizard's layout helpers (tui/layout.ts) and run-progress summaries
 * (tui/run-progress.ts), pure: issue 12 items 10, 11 and 12.
 */
import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { chooseBlocks, fitMiddle, fitStart, helpLines, packItems, stepBarParts, tooSmall, wrapLines, MIN_COLUMNS, MIN_ROWS } from '../../tui/layout.js';
import { ETA_MIN_MS, ETA_MIN_OPS, STALL_MS, emptyRun, overallOf, reduceProgress, reduceWait, throttleLine, waitLine } from '../../tui/run-progress.js';
import { detailLines } from '../../tui/detail.js';

const TITLES = ['Scenario', 'Archive', 'Unlock', 'Connect', 'Plan', 'Confirm', 'Execute', 'Report'];
const bar = (current: number, width: number): string => stepBarParts(TITLES, current, width).map((p) => p.text).join('');

describe('layout to the terminal (issue 12 item 10)', () => {
  it('the step bar shows every step where they fit, else the current one with its neighbours and where it stands', () => {
    expect(bar(4, 80)).toBe('Scenario › Archive › Unlock › Connect › [Plan] › Confirm › Execute › Report');
    for (const width of [40, 50, 60, 74]) {
      for (let current = 0; current < TITLES.length; current++) {
        const text = bar(current, width);
        expect(stringWidth(text), text).toBeLessThanOrEqual(width);
        expect(text).toContain(`[${TITLES[current]}]`);
        expect(text.startsWith(`${current + 1}/8 `)).toBe(true);
      }
    }
    expect(bar(4, 60)).toBe('5/8 … › Connect › [Plan] › Confirm › Execute › Report');
  });

  it('the key line wraps at its separators, never inside a key', () => {
    const help = '↑↓ move · → details · space select · a all · r re-plan · tab view · enter next · esc back';
    expect(helpLines(help, 200)).toEqual([help]);
    const lines = helpLines(help, 60);
    expect(lines).toEqual(['↑↓ move · → details · space select · a all · r re-plan', 'tab view · enter next · esc back']);
    expect(packItems(['a-very-long-single-key-description'], 10).every((l) => l.length <= 10)).toBe(true);
  });

  it('has a minimum size', () => {
    expect(tooSmall({ columns: MIN_COLUMNS, rows: MIN_ROWS })).toBe(false);
    expect(tooSmall({ columns: MIN_COLUMNS - 1, rows: 50 })).toBe(true);
    expect(tooSmall({ columns: 200, rows: MIN_ROWS - 1 })).toBe(true);
  });

  it('drops the most droppable parts first until a screen fits, never the ones that must stay', () => {
    const blocks = [{ rows: 1, drop: 0 }, { rows: 1, drop: 9 }, { rows: 2, drop: 5 }, { rows: 1, drop: 0 }, { rows: 1, drop: 7 }];
    expect(chooseBlocks(blocks, 6)).toEqual([true, true, true, true, true]);
    expect(chooseBlocks(blocks, 4)).toEqual([true, false, true, true, false]);
    expect(chooseBlocks(blocks, 1)).toEqual([true, false, false, true, false]);
  });
});

describe('cut text stays readable (issue 12 item 11)', () => {
  it('wraps at spaces, inside a word only when it must, and never loses a character', () => {
    const text = 'Open the encrypted credentials file with your identity: /media/keys/a-very-long-path-without-any-space-in-it/identity.txt';
    for (const width of [20, 37, 60]) {
      const lines = wrapLines(text, width);
      expect(lines.every((l) => stringWidth(l) <= width)).toBe(true);
      expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    }
    expect(wrapLines('', 10)).toEqual(['']);
    expect(wrapLines('a\u001b[31mred', 20)).toEqual(['a [31mred']);
  });

  it('two type names with the same long prefix stay distinguishable when cut in the middle', () => {
    const a = fitMiddle('crossTenantAccessPolicyConfigurationDefault', 23);
    const b = fitMiddle('crossTenantAccessPolicyConfigurationPartner', 23);
    expect(a).not.toBe(b);
    expect([...a]).toHaveLength(23);
    expect(a).toBe('crossTenant…tionDefault');
    expect(fitMiddle('user', 23)).toBe('user');
    expect(fitStart('/a/long/path/to/restore-report.md', 20)).toBe('…o/restore-report.md');
  });

  it('a detail shows every field whole, its text wrapped beside its label', () => {
    const lines = detailLines({ title: 't', fields: [['Operation', 'create user Alice'], ['Reason', '[GRAPH_THROTTLED] Graph POST /users throttled (429) after retries, and more']] }, 40);
    expect(lines.every((l) => stringWidth(l) <= 40)).toBe(true);
    expect(lines[0]).toBe('Operation  create user Alice');
    expect(lines.slice(1).join(' ').replace(/\s+/g, ' ')).toBe('Reason [GRAPH_THROTTLED] Graph POST /users throttled (429) after retries, and more');
    expect(lines[2]!.startsWith('           ')).toBe(true);
  });
});

describe('progress tells the truth (issue 12 item 12)', () => {
  const t0 = Date.parse('2026-12-04T03:00:00Z');
  const settle = (done: number, at: number, extra: { failed?: number; outcome?: 'failed' } = {}) =>
    ({ kind: 'progress', phase: 'restore tier 2', item: `op ${done}`, done, total: 100, run: { done, total: 100, failed: extra.failed ?? 0, skipped: 0 }, ...(extra.outcome ? { outcome: extra.outcome, reason: '[GRAPH_UNAVAILABLE] 503' } : {}) }) as const;

  it('the ETA stays unknown until enough operations and time were observed, then follows the observed rate', () => {
    let run = emptyRun(t0);
    run = reduceProgress(run, settle(1, t0 + 1000), t0 + 1000);
    expect(overallOf(run, t0 + 1000, true).etaMs).toBeNull();
    run = reduceProgress(run, settle(1 + ETA_MIN_OPS, t0 + 3000), t0 + 3000);
    // enough operations, too little time
    expect(overallOf(run, t0 + 3000, true).etaMs).toBeNull();
    run = reduceProgress(run, settle(21, t0 + 1000 + ETA_MIN_MS * 2), t0 + 1000 + ETA_MIN_MS * 2);
    // 20 operations in 10 s: 79 left take 39.5 s
    expect(overallOf(run, t0 + 1000 + ETA_MIN_MS * 2, true).etaMs).toBe(39_500);
    expect(overallOf(run, t0 + 11_000, true).elapsedMs).toBe(11_000);
  });

  it('a run with nothing completing for 15 s is stalled since its last completion; a finished run is not', () => {
    let run = emptyRun(t0);
    expect(overallOf(run, t0 + STALL_MS - 1, true).stalledSince).toBeNull();
    expect(overallOf(run, t0 + STALL_MS, true).stalledSince).toBe(t0);
    run = reduceProgress(run, settle(5, t0 + 4000), t0 + 4000);
    // throttling and retries are not progress
    run = reduceProgress(run, { kind: 'throttled', waitMs: 30_000, status: 429, path: '/users', attempt: 1 }, t0 + 10_000);
    run = reduceProgress(run, { kind: 'retry', reason: 'HTTP 503', path: '/users', attempt: 1, waitMs: 1000 }, t0 + 12_000);
    expect(overallOf(run, t0 + 4000 + STALL_MS - 1, true).stalledSince).toBeNull();
    expect(overallOf(run, t0 + 4000 + STALL_MS + 5000, true).stalledSince).toBe(t0 + 4000);
    expect(overallOf(run, t0 + 4000 + STALL_MS + 5000, false).stalledSince).toBeNull();
    // no ETA while stalled, whatever the rate before
    run = reduceProgress(run, settle(20, t0 + 5000), t0 + 5000);
    expect(overallOf(run, t0 + 9000, true).etaMs).not.toBeNull();
    expect(overallOf(run, t0 + 5000 + STALL_MS, true).etaMs).toBeNull();
  });

  it('failures are counted and listed as they settle, throttling and retries collapse into counts with the last one', () => {
    let run = emptyRun(t0);
    run = reduceProgress(run, settle(1, t0), t0);
    run = reduceProgress(run, settle(2, t0, { failed: 1, outcome: 'failed' }), t0);
    for (let i = 1; i <= 5; i++) run = reduceProgress(run, { kind: 'throttled', waitMs: i * 1000, status: 429, path: '/users', attempt: i }, t0);
    expect(run.counts).toEqual({ done: 2, total: 100, failed: 1, skipped: 0 });
    expect(run.failures).toEqual([{ label: 'op 2', reason: '[GRAPH_UNAVAILABLE] 503' }]);
    expect(run.log).toEqual([]);
    expect(throttleLine(run, (ms) => `${ms / 1000}s`)).toBe('Throttled 5 times, waited 15s (last: Retry-After 5 s, 429 on /users)');
  });

  it('a wait says what it is doing and how often it was throttled', () => {
    let w = reduceWait(null, { kind: 'phase', phase: 'live', message: 'reading objects' });
    expect(waitLine(w)).toBe('reading objects');
    w = reduceWait(w, { kind: 'progress', phase: 'live', item: 'user', done: 1500, ratePerSec: 300 });
    w = reduceWait(w, { kind: 'throttled', waitMs: 2500, status: 429, path: '/users', attempt: 1 });
    w = reduceWait(w, { kind: 'log', level: 'debug', message: 'graph GET /users -> 200' });
    expect(waitLine(w)).toBe('user 1,500 · throttled 1 time (last: Retry-After 3 s)');
    expect(waitLine(null)).toBeNull();
  });
});
