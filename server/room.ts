import { ackError, ErrorCode } from "../lib/protocol";
import type {
  AckFailure,
  AckResponse,
  RoomClosedReason,
  RoomSettings,
  RoomSnapshot,
} from "../lib/protocol";
import { closedMessage, reduceRoom, roomViewFor, startSettings } from "../lib/room";
import type {
  CompetitionSnapshot,
  FinishedRound,
  RoomAction,
  RoomActionResults,
  RoomEffect,
  RoomEnv,
  RoomOutcome,
  RoomState,
  TimerId,
} from "../lib/room";
import { surfaceInstanceKey } from "../lib/surface-ref";
import type { SurfaceRef } from "../lib/surface-ref";
import type { Surface } from "../lib/types";
import type { TimerHandle } from "./clock";
import type { RevealShare, RoomCreation, RoomDeps } from "./room-deps";
import type { Connection } from "./connection";
import type { RoomLogRow } from "./db/room-log";
import { RoomSender } from "./room-sender";
import { pickSurface } from "./surface-picker";
import { newPlayerId, newRoundId, newToken, randomUint32, tokenHash, tokensEqual } from "./tokens";

export type { FinishedRound, RoomLimits } from "../lib/room";
export type { RevealShare, RoomCounters, RoomCreation, RoomDeps } from "./room-deps";

/**
 * One live room's runtime: it holds the room's {@link RoomState}, feeds it actions through
 * lib/room's `reduceRoom` and runs the effects the reducer returns — timers on the injected
 * clock, saves, and sending each attached connection what lib/room's view function makes for it.
 * It decides no rule and no visibility; it knows connections, which the rules never see.
 */

/** A connection as the hub and the rooms know it. */
export interface Session {
  readonly conn: Connection;
  /** The room this connection is attached to, if any (at most one). */
  room: Room | null;
  /** The seat this connection holds in `room`, if any. */
  playerId: string | null;
  /** Whether this connection acts as `room`'s host. */
  isHost: boolean;
}

type HostAction = Extract<RoomAction, { hostTokenHash: string }>;
type HostActionType = Exclude<HostAction["type"], "start">;
/** A host action's fields without what the runtime fills in (time, token hash). */
type HostFields<T extends HostActionType> = Omit<
  Extract<RoomAction, { type: T }>,
  "type" | "at" | "hostTokenHash"
>;

/** An acknowledgement now, or once the action it answers is durable (R35). */
export type Acked<T extends object> = AckResponse<T> | Promise<AckResponse<T>>;

/** `f` of an acknowledgement, now or once it comes. */
export function mapAck<T extends object, U extends object>(
  ack: Acked<T>,
  f: (ack: AckResponse<T>) => AckResponse<U>,
): Acked<U> {
  return ack instanceof Promise ? ack.then(f) : f(ack);
}

/** Effects that reach outside the process wait until their action is durable (R35). */
const AFTER_DURABLE: ReadonlySet<RoomEffect["type"]> = new Set([
  "broadcast",
  "saveRound",
  "storeCompetition",
]);

/** One room. Create it with {@link Room.create}, or rebuild it from its log with {@link Room.restore}. */
export class Room {
  private current: RoomState;
  /** The state as of the last durable action: what connections are shown (R35). */
  private durable: RoomState;
  /** The next entry of the room's log. */
  private seq = 0;
  /** Rounds handed to the save and not stored yet (their ids): the log stays until they are. */
  private readonly unsaved = new Set<string>();
  private readonly sessions = new Set<Session>();
  /** The connection holding each seat. */
  private readonly seats = new Map<string, Session>();
  private readonly timers = new Map<TimerId, TimerHandle>();
  private readonly env: RoomEnv;
  private readonly sender: RoomSender;

  private constructor(
    state: RoomState,
    private readonly deps: RoomDeps,
    env: RoomEnv,
  ) {
    this.current = state;
    this.durable = state;
    this.env = env;
    this.sender = new RoomSender({
      clock: deps.clock,
      logger: deps.logger,
      limits: deps.limits,
      env,
      state: () => this.durable,
      sessions: () => this.sessions,
    });
  }

