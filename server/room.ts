import {
  createRound,
  deadlineOf,
  hasEveryoneMoved,
  recordOf,
  reduce,
  renamePlayer,
  resolveSettings,
  viewMaker,
  withoutPeerReveal,
} from "../lib/game";
import type {
  RoundEnv,
  RoundRecord,
  RoundResults,
  RoundState,
  RoundView,
  PeerVisibility,
  Viewer,
} from "../lib/game";
import { nicknameKey } from "../lib/nickname";
import { validateOptimizerParams } from "../lib/optimizers";
import {
  ackError,
  ErrorCode,
  membersFor,
  peersFor,
  PROTOCOL_VERSION,
  publicPeers,
} from "../lib/protocol";
import type {
  AckFailure,
  AckResponse,
  AttachResult,
  ClassroomView,
  EmptyResult,
  JoinRoomResult,
  MemberView,
  MoveResult,
  ResumeRoomResult,
  RoomClosedReason,
  RoomMode,
  RoomPhase,
  RoomSettings,
  RoomSettingsView,
  LockResult,
  PauseResult,
  RevealPlayersBody,
  RoomSnapshot,
  SettingsResult,
  StartRoundResult,
} from "../lib/protocol";
import { surfaceInstanceKey } from "../lib/surface-ref";
import type { SurfaceRef } from "../lib/surface-ref";
import type { Surface } from "../lib/types";
import type { Classroom, ClassroomViewer, CompetitionSnapshot } from "./classroom";
import type { Clock, TimerHandle } from "./clock";
import type { Connection } from "./connection";
import type { Logger } from "./logger";
import { SnapshotJson } from "./snapshot-json";
import { pickSurface } from "./surface-picker";
import type { CatalogEntry } from "./surface-picker";
import { newPlayerId, newRoundId, newToken, randomUint32, tokensEqual } from "./tokens";

/**
 * One room: the authoritative master of its rounds (STYLE.md). It owns the lobby, the seats, the
 * current round's {@link RoundState} (advanced only by lib/game's `reduce`), the turn timer and the
 * grace timers, and it sends every attached connection its own snapshot, built with lib/game's
 * `viewFor` — the one place that filters secret state. It never touches Socket.IO: it talks to
 * {@link Connection}s.
 */

/** The parts of a snapshot every connection shares, computed once per broadcast. */
interface SharedParts {
  /** Seat in the shown round, by player id. */
  readonly seats: Map<string, number>;
  readonly members: readonly { readonly member: Member; readonly view: MemberView }[];
  readonly hostConnected: boolean;
  /** Round views by viewer ("p:<id>", "host", "spectator"), with the peers option. */
  readonly views: Map<string, RoundView>;
  /** lib/game's view makers for the shown round, by peers option (shared parts built once). */
  readonly makers: Map<PeerVisibility, (viewer: Viewer) => RoundView>;
  /** The settings as non-host connections see them. */
  readonly publicSettings: RoomSettingsView;
  /** The classroom view maker, for classroom rooms. */
  readonly classroom: ((viewer: ClassroomViewer) => ClassroomView) | null;
  readonly now: number;
}

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

