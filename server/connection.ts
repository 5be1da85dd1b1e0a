import type { ServerEventName, ServerEventPayload } from "../lib/protocol";

/**
 * The two-method interface rooms talk to the network through (STYLE.md: the server is the master,
 * one file wires Socket.IO). server/socket-io.ts adapts a Socket.IO socket to it; tests may use
 * an in-process implementation.
 */
export interface Connection {
  /** Unique among the live connections of this process. */
  readonly id: string;
  /** Send one server-to-client event. Must not throw (a closed connection drops the message). */
  send<E extends ServerEventName>(event: E, payload: ServerEventPayload<E>): void;
  /**
   * Optional: send one server-to-client event whose payload is already JSON text (the room
   * serialises shared parts of its snapshots once per broadcast). Same bytes on the wire as
   * `send` with the parsed payload. Must not throw.
   */
  sendJson?(event: ServerEventName, json: string): void;
  /** Close the connection (the hub then receives its disconnect). */
  disconnect(): void;
}