  /**
   * Create a room with `session` attached as its host (and seated, with `nickname`); refused
   * (nothing created) when the settings, a planned round or the seat are refused.
   */
  static create(
    creation: RoomCreation,
    session: Session,
    deps: RoomDeps,
  ):
    | { room: Room; seatToken: string | null; playerId: string | null; durable: Promise<void> }
    | AckFailure {
    const env = roomEnv(deps);
    const seatToken = creation.nickname !== undefined ? newToken() : null;
    const seat =
      creation.nickname !== undefined && seatToken !== null
        ? {
            playerId: newPlayerId(),
            nickname: creation.nickname,
            seatTokenHash: tokenHash(seatToken),
          }
        : undefined;
    const action: RoomAction = {
      type: "create",
      at: deps.clock.now(),
      code: creation.code,
      mode: creation.mode,
      hostTokenHash: tokenHash(creation.hostToken),
      settings: creation.settings,
      ...(seat && { seat }),
      ...(creation.classroom && { classroom: creation.classroom }),
    };
    const outcome = reduceRoom(null, action, env);
    if (!outcome.ack.ok || !outcome.state) return outcome.ack as AckFailure;
    const room = new Room(outcome.state, deps, env);
    room.attach(session, true);
    if (seat) room.bind(session, seat.playerId);
    const durable = room.commit(action, outcome.state, outcome.effects, session);
    return { room, seatToken, playerId: seat?.playerId ?? null, durable };
  }

  /**
   * R37: rebuild a room from its log (rows in `seq` order) through lib/room's reducer, then
   * apply `restart` at the clock's now: timers re-armed, rounds that were not stored saved again.
   * A log that does not replay (a gap, bad JSON, an action the rules refuse: corrupt, or written
   * by another version) gives the reason instead, and nothing runs.
   */
  static restore(rows: readonly RoomLogRow[], deps: RoomDeps): Room | string {
    const env = roomEnv(deps);
    let state: RoomState | null = null;
    const unsaved = new Map<number, FinishedRound>();
    let competition: CompetitionSnapshot | null = null;
    for (const [index, row] of rows.entries()) {
      if (row.seq !== index) return `entry ${index} is missing (found seq ${row.seq})`;
      let action: RoomAction;
      try {
        action = JSON.parse(row.action) as RoomAction;
      } catch {
        return `entry ${index} is not JSON`;
      }
      const outcome: RoomOutcome = reduceRoom(state, action, env);
      if (!outcome.ack.ok || !outcome.state || (outcome.state === state && index > 0)) {
        const why = outcome.ack.ok ? "changed nothing" : outcome.ack.error.message;
        return `entry ${index} (${String(action?.type)}) does not replay: ${why}`;
      }
      state = outcome.state;
      for (const effect of outcome.effects) {
        if (effect.type === "saveRound") unsaved.set(effect.round.roundNumber, effect.round);
        if (effect.type === "storeCompetition") competition = effect.competition;
      }
      if (action.type === "stored") unsaved.delete(action.roundNumber);
    }
    if (!state) return "the log is empty";
    const room = new Room(state, deps, env);
    room.seq = rows.length;
    for (const round of unsaved.values()) room.runEffect({ type: "saveRound", round }, undefined);
    if (state.closed) {
      // Closed before the crash: only its unsaved rounds were left to do.
      room.closed(state.closed);
      return room;
    }
    if (competition) room.runEffect({ type: "storeCompetition", competition }, undefined);
    void room.dispatch({ type: "restart", at: deps.clock.now() });
    return room;
  }

  // ── Queries ──────────────────────────────────────────────────────────────────────────────

  /** The room's state (read-only data: lib/room's functions read it). */
  get state(): RoomState {
    return this.current;
  }

  get code(): string {
    return this.current.code;
  }

  /** Whether the room has closed (it then refuses everything). */
  get isClosed(): boolean {
    return this.current.closed !== null;
  }

  /** Number of attached connections. */
  get connectionCount(): number {
    return this.sessions.size;
  }

  /** Whether `token` is this room's host token. */
  isHostToken(token: string): boolean {
    return tokensEqual(tokenHash(token), this.current.hostTokenHash);
  }

