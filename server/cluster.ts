import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { Redis } from "ioredis";
import {
  ackError,
  ErrorCode,
  isClientEventName,
  MAX_PAYLOAD_CHARS,
  roomCodeSchema,
} from "../lib/protocol";
import type { AckResponse, ClientEventName, ServerEventName } from "../lib/protocol";
import type { Clock, TimerHandle } from "./clock";
import type { Connection } from "./connection";
import type { Database } from "./db/types";
import { loadRoomLog, loggedRoomCodes, roomLogExists } from "./db/room-log";
import type { GameHub } from "./hub";
import type { Logger } from "./logger";
import type { EventSink, GameIoServer, SocketIoOptions } from "./socket-io";

/**
 * Several nodes on one PostgreSQL and one Redis (docs/SPEC.md R40–R44). Every node runs the same
 * code; nodes never talk to each other directly, only through Redis:
 *
 * - R40 ownership: each live room is run by exactly one node, the holder of its lease, a Redis key
 *   made with SET NX PX and renewed by its owner every third of its time. A new room's code is
 *   claimed that way before the room exists (codes never collide across nodes).
 * - R41 forwarding: a connection's events for a room another node owns go to that node over
 *   Socket.IO's `serverSideEmit` (the Redis streams adapter), with a request id; the owner runs
 *   them through its hub (the same zod parsing and token checks as its own connections') and
 *   answers with the acknowledgement, which the connection's node passes on. What the owner
 *   sends such a connection goes through the adapter (`io.to(socketId)`), to the socket's node.
 * - R42 fencing: a node that cannot renew a lease in time stops running that room before the
 *   lease can expire (nothing more is logged), and the room log's (room, seq) key refuses a
 *   stale writer's entry anyway.
 * - R43 failover: every node looks, every half lease, for rooms with a log and no lease (their
 *   owner died, or stopped: a graceful stop releases its leases at once) and takes them over
 *   (SET NX: exactly one node wins) by replaying the log through lib's reducer (R37). A
 *   connection whose room moved is attached again on the new owner with the tokens it used.
 */

/**
 * Faults a test injects to hold a node inside a window it would otherwise cross in a few
 * milliseconds (tests/server/cluster-child.ts sets them; server/main.ts never does).
 */
export interface ClusterFaults {
  /** Runs after a takeover has won room `code`'s lease and before its log is replayed (R43). */
  readonly beforeReplay?: (code: string) => Promise<void>;
}

/** Cluster settings, from the environment ({@link clusterConfigFrom}). */
export interface ClusterConfig {
  readonly redisUrl: string;
  /** `CLUSTER_PREFIX`: Redis keys and streams of this game (several games may share a Redis). */
  readonly prefix: string;
  /** `ROOM_LEASE_MS` (default 5000): how long a room's lease lasts unless renewed. */
  readonly leaseMs: number;
  /**
   * `FORWARD_TIMEOUT_MS` (default the lease and a second): how long a forwarded event waits for
   * its owner before the node looks whether the room moved (then it is sent there) or not (then
   * it is answered INTERNAL_ERROR). Under the browser's 8 s request timeout by default.
   */
  readonly forwardTimeoutMs: number;
  /** `NODE_ID` (default random): this node's name in the leases and the logs. */
  readonly nodeId: string;
}

function intOf(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number) {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 300 || n > 600_000) {
    throw new Error(`${name} must be an integer number of milliseconds from 300 to 600000`);
  }
  return n;
}

/** The cluster settings when `REDIS_URL` is set, else null (one node). */
export function clusterConfigFrom(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ClusterConfig | null {
  const redisUrl = env.REDIS_URL?.trim();
  if (!redisUrl) return null;
  if (!env.DATABASE_URL?.trim()) {
    throw new Error(
      "REDIS_URL is set but DATABASE_URL is not: several nodes need one PostgreSQL server (embedded PGlite is one process per folder)",
    );
  }
  const prefix = env.CLUSTER_PREFIX?.trim() || "bd";
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(prefix)) {
    throw new Error("CLUSTER_PREFIX must be 1-64 letters, digits or _.:-");
  }
  const nodeId = env.NODE_ID?.trim() || `node-${randomBytes(4).toString("hex")}`;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(nodeId)) {
    throw new Error("NODE_ID must be 1-64 letters, digits or _.-");
  }
  const leaseMs = intOf(env, "ROOM_LEASE_MS", 5_000);
  return {
    redisUrl,
    prefix,
    leaseMs,
    forwardTimeoutMs: intOf(env, "FORWARD_TIMEOUT_MS", leaseMs + 1_000),
    nodeId,
  };
}

/**
 * R46: the streams adapter (0.3.1) sends each server-side emit with a PUBLISH whose promise it
 * drops, so while Redis is unreachable ioredis rejects it unhandled and Node ends the process.
 * The adapter gets the client through this wrapper, which logs such a failure instead (the
 * message is lost, like any PUBLISH without a connection; R43's timeouts cover the requests).
 */
