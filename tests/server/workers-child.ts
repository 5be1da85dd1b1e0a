/**
 * The primary of `WORKERS=N npm start` (server/workers.ts, as scripts/start.mjs runs it) with
 * tests/server/cluster-child.ts as the worker instead of server/main.ts (no Next.js build in the
 * tests). Every worker prints `LISTENING <port>`: they share one port.
 * Usage: WORKERS=2 REDIS_URL=… DATABASE_URL=… node --import tsx tests/server/workers-child.ts
 */
import { fileURLToPath } from "node:url";
import { runWorkers, workersFrom, workersProblem } from "../../server/workers";

const workers = workersFrom(process.env);
const problem = workersProblem(process.env);
if (workers === null || problem) {
  console.error(problem ?? "set WORKERS to 2 or more");
  process.exit(1);
}
await runWorkers({
  workers,
  exec: fileURLToPath(new URL("./cluster-child.ts", import.meta.url)),
  execArgv: ["--import", "tsx"],
});
