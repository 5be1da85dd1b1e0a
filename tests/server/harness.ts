import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { io } from "socket.io-client";
import type { Socket } from "socket.io-client";
import { applyProgress, PROTOCOL_VERSION } from "../../lib/protocol";
import type {
  AckResponse,
  ClientEventName,
  ClientEventResults,
  ClientPayloadInput,
  ClientToServerEvents,
  ProgressMessage,
  RoomClosedMessage,
  RoomSnapshot,
  ServerToClientEvents,
} from "../../lib/protocol";
import { createGameServer } from "../../server/game-server";
import type { GameServer, GameServerOptions } from "../../server/game-server";
import { silentLogger } from "../../server/logger";

/**
 * The integration-test harness: the game server (hub + Socket.IO, no Next.js) on a bare HTTP
 * server on an ephemeral loopback port, and real socket.io-client clients that record every frame
 * they receive (parsed, and as the raw text of every engine.io packet on the wire).
 */

/** A running test server. */
export interface TestServer {
  readonly url: string;
  readonly game: GameServer;
  close(): Promise<void>;
}

/** Start the game server on 127.0.0.1:0. */
export async function startServer(
  options: Partial<Omit<GameServerOptions, "httpServer">> = {},
): Promise<TestServer> {
  const httpServer = createServer((req, res) => {
    if (game.handleHttp(req, res)) return;
    res.writeHead(404);
    res.end();
  });
  const game: GameServer = createGameServer({
    logger: silentLogger,
    ...options,
    rateLimit: { perSecond: 1000, burst: 1000, ...options.rateLimit },
    // Presence snapshots quickly, so that tests waiting for a member list do not wait long.
    limits: { presenceIntervalMs: 10, ...options.limits },
    httpServer,
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    game,
    close: async () => {
      await game.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

/** A frame a client received. */
export interface Frame {
  readonly event: string;
  readonly payload: unknown;
  /** performance.now() at arrival. */
  readonly at: number;
}

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A recording client. */
export class TestClient {
  readonly socket: ClientSocket;
  /** Every server event received, in order. */
  readonly frames: Frame[] = [];
  /** The raw text of every engine.io packet received (events and acknowledgements). */
  readonly wire: string[] = [];
  /** Every acknowledgement received, in order. */
  readonly acks: unknown[] = [];
  readonly closedMessages: RoomClosedMessage[] = [];
  latest: RoomSnapshot | null = null;
  private waiters: { check: () => boolean; resolve: () => void }[] = [];

  constructor(
    readonly url: string,
    readonly name = "client",
    options: { transports?: string[]; auth?: Record<string, unknown> } = {},
  ) {
    this.socket = io(url, {
      transports: options.transports ?? ["websocket"],
      forceNew: true,
      reconnection: false,
      auth: options.auth ?? { protocolVersion: PROTOCOL_VERSION },
    });
    this.socket.io.on("open", () => {
      this.socket.io.engine.on("packet", (packet: { type: string; data?: unknown }) => {
        if (packet.type === "message" && typeof packet.data === "string")
          this.wire.push(packet.data);
      });
    });
    this.socket.onAny((event: string, payload: unknown) => {
      this.frames.push({ event, payload, at: performance.now() });
      if (event === "room:state") {
        const snapshot = payload as RoomSnapshot;
        if (!this.latest || snapshot.rev >= this.latest.rev || snapshot.code !== this.latest.code) {
          this.latest = snapshot;
        }
      }
      if (event === "room:progress" && this.latest) {
        this.latest = applyProgress(this.latest, payload as ProgressMessage);
      }
      if (event === "room:closed") this.closedMessages.push(payload as RoomClosedMessage);
      this.wake();
    });
  }

  /** Wait until connected. */
  async connected(timeoutMs = 5_000): Promise<this> {
    if (this.socket.connected) return this;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: connect timeout`)), timeoutMs);
      this.socket.once("connect", () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.once("connect_error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    return this;
  }

  /** Send a protocol event and wait for its acknowledgement. */
  request<E extends ClientEventName>(
    event: E,
    payload: ClientPayloadInput<E>,
    timeoutMs = 5_000,
  ): Promise<AckResponse<ClientEventResults[E]>> {
    return this.raw(event, [payload], timeoutMs) as Promise<AckResponse<ClientEventResults[E]>>;
  }

  /** Send anything (bad-input tests): `args` before the ack callback. */
  raw(event: string, args: unknown[], timeoutMs = 5_000): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name}: no ack for ${event}`)),
        timeoutMs,
      );
      const emit = this.socket.emit as unknown as (event: string, ...rest: unknown[]) => void;
      emit.call(this.socket, event, ...args, (response: unknown) => {
        clearTimeout(timer);
        this.acks.push(response);
        this.wake();
        resolve(response);
      });
    });
  }

  /** Wait for a condition on the latest snapshot (checked at each frame). */
  async waitFor(
    predicate: (snapshot: RoomSnapshot) => boolean,
    what = "a snapshot",
    timeoutMs = 5_000,
  ): Promise<RoomSnapshot> {
    await this.until(() => this.latest !== null && predicate(this.latest), what, timeoutMs);
    return this.latest as unknown as RoomSnapshot;
  }

  /** Wait until `check()` holds (re-checked at each frame). */
  until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(`${this.name}: timed out waiting for ${what}; latest rev ${this.latest?.rev}`),
        );
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Frames of one event. */
  framesOf(event: string): Frame[] {
    return this.frames.filter((frame) => frame.event === event);
  }

  /** Close the connection and wait for it. */
  close(): void {
    this.socket.close();
  }

  private wake(): void {
    const ready = this.waiters.filter((w) => w.check());
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }
}

