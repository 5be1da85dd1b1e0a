import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import type { GameConfig } from "./config";
import { GameHub } from "./hub";
import type { GameHubOptions, HubStats } from "./hub";
import type { ClusterNode, ClusterStats } from "./cluster";
import { isRevealPlayersRequest, revealRoomCode, serveRevealPlayers } from "./reveal-http";
import { attachSocketIo } from "./socket-io";
import type { GameIoServer, SocketIoOptions } from "./socket-io";

/**
 * The game server on an HTTP server: the hub (rooms) plus Socket.IO. server/main.ts puts it on the
 * same HTTP server as Next.js; tests and the benchmark create it on a bare HTTP server.
 */

/** Options of {@link createGameServer}. */
export interface GameServerOptions extends GameHubOptions {
  readonly httpServer: HttpServer;
  /** Limits from the environment (server/config.ts); overrides `limits`/`maxRooms` it covers. */
  readonly config?: GameConfig;
  readonly rateLimit?: Partial<SocketIoOptions["rateLimit"]>;
  readonly maxHttpBufferSize?: number;
  readonly maxPayloadChars?: number;
  /** R40–R44: this process is one node of several (server/cluster.ts). @default one node */
  readonly cluster?: ClusterNode;
}

/** A running game server. */
export interface GameServer {
  readonly hub: GameHub;
  readonly io: GameIoServer;
  stats(): HubStats & { cluster?: ClusterStats };
  /**
   * Answer the game server's own HTTP requests (a big reveal's shared entries, R11a): true when
   * `req` was one of them. The HTTP server's request handler calls it first.
   */
  handleHttp(req: IncomingMessage, res: ServerResponse): boolean;
  /** Close every room, wait for pending saves, close Socket.IO (not the HTTP server). */
  close(): Promise<void>;
}

/** Create the hub and wire Socket.IO on `httpServer`. */
export function createGameServer(options: GameServerOptions): GameServer {
  const { httpServer, config } = options;
  const hub = new GameHub({
    ...options,
    limits: {
      ...options.limits,
      ...(config && {
        seatGraceMs: config.seatGraceMs,
        emptyRoomMs: config.emptyRoomMs,
        maxPlayers: config.maxPlayers,
        revealInlinePlayers: config.revealInlinePlayers,
      }),
    },
    maxRooms: config?.maxRooms ?? options.maxRooms,
    ...(options.cluster && { claimCode: (code: string) => options.cluster!.claimCode(code) }),
  });
  const cluster = options.cluster;
  const io = attachSocketIo(httpServer, hub, {
    rateLimit: {
      perSecond: config?.ratePerSecond ?? options.rateLimit?.perSecond ?? 20,
      burst: config?.rateBurst ?? options.rateLimit?.burst ?? 40,
      maxStrikes: options.rateLimit?.maxStrikes ?? 60,
    },
    maxHttpBufferSize: options.maxHttpBufferSize,
    maxPayloadChars: options.maxPayloadChars,
    ...cluster?.socketIoOptions(),
  });
  return {
    hub,
    io,
    stats: () => ({ ...hub.stats(), ...(cluster && { cluster: cluster.stats() }) }),
    handleHttp: (req, res) => {
      if (!isRevealPlayersRequest(req)) return false;
      // R41: a room of another node's is answered by that node.
      const code = cluster ? revealRoomCode(req) : null;
      if (cluster && code) {
        void cluster
          .proxyHttp(req, res, code)
          .catch(() => false)
          .then((done) => {
            if (!done) void serveRevealPlayers(req, res, hub);
          });
      } else void serveRevealPlayers(req, res, hub);
      return true;
    },
    close: async () => {
      await hub.close();
      // Close the engine's clients only: io.close() would also close the HTTP server.
      io.local.disconnectSockets(true);
      io.engine.close();
    },
  };
}
