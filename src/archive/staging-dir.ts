/**
 * The private directories decrypted archive entries are staged in (reader.ts step 4).
 * Decrypted tenant data must not outlive the process that staged it
 * (docs/archive-format.md §6 "Staging"):
 *  - a directory is named after its process (`entra-vault-staging-<pid>-XXXXXX`);
 *  - it is removed when its archive is closed or fails, and — synchronously, from the
 *    process's `exit` event — when the process ends on any other path (a second Ctrl-C
 *    makes the CLI exit at once, bin/entra-vault.js);
 *  - what a killed process (SIGKILL, power loss) left is removed by the next reader that
 *    starts in the same parent directory, once its pid no longer runs.
 */
import { rmSync } from 'node:fs';
import { chmod, lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pidAlive } from '../fs/atomic.js';

const PREFIX = 'entra-vault-staging-';
const NAME = /^entra-vault-staging-(\d+)-[A-Za-z0-9]{6}$/;

/** Staging directories of this process that are not removed yet. */
const live = new Set<string>();
let exitHook = false;

function removeAllNow(): void {
  for (const d of live) {
    try {
      rmSync(d, { recursive: true, force: true });
    } catch {
      // best effort at exit: nothing can be reported any more
    }
  }
  live.clear();
}

/**
 * Remove staging directories in `parent` left by processes that no longer run. Only
 * directories with this module's name pattern and owned by this user are touched.
 * Returns the removed names. Never throws (a sweep must not stop a reader).
 */
export async function sweepStaleStaging(parent: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  const uid = process.getuid?.();
  for (const n of names) {
    const m = NAME.exec(n);
    if (!m || pidAlive(Number(m[1]))) continue;
    const p = join(parent, n);
    try {
      const st = await lstat(p);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
      await rm(p, { recursive: true, force: true });
      removed.push(n);
    } catch {
      // raced with another sweeper, or not ours to remove
    }
  }
  return removed;
}

/**
 * Create a private (0700) staging directory in `parent`, first sweeping stale ones there.
 * It is removed at process exit unless `removeStaging` removed it before.
 */
export async function createStaging(parent: string): Promise<string> {
  await sweepStaleStaging(parent);
  const dir = await mkdtemp(join(parent, `${PREFIX}${process.pid}-`));
  live.add(dir);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', removeAllNow);
  }
  await chmod(dir, 0o700);
  return dir;
}

/** Remove a staging directory created by createStaging. Never throws for a missing one. */
export async function removeStaging(dir: string): Promise<void> {
  // maxRetries: a file handle closed a moment ago may still be settling (ENOTEMPTY/EBUSY)
  await rm(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 20 });
  live.delete(dir);
}
