import type { RoomAction } from "../lib/room";
import type { Clock } from "./clock";
import { appendRoomLog, deleteRoomLog, roomLogRowsPresent } from "./db/room-log";
import type { RoomLogRow } from "./db/room-log";
import type { Database } from "./db/types";
import { LatencyHistogram } from "./histogram";
import type { LatencySummary } from "./histogram";
import type { Logger } from "./logger";

/**
 * The durable log of the live rooms (docs/SPEC.md R35): a room appends every action it accepted
 * and acknowledges it only once the append is durable. Appends made in one event-loop tick are
 * written together, in one statement (a class of sixty moving in the same second costs one write,
 * not sixty), and so is everything appended while a write is in flight; a failed write is
 * retried, in order, until it succeeds, so an acknowledged action is never lost and a later one
 * never lands before an earlier one. A store that writes synchronously on this thread (the
 * embedded log's SQLite file, R35a) is written at the end of the current task instead: see
 * {@link RoomLogStore.synchronous}.
 */
export interface RoomLog {
  /** Append `action` as room `code`'s entry `seq`; resolves once it is durable. */
  append(code: string, seq: number, action: RoomAction): Promise<void>;
  /** Delete a closed room's log (R39). */
  compact(code: string): Promise<void>;
  /** Resolves once every append made so far is durable. */
  flush(): Promise<void>;
  /** What the log has cost so far (/healthz, the benchmark). */
  stats?(): RoomLogStats;
}

/** Statistics of a {@link GroupCommitLog}. */
export interface RoomLogStats {
  /** Writes that succeeded, the rows they held, failed attempts (each retried). */
  writes: number;
  rows: number;
  failures: number;
  /** One write's time in the store (the database's statement, including its wait there). */
  write: LatencySummary;
  /** An append's time until it is durable: waiting for the write in flight, then its own. */
  durable: LatencySummary;
}

/** Where the log's rows go (server/db/room-log.ts on the open database). */
export interface RoomLogStore {
  append(rows: readonly RoomLogRow[]): Promise<void>;
  delete(code: string): Promise<unknown>;
  /** Whether every row is stored already, as it is (a write whose reply was lost succeeded). */
  present?(rows: readonly RoomLogRow[]): Promise<boolean>;
  /**
   * The store writes on this thread, synchronously, with no round trip (SQLite, R35a): the
   * appends of the current task (one socket message, one timer) are written as soon as it ends
   * (a microtask) rather than after the tick's pending I/O. Waiting for the tick would hold each
   * acknowledgement, and the turn's result behind it, for every other message that arrived in
   * the same poll: with 60-player rooms that wait, not the write, was the log's cost (bench:rooms,
   * README). A transaction there costs tens of microseconds, so writing per task costs little.
   * @default false: a store with a round trip groups the whole tick's appends in one write
   */
  readonly synchronous?: boolean;
}

interface Pending {
  readonly row: RoomLogRow;
  readonly done: () => void;
  /** `clock.now()` when appended. */
  readonly at: number;
}

/** Options of {@link GroupCommitLog}. */
export interface GroupCommitOptions {
  /** First retry delay after a failed write; doubles up to `maxRetryMs`. @default 200 */
  readonly retryMs?: number;
  /** @default 5000 */
  readonly maxRetryMs?: number;
  /**
   * R42, several nodes: whether this node still holds room `code`'s lease. The entries of a room
   * it lost are never written (nor acknowledged): the room's new node writes its log now.
   * @default every room
   */
  readonly owns?: (code: string) => boolean;
}

/** A {@link RoomLog} that group-commits each tick's appends to a {@link RoomLogStore}. */
export class GroupCommitLog implements RoomLog {
  private queue: Pending[] = [];
  private writing: Promise<void> | null = null;
  private scheduled = false;
  private failures = 0;
  private readonly counts = { writes: 0, rows: 0, failures: 0 };
  private readonly writeMs = new LatencyHistogram();
  private readonly durableMs = new LatencyHistogram();

  constructor(
    private readonly store: RoomLogStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: GroupCommitOptions = {},
  ) {}

  append(code: string, seq: number, action: RoomAction): Promise<void> {
    return new Promise<void>((done) => {
      const row = { roomCode: code, seq, action: JSON.stringify(action) };
      this.queue.push({ row, done, at: this.clock.now() });
      this.schedule();
    });
  }

