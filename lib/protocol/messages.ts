import type { ClassLearning, RevealedPlayer, RoundView, Standing, StudentLearning } from "../game";
import { withPeerReveal } from "../game/reveal-share";
import type { AckCallback, ProtocolError } from "./errors";
import type { ClientPayloadInput, RoomSettings, SurfaceChoice } from "./schemas";

/**
 * What the server sends, and the typed Socket.IO event maps of both directions.
 */

/** A room's phase: `lobby` before the first round, `playing`, then `revealed` until the next. */
export type RoomPhase = "lobby" | "playing" | "revealed";

/**
 * A room (several players), a solo practice (the host alone against the bot, untimed) or a
 * classroom competition (a host who does not play runs planned rounds; see {@link ClassroomView}).
 */
export type RoomMode = "room" | "solo" | "classroom";

/** How this connection takes part: a seated player, the host (not playing) or a spectator. */
export type RoomRole = "player" | "host" | "spectator";

/** This connection in the room. */
export interface YouView {
  /** `player` when the connection holds a seat (a host who plays is a player with isHost). */
  readonly role: RoomRole;
  /** Whether the connection acts as the host (attached with the host token). */
  readonly isHost: boolean;
  /** Your player id (players only; never shown to others). */
  readonly playerId: string | null;
  readonly nickname: string | null;
  /** Whether you have a seat in the current (or last) round; false = you play from the next. */
  readonly inRound: boolean;
}

/** A seated member of the room, as everyone sees them: nickname only, never an id or token. */
export interface MemberView {
  readonly nickname: string;
  /** Whether the member has a live connection (false: dropped, within the grace period). */
  readonly connected: boolean;
  /** Whether they play in the current (or last) round; false = joined mid-round. */
  readonly inRound: boolean;
  /** Whether they have moved in the current turn (false outside a round). */
  readonly moved: boolean;
  /** Whether this member is you. */
  readonly you: boolean;
  /** Whether this member is the room's host (a host who plays). */
  readonly host: boolean;
  /** Their seat in the current (or last) round (`round.race.players[seat]`), or null. */
  readonly seat: number | null;
}

/**
 * The room's settings as a connection sees them (docs/SPEC.md R34). `surface` is the host's
 * choice and `bot.params` the bot's hyper-parameters, both shown only to host connections:
 * players and spectators get `surface: null` (a named surface is secret until the reveal) and
 * `bot: { optimizer }` alone (R10: the hyper-parameters come with the reveal).
 */
export type RoomSettingsView = Omit<RoomSettings, "surface" | "bot"> & {
  readonly surface: SurfaceChoice | null;
  readonly bot: {
    readonly optimizer: RoomSettings["bot"]["optimizer"];
    readonly params?: RoomSettings["bot"]["params"];
  };
};

/**
 * `room:state`: the whole room as THIS connection may see it. Sent after every change of the room
 * (joins, leaves, connections, settings, each accepted move — coalesced, see docs — each resolved
 * turn, the reveal). Snapshots are complete: a client keeps the one with the highest `rev`.
 */
export interface RoomSnapshot {
  readonly protocolVersion: number;
  readonly code: string;
  readonly mode: RoomMode;
  /** Increases with every change of the room (same value for every connection). */
  readonly rev: number;
  /** The server's clock (ms since the epoch) when the snapshot was made. */
  readonly serverTime: number;
  readonly phase: RoomPhase;
  /** Rounds started in this room so far (1 during the first round). */
  readonly roundNumber: number;
  readonly you: YouView;
  readonly hostConnected: boolean;
  /** Seated members in the order they joined. */
  readonly members: readonly MemberView[];
  readonly settings: RoomSettingsView;
  /** When the current turn closes (server clock, ms), or null (untimed, or no round). */
  readonly turnDeadline: number | null;
  /** The current or last round as lib/game's `viewFor` shows it to you; null in the lobby. */
  readonly round: RoundView | null;
  /**
   * The revealed round's id in the database, once it is stored: its replay is `/replays/<id>`.
   * Absent before the reveal and when the round could not be stored.
   */
  readonly replayId?: string;
  /** Classroom competitions only (mode `classroom`): the competition as you may see it. */
  readonly classroom?: ClassroomView | null;
  /**
   * Big reveals only (docs/SPEC.md R11a): `round.reveal.players` holds just your own entry, and
   * the other players' entries are fetched once from `href` (GET, JSON {@link RevealPlayersBody};
   * the same for everyone who sees the room like you) and put back with {@link withRevealPlayers}.
   * Absent when the snapshot carries every entry.
   */
  readonly revealPlayers?: RevealPlayersRef;
  /** The ghost racing in this room's rounds (docs/SPEC.md G1–G5), or absent. */
  readonly ghost?: GhostView;
}

