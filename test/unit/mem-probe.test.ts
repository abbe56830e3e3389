/** The memory marks' counter (src/mem-probe.ts memMarkEvery): one mark every n calls, none without a probe. */
import { afterEach, describe, expect, it } from 'vitest';
import { memMarkEvery, setMemProbe } from '../../src/mem-probe.js';

describe('memMarkEvery', () => {
  afterEach(() => setMemProbe(undefined));

  it('marks once every n calls, at the nth', () => {
    const marks: number[] = [];
    let calls = 0;
    setMemProbe((label) => marks.push(Number(label === 'verify:relations') * calls));
    const tick = memMarkEvery('verify:relations', 3);
    for (calls = 1; calls <= 10; calls++) tick();
    expect(marks).toEqual([3, 6, 9]);
  });

  it('is a counter only while no probe is installed', () => {
    const tick = memMarkEvery('verify:relations', 1);
    expect(() => tick()).not.toThrow();
  });
});