/** Timings and sizes of a room (server/config.ts reads them from the environment). */
export interface RoomLimits {
  /** How long a dropped player keeps their seat. @default 120000 */
  readonly seatGraceMs: number;
  /** How long a room with no connection at all stays open. @default 300000 */
  readonly emptyRoomMs: number;
  /** Most seats in a room. @default 100 */
  readonly maxPlayers: number;
  /** `room:progress` ("who has moved") is sent at most this often per room. @default 500 */
  readonly progressIntervalMs: number;
  /** Snapshots for joins, leaves and (dis)connections go to everyone at most this often. @default 500 */
  readonly presenceIntervalMs: number;
  /** The reveal waits this long at most for the first attempt to save the round. @default 5000 */
  readonly persistWaitMs: number;
  /**
   * A reveal of a round with more players than this sends the other players' entries once per
   * room by reference (docs/SPEC.md R11a, `RoomSnapshot.revealPlayers`) instead of in every
   * snapshot. @default 16
   */
  readonly revealInlinePlayers: number;
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

/** What `onRoundFinished` receives: everything needed to store and replay a finished round. */
export interface FinishedRound {
  /** The round's id, made by the room: the database key and the replay's URL `/replays/<id>`. */
  readonly id: string;
  readonly roomCode: string;
  readonly mode: RoomMode;
  /** 1 for the room's first round. */
  readonly roundNumber: number;
  /** Server clock (ms) at the reveal. */
  readonly finishedAt: number;
  /** lib/game's replay record: `replayRound(record)` rebuilds the final state bit for bit. */
  readonly record: RoundRecord;
  readonly results: RoundResults;
  /** The classroom competition the round belongs to (stored with it), or absent. */
  readonly competition?: { readonly id: string; readonly name: string };
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
   * retrying a failed save in the background.
   */
  readonly saveRound: (round: FinishedRound, onStored?: () => void) => Promise<boolean>;
  /** The room closed itself (empty, or closed by its host): forget it. */
  readonly onClosed: (room: Room) => void;
  /** A classroom competition changed in a way worth storing (created, a round, ended). */
  readonly onCompetitionChanged?: (competition: CompetitionSnapshot) => void;
}

interface Member {
  readonly playerId: string;
  nickname: string;
  /** The nickname folded for the uniqueness check. */
  key: string;
  readonly seatToken: string;
  /** The host's own seat (a host who plays). */
  readonly host: boolean;
  session: Session | null;
  graceTimer: TimerHandle | null;
}

const CLOSED_MESSAGES: Record<RoomClosedReason, string> = {
  empty: "The room was empty for too long and has closed.",
  "closed-by-host": "The host closed the room.",
  "seat-taken":
    "Your seat was taken over by another connection with the same seat token (another tab?).",
  kicked: "The host removed you from the room.",
  "server-shutdown": "The server is restarting; reconnect in a moment and resume your seat.",
};

/** One room. Create it with {@link Room.constructor}, register it in a store, attach the host. */
export class Room {
  /** The last round stored in the database, and its id (the revealed round's replay link). */
  private stored: { readonly roundNumber: number; readonly id: string } | null = null;
  /** Increases with every change; every snapshot carries it. */
  private rev = 0;
  private settings: RoomSettings;
  private readonly members = new Map<string, Member>();
  private readonly sessions = new Set<Session>();
  /** The current or last round (authoritative). */
  private round: RoundState | null = null;
  /** The shown reveal's shared entries (R11a), made at its first snapshot. */
  private revealShare: (RevealShare & { readonly state: RoundState }) | null = null;
  /**
   * A finished round is being stored. Meanwhile `round` is shown sealed (R11b: its last
   * turn's result, no reveal); the reveal follows the save.
   */
  private saving = false;
  private roundNumber = 0;
  private turnTimer: TimerHandle | null = null;
  private emptyTimer: TimerHandle | null = null;
  private flushImmediate: ReturnType<typeof setImmediate> | null = null;
  private progressTimer: TimerHandle | null = null;
  private lastProgressAt = -Infinity;
  private lastFullAt = -Infinity;
  private presenceTimer: TimerHandle | null = null;
  private dirtyAll = false;
  private progressDirty = false;
  private readonly dirtySessions = new Set<Session>();
  private closed = false;
  /**
   * The environment the rules run in for this room: the current round's surface is resolved once
   * at the start and kept here, so a turn never re-generates a procedural surface (lib's shared
   * cache is small and may be cleared by other rooms).
   */
  private readonly env: RoundEnv;
  private readonly surfaces = new Map<string, Surface>();
  /**
   * Pauses (classrooms, R22): the round's clock — every `at` handed to the rules — is the server's
   * clock minus the time spent paused, so a pause freezes the turn's deadline and the record
   * replays unchanged. `pausedAt`: the server time the current pause began, or null.
   */
  private pausedAt: number | null = null;
  private pausedTotal = 0;

  constructor(
    readonly code: string,
    readonly mode: RoomMode,
    private readonly hostToken: string,
    settings: RoomSettings,
    private readonly deps: RoomDeps,
    /** The classroom competition this room hosts (mode `classroom`), else null. */
    readonly classroom: Classroom | null = null,
  ) {
    this.settings = this.normaliseSettings(settings);
    this.env = {
      resolveSurface: (ref: SurfaceRef): Surface => {
        const key = surfaceInstanceKey(ref);
        const cached = this.surfaces.get(key);
        if (cached) return cached;
        const surface = this.deps.env.resolveSurface(ref);
        if (this.surfaces.size >= 4) this.surfaces.clear();
        this.surfaces.set(key, surface);
        return surface;
      },
    };
    this.updateEmptyTimer();
  }

  // ── Queries ──────────────────────────────────────────────────────────────────────────────

  /** Whether the room has closed (it then refuses everything). */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Number of attached connections. */
  get connectionCount(): number {
    return this.sessions.size;
  }

  /** The phase clients see. */
  get phase(): RoomPhase {
    if (!this.round) return "lobby";
    return this.round.phase === "playing" || this.saving ? "playing" : "revealed";
  }

  /** Whether `token` is this room's host token (constant time). */
  isHostToken(token: string): boolean {
    return tokensEqual(token, this.hostToken);
  }

  /** The refusal for a wrong host token, or null when it is right. */
  checkHost(token: string): AckFailure | null {
    if (this.isHostToken(token)) return null;
    return ackError(
      ErrorCode.NOT_HOST,
      `only the host of room ${this.code} may do this: the host token is wrong`,
    );
  }

  // ── Attaching connections ────────────────────────────────────────────────────────────────

  /**
   * Seat a new player (the host's own seat at creation, or `room:join`). Refused when the
   * nickname is taken, the room is full or (solo) already has its player.
   */
  addMember(session: Session, nickname: string, host: boolean): AckResponse<JoinRoomResult> {
    const refused = this.classroom?.checkJoin(nickname);
    if (refused) return refused;
    const key = nicknameKey(nickname);
    for (const member of this.members.values()) {
      if (member.key === key) {
        return ackError(
          ErrorCode.NICKNAME_TAKEN,
          `the nickname "${nickname}" is taken in room ${this.code}: choose another one`,
        );
      }
    }
    const capacity = this.mode === "solo" ? 1 : this.deps.limits.maxPlayers;
    if (this.members.size >= capacity) {
      return ackError(
        ErrorCode.ROOM_FULL,
        this.mode === "solo"
          ? `room ${this.code} is a solo practice: it has one player (you may watch it)`
          : `room ${this.code} is full (${capacity} players): you may watch it instead`,
      );
    }
    const member: Member = {
      playerId: newPlayerId(),
      nickname,
      key,
      seatToken: newToken(),
      host,
      session: null,
      graceTimer: null,
    };
    this.members.set(member.playerId, member);
    this.classroom?.joined(member.playerId, nickname);
    this.attach(session);
    this.bindSeat(session, member);
    this.changed("presence", session);
    return { ok: true, code: this.code, playerId: member.playerId, seatToken: member.seatToken };
  }

