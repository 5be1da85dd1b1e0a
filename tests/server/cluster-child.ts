/**
 * One node of a cluster for cluster.test.ts, wired as server/main.ts wires one minus Next.js:
 * PostgreSQL (`DATABASE_URL`), Redis (`REDIS_URL`, `CLUSTER_PREFIX`, `ROOM_LEASE_MS`, `NODE_ID`),
 * `TEST_TAKEOVER_DELAY_MS` (a pause between a takeover's lease and its replay, printed as
 * `TAKEOVER_HELD <code>`),
 * the room log fenced by the node's leases (R42), the Redis streams adapter (R41), rounds saved as
 * in production. `GET /healthz` answers the node's statistics (the rooms it owns). Prints
 * `LISTENING <port>`, then serves until it is killed.
 * Usage: DATABASE_URL=… REDIS_URL=… node --import tsx tests/server/cluster-child.ts
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { openDatabase, saveRound } from "../../server/db";
import { databaseChallenges } from "../../server/challenge-backend";
import {
  classroomCsvCode,
  isClassroomCsvRequest,
  serveClassroomCsv,
} from "../../server/classroom-http";
import { ClusterNode, clusterConfigFrom, connectRedis } from "../../server/cluster";
import { loadGameConfig } from "../../server/config";
import { saveCompetition } from "../../server/db/competitions";
import { systemClock } from "../../server/clock";
import { createGameServer } from "../../server/game-server";
import type { GameServer } from "../../server/game-server";
import { consoleLogger } from "../../server/logger";
import { roomLogFor } from "../../server/room-log";
import { privatePort } from "../../server/workers";

const config = clusterConfigFrom();
if (!config) throw new Error("cluster-child needs REDIS_URL and DATABASE_URL");
const redis = await connectRedis(config.redisUrl);
const db = await openDatabase();
let game: GameServer | null = null;
/** `TEST_TAKEOVER_DELAY_MS`: hold each takeover between its lease and its replay (R43's window). */
const takeoverDelayMs = Number(process.env.TEST_TAKEOVER_DELAY_MS ?? 0);
const cluster = new ClusterNode(config, redis, db, consoleLogger, () => game!.hub, {
  beforeReplay:
    takeoverDelayMs > 0
      ? (code) => {
          process.stdout.write(`TAKEOVER_HELD ${code}\n`);
          return new Promise((resolve) => setTimeout(resolve, takeoverDelayMs));
        }
      : undefined,
});
const roomLog = roomLogFor(db, systemClock, consoleLogger, process.env, {
  owns: (code) => cluster.owns(code),
})!;
const httpServer = createServer((req, res) => {
  if (req.url === "/healthz") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true, game: game!.stats() }));
    return;
  }
  if (game!.handleHttp(req, res)) return;
  if (isClassroomCsvRequest(req)) {
    const code = classroomCsvCode(req);
    void (code ? cluster.proxyHttp(req, res, code) : Promise.resolve(false)).then((done) => {
      if (!done) void serveClassroomCsv(req, res, game!.hub, db);
    });
    return;
  }
  res.writeHead(404);
  res.end();
});
game = createGameServer({
  httpServer,
  cluster,
  logger: consoleLogger,
  config: { ...loadGameConfig(), ratePerSecond: 1000, rateBurst: 1000 },
  limits: { presenceIntervalMs: 10 },
  roomLog,
  onRoundFinished: async (round) =>
    void (await (db.saveRoundInThread ? db.saveRoundInThread(round) : saveRound(db, round))),
  onCompetitionChanged: (competition) => saveCompetition(db, competition),
  challenges: databaseChallenges(db),
});
await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
const { port } = httpServer.address() as AddressInfo;
cluster.flushLog = () => roomLog.flush();
// R45: under WORKERS=N, a worker's own forwarded HTTP goes to a port of its own.
await cluster.start(game.io, (await privatePort(httpServer)) ?? port);
process.stdout.write(`LISTENING ${port}\n`);
process.once("SIGTERM", () => {
  void game!
    .close()
    .then(() => cluster.stop())
    .finally(() => process.exit(0));
});
