import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { ServerOptions, Socket } from "socket.io";
import {
  ackError,
  ErrorCode,
  isClientEventName,
  MAX_PAYLOAD_CHARS,
  PROTOCOL_VERSION,
  TRANSPORT_MAX_BYTES,
} from "../lib/protocol";
import type {
  AckFailure,
  ClientEventName,
  ClientToServerEvents,
  ServerEventName,
  ServerEventPayload,
  ServerToClientEvents,
} from "../lib/protocol";
import type { Connection } from "./connection";
import type { GameHub } from "./hub";
import { TokenBucket } from "./rate-limit";
import type { RateLimitOptions } from "./rate-limit";

/**
 * The ONLY file that imports socket.io (STYLE.md). It adapts each socket to a {@link Connection}
 * and funnels every incoming event through one guarded path:
 *
 *   rate limit → known event name → acknowledgement callback present → exactly one payload →
 *   payload size → hub (zod parse, then the room) → acknowledgement,
 *
 * all inside a try/catch, so no client input can crash the server. A refusal is acknowledged as
 * `{ ok: false, error }`, or, when the client gave no callback, sent as `protocol:error`.
 */

/** Options of {@link attachSocketIo}. */
export interface SocketIoOptions {
  /** Per-connection rate limit. */
  readonly rateLimit: RateLimitOptions;
  /** Socket.IO's `maxHttpBufferSize`: larger messages close the connection. @default 8 KiB */
  readonly maxHttpBufferSize?: number;
  /** Largest payload handled (JSON length); larger ones are refused. @default 2048 */
  readonly maxPayloadChars?: number;
  /**
   * R41, several nodes: where the connections' events go (server/cluster.ts forwards those of
   * rooms other nodes own). @default the hub
   */
  readonly sink?: EventSink;
  /** R41: Socket.IO's adapter (the Redis streams adapter on several nodes). */
  readonly adapter?: ServerOptions["adapter"];
  /** R44: accept WebSocket connections only (several nodes: no sticky sessions needed). */
  readonly websocketOnly?: boolean;
}

/** What handles a connection's events: the hub, or the cluster in front of it. */
export interface EventSink {
  connect(conn: Connection): void;
  disconnect(conn: Connection): void;
  handle(conn: Connection, event: ClientEventName, payload: unknown): unknown;
}

type GameServerSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/** The typed Socket.IO server of the game. */
export type GameIoServer = Server<ClientToServerEvents, ServerToClientEvents>;

function payloadLength(payload: unknown): number {
  try {
    return JSON.stringify(payload)?.length ?? 0;
  } catch {
    return Infinity;
  }
}

type PacketWriter = (packet: string, opts: { preEncoded: boolean; compress: boolean }) => void;

/**
 * socket.io's internal writer of pre-encoded packets (`Client#_packet`, used by its own
 * broadcasts), or null when this socket.io version does not have it: then snapshots go through
 * `emit` (tests/server/socket-io-fallback.test.ts runs that path).
 */
export function preEncodedWriter(socket: Socket): PacketWriter | null {
  const client = socket.client as unknown as { _packet?: unknown };
  if (forcePlainEmit || typeof client._packet !== "function") return null;
  return (client._packet as PacketWriter).bind(client);
}

let forcePlainEmit = false;

/** Tests only: make every new connection use `emit` instead of pre-encoded packets. */
export function setPlainEmitForTests(on: boolean): void {
  forcePlainEmit = on;
}