/** How a host chose a ghost (G1). */
export type GhostSourceKind = "best" | "last" | "winner" | "round";

/** A ghost as a connection sees it (G4). */
export interface GhostView {
  /** The name it races under, e.g. `Ghost: Ann`. */
  readonly nickname: string;
  readonly source: GhostSourceKind;
  /** The turns of its stored round (the room's rounds play as many). */
  readonly turns: number;
  /** The stored round's id (`/replays/<id>`): for the host, and for everyone after the reveal. */
  readonly roundId?: string;
}

/** Where a big reveal's shared entries are (R11a). */
export interface RevealPlayersRef {
  /** Same-origin path, e.g. `/api/rooms/ABCDEF/reveals/<key>`; its body never changes. */
  readonly href: string;
  /** How many entries it holds (every player of the round). */
  readonly players: number;
}

/** The body served at a {@link RevealPlayersRef}'s `href`. */
export interface RevealPlayersBody {
  readonly code: string;
  readonly roundNumber: number;
  /** The spectator's `reveal.players` at the room's public peers level, in seat order. */
  readonly players: readonly RevealedPlayer[];
}

/** How many other players' entries a big reveal is still fetching (R11a): 0 when none. */
export function pendingRevealPlayers(snapshot: RoomSnapshot): number {
  const ref = snapshot.revealPlayers;
  return ref ? Math.max(0, ref.players - (snapshot.round?.reveal?.players.length ?? 0)) : 0;
}

/**
 * A snapshot with a big reveal's shared entries put back (R11a): `revealPlayers` is dropped and
 * `round.reveal.players` holds everyone, your own entry as the snapshot had it. A body for
 * another room or round, or a snapshot without `revealPlayers`, leaves the snapshot unchanged.
 */
export function withRevealPlayers(snapshot: RoomSnapshot, body: RevealPlayersBody): RoomSnapshot {
  const round = snapshot.round;
  if (
    !snapshot.revealPlayers ||
    !round?.reveal ||
    body.code !== snapshot.code ||
    body.roundNumber !== snapshot.roundNumber ||
    body.players.length !== snapshot.revealPlayers.players
  ) {
    return snapshot;
  }
  const { revealPlayers: _, ...rest } = snapshot;
  return { ...rest, round: withPeerReveal(round, body.players) };
}

/** Where a competition stands. */
export type CompetitionStatus =
  /** No round played yet (students join). */
  | "lobby"
  /** A round is being played. */
  | "playing"
  /** Between rounds (the last round is revealed). */
  | "between"
  /** The host ended the competition: final standings. */
  | "ended";

/**
 * One line of a competition's standings as a connection sees it: lib/game's {@link Standing}
 * without the entrant key; `rank` is 0 when withheld (no rankings, R21).
 */
export interface StandingView extends Omit<Standing, "key"> {
  /** Whether this line is you. */
  readonly you: boolean;
  /** Whether the student has a seat with a live connection now. */
  readonly connected: boolean;
  /** L5: the student's cos β per revealed round, its change and trend, overshoots and steps. */
  readonly learning: Omit<StudentLearning, "key" | "nickname">;
}

/** A planned round as everyone may see it (the surface is the host's secret). */
export interface PlannedRoundView {
  readonly turns: number;
  readonly secondsPerTurn: number;
  readonly hint: RoomSettings["hint"];
  readonly bot: RoomSettings["bot"]["optimizer"];
  /** The host's surface choice (host connections only; null for everyone else). */
  readonly surface: SurfaceChoice | null;
}

/**
 * `room:state`'s `classroom` part. Standings with names go to the host always, and to everyone
 * else unless the competition has no rankings; then a student gets only their own line (`you`)
 * and spectators (the projector) get `class` only.
 */
