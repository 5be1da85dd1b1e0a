/**
 * The analysis of a host's formula surface off the main thread (docs/SPEC.md F7). Checking a
 * formula (lib/surfaces/formula's `analyseFormula`: parse, derive, compile, the finite grid, the
 * central differences, the minimum search) takes from ~10 ms to seconds for a long one: run on the
 * game's thread it would stall every room. Here it runs in a worker_threads Worker
 * (formula-worker.mjs), one job at a time, with a time budget: a job past its budget is refused
 * and its worker terminated (a fresh one starts for the next job). The main thread then only
 * compiles the accepted formula (F1 bounds its derivatives, so a few ms) and puts the surface in
 * lib's cache, so the rules resolve the ref without checking it again.
 */
import { Worker } from "node:worker_threads";
import { ackError, ErrorCode } from "../lib/protocol";
import type { AckFailure, FormulaPreview } from "../lib/protocol";
import { rememberFormulaSurface, surfaceRefKey } from "../lib/surface-ref";
import type { SurfaceRef } from "../lib/surface-ref";
import { formulaDifficulty } from "../lib/surfaces/formula";
import type { FormulaAnalysis, FormulaSpec } from "../lib/surfaces/formula";
import type { Surface } from "../lib/types";
import type { Logger } from "./logger";
import { workerReady } from "./worker-ready";

/** A formula ref. */
export type FormulaRef = Extract<SurfaceRef, { kind: "formula" }>;

/** Options of {@link FormulaAnalyser}. */
export interface FormulaAnalyserOptions {
  /** Longest an analysis may run (F7). @default FORMULA_BUDGET_MS or 1500 */
  readonly budgetMs?: number;
  /** Jobs waiting at most; more are refused (RATE_LIMITED). @default 8 */
  readonly maxQueue?: number;
  readonly logger?: Logger;
  /**
   * Start the thread now rather than at the first formula (it loads mathjs under tsx: seconds
   * on a busy machine). @default false
   */
  readonly warm?: boolean;
}

/** An accepted formula: its surface (now in lib's cache) and how long the analysis took. */
export interface FormulaAccepted {
  readonly ok: true;
  readonly ref: FormulaRef;
  readonly surface: Surface;
  readonly ms: number;
}

type Outcome =
  | { readonly ok: true; readonly analysis: FormulaAnalysis; readonly ms: number }
  | {
      readonly ok: false;
      readonly message: string;
      readonly cache: boolean;
      /** Not the formula's fault: refused with this code, the message as is. */
      readonly code?: "INTERNAL_ERROR" | "RATE_LIMITED";
    };

interface Job {
  readonly id: number;
  readonly spec: FormulaSpec;
  readonly budgetMs: number;
  readonly resolve: (outcome: Outcome) => void;
}

const CACHE_SIZE = 128;

function defaultBudget(): number {
  const n = Number(process.env.FORMULA_BUDGET_MS ?? 1500);
  return Number.isFinite(n) && n > 0 ? n : 1500;
}

/** The formula's ref, as lib names it (the box copied, so the caller's arrays are not kept). */
export function formulaRef(spec: FormulaSpec): FormulaRef {
  return {
    kind: "formula",
    text: spec.text,
    box: { min: [spec.box.min[0], spec.box.min[1]], max: [spec.box.max[0], spec.box.max[1]] },
  };
}

/** F8: the host's read-out of a formula surface for a round of `turns` turns. */
export function formulaPreview(surface: Surface, turns: number): FormulaPreview {
  const d = formulaDifficulty(surface, turns);
  return {
    botFinalLoss: d.botFinalLoss,
    startLoss: d.startLoss,
    minimumLoss: d.minimumLoss,
    distance: d.distance,
    start: [surface.start[0], surface.start[1]],
  };
}

/** Runs formula analyses on a worker thread, one at a time, each within a time budget. */
export class FormulaAnalyser {
  readonly budgetMs: number;
  private readonly maxQueue: number;
  private readonly logger: Logger | undefined;
  private worker: Worker | null = null;
  private ready: Promise<Worker> | null = null;
  private readonly queue: Job[] = [];
  private running: Job | null = null;
  private nextId = 1;
  private closed = false;
  /** Finished outcomes by surface key (least recently used first out). */
  private readonly outcomes = new Map<string, Outcome>();

  constructor(options: FormulaAnalyserOptions = {}) {
    this.budgetMs = options.budgetMs ?? defaultBudget();
    this.maxQueue = options.maxQueue ?? 8;
    this.logger = options.logger;
    if (options.warm) {
      this.start().catch((error: unknown) =>
        this.logger?.error("the formula thread did not start", { error: String(error) }),
      );
    }
  }

