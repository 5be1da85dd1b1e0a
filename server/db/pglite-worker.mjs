// The embedded database's thread: PGlite (PostgreSQL compiled to WASM, which runs every query
// synchronously on the thread that calls it) and its Prisma driver adapter, in a worker_threads
// Worker, so a saved round never stalls the game server's event loop. server/db/pglite-thread.ts
// starts it and speaks to it; plain JavaScript so that it loads the same way under tsx, Vitest
// and plain Node.
//
// Messages from the parent: { id, op, ...arguments }. Replies: { id, ok: true, value } or
// { id, ok: false, error }, where error is { driver: cause } for a DriverAdapterError (the parent
// rebuilds it, so Prisma maps it to P2002 etc. as before) or { message, name, code }.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";

/** @type {{ dataDir: string | null, nice: number, label: string }} */
const { dataDir, nice, label } = workerData;

// A lower priority than the game's thread (Linux: niceness is per thread): when the two compete
// for a core, waking this thread for a query must not preempt the thread that serves the rooms.
if (nice > 0) {
  try {
    setPriority(Number(readlinkSync("/proc/thread-self").split("/").pop()), nice);
  } catch {
    // not Linux, or not allowed: same priority as the main thread
  }
}

/** @param {unknown} error */
function serialiseError(error) {
  if (
    error &&
    typeof error === "object" &&
    error.name === "DriverAdapterError" &&
    "cause" in error
  ) {
    return { driver: error.cause };
  }
  if (error instanceof Error) {
    const code = /** @type {{ code?: unknown }} */ (error).code;
    return {
      message: error.message,
      name: error.name,
      code: typeof code === "string" ? code : undefined,
    };
  }
  return { message: String(error), name: "Error" };
}

/** @type {Promise<import("./thread-data-layer.ts").ThreadDataLayer> | null} */
let dataLayer = null;

/** The data layer in this thread (TypeScript, loaded through tsx on first use). */
function loadDataLayer() {
  dataLayer ??= (async () => {
    const { register } = await import("tsx/esm/api");
    register();
    const { threadDataLayer } = await import("./thread-data-layer.ts");
    return threadDataLayer(client, adapter, label);
  })();
  return dataLayer;
}

let client;
let adapter;
try {
  client = await PGlite.create(dataDir ? { dataDir } : {});
  await client.query("SELECT 1");
  adapter = await new PrismaPGlite(client).connect();
  parentPort.postMessage({ id: 0, ok: true, value: null });
} catch (error) {
  parentPort.postMessage({ id: 0, ok: false, error: serialiseError(error) });
  // Nothing else to do: the parent terminates this worker.
}

/** Open transactions by id: the adapter's Transaction objects. */
const transactions = new Map();
let nextTransaction = 1;

function transaction(id) {
  const tx = transactions.get(id);
  if (!tx) throw new Error(`no open transaction ${id}`);
  return tx;
}

const ops = {
  queryRaw: ({ query, tx }) => (tx ? transaction(tx) : adapter).queryRaw(query),
  executeRaw: ({ query, tx }) => (tx ? transaction(tx) : adapter).executeRaw(query),
  // The adapter's own executeScript does not wait for the script; this one does.
  executeScript: async ({ script }) => {
    await client.exec(script);
    return null;
  },
  startTransaction: async ({ isolationLevel }) => {
    const tx = await adapter.startTransaction(isolationLevel);
    const id = nextTransaction++;
    transactions.set(id, tx);
    return { id, options: tx.options };
  },
  commit: async ({ tx }) => {
    const t = transaction(tx);
    transactions.delete(tx);
    await t.commit();
    return null;
  },
  rollback: async ({ tx }) => {
    const t = transaction(tx);
    transactions.delete(tx);
    await t.rollback();
    return null;
  },
  // Plain SQL for housekeeping (checkpoints, advisory locks): rows as objects.
  query: async ({ sql, params }) => (await client.query(sql, params ?? [])).rows,
  exec: async ({ sql }) => {
    await client.exec(sql);
    return null;
  },
  // One batch of saves at a time (thread-data-layer.ts): PGlite runs one transaction at a time
  // anyway, and every query waits for the transactions queued before it, so with 100 rounds
  // finishing together any other query (a leaderboard, a challenge; the room log's appends before
  // they got a database of their own, R35a) would wait for all 100 saves. Queued in the data
  // layer, the saves leave PGlite's queue to the other queries, which then wait for at most the
  // batch in progress; the rounds that arrive meanwhile are stored together in the next batch,
  // one transaction for up to 16 (issue 15).
  //
  // Each batch starts in a task of its own (setImmediate): PGlite answers its queries within
  // microtasks, so a chain of saves would otherwise run back to back without this thread ever
  // reading its messages, and a query waiting behind them would wait for every one (measured for
  // the room log's appends: 140 ms at 100 rounds finishing together). Between two batches, the
  // queries that arrived go first.
  saveRound: async ({ input, options }) => (await loadDataLayer()).saveRound(input, options),
  // Load (and compile) the data layer ahead of the first save, which would otherwise pay for it
  // while every other finished round queues behind it.
  prepare: async () => {
    await (await loadDataLayer()).prepare();
    return null;
  },
  close: async () => {
    await client.close();
    return null;
  },
};

parentPort.on("message", (message) => {
  const { id, op } = message;
  const run = ops[op];
  Promise.resolve()
    .then(() => {
      if (!run) throw new Error(`unknown operation ${op}`);
      if (!adapter) throw new Error("the database did not open");
      return run(message);
    })
    .then(
      (value) => parentPort.postMessage({ id, ok: true, value }),
      (error) => parentPort.postMessage({ id, ok: false, error: serialiseError(error) }),
    );
});