export interface ClassroomView {
  readonly name: string;
  /** The competition's id (the `/leaderboard` filter, stored rounds). */
  readonly competitionId: string;
  readonly status: CompetitionStatus;
  readonly noRankings: boolean;
  /** Whether joining is locked (seated students may still resume). */
  readonly locked: boolean;
  /** Whether the host paused the turn timer (moves wait). */
  readonly paused: boolean;
  /** While paused: the milliseconds left in the turn when it was paused, else null. */
  readonly pausedRemainingMs: number | null;
  /** Rounds played so far (finished or running). */
  readonly roundsPlayed: number;
  /** Every planned round, in order. */
  readonly plan: readonly PlannedRoundView[];
  /** The full standings, best first; null when withheld from this connection. */
  readonly standings: readonly StandingView[] | null;
  /** Your own line (students), else null. */
  readonly you: StandingView | null;
  /** Class-wide numbers everyone may see. */
  readonly class: {
    /** Students in the competition now. */
    readonly students: number;
    /** In the last revealed round: how many players, and how many of them beat the bot. */
    readonly lastRound: { readonly players: number; readonly beatBot: number } | null;
    /** L6, L7: the class's mean cos β per revealed round, its first and last, the sentence. */
    readonly learning: Pick<ClassLearning, "classCosBeta" | "first" | "last" | "sentence">;
  };
}

/** `classroom:create` result: keep `hostToken` secret (the host console keeps it in storage). */
export interface CreateClassroomResult {
  readonly code: string;
  readonly hostToken: string;
  readonly competitionId: string;
}

/** `classroom:pause` / `classroom:resume` result. */
export interface PauseResult {
  readonly paused: boolean;
}

/** `classroom:lock` result. */
export interface LockResult {
  readonly locked: boolean;
}

/**
 * `room:progress`: who has moved in the current turn — a small patch of the latest `room:state`,
 * sent (at most every 500 ms per room) instead of a full snapshot when the only change is that
 * players moved. Apply it with {@link applyProgress}; it carries the room's `rev`.
 */
export interface ProgressMessage {
  readonly code: string;
  readonly rev: number;
  readonly roundNumber: number;
  /** The current turn (`round.turn`). */
  readonly turn: number;
  /** Seats (`round.race.players[seat]`) that have moved in this turn, ascending. */
  readonly moved: readonly number[];
}

/**
 * Apply a `room:progress` patch to a snapshot: returns the patched snapshot (members' and racers'
 * `moved` flags, `rev`), or the snapshot unchanged when the patch is stale (its rev is not newer)
 * or belongs to another room, round or turn (a full snapshot will follow).
 */
export function applyProgress(snapshot: RoomSnapshot, progress: ProgressMessage): RoomSnapshot {
  const round = snapshot.round;
  if (
    progress.rev <= snapshot.rev ||
    progress.code !== snapshot.code ||
    progress.roundNumber !== snapshot.roundNumber ||
    !round ||
    round.phase !== "playing" ||
    round.turn !== progress.turn
  ) {
    return snapshot;
  }
  const moved = new Set(progress.moved);
  return {
    ...snapshot,
    rev: progress.rev,
    members: snapshot.members.map((m) => ({ ...m, moved: m.seat !== null && moved.has(m.seat) })),
    round: {
      ...round,
      race: {
        ...round.race,
        players: round.race.players.map((p) => ({ ...p, moved: moved.has(p.seat) })),
      },
    },
  };
}

/** Why the server stopped serving a room to a connection. */
export type RoomClosedReason =
  /** The room was empty for too long. */
  | "empty"
  /** The host closed the room. */
  | "closed-by-host"
  /** Another connection took this seat with the same seat token (e.g. a second tab). */
  | "seat-taken"
  /** The host removed you from the room. */
  | "kicked"
  /** The server is shutting down. */
  | "server-shutdown";

/** `room:closed`: this connection is no longer attached to the room; stop sending to it. */
export interface RoomClosedMessage {
  readonly code: string;
  readonly reason: RoomClosedReason;
  readonly message: string;
}

/** `server:hello`: sent once on connection. */
export interface HelloMessage {
  readonly protocolVersion: number;
  /** The server's clock, to estimate the offset of yours (turn deadlines are server time). */
  readonly serverTime: number;
}