  /**
   * Check a formula and its box (F1–F5 within the budget, F7). Accepted: the surface is in lib's
   * cache and returned. Refused: `INVALID_FORMULA` with the check's message ("not finite at
   * w = 0, b = 0: division by zero", "the analysis took longer than …"), or `RATE_LIMITED` when
   * too many formulas wait. `budgetMs` overrides the analyser's budget for this check. Never
   * rejects.
   */
  async check(
    spec: FormulaSpec,
    budgetMs: number = this.budgetMs,
  ): Promise<FormulaAccepted | AckFailure> {
    const ref = formulaRef(spec);
    const outcome = await this.outcome(ref, budgetMs);
    if (!outcome.ok) {
      if (outcome.code) return ackError(ErrorCode[outcome.code], outcome.message);
      return ackError(ErrorCode.INVALID_FORMULA, `formula: ${outcome.message}`);
    }
    try {
      return {
        ok: true,
        ref,
        surface: rememberFormulaSurface(ref, outcome.analysis),
        ms: outcome.ms,
      };
    } catch (error) {
      // The worker accepted what this thread refuses: a bug (the same code runs on both).
      this.logger?.error("a formula accepted by the analysis thread does not compile", {
        error: String(error),
      });
      return ackError(ErrorCode.INVALID_FORMULA, `formula: ${String(error)}`);
    }
  }

  /**
   * The analysis of a formula on the thread (F7), as plain data: for code bundled apart from this
   * module (the replay page, docs/SPEC.md F7), which joins it to its own compiled formula with
   * lib's `rememberFormulaSurface`. Refused: the check's message, or why it could not run.
   */
  async analyse(
    spec: FormulaSpec,
    budgetMs: number = this.budgetMs,
  ): Promise<{ ok: true; analysis: FormulaAnalysis } | { ok: false; message: string }> {
    const outcome = await this.outcome(formulaRef(spec), budgetMs);
    return outcome.ok ? { ok: true, analysis: outcome.analysis } : outcome;
  }

  private async outcome(ref: FormulaRef, budgetMs: number): Promise<Outcome> {
    const key = surfaceRefKey(ref);
    let outcome = this.outcomes.get(key);
    if (outcome) {
      this.outcomes.delete(key);
      this.outcomes.set(key, outcome);
      return outcome;
    }
    if (this.closed) {
      return {
        ok: false,
        message: "the server is shutting down; try again",
        cache: false,
        code: "INTERNAL_ERROR",
      };
    }
    if (this.queue.length >= this.maxQueue) {
      return {
        ok: false,
        message: "the server is checking other formulas: try again in a moment",
        cache: false,
        code: "RATE_LIMITED",
      };
    }
    outcome = await new Promise<Outcome>((resolve) => {
      this.queue.push({
        id: this.nextId++,
        spec: { text: ref.text, box: ref.box },
        budgetMs,
        resolve,
      });
      this.pump();
    });
    if (outcome.ok || outcome.cache) {
      if (this.outcomes.size >= CACHE_SIZE)
        this.outcomes.delete(this.outcomes.keys().next().value!);
      this.outcomes.set(key, outcome);
    }
    return outcome;
  }

  /** Stop the worker; later checks are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) {
      job.resolve({ ok: false, message: "the server is shutting down", cache: false });
    }
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    if (worker) await worker.terminate();
  }

  private start(): Promise<Worker> {
    if (this.ready) return this.ready;
    const worker = new Worker(new URL("./formula-worker.mjs", import.meta.url));
    worker.unref();
    this.worker = worker;
    this.ready = workerReady(worker, "the formula thread");
    worker.on("error", (error) => {
      this.logger?.error("the formula thread failed", { error: String(error) });
      this.drop(worker, `the formula check failed on the server (${String(error)}); try again`);
    });
    worker.on("exit", () => this.drop(worker, "the formula check stopped; try again"));
    return this.ready;
  }

  /** Forget a dead worker; the job it ran is refused (not cached). */
  private drop(worker: Worker, message: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.ready = null;
    const job = this.running;
    this.running = null;
    job?.resolve({ ok: false, message, cache: false });
    this.pump();
  }

  private pump(): void {
    if (this.running || this.closed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    void this.run(job);
  }

  private async run(job: Job): Promise<void> {
    let worker: Worker;
    try {
      worker = await this.start();
    } catch (error) {
      this.finish(job, {
        ok: false,
        message: `the formula check could not start (${String(error)})`,
        cache: false,
      });
      return;
    }
    const timer = setTimeout(() => {
      this.finish(job, {
        ok: false,
        message: `checking it took longer than ${job.budgetMs / 1000} s: write a shorter or simpler formula`,
        // Not kept: on a busy machine the same formula may fit the budget next time.
        cache: false,
      });
      // The worker may be deep in a loop: terminate it; the next job starts a fresh one.
      if (this.worker === worker) {
        this.worker = null;
        this.ready = null;
      }
      void worker.terminate();
    }, job.budgetMs);
    const onMessage = (reply: {
      id?: number;
      ok?: boolean;
      analysis?: FormulaAnalysis;
      ms?: number;
      message?: string;
      check?: string;
    }) => {
      if (reply.id !== job.id) return;
      clearTimeout(timer);
      worker.off("message", onMessage);
      this.finish(
        job,
        reply.ok && reply.analysis
          ? { ok: true, analysis: reply.analysis, ms: reply.ms ?? 0 }
          : // A FormulaError is the formula's fault and the same next time; anything else is not.
            { ok: false, message: reply.message ?? "refused", cache: reply.check !== undefined },
      );
    };
    worker.on("message", onMessage);
    worker.postMessage({ id: job.id, text: job.spec.text, box: job.spec.box });
  }

  private finish(job: Job, outcome: Outcome): void {
    if (this.running !== job) return;
    this.running = null;
    job.resolve(outcome);
    this.pump();
  }
}
