/**
 * The game server alone (hub + Socket.IO, no Next.js; rounds saved and the room log on, as in
 * production, on a throw-away PGlite folder unless DATA_DIR/DATABASE_URL say otherwise) on a port: what `npm run bench:rooms`
 * starts when there is no production build, or with --standalone. Same limits as production
 * (server/config.ts reads them from the environment); /healthz reports the hub's counters.
 *
 *   node --import tsx bench/rooms-server.ts   (PORT=3000 by default)
 */
import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "../server/clock";
import { loadConfig } from "../server/config";
import { openDatabase, roundSaver } from "../server/db";
import { createGameServer } from "../server/game-server";
import { consoleLogger } from "../server/logger";
import type { Logger } from "../server/logger";
import { roomLogFor } from "../server/room-log";
import { loadRoomLogs } from "../server/db/room-log";
import { surfacePreparerFor } from "../server/surface-preparer";
import { ClusterNode, clusterConfigFrom, connectRedis } from "../server/cluster";
import type { GameServer } from "../server/game-server";
import { privatePort } from "../server/workers";

const config = loadConfig();
// Room creation and seat expiry are logged at info level; keep the benchmark's output readable.
const logger: Logger = { ...consoleLogger, info: () => {} };
let stats: () => unknown = () => ({});
const server = createServer((req, res) => {
  if (req.url === "/healthz") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true, game: stats() }));
    return;
  }
  if (game!.handleHttp(req, res)) return;
  res.writeHead(404);
  res.end();
});
// As production: rounds stored before the reveal, and (unless ROOM_LOG=off, R35) every accepted
// action logged before it is acknowledged. A throw-away PGlite folder unless DATABASE_URL or
// DATA_DIR names a database.
// BENCH_DB=none: no database at all (rounds not stored, no room log), as the standalone server
// was before rounds were stored here: for comparing the rooms' runtime with older commits.
// REDIS_URL (and DATABASE_URL): one node of several, wired as server/main.ts wires one (R40–R44);
// bench:rooms --nodes N starts N of these.
const clusterConfig = clusterConfigFrom();
const redis = clusterConfig ? await connectRedis(clusterConfig.redisUrl) : null;
const db =
  process.env.BENCH_DB === "none"
    ? null
    : await openDatabase({
        ...process.env,
        DATA_DIR: process.env.DATA_DIR ?? mkdtempSync(join(tmpdir(), "bd-bench-")),
      });
let game: GameServer | null = null;
const cluster =
  clusterConfig && redis && db
    ? new ClusterNode(clusterConfig, redis, db, logger, () => game!.hub)
    : null;
const roomLog =
  db &&
  roomLogFor(db, systemClock, logger, process.env, cluster ? { owns: (c) => cluster.owns(c) } : {});
if (cluster && !roomLog) throw new Error("ROOM_LOG=off cannot be used with REDIS_URL");
const storeRound = db && roundSaver(db);
game = createGameServer({
  httpServer: server,
  ...(cluster && { cluster }),
  config: config.game,
  preparer: surfacePreparerFor(logger),
  logger,
  ...(roomLog && { roomLog }),
  ...(db && {
    // R31a: with the round's surface as the surface thread prepared it, the save's replay does not
    // compute it again.
    // As server/main.ts: batched saves (issue 15), enough in flight for the next batch to fill.
    onRoundFinished: async (round, surface) => {
      await storeRound!(round, surface && { surface });
    },
    persistConcurrency: Number.POSITIVE_INFINITY, // as server/main.ts: the batcher paces the saves
  }),
});
stats = () => game!.stats();
// As server/main.ts does at start (R37): the log is read, which opens its store, before the
// benchmark takes its idle memory reading (else the store's memory counts as the clients').
if (roomLog && !cluster) await game.hub.restore(await loadRoomLogs(db!));
await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
const address = server.address();
const port = typeof address === "object" && address ? address.port : config.port;
if (cluster && roomLog) {
  cluster.flushLog = () => roomLog.flush();
  await cluster.start(game.io, (await privatePort(server)) ?? port);
}
console.log(
  `Blind Descent game server (standalone, ${db?.label ?? "no database"}, room log ${roomLog ? "on" : "off"}${cluster ? `, cluster node ${cluster.nodeId}` : ""}) listening on http://localhost:${port}`,
);
const shutdown = (): void => {
  void game!
    .close()
    .then(() => cluster?.stop())
    .finally(() => server.close(() => process.exit(0)));
  setTimeout(() => process.exit(0), 5_000).unref();
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
