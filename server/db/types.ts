/**
 * The data layer's shared types: what an open database is and what saving a round returns. Types
 * only, so every module of server/db can name them without importing another's code (the modules
 * form no import cycle; tests/db/import-graph.test.ts checks it).
 */
import type { SurfacePreparation } from "../../lib/surface-ref";
import type { DatabaseConfig } from "./config";
import type { PrismaClient } from "./generated/client";
import type { SaveRoundInput } from "./inputs";

/** What {@link saveRound} did. */
export interface SaveRoundResult {
  /** `saved`: stored now; `duplicate`: a round with this id was already stored (a retry). */
  readonly status: "saved" | "duplicate";
  readonly id: string;
}

/** One row of a live room's log (server/db/room-log.ts). */
export interface RoomLogRow {
  readonly roomCode: string;
  /** 0 for the room's `create`, then 1, 2, … */
  readonly seq: number;
  /** The action as JSON text. */
  readonly action: string;
}

/** Options of `saveRound`. */
export interface SaveRoundOptions {
  /** Longest wait for the transaction to start, then longest run, in ms. @default 10000 */
  readonly timeoutMs?: number;
  /**
   * The round's surface as the game server's surface thread prepared it (docs/SPEC.md R31a:
   * lib/surface-prep's `prepareSurface` of the record's surface ref, nothing else): the replay
   * that checks the round then uses it instead of computing the surface again (~5 ms a round in
   * the database's thread). Where the surface is cached already it changes nothing.
   */
  readonly surface?: SurfacePreparation;
}

/** Options of {@link Database.migrate}. */
export interface MigrateOptions {
  /** The migrations folder. @default prisma/migrations */
  readonly migrationsDir?: string;
  /** The schema file handed to the engine. @default prisma/schema.prisma */
  readonly schemaPath?: string;
}

/** What {@link Database.migrate} did. */
export interface MigrateResult {
  /** Migrations applied by this call, in order (empty when the database was up to date). */
  readonly applied: readonly string[];
}

/** An open database: a Prisma client plus what the migrations need. */
export interface Database {
  /** Which backend this is. */
  readonly kind: DatabaseConfig["kind"];
  /** For messages: "PGlite in /path" or "PostgreSQL at host:port/db (schema s)"; no secrets. */
  readonly label: string;
  /** The Prisma client (every query of the data layer goes through it). */
  readonly prisma: PrismaClient;
  /** Apply the pending migrations of `prisma/migrations` (offline). */
  migrate(options?: MigrateOptions): Promise<MigrateResult>;
  /**
   * Housekeeping after writes; the data layer calls it after each saved round. PGlite: a
   * CHECKPOINT once 64 MB of WAL have accumulated since the last one (PGlite 0.4.3 hangs in the
   * automatic checkpoint PostgreSQL requests after ~0.5 GB of WAL, so it must never come to
   * that), measured on every 16th call (and every minute). PostgreSQL: nothing.
   */
  afterWrite(): Promise<void>;
  /**
   * Embedded PGlite in its own thread (the default): `saveRound` run entirely in that thread,
   * next to the database (see thread-data-layer.ts); same result and errors as
   * `saveRound(db, input, options)`. Undefined otherwise: call `saveRound(db, …)`.
   */
  readonly saveRoundInThread?: (
    input: SaveRoundInput,
    options?: SaveRoundOptions,
  ) => Promise<SaveRoundResult>;
  /**
   * Embedded PGlite in a folder, in its own thread (the default): the live rooms' log in a SQLite
   * file of its own next to the folder (docs/SPEC.md R35a), so that an append (a move waiting for
   * its acknowledgement) never waits for a round's save, which holds the main database's one
   * connection for its whole transaction. server/db/room-log.ts is its only user. Undefined
   * otherwise: the log is the main database's RoomLogEntry table, through Prisma.
   */
  readonly roomLogStore?: EmbeddedRoomLog;
  /** Close the client and the connection(s). */
  close(): Promise<void>;
}

/** A room and one of its entries: a log row's key. */
export interface RoomLogKey {
  readonly roomCode: string;
  readonly seq: number;
}

/** The room log's own store ({@link Database.roomLogStore}, R35a): its one table's operations. */
export interface EmbeddedRoomLog {
  /** For messages: "SQLite in /path-room-log.sqlite". */
  readonly label: string;
  /** Append `rows` (all or none); a key that exists already is an error (R36). */
  append(rows: readonly RoomLogRow[]): Promise<void>;
  /** Append the rows whose key is not stored yet (moving an older version's rows); how many. */
  appendMissing(rows: readonly RoomLogRow[]): Promise<number>;
  /** Every room's rows (by room, then `seq`), or one room's (by `seq`). */
  rows(roomCode?: string): Promise<RoomLogRow[]>;
  /** The stored rows among `keys`. */
  find(keys: readonly RoomLogKey[]): Promise<RoomLogRow[]>;
  /** The codes of the rooms that have a log. */
  codes(): Promise<string[]>;
  exists(roomCode: string): Promise<boolean>;
  /** Delete a room's rows; how many. */
  delete(roomCode: string): Promise<number>;
}