  /** The refusal for a wrong host token, or null when it is right. */
  checkHost(token: string): AckFailure | null {
    if (this.isHostToken(token)) return null;
    return ackError(
      ErrorCode.NOT_HOST,
      `only the host of room ${this.code} may do this: the host token is wrong`,
    );
  }

  /** The snapshot of the room for one attached connection (lib/room's view function). */
  snapshotFor(session: Session): RoomSnapshot {
    return roomViewFor(
      this.durable,
      { isHost: session.isHost, playerId: session.playerId },
      this.env,
      { now: this.deps.clock.now(), revealHref: this.sender.shareHref() },
    );
  }

  /**
   * The shared entries served at `revealPlayers.href` (server/reveal-http.ts), or null when `key`
   * is not this room's current reveal (an older reveal, a closed room, a guess).
   */
  revealPlayers(key: string): RevealShare | null {
    return this.isClosed ? null : this.sender.revealPlayers(key);
  }

  // ── Connections ──────────────────────────────────────────────────────────────────────────

  /** `room:join`: seat a new player. */
  join(
    session: Session,
    nickname: string,
    deviceToken?: string,
  ): Acked<{ code: string; playerId: string; seatToken: string }> {
    const seatToken = newToken();
    const playerId = newPlayerId();
    const ack = this.dispatch(
      {
        type: "join",
        at: this.now(),
        seat: {
          playerId,
          nickname,
          seatTokenHash: tokenHash(seatToken),
          ...(deviceToken ? { deviceHash: tokenHash(deviceToken) } : {}),
        },
      },
      session,
      () => {
        this.attach(session, false);
        this.bind(session, playerId);
      },
    );
    return mapAck(ack, (a) => (a.ok ? { ok: true, code: this.code, playerId, seatToken } : a));
  }

  /** `room:resume`: give a seat back to the connection holding its token. */
  resume(session: Session, seatToken: string): Acked<{ code: string; playerId: string }> {
    const fresh = session.room !== this;
    const ack = this.dispatch(
      {
        type: "resume",
        at: this.now(),
        seatTokenHash: tokenHash(seatToken),
        holder: session.room === this ? session.playerId : null,
        fresh,
      },
      session,
      (result) => {
        this.attach(session, false);
        this.bind(session, result.playerId);
      },
    );
    return mapAck(ack, (a) => (a.ok ? { ok: true, code: this.code, playerId: a.playerId } : a));
  }

  /** `room:watch` (spectator) and `room:host` (the host's console). */
  watch(session: Session, hostToken?: string): Acked<{ code: string }> {
    const host = hostToken !== undefined;
    return this.dispatch(
      {
        type: "attach",
        at: this.now(),
        as: host ? "host" : "spectator",
        ...(host && { hostTokenHash: tokenHash(hostToken) }),
        fresh: session.room !== this,
        wasHost: session.room === this && session.isHost,
      },
      session,
      () => this.attach(session, host),
    );
  }

  /** `room:leave` (`leave`) or a closed transport: detach; a seat is given up or starts its grace. */
  detach(session: Session, leave: boolean): Acked<Record<never, never>> {
    if (session.room !== this) return { ok: true };
    const host = session.isHost;
    const playerId = this.unbind(session);
    return this.dispatch({ type: "detach", at: this.now(), playerId, host, leave });
  }

  // ── Host actions ─────────────────────────────────────────────────────────────────────────

  /** A host action (settings, kick, rename, pause, unpause, lock, end), token checked by the rules. */
  host<T extends HostActionType>(
    type: T,
    hostToken: string,
    fields: HostFields<T>,
  ): Acked<RoomActionResults[T]> {
    const action = { ...fields, type, at: this.now(), hostTokenHash: tokenHash(hostToken) };
    return this.dispatch(action as unknown as Extract<RoomAction, { type: T }>);
  }

