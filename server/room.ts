import type { RoundEnv } from "../lib/game";
import { ackError, ErrorCode } from "../lib/protocol";
import type {
  AckFailure,
  AckResponse,
  RoomClosedReason,
  RoomMode,
  RoomSettings,
  RoomSnapshot,
} from "../lib/protocol";
import {
  progressFor,
  reduceRoom,
  roomViewFor,
  roomViewMaker,
  sharedRevealFor,
  startSettings,
} from "../lib/room";
import type {
  ClassroomSetup,
  CompetitionSnapshot,
  FinishedRound,
  RoomAction,
  RoomActionResults,
  RoomEffect,
  RoomEnv,
  RoomLimits,
  RoomState,
  TimerId,
  Urgency,
} from "../lib/room";
import { surfaceRefKey } from "../lib/surface-ref";
import type { SurfaceRef } from "../lib/surface-ref";
import type { Surface } from "../lib/types";
import type { Clock, TimerHandle } from "./clock";
import type { Connection } from "./connection";
import type { Logger } from "./logger";
import { SnapshotJson } from "./snapshot-json";
import { pickSurface } from "./surface-picker";
import type { CatalogEntry } from "./surface-picker";
import { newPlayerId, newRoundId, newToken, randomUint32, tokenHash, tokensEqual } from "./tokens";

export type { FinishedRound, RoomLimits } from "../lib/room";

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

/** A big reveal's shared entries (R11a), serialised once and served by reference. */
export interface RevealShare {
  /** The `revealPlayers.href` key (random, one per revealed state: the body never changes). */
  readonly key: string;
  readonly roundNumber: number;
  readonly players: number;
  /** The JSON body ({@link RevealPlayersBody}). */
  readonly json: string;
}

/** Counters the hub keeps (statistics, the benchmark). */
export interface RoomCounters {
  movesAccepted: number;
  turnsResolved: number;
  roundsStarted: number;
  roundsFinished: number;
}

/** What a room needs from its hub. */
export interface RoomDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly env: RoundEnv;
  readonly catalog: readonly CatalogEntry[];
  readonly limits: RoomLimits;
  readonly counters: RoomCounters;
  /**
   * Store a finished round; resolves after the FIRST attempt (true: stored). The hub keeps
   * retrying a failed save in the background and calls `onStored` once it is stored.
   */
  readonly saveRound: (round: FinishedRound, onStored?: () => void) => Promise<boolean>;
  /** The room closed itself (empty, or closed by its host): forget it. */
  readonly onClosed: (room: Room) => void;
  /** A classroom competition changed in a way worth storing (created, a round, ended). */
  readonly onCompetitionChanged?: (competition: CompetitionSnapshot) => void;
}

/** How a room is created (`room:create`, `classroom:create`). */
export interface RoomCreation {
  readonly code: string;
  readonly mode: RoomMode;
  readonly hostToken: string;
  readonly settings: RoomSettings;
  /** The creator's seat: their nickname. */
  readonly nickname?: string;
  readonly classroom?: Omit<ClassroomSetup, "createdAt">;
}

