/**
 * The plain wizard's only contact with the terminal: lines out, lines in (issue 12 item 15).
 * Nothing here moves the cursor, clears, colours or redraws: every output is whole lines,
 * every answer one line read with node:readline, so a screen reader, a braille display, a
 * `TERM=dumb` console or a transcript gets the wizard as a linear text. Operator and service
 * text is printed through `visibleText`, so no value (a display name from an archive, a
 * reason) can carry an escape sequence to the terminal.
 */
import { createInterface, type Interface } from 'node:readline';
import { visibleText } from '../../src/text.js';

/** The operator left the wizard: Ctrl-C outside a run, or the end of the input (Ctrl-D, a closed pipe). */
export class Left extends Error {
  constructor(readonly why: 'interrupted' | 'end of input') {
    super(`left the wizard (${why})`);
  }
}

/** The input side: a terminal (raw mode turns echo off for a passphrase) or any stream. */
export type PlainInput = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
export type PlainOutput = NodeJS.WritableStream;

export interface Choice<T> {
  label: string;
  value: T;
}

export interface ChooseOptions {
  /** The 0-based choice Enter alone takes (said in the question). */
  default?: number;
}

/** What a typed line edits to when a terminal in raw mode sent its keys (Backspace, Ctrl-U, Ctrl-W). */
export function edited(raw: string): string {
  let out: string[] = [];
  for (const ch of raw) {
    if (ch === '\u007f' || ch === '\b') out.pop();
    else if (ch === '\u0015') out = [];
    else if (ch === '\u0017') {
      while (out.length > 0 && out[out.length - 1] === ' ') out.pop();
      while (out.length > 0 && out[out.length - 1] !== ' ') out.pop();
    } else if (ch >= ' ') out.push(ch);
  }
  return out.join('');
}

export class PlainIo {
  private readonly rl: Interface;
  private readonly queue: string[] = [];
  private waiter: ((line: string | null) => void) | null = null;
  private ended = false;
  private readonly echo: boolean;

  /**
   * @param signal aborted by Ctrl-C (the CLI's SIGINT): a question or wait in progress ends
   *   with `Left`; the run step listens to it itself and pauses instead.
   */
  constructor(
    private readonly input: PlainInput,
    private readonly output: PlainOutput,
    readonly signal?: AbortSignal,
  ) {
    this.rl = createInterface({ input, terminal: false, crlfDelay: Infinity });
    this.rl.on('line', (line) => this.push(line));
    this.rl.on('close', () => {
      this.ended = true;
      this.push(null);
    });
    // a terminal echoes what is typed; answers from a pipe are echoed so the transcript reads whole
    this.echo = !input.isTTY;
    signal?.addEventListener('abort', () => this.push(null), { once: true });
  }

  private push(line: string | null): void {
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      w(line);
    } else if (line !== null) this.queue.push(line);
  }

  /** Prints lines as they are; control and invisible characters are shown as escapes. */
  say(...lines: string[]): void {
    for (const text of lines) for (const l of text.split('\n')) this.output.write(`${visibleText(l)}\n`);
  }

  /** One line of operator input, or Left when Ctrl-C or the end of the input came first. */
  private async line(): Promise<string> {
    if (this.signal?.aborted) throw new Left('interrupted');
    const queued = this.queue.shift();
    if (queued !== undefined) return queued;
    if (this.ended) throw new Left('end of input');
    const line = await new Promise<string | null>((resolve) => (this.waiter = resolve));
    if (this.signal?.aborted) throw new Left('interrupted');
    if (line === null) throw new Left('end of input');
    return line;
  }

  /** Asks `question` (one line, ending with the question) and reads the answer, trimmed. */
  async ask(question: string): Promise<string> {
    this.output.write(`${visibleText(question)} `);
    const answer = edited(await this.line()).trim();
    if (this.echo) this.output.write(`${visibleText(answer)}\n`);
    return answer;
  }

  /**
   * Asks for a secret. On a terminal, echo is off while it is typed (raw mode: nothing is
   * written back, not even a mask; Ctrl-C leaves); from a pipe the line is read as it is.
   * The secret is never printed and is returned untrimmed (spaces may be part of it).
   */
  async askHidden(question: string): Promise<string> {
    this.output.write(`${visibleText(question)} `);
    const raw = this.input.isTTY && typeof this.input.setRawMode === 'function' ? this.input.setRawMode.bind(this.input) : null;
    // raw mode turns off the terminal's own Ctrl-C: it arrives as a byte, and still leaves
    const onKey = (chunk: Buffer | string): void => {
      if (/[\u0003\u0004]/.test(String(chunk))) this.push(null);
    };
    if (raw) {
      raw(true);
      this.input.on('data', onKey);
    }
    try {
      return edited(await this.line());
    } catch (e) {
      throw e instanceof Left && raw ? new Left('interrupted') : e;
    } finally {
      if (raw) {
        this.input.removeListener('data', onKey);
        raw(false);
      }
      this.output.write('\n');
    }
  }

  /**
   * Numbered choices ("1) Tenant loss …") and a question naming the numbers; asks again until
   * the answer is one of them (or Enter alone, when there is a default).
   */
  async choose<T>(question: string, choices: readonly Choice<T>[], opts: ChooseOptions = {}): Promise<T> {
    choices.forEach((c, i) => this.say(`  ${i + 1}) ${c.label}`));
    const d = opts.default !== undefined && choices[opts.default] ? opts.default : undefined;
    const range = choices.length === 1 ? '1' : `1-${choices.length}`;
    const hint = d === undefined ? `[${range}]` : `[${range}, Enter for ${d + 1}]`;
    for (;;) {
      const answer = await this.ask(`${question} ${hint}`);
      if (answer === '' && d !== undefined) return choices[d]!.value;
      const n = /^\d+$/.test(answer) ? Number(answer) : NaN;
      if (n >= 1 && n <= choices.length) return choices[n - 1]!.value;
      this.say(`"${answer}" is not one of the choices: type a number from ${range}.`);
    }
  }

  /** Waits for `work`; Ctrl-C leaves (the caller's controller, aborted here, abandons the read). */
  async wait<T>(work: Promise<T>, controller?: AbortController): Promise<T> {
    const signal = this.signal;
    if (!signal) return work;
    let onAbort = (): void => undefined;
    const left = new Promise<never>((_, reject) => {
      onAbort = () => {
        controller?.abort();
        reject(new Left('interrupted'));
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([work, left]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Stops reading: the input is released so the process can end. */
  close(): void {
    this.rl.close();
  }
}
