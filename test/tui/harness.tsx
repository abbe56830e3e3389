/**
 * Drives the wizard in ink-testing-library at the fixed 80×24 frame: keys go in
 * through stdin, frames come out as text. `waitFor` polls the last frame (a condition,
 * not a timing assertion) and fails with the frame it last saw.
 */
import React from 'react';
import { render } from 'ink-testing-library';
import { App } from '../../tui/app.js';
import type { WizardServices } from '../../tui/services.js';
import type { WizardState } from '../../tui/state.js';

export const KEY = {
  enter: '\r',
  esc: '\u001B',
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  tab: '\t',
  space: ' ',
  backspace: '\u007F',
  ctrlC: '\u0003',
  ctrlU: '\u0015',
  ctrlW: '\u0017',
} as const;

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Driver {
  frame: () => string;
  frames: () => string[];
  /** Sends keys one at a time, letting the app render after each. */
  press: (...keys: string[]) => Promise<void>;
  /** Sends text as one chunk (as a paste or fast typing would arrive). */
  type: (text: string) => Promise<void>;
  /** Writes the chunks back to back, with no render between them (keys faster than a frame). */
  burst: (...chunks: string[]) => Promise<void>;
  waitFor: (what: string | ((frame: string) => boolean), timeoutMs?: number) => Promise<string>;
  exits: number[];
  unmount: () => void;
}

export function mount(services: WizardServices, opts: { initial?: WizardState; noColor?: boolean; vaultDir?: string } = {}): Driver {
  const exits: number[] = [];
  const inst = render(
    <App
      services={services}
      vaultDir={opts.vaultDir ?? 'vault'}
      noColor={opts.noColor ?? true}
      height={23}
      onExit={(c) => exits.push(c)}
      {...(opts.initial ? { initial: opts.initial } : {})}
    />,
  );
  const frame = (): string => inst.lastFrame() ?? '';
  const waitFor: Driver['waitFor'] = async (what, timeoutMs = 4000) => {
    const test = typeof what === 'string' ? (f: string) => f.includes(what) : what;
    const until = Date.now() + timeoutMs;
    for (;;) {
      const f = frame();
      if (test(f)) {
        // Let passive effects (input listeners of the new screen) attach before the next key.
        await pause(20);
        return f;
      }
      if (Date.now() > until) throw new Error(`waited for ${typeof what === 'string' ? JSON.stringify(what) : 'a condition'}; last frame:\n${f}`);
      await pause(10);
    }
  };
  return {
    frame,
    frames: () => inst.frames,
    press: async (...keys) => {
      for (const k of keys) {
        inst.stdin.write(k);
        await pause(20);
      }
    },
    type: async (text) => {
      inst.stdin.write(text);
      await pause(20);
    },
    burst: async (...chunks) => {
      for (const c of chunks) inst.stdin.write(c);
      await pause(20);
    },
    waitFor,
    exits,
    unmount: () => inst.unmount(),
  };
}
