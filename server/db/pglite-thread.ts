/**
 * Embedded PGlite on its own thread. PGlite is PostgreSQL compiled to WebAssembly: every query
 * runs synchronously on the thread that calls it (a saved round costs ~10 ms of CPU in the WASM
 * and the wire-protocol parsing). In the server's main thread that stalls every room at once
 * when many rounds finish together; here PGlite and its Prisma adapter (pglite-prisma-adapter)
 * live in a worker_threads Worker (pglite-worker.mjs) and the main thread gets a
 * {@link SqlDriverAdapter} that forwards each call as a message. Prisma, the query compiler and
 * the data layer are unchanged; a statement's errors come back as the same DriverAdapterError
 * (so P2002 and friends still work).
 *
 * Transactions keep PGlite's semantics: the worker's adapter holds PGlite's transaction lock
 * from `startTransaction` to `commit`/`rollback`, so other statements wait, as they would
 * in-process. A commit is acknowledged only after PGlite has executed COMMIT (durability is
 * unchanged: PGlite writes its files from the worker exactly as it did from the main thread).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { DriverAdapterError } from "@prisma/driver-adapter-utils";
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlQuery,
  SqlResultSet,
  Transaction,
  TransactionOptions,
} from "@prisma/driver-adapter-utils";
import { DataError } from "./inputs";
import type { DataErrorCode, SaveRoundInput } from "./inputs";
import type { SaveRoundOptions, SaveRoundResult } from "./types";

/** An error as the worker sends it. */
type WireError =
  | { readonly driver: ConstructorParameters<typeof DriverAdapterError>[0] }
  | { readonly message: string; readonly name?: string; readonly code?: string };

type Reply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: WireError };

function rebuildError(error: WireError): Error {
  if ("driver" in error) return new DriverAdapterError(error.driver);
  // The data layer's "retrying cannot help" error keeps its class and code.
  if (error.name === "DataError" && error.code) {
    return new DataError(error.code as DataErrorCode, error.message);
  }
  const rebuilt = new Error(error.message);
  if (error.name) rebuilt.name = error.name;
  if (error.code) (rebuilt as Error & { code?: string }).code = error.code;
  return rebuilt;
}

/**
 * The database thread's niceness (0 to 19; default 5): PGLITE_THREAD_NICE. When the machine is
 * busy, the game's thread gets the core first; a save waits a little longer, a turn does not.
 */
function threadNice(): number {
  const n = Number(process.env.PGLITE_THREAD_NICE ?? 5);
  return Number.isInteger(n) && n >= 0 && n <= 19 ? n : 5;
}

/** The worker's adapter name (the one pglite-prisma-adapter reports). */
const ADAPTER_NAME = "pglite-prisma-adapter";

/** PGlite running in a worker thread. */
export class PGliteThread {
  private readonly worker: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private nextId = 1;
  /** Set once the worker has exited or failed: every later call rejects with it. */
  private dead: Error | null = null;

  private constructor(
    worker: Worker,
    private readonly label: string,
  ) {
    this.worker = worker;
    worker.on("message", (reply: Reply) => this.settle(reply));
    worker.on("error", (error) => this.die(error));
    worker.on("exit", (code) =>
      this.die(new Error(`the database thread (${label}) exited with code ${code}`)),
    );
  }

  /**
   * Start the thread and open PGlite on `dataDir` (null: in memory). Rejects with PGlite's error
   * when the database cannot be opened. `nice`: the thread's niceness (default PGLITE_THREAD_NICE).
   */
  static async open(
    dataDir: string | null,
    label: string,
    options: { readonly nice?: number } = {},
  ): Promise<PGliteThread> {
    const nice = options.nice ?? threadNice();
    if (dataDir !== null && !existsSync(join(dataDir, "PG_VERSION"))) {
      await PGliteThread.create(dataDir, label);
    }
    return PGliteThread.start(dataDir, label, nice);
  }

