import { ackError, ErrorCode } from "../lib/protocol";
import type { AckFailure, RoomClosedReason, RoomSnapshot } from "../lib/protocol";
import { closedMessage, reduceRoom, replayRoomLog, roomViewFor, upcomingChoice } from "../lib/room";
import type {
  FinishedRound,
  RoomAction,
  RoomActionResults,
  RoomEffect,
  RoomState,
  TimerId,
} from "../lib/room";
import type { SurfaceChoice } from "../lib/protocol";
import { surfaceInstanceKey } from "../lib/surface-ref";
import type { SurfacePreparation, SurfaceRef } from "../lib/surface-ref";
import type { Surface } from "../lib/types";
import { roomEnv } from "./room-deps";
import type { Acked, RevealShare, RoomDeps, RoomRuntimeEnv } from "./room-deps";
import { pickSurface } from "./surface-picker";
import type { PreparedJob } from "./surface-preparer";
import type { Connection } from "./connection";
import type { RoomLogRow } from "./db/room-log";
import { parseLogRows } from "./room-log";
import { RoomConnections } from "./room-connections";
import { RoomSender } from "./room-sender";
import { RoomTimers } from "./room-timers";

export type { FinishedRound, RoomLimits } from "../lib/room";
export type { Acked, RevealShare, RoomCounters, RoomCreation, RoomDeps } from "./room-deps";
export { mapAck } from "./room-deps";

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

/** Effects that reach outside the process wait until their action is durable (R35). */
const AFTER_DURABLE: ReadonlySet<RoomEffect["type"]> = new Set([
  "broadcast",
  "saveRound",
  "storeCompetition",
]);

/** R31a: after these actions the next start's surface choice may have changed: prepare it. */
const PREPARE_AFTER: ReadonlySet<RoomAction["type"]> = new Set([
  "create",
  "settings",
  "start",
  "restart",
]);

/** A start waits this long at most for its surface's preparation, then computes it itself. */
const PREPARED_WAIT_MS = 1000;

/** The next round's surface, picked and being prepared off the thread (R31a). */
interface Upcoming {
  /** The surface choice it was picked for (JSON). */
  readonly key: string;
  readonly ref: SurfaceRef;
  readonly job: PreparedJob;
  /** Set once prepared. */
  surface: Surface | null;
}

/** One room. Create it with {@link Room.create}, or rebuild it from its log with {@link Room.restore}. */
export class Room {
  private current: RoomState;
  /** The state as of the last durable action: what connections are shown (R35). */
  private durable: RoomState;
  /** The next entry of the room's log. */
  private seq = 0;
  /** R42: another node runs this room now; this copy refuses everything and writes nothing. */
  private fenced = false;
  /** Rounds handed to the save and not stored yet (their ids): the log stays until they are. */
  private readonly unsaved = new Set<string>();
  /** The attached connections and the seat each holds. */
  readonly connections: RoomConnections<Room, Session>;
  private readonly timers: RoomTimers<TimerId>;
  readonly env: RoomRuntimeEnv;
  private readonly sender: RoomSender;
  /** R31a: the next round's surface, prepared ahead (never logged or sent before its start). */
  private upcoming: Upcoming | null = null;
  /**
   * The current round's surface as the surface thread prepared it (null when the start computed
   * it): the round's save hands it to the database's thread, which then need not compute it.
   */
  private playing: { readonly ref: SurfaceRef; readonly prep: SurfacePreparation } | null = null;

  private constructor(
    state: RoomState,
    private readonly deps: RoomDeps,
    env: RoomRuntimeEnv,
  ) {
    this.current = state;
    this.durable = state;
    this.env = env;
    this.timers = new RoomTimers(deps.clock, (id) => {
      void this.act({ type: "timer", at: deps.clock.now(), id });
    });
    this.connections = new RoomConnections<Room, Session>(this, (session) =>
      this.sender.forget(session),
    );
    this.sender = new RoomSender({
      clock: deps.clock,
      logger: deps.logger,
      limits: deps.limits,
      env,
      state: () => this.durable,
      sessions: () => this.connections.all(),
    });
  }