/** `protocol:error`: a request that could not be acknowledged (no ack callback was given). */
export interface ProtocolErrorMessage {
  /** The event name as received (or "" when there was none). */
  readonly event: string;
  readonly error: ProtocolError;
}

/** `room:create` result. The tokens are secrets: keep them (e.g. sessionStorage), show them to nobody. */
export interface CreateRoomResult {
  readonly code: string;
  readonly hostToken: string;
  /** Your seat when the host plays, else null. */
  readonly playerId: string | null;
  readonly seatToken: string | null;
}

/** `room:join` result. */
export interface JoinRoomResult {
  readonly code: string;
  readonly playerId: string;
  readonly seatToken: string;
}

/** `room:resume` result. */
export interface ResumeRoomResult {
  readonly code: string;
  readonly playerId: string;
}

/** Result of `room:watch` and `room:host`. */
export interface AttachResult {
  readonly code: string;
}

/** F8: a formula surface's difficulty, as only its host sees it in the lobby. */
export interface FormulaPreview {
  readonly botFinalLoss: number;
  readonly startLoss: number;
  readonly minimumLoss: number;
  readonly distance: number;
  /** The start θ₀ (public once the round starts), for the host's small preview map. */
  readonly start: readonly [number, number];
}

/** `room:settings` result: the settings as stored, defaults applied. */
export interface SettingsResult {
  readonly settings: RoomSettings;
  /**
   * F8: how hard the host's formula surface is (host only; absent for other surfaces): the bot's
   * loss after the round's turns against L(θ₀) and L*, and the distance θ₀ → θ*.
   */
  readonly formula?: FormulaPreview;
}

/** `round:start` result. */
export interface StartRoundResult {
  readonly roundNumber: number;
}

/** `round:move` result: the turn the move was recorded for. */
export interface MoveResult {
  readonly turn: number;
}

/** `room:sync` result. */
export interface SyncResult {
  readonly state: RoomSnapshot;
}

/** `challenge:create` result (docs/SPEC.md C4): the challenge's id and its page's path. */
export interface CreateChallengeResult {
  readonly id: string;
  /** `/c/<id>`, on this server's origin. */
  readonly path: string;
}

/**
 * `challenge:play` result (C5): a new solo room, its first round already started on the
 * challenge's surface; keep the tokens as for `room:create`.
 */
export interface PlayChallengeResult extends CreateRoomResult {
  readonly challengeId: string;
}

/** `daily:play` result (D5): a new solo room playing today's daily, its round started. */
export interface PlayDailyResult extends CreateRoomResult {
  /** The daily's number (day 1 = 2026-12-01 UTC). */
  readonly day: number;
  /** The UTC date, `YYYY-MM-DD`. */
  readonly dayKey: string;
  /** Whether this attempt is the scored one (false: this token already has today's, D3). */
  readonly scored: boolean;
}

/** `daily:status` result (D5). */
export interface DailyStatusResult {
  readonly day: number;
  readonly dayKey: string;
  /** The round id (replay) of this token's scored attempt today, or null before it is stored. */
  readonly scoredRoundId: string | null;
  /** Consecutive UTC days with a scored attempt (D3). */
  readonly streak: number;
}

/** `ghost:add` result (G1): the ghost as the host sees it. */
export interface AddGhostResult {
  readonly ghost: GhostView;
}

/** Events without result fields acknowledge `{ ok: true }`. */
export type EmptyResult = Record<never, never>;

/**
 * Client → server events (Socket.IO's `ClientToServerEvents`). Every event takes exactly one
 * payload object and an acknowledgement callback.
 */