  /** `room:resume`: give a seat back to the connection holding its token. */
  resume(session: Session, seatToken: string): AckResponse<ResumeRoomResult> {
    let found: Member | undefined;
    for (const member of this.members.values()) {
      // Compare with every member (no early exit): constant time in the position of the match.
      if (tokensEqual(seatToken, member.seatToken)) found = member;
    }
    if (!found) {
      return ackError(
        ErrorCode.SEAT_NOT_FOUND,
        `no seat in room ${this.code} has this seat token: it expired (away longer than the grace period) or was given up; join again with room:join`,
      );
    }
    if (session.playerId !== null && session.playerId !== found.playerId) {
      return ackError(
        ErrorCode.ALREADY_IN_ROOM,
        `this connection already holds another seat in room ${this.code}; leave first`,
      );
    }
    const previous = found.session;
    if (previous && previous !== session) {
      // The newest connection takes the seat; the older one is told and detached (R: second tab).
      this.detachSession(previous);
      previous.conn.send("room:closed", {
        code: this.code,
        reason: "seat-taken",
        message: CLOSED_MESSAGES["seat-taken"],
      });
    }
    this.attach(session);
    this.bindSeat(session, found);
    this.changed("presence", session);
    return { ok: true, code: this.code, playerId: found.playerId };
  }

  /** `room:watch`: attach as a spectator. */
  watch(session: Session): AckResponse<AttachResult> {
    this.attach(session);
    this.changed("presence", session);
    return { ok: true, code: this.code };
  }

  /** `room:host` (and room creation): this connection acts as the host. Token checked by caller. */
  attachHost(session: Session): AckResponse<AttachResult> {
    this.attach(session);
    session.isHost = true;
    this.changed("presence", session);
    return { ok: true, code: this.code };
  }

  /**
   * `room:leave`: detach the connection; a player gives up their seat for good (in a round their
   * path stays, frozen; after the round they are gone).
   */
  leave(session: Session): AckResponse<EmptyResult> {
    const member = session.playerId ? this.members.get(session.playerId) : undefined;
    this.detachSession(session);
    if (member) {
      this.removeMember(member);
      this.classroom?.left(member.playerId);
    }
    this.changed("presence");
    this.afterPresenceChange();
    return { ok: true };
  }

  /** The transport closed: a player keeps their seat for the grace period. */
  disconnected(session: Session): void {
    this.detachSession(session);
    this.changed("presence");
    this.afterPresenceChange();
  }

  /** `room:kick`: the host removes a player by nickname. */
  kick(nickname: string): AckResponse<EmptyResult> {
    const key = nicknameKey(nickname);
    const member = [...this.members.values()].find((m) => m.key === key);
    // A student who left is still in the standings: the host may remove them from there too.
    const departed = member ? null : (this.classroom?.departedPlayer(nickname) ?? null);
    if (departed !== null) {
      this.classroom?.kicked(departed, nickname);
      this.changed("now");
      return { ok: true };
    }
    if (!member) {
      return ackError(
        ErrorCode.PLAYER_NOT_FOUND,
        `no player called "${nickname}" in room ${this.code}`,
      );
    }
    const session = member.session;
    if (session) {
      this.detachSession(session);
      session.conn.send("room:closed", {
        code: this.code,
        reason: "kicked",
        message: CLOSED_MESSAGES.kicked,
      });
    }
    this.removeMember(member);
    this.classroom?.kicked(member.playerId, member.nickname);
    this.changed("now");
    this.afterPresenceChange();
    return { ok: true };
  }

  // ── Classroom controls (R22) ─────────────────────────────────────────────────────────────

  /** `classroom:rename`: the host gives a player another nickname (shown at once everywhere). */
  rename(nickname: string, newNickname: string): AckResponse<EmptyResult> {
    if (!this.classroom) return this.notClassroom();
    const key = nicknameKey(nickname);
    const member = [...this.members.values()].find((m) => m.key === key);
    // A student who left keeps a line in the standings, which the host may still rename.
    const playerId = member?.playerId ?? this.classroom?.departedPlayer(nickname) ?? null;
    if (playerId === null) {
      return ackError(
        ErrorCode.PLAYER_NOT_FOUND,
        `no player called "${nickname}" in room ${this.code}`,
      );
    }
    const newKey = nicknameKey(newNickname);
    if (
      [...this.members.values()].some((m) => m !== member && m.key === newKey) ||
      this.classroom?.nicknameHeld(newNickname, playerId)
    ) {
      return ackError(
        ErrorCode.NICKNAME_TAKEN,
        `the nickname "${newNickname}" is taken in room ${this.code}: choose another one`,
      );
    }
    const refused = this.classroom?.checkNickname(newNickname);
    if (refused) return refused;
    if (this.classroom?.isBanned(newNickname)) {
      return ackError(
        ErrorCode.NICKNAME_BANNED,
        `"${newNickname}" was removed from this competition`,
      );
    }
    // While the finished round is being saved its reveal is waiting on that very state object:
    // relabelling it now would leave the reveal nowhere to land.
    if (this.saving) return this.roundInProgress("rename a player");
    if (member) {
      member.nickname = newNickname;
      member.key = newKey;
    }
    // The nickname is a label, not part of the rules (R23): relabel the round's seat too.
    this.round = this.round && renamePlayer(this.round, playerId, newNickname);
    this.classroom?.renamed(playerId, newNickname);
    this.changed("now");
    return { ok: true };
  }

