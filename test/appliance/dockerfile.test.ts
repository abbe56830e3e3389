import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/ops/procedures.js';
// @ts-expect-error: plain ESM script without type declarations
import { lint } from '../../.ci/dockerfile-lint.mjs';

const root = packageRoot();
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const check = lint as (text: string, pkg: { version: string }) => string[];

describe('Dockerfile lint', () => {
  it('accepts the appliance Dockerfile', async () => {
    expect(check(dockerfile, pkg)).toEqual([]);
    const r = await execa('node', [join(root, '.ci', 'dockerfile-lint.mjs'), join(root, 'Dockerfile'), join(root, 'package.json')], { reject: false });
    expect(r.stdout).toBe('dockerfile-lint: OK');
    expect(r.exitCode).toBe(0);
  });

  it.each([
    ['an unpinned base image', (d: string) => d.replace('FROM node:24-slim AS runtime', 'FROM node:latest AS runtime'), /FROM must be/],
    ['a non-slim base image', (d: string) => d.replace('FROM node:24-slim AS build', 'FROM node:24 AS build'), /FROM must be/],
    ['running as root', (d: string) => d.replace('USER 10001:10001', 'USER root'), /USER must not be root/],
    ['no USER', (d: string) => d.replace('USER 10001:10001\n', ''), /non-root USER/],
    ['ADD of a URL', (d: string) => d.replace('COPY docs ./docs', 'ADD https://example.com/x.tgz ./docs'), /ADD of a URL/],
    ['missing source label', (d: string) => d.replace(/\s*org\.opencontainers\.image\.source="[^"]*" \\\n/, '\n'), /image\.source missing/],
    ['a version label that differs from package.json', (d: string) => d.replace('image.version="0.1.0"', 'image.version="9.9.9"'), /differs from package.json/],
    ['dev dependencies in the runtime', (d: string) => d.replace('npm ci --omit=dev --ignore-scripts', 'npm ci --ignore-scripts'), /--omit=dev/],
    ['a shell-form entrypoint', (d: string) => d.replace('ENTRYPOINT ["node", "/app/bin/entra-vault.js"]', 'ENTRYPOINT node /app/bin/entra-vault.js'), /ENTRYPOINT/],
    ['TMPDIR outside /work', (d: string) => d.replace('TMPDIR=/work', 'TMPDIR=/tmp'), /TMPDIR/],
    ['glibc keeping freed blocks (no fixed mmap threshold)', (d: string) => d.replace('    MALLOC_MMAP_THRESHOLD_=131072 \\\n', ''), /MALLOC_MMAP_THRESHOLD_/],
    ['curl piped to sh', (d: string) => d.replace('RUN npm run build', 'RUN curl -fsSL https://x.example/i.sh | sh && npm run build'), /shell/],
  ])('rejects %s', (_name, mutate, message) => {
    const mutated = mutate(dockerfile);
    expect(mutated).not.toBe(dockerfile);
    const errs = check(mutated, pkg);
    expect(errs.join('\n')).toMatch(message);
  });
});
