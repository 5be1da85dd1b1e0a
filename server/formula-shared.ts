/**
 * The process's formula analysis thread, reachable from code bundled apart from the server
 * (docs/SPEC.md F7): server/main.ts registers its {@link FormulaAnalyser} here, and the replay
 * page (a Next.js server component, with its own module instances) asks it for a formula's
 * analysis instead of running the checks on the event loop. Types only: importing this module
 * starts no thread.
 */
import type { FormulaAnalysis, FormulaSpec } from "../lib/surfaces/formula";

const SHARED = Symbol.for("blind-descent.formula-analyser");

/** What the shared analyser offers (server/formula-analysis.ts's `FormulaAnalyser.analyse`). */
export interface SharedFormulaAnalyser {
  analyse(
    spec: FormulaSpec,
  ): Promise<{ ok: true; analysis: FormulaAnalysis } | { ok: false; message: string }>;
}

/** Register (or, with null, forget) the process's analyser. */
export function shareFormulaAnalyser(analyser: SharedFormulaAnalyser | null): void {
  (globalThis as Record<symbol, unknown>)[SHARED] = analyser;
}

/** The analyser {@link shareFormulaAnalyser} registered, or null (no server/main.ts). */
export function sharedFormulaAnalyser(): SharedFormulaAnalyser | null {
  return ((globalThis as Record<symbol, unknown>)[SHARED] as SharedFormulaAnalyser | null) ?? null;
}
