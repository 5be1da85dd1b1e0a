"use client";

import type { RoomSnapshot } from "../../lib/protocol";
import { RevealPlayers } from "./reveal-players";

/**
 * The external-store plumbing of the room client and the classroom connection: the state, its
 * listeners, `subscribe` / `getState` for useSyncExternalStore, and `set`, which passes every new
 * snapshot through {@link RevealPlayers.complete}. The connection starts (`start`) with the first
 * subscriber.
 */
export abstract class SnapshotStore<S extends { readonly snapshot: RoomSnapshot | null }> {
  private readonly listeners = new Set<() => void>();
  private started = false;

  protected constructor(protected state: S) {}

  /** The current state (stable identity between changes, for useSyncExternalStore). */
  getState = (): S => this.state;

  /** Subscribe to changes; starts the connection on the first subscriber. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (!this.started) {
      this.started = true;
      this.start();
    }
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** A big reveal's other players, fetched once and put back into every snapshot (R11a). */
  private readonly revealPlayers = new RevealPlayers(() => {
    const current = this.state.snapshot;
    if (current?.revealPlayers) this.set({ snapshot: current } as Partial<S>);
  });

  /** Merge `patch` into the state and tell every listener. */
  protected set(patch: Partial<S>): void {
    if (patch.snapshot) {
      patch = { ...patch, snapshot: this.revealPlayers.complete(patch.snapshot) };
    }
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  /** Listen to the socket (called once, on the first subscription). */
  protected abstract start(): void;
}