  /** `classroom:lock`: lock or unlock joining. */
  setLocked(locked: boolean): AckResponse<LockResult> {
    const classroom = this.classroom;
    if (!classroom) return this.notClassroom();
    classroom.locked = locked;
    this.changed("now");
    return { ok: true, locked };
  }

  /** `classroom:pause`: freeze the turn timer (moves are refused with PAUSED until resumed). */
  pauseTimer(): AckResponse<PauseResult> {
    if (!this.classroom) return this.notClassroom();
    if (this.pausedAt !== null) return { ok: true, paused: true };
    if (!this.round || this.round.phase !== "playing" || this.saving) {
      return ackError(ErrorCode.NO_ROUND, "no round is being played: there is no timer to pause");
    }
    this.pausedAt = this.deps.clock.now();
    if (this.turnTimer) this.deps.clock.clearTimeout(this.turnTimer);
    this.turnTimer = null;
    this.changed("now");
    return { ok: true, paused: true };
  }

  /** `classroom:resume`: the turn goes on with the time it had left. */
  resumeTimer(): AckResponse<PauseResult> {
    if (!this.classroom) return this.notClassroom();
    if (this.pausedAt === null) return { ok: true, paused: false };
    this.pausedTotal += this.deps.clock.now() - this.pausedAt;
    this.pausedAt = null;
    this.scheduleTurnTimer();
    this.changed("now");
    return { ok: true, paused: false };
  }

  /** `classroom:end`: final standings; no more rounds or joins. */
  endCompetition(): AckResponse<EmptyResult> {
    const classroom = this.classroom;
    if (!classroom) return this.notClassroom();
    if (classroom.status === "ended") return { ok: true };
    if (this.phase === "playing" || this.saving) return this.roundInProgress("end the competition");
    classroom.end(this.deps.clock.now());
    this.changed("now");
    this.deps.onCompetitionChanged?.(classroom.snapshot(this.code));
    return { ok: true };
  }

  /** Whether the host paused the timer. */
  get paused(): boolean {
    return this.pausedAt !== null;
  }

  private notClassroom(): AckFailure {
    return ackError(
      ErrorCode.NOT_A_CLASSROOM,
      `room ${this.code} is not a classroom competition: create one with classroom:create`,
    );
  }

  /** The round's clock (see `pausedAt`). */
  private gameNow(): number {
    return (this.pausedAt ?? this.deps.clock.now()) - this.pausedTotal;
  }

  // ── Settings and rounds ──────────────────────────────────────────────────────────────────

  /** `room:settings`: replace the lobby settings (not while a round is played). */
  /** Why `settings` could not be played in this room, or null (changes nothing). */
  settingsProblem(settings: RoomSettings): AckFailure | null {
    return this.checkSettings(this.normaliseSettings(settings));
  }

  updateSettings(settings: RoomSettings): AckResponse<SettingsResult> {
    if (this.phase === "playing" || this.saving) return this.roundInProgress("change the settings");
    const normalised = this.normaliseSettings(settings);
    const problem = this.checkSettings(normalised);
    if (problem) return problem;
    this.settings = normalised;
    this.changed("now");
    return { ok: true, settings: normalised };
  }

  /**
   * `round:start`: every seated member (connected or within their grace period) plays, in the
   * order they joined; the surface is picked now (crypto randomness for surprises).
   */
  startRound(settings: RoomSettings | undefined): AckResponse<StartRoundResult> {
    if (this.phase === "playing" || this.saving) return this.roundInProgress("start a round");
    if (this.classroom) {
      if (settings) {
        return ackError(
          ErrorCode.INVALID_SETTINGS,
          "a classroom competition plays its planned rounds: send round:start without settings",
        );
      }
      const next = this.classroom.nextSettings();
      if (!next.ok) return next;
      settings = next.settings;
    }
    const chosen = settings ? this.normaliseSettings(settings) : this.settings;
    const problem = this.checkSettings(chosen);
    if (problem) return problem;
    const players = [...this.members.values()].map((m) => ({
      id: m.playerId,
      nickname: m.nickname,
    }));
    if (players.length === 0) {
      return ackError(
        ErrorCode.NO_PLAYERS,
        `room ${this.code} has no player yet: share the code and wait for someone to join`,
      );
    }
    const { surface: choice, ...roundSettings } = chosen;
    let ref: SurfaceRef;
    try {
      ref = pickSurface(choice, this.deps.catalog);
    } catch (error) {
      this.deps.logger.error("pickSurface failed", { room: this.code, error: String(error) });
      return ackError(ErrorCode.INTERNAL_ERROR, "no surface could be picked; try another choice");
    }
    const now = this.gameNow();
    const created = createRound(
      { surface: ref, settings: roundSettings, seed: randomUint32(), players, startedAt: now },
      this.env,
    );
    if (!created.ok) {
      if (choice.kind !== "catalog" && created.error.code === ErrorCode.INVALID_SETTINGS) {
        // Do not quote the hidden surface's numbers (e.g. its η_max) back to the host.
        return ackError(
          ErrorCode.INVALID_SETTINGS,
          /etaMax/.test(created.error.message)
            ? "etaMax is too large for the surface picked for this round: leave etaMax out to use the surface's own"
            : created.error.message,
        );
      }
      return { ok: false, error: created.error };
    }
    this.settings = chosen;
    this.round = created.state;
    this.roundNumber += 1;
    this.classroom?.roundStarted();
    this.deps.counters.roundsStarted += 1;
    this.scheduleTurnTimer();
    this.changed("now");
    return { ok: true, roundNumber: this.roundNumber };
  }

