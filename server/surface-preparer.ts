/**
 * A round's surface computed off the game's thread, ahead of its `round:start` (docs/SPEC.md
 * R31a). Resolving a procedural or transformed ref costs ~5 ms (the procedural build and the T8
 * start search): 100 rooms starting together would hold the event loop for half a second. Here
 * lib/surface-prep's `prepareSurface` runs in a worker_threads Worker (surface-worker.mjs, niced
 * like the database's thread), one job at a time, first come first served unless a start is
 * waiting for its job ({@link PreparedJob.hurry}); the main thread turns the plain-data result
 * into the surface with `rememberPreparedSurface` (microseconds, bit for bit `resolveSurface`'s).
 *
 * Nothing depends on it for correctness: a job that fails, runs past its budget or is cancelled
 * gives null, and the room then picks and computes its surface at the start, as without it.
 */
import { Worker } from "node:worker_threads";
import { rememberPreparedSurface } from "../lib/surface-ref";
import type { SurfacePreparation, SurfaceRef } from "../lib/surface-ref";
import type { Surface } from "../lib/types";
import type { Logger } from "./logger";
import { workerReady } from "./worker-ready";

/** Options of {@link SurfacePreparer}. */
export interface SurfacePreparerOptions {
  /** Longest one preparation may run before its thread is replaced. @default 5000 */
  readonly budgetMs?: number;
  /** Jobs waiting at most; more are refused at once (null: computed at the start). @default 10000 */
  readonly maxQueue?: number;
  /** The thread's niceness, 0 to 19. @default SURFACE_THREAD_NICE or 5 */
  readonly nice?: number;
  readonly logger?: Logger;
  /** Start the thread now rather than at the first job. @default false */
  readonly warm?: boolean;
}

/** One preparation: its outcome, and what its requester may do while it waits. */
export interface PreparedJob {
  /** The surface (now in lib's cache), or null: not prepared (failed, cancelled, closed). */
  readonly surface: Promise<Surface | null>;
  /**
   * Once {@link surface} has given a surface: the thread's lib/surface-prep `prepareSurface` of
   * the ref, which it was made from (plain data: the database's thread can rebuild the same
   * surface from it, without computing it again, when it replays the round to store it).
   */
  preparation(): SurfacePreparation | null;
  /** A round start waits for it: run it next. */
  hurry(): void;
  /** Not wanted any more: dropped if it has not started (null). */
  cancel(): void;
  /**
   * Whether the thread is up: waiting for this job then waits for the jobs ahead of it, not for
   * a thread to load (a cold thread takes a few hundred ms under tsx; a start does not wait that).
   */
  warm(): boolean;
}

/** Counters of the preparer (statistics, the benchmark, tests). */
export interface PreparerCounters {
  prepared: number;
  failed: number;
  cancelled: number;
  /** Milliseconds the thread spent preparing, in all. */
  threadMs: number;
}

interface Job {
  readonly id: number;
  readonly ref: SurfaceRef;
  readonly resolve: (surface: Surface | null) => void;
  /** Set just before `resolve` gives a surface. */
  prep: SurfacePreparation | null;
}

type Reply =
  | { readonly ready: true }
  | {
      readonly id: number;
      readonly ok: true;
      readonly prep: SurfacePreparation;
      readonly ms: number;
    }
  | { readonly id: number; readonly ok: false; readonly message: string };

function envNice(): number {
  const n = Number(process.env.SURFACE_THREAD_NICE ?? 5);
  return Number.isInteger(n) && n >= 0 && n <= 19 ? n : 5;
}

/** The surface preparation thread of one hub. The thread starts at the first job. */
export class SurfacePreparer {
  readonly counters: PreparerCounters = { prepared: 0, failed: 0, cancelled: 0, threadMs: 0 };
  private readonly budgetMs: number;
  private readonly maxQueue: number;
  private readonly nice: number;
  private readonly logger: Logger | undefined;
  private readonly queue: Job[] = [];
  private running: { job: Job; timer: ReturnType<typeof setTimeout> } | null = null;
  private worker: Worker | null = null;
  private ready: Promise<Worker> | null = null;
  private nextId = 1;
  private closed = false;
  /** Threads in a row that exited before they were ready; at 3 the preparer gives up. */
  private failedStarts = 0;
  private started = false;

  constructor(options: SurfacePreparerOptions = {}) {
    this.budgetMs = options.budgetMs ?? 5000;
    this.maxQueue = options.maxQueue ?? 10_000;
    this.nice = options.nice ?? envNice();
    this.logger = options.logger;
    if (options.warm) void this.start().catch(() => {});
  }

