/**
 * Drives the wizard as ink-testing-library does (Ink in debug mode: every frame written
 * whole; or, with `terminal`, as on a real terminal with the wizard's frame throttle), on a terminal of a given size (80×24 unless told) that can be resized while the
 * wizard runs: keys go in through stdin, frames come out as text. `waitFor` polls the last
 * frame (a condition, not a timing assertion) and fails with the frame it last saw.
 */
import React from 'react';
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import type { Clock } from '../../src/clock.js';
import { App } from '../../tui/app.js';
import { WIZARD_RENDER_OPTIONS } from '../../tui/index.js';
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
  /** Resizes the terminal (Ink and the wizard hear a 'resize' event, as from a real one). */
  resize: (columns: number, rows: number) => void;
  /** The terminal's size now. */
  size: () => { columns: number; rows: number };
  unmount: () => void;
  /** When each write reached the terminal, and when each frame was rendered (Date.now() ms). */
  writeTimes: () => number[];
  renderTimes: () => number[];
}

/** A terminal's output side: its size, and every frame written to it. */
class TestStdout extends EventEmitter {
  readonly frames: string[] = [];
  readonly times: number[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    this.times.push(Date.now());
    return true;
  };
}

/** A terminal's input side in raw mode, as ink-testing-library's. */
class TestStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string): void => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export interface MountOptions {
  initial?: WizardState;
  noColor?: boolean;
  /** The terminal's size (default 80×24). */
  columns?: number;
  rows?: number;
  clock?: Clock;
  vaultDir?: string;
  /**
   * Render as on a real terminal (the wizard's render options, Ink's frame throttle on: frames
   * are redraws, not whole texts) instead of debug mode; `maxFps` overrides the wizard's rate.
   */
  terminal?: { maxFps?: number };
}

export function mount(services: WizardServices, opts: MountOptions = {}): Driver {
  const exits: number[] = [];
  const renders: number[] = [];
  const stdout = new TestStdout(opts.columns ?? 80, opts.rows ?? 24);
  const stdin = new TestStdin();
  const inst = render(
    <App
      services={services}
      vaultDir={opts.vaultDir ?? 'vault'}
      noColor={opts.noColor ?? true}
      onExit={(c) => exits.push(c)}
      {...(opts.initial ? { initial: opts.initial } : {})}
      {...(opts.clock ? { clock: opts.clock } : {})}
    />,
    {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: new TestStdout(80, 24) as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      ...(opts.terminal
        ? { ...WIZARD_RENDER_OPTIONS, ...(opts.terminal.maxFps ? { maxFps: opts.terminal.maxFps } : {}), onRender: () => renders.push(Date.now()) }
        : { debug: true, exitOnCtrlC: false, patchConsole: false, onRender: () => renders.push(Date.now()) }),
    },
  );
  const frame = (): string => stdout.frames[stdout.frames.length - 1] ?? '';
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
    frames: () => stdout.frames,
    press: async (...keys) => {
      for (const k of keys) {
        stdin.write(k);
        await pause(20);
      }
    },
    type: async (text) => {
      stdin.write(text);
      await pause(20);
    },
    burst: async (...chunks) => {
      for (const c of chunks) stdin.write(c);
      await pause(20);
    },
    waitFor,
    exits,
    resize: (columns, rows) => {
      stdout.columns = columns;
      stdout.rows = rows;
      stdout.emit('resize');
    },
    size: () => ({ columns: stdout.columns, rows: stdout.rows }),
    unmount: () => inst.unmount(),
    writeTimes: () => stdout.times,
    renderTimes: () => renders,
  };
}
