import type { Worker } from "node:worker_threads";

/**
 * Settles when a worker_threads Worker of ours (formula-worker.mjs, surface-worker.mjs) has
 * loaded: it posts `{ ready: true }` once, after its imports. Rejects if the thread fails or exits
 * first, naming `what` ("the formula thread").
 */
export function workerReady(worker: Worker, what: string): Promise<Worker> {
  return new Promise<Worker>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (typeof message === "object" && message !== null && "ready" in message) {
        worker.off("message", onMessage);
        resolve(worker);
      }
    };
    worker.on("message", onMessage);
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`${what} exited (${code})`)));
  });
}