  /** `round:move`: the connection's seat moves in the current turn. */
  move(session: Session, turn: number, angle: number, eta: number): AckResponse<MoveResult> {
    const playerId = session.playerId;
    if (playerId === null) {
      return ackError(
        ErrorCode.NOT_A_PLAYER,
        session.isHost
          ? "you host this room without a seat: only players move"
          : "spectators cannot move: join the room with a nickname to play",
      );
    }
    const round = this.round;
    if (!round || this.saving) {
      return ackError(
        ErrorCode.NO_ROUND,
        round
          ? "the round is over: wait for the reveal"
          : "no round is being played: wait for the host to start one",
      );
    }
    if (this.pausedAt !== null && round.phase === "playing") {
      return ackError(
        ErrorCode.PAUSED,
        "the teacher paused the game: send your move when it resumes",
      );
    }
    if (!round.players.some((p) => p.id === playerId)) {
      return ackError(
        ErrorCode.NOT_A_PLAYER,
        round.phase === "playing"
          ? "you joined during this round: you play from the next one"
          : "the round is over: wait for the host to start the next one",
      );
    }
    const result = reduce(
      round,
      { type: "move", playerId, angle, eta, at: this.gameNow(), turn },
      this.env,
    );
    if (!result.ok) return { ok: false, error: result.error };
    this.round = result.state;
    this.deps.counters.movesAccepted += 1;
    if (!this.closeTurnIfAllMoved()) this.changed("progress", session);
    return { ok: true, turn };
  }

  // ── Snapshots ────────────────────────────────────────────────────────────────────────────

  /** The parts of a snapshot shared by every connection, computed once per broadcast. */
  private shared(): SharedParts {
    const shown = this.round;
    const seats = new Map<string, number>(shown ? shown.players.map((p, i) => [p.id, i]) : []);
    const moved = new Set(
      shown && shown.phase === "playing" ? shown.pending.map((m) => m.playerId) : [],
    );
    let hostConnected = false;
    for (const s of this.sessions) hostConnected ||= s.isHost;
    return {
      seats,
      members: [...this.members.values()].map((m) => {
        const seat = seats.get(m.playerId);
        return {
          member: m,
          view: {
            nickname: m.nickname,
            connected: m.session !== null,
            inRound: seat !== undefined,
            moved: moved.has(m.playerId),
            you: false,
            host: m.host,
            seat: seat ?? null,
          },
        };
      }),
      hostConnected,
      views: new Map(),
      makers: new Map(),
      publicSettings: { ...this.settings, surface: null },
      classroom:
        this.classroom?.viewMaker({
          paused: this.pausedAt !== null,
          pausedRemainingMs: this.pausedRemainingMs(),
          connected: (id) => this.members.get(id)?.session != null,
        }) ?? null,
      now: this.deps.clock.now(),
    };
  }

  /** The snapshot of the room for one attached connection. */
  snapshotFor(session: Session, parts: SharedParts = this.shared()): RoomSnapshot {
    const shown = this.round;
    const member = session.playerId ? this.members.get(session.playerId) : undefined;
    const inRound = member !== undefined && parts.seats.has(member.playerId);
    const members: MemberView[] = parts.members.map((m) =>
      m.member === member ? { ...m.view, you: true } : m.view,
    );
    // R21: without rankings, students see only themselves and the projector sees no names.
    const peers = peersFor(
      { isHost: session.isHost, seated: member !== undefined },
      this.classroom?.setup.noRankings ?? false,
    );
    let round: RoundView | null = null;
    if (shown) {
      const viewer: Viewer =
        member && inRound
          ? { role: "player", playerId: member.playerId }
          : session.isHost
            ? { role: "host" }
            : { role: "spectator" };
      const key = `${viewer.role === "player" ? `p:${viewer.playerId}` : viewer.role}:${peers}`;
      round = parts.views.get(key) ?? this.roundView(shown, viewer, peers, parts);
      parts.views.set(key, round);
    }
    // R11a: a big reveal's other entries travel once per room, for every viewer who sees the
    // room's public peers level (the host of a room without rankings sees names: inline).
    const share =
      round?.reveal && shown && peers === this.publicPeers()
        ? this.shareReveal(shown, parts)
        : null;
    if (share) round = withoutPeerReveal(round!);
    const settings: RoomSettingsView = session.isHost ? this.settings : parts.publicSettings;
    return {
      protocolVersion: PROTOCOL_VERSION,
      code: this.code,
      mode: this.mode,
      rev: this.rev,
      serverTime: parts.now,
      phase: this.phase,
      roundNumber: this.roundNumber,
      you: {
        role: member ? "player" : session.isHost ? "host" : "spectator",
        isHost: session.isHost,
        playerId: member?.playerId ?? null,
        nickname: member?.nickname ?? null,
        inRound,
      },
      hostConnected: parts.hostConnected,
      // R21: a student sees only themselves; the projector sees who has joined, but no seat that
      // would tie a name to a line of the anonymous race.
      members: membersFor(members, peers),
      settings,
      turnDeadline: round ? round.deadline : null,
      round,
      ...(this.stored?.roundNumber === this.roundNumber &&
        this.phase === "revealed" && { replayId: this.stored.id }),
      ...(parts.classroom && {
        classroom: parts.classroom({ isHost: session.isHost, playerId: member?.playerId ?? null }),
      }),
      ...(share && {
        revealPlayers: {
          href: `/api/rooms/${this.code}/reveals/${share.key}`,
          players: share.players,
        },
      }),
    };
  }

