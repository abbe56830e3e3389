#!/usr/bin/env node
// The only place that touches the process: src/ never exits or prints (DEVELOPERS.md).
import { runCli } from '../dist/src/cli/main.js';

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
