import type { Clock, TimerHandle } from "../../server/clock";

/**
 * A clock the test moves by hand: time-based rules (turn deadlines, pauses, grace periods, empty
 * rooms, slow saves) run deterministically, without waiting.
 */
export class ManualClock implements Clock {
  private time = 1_800_000_000_000;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  /**
   * @param options.runDue a timer already due when set (a zero delay: a throttle that is free)
   *   runs at the next turn of the event loop, as a real one would; others wait for advance().
   *   @default false: every timer waits for advance()
   */
  constructor(private readonly options: { readonly runDue?: boolean } = {}) {}
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.push({ at: this.time + Math.max(0, ms), fn, id });
    if (ms <= 0 && this.options.runDue) setImmediate(() => this.advance(0));
    return { __timer: true, id } as unknown as TimerHandle;
  }
  clearTimeout(handle: TimerHandle): void {
    const id = (handle as unknown as { id: number }).id;
    this.timers = this.timers.filter((t) => t.id !== id);
  }
  private deferred: (() => void)[] = [];
  /**
   * Deferred work (a room's coalesced broadcast) runs at the next {@link advance} or, if the test
   * does not advance, at the next turn of the real event loop: no sleep either way.
   */
  defer(fn: () => void): void {
    this.deferred.push(fn);
    if (this.deferred.length === 1) setImmediate(() => this.drain());
  }
  /** Run the deferred work now. */
  drain(): void {
    while (this.deferred.length > 0) this.deferred.shift()?.();
  }
  /** Move time forward, running every timer that falls due, in order. */
  advance(ms: number): void {
    this.drain();
    const end = this.time + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => t.at <= end)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }
}