export interface ClientToServerEvents {
  "room:create": (
    payload: ClientPayloadInput<"room:create">,
    ack: AckCallback<CreateRoomResult>,
  ) => void;
  "room:join": (payload: ClientPayloadInput<"room:join">, ack: AckCallback<JoinRoomResult>) => void;
  "room:resume": (
    payload: ClientPayloadInput<"room:resume">,
    ack: AckCallback<ResumeRoomResult>,
  ) => void;
  "room:watch": (payload: ClientPayloadInput<"room:watch">, ack: AckCallback<AttachResult>) => void;
  "room:host": (payload: ClientPayloadInput<"room:host">, ack: AckCallback<AttachResult>) => void;
  "room:leave": (payload: ClientPayloadInput<"room:leave">, ack: AckCallback<EmptyResult>) => void;
  "room:sync": (payload: ClientPayloadInput<"room:sync">, ack: AckCallback<SyncResult>) => void;
  "room:settings": (
    payload: ClientPayloadInput<"room:settings">,
    ack: AckCallback<SettingsResult>,
  ) => void;
  "room:kick": (payload: ClientPayloadInput<"room:kick">, ack: AckCallback<EmptyResult>) => void;
  "room:close": (payload: ClientPayloadInput<"room:close">, ack: AckCallback<EmptyResult>) => void;
  "round:start": (
    payload: ClientPayloadInput<"round:start">,
    ack: AckCallback<StartRoundResult>,
  ) => void;
  "round:move": (payload: ClientPayloadInput<"round:move">, ack: AckCallback<MoveResult>) => void;
  "classroom:create": (
    payload: ClientPayloadInput<"classroom:create">,
    ack: AckCallback<CreateClassroomResult>,
  ) => void;
  "classroom:pause": (
    payload: ClientPayloadInput<"classroom:pause">,
    ack: AckCallback<PauseResult>,
  ) => void;
  "classroom:resume": (
    payload: ClientPayloadInput<"classroom:resume">,
    ack: AckCallback<PauseResult>,
  ) => void;
  "classroom:lock": (
    payload: ClientPayloadInput<"classroom:lock">,
    ack: AckCallback<LockResult>,
  ) => void;
  "classroom:rename": (
    payload: ClientPayloadInput<"classroom:rename">,
    ack: AckCallback<EmptyResult>,
  ) => void;
  "classroom:end": (
    payload: ClientPayloadInput<"classroom:end">,
    ack: AckCallback<EmptyResult>,
  ) => void;
  "challenge:create": (
    payload: ClientPayloadInput<"challenge:create">,
    ack: AckCallback<CreateChallengeResult>,
  ) => void;
  "challenge:play": (
    payload: ClientPayloadInput<"challenge:play">,
    ack: AckCallback<PlayChallengeResult>,
  ) => void;
  "daily:play": (
    payload: ClientPayloadInput<"daily:play">,
    ack: AckCallback<PlayDailyResult>,
  ) => void;
  "daily:status": (
    payload: ClientPayloadInput<"daily:status">,
    ack: AckCallback<DailyStatusResult>,
  ) => void;
  "ghost:add": (payload: ClientPayloadInput<"ghost:add">, ack: AckCallback<AddGhostResult>) => void;
  "ghost:remove": (
    payload: ClientPayloadInput<"ghost:remove">,
    ack: AckCallback<EmptyResult>,
  ) => void;
}

/** Server → client events (Socket.IO's `ServerToClientEvents`). */
export interface ServerToClientEvents {
  "server:hello": (message: HelloMessage) => void;
  "room:state": (snapshot: RoomSnapshot) => void;
  "room:progress": (progress: ProgressMessage) => void;
  "room:closed": (message: RoomClosedMessage) => void;
  "protocol:error": (message: ProtocolErrorMessage) => void;
}

/** The result fields of each client event's successful acknowledgement. */
export interface ClientEventResults {
  "room:create": CreateRoomResult;
  "room:join": JoinRoomResult;
  "room:resume": ResumeRoomResult;
  "room:watch": AttachResult;
  "room:host": AttachResult;
  "room:leave": EmptyResult;
  "room:sync": SyncResult;
  "room:settings": SettingsResult;
  "room:kick": EmptyResult;
  "room:close": EmptyResult;
  "round:start": StartRoundResult;
  "round:move": MoveResult;
  "classroom:create": CreateClassroomResult;
  "classroom:pause": PauseResult;
  "classroom:resume": PauseResult;
  "classroom:lock": LockResult;
  "classroom:rename": EmptyResult;
  "classroom:end": EmptyResult;
  "challenge:create": CreateChallengeResult;
  "challenge:play": PlayChallengeResult;
  "daily:play": PlayDailyResult;
  "daily:status": DailyStatusResult;
  "ghost:add": AddGhostResult;
  "ghost:remove": EmptyResult;
}

/** A server event name. */
export type ServerEventName = keyof ServerToClientEvents;
/** The argument of a server event. */
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];
