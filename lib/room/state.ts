import type {
  PlayerRoundLearning,
  RoundEnv,
  RoundRecord,
  RoundResults,
  RoundState,
  Standing,
  StudentRounds,
} from "../game";
import type {
  CompetitionStatus,
  GhostSourceKind,
  GhostView,
  RoomClosedReason,
  RoomMode,
  RoomPhase,
  RoomSettings,
} from "../protocol";
import type { SurfaceRef } from "../surface-ref";
import type { Difficulty } from "../types";
import type { RoundSettings } from "../game";

/**
 * A room as plain data (docs/SPEC.md R24–R33): everything the room's rules decide on, and nothing
 * about sockets. `reduceRoom` (./reduce.ts) is the only thing that makes a new one; the server
 * keeps one per live room and runs the effects the reducer returns. Every field is JSON: a room
 * can be written down, compared and rebuilt from its log of actions.
 */

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
   * room by reference (R11a) instead of in every snapshot. @default 16
   */
  readonly revealInlinePlayers: number;
}

/** Default room limits. */
export const DEFAULT_LIMITS: RoomLimits = {
  seatGraceMs: 120_000,
  emptyRoomMs: 300_000,
  maxPlayers: 100,
  progressIntervalMs: 500,
  presenceIntervalMs: 500,
  persistWaitMs: 5_000,
  revealInlinePlayers: 16,
};

/** A catalog entry as the surface picker and the settings check need it. */
export interface CatalogEntry {
  readonly id: string;
  readonly difficulty: Difficulty;
}

/** What the room's rules run in: the round's environment, the catalog and the limits. */
export interface RoomEnv extends RoundEnv {
  readonly catalog: readonly CatalogEntry[];
  readonly limits: RoomLimits;
}

/**
 * How a kind of room behaves (R24): policies are data, chosen once from the mode, so that no rule
 * branches on the mode itself.
 */
export interface RoomPolicy {
  /** Most seats (solo: 1). */
  readonly capacity: number;
  /** Solo practice is untimed: every round's `secondsPerTurn` is 0. */
  readonly untimed: boolean;
  /** A dropped seat expires after `seatGraceMs` (a classroom seat never does). */
  readonly seatsExpire: boolean;
  /** The room hosts a classroom competition (R18–R22): planned rounds, standings, controls. */
  readonly competition: boolean;
}

/** A seat. */
export interface RoomMember {
  readonly playerId: string;
  readonly nickname: string;
  /** The nickname folded for the uniqueness check (lib/nickname.ts). */
  readonly key: string;
  /** SHA-256 (hex) of the seat token: the token itself is never kept. */
  readonly seatTokenHash: string;
  /** The host's own seat (a host who plays). */
  readonly host: boolean;
  /** Whether a connection holds the seat now. */
  readonly connected: boolean;
  /** When a dropped seat expires (server clock, ms), or null. */
  readonly graceUntil: number | null;
}

/** A student of a competition, across rejoins and renames (R18). */
export interface Entrant {
  readonly id: string;
  readonly nickname: string;
  readonly key: string;
  readonly playerIds: readonly string[];
  /** SHA-256 of the device tokens this student joined from (R22: a kick bans them too). */
  readonly devices?: readonly string[];
  /** The student gave their seat up (`room:leave`): their points stay theirs, not the name's. */
  readonly left: boolean;
}

/** What a competition is created with. */
export interface ClassroomSetup {
  readonly id: string;
  readonly name: string;
  readonly plan: readonly RoomSettings[];
  readonly noRankings: boolean;
  /** Server clock (ms) at creation. */
  readonly createdAt: number;
}

/** A classroom competition's own state (R18–R22). */
export interface ClassroomState {
  readonly setup: ClassroomSetup;
  readonly status: CompetitionStatus;
  readonly locked: boolean;
  readonly endedAt: number | null;
  /** The revealed rounds' results, in order. */
  readonly results: readonly RoundResults[];
  /**
   * L5: each revealed round's learning numbers per player (L1–L3 of their turns), parallel to
   * `results`; taken in with the reveal, so nothing of a round is in it before (absent: none yet).
   */
  readonly learning?: readonly (readonly PlayerRoundLearning[])[];
  readonly entrants: readonly Entrant[];
  /** Folded nicknames the host removed. */
  readonly banned: readonly string[];
  /** SHA-256 of the device tokens of kicked students (R22b). */
  readonly bannedDevices?: readonly string[];
  /** Entrants ever created (their ids are `e1`, `e2`, …). */
  readonly entrantCount: number;
  /** lib/game's standings of `entrants` over `results`, best first. */
  readonly standings: readonly Standing[];
  /** Entrants the host kicked (R22): out of the standings, kept for the CSV with their points. */
  readonly kicked?: readonly Entrant[];
}

