#!/usr/bin/env node
// `npm start`: build the Next.js app if there is no build or it is older than the sources, then
// run the one production server process (Next.js + Socket.IO) from server/main.ts, or with
// WORKERS=N that many of them on one port (server/workers.ts).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const buildId = join(root, process.env.NEXT_DIST_DIR || ".next", "BUILD_ID");
// Everything the Next.js build bundles: the pages, lib/, the data layer the pages read, the proxy.
const sources = [
  "app",
  "lib",
  "server/db",
  "proxy.ts",
  "next.config.js",
  "package-lock.json",
  "tsconfig.json",
];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
const sourcesAt = Math.max(...sources.map((s) => newestMtime(join(root, s))));
if (process.env.SKIP_BUILD !== "1" && builtAt < sourcesAt) {
  console.log(
    builtAt ? "Sources changed since the last build: rebuilding…" : "No build yet: building…",
  );
  const r = spawnSync(
    process.execPath,
    [join(root, "node_modules", "next", "dist", "bin", "next"), "build"],
    {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    },
  );
  if (r.status !== 0) {
    console.error("next build failed; not starting the server.");
    process.exit(r.status ?? 1);
  }
}

process.env.NODE_ENV = "production";
const { register } = await import("tsx/esm/api");
register();
// WORKERS=N (docs/SPEC.md R45): N processes on one port, each a cluster node on Redis and
// PostgreSQL (server/workers.ts); without it, the one process.
const { runWorkers, workersFrom, workersProblem } = await import("../server/workers.ts");
let workers = null;
try {
  workers = workersFrom(process.env);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
if (workers !== null) {
  const problem = workersProblem(process.env);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  await runWorkers({
    workers,
    exec: join(root, "server", "main.ts"),
    execArgv: [...process.execArgv, "--import", "tsx"],
  });
} else {
  await import("../server/main.ts");
}
