import { defaultRoundEnv } from "../lib/game";
import type { RoundEnv } from "../lib/game";
import { ackError, ErrorCode, parseClientPayload, PROTOCOL_VERSION } from "../lib/protocol";
import type {
  AckFailure,
  ClientEventName,
  ClientEventResults,
  ClientPayload,
  RoomSettings,
  RoomSettingsInput,
} from "../lib/protocol";
import { roomSettingsSchema } from "../lib/protocol";
import { surfaces } from "../lib/surfaces";
import { systemClock } from "./clock";
import type { Clock } from "./clock";
import { LatencyHistogram } from "./histogram";
import type { LatencySummary } from "./histogram";
import type { Connection } from "./connection";
import { consoleLogger } from "./logger";
import type { Logger } from "./logger";
import { Room } from "./room";
import type { Acked, RoomCounters, Session } from "./room";
import * as command from "./room-commands";
import type { RoomLogRow } from "./db/room-log";
import type { RoomLog, RoomLogStats } from "./room-log";
import { DEFAULT_LIMITS, ghostOfRecord, ghostQueryFor } from "../lib/room";
import type { CatalogEntry, CompetitionSnapshot, FinishedRound, RoomLimits } from "../lib/room";
import { MemoryRoomStore } from "./room-store";
import type { RoomStore } from "./room-store";
import { newPlayerId, newRoomCode, newToken, tokenHash } from "./tokens";
import { FormulaAnalyser, formulaPreview } from "./formula-analysis";
import type { FormulaAccepted } from "./formula-analysis";
import { SurfacePreparer } from "./surface-preparer";
import { withDataPreview } from "./surface-preview";
import { challengeOfRoom, DAILY_ROOM_SETTINGS, fixedRoomSettings } from "../lib/challenge/room";
import { dailyKey, dailyNumber, dailySurface } from "../lib/challenge/daily";
import type { SurfacePreparation, SurfaceRef } from "../lib/surface-ref";
import type { ChallengeBackend, RoomTag } from "./challenge-backend";
import { DataError } from "./db/inputs";

/**
 * The game hub: every connection's session, the room store, and one handler per client event.
 * Transport-independent: server/socket-io.ts feeds it Socket.IO sockets through the
 * {@link Connection} interface, tests may feed it anything else. {@link GameHub.handle} parses the
 * payload with the event's zod schema before anything else and never throws.
 */

export { DEFAULT_LIMITS };

/** Options of {@link GameHub}. Everything has a production default. */
export interface GameHubOptions {
  /** @default the system clock */
  readonly clock?: Clock;
  /** @default console */
  readonly logger?: Logger;
  /** Where surfaces come from (tests may add their own). @default lib/game's default */
  readonly env?: RoundEnv;
  /** The catalog "surprise" picks from and catalog ids are checked against. @default lib/surfaces */
  readonly catalog?: readonly CatalogEntry[];
  /** @default an in-memory store */
  readonly store?: RoomStore;
  readonly limits?: Partial<RoomLimits>;
  /** Most open rooms. @default 10000 */
  readonly maxRooms?: number;
  /**
   * Called once per finished round, BEFORE the reveal is sent (persistence). A throw or a
   * rejection is logged and retried with exponential back-off; it never takes the room down.
   * `surface`: the round's surface as the surface thread prepared it (R31a), when it did: the
   * save may hand it to its replay (`SaveRoundOptions.surface`) instead of computing it again.
   * @default a no-op
   */
  readonly onRoundFinished?: (
    round: FinishedRound,
    surface?: SurfacePreparation,
  ) => Promise<void> | void;
  /** Attempts of `onRoundFinished` per round. @default 6 */
  readonly persistAttempts?: number;
  /** First retry delay; doubles each time. @default 500 */
  readonly persistRetryMs?: number;
  /** Saves running at once (a burst of reveals queues, with a yield between saves). @default 1 */
  readonly persistConcurrency?: number;
  /**
   * A classroom competition was created, finished a round or ended: store it (errors are logged,
   * the competition goes on). @default a no-op
   */
  readonly onCompetitionChanged?: (competition: CompetitionSnapshot) => Promise<void> | void;
  /**
   * The durable log of the live rooms (R35): every accepted action is appended and acknowledged
   * once durable, and {@link GameHub.restore} rebuilds the rooms from it after a restart.
   * @default none: the rooms live in this process only
   */
  readonly roomLog?: RoomLog;
  /**
   * Where host formulas are checked before the rules see them (F7).
   * @default a worker thread with the default budget
   */
  readonly formulas?: FormulaAnalyser;
  /**
   * Where challenges and daily attempts are stored (docs/SPEC.md C1–C5, D3–D5). @default none:
   * `challenge:*` and `daily:*` answer UNAVAILABLE
   */
  readonly challenges?: ChallengeBackend;
  /**
   * R31a: where the next rounds' surfaces are computed ahead, off the game's thread; false: at
   * each round start, on it. @default a worker thread when the rules' environment is lib's
   * default (a custom environment resolves surfaces its own way: false)
   */
  readonly preparer?: Pick<SurfacePreparer, "prepare" | "close"> | false;
  /**
   * R40: several nodes. A new room's code is claimed here first (the room's lease, made only when
   * no node holds one); false: that code is taken, another is drawn. @default every free code
   */
  readonly claimCode?: (code: string) => Promise<boolean>;
}

