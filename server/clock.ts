/**
 * Time as the rooms see it: injectable so that tests can control it. The production clock is the
 * system's (`Date.now`, `setTimeout`).
 */

/** An opaque timer handle. */
export type TimerHandle = { readonly __timer: true } | ReturnType<typeof setTimeout>;

/** A clock and a timer queue. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Run `fn` once after `ms` milliseconds. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancel a timer (a no-op when it already ran or was cancelled). */
  clearTimeout(handle: TimerHandle): void;
  /** Run `fn` at the next turn of the event loop, after pending I/O (`setImmediate`). */
  defer(fn: () => void): void;
}

/** The system clock. Timers are unref'd: a pending room timer never keeps the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, Math.max(0, ms));
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  defer: (fn) => {
    setImmediate(fn);
  },
};