function guardPublish(redis: Redis, logger: Logger): Redis {
  const report = (error: unknown) =>
    logger.warn("a message to the other nodes could not be sent", { error: String(error) });
  return new Proxy(redis, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      if (key !== "publish" && key !== "spublish") return value.bind(target);
      return (...args: unknown[]) => {
        const sent = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        sent.catch(report);
        return sent;
      };
    },
  });
}

/** Connect to Redis; one clear error when it cannot be reached (the caller exits 1). */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 2,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `Redis is unreachable at ${url.replace(/\/\/[^@/]*@/, "//…@")}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return redis;
}

// Lua: renew or release a lease only while it is this node's.
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

/** R43: refusals after which attaching a connection again on its room's new owner is retried. */
const RETRY_ATTACH: ReadonlySet<string> = new Set([
  ErrorCode.UNAVAILABLE,
  ErrorCode.INTERNAL_ERROR,
]);
/** How often, and how far apart: about half a minute before the connection is left in no room. */
const ATTACH_ATTEMPTS = 60;
const ATTACH_RETRY_MS = 500;

/** Events that attach a connection to a room (the edge remembers how, to attach it again). */
const ATTACHING = new Set<ClientEventName>(["room:join", "room:resume", "room:host", "room:watch"]);

interface Route {
  /** The node that owns the room the connection is attached to. */
  readonly node: string;
  readonly code: string;
  seatToken?: string;
  hostToken?: string;
}

interface Request {
  readonly to: string;
  readonly from: string;
  readonly id: number;
  readonly sid: string;
  readonly event: string;
  readonly payload: unknown;
}

interface Reply {
  readonly to: string;
  readonly id: number;
  readonly answer: unknown;
  readonly attached: string | null;
}

interface HttpRequest {
  readonly to: string;
  readonly from: string;
  readonly id: number;
  readonly path: string;
}

interface HttpReply {
  readonly to: string;
  readonly id: number;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

interface Pending {
  readonly node: string;
  readonly connId: string;
  readonly resolve: (answer: unknown) => void;
  readonly timer: TimerHandle;
}

/** Statistics of a node (the /healthz answer). */
export interface ClusterStats {
  node: string;
  /** Rooms this node owns. */
  rooms: string[];
  forwardedOut: number;
  forwardedIn: number;
  takenOver: number;
  fenced: number;
  /** This node's connections whose room moved, not yet attached again on its owner (R46). */
  moving: number;
}

/** One node of the cluster, in front of its hub. */
export class ClusterNode implements EventSink {
  private io: GameIoServer | null = null;
  /** Leases this node holds: the time until which it may act on each (R42). */
  private readonly held = new Map<string, { until: number; claimedAt: number }>();
  /**
   * This node's connections attached to rooms of other nodes, and (`node` this node's id) those
   * of a room this node lost, waiting to be attached again on its new owner (R46).
   */
  private readonly routes = new Map<string, Route>();
  /** How this node's connections attached to its own rooms did so (their tokens, R46). */
  private readonly locals = new Map<string, Route>();
  /** Connections being attached again on their room's new owner (R43, R46). */
  private readonly attaching = new Map<string, Promise<void>>();
  /** Connections of other nodes, as this node's hub knows them (`node|socketId`). */
  private readonly remotes = new Map<string, Connection & { readonly node: string }>();
  private readonly pending = new Map<number, Pending>();
  private readonly httpPending = new Map<number, (reply: HttpReply | null) => void>();
  private readonly takeovers = new Map<string, Promise<boolean>>();
  private nextId = 1;
  /** The upkeep's next runs (renew, sweep), on the hub's clock. */
  private readonly timers = new Map<string, TimerHandle>();
  private stopped = false;
  private port = 0;
  /** Resolves once the room log has written what it was given (set by the server). */
  flushLog: (() => Promise<void>) | null = null;
  private readonly counters = { forwardedOut: 0, forwardedIn: 0, takenOver: 0, fenced: 0 };

  constructor(
    readonly config: ClusterConfig,
    private readonly redis: Redis,
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly hub: () => GameHub,
    private readonly faults: ClusterFaults = {},
  ) {}

  get nodeId(): string {
    return this.config.nodeId;
  }

  /**
   * The hub's clock (the server's injected one) for this node's timers: forwarding timeouts,
   * retries, upkeep. Leases are measured with `Date.now()` instead: Redis expires them in real
   * time, whatever clock the rooms run on.
   */
  private get clock(): Clock {
    return this.hub().clock;
  }

  private leaseKey(code: string): string {
    return `${this.config.prefix}:lease:${code}`;
  }

  private nodeKey(node: string): string {
    return `${this.config.prefix}:node:${node}`;
  }

  /** The Socket.IO options of a node: the Redis streams adapter, WebSocket only (R44). */
  socketIoOptions(): Pick<SocketIoOptions, "adapter" | "websocketOnly" | "sink"> {
    return {
      adapter: createAdapter(guardPublish(this.redis, this.logger), {
        streamName: `${this.config.prefix}:socket.io`,
        channelPrefix: `${this.config.prefix}:socket.io`,
        heartbeatInterval: Math.max(1_000, Math.floor(this.config.leaseMs / 2)),
        heartbeatTimeout: this.config.leaseMs * 2,
      }) as SocketIoOptions["adapter"],
      websocketOnly: true,
      sink: this,
    };
  }

  /** Start: listen to the other nodes, announce this one, take over orphaned rooms (R43). */
  async start(io: GameIoServer, port: number): Promise<void> {
    this.io = io;
    this.port = port;
    const on = io.on.bind(io) as unknown as (event: string, f: (m: never) => void) => void;
    on("bd:req", (m: Request) => void this.onRequest(m));
    on("bd:res", (m: Reply) => this.onReply(m));
    on("bd:gone", (m: { to: string; from: string; sid: string }) => {
      if (m.to === this.nodeId) this.dropRemote(`${m.from}|${m.sid}`);
    });
    on("bd:detached", (m: { to: string; sid: string; code: string }) => {
      if (m.to !== this.nodeId) return;
      if (this.routes.get(m.sid)?.code === m.code) this.routes.delete(m.sid);
    });
    on("bd:drop", (m: { to: string; sid: string }) => {
      if (m.to === this.nodeId) io.sockets.sockets.get(m.sid)?.disconnect(true);
    });
    on("bd:http", (m: HttpRequest) => void this.onHttpRequest(m));
    on("bd:moved", (m: { from: string; code: string }) => {
      if (m.from !== this.nodeId) void this.rehome(m.code).catch(() => {});
    });
    on("bd:http-res", (m: HttpReply) => {
      if (m.to !== this.nodeId) return;
      this.httpPending.get(m.id)?.(m);
    });
    await this.redis.set(this.nodeKey(this.nodeId), String(port), "PX", this.config.leaseMs);
    // Every `ms`, and never two runs of one task at once (a tick during a slow run skips).
    const every = (name: string, ms: number, f: () => Promise<void>) => {
      let running = false;
      const tick = () => {
        if (this.stopped) return;
        this.timers.set(name, this.clock.setTimeout(tick, ms));
        if (running) return;
        running = true;
        void f()
          .catch((error: unknown) =>
            this.logger.warn("cluster upkeep failed", { node: this.nodeId, error: String(error) }),
          )
          .finally(() => (running = false));
      };
      this.timers.set(name, this.clock.setTimeout(tick, ms));
    };
    every("renew", Math.max(100, Math.floor(this.config.leaseMs / 3)), () => this.renew());
    every("sweep", Math.max(150, Math.floor(this.config.leaseMs / 2)), () => this.sweep());
    await this.sweep();
    this.logger.info("cluster node started", { node: this.nodeId, leaseMs: this.config.leaseMs });
  }

  /** Release every lease (R43: the other nodes take the rooms over at once) and stop. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) this.clock.clearTimeout(timer);
    this.timers.clear();
    // Nothing runs here any more; what was accepted is written before the leases go.
    for (const code of this.hub().roomCodes()) this.hub().abandon(code);
    await this.flushLog?.().catch(() => {});
    const codes = [...this.held.keys()];
    this.held.clear();
    await Promise.all(
      codes.map((code) => this.redis.eval(RELEASE, 1, this.leaseKey(code), this.nodeId)),
    ).catch(() => {});
    await this.redis.del(this.nodeKey(this.nodeId)).catch(() => {});
  }

  stats(): ClusterStats {
    let moving = 0;
    for (const route of this.routes.values()) if (route.node === this.nodeId) moving += 1;
    return {
      node: this.nodeId,
      rooms: this.hub().roomCodes().sort(),
      ...this.counters,
      moving,
    };
  }

  // ── R40: leases ──────────────────────────────────────────────────────────────────────────

  /** Whether this node may still act on room `code` (its lease cannot have expired yet). */
  owns(code: string): boolean {
    const lease = this.held.get(code);
    return lease !== undefined && lease.until > Date.now();
  }

  /** Take room `code`'s lease when no node holds it. */
  private async acquire(code: string): Promise<boolean> {
    const sent = Date.now();
    const got = await this.redis.set(
      this.leaseKey(code),
      this.nodeId,
      "PX",
      this.config.leaseMs,
      "NX",
    );
    if (got !== "OK") return false;
    this.held.set(code, { until: this.deadline(sent), claimedAt: sent });
    return true;
  }

  /** Until when a lease renewed (or taken) at `sent` is surely still this node's. */
  private deadline(sent: number): number {
    // A fifth of the lease is left for clocks running at different speeds and slow replies.
    return sent + this.config.leaseMs - Math.floor(this.config.leaseMs / 5);
  }

  /** R40: claim a new room's code (the hub's `claimCode`); never a code that has a log. */
  async claimCode(code: string): Promise<boolean> {
    if (this.stopped || !(await this.acquire(code))) return false;
    const orphaned = await roomLogExists(this.db, code).catch(async (error: unknown) => {
      // R46: the database is unreachable: no room is made, and the code is given back.
      this.held.delete(code);
      await this.redis.eval(RELEASE, 1, this.leaseKey(code), this.nodeId).catch(() => {});
      throw error;
    });
    if (orphaned) {
      // An orphaned room waiting to be taken over: not a code for a new room.
      this.held.delete(code);
      await this.redis.eval(RELEASE, 1, this.leaseKey(code), this.nodeId);
      return false;
    }
    return true;
  }

  /** Renew every lease this node holds; give up the rooms whose lease is lost (R42). */
  private async renew(): Promise<void> {
    const hub = this.hub();
    const live = new Set(hub.roomCodes());
    const now = Date.now();
    // Rooms whose lease could not be renewed in time: stop before another node can start.
    for (const [code, lease] of this.held) {
      if (lease.until <= now) this.lose(code, "its lease could not be renewed in time");
    }
    await this.redis.set(this.nodeKey(this.nodeId), String(this.port), "PX", this.config.leaseMs);
    const codes = [...this.held.keys()];
    if (codes.length === 0) return;
    const pipeline = this.redis.pipeline();
    const renewing: string[] = [];
    for (const code of codes) {
      const lease = this.held.get(code)!;
      // A claimed code whose room was never made (a refused create), or a room that closed;
      // not a room being taken over, whose replay may take longer than a lease (R43).
      if (
        !live.has(code) &&
        !this.takeovers.has(code) &&
        now - lease.claimedAt > this.config.leaseMs
      ) {
        this.held.delete(code);
        pipeline.eval(RELEASE, 1, this.leaseKey(code), this.nodeId);
      } else {
        renewing.push(code);
        pipeline.eval(RENEW, 1, this.leaseKey(code), this.nodeId, this.config.leaseMs);
      }
    }
    const sent = Date.now();
    const results = (await pipeline.exec()) ?? [];
    let r = 0;
    for (const code of codes) {
      const result = results[r++];
      if (!renewing.includes(code)) continue;
      const lease = this.held.get(code);
      if (!lease || !result || result[0]) continue;
      if (result[1] === 1) lease.until = this.deadline(sent);
      else this.lose(code, "another node holds its lease");
    }
  }

  private lose(code: string, why: string): void {
    this.held.delete(code);
    this.counters.fenced += 1;
    this.logger.warn("a room's lease is lost", { node: this.nodeId, room: code, why });
    // R46: no connection of the room is closed. This node's own wait, open, for the room's new
    // owner (the sweep attaches them again there with their tokens); another node's are forgotten
    // here without a word to that node, which still routes them here and attaches them again on
    // the new owner when the room moves (telling it to drop them would close its players'
    // sockets, and could not reach it while this node's Redis is down anyway).
    const remote: string[] = [];
    this.hub().abandon(code, (conn) => {
      if (this.remotes.has(conn.id)) {
        remote.push(conn.id);
        return true;
      }
      const local = this.locals.get(conn.id);
      if (local?.code !== code || !this.io?.sockets.sockets.has(conn.id)) return false;
      this.locals.delete(conn.id);
      this.routes.set(conn.id, local);
      return true;
    });
    for (const key of remote) this.dropRemote(key);
  }

  /**
   * R43: take over rooms that have a log and no lease; attach this node's connections again
   * whose room moved; forget connections of nodes that are gone.
   */
  private async sweep(): Promise<void> {
    const codes = await loggedRoomCodes(this.db);
    const mine = new Set(this.hub().roomCodes());
    const others = codes.filter((code) => !mine.has(code) && !this.held.has(code));
    const owners =
      others.length > 0 ? await this.redis.mget(others.map((c) => this.leaseKey(c))) : [];
    await Promise.all(
      others.map((code, i) => (owners[i] === null ? this.takeOver(code) : Promise.resolve(false))),
    );
    await this.rehome();
    // Connections of nodes that stopped announcing themselves: they are gone (kill -9).
    const nodes = [...new Set([...this.remotes.values()].map((c) => c.node))];
    if (nodes.length > 0) {
      const alive = await this.redis.mget(nodes.map((n) => this.nodeKey(n)));
      nodes.forEach((node, i) => {
        if (alive[i] !== null) return;
        for (const [key, conn] of this.remotes) if (conn.node === node) this.dropRemote(key);
      });
    }
  }

  /** R43: run room `code` here from its log, if no node holds it (exactly one node wins). */
  takeOver(code: string): Promise<boolean> {
    let running = this.takeovers.get(code);
    if (!running) {
      running = (async () => {
        if (this.stopped || this.hub().room(code) || !(await this.acquire(code))) return false;
        await this.faults.beforeReplay?.(code);
        const rows = await loadRoomLog(this.db, code);
        if (rows.length === 0) return false; // closed and compacted meanwhile
        const restored = await this.hub().restore(new Map([[code, rows]]));
        if (restored.resumed === 1) {
          this.counters.takenOver += 1;
          // The other nodes attach their connections of this room here now, not at their sweep;
          // so does this one, of a room it lost and took back (R46).
          this.emit("bd:moved", { from: this.nodeId, code });
          void this.rehome(code).catch(() => {});
          this.logger.info("took a room over from its log", {
            node: this.nodeId,
            room: code,
            entries: rows.length,
          });
        }
        return restored.resumed === 1;
      })().finally(() => this.takeovers.delete(code));
      this.takeovers.set(code, running);
    }
    return running;
  }

  /** Room `code`'s owner: this node, another, or null (none: nobody runs it). */
  private async ownerOf(code: string): Promise<string | null> {
    // Between taking the lease and restoring the room from its log, the lease names this node
    // but the hub has no such room yet: wait for the takeover, not answer ROOM_NOT_FOUND.
    await this.takeovers.get(code)?.catch(() => false);
    if (this.owns(code) && this.hub().room(code)) return this.nodeId;
    const owner = await this.redis.get(this.leaseKey(code));
    if (owner !== null || !(await roomLogExists(this.db, code))) return owner;
    // An orphaned room: take it over now rather than at the next sweep.
    if (await this.takeOver(code)) return this.nodeId;
    return this.redis.get(this.leaseKey(code));
  }

  // ── R41: forwarding ──────────────────────────────────────────────────────────────────────

  connect(conn: Connection): void {
    this.hub().connect(conn);
  }

  disconnect(conn: Connection): void {
    const route = this.routes.get(conn.id);
    this.routes.delete(conn.id);
    this.locals.delete(conn.id);
    if (route && route.node !== this.nodeId) {
      this.emit("bd:gone", { to: route.node, from: this.nodeId, sid: conn.id });
    }
    for (const [id, p] of this.pending) {
      if (p.connId === conn.id) {
        this.clock.clearTimeout(p.timer);
        this.pending.delete(id);
      }
    }
    this.hub().disconnect(conn);
  }

  /** A connection's event: handled here, or forwarded to the node that owns its room. */
  handle(conn: Connection, event: ClientEventName, payload: unknown): unknown {
    const route = this.routes.get(conn.id);
    if (route?.node === this.nodeId) {
      // R46: its room moved; until the connection is attached again on the new owner its
      // events are refused (not run on a room that is not there, nor lost).
      void this.rehome(route.code).catch(() => {});
      return ackError(
        ErrorCode.UNAVAILABLE,
        "this room is moving to another server node; nothing changed, try again in a moment",
      );
    }
    return this.dispatch(conn, event, payload);
  }

  /** Run an event where the connection's room is (a route that moves is not followed). */
  private dispatch(conn: Connection, event: ClientEventName, payload: unknown): unknown {
    const route = this.routes.get(conn.id);
    if (route && route.node !== this.nodeId) return this.forward(route.node, conn, event, payload);
    // Attached to one of this node's rooms, or an event of no room (create, the daily): here.
    if (this.hub().attachedRoom(conn.id) !== null) return this.here(conn, event, payload);
    const raw = (payload as { code?: unknown } | null)?.code;
    const code = typeof raw === "string" ? roomCodeSchema.safeParse(raw) : null;
    if (!code?.success) return this.here(conn, event, payload);
    return this.ownerOf(code.data).then(
      (owner) =>
        owner === null || owner === this.nodeId
          ? this.here(conn, event, payload)
          : this.forward(owner, conn, event, payload),
      (error: unknown) => {
        // R46: Redis or the database is unreachable: nothing is known of the room's owner.
        this.logger.warn("could not find a room's owner", {
          node: this.nodeId,
          event,
          error: String(error),
        });
        return ackError(
          ErrorCode.UNAVAILABLE,
          "this server node cannot reach Redis or the database right now; nothing changed, try again in a moment",
        );
      },
    );
  }

  /** Run an event on this node's hub; remember how the connection attached (R46). */
  private here(conn: Connection, event: ClientEventName, payload: unknown): unknown {
    const answer = this.hub().handle(conn, event, payload);
    const note = (reply: unknown) => {
      this.noteLocal(conn.id, event, payload, reply);
      return reply;
    };
    return answer instanceof Promise ? answer.then(note) : note(answer);
  }

  /** Keep the tokens a local connection attached to one of this node's rooms with. */
  private noteLocal(connId: string, event: ClientEventName, payload: unknown, reply: unknown) {
    const code = this.hub().attachedRoom(connId);
    if (code === null) {
      this.locals.delete(connId);
      return;
    }
    const previous = this.locals.get(connId);
    const route: Route = previous?.code === code ? previous : { node: this.nodeId, code };
    if ((reply as AckResponse<object>).ok) {
      const answer = reply as { seatToken?: unknown; hostToken?: unknown };
      const p = payload as { seatToken?: unknown; hostToken?: unknown };
      if (typeof answer.seatToken === "string") route.seatToken = answer.seatToken;
      else if (event === "room:resume" && typeof p.seatToken === "string") {
        route.seatToken = p.seatToken;
      }
      if (typeof answer.hostToken === "string") route.hostToken = answer.hostToken;
      else if (event === "room:host" && typeof p.hostToken === "string") {
        route.hostToken = p.hostToken;
      }
    }
    this.locals.set(connId, route);
  }

  private emit(event: string, message: object): void {
    (this.io?.serverSideEmit as ((e: string, m: object) => void) | undefined)?.call(
      this.io,
      event,
      message,
    );
  }

  private forward(
    node: string,
    conn: Connection,
    event: ClientEventName,
    payload: unknown,
  ): Promise<unknown> {
    this.counters.forwardedOut += 1;
    const id = this.nextId++;
    return new Promise<unknown>((resolve) => {
      const timer = this.clock.setTimeout(() => {
        this.pending.delete(id);
        resolve(this.afterTimeout(node, conn, event, payload));
      }, this.config.forwardTimeoutMs);
      this.pending.set(id, {
        node,
        connId: conn.id,
        timer,
        resolve: (answer) => {
          this.remember(conn.id, node, event, payload, answer);
          resolve((answer as { answer: unknown }).answer);
        },
      });
      this.emit("bd:req", {
        to: node,
        from: this.nodeId,
        id,
        sid: conn.id,
        event,
        payload,
      } satisfies Request);
    });
  }

  /**
   * R43: a forwarded event got no answer. When its room has moved (the owner died and its lease
   * ran out), the connection is attached again on the new owner and the event sent there once;
   * otherwise it is refused (nothing is known to have changed).
   */
  private async afterTimeout(
    node: string,
    conn: Connection,
    event: ClientEventName,
    payload: unknown,
  ): Promise<unknown> {
    const refused = ackError(
      ErrorCode.INTERNAL_ERROR,
      "the server node that runs this room did not answer in time; try again in a moment",
    );
    if (this.stopped) return refused;
    const route = this.routes.get(conn.id);
    if (!route || route.node !== node) {
      // It moved meanwhile, or is being attached again on the new owner: its route says
      // "moving", and dispatched now an event without a room code (a move) would find no room
      // here and be refused NOT_IN_ROOM. Such an event waits for that attach, then runs where
      // the connection is attached. An event naming its room (the attach's own resume, which
      // must not wait for itself) is dispatched by its code.
      if (typeof (payload as { code?: unknown } | null)?.code === "string") {
        return this.dispatch(conn, event, payload);
      }
      await this.attaching.get(conn.id);
      return this.handle(conn, event, payload);
    }
    const owner = await this.redis.get(this.leaseKey(route.code)).catch(() => node);
    if (owner === node) return refused;
    if (this.routes.get(conn.id) === route) await this.attachAgain(conn.id, route);
    return this.handle(conn, event, payload);
  }

  /** Keep the route (and the tokens to attach again with) a forwarded answer leaves. */
  private remember(
    connId: string,
    node: string,
    event: ClientEventName,
    payload: unknown,
    reply: unknown,
  ): void {
    const { answer, attached } = reply as Reply;
    if (attached === null) {
      this.routes.delete(connId);
      return;
    }
    const previous = this.routes.get(connId);
    const route: Route =
      previous && previous.code === attached && previous.node === node
        ? previous
        : { node, code: attached };
    const ok = (answer as AckResponse<object>).ok;
    const p = payload as { seatToken?: string; hostToken?: string };
    if (ok && ATTACHING.has(event)) {
      if (event === "room:resume" && p.seatToken) route.seatToken = p.seatToken;
      if (event === "room:host" && p.hostToken) route.hostToken = p.hostToken;
      const seat = (answer as { seatToken?: unknown }).seatToken;
      if (event === "room:join" && typeof seat === "string") route.seatToken = seat;
    }
    this.routes.set(connId, route);
  }

  private onReply(m: Reply): void {
    if (m.to !== this.nodeId) return;
    const pending = this.pending.get(m.id);
    if (!pending) return;
    this.pending.delete(m.id);
    this.clock.clearTimeout(pending.timer);
    pending.resolve(m);
  }

  /** R41: an event of another node's connection, for a room of this node's (or none). */
  private async onRequest(m: Request): Promise<void> {
    if (m.to !== this.nodeId || this.stopped) return;
    this.counters.forwardedIn += 1;
    const key = `${m.from}|${m.sid}`;
    const conn = this.remoteConnection(key, m.from, m.sid);
    let answer: unknown;
    try {
      // R43: the sender found this node's lease on the room, which it may have taken a moment
      // ago and still be restoring from the log: its event waits for the room, not refused.
      const raw = (m.payload as { code?: unknown } | null)?.code;
      const code = typeof raw === "string" ? raw : this.hub().attachedRoom(key);
      if (code !== null) await this.takeovers.get(code)?.catch(() => false);
      // The same guards as this node's own sockets (server/socket-io.ts), then the hub's parse.
      if (!isClientEventName(m.event)) {
        answer = ackError(ErrorCode.UNKNOWN_EVENT, `unknown event ${JSON.stringify(m.event)}`);
      } else if ((JSON.stringify(m.payload)?.length ?? 0) > MAX_PAYLOAD_CHARS) {
        answer = ackError(ErrorCode.PAYLOAD_TOO_LARGE, `${m.event}: the payload is too large`);
      } else {
        answer = await this.hub().handle(conn, m.event, m.payload);
      }
    } catch (error) {
      this.logger.error("a forwarded event failed", { event: m.event, error: String(error) });
      answer = ackError(ErrorCode.INTERNAL_ERROR, "the server failed to handle this request");
    }
    const attached = this.hub().attachedRoom(key);
    if (attached === null) this.dropRemote(key);
    this.emit("bd:res", { to: m.from, id: m.id, answer, attached } satisfies Reply);
  }

  /** The hub's connection for another node's socket: what it is sent goes through the adapter. */
  private remoteConnection(key: string, node: string, sid: string): Connection {
    let conn = this.remotes.get(key);
    if (conn) return conn;
    const io = () => this.io!;
    const emitTo = (event: ServerEventName, payload: unknown) => {
      try {
        (io().to(sid).emit as (e: string, p: unknown) => boolean)(event, payload);
      } catch (error) {
        this.logger.error("emit to another node failed", { event, error: String(error) });
      }
    };
    conn = {
      id: key,
      node,
      send: (event, payload) => {
        emitTo(event, payload);
        if (event === "room:closed") {
          const code = (payload as { code: string }).code;
          this.emit("bd:detached", { to: node, sid, code });
        }
      },
      sendJson: (event, json) => emitTo(event, JSON.parse(json)),
      disconnect: () => this.emit("bd:drop", { to: node, sid }),
    };
    this.remotes.set(key, conn);
    this.hub().connect(conn, false);
    return conn;
  }

  private dropRemote(key: string): void {
    const conn = this.remotes.get(key);
    if (!conn) return;
    this.remotes.delete(key);
    this.hub().disconnect(conn);
  }

  /**
   * R43: this node's connections whose room has a new owner (the old one died) are attached
   * again there, with the seat or host token they used; the room's players carry on.
   */
  private async rehome(only?: string): Promise<void> {
    const byCode = new Map<string, [string, Route][]>();
    for (const entry of this.routes) {
      if (only !== undefined && entry[1].code !== only) continue;
      const list = byCode.get(entry[1].code) ?? [];
      list.push(entry);
      byCode.set(entry[1].code, list);
    }
    if (byCode.size === 0) return;
    const codes = [...byCode.keys()];
    const owners = await this.redis.mget(codes.map((c) => this.leaseKey(c)));
    const sockets = this.io?.sockets.sockets;
    await Promise.all(
      codes.map(async (code, i) => {
        const owner = owners[i];
        const entries = byCode.get(code)!;
        const node = entries[0]![1].node;
        // Still that node's room; unless it is a room this node lost and runs again (R46).
        if (owner !== null && owner === node && !(node === this.nodeId && this.hub().room(code))) {
          return;
        }
        if (owner === null && !(await roomLogExists(this.db, code))) {
          // The room closed with its node: nothing to attach to again.
          for (const [connId, route] of entries) {
            if (this.routes.get(connId) === route) this.routes.delete(connId);
          }
          return;
        }
        for (const [connId, route] of entries) {
          // One being attached already (bd:moved, a timed-out event): not waited for here, so
          // the sweep goes on to the other rooms.
          if (this.routes.get(connId) !== route || this.attaching.has(connId)) continue;
          if (!sockets?.has(connId)) {
            this.routes.delete(connId);
            continue;
          }
          await this.attachAgain(connId, route);
        }
      }),
    );
  }

  /**
   * Attach a connection again on its room's new owner. Meanwhile its route says "moving" (this
   * node's id): its own events are refused, not run on a room that is not here (R46).
   */
  private attachAgain(connId: string, route: Route): Promise<void> {
    // Already under way (a sweep, bd:moved and a timed-out event can each begin it): wait for it.
    const running = this.attaching.get(connId);
    if (running) return running;
    const attach: Promise<void> = this.attachOnce(connId, route).finally(() => {
      if (this.attaching.get(connId) === attach) this.attaching.delete(connId);
    });
    this.attaching.set(connId, attach);
    return attach;
  }

  private async attachOnce(connId: string, route: Route): Promise<void> {
    const conn = this.localConnection(connId);
    if (!conn) {
      this.routes.delete(connId);
      return;
    }
    const { code, seatToken, hostToken } = route;
    const moving: Route = { node: this.nodeId, code, seatToken, hostToken };
    this.routes.set(connId, moving);
    try {
      await this.attachSteps(conn, route);
    } finally {
      if (this.routes.get(connId) === moving) this.routes.delete(connId);
    }
  }

  private async attachSteps(conn: Connection, route: Route): Promise<void> {
    const { code, seatToken, hostToken } = route;
    const steps: [ClientEventName, object][] = [];
    if (seatToken) steps.push(["room:resume", { code, seatToken }]);
    if (hostToken) steps.push(["room:host", { code, hostToken }]);
    if (steps.length === 0) steps.push(["room:watch", { code }]);
    for (const [event, payload] of steps) {
      // R43: a refusal that changed nothing (the new owner is still taking the room over, or
      // did not answer in time under load) is tried again, as a player would: given up, the
      // connection would be in no room, its moves refused NOT_IN_ROOM until the turn's timer.
      for (let attempt = 1; ; attempt++) {
        const answer = (await this.dispatch(conn, event, payload)) as AckResponse<object>;
        const again =
          !answer.ok &&
          RETRY_ATTACH.has(answer.error.code) &&
          attempt < ATTACH_ATTEMPTS &&
          !this.stopped &&
          this.io?.sockets.sockets.has(conn.id) === true;
        this.logger[answer.ok || again ? "info" : "warn"](
          "a connection was attached again after its room moved",
          {
            node: this.nodeId,
            room: code,
            event,
            ok: answer.ok,
            attempt,
            ...(answer.ok ? {} : { error: answer.error.code }),
          },
        );
        if (!again) break;
        await new Promise<void>((resolve) => this.clock.setTimeout(resolve, ATTACH_RETRY_MS));
      }
    }
  }

  /** This node's hub connection of a local socket (registered at connect). */
  private localConnection(connId: string): Connection | null {
    return this.hub().connection(connId);
  }

  // ── HTTP on any node ─────────────────────────────────────────────────────────────────────

  /**
   * R41: an HTTP request about room `code` (the big reveal's shared entries, the live CSV): false
   * when this node answers it; true when it was answered by the room's owner, through Redis.
   */
  async proxyHttp(req: IncomingMessage, res: ServerResponse, rawCode: string): Promise<boolean> {
    if (req.headers["x-bd-forwarded"] !== undefined || req.method !== "GET") return false;
    const code = roomCodeSchema.safeParse(rawCode);
    if (!code.success) return false;
    const owner = await this.ownerOf(code.data);
    if (owner === null || owner === this.nodeId) return false;
    const id = this.nextId++;
    const reply = await new Promise<HttpReply | null>((resolve) => {
      const timer = this.clock.setTimeout(() => resolve(null), this.config.forwardTimeoutMs);
      this.httpPending.set(id, (r) => {
        this.clock.clearTimeout(timer);
        resolve(r);
      });
      this.emit("bd:http", {
        to: owner,
        from: this.nodeId,
        id,
        path: req.url ?? "/",
      } satisfies HttpRequest);
    });
    this.httpPending.delete(id);
    if (!reply) {
      res.writeHead(503, { "content-type": "text/plain; charset=utf-8" });
      res.end("the server node that runs this room did not answer; try again");
      return true;
    }
    res.writeHead(reply.status, reply.headers);
    res.end(Buffer.from(reply.body, "base64"));
    return true;
  }

  private async onHttpRequest(m: HttpRequest): Promise<void> {
    if (m.to !== this.nodeId) return;
    let reply: HttpReply;
    try {
      // Answered by this node's own HTTP server, as if the request had come here.
      const response = await fetch(`http://127.0.0.1:${this.port}${m.path}`, {
        headers: { "x-bd-forwarded": this.nodeId, "accept-encoding": "identity" },
      });
      const headers: Record<string, string> = {};
      for (const name of ["content-type", "content-disposition", "cache-control"]) {
        const value = response.headers.get(name);
        if (value) headers[name] = value;
      }
      const body = Buffer.from(await response.arrayBuffer()).toString("base64");
      reply = { to: m.from, id: m.id, status: response.status, headers, body };
    } catch (error) {
      reply = { to: m.from, id: m.id, status: 502, headers: {}, body: "" };
      this.logger.error("answering a forwarded HTTP request failed", { error: String(error) });
    }
    this.emit("bd:http-res", reply);
  }
}
