#!/usr/bin/env node
// The only place that touches the process: src/ never exits or prints (docs/engineering.md).
import { runCli } from '../dist/src/cli/main.js';

// stdout closed early (`vault list | head -1`) or failing (`> /dev/full`): a reader that
// stopped reading is not an error; a full disk is, as one line, never a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    try {
      process.stderr.write(`entra-vault: error [${e.code === 'ENOSPC' ? 'DISK_FULL' : 'FILE_ACCESS'}]: cannot write the output (${e.code})\n`);
    } catch {
      // stderr itself is gone
    }
    process.exit(5);
  });
}

const stop = new AbortController();
let interrupts = 0;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    interrupts += 1;
    // first signal: stop at the next safe boundary; second: leave now
    if (interrupts > 1) process.exit(130);
    stop.abort(new Error(`received ${sig}`));
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  signal: stop.signal,
  // The wizard is loaded only when asked for: src/ never imports the UI. The plain one
  // (--plain, TERM=dumb) never loads Ink; Ctrl-C reaches it as SIGINT, i.e. `stop`.
  launchWizard: async ({ vault, plain }) => {
    const { realWizardServices } = await import('../dist/tui/services-real.js');
    const services = realWizardServices({ workDir: '.entra-vault', vaultDir: vault });
    try {
      if (plain) {
        const { runPlainWizard } = await import('../dist/tui/plain/index.js');
        return await runPlainWizard(services, { vaultDir: vault, signal: stop.signal });
      }
      const { runWizard } = await import('../dist/tui/index.js');
      return await runWizard(services, { vaultDir: vault });
    } finally {
      await services.close();
    }
  },
});
process.exitCode = code;
// close handles a library may keep open (HTTP keep-alive agents)
if (!process.stdin.isTTY) process.stdin.destroy?.();
