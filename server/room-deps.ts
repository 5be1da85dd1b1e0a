import type { RoundEnv } from "../lib/game";
import type { RoomMode, RoomSettings } from "../lib/protocol";
import type {
  CatalogEntry,
  ClassroomSetup,
  CompetitionSnapshot,
  FinishedRound,
  RoomLimits,
} from "../lib/room";
import type { SurfaceRef } from "../lib/surface-ref";
import type { Clock } from "./clock";
import type { Logger } from "./logger";
import type { RoomLog } from "./room-log";

/** What a room's runtime (server/room.ts) is given and gives back. */

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
  /**
   * The surface every round of this room plays, exactly (a challenge or the daily, docs/SPEC.md
   * C5, D5); absent: each round's surface is picked from the settings' choice.
   */
  readonly surface?: SurfaceRef;
  /** The durable log of accepted actions (R35), or absent (nothing outlives the process). */
  readonly log?: RoomLog;
  /** The room closed itself (empty, or closed by its host): forget it. */
  readonly onClosed: (room: { readonly code: string }) => void;
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
