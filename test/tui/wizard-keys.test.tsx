/**
 * Issue 12 item 13: the wizard's text fields edit at a cursor (←/→, Home/End, Ctrl-A/E,
 * Delete, Backspace, Ctrl-U, Ctrl-W, insertion), every key of one chunk applied in order;
 * the cursor is drawn (inverse where the terminal has attributes) and a masked field
 * shows only asterisks; ← inside a field moves the cursor and never leaves the step.
 */
import { afterEach, describe, expect, it } from 'vitest';
import chalk from 'chalk';
import { KEY, mount, type Driver } from './harness.js';
import { toConnect } from './journey.js';
import { FakeServices, IDENTITY, PASSPHRASE } from './fake-services.js';
import { editChunk } from '../../tui/text-field.js';

const drivers: Driver[] = [];
function start(services: FakeServices, opts: Parameters<typeof mount>[1] = {}): Driver {
  const d = mount(services, opts);
  drivers.push(d);
  return d;
}
afterEach(() => {
  for (const d of drivers.splice(0)) d.unmount();
});

const HOME = '\u001B[H';
const END = '\u001B[F';
const DEL = '\u001B[3~';
const CTRL_A = '\u0001';
const CTRL_E = '\u0005';


const connects = (f: FakeServices): string[] => f.calls.filter((c) => c.startsWith('connect'));

describe('text fields edit at a cursor (issue 12 item 13)', () => {
  it('editChunk: each key at the cursor, in order', () => {
    const at = (value: string, cursor = value.length) => ({ value, cursor });
    expect(editChunk(at('target.json'), `${KEY.left.repeat(5)}X`)).toEqual({ value: 'targetX.json', cursor: 7 });
    expect(editChunk(at('abc'), `${HOME}X${END}Y`)).toEqual({ value: 'XabcY', cursor: 5 });
    expect(editChunk(at('abc'), `${CTRL_A}${DEL}${CTRL_E}${KEY.backspace}`)).toEqual({ value: 'b', cursor: 1 });
    expect(editChunk(at('one two three', 8), KEY.ctrlU)).toEqual({ value: 'three', cursor: 0 });
    expect(editChunk(at('one two three', 8), KEY.ctrlW)).toEqual({ value: 'one three', cursor: 4 });
    expect(editChunk(at('ab', 0), `${KEY.left}${KEY.backspace}${DEL}${DEL}${DEL}`)).toEqual({ value: '', cursor: 0 });
    expect(editChunk(at('ab', 1), `x${KEY.enter}y`)).toEqual({ value: 'axb', cursor: 2, submitted: 'axb' });
  });

  it('←/→, Home/End, Ctrl-A/E, Delete and Backspace edit in the middle; Enter submits the whole value', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toConnect(d);
    await d.type('targt.json');
    // each key its own write, as typed
    await d.press(KEY.left, KEY.left, KEY.left, KEY.left, KEY.left, KEY.left, 'e');
    await d.press(HOME, 'x', CTRL_E, 'Z', KEY.backspace, CTRL_A, DEL, END);
    await d.press(KEY.enter);
    await d.waitFor('Preflight: contoso DR target');
    expect(connects(f)).toEqual(['connect target.json']);
  });

  it('keys of one chunk are all applied in order (escape sequences and control keys included)', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toConnect(d);
    await d.type(`wrong/target.jsn${KEY.left}o${HOME}${DEL.repeat(6)}${END}`);
    await d.burst(KEY.left.repeat(5), KEY.ctrlW, 'target', END, KEY.enter);
    await d.waitFor('Preflight: contoso DR target');
    expect(connects(f)).toEqual(['connect target.json']);
  });

  it('ctrl-u clears before the cursor and ctrl-w deletes the word before it, keeping what follows', async () => {
    const f = new FakeServices();
    const d = start(f);
    await toConnect(d);
    await d.type('old/dir/target.json');
    await d.press(KEY.left.repeat(11), KEY.ctrlU);
    await d.waitFor((f) => f.includes('Profile: ') && !f.includes('old/'));
    await d.type('a b ');
    await d.press(KEY.ctrlW, KEY.ctrlW, KEY.enter);
    await d.waitFor('Preflight: contoso DR target');
    expect(connects(f)).toEqual(['connect target.json']);
  });

  it('the cursor is drawn as an inverse character where it is, and at the end', async () => {
    const level = chalk.level;
    chalk.level = 1;
    try {
      const d = start(new FakeServices());
      await toConnect(d);
      await d.type('target.json');
      // at the end: an inverse space after the value
      await d.waitFor('target.json\u001B[7m \u001B[27m');
      await d.press(KEY.left, KEY.left, KEY.left, KEY.left, KEY.left);
      await d.waitFor('target\u001B[7m.\u001B[27mjson');
    } finally {
      chalk.level = level;
    }
  });

  it('without attributes (no colour support) the cursor is still shown: a bar before the character, _ at the end', async () => {
    const d = start(new FakeServices());
    await toConnect(d);
    await d.type('target.json');
    await d.waitFor('Profile: target.json_');
    await d.press(KEY.left, KEY.left, KEY.left, KEY.left, KEY.left);
    await d.waitFor('Profile: target▏.json');
  });

  it('a masked field shows only asterisks, the cursor on one of them', async () => {
    const level = chalk.level;
    chalk.level = 1;
    try {
      const f = new FakeServices();
      const d = start(f);
      await d.waitFor('enter choose');
      await d.press(KEY.enter);
      await d.waitFor('Archives in');
      await d.press(KEY.enter);
      await d.waitFor('Unlock the archive');
      await d.press(KEY.tab);
      await d.type(`${PASSPHRASE}x`);
      await d.press(KEY.left);
      await d.waitFor(`Passphrase: ${'*'.repeat(PASSPHRASE.length)}\u001B[7m*\u001B[27m`);
      await d.press(DEL);
      await d.waitFor(`Passphrase: ${'*'.repeat(PASSPHRASE.length)}\u001B[7m \u001B[27m`);
      for (const fr of d.frames()) expect(fr).not.toMatch(/horse|battery/);
      await d.press(KEY.enter);
      await d.waitFor('Connect to the target');
      expect(f.calls.filter((c) => c.startsWith('unlock'))).toEqual(['unlock passphrase']);
    } finally {
      chalk.level = level;
    }
  });

  it('← in a text field moves the cursor and never goes back a step, empty or not; esc goes back', async () => {
    const d = start(new FakeServices());
    await toConnect(d);
    await d.press(KEY.left, KEY.left);
    // keys are handled in order: the x typed after the arrows lands in the field, so they left the step alone
    await d.type('x');
    await d.waitFor('Profile: x_');
    await d.press(KEY.left, KEY.left, KEY.right, KEY.right, 'y');
    await d.waitFor('Profile: xy_');
    expect(d.frame()).toContain('Connect to the target');
    expect(d.frame()).toMatch(/←→ cursor/);
    await d.press(KEY.esc);
    await d.waitFor('[Unlock]');
  });
});