/** The formula surfaces a payload names (room settings, a classroom's plan). */
function formulaChoices(payload: unknown): { text: string; box: RoomBox; round?: number }[] {
  const p = payload as { settings?: RoomSettings; rounds?: readonly RoomSettings[] };
  const single = p.settings?.surface.kind === "formula" ? [p.settings.surface] : [];
  // A classroom plan's formulas carry their round's number (1, 2, …) for the refusal.
  const planned = (p.rounds ?? []).flatMap((s, i) =>
    s.surface.kind === "formula" ? [{ ...s.surface, round: i + 1 }] : [],
  );
  return [...single, ...planned];
}

type RoomBox = Extract<RoomSettings["surface"], { kind: "formula" }>["box"];

type Handler<E extends ClientEventName> = (
  session: Session,
  payload: ClientPayload<E>,
) => Acked<ClientEventResults[E]>;

/** Statistics of a hub. */
export interface HubStats extends RoomCounters {
  rooms: number;
  connections: number;
  pendingSaves: number;
  /**
   * Finished rounds' saves: from the round's end to stored (the first attempt that stored it),
   * the time its reveal waits for (issue 15).
   */
  roundSaves: LatencySummary;
  /**
   * Messages written to this node's own sockets, by event (`ack`: acknowledgements): each is a
   * WebSocket frame and a write (issue 15: writing frames is the biggest cost at 5,000 players).
   */
  framesSent: Record<string, number>;
  /** The room log's writes and their timings (absent without a log). */
  roomLog?: RoomLogStats;
}

/** The hub. */
export class GameHub {
  readonly clock: Clock;
  readonly logger: Logger;
  private readonly env: RoundEnv;
  private readonly catalog: readonly CatalogEntry[];
  private readonly store: RoomStore;
  private readonly limits: RoomLimits;
  private readonly maxRooms: number;
  private readonly sessions = new Map<string, Session>();
  private readonly counters: RoomCounters = {
    movesAccepted: 0,
    turnsResolved: 0,
    roundsStarted: 0,
    roundsFinished: 0,
    surfacesPrepared: 0,
    surfacesAtStart: 0,
  };
  private readonly pendingSaves = new Set<Promise<void>>();
  private readonly saveTimes = new LatencyHistogram();
  private readonly frames = new Map<string, number>();
  /** What {@link inTurnOfItsOwn} runs next, one per deferred task. */
  private readonly turnQueue: (() => void)[] = [];
  private readonly onRoundFinished: (
    round: FinishedRound,
    surface?: SurfacePreparation,
  ) => Promise<void> | void;
  private readonly persistAttempts: number;
  private readonly persistRetryMs: number;
  private readonly persistConcurrency: number;
  private savesRunning = 0;
  private readonly saveWaiters: (() => void)[] = [];
  private closing = false;
  private readonly competitionWrites = new Map<string, Promise<void>>();
  private readonly onCompetitionChanged: (competition: CompetitionSnapshot) => Promise<void> | void;
  private readonly roomLog: RoomLog | undefined;
  private readonly formulas: FormulaAnalyser;
  private readonly preparer: Pick<SurfacePreparer, "prepare" | "close"> | undefined;
  private readonly challenges: ChallengeBackend | undefined;
  private readonly claimCode: ((code: string) => Promise<boolean>) | undefined;
  /** Rooms that play a challenge or the daily: how their rounds are stored (C5, D5). */
  /** The challenge each room's last shared round made (C4: shared again, the same link). */
  private readonly sharedRounds = new Map<string, { round: number; id: Promise<string> }>();

  constructor(options: GameHubOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? consoleLogger;
    this.env = options.env ?? defaultRoundEnv;
    this.catalog = options.catalog ?? surfaces.map((s) => ({ id: s.id, difficulty: s.difficulty }));
    this.store = options.store ?? new MemoryRoomStore();
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.maxRooms = options.maxRooms ?? 10_000;
    this.onRoundFinished = options.onRoundFinished ?? (() => {});
    this.persistAttempts = Math.max(1, options.persistAttempts ?? 6);
    this.persistRetryMs = options.persistRetryMs ?? 500;
    this.persistConcurrency = Math.max(1, options.persistConcurrency ?? 1);
    this.onCompetitionChanged = options.onCompetitionChanged ?? (() => {});
    this.roomLog = options.roomLog;
    this.formulas = options.formulas ?? new FormulaAnalyser({ logger: this.logger });
    this.preparer =
      options.preparer === false
        ? undefined
        : (options.preparer ??
          (this.env === defaultRoundEnv
            ? new SurfacePreparer({ logger: this.logger })
            : undefined));
    this.challenges = options.challenges;
    this.claimCode = options.claimCode;
  }

