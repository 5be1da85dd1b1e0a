import type { Server as HttpServer } from "node:http";
import type { GameConfig } from "./config";
import { GameHub } from "./hub";
import type { GameHubOptions, HubStats } from "./hub";
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
}

/** A running game server. */
export interface GameServer {
  readonly hub: GameHub;
  readonly io: GameIoServer;
  stats(): HubStats;
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
      }),
    },
    maxRooms: config?.maxRooms ?? options.maxRooms,
  });
  const io = attachSocketIo(httpServer, hub, {
    rateLimit: {
      perSecond: config?.ratePerSecond ?? options.rateLimit?.perSecond ?? 20,
      burst: config?.rateBurst ?? options.rateLimit?.burst ?? 40,
      maxStrikes: options.rateLimit?.maxStrikes ?? 60,
    },
    maxHttpBufferSize: options.maxHttpBufferSize,
    maxPayloadChars: options.maxPayloadChars,
  });
  return {
    hub,
    io,
    stats: () => hub.stats(),
    close: async () => {
      await hub.close();
      // Close the engine's clients only: io.close() would also close the HTTP server.
      io.disconnectSockets(true);
      io.engine.close();
    },
  };
}