  /**
   * Open a room from its `create` action with `session` attached as its host (and seated in the
   * action's seat); the rules' refusal when they refuse it (nothing created). `durable` settles
   * once the `create` is in the log (R35). The hub creates rooms through server/room-commands.ts.
   */
  static create(
    action: Extract<RoomAction, { type: "create" }>,
    session: Session,
    deps: RoomDeps,
  ): { room: Room; durable: Promise<void> } | AckFailure {
    const env = roomEnv(deps);
    const outcome = reduceRoom(null, action, env);
    if (!outcome.ack.ok || !outcome.state) return outcome.ack as AckFailure;
    const room = new Room(outcome.state, deps, env);
    room.connections.attach(session, true);
    if (action.seat) room.connections.bind(session, action.seat.playerId);
    const durable = room.commit(action, outcome.state, outcome.effects, session);
    room.prepareNext();
    return { room, durable };
  }

  /**
   * R37: rebuild a room from its log (rows in `seq` order) through lib/room's {@link replayRoomLog},
   * then apply `restart` at the clock's now: timers re-armed, rounds that were not stored saved
   * again. A log that does not replay (a gap, bad JSON, an action the rules refuse: corrupt, or
   * written by another version) gives the reason instead, and nothing runs.
   */
  static restore(rows: readonly RoomLogRow[], deps: RoomDeps): Room | string {
    const actions = parseLogRows(rows);
    if (typeof actions === "string") return actions;
    const env = roomEnv(deps);
    const replayed = replayRoomLog(actions, env);
    if ("error" in replayed) return replayed.error;
    const { state, unsaved, competition } = replayed;
    const room = new Room(state, deps, env);
    room.seq = rows.length;
    for (const round of unsaved) room.runEffect({ type: "saveRound", round }, undefined);
    if (state.closed) {
      // Closed before the crash: only its unsaved rounds were left to do.
      room.closed(state.closed);
      return room;
    }
    if (competition) room.runEffect({ type: "storeCompetition", competition }, undefined);
    void room.act({ type: "restart", at: deps.clock.now() });
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
    return this.connections.size;
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

  /** The time on the injected clock. */
  now(): number {
    return this.deps.clock.now();
  }

  /** Log an error of this room's (a fault of the runtime, not a refusal). */
  logError(message: string, error: unknown): void {
    this.deps.logger.error(message, { room: this.code, error: String(error) });
  }

  /**
   * R42: this node lost the room's lease. Stop its timers and sends, refuse every later action
   * (nothing more is logged or stored from here) and let go of the connections, which are
   * returned (the hub closes them: they reconnect to the room's new node).
   */
  fence(): Session[] {
    this.fenced = true;
    this.upcoming?.job.cancel();
    this.upcoming = null;
    this.timers.clearAll();
    this.sender.stop();
    const sessions = [...this.connections.all()];
    for (const session of sessions) this.connections.unbind(session);
    return sessions;
  }

  // ── The next round's surface (R31a) ─────────────────────────────────────────────────────

  /**
   * Pick the surface of the choice the next start will most likely play (lib/room's
   * `upcomingChoice`: none once closed or with a fixed surface) and have it prepared off the
   * thread, unless it already is. No preparer: nothing; a ref it does not prepare (a formula,
   * data) settles to null at once and the start computes it.
   */
  private prepareNext(): void {
    const preparer = this.deps.preparer;
    if (!preparer) return;
    const choice = upcomingChoice(this.current);
    const key = choice ? JSON.stringify(choice) : null;
    if (this.upcoming && this.upcoming.key === key) return;
    this.upcoming?.job.cancel();
    this.upcoming = null;
    if (!choice || key === null) return;
    let ref: SurfaceRef;
    try {
      ref = pickSurface(choice, this.env.catalog);
    } catch {
      return; // the start will pick it again and say why it cannot
    }
    const entry: Upcoming = { key, ref, job: preparer.prepare(ref), surface: null };
    this.upcoming = entry;
    void entry.job.surface.then((surface) => {
      if (this.upcoming !== entry) return;
      if (surface) entry.surface = surface;
      else this.upcoming = null;
    });
  }

  /**
   * A start of `choice` is about to be made: when the prepared surface is of that choice and
   * still being prepared, a promise that settles once it is ready (its job run next) or after
   * {@link PREPARED_WAIT_MS}; otherwise null (start now: also while the thread is loading).
   */
  preparing(choice: SurfaceChoice): Promise<void> | null {
    const entry = this.upcoming;
    if (!entry || entry.surface || entry.key !== JSON.stringify(choice)) return null;
    if (!entry.job.warm()) return null; // its thread is still loading: compute it now
    entry.job.hurry();
    return new Promise<void>((resolve) => {
      const timer = this.deps.clock.setTimeout(resolve, PREPARED_WAIT_MS);
      void entry.job.surface.then(() => {
        this.deps.clock.clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * The prepared ref of `choice`, if it is ready: the rules will resolve it to its prepared
   * surface. It is handed over once (the next start prepares the round after).
   */
  takePrepared(choice: SurfaceChoice): SurfaceRef | null {
    const entry = this.upcoming;
    if (!entry?.surface || entry.key !== JSON.stringify(choice)) return null;
    this.upcoming = null;
    this.env.remember(entry.ref, entry.surface);
    const prep = entry.job.preparation();
    this.playing = prep ? { ref: entry.ref, prep } : null;
    this.deps.counters.surfacesPrepared += 1;
    return entry.ref;
  }

  /** A start picked and computed its surface itself (statistics). */
  countSurfaceAtStart(): void {
    this.playing = null;
    this.deps.counters.surfacesAtStart += 1;
  }

  /** The preparation of `round`'s surface, when this room's start took it prepared. */
  private preparationOf(round: FinishedRound): SurfacePreparation | undefined {
    const playing = this.playing;
    return playing && surfaceInstanceKey(playing.ref) === surfaceInstanceKey(round.record.surface)
      ? playing.prep
      : undefined;
  }

  // ── The runtime ──────────────────────────────────────────────────────────────────────────

  /**
   * Feed one action to the rules, keep the new state, run the effects, then (when accepted) run
   * `accepted` (the connection bookkeeping that goes with it). With a room log, an action that
   * changed the room is acknowledged, shown and saved only once its log entry is durable (R35).
   */
  act<A extends RoomAction>(
    action: A,
    actor?: Session,
    accepted?: (result: RoomActionResults[A["type"]]) => void,
  ): Acked<RoomActionResults[A["type"]]> {
    if (this.fenced) {
      return ackError(
        ErrorCode.INTERNAL_ERROR,
        "this room moved to another server node: reconnect and try again",
      );
    }
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
    if (PREPARE_AFTER.has(action.type)) this.prepareNext();
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
      case "setTimer":
        this.timers.set(effect.id, effect.at);
        return;
      case "clearTimer":
        this.timers.clear(effect.id);
        return;
      case "broadcast":
        this.sender.broadcast(effect.urgency, actor);
        return;
      case "evict": {
        const session = this.connections.holder(effect.playerId);
        if (!session) return;
        const host = session.isHost;
        this.connections.unbind(session);
        this.sendClosed(session, effect.reason);
        void this.act({ type: "detach", at: clock.now(), playerId: null, host, leave: false });
        return;
      }
      case "saveRound": {
        const round = effect.round;
        this.unsaved.add(round.id);
        this.deps
          .saveRound(round, this.preparationOf(round), () => {
            this.unsaved.delete(round.id);
            if (this.isClosed) this.compact();
            else
              void this.act({
                type: "stored",
                at: clock.now(),
                roundNumber: round.roundNumber,
                id: round.id,
              });
          })
          .catch(() => false)
          .then(() => {
            if (this.isClosed) return;
            void this.act({
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

  private closed(reason: RoomClosedReason): void {
    this.upcoming?.job.cancel();
    this.upcoming = null;
    this.timers.clearAll();
    this.sender.stop();
    for (const session of [...this.connections.all()]) {
      this.connections.unbind(session);
      this.sendClosed(session, reason);
    }
    this.deps.onClosed(this);
    this.compact();
  }

  private sendClosed(session: Session, reason: RoomClosedReason): void {
    session.conn.send("room:closed", { code: this.code, reason, message: closedMessage(reason) });
  }

  /** R39: a closed room's log goes once its rounds are stored (a failed save keeps it). */
  private compact(): void {
    if (this.unsaved.size === 0) void this.deps.log?.compact(this.code);
  }
}
