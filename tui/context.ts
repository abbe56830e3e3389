/**
 * What every step component reaches: the state, the dispatcher, the services and
 * the few things the App owns (the vault directory, the run's abort controller, exit).
 */
import { createContext, useContext, type Dispatch } from 'react';
import type { WizardServices } from './services.js';
import type { Action, WizardState } from './state.js';

export interface WizardContextValue {
  state: WizardState;
  dispatch: Dispatch<Action>;
  services: WizardServices;
  vaultDir: string;
  /** Registers the controller of the run in progress, so Ctrl-C can abort it. */
  setRunController: (c: AbortController | null) => void;
  /**
   * Registers the controller of a wait Esc may cancel (a read: sign-in, preflight, planning,
   * vault listing, key check), or null when the wait must run to its end (a write).
   */
  setWaitController: (c: AbortController | null) => void;
  /** Leaves the wizard with this exit code. */
  exit: (code: number) => void;
}

export const WizardContext = createContext<WizardContextValue | null>(null);

export function useWizard(): WizardContextValue {
  const v = useContext(WizardContext);
  if (!v) throw new Error('wizard steps render inside <App>');
  return v;
}
