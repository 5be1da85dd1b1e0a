"use client";

import { io } from "socket.io-client";
import type { Socket } from "socket.io-client";
import type {
  AckResponse,
  ClientEventName,
  ClientEventResults,
  ClientPayloadInput,
  ClientToServerEvents,
  ErrorCode,
  PROTOCOL_VERSION,
  ServerToClientEvents,
} from "../../lib/protocol";

/**
 * The one client socket module (STYLE.md: the UI never calls socket.emit from a component).
 * It owns the Socket.IO connection to the game server on the page's own origin, sends requests
 * with an acknowledgement and a timeout, and keeps the tokens the server hands out.
 *
 * Only types are imported from lib/protocol: its runtime pulls in the round rules (and with them
 * the catalog of surfaces), which must not ship to a player's browser before the reveal.
 */

/** The protocol version this client speaks (checked against lib/protocol's at compile time). */
const CLIENT_PROTOCOL_VERSION: typeof PROTOCOL_VERSION = 1;

/** How long a request waits for its acknowledgement. */
const REQUEST_TIMEOUT_MS = 8_000;

export type GameSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: GameSocket | null = null;

/** The shared connection, created (and connecting) on first use. */
export function getSocket(): GameSocket {
  if (!socket) {
    socket = io({
      auth: { protocolVersion: CLIENT_PROTOCOL_VERSION },
      // R44: straight to a WebSocket, so that several nodes behind a load balancer need no
      // sticky sessions. Where WebSocket is blocked, long-polling is tried next: a single node
      // serves it; a cluster accepts WebSocket only (long-polling would need sticky sessions).
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 4_000,
    });
  }
  return socket;
}

/** A refused or failed request, with the server's code (or a client-side one) and message. */
export class RequestError extends Error {
  constructor(
    readonly code: ErrorCode | "TIMEOUT" | "OFFLINE",
    message: string,
  ) {
    super(message);
    this.name = "RequestError";
  }
}

/**
 * Send a client event and wait for its acknowledgement. Resolves with the result fields on
 * `{ ok: true }`; rejects with a {@link RequestError} on a refusal or a timeout.
 */
export function request<E extends ClientEventName>(
  event: E,
  payload: ClientPayloadInput<E>,
): Promise<ClientEventResults[E]> {
  const s = getSocket();
  return new Promise((resolve, reject) => {
    // Socket.IO's typed emit cannot see through the generic event name; the maps guarantee it.
    const timed = s.timeout(REQUEST_TIMEOUT_MS);
    const emit = timed.emit as unknown as (
      event: string,
      payload: unknown,
      ack: (err: Error | null, response: AckResponse<ClientEventResults[E]>) => void,
    ) => void;
    emit.call(timed, event, payload, (err, response) => {
      if (err) {
        reject(
          new RequestError(
            s.connected ? "TIMEOUT" : "OFFLINE",
            s.connected
              ? "The server did not answer in time. Try again."
              : "You are offline: reconnecting…",
          ),
        );
        return;
      }
      if (response.ok) resolve(response as ClientEventResults[E]);
      else reject(new RequestError(response.error.code, response.error.message));
    });
  });
}

/** What this browser keeps about a room: the secrets that give a seat or the host role back. */
export interface RoomTokens {
  readonly seatToken?: string;
  readonly hostToken?: string;
  readonly nickname?: string;
  /** What the room plays, when it was opened from a challenge link or the daily (C5, D5). */
  readonly context?: RoomContext;
}

/** A room opened from `/c/<id>` or `/daily`: the reveal links back and shows what it counted. */
export type RoomContext =
  | { readonly kind: "challenge"; readonly id: string }
  | {
      readonly kind: "daily";
      readonly day: number;
      readonly dayKey: string;
      /** What the server said when the round opened: false = a practice attempt (D3). */
      readonly scored: boolean;
    };

const tokenKey = (code: string) => `blind-descent:room:${code.toUpperCase()}`;

/** The tokens saved for a room, or {} (also when storage is unavailable). */
export function loadTokens(code: string): RoomTokens {
  try {
    const raw = window.localStorage.getItem(tokenKey(code));
    return raw ? (JSON.parse(raw) as RoomTokens) : {};
  } catch {
    return {};
  }
}

/** Merge tokens into what is saved for a room (`undefined` fields are removed). */
export function saveTokens(code: string, tokens: Partial<RoomTokens>): void {
  try {
    const next = { ...loadTokens(code), ...tokens };
    for (const k of Object.keys(next) as (keyof RoomTokens)[]) {
      if (next[k] === undefined) delete next[k];
    }
    window.localStorage.setItem(tokenKey(code), JSON.stringify(next));
  } catch {
    // Private mode without storage: the seat lasts as long as the connection.
  }
}

/**
 * This browser's device token (made once, kept in localStorage), sent on join so that a kicked
 * student cannot come back under a new nickname (R22b); {} when storage is unavailable.
 */
export function deviceToken(): { deviceToken?: string } {
  try {
    const key = "blind-descent:device";
    let token = window.localStorage.getItem(key);
    if (!token || !/^[A-Za-z0-9_-]{16,64}$/.test(token)) {
      const bytes = crypto.getRandomValues(new Uint8Array(18));
      token = btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, "-")
        .replace(/\//g, "_")
        .replace(/=+$/, "");
      window.localStorage.setItem(key, token);
    }
    return { deviceToken: token };
  } catch {
    return {};
  }
}

/** D3: a player token is 22 to 64 characters of base64url (lib/challenge/daily's pattern). */
const PLAYER_TOKEN = /^[A-Za-z0-9_-]{22,64}$/;

/**
 * This browser's player token for the daily descent (D3): the device token (made once, kept in
 * localStorage), made anew when an old one is too short to be a player token; null when storage
 * is unavailable (then the daily cannot be scored).
 */
export function playerToken(): string | null {
  let token = deviceToken().deviceToken;
  if (token && !PLAYER_TOKEN.test(token)) {
    try {
      window.localStorage.removeItem("blind-descent:device");
    } catch {
      return null;
    }
    token = deviceToken().deviceToken;
  }
  return token && PLAYER_TOKEN.test(token) ? token : null;
}

/** The nickname last used on this browser (prefills forms). */
export function lastNickname(): string {
  try {
    return window.localStorage.getItem("blind-descent:nickname") ?? "";
  } catch {
    return "";
  }
}

/** Remember a nickname for the next form. */
export function rememberNickname(nickname: string): void {
  try {
    window.localStorage.setItem("blind-descent:nickname", nickname);
  } catch {
    // ignore
  }
}