  /** Prepare the surface of a catalog or procedural ref (a formula or data ref gives null). */
  prepare(ref: SurfaceRef): PreparedJob {
    let resolve: (surface: Surface | null) => void = () => {};
    const surface = new Promise<Surface | null>((r) => (resolve = r));
    if (
      this.closed ||
      ref.kind === "formula" ||
      ref.kind === "data" ||
      this.queue.length >= this.maxQueue
    ) {
      resolve(null);
      return {
        surface,
        preparation: () => null,
        hurry: () => {},
        cancel: () => {},
        warm: () => false,
      };
    }
    const job: Job = { id: this.nextId++, ref, resolve, prep: null };
    this.queue.push(job);
    this.pump();
    return {
      surface,
      preparation: () => job.prep,
      hurry: () => {
        const at = this.queue.indexOf(job);
        if (at > 0) {
          this.queue.splice(at, 1);
          this.queue.unshift(job);
        }
      },
      cancel: () => {
        const at = this.queue.indexOf(job);
        if (at < 0) return;
        this.queue.splice(at, 1);
        this.counters.cancelled += 1;
        job.resolve(null);
      },
      warm: () => this.started,
    };
  }

  /** Jobs not finished yet (waiting or running). */
  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  /** Stop the thread; every job not finished gives null, later ones too. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.resolve(null);
    const running = this.running;
    this.running = null;
    if (running) {
      clearTimeout(running.timer);
      running.job.resolve(null);
    }
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    if (worker) await worker.terminate();
  }

  private start(): Promise<Worker> {
    if (this.ready) return this.ready;
    const worker = new Worker(new URL("./surface-worker.mjs", import.meta.url), {
      workerData: { nice: this.nice },
    });
    worker.unref();
    this.worker = worker;
    this.ready = workerReady(worker, "the surface thread").then(() => {
      this.failedStarts = 0;
      this.started = true;
      return worker;
    });
    // A start that never comes is handled by the exit below; the promise is not left unhandled.
    this.ready.catch(() => {});
    worker.on("message", (message: Reply) => {
      if ("id" in message) this.settle(worker, message);
    });
    worker.on("error", (error) => {
      this.logger?.error("the surface thread failed", { error: String(error) });
    });
    worker.on("exit", () => this.drop(worker));
    return this.ready;
  }

  private settle(worker: Worker, reply: Exclude<Reply, { ready: true }>): void {
    const running = this.running;
    if (this.worker !== worker || !running || running.job.id !== reply.id) return;
    clearTimeout(running.timer);
    this.running = null;
    let surface: Surface | null = null;
    if (reply.ok) {
      this.counters.threadMs += reply.ms;
      try {
        surface = rememberPreparedSurface(running.job.ref, reply.prep);
        running.job.prep = reply.prep;
        this.counters.prepared += 1;
      } catch (error) {
        this.counters.failed += 1;
        this.logger?.error("a prepared surface did not resolve", { error: String(error) });
      }
    } else {
      this.counters.failed += 1;
      this.logger?.warn("a surface could not be prepared", { message: reply.message });
    }
    running.job.resolve(surface);
    this.pump();
  }

  /** Forget a dead thread; its job gives null and the next job starts a new one. */
  private drop(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.ready = null;
    if (!this.started && ++this.failedStarts >= 3) {
      // It cannot load here: every round start computes its own surface, as without it.
      this.logger?.error("the surface thread does not start; round starts compute their surfaces");
      this.closed = true;
      for (const job of this.queue.splice(0)) job.resolve(null);
    }
    this.started = false;
    const running = this.running;
    this.running = null;
    if (running) {
      clearTimeout(running.timer);
      this.counters.failed += 1;
      running.job.resolve(null);
    }
    this.pump();
  }

  private pump(): void {
    if (this.running || this.closed) return;
    const job = this.queue.shift();
    if (!job) return;
    const timer = setTimeout(() => {
      // Past its budget: a fresh thread for the next job (this one gives null on exit).
      this.logger?.warn("a surface preparation ran past its budget", { budgetMs: this.budgetMs });
      void this.worker?.terminate();
    }, this.budgetMs);
    timer.unref();
    this.running = { job, timer };
    this.start().then(
      (worker) => {
        if (this.running?.job === job) worker.postMessage({ id: job.id, ref: job.ref });
      },
      () => {
        // The thread did not start: drop() gives this job null and tries the next.
      },
    );
  }
}

/**
 * The surface thread the environment asks for: on unless `SURFACE_THREAD=off` (false: every
 * round start computes its surface on the game's thread; for the benchmark's comparison).
 */
export function surfacePreparerFor(
  logger: Logger,
  env: Readonly<Record<string, string | undefined>> = process.env,
): SurfacePreparer | false {
  const setting = env.SURFACE_THREAD?.trim().toLowerCase();
  if (setting === "off") return false;
  if (setting !== undefined && setting !== "" && setting !== "on") {
    throw new Error(`SURFACE_THREAD must be "on" or "off", not "${env.SURFACE_THREAD}"`);
  }
  return new SurfacePreparer({ logger, warm: true });
}
