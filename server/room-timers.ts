import type { Clock, TimerHandle } from "./clock";

/** A room's named timers on the injected clock: one pending timer per id, re-arming replaces it. */
export class RoomTimers<Id> {
  private readonly handles = new Map<Id, TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly fire: (id: Id) => void,
  ) {}

  /** Arm `id` to fire at the clock's time `at` (replacing a pending one). */
  set(id: Id, at: number): void {
    this.clear(id);
    const handle = this.clock.setTimeout(() => {
      if (this.handles.get(id) !== handle) return;
      this.handles.delete(id);
      this.fire(id);
    }, at - this.clock.now());
    this.handles.set(id, handle);
  }

  clear(id: Id): void {
    const handle = this.handles.get(id);
    if (handle) this.clock.clearTimeout(handle);
    this.handles.delete(id);
  }

  clearAll(): void {
    for (const id of [...this.handles.keys()]) this.clear(id);
  }
}
