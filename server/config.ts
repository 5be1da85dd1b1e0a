/**
 * The server's configuration, read once from the environment. Every variable is listed in the
 * README's configuration table.
 */
export interface ServerConfig {
  /** TCP port to listen on. */
  port: number;
  /** Interface to bind. */
  host: string;
  /** Next.js development mode (hot reload) instead of the production build. */
  dev: boolean;
  /** The game server (Socket.IO rooms): see docs/protocol.md. */
  game: GameConfig;
}

/** The game server's limits, from the environment (docs/protocol.md lists them). */
export interface GameConfig {
  /** `SEAT_GRACE_SECONDS` (default 120, at least 120 s): how long a dropped player keeps their seat. */
  seatGraceMs: number;
  /** `ROOM_EMPTY_SECONDS` (default 300): how long a room without any connection stays open. */
  emptyRoomMs: number;
  /** `MAX_ROOMS` (default 10000). */
  maxRooms: number;
  /** `MAX_PLAYERS_PER_ROOM` (default 100). */
  maxPlayers: number;
  /** `RATE_LIMIT_PER_SECOND` (default 20): sustained client events per second per connection. */
  ratePerSecond: number;
  /** `RATE_LIMIT_BURST` (default 40): client events allowed in a burst. */
  rateBurst: number;
  /**
   * `REVEAL_INLINE_PLAYERS` (default 16): reveals of bigger rounds send the other players' paths
   * once per room over HTTP instead of in every snapshot (docs/SPEC.md R11a).
   */
  revealInlinePlayers: number;
}

/**
 * The whole number `name` holds in `env` (from `min` to `max`), `fallback` when unset or empty;
 * throws a message naming the variable otherwise.
 */
export function intFromEnv(
  name: string,
  fallback: number,
  min: number,
  max: number,
  env: Readonly<Record<string, string | undefined>> = process.env,
): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

/** Read the configuration; throws with a message naming the variable when one is invalid. */
export function loadConfig(): ServerConfig {
  return {
    port: intFromEnv("PORT", 3000, 0, 65535),
    host: process.env.HOST || "0.0.0.0",
    dev: process.env.NODE_ENV !== "production",
    game: loadGameConfig(),
  };
}

/** The game server's part of the configuration. */
export function loadGameConfig(): GameConfig {
  return {
    seatGraceMs: 1000 * intFromEnv("SEAT_GRACE_SECONDS", 120, 120, 86_400),
    emptyRoomMs: 1000 * intFromEnv("ROOM_EMPTY_SECONDS", 300, 10, 86_400),
    maxRooms: intFromEnv("MAX_ROOMS", 10_000, 1, 1_000_000),
    maxPlayers: intFromEnv("MAX_PLAYERS_PER_ROOM", 100, 1, 1_000),
    ratePerSecond: intFromEnv("RATE_LIMIT_PER_SECOND", 20, 1, 10_000),
    rateBurst: intFromEnv("RATE_LIMIT_BURST", 40, 1, 10_000),
    revealInlinePlayers: intFromEnv("REVEAL_INLINE_PLAYERS", 16, 0, 1_000),
  };
}