/** Connect a recording client. */
export async function connect(url: string, name?: string): Promise<TestClient> {
  return new TestClient(url, name).connected();
}

/** Unwrap a successful acknowledgement or throw with its error. */
export function ok<T extends object>(response: AckResponse<T>): T {
  if (!response.ok)
    throw new Error(`expected ok, got ${response.error.code}: ${response.error.message}`);
  return response;
}

/**
 * The part of a snapshot every connection must agree on after the reveal: the round's reveal
 * (surface, paths, results) with the per-viewer `you` flags removed, the phase and the settings.
 */
export function sharedState(snapshot: RoomSnapshot): unknown {
  const reveal = snapshot.round?.reveal;
  return JSON.parse(
    JSON.stringify({
      phase: snapshot.phase,
      roundNumber: snapshot.roundNumber,
      turn: snapshot.round?.turn,
      race: snapshot.round?.race.players.map((p) => ({
        seat: p.seat,
        nickname: p.nickname,
        losses: p.losses,
      })),
      bot: snapshot.round?.race.bot,
      reveal,
    }),
    (key, value: unknown) => (key === "you" ? undefined : value),
  );
}

/** Poll `check` every 10 ms until it holds (for server-side conditions no frame announces). */
export async function eventually(
  check: () => boolean,
  what: string,
  timeoutMs = 5_000,
): Promise<void> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A room with a host who does not play and seated players: what {@link openRoom} returns. */
export interface OpenRoom {
  readonly code: string;
  readonly hostToken: string;
  readonly host: TestClient;
  readonly players: TestClient[];
  /** A watching connection, when asked for. */
  readonly spectator: TestClient | null;
  /** Every connection: host, spectator (if any), players. */
  readonly clients: TestClient[];
}

/** Create a room on `url` (settings as `room:create` takes them), seat `names`, maybe a spectator. */
export async function openRoom(
  url: string,
  settings: Record<string, unknown>,
  names: readonly string[],
  options: { readonly spectator?: boolean } = {},
): Promise<OpenRoom> {
  const host = await connect(url, "host");
  const created = ok(await host.request("room:create", { mode: "room", settings }));
  const players: TestClient[] = [];
  for (const name of names) {
    const c = await connect(url, name);
    ok(await c.request("room:join", { code: created.code, nickname: name }));
    players.push(c);
  }
  let spectator: TestClient | null = null;
  if (options.spectator) {
    spectator = await connect(url, "spectator");
    ok(await spectator.request("room:watch", { code: created.code }));
  }
  await host.waitFor((s) => s.members.length === names.length, `${names.length} members`);
  return {
    code: created.code,
    hostToken: created.hostToken,
    host,
    players,
    spectator,
    clients: [host, ...(spectator ? [spectator] : []), ...players],
  };
}

/**
 * Start round `roundNumber` of `room` and play it: in every turn each player moves (angle and
 * step from `move`); resolves with every client's snapshot of the reveal, in `room.clients` order.
 */
export async function playRoom(
  room: OpenRoom,
  turns: number,
  move: (player: number, turn: number) => { angle: number; eta: number },
  roundNumber = 1,
): Promise<RoomSnapshot[]> {
  ok(await room.host.request("round:start", { code: room.code, hostToken: room.hostToken }));
  for (let turn = 0; turn < turns; turn++) {
    await Promise.all(
      room.players.map(async (p, i) => {
        await p.waitFor(
          (s) => s.roundNumber === roundNumber && s.phase === "playing" && s.round?.turn === turn,
          `round ${roundNumber} turn ${turn}`,
        );
        ok(await p.request("round:move", { turn, ...move(i, turn) }));
      }),
    );
  }
  return Promise.all(
    room.clients.map((c) =>
      c.waitFor((s) => s.roundNumber === roundNumber && s.phase === "revealed", "the reveal"),
    ),
  );
}