/** Create the Socket.IO server on `httpServer` and connect it to the hub. */
export function attachSocketIo(
  httpServer: HttpServer,
  hub: GameHub,
  options: SocketIoOptions,
): GameIoServer {
  const maxPayloadChars = options.maxPayloadChars ?? MAX_PAYLOAD_CHARS;
  const io: GameIoServer = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    maxHttpBufferSize: options.maxHttpBufferSize ?? TRANSPORT_MAX_BYTES,
    serveClient: false,
    // Leave other upgrade requests (Next.js's dev-mode hot reload) alone.
    destroyUpgrade: false,
    ...(options.adapter && { adapter: options.adapter }),
    ...(options.websocketOnly && { transports: ["websocket" as const] }),
  });
  const sink: EventSink = options.sink ?? hub;

  io.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const version =
      typeof auth === "object" && auth !== null
        ? (auth as Record<string, unknown>).protocolVersion
        : undefined;
    if (version !== undefined && version !== PROTOCOL_VERSION) {
      const error = new Error(
        `${ErrorCode.PROTOCOL_MISMATCH}: this server speaks protocol ${PROTOCOL_VERSION}, the client ${String(version)}; reload the page or update the client`,
      ) as Error & { data?: unknown };
      error.data = { code: ErrorCode.PROTOCOL_MISMATCH, protocolVersion: PROTOCOL_VERSION };
      next(error);
      return;
    }
    next();
  });

  io.on("connection", (socket: GameServerSocket) => {
    const writePacket = preEncodedWriter(socket);
    const conn: Connection = {
      id: socket.id,
      send<E extends ServerEventName>(event: E, payload: ServerEventPayload<E>): void {
        hub.countFrame(event);
        try {
          // The typed emit cannot see that payload matches event for a generic E.
          (socket.emit as (event: string, payload: unknown) => boolean)(event, payload);
        } catch (error) {
          hub.logger.error("emit failed", { event, error: String(error) });
        }
      },
      sendJson: (event, json) => {
        hub.countFrame(event);
        try {
          if (writePacket) {
            // A socket.io EVENT packet for the main namespace, encoded here instead of per emit:
            // `2["event",payload]` (socket.io-parser's encoding), written as a pre-encoded packet.
            writePacket(`2[${JSON.stringify(event)},${json}]`, {
              preEncoded: true,
              compress: true,
            });
          } else {
            // No pre-encoded path in this socket.io version: parse back and emit (slower, same).
            (socket.emit as (event: string, payload: unknown) => boolean)(event, JSON.parse(json));
          }
        } catch (error) {
          hub.logger.error("emit failed", { event, error: String(error) });
        }
      },
      disconnect: () => {
        socket.disconnect(true);
      },
    };
    const bucket = new TokenBucket(options.rateLimit, hub.clock.now());
    sink.connect(conn);

    socket.onAny((rawEvent: unknown, ...args: unknown[]) => {
      const event = typeof rawEvent === "string" ? rawEvent : String(rawEvent);
      const last = args[args.length - 1];
      const answer = typeof last === "function" ? (last as (response: unknown) => void) : null;
      const ack =
        answer &&
        ((response: unknown): void => {
          hub.countFrame("ack");
          answer(response);
        });
      if (ack) args.pop();
      const refuse = (failure: AckFailure): void => {
        if (ack) ack(failure);
        else conn.send("protocol:error", { event: event.slice(0, 64), error: failure.error });
      };
      try {
        const verdict = bucket.take(hub.clock.now());
        if (verdict !== "allow") {
          refuse(
            ackError(
              ErrorCode.RATE_LIMITED,
              verdict === "disconnect"
                ? "too many requests: disconnecting this connection"
                : `too many requests: at most ${options.rateLimit.perSecond} per second; slow down and retry`,
            ),
          );
          if (verdict === "disconnect") {
            hub.logger.warn("disconnecting a flooding socket", { socket: socket.id });
            socket.disconnect(true);
          }
          return;
        }
        if (!isClientEventName(event)) {
          refuse(
            ackError(
              ErrorCode.UNKNOWN_EVENT,
              `unknown event ${JSON.stringify(event.slice(0, 64))}: see docs/protocol.md for the event list`,
            ),
          );
          return;
        }
        if (!ack) {
          refuse(
            ackError(
              ErrorCode.MISSING_ACK,
              `${event} needs an acknowledgement callback as its last argument; nothing was done`,
            ),
          );
          return;
        }
        if (args.length !== 1) {
          refuse(
            ackError(
              ErrorCode.BAD_REQUEST,
              `${event} takes exactly one payload object before the callback, got ${args.length} arguments`,
            ),
          );
          return;
        }
        const payload = args[0];
        const length = payloadLength(payload);
        if (length > maxPayloadChars) {
          refuse(
            ackError(
              ErrorCode.PAYLOAD_TOO_LARGE,
              `${event}: the payload is ${Number.isFinite(length) ? length : "too many"} characters, at most ${maxPayloadChars} are allowed`,
            ),
          );
          return;
        }
        const answer = sink.handle(conn, event, payload);
        // With a room log the answer comes once the action is durable (R35).
        if (answer instanceof Promise)
          void answer.then(ack, () =>
            refuse(ackError(ErrorCode.INTERNAL_ERROR, "the server failed to handle this request")),
          );
        else ack(answer);
      } catch (error) {
        hub.logger.error("event handling failed", {
          event: event.slice(0, 64),
          error: String(error),
        });
        try {
          refuse(
            ackError(
              ErrorCode.INTERNAL_ERROR,
              "the server failed to handle this request; nothing changed",
            ),
          );
        } catch {
          // The socket is gone; nothing left to tell.
        }
      }
    });

    socket.on("disconnect", () => {
      sink.disconnect(conn);
    });
  });

  return io;
}