  /**
   * R37: rebuild the rooms that were live when the last process stopped, from their logs. A log
   * that does not replay closes that room (its log is deleted) with one error line; the others
   * go on. Resolves, once the dropped logs are deleted, to how many rooms came back and how many
   * were dropped.
   */
  async restore(
    logs: ReadonlyMap<string, readonly RoomLogRow[]>,
  ): Promise<{ resumed: number; dropped: number }> {
    let resumed = 0;
    let dropped = 0;
    const compactions: Promise<void>[] = [];
    for (const [code, rows] of logs) {
      let room: Room | string;
      try {
        room = Room.restore(rows, this.roomDeps());
      } catch (error) {
        room = `replaying it threw: ${String(error)}`;
      }
      if (typeof room === "string") {
        dropped += 1;
        this.logger.error("a live room's log does not replay: the room is closed", {
          room: code,
          entries: rows.length,
          reason: room,
        });
        if (this.roomLog) compactions.push(this.roomLog.compact(code));
        continue;
      }
      if (room.isClosed) continue;
      this.store.add(room);
      resumed += 1;
    }
    await Promise.all(compactions);
    if (logs.size > 0)
      this.logger.info("live rooms restored from the room log", { resumed, dropped });
    return { resumed, dropped };
  }

  // ── Transport entry points ───────────────────────────────────────────────────────────────

  /**
   * A new connection: greet it (`greet` false: a connection of another node's, R41, which its own
   * node greeted).
   */
  connect(conn: Connection, greet = true): void {
    this.sessions.set(conn.id, { conn, room: null, playerId: null, isHost: false });
    if (greet) {
      conn.send("server:hello", {
        protocolVersion: PROTOCOL_VERSION,
        serverTime: this.clock.now(),
      });
    }
  }

  /** The connection registered as `connId`, or null. */
  connection(connId: string): Connection | null {
    return this.sessions.get(connId)?.conn ?? null;
  }

  /** The code of the room connection `connId` is attached to, or null. */
  attachedRoom(connId: string): string | null {
    return this.sessions.get(connId)?.room?.code ?? null;
  }

  /** Codes of the rooms this hub runs (R40: the rooms this node owns). */
  roomCodes(): string[] {
    return [...this.store.all()].map((room) => room.code);
  }

  /**
   * R42: this node lost room `code`'s lease: stop running it at once, writing nothing (another
   * node runs it from its log), and drop its connections (they reconnect and resume there),
   * except those `keep` keeps open: the cluster attaches them again on the new owner (R46).
   */
  abandon(code: string, keep: (conn: Connection) => boolean = () => false): void {
    const room = this.store.get(code);
    if (!room) return;
    this.store.delete(code);
    this.sharedRounds.delete(code);
    // A kept connection stays open, attached to no room.
    for (const session of room.fence()) if (!keep(session.conn)) session.conn.disconnect();
    this.logger.warn("this node no longer owns the room: it stopped running it", { room: code });
  }

  /** A connection closed: its seat (if any) starts its grace period. */
  disconnect(conn: Connection): void {
    const session = this.sessions.get(conn.id);
    this.sessions.delete(conn.id);
    // Suspended for a restart (R38): the seats stay as they are in the log.
    if (!session?.room || (this.closing && this.roomLog)) return;
    try {
      void command.detach(session.room, session, false);
    } catch (error) {
      this.logger.error("disconnect handler failed", { error: String(error) });
    }
  }

