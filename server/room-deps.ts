import type { RoundEnv } from "../lib/game";
import { surfaceInstanceKey } from "../lib/surface-ref";
import type { SurfacePreparation, SurfaceRef } from "../lib/surface-ref";
import type { Surface } from "../lib/types";
import type { AckResponse, RoomMode, RoomSettings } from "../lib/protocol";
import type {
  CatalogEntry,
  ClassroomSetup,
  CompetitionSnapshot,
  FinishedRound,
  FixedPlay,
  RoomEnv,
  RoomLimits,
} from "../lib/room";
import type { Clock } from "./clock";
import type { Logger } from "./logger";
import type { RoomLog } from "./room-log";
import type { PreparedJob } from "./surface-preparer";

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
  /** R31a: round starts that played a surface prepared off the thread. */
  surfacesPrepared: number;
  /** Round starts that picked and computed their surface then (not prepared, or not ready). */
  surfacesAtStart: number;
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
   * retrying a failed save in the background and calls `onStored` once it is stored. `surface`:
   * the round's surface as prepared ahead (R31a) when the room has it, so the store need not
   * compute the surface again to replay the round.
   */
  readonly saveRound: (
    round: FinishedRound,
    surface: SurfacePreparation | undefined,
    onStored?: () => void,
  ) => Promise<boolean>;
  /** The durable log of accepted actions (R35), or absent (nothing outlives the process). */
  readonly log?: RoomLog;
  /**
   * R31a: where the next round's surface is computed ahead, off this thread; absent: every
   * round start computes its own (a custom rules environment, tests).
   */
  readonly preparer?: { prepare(ref: SurfaceRef): PreparedJob };
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
  /** A challenge's or the daily's room: the surface every round plays, and its tag (C5, D5). */
  readonly fixed?: FixedPlay;
}

/** An acknowledgement now, or once the action it answers is durable (R35). */
export type Acked<T extends object> = AckResponse<T> | Promise<AckResponse<T>>;

/** `f` of an acknowledgement, now or once it comes. */
export function mapAck<T extends object, U extends object>(
  ack: Acked<T>,
  f: (ack: AckResponse<T>) => AckResponse<U>,
): Acked<U> {
  return ack instanceof Promise ? ack.then(f) : f(ack);
}

/**
 * The rules' environment for one room: the hub's, with the room's surfaces cached here, so a turn
 * never re-generates a procedural surface (lib's shared cache is small and may be cleared by
 * other rooms).
 */
export function roomEnv(deps: RoomDeps): RoomRuntimeEnv {
  const surfaces = new Map<string, Surface>();
  // The round's ref is one object for the whole round (the state shares it from action to
  // action): most calls are answered by identity, without building the key.
  let last: { ref: SurfaceRef; surface: Surface } | null = null;
  // A few at most: this round's, the prepared next one's, a replay's.
  const keep = (key: string, surface: Surface): void => {
    if (surfaces.size >= 4) surfaces.clear();
    surfaces.set(key, surface);
  };
  return {
    catalog: deps.catalog,
    limits: deps.limits,
    resolveSurface: (ref: SurfaceRef): Surface => {
      if (last?.ref === ref) return last.surface;
      const key = surfaceInstanceKey(ref);
      let surface = surfaces.get(key);
      if (!surface) {
        surface = deps.env.resolveSurface(ref);
        keep(key, surface);
      }
      last = { ref, surface };
      return surface;
    },
    remember: (ref: SurfaceRef, surface: Surface): void => keep(surfaceInstanceKey(ref), surface),
  };
}

/** A room's rules environment, which can also be told a surface made elsewhere (R31a). */
export interface RoomRuntimeEnv extends RoomEnv {
  /** `ref` resolves to `surface` (prepared off the thread: bit for bit the same). */
  remember(ref: SurfaceRef, surface: Surface): void;
}