/** A competition as stored (server/db/competitions.ts). */
export interface CompetitionSnapshot {
  readonly id: string;
  readonly name: string;
  readonly code: string;
  readonly noRankings: boolean;
  readonly status: CompetitionStatus;
  readonly plan: readonly RoomSettings[];
  readonly roundsPlayed: number;
  readonly standings: readonly Standing[];
  /** The kicked students' lines (R22: in the CSV, marked), in nickname order. */
  readonly kicked: readonly Standing[];
  /** L5: every student's rounds (standings and kicked lines, by `key`), for the CSV and the report. */
  readonly learning: readonly StudentRounds[];
  readonly createdAt: number;
  readonly endedAt: number | null;
  readonly hostTokenHash: string;
}

/**
 * Where the current round is on its way to the reveal (R30): `none` (lobby), `playing`, `sealed`
 * (finished; its last turn is shown but the reveal waits for the save) and `revealed`. Whether the
 * round is stored is `stored`, which may come before or after the reveal.
 */
export type RevealGate = "none" | "playing" | "sealed" | "revealed";

/** The room. */
export interface RoomState {
  readonly code: string;
  readonly mode: RoomMode;
  readonly policy: RoomPolicy;
  /** SHA-256 (hex) of the host token. */
  readonly hostTokenHash: string;
  /** The lobby settings (the last round's, once one started). */
  readonly settings: RoomSettings;
  /** Seats in the order they were taken. */
  readonly members: readonly RoomMember[];
  /** Attached connections (seats held, host consoles, spectators), and how many act as host. */
  readonly connections: number;
  readonly hosts: number;
  /** When the room last lost its last connection (R28), or null while any is attached. */
  readonly emptySince: number | null;
  /** The current or last round (advanced only by lib/game's `reduce`). */
  readonly round: RoundState | null;
  /** Rounds started so far. */
  readonly roundNumber: number;
  /** The current round's id (the database key and replay URL), made when it started. */
  readonly roundId: string | null;
  readonly gate: RevealGate;
  /** The last round stored in the database (its replay link). */
  readonly stored: { readonly roundNumber: number; readonly id: string } | null;
  /**
   * Pauses (R22, R29): the round's clock is the server's minus the time spent paused.
   * `pausedAt`: server time the current pause began, or null.
   */
  readonly pausedAt: number | null;
  readonly pausedTotal: number;
  readonly classroom: ClassroomState | null;
  /** Increases with every change; every snapshot carries it. */
  readonly rev: number;
  /** Why the room closed, or null while it is open (a closed room refuses everything). */
  readonly closed: RoomClosedReason | null;
  /** A challenge's or the daily's room: its surface and how its rounds are stored (C5, D5). */
  readonly fixed?: FixedPlay;
  /** The ghost racing in the room's rounds (G1–G5), or absent. */
  readonly ghost?: RoomGhost;
}

/** The phase connections see: the lobby, a round being played (or sealed), or its reveal. */
export function roomPhase(state: RoomState): RoomPhase {
  if (state.gate === "none") return "lobby";
  return state.gate === "revealed" ? "revealed" : "playing";
}

/** R29: the round's clock at server time `at` (frozen while paused). */
export function gameClock(state: RoomState, at: number): number {
  return (state.pausedAt ?? at) - state.pausedTotal;
}

/** Everything needed to store and replay a finished round. */
export interface FinishedRound {
  /** The round's id: the database key and the replay's URL `/replays/<id>`. */
  readonly id: string;
  readonly roomCode: string;
  readonly mode: RoomMode;
  /** 1 for the room's first round. */
  readonly roundNumber: number;
  /** Server clock (ms) at the end. */
  readonly finishedAt: number;
  /** lib/game's replay record: `replayRound(record)` rebuilds the final state bit for bit. */
  readonly record: RoundRecord;
  readonly results: RoundResults;
  /** The classroom competition the round belongs to (stored with it), or absent. */
  readonly competition?: { readonly id: string; readonly name: string };
  /** The challenge or daily attempt the round is stored as (C5, D5), or absent. */
  readonly tag?: RoomTag;
}