  /** `round:start`: the surface is picked here (crypto randomness), from the rules' choice. */
  startRound(
    hostToken: string,
    settings: RoomSettings | undefined,
  ): Acked<{ roundNumber: number }> {
    const denied = this.checkHost(hostToken);
    if (denied) return denied;
    const chosen = startSettings(this.current, settings, this.env);
    if (!chosen.ok) return chosen;
    let surface: SurfaceRef;
    try {
      surface = this.deps.surface ?? pickSurface(chosen.settings.surface, this.deps.catalog);
    } catch (error) {
      this.deps.logger.error("pickSurface failed", { room: this.code, error: String(error) });
      return ackError(ErrorCode.INTERNAL_ERROR, "no surface could be picked; try another choice");
    }
    return this.dispatch({
      type: "start",
      at: this.now(),
      hostTokenHash: tokenHash(hostToken),
      ...(settings && { settings }),
      surface,
      seed: randomUint32(),
      roundId: newRoundId(),
    });
  }

  /** `round:move`: the connection's seat moves in the current turn. */
  move(session: Session, turn: number, angle: number, eta: number): Acked<{ turn: number }> {
    return this.dispatch(
      {
        type: "move",
        at: this.now(),
        playerId: session.playerId,
        asHost: session.isHost,
        turn,
        angle,
        eta,
      },
      session,
    );
  }

  /** Close the room (`closed-by-host` needs the host token; `server-shutdown` does not). */
  close(reason: RoomClosedReason, hostToken?: string): Acked<Record<never, never>> {
    return this.dispatch({
      type: "close",
      at: this.now(),
      reason,
      ...(hostToken !== undefined && { hostTokenHash: tokenHash(hostToken) }),
    });
  }

  // ── The runtime ──────────────────────────────────────────────────────────────────────────

  private now(): number {
    return this.deps.clock.now();
  }

  /**
   * Feed one action to the rules, keep the new state, run the effects, then (when accepted) run
   * `accepted` (the connection bookkeeping that goes with it). With a room log, an action that
   * changed the room is acknowledged, shown and saved only once its log entry is durable (R35).
   */
  private dispatch<A extends RoomAction>(
    action: A,
    actor?: Session,
    accepted?: (result: RoomActionResults[A["type"]]) => void,
  ): Acked<RoomActionResults[A["type"]]> {
    const before = this.current;
    const outcome = reduceRoom(before, action, this.env);
    if (!outcome.state || outcome.state === before) {
      this.run(outcome.effects, actor);
      if (outcome.ack.ok) accepted?.(outcome.ack as RoomActionResults[A["type"]]);
      return outcome.ack;
    }
    this.current = outcome.state;
    // Effects first: an eviction must find the seat's previous connection, not this one.
    const durable = this.commit(action, outcome.state, outcome.effects, actor);
    if (outcome.ack.ok) accepted?.(outcome.ack as RoomActionResults[A["type"]]);
    return this.deps.log ? durable.then(() => outcome.ack) : outcome.ack;
  }

  /**
   * Log an accepted action; run its effects that stay in the process now and the others once it
   * is durable (at once without a log).
   */
  private commit(
    action: RoomAction,
    state: RoomState,
    effects: readonly RoomEffect[],
    actor: Session | undefined,
  ): Promise<void> {
    const log = this.deps.log;
    if (!log) {
      this.durable = state;
      this.run(effects, actor);
      return Promise.resolve();
    }
    // Appended before the effects run: a `closed` effect's compaction must come after it.
    const durable = log.append(this.code, this.seq++, action);
    this.run(
      effects.filter((e) => !AFTER_DURABLE.has(e.type)),
      actor,
    );
    const later = effects.filter((e) => AFTER_DURABLE.has(e.type));
    return durable.then(() => {
      this.durable = state;
      this.run(later, actor);
    });
  }

  private run(effects: readonly RoomEffect[], actor: Session | undefined): void {
    for (const effect of effects) {
      try {
        this.runEffect(effect, actor);
      } catch (error) {
        this.deps.logger.error("room effect failed", {
          room: this.code,
          effect: effect.type,
          error: String(error),
        });
      }
    }
  }

