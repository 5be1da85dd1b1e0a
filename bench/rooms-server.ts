/**
 * The game server alone (hub + Socket.IO, no Next.js) on a port: what `npm run bench:rooms`
 * starts when there is no production build, or with --standalone. Same limits as production
 * (server/config.ts reads them from the environment); /healthz reports the hub's counters.
 *
 *   node --import tsx bench/rooms-server.ts   (PORT=3000 by default)
 */
import { createServer } from "node:http";
import { loadConfig } from "../server/config";
import { createGameServer } from "../server/game-server";
import { consoleLogger } from "../server/logger";
import type { Logger } from "../server/logger";

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
  if (game.handleHttp(req, res)) return;
  res.writeHead(404);
  res.end();
});
const game = createGameServer({ httpServer: server, config: config.game, logger });
stats = () => game.stats();
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  console.log(`Blind Descent game server (standalone) listening on http://localhost:${port}`);
});
const shutdown = (): void => {
  void game.close().finally(() => server.close(() => process.exit(0)));
  setTimeout(() => process.exit(0), 5_000).unref();
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
