/**
 * WizardServices whose implementation is still loading (issue 12 item 14g). The real
 * services import the whole restore core, which takes seconds on a slow machine; the
 * wizard draws its first frame at once over this stand-in, and every call waits for the
 * loaded services, so the first wait ("looking for unfinished restores") shows its elapsed
 * seconds instead of a blank screen. Loading starts at the first call, which the wizard makes
 * after its first frame: loading in parallel with Ink's own start only delays that frame.
 */
import { VaultError } from '../src/errors.js';
import type { WizardServices } from './services.js';

type Closable = WizardServices & { close?(): Promise<void> };

export function lazyServices(load: () => Promise<Closable>): WizardServices & { close(): Promise<void> } {
  let loading: Promise<Closable> | null = null;
  const loaded = (): Promise<Closable> => (loading ??= load());
  return {
    listArchives: async (...a) => (await loaded()).listArchives(...a),
    overrideSignature: async (...a) => (await loaded()).overrideSignature(...a),
    overrideRollback: async (...a) => {
      const s = await loaded();
      if (!s.overrideRollback) throw new VaultError('ROLLBACK', 'these services cannot restore an archive older than the newest of its tenant', 'choose the newest archive of this tenant');
      return s.overrideRollback(...a);
    },
    unlock: async (...a) => (await loaded()).unlock(...a),
    connect: async (...a) => (await loaded()).connect(...a),
    plan: async (...a) => (await loaded()).plan(...a),
    execute: async (...a) => (await loaded()).execute(...a),
    findUnfinishedJournal: async () => (await loaded()).findUnfinishedJournal(),
    resume: async (...a) => (await loaded()).resume(...a),
    verifyArchive: async (...a) => (await loaded()).verifyArchive(...a),
    // offered at once, like overrideRollback: the real services have it (a stand-in without it
    // hid the Archive step's `w`, "what changed since this archive?", from the real wizard)
    changesSince: async (...a) => {
      const s = await loaded();
      if (!s.changesSince) throw new VaultError('USAGE', 'these services cannot compare archives', 'compare them with entra-vault diff ARCHIVE_A ARCHIVE_B');
      return s.changesSince(...a);
    },
    close: async () => {
      // never loads the services only to close them
      const s = loading ? await loading.catch(() => null) : null;
      await s?.close?.();
    },
  };
}
