#!/usr/bin/env node
// The only place that touches the process: src/ never exits or prints (docs/engineering.md).

// The wizard on a terminal: a line at once, before the seconds of loading the CLI, Ink and
// the restore core (issue 12 item 14g); the wizard's first frame replaces it.
const args = process.argv.slice(2);
// Not for the plain wizard (--plain, TERM=dumb): it prints lines only, never erases one.
const wizard = Boolean(process.stdin.isTTY && process.stdout.isTTY) && (args.length === 0 || args[0] === 'wizard') && !args.includes('--help') && !args.includes('-h')
  && !args.includes('--plain') && process.env.TERM !== 'dumb';
const notice = wizard ? (await import('../dist/tui/start-notice.js')).startNotice(process.stdout) : null;
const { runCli } = await import('../dist/src/cli/main.js');
// A full collection at each phase end of a restore: what sets its peak RSS is the heap's growth
// between V8's own collections, not what it holds (issue 17 item 1; src/cli/mem-log.ts).
(await import('../dist/src/cli/mem-log.js')).enablePhaseGc(process.env);
// What a restore sets aside (the archive while the plan runs, the spent plan while it verifies) is
// kept sealed in a temporary file rather than in memory (issue 17 item 1; src/spill-file.ts).
(await import('../dist/src/spill-file.js')).enableSpill(process.env);

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

// Anything the CLI writes (an error, help) first erases the notice, so no line is glued to it.
const afterNotice = (stream) =>
  notice
    ? new Proxy(stream, {
        get(target, prop) {
          if (prop === 'write') return (...a) => (notice.stop(), target.write(...a));
          const v = Reflect.get(target, prop, target);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      })
    : stream;

const code = await runCli(process.argv.slice(2), {
  stdout: afterNotice(process.stdout),
  stderr: afterNotice(process.stderr),
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  signal: stop.signal,
  // The wizard is loaded only when asked for: src/ never imports the UI. The plain one
  // (--plain, TERM=dumb) never loads Ink; Ctrl-C reaches it as SIGINT, i.e. `stop`.
  launchWizard: async ({ vault, plain }) => {
    const load = async () => (await import('../dist/tui/services-real.js')).realWizardServices({ workDir: '.entra-vault', vaultDir: vault });
    if (plain) {
      const services = await load();
      notice?.stop();
      try {
        const { runPlainWizard } = await import('../dist/tui/plain/index.js');
        return await runPlainWizard(services, { vaultDir: vault, signal: stop.signal });
      } finally {
        await services.close();
      }
    }
    const { runWizard, lazyServices } = await import('../dist/tui/index.js');
    // the restore core loads while the wizard draws: its first wait shows the seconds
    const services = lazyServices(load);
    notice?.stop();
    try {
      return await runWizard(services, { vaultDir: vault });
    } finally {
      await services.close();
    }
  },
});
notice?.stop();
process.exitCode = code;
// close handles a library may keep open (HTTP keep-alive agents)
if (!process.stdin.isTTY) process.stdin.destroy?.();
