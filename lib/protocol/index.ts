/**
 * Blind Descent's network protocol (docs/protocol.md): the one module both ends import. It holds
 * the protocol version, the error codes, the typed Socket.IO event maps for both directions, the
 * shapes the server sends, and a zod schema for every client-to-server payload (types are no
 * validation: the server parses each payload with {@link parseClientPayload} where it arrives).
 *
 * Pure TypeScript: no socket.io import (the maps are plain interfaces that Socket.IO's generic
 * `Server<ClientToServerEvents, ServerToClientEvents>` and `Socket<…>` accept).
 */

export * from "./errors";
export * from "./schemas";
export * from "./messages";
