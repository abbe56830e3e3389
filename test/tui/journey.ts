/**
 * The wizard's happy path over the fake services, step by step, for tests that need to
 * reach a step (at any terminal size: only texts every layout shows are waited for).
 */
import stringWidth from 'string-width';
import { expect } from 'vitest';
import { KEY, type Driver } from './harness.js';
import { DOMAIN, IDENTITY, PASSPHRASE } from './fake-services.js';

export async function toArchive(d: Driver, scenario = 0): Promise<void> {
  await d.waitFor('enter choose');
  for (let i = 0; i < scenario; i++) await d.press(KEY.down);
  await d.press(KEY.enter);
  await d.waitFor('Archives in');
}

export async function toConnect(d: Driver, scenario = 0): Promise<void> {
  await toArchive(d, scenario);
  await d.press(KEY.enter);
  await d.waitFor('Unlock the archive');
  await d.type(IDENTITY);
  await d.press(KEY.enter);
  await d.waitFor('Connect to the target');
}

export async function toPlan(d: Driver, scenario = 0, profile = 'target.json'): Promise<void> {
  await toConnect(d, scenario);
  await d.type(profile);
  await d.press(KEY.enter);
  await d.waitFor('Preflight');
  await d.press(KEY.enter);
  await d.waitFor((f) => f.includes('[Plan]') && f.includes('operations on'));
}

export async function toConfirm(d: Driver): Promise<void> {
  await toPlan(d);
  await d.press(KEY.enter);
  await d.waitFor('Confirm the target');
}

/** From Confirm: types the target's domain and starts the live run. */
export async function startLiveRun(d: Driver): Promise<void> {
  await d.type(DOMAIN);
  await d.press(KEY.enter);
  await d.waitFor('LIVE RUN');
  await d.press(KEY.enter);
}

/** Every frame drawn since `from` fits the terminal it was drawn for and shows no secret. */
export function expectFramesFit(d: Driver, size: { columns: number; rows: number }, from = 0): void {
  for (const f of d.frames().slice(from)) {
    const lines = f.split('\n');
    expect(lines.length, f).toBeLessThanOrEqual(size.rows - 1);
    for (const line of lines) expect(stringWidth(line), `${line}\n---\n${f}`).toBeLessThanOrEqual(size.columns);
    expect(f).not.toContain(PASSPHRASE);
  }
}

/** The frame's chrome: the header, the step bar with the current step, the rule, the key line. */
export function expectChrome(frame: string, size: { columns: number }, step: string, keys: string): void {
  const lines = frame.split('\n');
  expect(lines[0], frame).toMatch(/^entra-vault recovery wizard/);
  expect(lines[1], frame).toContain(`[${step}]`);
  expect(lines[2], frame).toBe('─'.repeat(size.columns));
  expect(lines.slice(-2).join(' '), frame).toContain(keys);
}

/** Text without its white space: a wrapped text (wrapped anywhere, indented) is found in a squashed frame. */
export function squashed(text: string): string {
  return text.replace(/\s+/g, '');
}
