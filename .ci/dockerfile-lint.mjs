#!/usr/bin/env node
// A small Dockerfile checker for the appliance image (hadolint is not available here).
// Usage: node .ci/dockerfile-lint.mjs [Dockerfile] [package.json]
// Prints one line per violated rule and exits 1 if any; prints "dockerfile-lint: OK" otherwise.
import { readFileSync } from 'node:fs';

/** Join continuation lines and drop comments: one logical instruction per entry. */
export function instructions(text) {
  const out = [];
  let cur = '';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (cur === '' && /^\s*#/.test(line)) continue;
    if (/\\\s*$/.test(line)) {
      cur += `${line.replace(/\\\s*$/, '')} `;
      continue;
    }
    cur += line;
    if (cur.trim() !== '') {
      const m = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(cur.trim());
      if (m) out.push({ op: m[1].toUpperCase(), args: m[2].trim() });
    }
    cur = '';
  }
  return out;
}

/** The rules of the brief; returns the list of violations (empty = OK). */
export function lint(text, pkg) {
  const errs = [];
  const ins = instructions(text);
  const froms = ins.filter((i) => i.op === 'FROM');
  if (froms.length < 2) errs.push('multi-stage build expected (a build stage and a runtime stage)');
  for (const f of froms) {
    if (!/^node:24-slim(@sha256:[0-9a-f]{64})?\s+AS\s+\w+$/i.test(f.args)) errs.push(`FROM must be the pinned LTS slim image node:24-slim with a stage name: FROM ${f.args}`);
  }
  const lastFrom = ins.lastIndexOf(froms[froms.length - 1]);
  const build = ins.slice(0, lastFrom);
  const runtime = ins.slice(lastFrom);
  const runs = (stage) => stage.filter((i) => i.op === 'RUN').map((i) => i.args).join(' && ');
  if (!/\bnpm ci\b/.test(runs(build))) errs.push('build stage must install with npm ci');
  if (!/\bnpm run build\b/.test(runs(build))) errs.push('build stage must run npm run build');
  if (!/\bnpm ci\b[^&;]*--omit=dev/.test(runs(runtime))) errs.push('runtime stage must install with npm ci --omit=dev');
  if (!/\bnpm ci\b[^&;]*--ignore-scripts/.test(runs(runtime))) errs.push('runtime stage npm ci must use --ignore-scripts');
  if (/\bnpm install\b/.test(runs(build) + runs(runtime))) errs.push('use npm ci, never npm install');
  for (const i of ins.filter((x) => x.op === 'ADD')) {
    errs.push(/https?:\/\//i.test(i.args) ? `ADD of a URL is not allowed: ADD ${i.args}` : `use COPY instead of ADD: ADD ${i.args}`);
  }
  if (/(curl|wget)[^|]*\|\s*(ba)?sh/.test(runs(build) + runs(runtime))) errs.push('piping a download into a shell is not allowed');
  for (const r of [runs(build), runs(runtime)]) {
    if (/apt-get install/.test(r) && !/--no-install-recommends/.test(r)) errs.push('apt-get install needs --no-install-recommends');
  }
  const users = runtime.filter((i) => i.op === 'USER');
  const user = users[users.length - 1]?.args;
  if (!user) errs.push('runtime stage must switch to a non-root USER');
  else if (/^(root|0)(:|$)/.test(user)) errs.push(`USER must not be root: USER ${user}`);
  const labels = runtime.filter((i) => i.op === 'LABEL').map((i) => i.args).join(' ');
  for (const l of ['org.opencontainers.image.version', 'org.opencontainers.image.source', 'org.opencontainers.image.title']) {
    if (!labels.includes(`${l}=`)) errs.push(`label ${l} missing`);
  }
  const ver = /org\.opencontainers\.image\.version="?([^"\s]+)"?/.exec(labels)?.[1];
  if (pkg && ver && ver !== pkg.version) errs.push(`label version ${ver} differs from package.json version ${pkg.version}`);
  const vol = runtime.filter((i) => i.op === 'VOLUME').map((i) => i.args).join(' ');
  for (const v of ['/vault', '/work']) if (!vol.includes(`"${v}"`) && !new RegExp(`(^|\\s)${v}(\\s|$)`).test(vol)) errs.push(`VOLUME ${v} missing`);
  const workdirs = runtime.filter((i) => i.op === 'WORKDIR');
  if (workdirs[workdirs.length - 1]?.args !== '/work') errs.push('final WORKDIR must be /work');
  const env = runtime.filter((i) => i.op === 'ENV').map((i) => i.args).join(' ');
  for (const k of ['HOME', 'TMPDIR']) if (!new RegExp(`\\b${k}=/work(/|\\s|$)`).test(env)) errs.push(`ENV ${k} must point under /work (read-only root filesystem)`);
  // glibc returns freed blocks of 128 KiB and more at once (docs/design.md "Session 37": a 100k-user restore's peak 506 -> 486 MiB)
  for (const k of ['MALLOC_MMAP_THRESHOLD_', 'MALLOC_TRIM_THRESHOLD_']) if (!new RegExp(`\\b${k}=131072(\\s|$)`).test(env)) errs.push(`ENV ${k} must be 131072 (glibc's fixed thresholds, measured in docs/design.md)`);
  const entry = runtime.filter((i) => i.op === 'ENTRYPOINT').pop()?.args;
  if (entry !== '["node", "/app/bin/entra-vault.js"]' && entry !== '["node","/app/bin/entra-vault.js"]') errs.push(`ENTRYPOINT must be ["node","/app/bin/entra-vault.js"] (exec form): ${entry ?? 'missing'}`);
  const copies = runtime.filter((i) => i.op === 'COPY').map((i) => i.args).join('\n');
  for (const d of ['dist', 'bin', 'recovery-scripts', 'docs']) if (!new RegExp(`(^|\\s|/)${d}\\s`).test(copies)) errs.push(`runtime stage must COPY ${d}`);
  return errs;
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const file = process.argv[2] ?? 'Dockerfile';
  const pkgFile = process.argv[3] ?? 'package.json';
  const errs = lint(readFileSync(file, 'utf8'), JSON.parse(readFileSync(pkgFile, 'utf8')));
  for (const e of errs) console.error(`dockerfile-lint: ${file}: ${e}`);
  if (errs.length) process.exit(1);
  console.log('dockerfile-lint: OK');
}