const CLOSED_MESSAGES: Record<RoomClosedReason, string> = {
  empty: "The room was empty for too long and has closed.",
  "closed-by-host": "The host closed the room.",
  "seat-taken":
    "Your seat was taken over by another connection with the same seat token (another tab?).",
  kicked: "The host removed you from the room.",
  "server-shutdown": "The server is restarting; reconnect in a moment and resume your seat.",
};

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
  private revealShare: (RevealShare & { readonly round: RoomState["round"] }) | null = null;
  // Sending: see `broadcast`.
  private flushPending = false;
  private progressTimer: TimerHandle | null = null;
  private presenceTimer: TimerHandle | null = null;
  private lastProgressAt = -Infinity;
  private lastFullAt = -Infinity;
  private dirtyAll = false;
  private progressDirty = false;
  private readonly dirtySessions = new Set<Session>();

  private constructor(
    state: RoomState,
    private readonly deps: RoomDeps,
    env: RoomEnv,
  ) {
    this.current = state;
    this.env = env;
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
      { now: this.deps.clock.now(), revealHref: this.shareHref() },
    );
  }

  /**
   * The shared entries served at `revealPlayers.href` (server/reveal-http.ts), or null when `key`
   * is not this room's current reveal (an older reveal, a closed room, a guess).
   */
  revealPlayers(key: string): RevealShare | null {
    const share = this.revealShare;
    if (this.isClosed || !share || share.round !== this.current.round) return null;
    return tokensEqual(share.key, key) ? share : null;
  }

  // ── Connections ──────────────────────────────────────────────────────────────────────────

  /** `room:join`: seat a new player. */
  join(
    session: Session,
    nickname: string,
  ): AckResponse<{ code: string; playerId: string; seatToken: string }> {
    const seatToken = newToken();
    const playerId = newPlayerId();
    const ack = this.dispatch(
      {
        type: "join",
        at: this.now(),
        seat: { playerId, nickname, seatTokenHash: tokenHash(seatToken) },
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
        this.broadcast(effect.urgency, actor);
        return;
      case "evict": {
        const session = this.seats.get(effect.playerId);
        if (!session) return;
        const host = session.isHost;
        this.unbind(session);
        session.conn.send("room:closed", {
          code: this.code,
          reason: effect.reason,
          message: CLOSED_MESSAGES[effect.reason],
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
    this.dirtySessions.delete(session);
    session.room = null;
    session.playerId = null;
    session.isHost = false;
    return held;
  }

  private closed(reason: RoomClosedReason): void {
    for (const id of [...this.timers.keys()]) this.clearTimer(id);
    for (const timer of [this.progressTimer, this.presenceTimer]) {
      if (timer) this.deps.clock.clearTimeout(timer);
    }
    this.progressTimer = this.presenceTimer = null;
    for (const session of [...this.sessions]) {
      this.unbind(session);
      session.conn.send("room:closed", {
        code: this.code,
        reason,
        message: CLOSED_MESSAGES[reason],
      });
    }
    this.deps.onClosed(this);
  }

  // ── Sending ──────────────────────────────────────────────────────────────────────────────

  /**
   * Schedule what to send after a change (the reducer says how urgent it is):
   * - `now`: a full snapshot to every connection at the next turn of the event loop (changes in
   *   the same tick are coalesced);
   * - `presence`: a full snapshot at once to the connection that attached, and to everyone at
   *   most every `presenceIntervalMs` (a wave of reconnections costs one broadcast, not sixty);
   * - `progress`: a full snapshot to the mover only, and a small `room:progress` patch to
   *   everyone at most every `progressIntervalMs` (a turn's moves cost O(players) messages).
   */
  private broadcast(urgency: Urgency, actor: Session | undefined): void {
    if (this.isClosed) return;
    const { clock, limits } = this.deps;
    if (urgency === "now") {
      this.dirtyAll = true;
      this.scheduleFlush();
      return;
    }
    if (actor) {
      this.dirtySessions.add(actor);
      this.scheduleFlush();
    }
    if (urgency === "presence") {
      if (this.presenceTimer) return;
      const wait = this.lastFullAt + limits.presenceIntervalMs - clock.now();
      this.presenceTimer = clock.setTimeout(
        () => {
          this.presenceTimer = null;
          this.dirtyAll = true;
          this.flush();
        },
        Math.max(0, wait),
      );
      return;
    }
    this.progressDirty = true;
    if (this.progressTimer) return;
    const wait = this.lastProgressAt + limits.progressIntervalMs - clock.now();
    this.progressTimer = clock.setTimeout(() => this.flushProgress(), Math.max(0, wait));
  }

  private scheduleFlush(): void {
    if (this.flushPending) return;
    this.flushPending = true;
    this.deps.clock.defer(() => {
      if (this.flushPending) this.flush();
    });
  }

  /** The `revealPlayers.href` of the current reveal when it is shared by reference (R11a). */
  private shareHref(): string | null {
    const state = this.current;
    if (state.gate !== "revealed" || !state.round) return null;
    if (this.revealShare?.round !== state.round) {
      const body = sharedRevealFor(state, this.env);
      this.revealShare = body && {
        round: state.round,
        key: newToken(),
        roundNumber: body.roundNumber,
        players: body.players.length,
        json: JSON.stringify(body),
      };
    }
    return this.revealShare ? `/api/rooms/${this.code}/reveals/${this.revealShare.key}` : null;
  }

  /** Send the pending full snapshots (views shared between equal viewers). */
  private flush(): void {
    this.flushPending = false;
    if (this.isClosed) return;
    const all = this.dirtyAll;
    const targets = all
      ? [...this.sessions]
      : [...this.dirtySessions].filter((s) => s.room === this);
    this.dirtyAll = false;
    this.dirtySessions.clear();
    if (all) {
      // A full snapshot to everyone supersedes pending presence and progress messages.
      const now = this.deps.clock.now();
      this.lastFullAt = now;
      this.lastProgressAt = now;
      this.progressDirty = false;
      for (const timer of [this.presenceTimer, this.progressTimer]) {
        if (timer) this.deps.clock.clearTimeout(timer);
      }
      this.presenceTimer = this.progressTimer = null;
    }
    if (targets.length === 0) return;
    const make = roomViewMaker(this.current, this.env, {
      now: this.deps.clock.now(),
      revealHref: this.shareHref(),
    });
    const json = new SnapshotJson(make.base);
    for (const session of targets) {
      try {
        const snapshot = make({ isHost: session.isHost, playerId: session.playerId });
        if (session.conn.sendJson) {
          // Serialised here (shared arrays once per broadcast); written as a pre-encoded packet.
          session.conn.sendJson("room:state", json.stringify(snapshot));
        } else {
          session.conn.send("room:state", snapshot);
        }
      } catch (error) {
        this.deps.logger.error("snapshot failed", { room: this.code, error: String(error) });
      }
    }
  }

  /** Send everyone who has moved in the current turn (`room:progress`). */
  private flushProgress(): void {
    if (this.progressTimer) this.deps.clock.clearTimeout(this.progressTimer);
    this.progressTimer = null;
    if (this.isClosed || !this.progressDirty) return;
    this.progressDirty = false;
    const progress = progressFor(this.current);
    if (!progress) return;
    this.lastProgressAt = this.deps.clock.now();
    const json = JSON.stringify(progress);
    for (const session of this.sessions) {
      if (session.conn.sendJson) session.conn.sendJson("room:progress", json);
      else session.conn.send("room:progress", progress);
    }
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
      const key = surfaceRefKey(ref);
      const cached = surfaces.get(key);
      if (cached) return cached;
      const surface = deps.env.resolveSurface(ref);
      if (surfaces.size >= 4) surfaces.clear();
      surfaces.set(key, surface);
      return surface;
    },
  };
}
