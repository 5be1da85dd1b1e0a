/** What a room's connection bookkeeping needs of a session (server/room.ts's `Session`). */
export interface Attachable<R> {
  room: R | null;
  playerId: string | null;
  isHost: boolean;
}

/**
 * The connections attached to one room and the seat each holds: connection bookkeeping only
 * (who is attached is the runtime's business; who may sit where is the rules').
 */
export class RoomConnections<R, S extends Attachable<R>> {
  private readonly sessions = new Set<S>();
  /** The connection holding each seat. */
  private readonly seats = new Map<string, S>();

  constructor(
    private readonly room: R,
    /** Called when a connection is detached (the sender forgets what it sent it). */
    private readonly forget: (session: S) => void,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  all(): ReadonlySet<S> {
    return this.sessions;
  }

  /** The connection holding seat `playerId`, if any. */
  holder(playerId: string): S | undefined {
    return this.seats.get(playerId);
  }

  /** Attach a connection (as host: its console). */
  attach(session: S, host: boolean): void {
    session.room = this.room;
    if (host) session.isHost = true;
    this.sessions.add(session);
  }

  /** Seat `playerId` is held by `session`. */
  bind(session: S, playerId: string): void {
    session.playerId = playerId;
    this.seats.set(playerId, session);
  }

  /** Detach a connection; returns the seat it held (now free of it), or null. */
  unbind(session: S): string | null {
    const playerId = session.playerId;
    const held = playerId !== null && this.seats.get(playerId) === session ? playerId : null;
    if (held !== null) this.seats.delete(held);
    this.sessions.delete(session);
    this.forget(session);
    session.room = null;
    session.playerId = null;
    session.isHost = false;
    return held;
  }
}
