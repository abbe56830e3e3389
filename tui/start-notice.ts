/**
 * The line a terminal shows from the moment `entra-vault wizard` starts until the wizard
 * draws its first frame (issue 12 item 14g): loading the CLI, Ink and the restore core takes
 * seconds on a slow or cold machine, and a blank screen for that long reads as a hang. The
 * entry point (bin/entra-vault.js) starts it before importing anything else, so this module
 * imports nothing; the elapsed seconds tick while the modules load (ESM loading yields to the
 * event loop between files). `stop` erases the line, leaving the screen to the wizard.
 */

export interface StartNotice {
  /** Erases the line (once; later calls do nothing). */
  stop(): void;
}

/** Writes the notice to `out` now and its elapsed seconds every `everyMs` until stopped. */
export function startNotice(out: { write(text: string): unknown }, opts: { now?: () => number; everyMs?: number } = {}): StartNotice {
  const now = opts.now ?? Date.now;
  const started = now();
  const text = 'entra-vault: starting the recovery wizard, loading its tools …';
  out.write(text);
  const timer = setInterval(() => {
    // \r and erase-line: the same line again, never a scroll
    out.write(`\r\u001B[2K${text} ${Math.floor((now() - started) / 1000)} s`);
  }, opts.everyMs ?? 1000);
  // the notice must never keep the process alive by itself
  timer.unref?.();
  let stopped = false;
  return {
    stop: () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      out.write('\r\u001B[2K');
    },
  };
}