/**
 * Why a room's rounds are stored beyond the round itself (C5, D5): linked to a challenge, or
 * recorded as a player's daily attempt (`playerKey`: the SHA-256 of their player token, never the
 * token).
 */
export type RoomTag =
  | { readonly kind: "challenge"; readonly id: string }
  | { readonly kind: "daily"; readonly dayKey: string; readonly playerKey: string };

/** A room that plays one stored surface, exactly, in every round (C5, D5). */
export interface FixedPlay {
  readonly surface: SurfaceRef;
  readonly tag: RoomTag;
}

/** The room's timers, by name: setting one replaces the pending one of the same name. */
export type TimerId = "turn" | "empty" | "persist" | `grace:${string}`;

/** How soon a change must reach the connections (the runtime batches and throttles). */
export type Urgency =
  /** Settings, a round starts, a turn resolves, the reveal: everyone, at the next tick. */
  | "now"
  /** Joins, leaves, (dis)connections: the actor at once, everyone at most every presence interval. */
  | "presence"
  /** A move was accepted: the mover at once, everyone a `room:progress` patch, throttled. */
  | "progress";

/** What the runtime must do after an action (effects as data: the reducer runs none of them). */
export type RoomEffect =
  | { readonly type: "setTimer"; readonly id: TimerId; readonly at: number }
  | { readonly type: "clearTimer"; readonly id: TimerId }
  | { readonly type: "broadcast"; readonly urgency: Urgency }
  /** Detach the connection holding this seat and tell it why (a kick, a second tab). */
  | {
      readonly type: "evict";
      readonly playerId: string;
      readonly reason: Extract<RoomClosedReason, "kicked" | "seat-taken">;
    }
  /** Store a finished round; answer with `saveFinished` after the first attempt, `stored` once stored. */
  | { readonly type: "saveRound"; readonly round: FinishedRound }
  | { readonly type: "storeCompetition"; readonly competition: CompetitionSnapshot }
  /** The room closed: tell every connection why and forget the room. */
  | { readonly type: "closed"; readonly reason: RoomClosedReason }
  | {
      readonly type: "count";
      readonly counter: "movesAccepted" | "turnsResolved" | "roundsStarted" | "roundsFinished";
    }
  | {
      readonly type: "log";
      readonly level: "info" | "warn" | "error";
      readonly message: string;
      readonly fields?: Readonly<Record<string, unknown>>;
    };

/** A new seat: the runtime makes the id and the token; the state keeps the token's hash. */
export interface NewSeat {
  readonly playerId: string;
  readonly nickname: string;
  readonly seatTokenHash: string;
  /** SHA-256 of the device token the browser keeps and sends on join (R22b), if any. */
  readonly deviceHash?: string;
}

/**
 * Every action a room accepts. Times (`at`) are the server's clock; ids, tokens' hashes, the
 * round's seed and its surface come in with the action, so the reducer reads no clock and no
 * random source and a log of actions rebuilds the room (R16, R33).
 */