  private runEffect(effect: RoomEffect, actor: Session | undefined): void {
    const { clock, logger } = this.deps;
    switch (effect.type) {
      case "setTimer": {
        this.clearTimer(effect.id);
        const id = effect.id;
        const handle = clock.setTimeout(() => {
          if (this.timers.get(id) !== handle) return;
          this.timers.delete(id);
          void this.dispatch({ type: "timer", at: clock.now(), id });
        }, effect.at - clock.now());
        this.timers.set(id, handle);
        return;
      }
      case "clearTimer":
        this.clearTimer(effect.id);
        return;
      case "broadcast":
        this.sender.broadcast(effect.urgency, actor);
        return;
      case "evict": {
        const session = this.seats.get(effect.playerId);
        if (!session) return;
        const host = session.isHost;
        this.unbind(session);
        session.conn.send("room:closed", {
          code: this.code,
          reason: effect.reason,
          message: closedMessage(effect.reason),
        });
        void this.dispatch({
          type: "detach",
          at: clock.now(),
          playerId: null,
          host,
          leave: false,
        });
        return;
      }
      case "saveRound": {
        const round = effect.round;
        this.unsaved.add(round.id);
        this.deps
          .saveRound(round, () => {
            this.unsaved.delete(round.id);
            if (this.isClosed) this.compact();
            else
              void this.dispatch({
                type: "stored",
                at: clock.now(),
                roundNumber: round.roundNumber,
                id: round.id,
              });
          })
          .catch(() => false)
          .then(() => {
            if (this.isClosed) return;
            void this.dispatch({
              type: "saveFinished",
              at: clock.now(),
              roundNumber: round.roundNumber,
            });
          });
        return;
      }
      case "storeCompetition":
        this.deps.onCompetitionChanged?.(effect.competition);
        return;
      case "count":
        this.deps.counters[effect.counter] += 1;
        return;
      case "log":
        logger[effect.level](effect.message, effect.fields as Record<string, unknown> | undefined);
        return;
      case "closed":
        this.closed(effect.reason);
        return;
    }
  }

  private clearTimer(id: TimerId): void {
    const handle = this.timers.get(id);
    if (handle) this.deps.clock.clearTimeout(handle);
    this.timers.delete(id);
  }

  private attach(session: Session, host: boolean): void {
    session.room = this;
    if (host) session.isHost = true;
    this.sessions.add(session);
  }

  private bind(session: Session, playerId: string): void {
    session.playerId = playerId;
    this.seats.set(playerId, session);
  }

  /** Detach a connection; returns the seat it held (now free of it), or null. */
  private unbind(session: Session): string | null {
    const playerId = session.playerId;
    const held = playerId !== null && this.seats.get(playerId) === session ? playerId : null;
    if (held !== null) this.seats.delete(held);
    this.sessions.delete(session);
    this.sender.forget(session);
    session.room = null;
    session.playerId = null;
    session.isHost = false;
    return held;
  }

  private closed(reason: RoomClosedReason): void {
    for (const id of [...this.timers.keys()]) this.clearTimer(id);
    this.sender.stop();
    for (const session of [...this.sessions]) {
      this.unbind(session);
      session.conn.send("room:closed", {
        code: this.code,
        reason,
        message: closedMessage(reason),
      });
    }
    this.deps.onClosed(this);
    this.compact();
  }

  /** R39: a closed room's log goes once its rounds are stored (a failed save keeps it). */
  private compact(): void {
    if (this.unsaved.size === 0) void this.deps.log?.compact(this.code);
  }
}

/**
 * The rules' environment for one room: the hub's, with the room's surfaces cached here, so a turn
 * never re-generates a procedural surface (lib's shared cache is small and may be cleared by
 * other rooms).
 */
function roomEnv(deps: RoomDeps): RoomEnv {
  const surfaces = new Map<string, Surface>();
  return {
    catalog: deps.catalog,
    limits: deps.limits,
    resolveSurface: (ref: SurfaceRef): Surface => {
      const key = surfaceInstanceKey(ref);
      const cached = surfaces.get(key);
      if (cached) return cached;
      const surface = deps.env.resolveSurface(ref);
      if (surfaces.size >= 4) surfaces.clear();
      surfaces.set(key, surface);
      return surface;
    },
  };
}
