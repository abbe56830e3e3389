/**
 * Crash-safe file publication (docs/reliability.md 10): write to a temp name in the target
 * directory, fsync, rename, fsync the directory. Temp names carry the writer's pid so
 * the next run can remove leftovers of a killed process and nothing else.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { VaultError } from '../errors.js';

const TEMP_MARK = '.tmp-';

/** `.<final name>.tmp-<pid>-<random>` next to the final file. */
export function tempPathFor(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}${TEMP_MARK}${process.pid}-${randomBytes(6).toString('hex')}`);
}

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, constants.O_RDONLY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Open a fresh temp file (O_EXCL, given mode). */
export async function openTemp(finalPath: string, mode = 0o600): Promise<{ path: string; fh: FileHandle }> {
  const path = tempPathFor(finalPath);
  const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  return { path, fh };
}

/** True when `p` exists (any file type). */
export async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * fsync + close the temp handle, then rename it to `finalPath` (refusing to replace an
 * existing file) and fsync the directory.
 * @throws VaultError FILE_EXISTS
 */
export async function publishTemp(tmp: { path: string; fh: FileHandle }, finalPath: string): Promise<void> {
  await tmp.fh.sync();
  await tmp.fh.close();
  if (await exists(finalPath)) {
    await rm(tmp.path, { force: true });
    throw new VaultError('FILE_EXISTS', `refusing to overwrite ${finalPath}`);
  }
  await rename(tmp.path, finalPath);
  await fsyncDir(dirname(finalPath));
}

/** Write a whole small file atomically. */
export async function writeFileAtomic(finalPath: string, data: string | Uint8Array, mode = 0o644, replace = false): Promise<void> {
  const tmp = await openTemp(finalPath, mode);
  try {
    await tmp.fh.writeFile(data);
    if (replace) {
      await tmp.fh.sync();
      await tmp.fh.close();
      await rename(tmp.path, finalPath);
      await fsyncDir(dirname(finalPath));
      return;
    }
    await publishTemp(tmp, finalPath);
  } catch (e) {
    await tmp.fh.close().catch(() => undefined);
    await rm(tmp.path, { force: true });
    throw e;
  }
}

/** True when a process with this pid exists (lock files and temps name their writer's pid). */
export function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove temp files left in `dir` by writers that are no longer running.
 * Returns the removed names. Never touches final files.
 */
export async function cleanupStaleTemps(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const n of names) {
    const m = /^\..+\.tmp-(\d+)-[0-9a-f]+$/.exec(n);
    if (!m) continue;
    if (pidAlive(Number(m[1]))) continue;
    await rm(join(dir, n), { force: true, recursive: true });
    removed.push(n);
  }
  if (removed.length > 0) await fsyncDir(dir);
  return removed;
}

/** Whether two files hold the same bytes (size first, then SHA-256). */
export async function sameFile(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a).catch(() => null), stat(b).catch(() => null)]);
  if (!sa || !sb || sa.size !== sb.size) return false;
  const digest = async (p: string) => {
    const h = createHash('sha256');
    for await (const c of createReadStream(p)) h.update(c as Buffer);
    return h.digest('hex');
  };
  return (await digest(a)) === (await digest(b));
}
