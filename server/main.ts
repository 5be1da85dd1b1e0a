/**
 * The one Node process: an HTTP server hosting the Next.js app (and, on the same origin, the
 * Socket.IO game server). `npm start` runs it in production mode, `npm run dev` in development.
 */
import { createServer } from "node:http";
import next from "next";
import { loadConfig } from "./config";
import { classroomCsvCode, serveClassroomCsv, isClassroomCsvRequest } from "./classroom-http";
import { ClusterNode, clusterConfigFrom, connectRedis } from "./cluster";
import { openDatabase, roundSaver, shareDatabase } from "./db";
import { saveCompetition } from "./db/competitions";
import { databaseChallenges } from "./challenge-backend";
import { systemClock } from "./clock";
import { loadRoomLogs } from "./db/room-log";
import { createGameServer } from "./game-server";
import type { GameServer } from "./game-server";
import { FormulaAnalyser } from "./formula-analysis";
import { shareFormulaAnalyser } from "./formula-shared";
import { isSurfaceLibraryRequest, serveSurfaceLibrary } from "./surface-library-http";
import { consoleLogger } from "./logger";
import { roomLogFor } from "./room-log";
import { surfacePreparerFor } from "./surface-preparer";
import { parsePublicUrl, publishJoinBase } from "./public-url";
import { privatePort } from "./workers";

async function main(): Promise<void> {
  const config = loadConfig();
  // A bad PUBLIC_URL stops the start with a sentence naming it, before anything is opened.
  if (process.env.PUBLIC_URL) parsePublicUrl(process.env.PUBLIC_URL);
  // R40: REDIS_URL makes this process one node of several (it needs DATABASE_URL: PostgreSQL).
  const clusterConfig = clusterConfigFrom();
  // Redis and the database first: one clear message and exit 1 (below) when one is unreachable.
  const redis = clusterConfig ? await connectRedis(clusterConfig.redisUrl) : null;
  const db = await openDatabase();
  shareDatabase(db);
  let game: GameServer | null = null;
  const cluster =
    clusterConfig && redis
      ? new ClusterNode(clusterConfig, redis, db, consoleLogger, () => game!.hub)
      : null;
  const app = next({ dev: config.dev, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((req, res) => {
    if (req.url === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, game: game!.stats() }));
      return;
    }
    if (game!.handleHttp(req, res)) return;
    if (isSurfaceLibraryRequest(req)) {
      void serveSurfaceLibrary(req, res, db, formulas);
      return;
    }
    if (isClassroomCsvRequest(req)) {
      // R41: a live classroom of another node's is answered by that node.
      const code = cluster ? classroomCsvCode(req) : null;
      void (cluster && code ? cluster.proxyHttp(req, res, code) : Promise.resolve(false))
        .catch(() => false)
        .then((done) => {
          if (!done) void serveClassroomCsv(req, res, game!.hub, db);
        });
      return;
    }
    void handle(req, res);
  });
  // Socket.IO on the same HTTP server and origin (path /socket.io/); rooms live in the hub.
  // R35: every live room's accepted actions, durable before they are acknowledged.
  // R42: on several nodes, a room's entries are written only while this node holds its lease.
  const roomLog = roomLogFor(
    db,
    systemClock,
    consoleLogger,
    process.env,
    cluster ? { owns: (code) => cluster.owns(code) } : {},
  );
  if (cluster && !roomLog) throw new Error("ROOM_LOG=off cannot be used with REDIS_URL");
  // F7: one analysis thread for the rooms and for the replay page (which is bundled apart).
  const formulas = new FormulaAnalyser({ logger: consoleLogger, warm: true });
  shareFormulaAnalyser(formulas);
  const storeRound = roundSaver(db);
  game = createGameServer({
    httpServer: server,
    ...(cluster && { cluster }),
    ...(roomLog && { roomLog }),
    config: config.game,
    preparer: surfacePreparerFor(consoleLogger),
    // Stored before the reveal is sent; a failure throws and the hub retries with back-off.
    // Embedded PGlite saves in its own thread (db.saveRoundInThread), off the rooms' event loop.
    // R31a: with the round's surface as the surface thread prepared it, the save's replay does not
    // compute it again.
    // Issue 15: the rounds that finish while others are being stored go together in the next
    // transaction (server/db/round-batcher.ts), up to MAX_ROUNDS_PER_BATCH.
    onRoundFinished: async (round, surface) => {
      await storeRound(round, surface && { surface });
    },
    // Every finished round goes to the batcher at once: it runs one batch at a time and yields
    // between replays, so sockets get their turn. A limit here costs a turn of the (busy) event
    // loop per wave of saves: with 32 in flight, 500 rounds finishing together waited p99 10 s
    // at 5,000 players (issue 15).
    persistConcurrency: Number.POSITIVE_INFINITY,
    onCompetitionChanged: (competition) => saveCompetition(db, competition),
    // F7: host formulas are analysed on their own thread, started now (not at the first one).
    formulas,
    // Challenge links and the daily descent (docs/SPEC.md C1–C5, D3–D5).
    challenges: databaseChallenges(db),
  });

  // R37: the rooms that were live when the last process stopped come back before anyone connects
  // (R43: on several nodes, the rooms no node owns are taken over once this node listens).
  if (roomLog && !cluster) await game.hub.restore(await loadRoomLogs(db));
  else if (!roomLog) console.warn("ROOM_LOG=off: live rooms are not logged, a restart ends them");

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  if (cluster && roomLog) {
    cluster.flushLog = () => roomLog.flush();
    // R45: a worker of WORKERS=N answers its own forwarded HTTP on a port of its own.
    await cluster.start(game.io, (await privatePort(server)) ?? port);
  }
  console.log(
    `Blind Descent listening on http://localhost:${port} (${config.dev ? "development" : "production"})${cluster ? `, cluster node ${cluster.nodeId}` : ""}`,
  );
  // The address the projector's QR code and join URL show (PUBLIC_URL, else the LAN address).
  const joinAt = publishJoinBase(config.host, port);
  console.log(`Students join at ${joinAt.url}/classroom`);
  if (joinAt.warning) console.warn(`Warning: ${joinAt.warning}`);

  const shutdown = (signal: string): void => {
    console.log(`${signal}: shutting down`);
    // Close the rooms first and wait for rounds still being saved, then the HTTP server.
    // R43: a node's leases are released once its rooms' entries are written (others take over).
    void game!
      .close()
      .then(() => cluster?.stop())
      .finally(() => server.close(() => void db.close().finally(() => process.exit(0))));
    setTimeout(() => process.exit(0), 15_000).unref();
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
