/**
 * The data layer inside the database thread (pglite-worker.mjs loads this module, through tsx,
 * on the first `saveRound` it is asked for). Saving a finished round is one message each way:
 * the validation, the replay, Prisma's query planning and every statement of the transaction
 * run next to PGlite (rounds that arrive during a save are stored together in the next one),
 * instead of the main thread planning each statement and the two threads
 * passing it back and forth while the transaction holds PGlite's lock.
 */
import type { PGlite } from "@electric-sql/pglite";
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import { everyNth, MEASURE_EVERY_WRITES, walCheckpointer } from "./checkpoints";
import { PrismaClient } from "./generated/client";
import type { SaveRoundInput } from "./inputs";
import { batchedRoundSaver } from "./round-batcher";
import { saveRounds } from "./save-round";
import type { Database, SaveRoundOptions, SaveRoundResult } from "./types";

/** What the database thread offers beyond single statements. */
export interface ThreadDataLayer {
  /** Start Prisma's engine (its query compiler is WebAssembly, instantiated on first use). */
  prepare(): Promise<void>;
  saveRound(input: SaveRoundInput, options?: SaveRoundOptions): Promise<SaveRoundResult>;
}

/** The data layer on `client` (this thread's PGlite) through `adapter` (its Prisma adapter). */
export function threadDataLayer(
  client: PGlite,
  adapter: SqlDriverAdapter,
  label: string,
): ThreadDataLayer {
  const prisma = new PrismaClient({
    adapter: {
      provider: adapter.provider,
      adapterName: adapter.adapterName,
      connect: async () => adapter,
    },
  });
  const checkpoints = walCheckpointer({
    rows: async <R>(sql: string) => (await client.query<R>(sql)).rows,
    exec: async (sql) => void (await client.exec(sql)),
  });
  const db: Database = {
    kind: "pglite",
    label,
    prisma,
    migrate: () => Promise.reject(new Error("migrations run from the main thread")),
    afterWrite: everyNth(checkpoints, MEASURE_EVERY_WRITES),
    close: () => prisma.$disconnect(),
  };
  return {
    prepare: () => prisma.$connect(),
    // One batch at a time, each in a task of its own: the rounds that arrive during a save go
    // together in the next transaction (issue 15), and the queries that arrived go between.
    saveRound: batchedRoundSaver((rounds) => saveRounds(db, rounds)),
  };
}
