/**
 * A game server for room-log.test.ts, as server/main.ts runs it minus Next.js: the database the
 * environment names (`DATABASE_URL`, else PGlite in `DATA_DIR`), the room log (R35), the rooms
 * restored from it (R37), rounds saved as in production. Prints `LISTENING <port>`, then serves
 * until it is killed (with SIGKILL, by the test).
 * Usage: DATA_DIR=… node --import tsx tests/server/room-log-child.ts
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { openDatabase, saveRound } from "../../server/db";
import { loadRoomLogs } from "../../server/db/room-log";
import { systemClock } from "../../server/clock";
import { createGameServer } from "../../server/game-server";
import { consoleLogger } from "../../server/logger";
import { roomLogFor } from "../../server/room-log";

const db = await openDatabase();
const roomLog = roomLogFor(db, systemClock, consoleLogger);
const httpServer = createServer((req, res) => {
  if (game.handleHttp(req, res)) return;
  res.writeHead(404);
  res.end();
});
const game = createGameServer({
  httpServer,
  logger: consoleLogger,
  rateLimit: { perSecond: 1000, burst: 1000 },
  limits: { presenceIntervalMs: 10 },
  ...(roomLog && { roomLog }),
  onRoundFinished: async (round) =>
    void (await (db.saveRoundInThread ? db.saveRoundInThread(round) : saveRound(db, round))),
});
if (roomLog) {
  const restored = await game.hub.restore(await loadRoomLogs(db));
  process.stdout.write(`RESTORED ${restored.resumed} ${restored.dropped}\n`);
}
httpServer.listen(0, "127.0.0.1", () => {
  process.stdout.write(`LISTENING ${(httpServer.address() as AddressInfo).port}\n`);
});