  /** How a non-host connection that is not seated sees the other players (R21). */
  private publicPeers(): PeerVisibility {
    return publicPeers(this.classroom?.setup.noRankings ?? false);
  }

  /** The shown reveal's shared entries when the round is big enough to share them (R11a). */
  private shareReveal(shown: RoundState, parts: SharedParts): RevealShare | null {
    if (shown.players.length <= this.deps.limits.revealInlinePlayers) return null;
    if (this.revealShare?.state === shown) return this.revealShare;
    const spectator = this.roundView(shown, { role: "spectator" }, this.publicPeers(), parts);
    const players = spectator.reveal?.players;
    if (!players) return null;
    const body: RevealPlayersBody = { code: this.code, roundNumber: this.roundNumber, players };
    this.revealShare = {
      state: shown,
      key: newToken(),
      roundNumber: this.roundNumber,
      players: players.length,
      json: JSON.stringify(body),
    };
    return this.revealShare;
  }

  /**
   * The shared entries served at `revealPlayers.href` (server/reveal-http.ts), or null when `key`
   * is not this room's current reveal (an older reveal, a closed room, a guess).
   */
  revealPlayers(key: string): RevealShare | null {
    const share = this.revealShare;
    if (this.closed || !share || !tokensEqual(share.key, key)) return null;
    return share;
  }

  /** A round view with its deadline on the server's clock (shifted by pauses; null while paused). */
  private roundView(
    shown: RoundState,
    viewer: Viewer,
    peers: PeerVisibility,
    parts: SharedParts,
  ): RoundView {
    let maker = parts.makers.get(peers);
    if (!maker) {
      maker = viewMaker(shown, this.env, { peers, sealed: this.saving });
      parts.makers.set(peers, maker);
    }
    const view = maker(viewer);
    if (this.pausedAt === null && this.pausedTotal === 0) return view;
    const deadline = deadlineOf(shown);
    return {
      ...view,
      deadline: this.pausedAt !== null || deadline === null ? null : deadline + this.pausedTotal,
    };
  }

  /** The spectator's view of the shown round with no-rankings off (the shared base of views). */
  private baseView(parts: SharedParts): RoundView | null {
    const shown = this.round;
    if (!shown) return null;
    return this.roundView(shown, { role: "spectator" }, "named", parts);
  }

  private pausedRemainingMs(): number | null {
    if (this.pausedAt === null || !this.round) return null;
    const deadline = deadlineOf(this.round);
    return deadline === null ? null : Math.max(0, deadline - this.gameNow());
  }

  // ── Closing ──────────────────────────────────────────────────────────────────────────────

  /** Close the room: every attached connection gets `room:closed`; timers are cleared. */
  close(reason: RoomClosedReason): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimers();
    for (const session of [...this.sessions]) {
      this.detachSession(session);
      session.conn.send("room:closed", {
        code: this.code,
        reason,
        message: CLOSED_MESSAGES[reason],
      });
    }
    for (const member of this.members.values()) {
      if (member.graceTimer) this.deps.clock.clearTimeout(member.graceTimer);
      member.graceTimer = null;
    }
    this.deps.onClosed(this);
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────

  private roundInProgress(what: string): AckFailure {
    return ackError(
      ErrorCode.ROUND_IN_PROGRESS,
      this.saving
        ? `the round is being saved: ${what} after the reveal`
        : `a round is being played: ${what} after the reveal`,
    );
  }

  private normaliseSettings(settings: RoomSettings): RoomSettings {
    // Solo practice is untimed (GAME.md "Ways to play").
    return this.mode === "solo" ? { ...settings, secondsPerTurn: 0 } : settings;
  }