export type RoomAction =
  | {
      readonly type: "create";
      readonly at: number;
      readonly code: string;
      readonly mode: RoomMode;
      readonly hostTokenHash: string;
      readonly settings: RoomSettings;
      /** The creator's seat (solo, or a host who plays). */
      readonly seat?: NewSeat;
      /** A classroom competition (mode `classroom`). */
      readonly classroom?: Omit<ClassroomSetup, "createdAt">;
      /** A challenge or the daily: the one surface every round plays (C5, D5). */
      readonly fixed?: FixedPlay;
    }
  | { readonly type: "join"; readonly at: number; readonly seat: NewSeat }
  | {
      readonly type: "resume";
      readonly at: number;
      readonly seatTokenHash: string;
      /** The seat the connection holds already, if any. */
      readonly holder: string | null;
      /** The connection was not attached to this room before. */
      readonly fresh: boolean;
    }
  | {
      readonly type: "attach";
      readonly at: number;
      readonly as: "spectator" | "host";
      /** Required for `host`. */
      readonly hostTokenHash?: string;
      /** The connection was not attached to this room before. */
      readonly fresh: boolean;
      /** The connection acted as host already. */
      readonly wasHost: boolean;
    }
  | {
      /** A connection went away: `leave` gives its seat up for good, else it starts its grace. */
      readonly type: "detach";
      readonly at: number;
      /** The seat the connection held (null: none, or it was taken over or kicked). */
      readonly playerId: string | null;
      /** The connection acted as host. */
      readonly host: boolean;
      readonly leave: boolean;
    }
  | {
      readonly type: "kick";
      readonly at: number;
      readonly hostTokenHash: string;
      readonly nickname: string;
    }
  | {
      readonly type: "rename";
      readonly at: number;
      readonly hostTokenHash: string;
      readonly nickname: string;
      readonly newNickname: string;
    }
  | {
      readonly type: "settings";
      readonly at: number;
      readonly hostTokenHash: string;
      readonly settings: RoomSettings;
    }
  | {
      readonly type: "start";
      readonly at: number;
      readonly hostTokenHash: string;
      readonly settings?: RoomSettings;
      /** The round's surface, picked by the runtime from {@link startSettings}' choice. */
      readonly surface: SurfaceRef;
      readonly seed: number;
      readonly roundId: string;
    }
  | {
      readonly type: "move";
      readonly at: number;
      /** The mover's seat (null: the connection holds none). */
      readonly playerId: string | null;
      /** Whether the connection acts as the host (for the refusal's message). */
      readonly asHost: boolean;
      readonly turn: number;
      readonly angle: number;
      readonly eta: number;
    }
  /** G1: the runtime looked the stored round up and made the ghost from its record. */
  | {
      readonly type: "ghostAdd";
      readonly at: number;
      readonly hostTokenHash: string;
      readonly ghost: RoomGhost;
    }
  | { readonly type: "ghostRemove"; readonly at: number; readonly hostTokenHash: string }
  | { readonly type: "pause"; readonly at: number; readonly hostTokenHash: string }
  | { readonly type: "unpause"; readonly at: number; readonly hostTokenHash: string }
  | {
      readonly type: "lock";
      readonly at: number;
      readonly hostTokenHash: string;
      readonly locked: boolean;
    }
  | { readonly type: "end"; readonly at: number; readonly hostTokenHash: string }
  | { readonly type: "timer"; readonly at: number; readonly id: TimerId }
  /** The first attempt to store round `roundNumber` ended (stored or not). */
  | { readonly type: "saveFinished"; readonly at: number; readonly roundNumber: number }
  /** Round `roundNumber` is stored under `id` (by whichever attempt). */
  | {
      readonly type: "stored";
      readonly at: number;
      readonly roundNumber: number;
      readonly id: string;
    }
  /**
   * R37: the room was rebuilt from its log by a server that (re)started at `at`: no connection is
   * attached any more, and the time the room spent down does not count against anyone.
   */
  | { readonly type: "restart"; readonly at: number }
  | {
      readonly type: "close";
      readonly at: number;
      readonly reason: RoomClosedReason;
      /** Required unless the server closes the room (`server-shutdown`). */
      readonly hostTokenHash?: string;
    };

/** What each action's acknowledgement carries when it succeeds. */
export interface RoomActionResults {
  create: { code: string };
  join: { playerId: string };
  resume: { playerId: string };
  attach: { code: string };
  detach: Record<never, never>;
  kick: Record<never, never>;
  rename: Record<never, never>;
  settings: { settings: RoomSettings };
  start: { roundNumber: number };
  move: { turn: number };
  ghostAdd: { ghost: GhostView };
  ghostRemove: Record<never, never>;
  pause: { paused: boolean };
  unpause: { paused: boolean };
  lock: { locked: boolean };
  end: Record<never, never>;
  timer: Record<never, never>;
  saveFinished: Record<never, never>;
  stored: Record<never, never>;
  restart: Record<never, never>;
  close: Record<never, never>;
}

/** One turn of a ghost: the stored move's direction and step, or null (it stayed, R6). */
export interface GhostMove {
  readonly angle: number;
  readonly eta: number;
}

/** A ghost in a room (G1): what the runtime looked up, checked and passed in with `ghostAdd`. */
export interface RoomGhost {
  /** How the host chose it (the one-click choice, or a replay's id). */
  readonly source: GhostSourceKind;
  /** The stored round it comes from (withheld from non-hosts until the reveal, G4). */
  readonly roundId: string;
  /** Its seat in that round. */
  readonly seat: number;
  /** The name it races under ("Ghost: Ann"). */
  readonly nickname: string;
  /** The stored round's surface, transform included: the room plays it exactly (G2). */
  readonly surface: SurfaceRef;
  /** The stored round's resolved settings (turns, η_max, hint, bot) (G2). */
  readonly settings: RoundSettings;
  /** One entry per turn of the stored round. */
  readonly moves: readonly (GhostMove | null)[];
}
