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
import { databaseChallenges } from "../../server/challenge-backend";
import { saveCompetition } from "../../server/db/competitions";
import { loadRoomLogs } from "../../server/db/room-log";
import { systemClock } from "../../server/clock";
import { createGameServer } from "../../server/game-server";
import { consoleLogger } from "../../server/logger";
import { roomLogFor } from "../../server/room-log";

const db = await openDatabase();
let saves = 0;
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
  onRoundFinished: async (round) => {
    // BD_TEST_SAVE_DELAY_MS: the n-th save of this process (from 0) starts n × that late, so a
    // test can kill the server while rounds are still waiting to be stored.
    const delay = Number(process.env.BD_TEST_SAVE_DELAY_MS ?? 0) * saves++;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    await (db.saveRoundInThread ? db.saveRoundInThread(round) : saveRound(db, round));
  },
  onCompetitionChanged: (competition) => saveCompetition(db, competition),
  challenges: databaseChallenges(db),
});
if (roomLog) {
  const restored = await game.hub.restore(await loadRoomLogs(db));
  process.stdout.write(`RESTORED ${restored.resumed} ${restored.dropped}\n`);
}
httpServer.listen(0, "127.0.0.1", () => {
  process.stdout.write(`LISTENING ${(httpServer.address() as AddressInfo).port}\n`);
});
