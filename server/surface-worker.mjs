// The surface preparation thread (docs/SPEC.md R31a): lib/surface-prep's `prepareSurface` (a
// procedural surface's build: Newton's method from 49+ starts, the start search, the curvature
// grid; and the transform's T8 start search: ~5 ms a round, 100 rooms starting together half a
// second) runs here, so a round start on the game's thread is a lookup. server/surface-preparer.ts
// starts it and sends one job at a time. Plain JavaScript that registers tsx itself, so it loads
// the same way under tsx, Vitest and Node.
//
// Messages from the parent: { id, ref }. Replies: { id, ok: true, prep, ms } or
// { id, ok: false, message }.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

// A lower priority than the game's thread (Linux: niceness is per thread), as the database's:
// a surface for a later round must not take the core from the turns being played now.
const nice = /** @type {{ nice?: number }} */ (workerData ?? {}).nice ?? 0;
if (nice > 0) {
  try {
    setPriority(Number(readlinkSync("/proc/thread-self").split("/").pop()), nice);
  } catch {
    // not Linux, or not allowed: same priority as the main thread
  }
}

register();
const { prepareSurface } = await import("../lib/surface-prep.ts");

parentPort.on("message", (/** @type {{ id: number, ref: unknown }} */ job) => {
  const started = performance.now();
  try {
    const prep = prepareSurface(/** @type {never} */ (job.ref));
    parentPort.postMessage({ id: job.id, ok: true, prep, ms: performance.now() - started });
  } catch (error) {
    parentPort.postMessage({ id: job.id, ok: false, message: String(error) });
  }
});
parentPort.postMessage({ ready: true });
