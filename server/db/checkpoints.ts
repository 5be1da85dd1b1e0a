/**
 * WAL housekeeping for embedded PGlite, shared by the main thread (database.ts) and the database
 * thread (thread-data-layer.ts).
 */

/** What housekeeping needs of a PGlite, in the calling thread or through a PGliteThread. */
export interface PgliteSql {
  rows<R>(sql: string): Promise<R[]>;
  exec(sql: string): Promise<void>;
}

/** WAL bytes after which {@link walCheckpointer} checkpoints. */
export const CHECKPOINT_EVERY_BYTES = 64 * 1024 * 1024;

/**
 * A function that runs CHECKPOINT on a PGlite when at least {@link CHECKPOINT_EVERY_BYTES} of WAL
 * were written since the last time it did (the first call always checkpoints). Calls never
 * overlap.
 */
export function walCheckpointer(client: PgliteSql): () => Promise<void> {
  let last: bigint | null = null;
  let running: Promise<void> | null = null;
  const run = async () => {
    const rows = await client.rows<{ lsn: string }>(
      "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS lsn",
    );
    const lsn = BigInt(rows[0]?.lsn ?? "0");
    if (last !== null && lsn - last < CHECKPOINT_EVERY_BYTES) return;
    await client.exec("CHECKPOINT");
    last = lsn;
  };
  return () => {
    running ??= run().finally(() => (running = null));
    return running;
  };
}

/**
 * Writes between two WAL measurements by `Database.afterWrite`: a saved round writes far
 * less than 1 MB of WAL, so 16 of them cannot overshoot the 64 MB by much, and 15 saves in 16
 * skip a statement that would queue behind (and in front of) other rounds' saves.
 */
export const MEASURE_EVERY_WRITES = 16;

/** {@link walCheckpointer}, measuring on the first call and then on every nth. */
export function everyNth(check: () => Promise<void>, n: number): () => Promise<void> {
  let calls = 0;
  return () => (calls++ % n === 0 ? check() : Promise.resolve());
}
