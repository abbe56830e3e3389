/**
 * Child process for the import crash test: imports the archives named on the command
 * line into the vault, one after another, and prints `go` first so the parent can
 * SIGKILL it at a random moment of the imports.
 */
import { importArchive } from '../../src/vault/vault.js';

const [vault, ...files] = process.argv.slice(2);
process.stdout.write('go\n');
for (const f of files) {
  try {
    await importArchive(vault!, f);
  } catch (e) {
    // already imported by an earlier (killed) run: FILE_EXISTS / ROLLBACK are expected
    if (!(e instanceof Error) || !/FILE_EXISTS|ROLLBACK|refusing|older/.test(`${(e as { code?: string }).code ?? ''} ${e.message}`)) throw e;
  }
}