  /**
   * Handle one client event: parse the payload with the event's schema first, then run the
   * handler. Never throws: an unexpected exception is logged and acknowledged as INTERNAL_ERROR.
   */
  handle<E extends ClientEventName>(
    conn: Connection,
    event: E,
    payload: unknown,
  ): Acked<ClientEventResults[E]> {
    const parsed = parseClientPayload(event, payload);
    if (!parsed.ok) return parsed;
    const session = this.sessions.get(conn.id);
    if (!session)
      return ackError(ErrorCode.INTERNAL_ERROR, "this connection is not registered; reconnect");
    if (this.closing)
      return ackError(
        ErrorCode.INTERNAL_ERROR,
        "the server is shutting down; reconnect in a moment",
      );
    const handler = this.handlers[event] as Handler<E>;
    const failed = (error: unknown): AckFailure => {
      this.logger.error("handler threw", {
        event,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      return ackError(
        ErrorCode.INTERNAL_ERROR,
        `the server failed to handle ${event}; nothing changed, try again`,
      );
    };
    const run = (): Acked<ClientEventResults[E]> => {
      try {
        const ack = handler(session, parsed.data);
        return ack instanceof Promise ? ack.catch(failed) : ack;
      } catch (error) {
        return failed(error);
      }
    };
    // F7: a host's formula is checked off the main thread first; the rules then find its surface
    // in lib's cache (a refusal changes nothing).
    const formulas = formulaChoices(parsed.data);
    if (formulas.length === 0) return withDataPreview(event, parsed.data, run());
    // Only a room's host makes the server analyse a formula for it (a wrong token costs nothing).
    const target = parsed.data as { code?: string; hostToken?: string };
    if (target.code !== undefined && target.hostToken !== undefined) {
      const found = this.find(target.code);
      if (!found.ok) return found;
      const denied = command.checkHost(found.room, target.hostToken);
      if (denied) return denied;
    }
    return this.checkFormulas(formulas)
      .then(async (checked) => {
        if (!checked.ok) return checked;
        if (this.closing || !this.sessions.has(conn.id)) {
          return ackError(ErrorCode.INTERNAL_ERROR, "the connection closed; nothing changed");
        }
        const ack = await run();
        // F8: the host's read-out of the formula surface, with the settings it was checked for.
        const accepted = checked.accepted[0];
        if (event === "room:settings" && ack.ok && accepted) {
          const settings = (parsed.data as { settings: RoomSettings }).settings;
          return { ...ack, formula: formulaPreview(accepted.surface, settings.turns) };
        }
        return ack;
      })
      .catch(failed) as Acked<ClientEventResults[E]>;
  }

  /** F7: check every formula of a payload, in order; the first refusal wins. */
  private async checkFormulas(
    formulas: readonly { text: string; box: RoomBox; round?: number }[],
  ): Promise<{ ok: true; accepted: FormulaAccepted[] } | AckFailure> {
    const accepted: FormulaAccepted[] = [];
    for (const f of formulas) {
      const checked = await this.formulas.check({ text: f.text, box: f.box });
      if (!checked.ok) {
        if (f.round === undefined) return checked;
        return {
          ok: false,
          error: { ...checked.error, message: `round ${f.round}: ${checked.error.message}` },
        };
      }
      accepted.push(checked);
    }
    return { ok: true, accepted };
  }

  /** Counters and sizes. */
  stats(): HubStats {
    return {
      ...this.counters,
      rooms: this.store.size,
      connections: this.sessions.size,
      pendingSaves: this.pendingSaves.size,
      roundSaves: this.saveTimes.summary(),
      framesSent: Object.fromEntries(this.frames),
      ...(this.roomLog?.stats && { roomLog: this.roomLog.stats() }),
    };
  }

  /** One message written to a socket of this node (server/socket-io.ts), for {@link stats}. */
  countFrame(event: string): void {
    this.frames.set(event, (this.frames.get(event) ?? 0) + 1);
  }

  /** A room by code (tests and tools). */
  room(code: string): Room | undefined {
    return this.store.get(code);
  }

  /**
   * Close every room (`server-shutdown`) and wait for pending saves (at most `timeoutMs`). With a
   * room log the rooms are not closed but suspended (R38): every append is made durable and the
   * next process resumes them; their players reconnect to it.
   */
  async close(timeoutMs = 10_000): Promise<void> {
    this.closing = true;
    void this.formulas.close();
    void this.preparer?.close();
    if (this.roomLog) await this.roomLog.flush();
    else for (const room of this.store.all()) void command.close(room, "server-shutdown");
    const pending = [...this.pendingSaves];
    if (pending.length === 0) return;
    await Promise.race([
      Promise.allSettled(pending),
      new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ]);
  }

  /** A room code no open room uses, or SERVER_FULL when the server holds all the rooms it may. */
  private freeCode(): string | AckFailure {
    if (this.store.size >= this.maxRooms) {
      return ackError(
        ErrorCode.SERVER_FULL,
        "the server has as many rooms as it can hold; try again later",
      );
    }
    let code = newRoomCode();
    for (let i = 0; this.store.has(code); i++) {
      if (i > 50) return ackError(ErrorCode.SERVER_FULL, "no free room code; try again later");
      code = newRoomCode();
    }
    return code;
  }

  /**
   * Run `make` with a free room code: at once on one node; with {@link GameHubOptions.claimCode},
   * once a code is claimed for this node (R40).
   */
  private withFreeCode<T extends object>(
    session: Session,
    make: (code: string) => Acked<T>,
  ): Acked<T> {
    const first = this.freeCode();
    if (typeof first !== "string") return first;
    const claim = this.claimCode;
    if (!claim) return make(first);
    // R46: a claim that cannot be made (Redis or the database unreachable) refuses the room.
    const claimed = (code: string) =>
      claim(code).catch((error: unknown) => {
        this.logger.warn("a room code could not be claimed", { error: String(error) });
        return null;
      });
    return (async () => {
      let code = first;
      for (let i = 0; ; i++) {
        const got = await claimed(code);
        if (got === null) {
          return ackError(
            ErrorCode.UNAVAILABLE,
            "this server node cannot reach Redis or the database right now, so it cannot make a room; nothing changed, try again in a moment",
          );
        }
        if (got) break;
        if (i > 20) return ackError(ErrorCode.SERVER_FULL, "no free room code; try again later");
        const next = this.freeCode();
        if (typeof next !== "string") return next;
        code = next;
      }
      // The connection may have joined a room while Redis answered.
      const attached = this.notAttached(session);
      if (attached) return attached;
      return make(code);
    })();
  }

  /** `room:create` with its code. */
  private createRoom(session: Session, p: ClientPayload<"room:create">, code: string) {
    const hostToken = newToken();
    const plays = p.hostPlays ?? p.mode === "solo";
    const created = command.createRoom(
      {
        code,
        mode: p.mode,
        hostToken,
        settings: p.settings ?? roomSettingsSchema.parse({}),
        ...(plays && p.nickname !== undefined && { nickname: p.nickname }),
      },
      session,
      this.roomDeps(),
    );
    if (!("room" in created)) return created;
    this.store.add(created.room);
    this.logger.info("room created", { room: code, mode: p.mode });
    const ack = {
      ok: true as const,
      code,
      hostToken,
      playerId: created.playerId,
      seatToken: created.seatToken,
    };
    if (p.start) {
      // R24: the home page's "Play solo" is one click into a game; a start that is refused (a
      // library surface that no longer analyses) closes the room and says why.
      const room = created.room;
      return (async () => {
        await created.durable;
        const started = await command.startRound(room, hostToken, undefined);
        if (!started.ok) {
          void command.close(room, "closed-by-host", hostToken);
          return started;
        }
        return ack;
      })();
    }
    return this.roomLog ? created.durable.then(() => ack) : ack;
  }

  /** `classroom:create` with its code. */
  private createClassroom(session: Session, p: ClientPayload<"classroom:create">, code: string) {
    const hostToken = newToken();
    const competitionId = `c-${newPlayerId()}`;
    const created = command.createRoom(
      {
        code,
        mode: "classroom",
        hostToken,
        settings: p.rounds[0] as RoomSettings,
        classroom: { id: competitionId, name: p.name, plan: p.rounds, noRankings: p.noRankings },
      },
      session,
      this.roomDeps(),
    );
    if (!("room" in created)) return created;
    this.store.add(created.room);
    this.logger.info("classroom created", { room: code, rounds: p.rounds.length });
    const ack = { ok: true as const, code, hostToken, competitionId };
    return this.roomLog ? created.durable.then(() => ack) : ack;
  }

  // ── Handlers ─────────────────────────────────────────────────────────────────────────────

  private readonly handlers: { [E in ClientEventName]: Handler<E> } = {
    "room:create": (session, p) => {
      const attached = this.notAttached(session);
      if (attached) return attached;
      return this.withFreeCode(session, (code) => this.createRoom(session, p, code));
    },

    "room:join": (session, p) => {
      const attached = this.notAttached(session);
      if (attached) return attached;
      const room = this.find(p.code);
      if (!room.ok) return room;
      return command.join(room.room, session, p.nickname, p.deviceToken);
    },

    "room:resume": (session, p) => {
      const room = this.find(p.code);
      if (!room.ok) return room;
      const elsewhere = this.attachedElsewhere(session, room.room);
      if (elsewhere) return elsewhere;
      return command.resume(room.room, session, p.seatToken);
    },

    "room:watch": (session, p) => {
      const attached = this.notAttached(session);
      if (attached) return attached;
      const room = this.find(p.code);
      if (!room.ok) return room;
      return command.watch(room.room, session);
    },

    "room:host": (session, p) => {
      const room = this.find(p.code);
      if (!room.ok) return room;
      const denied = command.checkHost(room.room, p.hostToken);
      if (denied) return denied;
      const elsewhere = this.attachedElsewhere(session, room.room);
      if (elsewhere) return elsewhere;
      return command.watch(room.room, session, p.hostToken);
    },

    "room:leave": (session) => {
      if (!session.room) return this.notInRoom();
      return command.detach(session.room, session, true);
    },

    "room:sync": (session) => {
      if (!session.room) return this.notInRoom();
      return { ok: true, state: session.room.snapshotFor(session) };
    },

    "room:settings": (_session, p) =>
      this.withRoom(p.code, (room) =>
        command.hostAction(room, "settings", p.hostToken, { settings: p.settings }),
      ),

    "room:kick": (_session, p) =>
      this.withRoom(p.code, (room) =>
        command.hostAction(room, "kick", p.hostToken, { nickname: p.nickname }),
      ),

    "room:close": (_session, p) =>
      this.withRoom(p.code, (room) => command.close(room, "closed-by-host", p.hostToken)),

    "round:start": (_session, p) =>
      this.withRoom(p.code, (room) => command.startRound(room, p.hostToken, p.settings)),

    "round:move": (session, p) => {
      if (!session.room) return this.notInRoom();
      return command.move(session.room, session, p.turn, p.angle, p.eta);
    },

    "classroom:create": (session, p) => {
      const attached = this.notAttached(session);
      if (attached) return attached;
      return this.withFreeCode(session, (code) => this.createClassroom(session, p, code));
    },

    "classroom:pause": (_session, p) =>
      this.withRoom(p.code, (room) => command.hostAction(room, "pause", p.hostToken, {})),

    "classroom:resume": (_session, p) =>
      this.withRoom(p.code, (room) => command.hostAction(room, "unpause", p.hostToken, {})),

    "classroom:lock": (_session, p) =>
      this.withRoom(p.code, (room) =>
        command.hostAction(room, "lock", p.hostToken, { locked: p.locked }),
      ),

    "classroom:rename": (_session, p) =>
      this.withRoom(p.code, (room) =>
        command.hostAction(room, "rename", p.hostToken, {
          nickname: p.nickname,
          newNickname: p.newNickname,
        }),
      ),

    "classroom:end": (_session, p) =>
      this.withRoom(p.code, (room) => command.hostAction(room, "end", p.hostToken, {})),

    "challenge:create": (session, p) => {
      if (!session.room || session.room.code !== p.code) {
        return ackError(
          ErrorCode.NOT_IN_ROOM,
          `this connection is not in room ${p.code}: only someone in the room can share its round`,
        );
      }
      const room = session.room;
      const shared = challengeOfRoom(room.state);
      if (!shared.ok) return shared;
      const backend = this.challenges;
      if (!backend) return this.unavailable();
      const answer = (id: string) => ({ ok: true as const, id, path: `/c/${id}` });
      // C4: a challenge's own round shares that challenge (one board); a round shared again, by
      // anyone in the room, gives the same link.
      const tag = room.state.fixed?.tag;
      if (tag?.kind === "challenge") return answer(tag.id);
      const round = room.state.roundNumber;
      const known = this.sharedRounds.get(room.code);
      if (known?.round === round) {
        return known.id.then(answer, (error: unknown) =>
          this.dataRefusal(error, ErrorCode.INVALID_SETTINGS),
        );
      }
      const id = backend.save(shared.challenge);
      this.sharedRounds.set(room.code, { round, id });
      id.catch(() => {
        if (this.sharedRounds.get(room.code)?.id === id) this.sharedRounds.delete(room.code);
      });
      return id.then(answer, (error: unknown) =>
        this.dataRefusal(error, ErrorCode.INVALID_SETTINGS),
      );
    },

    "challenge:play": async (session, p) => {
      const attached = this.notAttached(session);
      if (attached) return attached;
      const backend = this.challenges;
      if (!backend) return this.unavailable();
      let challenge;
      try {
        // F7: a formula challenge is analysed on the analysis thread, not on this one.
        challenge = await backend.open(p.id, async (formula) => {
          const checked = await this.formulas.check(formula);
          return checked.ok ? { ok: true } : { ok: false, message: checked.error.message };
        });
      } catch (error) {
        return this.dataRefusal(error, ErrorCode.BAD_REQUEST);
      }
      if (!challenge) {
        return ackError(
          ErrorCode.CHALLENGE_NOT_FOUND,
          `no challenge has the id ${p.id}: check the link (it may come from another server)`,
        );
      }
      const settings = fixedRoomSettings(
        challenge.settings,
        this.env.resolveSurface(challenge.surface),
      );
      const played = await this.playFixed(session, p.nickname, challenge.surface, settings, {
        kind: "challenge",
        id: challenge.id,
      });
      return played.ok ? { ...played, challengeId: challenge.id } : played;
    },

    "daily:play": async (session, p) => {
      const attached = this.notAttached(session);
      if (attached) return attached;
      const backend = this.challenges;
      if (!backend) return this.unavailable();
      const now = this.clock.now();
      const dayKey = dailyKey(now);
      let status;
      try {
        status = await backend.dailyStatus(dayKey, p.playerToken, now);
      } catch (error) {
        return this.dataRefusal(error, ErrorCode.BAD_REQUEST);
      }
      const played = await this.playFixed(
        session,
        p.nickname,
        dailySurface(now),
        DAILY_ROOM_SETTINGS,
        { kind: "daily", dayKey, playerKey: tokenHash(p.playerToken) },
      );
      if (!played.ok) return played;
      return { ...played, day: dailyNumber(now), dayKey, scored: status.scoredRoundId === null };
    },

    "daily:status": async (_session, p) => {
      const backend = this.challenges;
      if (!backend) return this.unavailable();
      const now = this.clock.now();
      const dayKey = dailyKey(now);
      try {
        const status = await backend.dailyStatus(dayKey, p.playerToken, now);
        return { ok: true as const, day: dailyNumber(now), dayKey, ...status };
      } catch (error) {
        return this.dataRefusal(error, ErrorCode.BAD_REQUEST);
      }
    },

    "ghost:add": async (_session, p) => {
      const found = this.find(p.code);
      if (!found.ok) return found;
      const room = found.room;
      const denied = command.checkHost(room, p.hostToken);
      if (denied) return denied;
      // G1: which stored round the choice means is the rules'; the lookup is the database's.
      const query = ghostQueryFor(room.state, p.from);
      if (!query.ok) return query;
      const backend = this.challenges;
      if (!backend) return this.unavailable();
      const q = query.query;
      if (q.kind === "round" && this.isLiveRound(q.roundId)) {
        return ackError(
          ErrorCode.GHOST_NOT_FINISHED,
          `round ${q.roundId} is still being played: race it once it is revealed`,
        );
      }
      let stored;
      try {
        stored = await backend.ghostRound(q);
      } catch (error) {
        return this.dataRefusal(error, ErrorCode.BAD_REQUEST);
      }
      if (!stored) {
        return ackError(
          ErrorCode.GHOST_NOT_FOUND,
          q.kind === "round"
            ? `no stored round has the id ${q.roundId}: check the replay link`
            : q.kind === "best"
              ? "no stored round has been played on this surface yet: nobody to race"
              : "no classroom competition has a stored round yet: no winner to race",
        );
      }
      const made = ghostOfRecord(
        stored.record,
        {
          roundId: stored.roundId,
          source: p.from.kind,
          ...(stored.seat !== undefined && { seat: stored.seat }),
        },
        this.env,
      );
      if (!made.ok) return made;
      return command.hostAction(room, "ghostAdd", p.hostToken, { ghost: made.ghost });
    },

    "ghost:remove": (_session, p) =>
      this.withRoom(p.code, (room) => command.hostAction(room, "ghostRemove", p.hostToken, {})),
  };

  /** Whether a round with this id is being played (or saved) in a room of this hub. */
  private isLiveRound(roundId: string): boolean {
    for (const room of this.store.all()) {
      const state = room.state;
      if (state.roundId === roundId && (state.gate === "playing" || state.gate === "sealed")) {
        return true;
      }
    }
    return false;
  }

  // ── Helpers ──────────────────────────────────────────────────────────────────────────────

  /**
   * C5, D5: a new solo room for `session` that plays `surface` exactly in every round, its first
   * round started at once; its rounds are stored with `tag` (linked to the challenge, or recorded
   * as a daily attempt).
   */
  private async playFixed(
    session: Session,
    nickname: string,
    surface: SurfaceRef,
    settingsInput: RoomSettingsInput,
    tag: RoomTag,
  ): Promise<
    | AckFailure
    | {
        ok: true;
        code: string;
        hostToken: string;
        playerId: string | null;
        seatToken: string | null;
      }
  > {
    // The connection may have joined a room while the database answered.
    const attached = this.notAttached(session);
    if (attached) return attached;
    if (this.closing) {
      return ackError(
        ErrorCode.INTERNAL_ERROR,
        "the server is shutting down; reconnect in a moment",
      );
    }
    const claimed = await this.withFreeCode(session, (code) => ({ ok: true as const, code }));
    if (!claimed.ok) return claimed;
    const code = claimed.code;
    const settings = roomSettingsSchema.safeParse(settingsInput);
    if (!settings.success) {
      return ackError(
        ErrorCode.INVALID_SETTINGS,
        settings.error.issues.map((i) => i.message).join("; "),
      );
    }
    const hostToken = newToken();
    const created = command.createRoom(
      { code, mode: "solo", hostToken, settings: settings.data, nickname, fixed: { surface, tag } },
      session,
      this.roomDeps(),
    );
    if (!("room" in created)) return created;
    this.store.add(created.room);
    this.logger.info("room created", { room: code, mode: "solo", plays: tag.kind });
    await created.durable;
    const started = await command.startRound(created.room, hostToken, undefined);
    if (!started.ok) {
      void command.close(created.room, "closed-by-host", hostToken);
      return started;
    }
    return {
      ok: true,
      code,
      hostToken,
      playerId: created.playerId,
      seatToken: created.seatToken,
    };
  }

  private unavailable(): AckFailure {
    return ackError(
      ErrorCode.UNAVAILABLE,
      "challenges, the daily descent and ghosts need the server's database, which this server does not have",
    );
  }

  /** A data-layer refusal (bad input) as an acknowledgement; anything else is rethrown. */
  private dataRefusal(error: unknown, code: ErrorCode): AckFailure {
    if (error instanceof DataError && error.code === "INVALID_INPUT") {
      return ackError(code, error.message);
    }
    throw error;
  }

  private find(code: string): { ok: true; room: Room } | AckFailure {
    const room = this.store.get(code);
    if (!room || room.isClosed) {
      return ackError(
        ErrorCode.ROOM_NOT_FOUND,
        `no open room has the code ${code}: check the code (the room may have closed)`,
      );
    }
    return { ok: true, room };
  }

  /** Run a host event on an open room (the rules check the host token first). */
  private withRoom<T extends object>(code: string, act: (room: Room) => Acked<T>): Acked<T> {
    const found = this.find(code);
    return found.ok ? act(found.room) : found;
  }

  private notAttached(session: Session): AckFailure | null {
    if (!session.room) return null;
    return ackError(
      ErrorCode.ALREADY_IN_ROOM,
      `this connection is already in room ${session.room.code}: send room:leave first`,
    );
  }

  private attachedElsewhere(session: Session, room: Room): AckFailure | null {
    if (!session.room || session.room === room) return null;
    return this.notAttached(session);
  }

  /** Store a competition's new state in the background (logged on failure). */
  private competitionChanged(competition: CompetitionSnapshot): void {
    // One competition's writes run in order (a later state never lands before an earlier one).
    const previous = this.competitionWrites.get(competition.id) ?? Promise.resolve();
    const task: Promise<void> = previous.then(async () => {
      try {
        await this.onCompetitionChanged(competition);
      } catch (error) {
        this.logger.error("storing a competition failed", {
          competition: competition.id,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    });
    this.competitionWrites.set(competition.id, task);
    const tracked = task.finally(() => {
      this.pendingSaves.delete(tracked);
      if (this.competitionWrites.get(competition.id) === task) {
        this.competitionWrites.delete(competition.id);
      }
    });
    this.pendingSaves.add(tracked);
  }

  private notInRoom(): AckFailure {
    return ackError(
      ErrorCode.NOT_IN_ROOM,
      "this connection is not in a room: create, join, resume or watch one first",
    );
  }

  private roomDeps() {
    return {
      clock: this.clock,
      logger: this.logger,
      env: this.env,
      catalog: this.catalog,
      limits: this.limits,
      counters: this.counters,
      ...(this.roomLog && { log: this.roomLog }),
      ...(this.preparer && { preparer: this.preparer }),
      saveRound: (
        round: FinishedRound,
        surface: SurfacePreparation | undefined,
        onStored?: () => void,
      ) => this.saveRound(round, surface, onStored),
      onCompetitionChanged: (competition: CompetitionSnapshot) =>
        this.competitionChanged(competition),
      onClosed: (room: { readonly code: string }) => {
        if (this.store.get(room.code) === room) {
          this.store.delete(room.code);
          this.sharedRounds.delete(room.code);
        }
      },
    };
  }

  /**
   * Run `onRoundFinished` with retries. Resolves after the first attempt (true = saved); later
   * attempts run in the background and are awaited by {@link close}. `onStored` is called once
   * the round is stored, by whichever attempt (before the first attempt's promise resolves).
   */
  private saveRound(
    round: FinishedRound,
    surface: SurfacePreparation | undefined,
    onStored?: () => void,
  ): Promise<boolean> {
    let settleFirst: (saved: boolean) => void = () => {};
    const first = new Promise<boolean>((resolve) => (settleFirst = resolve));
    // C3, D3: the round carries its room's tag (lib/room), also when saved again after a restart.
    const tag = round.tag;
    const asked = performance.now();
    const run = async (): Promise<void> => {
      for (let attempt = 1; attempt <= this.persistAttempts; attempt++) {
        try {
          await this.inSaveSlot(async () => {
            await this.onRoundFinished(round, surface);
            // C3, D3: the stored round joins its challenge's board or is the daily attempt,
            // before the reveal shows its replay link.
            if (tag && this.challenges) await this.challenges.linkRound(tag, round);
          });
          this.saveTimes.record(performance.now() - asked);
          // Rounds stored together (a batch, issue 15) are revealed one room per turn of the
          // event loop, so that the sockets of the rooms still playing are read between two
          // reveals instead of after all of them.
          await this.inTurnOfItsOwn(() => {
            try {
              onStored?.();
            } catch (error) {
              this.logger.error("onStored failed", { error: String(error) });
            }
            settleFirst(true);
          });
          return;
        } catch (error) {
          settleFirst(false);
          const last = attempt === this.persistAttempts;
          this.logger.error(
            last ? "saving a round failed for good" : "saving a round failed; retrying",
            {
              room: round.roomCode,
              round: round.roundNumber,
              attempt,
              error: error instanceof Error ? error.message : String(error),
            },
          );
          if (last) return;
          await new Promise<void>((resolve) =>
            this.clock.setTimeout(resolve, this.persistRetryMs * 2 ** (attempt - 1)),
          );
        }
      }
    };
    const task = run().finally(() => this.pendingSaves.delete(task));
    this.pendingSaves.add(task);
    return first;
  }

  /**
   * Run `f` in a deferred task of its own (the clock's `defer`), after the ones queued before it:
   * one per turn of the event loop, with the I/O that arrived meanwhile between two. Resolves
   * once `f` has run.
   */
  private inTurnOfItsOwn(f: () => void): Promise<void> {
    return new Promise<void>((resolve) => {
      this.turnQueue.push(() => {
        f();
        resolve();
      });
      if (this.turnQueue.length === 1) this.clock.defer(() => this.nextTurn());
    });
  }

  private nextTurn(): void {
    const f = this.turnQueue.shift();
    if (this.turnQueue.length > 0) this.clock.defer(() => this.nextTurn());
    f?.();
  }

  /**
   * Run a save when a slot is free (at most `persistConcurrency` at once), then yield one turn of
   * the event loop. An embedded database (PGlite) works on the main thread: saves run back to back
   * would hold up every socket, so a burst of reveals is spread out instead.
   */
  private async inSaveSlot<T>(save: () => Promise<T> | T): Promise<T> {
    while (this.savesRunning >= this.persistConcurrency) {
      await new Promise<void>((resolve) => this.saveWaiters.push(resolve));
    }
    this.savesRunning += 1;
    const started = performance.now();
    try {
      return await save();
    } finally {
      // A save that took a while may have held the event loop: let sockets through before the
      // next one. A quick one (a no-op hook) goes straight on.
      if (performance.now() - started > 2) await new Promise((resolve) => setImmediate(resolve));
      this.savesRunning -= 1;
      this.saveWaiters.shift()?.();
    }
  }
}
