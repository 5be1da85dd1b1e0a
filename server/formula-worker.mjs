// The formula analysis thread (docs/SPEC.md F7): lib/surfaces/formula's `analyseFormula` (parse,
// whitelist, derive, compile, the F2–F5 checks), which takes from milliseconds to seconds, runs
// here so the game server's event loop is never blocked by it. server/formula-analysis.ts starts
// it, sends one job at a time and terminates it when a job runs past its budget. Plain
// JavaScript that registers tsx itself, so it loads the same way under tsx, Vitest and Node.
//
// Messages from the parent: { id, text, box }. Replies: { id, ok: true, analysis, ms } or
// { id, ok: false, check, message, ms } (a FormulaError), or { id, ok: false, message } (a bug).
import { parentPort } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { analyseFormula, FormulaError } = await import("../lib/surfaces/formula.ts");

parentPort.on("message", (/** @type {{ id: number, text: string, box: unknown }} */ job) => {
  const started = performance.now();
  try {
    const analysis = analyseFormula({ text: job.text, box: job.box });
    parentPort.postMessage({ id: job.id, ok: true, analysis, ms: performance.now() - started });
  } catch (error) {
    parentPort.postMessage(
      error instanceof FormulaError
        ? { id: job.id, ok: false, check: error.check, message: error.message }
        : { id: job.id, ok: false, message: String(error) },
    );
  }
});
parentPort.postMessage({ ready: true });
