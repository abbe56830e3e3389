import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { textReporter } from '../../src/cli/reporters.js';

function lines(events: Parameters<ReturnType<typeof textReporter>['report']>[0][]): string[] {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const r = textReporter(out);
  for (const e of events) r.report(e);
  return text.split('\n').filter(Boolean);
}

describe('text reporter', () => {
  it('prints every failed operation with its reason, even between throttled progress lines (issue 12 item 12)', () => {
    const run = { done: 1, total: 3, failed: 0, skipped: 0 };
    const out = lines([
      { kind: 'progress', phase: 'restore tier 2', item: 'create user a', done: 1, total: 3, run },
      { kind: 'progress', phase: 'restore tier 2', item: 'create user b', done: 2, total: 3, run: { ...run, done: 2, failed: 1 }, outcome: 'failed', reason: '[GRAPH_THROTTLED] throttled (429) after retries' },
      { kind: 'progress', phase: 'restore tier 2', item: 'create user c', done: 2, total: 3, run: { ...run, done: 3, failed: 1 } },
    ]);
    expect(out).toEqual(['   restore tier 2 create user a: 1/3', '   failed: create user b: [GRAPH_THROTTLED] throttled (429) after retries']);
  });
});
