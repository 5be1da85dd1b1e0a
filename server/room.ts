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
  RoomAction,
  RoomActionResults,
  RoomEffect,
  RoomEnv,
  RoomState,
  TimerId,
} from "../lib/room";
import { surfaceInstanceKey } from "../lib/surface-ref";
import type { SurfaceRef } from "../lib/surface-ref";
import type { Surface } from "../lib/types";
import type { TimerHandle } from "./clock";
import type { RevealShare, RoomCreation, RoomDeps } from "./room-deps";
import type { Connection } from "./connection";
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

/** One room. Create it with {@link Room.create}. */
export class Room {
  private current: RoomState;
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
    this.env = env;
    this.sender = new RoomSender({
      clock: deps.clock,
      logger: deps.logger,
      limits: deps.limits,
      env,
      state: () => this.current,
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
  ): { room: Room; seatToken: string | null; playerId: string | null } | AckFailure {
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
    const outcome = reduceRoom(
      null,
      {
        type: "create",
        at: deps.clock.now(),
        code: creation.code,
        mode: creation.mode,
        hostTokenHash: tokenHash(creation.hostToken),
        settings: creation.settings,
        ...(seat && { seat }),
        ...(creation.classroom && { classroom: creation.classroom }),
      },
      env,
    );
    if (!outcome.ack.ok || !outcome.state) return outcome.ack as AckFailure;
    const room = new Room(outcome.state, deps, env);
    room.attach(session, true);
    if (seat) room.bind(session, seat.playerId);
    room.run(outcome.effects, session);
    return { room, seatToken, playerId: seat?.playerId ?? null };
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
      this.current,
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
  ): AckResponse<{ code: string; playerId: string; seatToken: string }> {
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
    return ack.ok ? { ok: true, code: this.code, playerId, seatToken } : ack;
  }

  /** `room:resume`: give a seat back to the connection holding its token. */
  resume(session: Session, seatToken: string): AckResponse<{ code: string; playerId: string }> {
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
    return ack.ok ? { ok: true, code: this.code, playerId: ack.playerId } : ack;
  }

  /** `room:watch` (spectator) and `room:host` (the host's console). */
  watch(session: Session, hostToken?: string): AckResponse<{ code: string }> {
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
  detach(session: Session, leave: boolean): AckResponse<Record<never, never>> {
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
  ): AckResponse<RoomActionResults[T]> {
    const action = { ...fields, type, at: this.now(), hostTokenHash: tokenHash(hostToken) };
    return this.dispatch(action as unknown as Extract<RoomAction, { type: T }>);
  }

  /** `round:start`: the surface is picked here (crypto randomness), from the rules' choice. */
  startRound(
    hostToken: string,
    settings: RoomSettings | undefined,
  ): AckResponse<{ roundNumber: number }> {
    const denied = this.checkHost(hostToken);
    if (denied) return denied;
    const chosen = startSettings(this.current, settings, this.env);
    if (!chosen.ok) return chosen;
    let surface: SurfaceRef;
    try {
      surface = pickSurface(chosen.settings.surface, this.deps.catalog);
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
  move(session: Session, turn: number, angle: number, eta: number): AckResponse<{ turn: number }> {
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
  close(reason: RoomClosedReason, hostToken?: string): AckResponse<Record<never, never>> {
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
   * `accepted` (the connection bookkeeping that goes with it).
   */
  private dispatch<A extends RoomAction>(
    action: A,
    actor?: Session,
    accepted?: (result: RoomActionResults[A["type"]]) => void,
  ): AckResponse<RoomActionResults[A["type"]]> {
    const outcome = reduceRoom(this.current, action, this.env);
    if (outcome.state) this.current = outcome.state;
    // Effects first: an eviction must find the seat's previous connection, not this one.
    this.run(outcome.effects, actor);
    if (outcome.ack.ok) accepted?.(outcome.ack as RoomActionResults[A["type"]]);
    return outcome.ack;
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
          this.dispatch({ type: "timer", at: clock.now(), id });
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
        this.dispatch({ type: "detach", at: clock.now(), playerId: null, host, leave: false });
        return;
      }
      case "saveRound": {
        const round = effect.round;
        this.deps
          .saveRound(round, () =>
            this.dispatch({
              type: "stored",
              at: clock.now(),
              roundNumber: round.roundNumber,
              id: round.id,
            }),
          )
          .catch(() => false)
          .then(() =>
            this.dispatch({
              type: "saveFinished",
              at: clock.now(),
              roundNumber: round.roundNumber,
            }),
          );
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
