/**
 * The wizard's clock: injected (src/clock.ts) so tests can move time (an elapsed count, an
 * ETA, "stalled since …"), and read again once a second while something is running.
 */
import { createContext, useContext, useEffect, useState } from 'react';
import { systemClock, type Clock } from '../src/clock.js';

const ClockContext = createContext<Clock>(systemClock);
export const ClockProvider = ClockContext.Provider;

export function useClock(): Clock {
  return useContext(ClockContext);
}

/** The clock's time (ms since the epoch), read again every `everyMs` while `active`. */
export function useNow(active: boolean, everyMs = 1000): number {
  const clock = useClock();
  const [now, setNow] = useState(() => clock.now().getTime());
  useEffect(() => {
    if (!active) return undefined;
    setNow(clock.now().getTime());
    const t = setInterval(() => setNow(clock.now().getTime()), everyMs);
    return () => clearInterval(t);
  }, [active, clock, everyMs]);
  return now;
}

export { clockTime } from './format.js';