  /**
   * Create a new database folder (PGlite's initdb, ~5–8 s of CPU) and close it. initdb leaves
   * ~400 MB resident in the thread that ran it (freed by the main thread's later allocations when
   * PGlite ran there, never in an idle worker), so it runs in a throw-away thread and `open`
   * opens the folder again in a fresh one.
   */
  static async create(dataDir: string, label: string): Promise<void> {
    await (await PGliteThread.start(dataDir, label, threadNice())).close();
  }

  private static async start(
    dataDir: string | null,
    label: string,
    nice: number,
  ): Promise<PGliteThread> {
    const worker = new Worker(new URL("./pglite-worker.mjs", import.meta.url), {
      workerData: { dataDir, nice, label },
    });
    const thread = new PGliteThread(worker, label);
    // Message 0 is the worker's "opened" (or its failure).
    const opened = new Promise<unknown>((resolve, reject) =>
      thread.pending.set(0, { resolve, reject }),
    );
    thread.worker.ref();
    try {
      await opened;
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    thread.idle();
    return thread;
  }

  private settle(reply: Reply): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(rebuildError(reply.error));
    this.idle();
  }

  private die(error: Error): void {
    this.dead ??= error;
    for (const waiter of this.pending.values()) waiter.reject(this.dead);
    this.pending.clear();
  }

  /** The worker keeps the process alive only while a call is pending (like a socket would). */
  private idle(): void {
    if (this.pending.size === 0) this.worker.unref();
  }

  /** Send one operation and wait for its result. */
  call<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.ref();
      this.worker.postMessage({ id, op, ...args });
    });
  }

  /** Plain SQL (housekeeping): rows as objects. */
  query<R>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return this.call<R[]>("query", { sql, params });
  }

  /** Statements without results. */
  async exec(sql: string): Promise<void> {
    await this.call("exec", { sql });
  }

  /**
   * `saveRound` (save-round.ts) run entirely in the thread: one message each way, and none of its
   * validation, replay, query planning or SQL in the calling thread.
   */
  saveRound(input: SaveRoundInput, options?: SaveRoundOptions): Promise<SaveRoundResult> {
    return this.call<SaveRoundResult>("saveRound", { input, options });
  }

  /**
   * Load the thread's data layer now rather than on the first save (which would pay for loading
   * and compiling it while other rounds' saves queue behind it). Failures surface on that save.
   */
  prepare(): void {
    this.call("prepare").catch(() => {});
  }

  /** A Prisma driver adapter whose every call runs in the thread. */
  adapter(): SqlDriverAdapter {
    const call = this.call.bind(this);
    const provider = "postgres" as const;
    return {
      provider,
      adapterName: ADAPTER_NAME,
      queryRaw: (query: SqlQuery) => call<SqlResultSet>("queryRaw", { query }),
      executeRaw: (query: SqlQuery) => call<number>("executeRaw", { query }),
      executeScript: async (script: string) => void (await call("executeScript", { script })),
      startTransaction: async (isolationLevel?: IsolationLevel): Promise<Transaction> => {
        const { id, options } = await call<{ id: number; options: TransactionOptions }>(
          "startTransaction",
          { isolationLevel },
        );
        return {
          provider,
          adapterName: ADAPTER_NAME,
          options,
          queryRaw: (query: SqlQuery) => call<SqlResultSet>("queryRaw", { query, tx: id }),
          executeRaw: (query: SqlQuery) => call<number>("executeRaw", { query, tx: id }),
          commit: async () => void (await call("commit", { tx: id })),
          rollback: async () => void (await call("rollback", { tx: id })),
        };
      },
      getConnectionInfo: () => ({ supportsRelationJoins: true }),
      dispose: async () => {},
    };
  }

  /** Close PGlite (waits for statements in flight) and stop the thread. */
  async close(): Promise<void> {
    if (!this.dead) {
      try {
        await this.call("close");
      } finally {
        this.dead = new Error(`the database (${this.label}) is closed`);
        await this.worker.terminate();
      }
    }
  }
}