  stats(): RoomLogStats {
    return {
      ...this.counts,
      write: this.writeMs.summary(),
      durable: this.durableMs.summary(),
    };
  }

  async compact(code: string): Promise<void> {
    // After every append of the room: its `close` must not land after the delete.
    await this.flush();
    try {
      await this.store.delete(code);
    } catch (error) {
      this.logger.warn("compacting a room's log failed (it is retried at the next start)", {
        room: code,
        error: String(error),
      });
    }
  }

  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.writing) {
      if (this.writing) await this.writing;
      else await new Promise<void>((resolve) => this.clock.defer(resolve));
    }
  }

  private schedule(): void {
    if (this.scheduled || this.writing) return;
    this.scheduled = true;
    const start = () => {
      this.scheduled = false;
      this.writing = this.write().finally(() => {
        this.writing = null;
        if (this.queue.length > 0) this.schedule();
      });
    };
    // A synchronous store: when the current task ends (its appends together). Otherwise at the
    // end of this tick, after pending I/O: every append the tick's events made goes in one write.
    if (this.store.synchronous) queueMicrotask(start);
    else this.clock.defer(start);
  }

  private async write(): Promise<void> {
    let batch = this.queue;
    this.queue = [];
    const owns = this.options.owns;
    for (;;) {
      // R42: a room this node lost is written by its new owner (a stale entry would clash there).
      if (owns) batch = batch.filter((p) => owns(p.row.roomCode));
      if (batch.length === 0) {
        this.failures = 0;
        return;
      }
      const rows = batch.map((p) => p.row);
      const started = this.clock.now();
      try {
        await this.store.append(rows);
        this.writeMs.record(this.clock.now() - started);
        break;
      } catch (error) {
        // A retry of a write that did commit (its reply was lost) fails on the key: it is done.
        if (this.failures > 0 && (await this.store.present?.(rows).catch(() => false))) break;
        this.counts.failures += 1;
        this.failures += 1;
        const delay = Math.min(
          (this.options.retryMs ?? 200) * 2 ** (this.failures - 1),
          this.options.maxRetryMs ?? 5_000,
        );
        if (this.failures === 1 || this.failures % 10 === 0) {
          this.logger.error("writing the room log failed; retrying (nothing is acknowledged)", {
            rows: batch.length,
            attempt: this.failures,
            error: error instanceof Error ? error.message : String(error),
          });
        }
        await new Promise<void>((resolve) => this.clock.setTimeout(resolve, delay));
      }
    }
    if (this.failures > 0) this.logger.info("the room log is writable again", {});
    this.failures = 0;
    this.counts.writes += 1;
    this.counts.rows += batch.length;
    const now = this.clock.now();
    for (const pending of batch) {
      this.durableMs.record(now - pending.at);
      pending.done();
    }
  }
}

/**
 * The room log the environment asks for on `db`: on unless `ROOM_LOG=off` (which exists for the
 * benchmark's comparison: with it off a crash loses every live room).
 */
export function roomLogFor(
  db: Database,
  clock: Clock,
  logger: Logger,
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: GroupCommitOptions = {},
): GroupCommitLog | undefined {
  const setting = env.ROOM_LOG?.trim().toLowerCase();
  if (setting === "off") return undefined;
  if (setting !== undefined && setting !== "" && setting !== "on") {
    throw new Error(`ROOM_LOG must be "on" or "off", not "${env.ROOM_LOG}"`);
  }
  return new GroupCommitLog(
    {
      append: async (rows) => {
        await appendRoomLog(db, rows);
        // In the main database, the log's WAL counts like a saved round's (PGlite checkpoints
        // before it piles up); the log's own database (R35a) sees to its WAL itself.
        if (!db.roomLogStore) void db.afterWrite().catch(() => {});
      },
      delete: (code) => deleteRoomLog(db, code),
      present: (rows) => roomLogRowsPresent(db, rows),
      synchronous: db.roomLogStore !== undefined,
    },
    clock,
    logger,
    options,
  );
}

/** A room's log rows (in `seq` order) as the actions they hold, or why they are not a log. */
export function parseLogRows(rows: readonly RoomLogRow[]): unknown[] | string {
  const actions: unknown[] = [];
  for (const [index, row] of rows.entries()) {
    if (row.seq !== index) return `entry ${index} is missing (found seq ${row.seq})`;
    try {
      actions.push(JSON.parse(row.action));
    } catch {
      return `entry ${index} is not JSON`;
    }
  }
  return actions;
}