  /** Check what can be checked before a round: a catalog surface exists; settings against it. */
  private checkSettings(settings: RoomSettings): AckFailure | null {
    const { surface: choice, ...roundSettings } = settings;
    if (choice.kind === "catalog") {
      if (!this.deps.catalog.some((entry) => entry.id === choice.id)) {
        return ackError(
          ErrorCode.UNKNOWN_SURFACE,
          `no catalog surface is called "${choice.id}"; valid ids: ${this.deps.catalog.map((e) => e.id).join(", ")}`,
        );
      }
      try {
        const surface = this.env.resolveSurface({ kind: "catalog", id: choice.id });
        const resolved = resolveSettings(roundSettings, surface);
        if (!resolved.ok) return { ok: false, error: resolved.error };
      } catch (error) {
        return ackError(ErrorCode.UNKNOWN_SURFACE, String(error));
      }
      return null;
    }
    const bot = roundSettings.bot;
    if (bot.optimizer !== "none" && bot.params) {
      try {
        validateOptimizerParams(bot.optimizer, { ...bot.params, eta: bot.params.eta ?? 1 });
      } catch (error) {
        return ackError(
          ErrorCode.INVALID_SETTINGS,
          `bot.params.${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return null;
  }

  private attach(session: Session): void {
    session.room = this;
    this.sessions.add(session);
    this.updateEmptyTimer();
  }

  private bindSeat(session: Session, member: Member): void {
    session.playerId = member.playerId;
    member.session = session;
    if (member.graceTimer) this.deps.clock.clearTimeout(member.graceTimer);
    member.graceTimer = null;
  }

  /** Detach a connection from the room; a seat it held starts its grace period. */
  private detachSession(session: Session): void {
    if (session.room !== this) return;
    const member = session.playerId ? this.members.get(session.playerId) : undefined;
    if (member && member.session === session) {
      member.session = null;
      // A classroom seat does not expire (a phone asleep for ten minutes comes back to it).
      if (!this.closed && !this.classroom) {
        member.graceTimer = this.deps.clock.setTimeout(
          () => this.expireSeat(member),
          this.deps.limits.seatGraceMs,
        );
      }
    }
    this.sessions.delete(session);
    session.room = null;
    session.playerId = null;
    session.isHost = false;
    this.updateEmptyTimer();
  }

  private expireSeat(member: Member): void {
    member.graceTimer = null;
    if (this.closed || member.session || this.members.get(member.playerId) !== member) return;
    this.deps.logger.info("seat expired", { room: this.code, nickname: member.nickname });
    this.removeMember(member);
    this.changed("presence");
    this.afterPresenceChange();
  }

  private removeMember(member: Member): void {
    if (member.graceTimer) this.deps.clock.clearTimeout(member.graceTimer);
    member.graceTimer = null;
    this.members.delete(member.playerId);
  }

  /**
   * A player dropped, left or expired: the others may all have moved already; and when no player
   * of the round holds a seat any more (all left, were kicked or expired), nobody can move again,
   * so the remaining turns resolve at once (everyone stays put, the bot walks on) to the reveal.
   */
  private afterPresenceChange(): void {
    const round = this.round;
    if (!round || round.phase !== "playing" || this.saving || this.closed) return;
    const seated = round.players.some((p) => this.members.has(p.id));
    if (seated) {
      this.closeTurnIfAllMoved();
      return;
    }
    for (
      let guard = 0;
      this.round?.phase === "playing" && !this.saving && guard <= round.settings.turns;
      guard++
    ) {
      this.resolveTurn();
    }
  }

  /**
   * Close the turn early when every seated, connected player of the round has moved (and at least
   * one such player exists: a room whose players all dropped waits for the timer).
   */
  private closeTurnIfAllMoved(): boolean {
    const round = this.round;
    if (!round || round.phase !== "playing" || this.saving || this.closed) return false;
    const inRound = new Set(round.players.map((p) => p.id));
    const connected = [...this.members.values()]
      .filter((m) => m.session !== null && inRound.has(m.playerId))
      .map((m) => m.playerId);
    if (connected.length === 0 || !hasEveryoneMoved(round, connected)) return false;
    this.resolveTurn();
    return true;
  }

  private scheduleTurnTimer(): void {
    if (this.turnTimer) this.deps.clock.clearTimeout(this.turnTimer);
    this.turnTimer = null;
    const round = this.round;
    if (!round || round.phase !== "playing") return;
    const deadline = deadlineOf(round);
    if (deadline === null || this.pausedAt !== null) return;
    const turn = round.turn;
    this.turnTimer = this.deps.clock.setTimeout(() => {
      this.turnTimer = null;
      if (this.closed || !this.round || this.round.phase !== "playing" || this.round.turn !== turn)
        return;
      this.resolveTurn();
    }, deadline - this.gameNow());
  }

  private resolveTurn(): void {
    const round = this.round;
    if (!round) return;
    const result = reduce(
      round,
      { type: "resolve", at: this.gameNow(), turn: round.turn },
      this.env,
    );
    if (!result.ok) {
      this.deps.logger.error("resolve refused", { room: this.code, error: result.error });
      return;
    }
    this.round = result.state;
    this.deps.counters.turnsResolved += 1;
    if (result.state.phase === "playing") {
      this.scheduleTurnTimer();
      this.changed("now");
      return;
    }
    if (this.turnTimer) this.deps.clock.clearTimeout(this.turnTimer);
    this.turnTimer = null;
    this.finishRound(result.state);
  }

  /**
   * Show the last turn's result at once, sealed (R11b), and save the finished round BEFORE the
   * reveal is sent (the save is retried if it fails).
   */
  private finishRound(state: RoundState): void {
    this.saving = true;
    this.changed("now");
    this.deps.counters.roundsFinished += 1;
    const results = state.results;
    const finished: FinishedRound | null = results
      ? {
          id: newRoundId(),
          roomCode: this.code,
          mode: this.mode,
          roundNumber: this.roundNumber,
          finishedAt: this.deps.clock.now(),
          record: recordOf(state),
          results,
          ...(this.classroom && {
            competition: { id: this.classroom.setup.id, name: this.classroom.setup.name },
          }),
        }
      : null;
    // A round ends unpaused (a pause stops the timer, and moves are refused while paused).
    if (this.pausedAt !== null) {
      this.pausedTotal += this.deps.clock.now() - this.pausedAt;
      this.pausedAt = null;
    }
    if (this.classroom && !results) this.classroom.roundAbandoned();
    // Once per round: a first save attempt that ends after the 5 s wait (or after the next
    // round has started and is being saved in turn) must not reveal, or count, anything again.
    let revealed = false;
    const roundNumber = this.roundNumber;
    const reveal = (): void => {
      if (revealed || this.roundNumber !== roundNumber) return;
      revealed = true;
      this.saving = false;
      // The standings take the round in with the reveal: scores before it would hint at L*.
      if (this.classroom && results) this.classroom.roundFinished(results);
      this.changed("now");
      if (this.classroom) this.deps.onCompetitionChanged?.(this.classroom.snapshot(this.code));
    };
    if (!finished) {
      reveal();
      return;
    }
    const wait = this.deps.clock.setTimeout(() => {
      this.deps.logger.warn("saving the round takes long: revealing anyway (still retrying)", {
        room: this.code,
        round: this.roundNumber,
      });
      reveal();
    }, this.deps.limits.persistWaitMs);
    // Only a stored round has a replay to link to. A save that lands after the reveal (a slow
    // first attempt, or a retry after a failed one) still sends the link.
    const onStored = (): void => {
      // A later round has its own replay; a closed room sends nothing.
      if (this.closed || this.roundNumber !== roundNumber) return;
      this.stored = { roundNumber, id: finished.id };
      if (!this.saving) this.changed("now");
    };
    this.deps
      .saveRound(finished, onStored)
      .catch(() => false)
      .then(() => {
        this.deps.clock.clearTimeout(wait);
        reveal();
      });
  }

  /**
   * Record a change and schedule what to send:
   * - `now` (settings, a round starts, a turn resolves, the reveal): a full snapshot to every
   *   connection at the next turn of the event loop (changes in the same tick are coalesced);
   * - `presence` (joins, leaves, (dis)connections): a full snapshot at once to the connection that
   *   attached, and to everyone at most every `presenceIntervalMs` — a wave of reconnections in a
   *   60-player room costs one broadcast, not sixty;
   * - `progress` (a move was accepted): a full snapshot to the mover only, and a small
   *   `room:progress` patch to everyone at most every `progressIntervalMs` — a turn's moves cost
   *   O(players) messages, not O(players²).
   */
  private changed(urgency: "now" | "presence" | "progress", session?: Session): void {
    this.rev += 1;
    if (this.closed) return;
    if (urgency === "now") {
      this.dirtyAll = true;
      this.flushImmediate ??= setImmediate(() => this.flush());
      return;
    }
    if (session) {
      this.dirtySessions.add(session);
      this.flushImmediate ??= setImmediate(() => this.flush());
    }
    if (urgency === "presence") {
      if (this.presenceTimer) return;
      const wait = this.lastFullAt + this.deps.limits.presenceIntervalMs - this.deps.clock.now();
      this.presenceTimer = this.deps.clock.setTimeout(
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
    const wait = this.lastProgressAt + this.deps.limits.progressIntervalMs - this.deps.clock.now();
    this.progressTimer = this.deps.clock.setTimeout(() => this.flushProgress(), Math.max(0, wait));
  }

  /** Send the pending full snapshots (views shared between equal viewers). */
  private flush(): void {
    if (this.flushImmediate) clearImmediate(this.flushImmediate);
    this.flushImmediate = null;
    if (this.closed) return;
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
    const parts = this.shared();
    const json = new SnapshotJson(this.round ? this.baseView(parts) : null);
    for (const session of targets) {
      try {
        const snapshot = this.snapshotFor(session, parts);
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
    if (this.closed || !this.progressDirty) return;
    this.progressDirty = false;
    const shown = this.round;
    if (!shown || shown.phase !== "playing") return;
    this.lastProgressAt = this.deps.clock.now();
    const moved = new Set(shown.pending.map((m) => m.playerId));
    const progress = {
      code: this.code,
      rev: this.rev,
      roundNumber: this.roundNumber,
      turn: shown.turn,
      moved: shown.players.flatMap((p, seat) => (moved.has(p.id) ? [seat] : [])),
    };
    const json = JSON.stringify(progress);
    for (const session of this.sessions) {
      if (session.conn.sendJson) session.conn.sendJson("room:progress", json);
      else session.conn.send("room:progress", progress);
    }
  }

  private updateEmptyTimer(): void {
    if (this.closed) return;
    if (this.sessions.size > 0) {
      if (this.emptyTimer) this.deps.clock.clearTimeout(this.emptyTimer);
      this.emptyTimer = null;
      return;
    }
    this.emptyTimer ??= this.deps.clock.setTimeout(() => {
      this.emptyTimer = null;
      if (this.sessions.size === 0) {
        this.deps.logger.info("room closed (empty)", { room: this.code });
        this.close("empty");
      }
    }, this.deps.limits.emptyRoomMs);
  }

  private clearTimers(): void {
    for (const timer of [this.turnTimer, this.emptyTimer, this.progressTimer, this.presenceTimer]) {
      if (timer) this.deps.clock.clearTimeout(timer);
    }
    this.turnTimer = this.emptyTimer = this.progressTimer = this.presenceTimer = null;
    if (this.flushImmediate) clearImmediate(this.flushImmediate);
    this.flushImmediate = null;
  }
}
