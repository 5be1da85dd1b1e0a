/**
 * `npm run bench:rooms` — the room server under load (issue 3 §6).
 *
 * Starts the production server (`SKIP_BUILD=1 node scripts/start.mjs`: Next.js + Socket.IO in one
 * process, finished rounds saved to embedded PGlite in a temporary DATA_DIR, in its own thread;
 * PGLITE_THREAD=main for PGlite in the main thread) when a build exists (in NEXT_DIST_DIR, else
 * .next: `NEXT_DIST_DIR=.next-bench npx next build`), else — or with --standalone — the game server alone
 * (bench/rooms-server.ts); or uses a running server with --url. Then it connects N simulated
 * clients (real socket.io-client websockets, in this process) in R rooms on loopback, plays whole
 * rounds (every client moves as soon as it sees a new turn) and prints:
 * - connected clients;
 * - turn latency p50/p95/p99/max: from the last move of a turn leaving a client to the moment
 *   every client of the room has a snapshot with that turn's result; over all turns, then
 *   separately for ordinary turns and for each round's last turn, whose result comes at once,
 *   sealed (docs/SPEC.md R11b);
 * - the reveal: last move sent → every client of the room has it. The server stores the round
 *   before it sends the reveal (issue 5), so this includes the save, queued behind every other
 *   room's save when many rounds finish together;
 * - big reveals (more than REVEAL_INLINE_PLAYERS players, docs/SPEC.md R11a): each client then
 *   fetches the other players' paths over HTTP, as a browser does: that fetch's time after the
 *   reveal snapshot, and the reveal complete (last move sent → every client holds every path);
 * - moves sent vs acknowledged vs applied (counted in the reveals): lost and duplicated;
 * - server CPU (from /proc) and RSS (peak, and per client above the idle baseline);
 * - the server's event-loop delay during play (bench/server-probe.mjs, preloaded into it);
 * - this (client) process's CPU, since it shares the machine.
 *
 * --postgres: the one server stores rounds and keeps its room log on the PostgreSQL at
 * BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test), in a fresh schema per
 * run, dropped at the end, instead of a throw-away PGlite folder.
 *
 * --nodes N: N game server nodes on Redis + PostgreSQL (a fresh schema and key prefix per run), each
 * room's players on different nodes, against the same load on one node; --kill-owner [--kill-at S]
 * adds a run whose first node is killed with SIGKILL (failover time, moves lost). README, Benchmarks.
 *
 * Flags: --clients (1000), --rooms (100), --room-size (sets rooms = ⌈clients/size⌉), --client-procs N
 * (the clients dealt over N forked processes; default ⌈clients/2500⌉, about 50% of a core each), --rounds (2),
 * --turns (12), --surface (surprise | a catalog id | procedural-<difficulty>; default surprise),
 * --hint (gradient), --think MIN-MAX (ms a client waits before each move; default 500-2000, 0 for
 * a saturation run), --stagger S (start the rooms' first rounds at random times within S seconds;
 * default 0: all at once, the worst case), --standalone, --url URL, --timeout seconds (300), --json (one JSON line),
 * --cpu-prof DIR (a V8 CPU profile of the server, one file per thread, written when it stops),
 * --schedule aligned|spread|both (aligned, the default: every room starts at once and they close
 * their turns together; spread: each room starts at a random time within one turn, the think
 * maximum; both: one after the other), --repeat N (default 3: each configuration N times, each run
 * a child with --json, median and min–max per figure; 1 for a quick run), --env-compare KEY=VALUE
 * (the same configuration against the server this script starts — production when a build exists,
 * else the game server alone — as-is and with KEY=VALUE in its environment, side by side with the
 * ratio). bench/rooms-report.ts holds the header and driver.
 *
 * Every run prints the commit, Node version, load average and flags first (in --json: `meta`), the
 * server's GC pauses next to its event-loop delay, and NOT VALID with the reason when the client
 * process used more than 80% of a core or its event-loop delay p99 exceeded 50 ms, or the machine's
 * 1-minute load average passed cores + 1 (other work competed with the server and the clients).
 */
import { fork, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { Agent as HttpAgent, get as httpGet } from "node:http";
import { createServer } from "node:net";
import { gunzipSync } from "node:zlib";
import { join } from "node:path";
import { io } from "socket.io-client";
import type { Socket } from "socket.io-client";
import type { Hint } from "../lib/game";
import { ErrorCode, PROTOCOL_VERSION, withRevealPlayers } from "../lib/protocol";
import type {
  AckResponse,
  ClientToServerEvents,
  RevealPlayersBody,
  RoomSnapshot,
  ServerToClientEvents,
  SurfaceChoice,
} from "../lib/protocol";
import type { Difficulty } from "../lib/types";
import type { HubStats } from "../server/hub";
import type { RoomLogStats } from "../server/room-log";
import { movesCounted, percentile } from "./stats";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { drive, metaLines, runMeta } from "./rooms-report";

export interface Args {
  clients: number;
  rooms: number;
  rounds: number;
  turns: number;
  surface: SurfaceChoice;
  hint: Hint;
  standalone: boolean;
  /** --postgres: the one server on BENCH_DATABASE_URL, in a fresh schema per run. */
  postgres: boolean;
  url: string | null;
  timeoutS: number;
  json: boolean;
  /** Rooms start their first round at uniform random times within this many seconds. */
  staggerS: number;
  /** Each client waits uniformly in [min, max] ms before its move (0-0: as fast as possible). */
  think: { min: number; max: number };
  /** Write a V8 CPU profile of the server process into this folder. */
  cpuProfDir: string | null;
  /** aligned: every room starts at once; spread: each room starts within one turn (think max). */
  schedule: "aligned" | "spread" | "both";
  /** Run each configuration this many times (medians and min–max when > 1). */
  repeat: number;
  /** Run twice against a standalone server: as-is, then with KEY=VALUE in the server's env. */
  envCompare: { key: string; value: string } | null;
  /** Client processes the simulated clients are dealt over (1: in this process). */
  clientProcs: number;
  /**
   * 0: one server as before. N ≥ 1: N game server nodes (bench/rooms-server.ts) on Redis and
   * PostgreSQL (R40–R44), a fresh schema and Redis prefix per run, each room's players spread
   * over the nodes; at the top level N ≥ 2 also runs the same load on one node, side by side.
   */
  nodes: number;
  /** With nodes ≥ 2: kill -9 the first node `killAtS` seconds into play (failover, R43). */
  killOwner: boolean;
  killAtS: number;
  /** Write everything the started server(s) printed into this file at the end. */
  serverLog: string | null;
  /** The command line as given, for the header. */
  argv: readonly string[];
}

function fail(message: string): never {
  console.error(`bench:rooms: ${message}`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): Args {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) fail(`unexpected argument ${arg}`);
    const [key, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
    if (key === "standalone" || key === "json" || key === "kill-owner" || key === "postgres") {
      flags.add(key);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) fail(`--${key} needs a value`);
    values.set(key, value);
  }
  const int = (key: string, fallback: number, min: number): number => {
    const raw = values.get(key);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) fail(`--${key} must be an integer ≥ ${min}`);
    return n;
  };
  const known = [
    "clients",
    "rooms",
    "room-size",
    "rounds",
    "turns",
    "surface",
    "hint",
    "url",
    "timeout",
    "think",
    "stagger",
    "cpu-prof",
    "schedule",
    "repeat",
    "env-compare",
    "client-procs",
    "nodes",
    "kill-at",
    "server-log",
  ];
  for (const key of values.keys()) if (!known.includes(key)) fail(`unknown flag --${key}`);
  const clients = int("clients", 1000, 1);
  const roomSize = values.has("room-size") ? int("room-size", 10, 1) : null;
  const rooms = roomSize ? Math.ceil(clients / roomSize) : Math.min(int("rooms", 100, 1), clients);
  const surfaceArg = values.get("surface") ?? "surprise";
  const surface: SurfaceChoice =
    surfaceArg === "surprise"
      ? { kind: "surprise" }
      : surfaceArg.startsWith("procedural-")
        ? { kind: "procedural", difficulty: surfaceArg.slice("procedural-".length) as Difficulty }
        : { kind: "catalog", id: surfaceArg };
  const hint = (values.get("hint") ?? "gradient") as Hint;
  const thinkMatch = /^(\d+)(?:-(\d+))?$/.exec(values.get("think") ?? "500-2000");
  if (!thinkMatch) fail("--think must be MS or MIN-MAX in milliseconds, e.g. 500-2000");
  const thinkMin = Number(thinkMatch[1]);
  const thinkMax = Number(thinkMatch[2] ?? thinkMatch[1]);
  if (thinkMax < thinkMin) fail("--think: MAX must be at least MIN");
  const schedule = values.get("schedule") ?? "aligned";
  if (schedule !== "aligned" && schedule !== "spread" && schedule !== "both")
    fail("--schedule must be aligned, spread or both");
  const envRaw = values.get("env-compare");
  const envMatch = envRaw === undefined ? null : /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(envRaw);
  if (envRaw !== undefined && !envMatch) fail("--env-compare must be KEY=VALUE, e.g. ROOM_LOG=off");
  if (envMatch && values.has("url")) fail("--env-compare starts its own server: drop --url");
  const nodes = int("nodes", 0, 1);
  if (nodes > 0 && values.has("url")) fail("--nodes starts its own servers: drop --url");
  if (nodes > 0 && envMatch) fail("--nodes and --env-compare cannot be combined");
  if (flags.has("kill-owner") && nodes < 2) fail("--kill-owner needs --nodes 2 or more");
  if (flags.has("postgres") && (nodes > 0 || values.has("url")))
    fail("--postgres is for the one server this script starts (--nodes always uses PostgreSQL)");
  return {
    clients,
    rooms,
    rounds: int("rounds", 2, 1),
    turns: int("turns", 12, 1),
    surface,
    hint,
    standalone: flags.has("standalone"),
    postgres: flags.has("postgres"),
    url: values.get("url") ?? null,
    timeoutS: int("timeout", 300, 5),
    json: flags.has("json"),
    think: { min: thinkMin, max: thinkMax },
    staggerS: int("stagger", 0, 0),
    cpuProfDir: values.get("cpu-prof") ?? null,
    schedule,
    repeat: int("repeat", 3, 1),
    // About 2,500 clients per process keeps each under ~50% of a core (3,000 used 49% in one).
    clientProcs: int("client-procs", Math.ceil(clients / 2500), 1),
    envCompare: envMatch ? { key: envMatch[1]!, value: envMatch[2]! } : null,
    nodes,
    killOwner: flags.has("kill-owner"),
    killAtS: int("kill-at", 10, 1),
    serverLog: values.get("server-log") ?? null,
    argv,
  };
}

// ── The server process ───────────────────────────────────────────────────────────────────────

interface ServerHandle {
  /** Every node's URL (one unless --nodes). */
  readonly urls: readonly string[];
  /** Every node's process id (empty for --url). */
  readonly pids: readonly number[];
  readonly kind: string;
  /**
   * The server's event-loop delay since the previous call (bench/server-probe.mjs, preloaded
   * into a server this script starts); null for a server started elsewhere.
   */
  loopDelay(): Promise<LoopDelay | null>;
  /** What the server printed (stdout and stderr), for a server this script started. */
  output(): string;
  stop(): Promise<void>;
}

interface LoopDelay {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
  readonly samples: number;
  /** GC pauses (PerformanceObserver 'gc' in bench/server-probe.mjs). */
  readonly gc?: { count: number; totalMs: number; maxMs: number };
}

/** KEY=VALUE added to the started server's environment (set by --env-compare's driver). */
function serverEnvExtra(): Record<string, string> {
  const raw = process.env.BENCH_SERVER_ENV;
  if (!raw) return {};
  const i = raw.indexOf("=");
  return i > 0 ? { [raw.slice(0, i)]: raw.slice(i + 1) } : {};
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitHealthy(
  url: string,
  child: ChildProcess | null,
  timeoutMs: number,
): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (child && child.exitCode !== null) fail(`the server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  fail(`the server at ${url} did not become healthy in ${timeoutMs / 1000} s`);
}

async function startServer(
  args: Args,
  maxPlayers: number,
  node: Record<string, string> | null = null,
): Promise<ServerHandle> {
  if (args.url) {
    await waitHealthy(args.url, null, 10_000);
    return {
      urls: [args.url],
      pids: [],
      kind: `an already running server at ${args.url}`,
      loopDelay: async () => null,
      output: () => "",
      stop: async () => {},
    };
  }
  const root = process.cwd();
  const port = await freePort();
  // The build `npm start` would serve: NEXT_DIST_DIR (next.config.js honours it) or .next.
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  // A cluster node is the game server alone (Next.js in every node would measure Next.js).
  const production = !node && !args.standalone && existsSync(join(root, distDir, "BUILD_ID"));
  // The production server stores every finished round: in a throw-away embedded database.
  const dataDir = production ? mkdtempSync(join(tmpdir(), "bench-rooms-")) : null;
  const probeDir = mkdtempSync(join(tmpdir(), "bench-probe-"));
  const probeFile = join(probeDir, "loop-delay.json");
  // --postgres: this run's own schema, dropped at the end (a room log left by an earlier run
  // would otherwise be resumed by this server).
  const pg = !node && args.postgres ? freshSchema("bench_pg") : null;
  // Where the server stores rounds and keeps its room log (for the report).
  const database = pg
    ? `PostgreSQL ${BENCH_DATABASE_URL} (schema ${pg.schema})`
    : process.env.DATABASE_URL
      ? "the PostgreSQL at DATABASE_URL"
      : `a throw-away embedded database, PGlite ${process.env.PGLITE_THREAD === "main" ? "in the main thread (PGLITE_THREAD=main)" : "in its own thread"}`;
  const env = {
    ...(dataDir ? { DATA_DIR: dataDir } : {}),
    ...process.env,
    ...(pg ? { DATABASE_URL: pg.url } : {}),
    PORT: String(port),
    HOST: "127.0.0.1",
    SKIP_BUILD: "1",
    NEXT_TELEMETRY_DISABLED: "1",
    MAX_ROOMS: String(Math.max(10_000, args.rooms * 2)),
    MAX_PLAYERS_PER_ROOM: String(Math.max(100, maxPlayers)),
    BENCH_PROBE_FILE: probeFile,
    ...serverEnvExtra(),
    ...node,
  };
  const nodeArgs = [
    "--import",
    join(root, "bench", "server-probe.mjs"),
    ...(args.cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", args.cpuProfDir] : []),
  ];
  const command = production
    ? [...nodeArgs, join(root, "scripts", "start.mjs")]
    : [...nodeArgs, "--import", "tsx", join(root, "bench", "rooms-server.ts")];
  const child = spawn(process.execPath, command, {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, child, 120_000);
  } catch (error) {
    console.error(output);
    throw error;
  }
  return {
    urls: [url],
    pids: child.pid ? [child.pid] : [],
    kind: production
      ? `the production server (SKIP_BUILD=1 node scripts/start.mjs: Next.js + Socket.IO + rounds saved to ${database}, one process)`
      : `the game server alone (bench/rooms-server.ts, no Next.js${args.standalone ? "" : ": no production build found, run `npm run build` for the production server"}; rounds saved to ${database})`,
    loopDelay: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return null;
      rmSync(probeFile, { force: true });
      child.kill("SIGUSR2");
      for (let i = 0; i < 50; i++) {
        await new Promise((r) => setTimeout(r, 100));
        try {
          return JSON.parse(readFileSync(probeFile, "utf8")) as LoopDelay;
        } catch {
          // not written yet
        }
      }
      return null;
    },
    output: () => output,
    stop: async () => {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 20_000).unref();
      });
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      rmSync(probeDir, { recursive: true, force: true });
      await pg?.drop();
    },
  };
}

/** The PostgreSQL and Redis of --nodes (a fresh schema and key prefix per run). */
const BENCH_DATABASE_URL =
  process.env.BENCH_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/test";
const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL || "redis://127.0.0.1:6379";

async function pgQuery(sql: string): Promise<void> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A node's /healthz cluster figures (R40–R44). */
interface NodeStats {
  node: string;
  rooms: string[];
  forwardedOut: number;
  forwardedIn: number;
  takenOver: number;
  fenced: number;
}

/** What a node's /healthz says of its round starts' surfaces (R31a) and its room log (R35). */
interface ServerCounters {
  surfacesPrepared: number;
  surfacesAtStart: number;
  roomLog: RoomLogStats | null;
  /** From a round's end to stored (issue 15), or null from a server without the figure. */
  roundSaves: HubStats["roundSaves"] | null;
  /** Messages written to the sockets by event (issue 15), or null from a server without it. */
  framesSent: HubStats["framesSent"] | null;
}

/** A node's /healthz `game` figures (server/game-server.ts `stats()`), or null if it has none. */
async function healthz(url: string): Promise<Partial<HubStats & { cluster: NodeStats }> | null> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return (
      ((await res.json()) as { game?: Partial<HubStats & { cluster: NodeStats }> }).game ?? null
    );
  } catch {
    return null;
  }
}

async function serverCounters(url: string): Promise<ServerCounters | null> {
  const game = await healthz(url);
  if (typeof game?.surfacesPrepared !== "number") return null;
  return {
    surfacesPrepared: game.surfacesPrepared,
    surfacesAtStart: game.surfacesAtStart ?? 0,
    roomLog: game.roomLog ?? null,
    roundSaves: game.roundSaves ?? null,
    framesSent: game.framesSent ?? null,
  };
}

async function nodeStats(url: string): Promise<NodeStats | null> {
  return (await healthz(url))?.cluster ?? null;
}

/**
 * A schema of its own for this run on BENCH_DATABASE_URL (`<prefix>_<pid>_<random>`): the URL
 * that names it, and `drop` to remove it with everything in it at the end.
 */
function freshSchema(prefix: string): { schema: string; url: string; drop(): Promise<void> } {
  const schema = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const url = new URL(BENCH_DATABASE_URL);
  url.searchParams.set("schema", schema);
  return {
    schema,
    url: url.toString(),
    drop: () =>
      pgQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch((error: unknown) =>
        console.error(`bench:rooms: dropping schema ${schema}: ${String(error)}`),
      ),
  };
}

/**
 * --nodes N: N game server nodes on Redis and PostgreSQL, one handle for them all. The schema
 * (`bench_nodes_…`) and the Redis keys (`benchN-…`) are this run's own and removed at the end.
 */
async function startFleet(
  args: Args,
  maxPlayers: number,
): Promise<ServerHandle & { kill(i: number): void; stats(): Promise<(NodeStats | null)[]> }> {
  const db = freshSchema("bench_nodes");
  const schema = db.schema;
  const prefix = `benchN-${schema.slice("bench_nodes_".length)}`;
  const env = (i: number): Record<string, string> => ({
    REDIS_URL: BENCH_REDIS_URL,
    DATABASE_URL: db.url,
    CLUSTER_PREFIX: prefix,
    NODE_ID: `n${i}`,
  });
  // The first node migrates the fresh schema; the others start once it is up.
  const first = await startServer(args, maxPlayers, env(0));
  const rest = await Promise.all(
    Array.from({ length: args.nodes - 1 }, (_, i) => startServer(args, maxPlayers, env(i + 1))),
  );
  const all = [first, ...rest];
  const pids = all.flatMap((s) => s.pids);
  return {
    urls: all.flatMap((s) => s.urls),
    pids,
    kind: `${args.nodes} node(s) of the game server alone (bench/rooms-server.ts) on Redis ${BENCH_REDIS_URL} and PostgreSQL ${BENCH_DATABASE_URL} (schema ${schema}), each room's players spread over the nodes`,
    loopDelay: async () => {
      const each = (await Promise.all(all.map((s) => s.loopDelay()))).filter(
        (d): d is LoopDelay => d !== null,
      );
      if (each.length === 0) return null;
      // The worst node's delays, the GC pauses of all of them.
      return {
        p50: Math.max(...each.map((d) => d.p50)),
        p99: Math.max(...each.map((d) => d.p99)),
        max: Math.max(...each.map((d) => d.max)),
        mean: each.reduce((sum, d) => sum + d.mean, 0) / each.length,
        samples: each.reduce((sum, d) => sum + d.samples, 0),
        gc: {
          count: each.reduce((sum, d) => sum + (d.gc?.count ?? 0), 0),
          totalMs: each.reduce((sum, d) => sum + (d.gc?.totalMs ?? 0), 0),
          maxMs: Math.max(...each.map((d) => d.gc?.maxMs ?? 0)),
        },
      };
    },
    output: () => all.map((s, i) => `── node n${i} ──\n${s.output()}`).join("\n"),
    kill: (i) => void process.kill(pids[i]!, "SIGKILL"),
    stats: () => Promise.all(all.map((s) => nodeStats(s.urls[0]!))),
    stop: async () => {
      await Promise.all(all.map((s) => s.stop()));
      await db.drop();
      const { Redis } = await import("ioredis");
      const redis = new Redis(BENCH_REDIS_URL);
      try {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    },
  };
}

// ── /proc sampling ───────────────────────────────────────────────────────────────────────────

const CLOCK_TICKS = 100; // Linux USER_HZ

/** The last CPU time read of each process (a killed node keeps the one before its kill). */
const lastCpu = new Map<number, number>();

/** The processes' CPU time in all (user + system), in seconds; null without a process. */
function cpuSeconds(pids: readonly number[]): number | null {
  if (pids.length === 0) return null;
  let sum = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      lastCpu.set(pid, (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS);
    } catch {
      // gone (--kill-owner): its last reading
    }
    const cpu = lastCpu.get(pid);
    if (cpu === undefined) return null;
    sum += cpu;
  }
  return sum;
}

/** The processes' resident memory in all; null without a live process. */
function rssBytes(pids: readonly number[]): number | null {
  let sum: number | null = null;
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const match = /VmRSS:\s+(\d+) kB/.exec(status);
      if (match) sum = (sum ?? 0) + Number(match[1]) * 1024;
    } catch {
      // gone
    }
  }
  return sum;
}

// ── Simulated clients ────────────────────────────────────────────────────────────────────────

type SimSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface TurnTrack {
  lastSentAt: number;
  received: number;
  done: boolean;
}

interface Totals {
  sent: number;
  acked: number;
  refused: Map<string, number>;
  applied: number;
  latencies: number[];
  /** The last turn of each round: its result comes at once, sealed (R11b). */
  revealLatencies: number[];
  /** The reveal: last move sent → every client of the room has it (the round stored first). */
  revealArrivals: number[];
  /** Every other turn. */
  otherLatencies: number[];
  /**
   * Big reveals (R11a): from a client's reveal snapshot to the other players' entries fetched
   * and parsed, per client.
   */
  revealFetches: number[];
  /** The reveal complete: last move sent → every client of the room holds every path. */
  fullRevealLatencies: number[];
  revealFetchErrors: number;
  /** The largest shared-entries body received (bytes on the wire, gzip). */
  revealBytes: number;
  disconnects: number;
  roundsDone: number;
  /** --kill-owner: [room code, epoch ms] of each turn that closed after the kill. */
  turnsAfterKill: [string, number][];
  /** --kill-owner: clients that connected again through another node, and failed attempts. */
  reconnects: number;
  reconnectFailures: number;
  /**
   * Moves sent again after a refusal that says nothing changed (UNAVAILABLE, INTERNAL_ERROR: the
   * room's node died or the room was moving), as a player presses Move again; and the retries
   * answered ALREADY_MOVED (the first attempt had landed; counted as acknowledged).
   */
  retries: number;
  landedBeforeRetry: number;
  /**
   * Every move counted one by one, as `room:round:turn:seat`: each acknowledged one (an ok, or
   * ALREADY_MOVED on a retry), and each one the reveals show applied; and the moves a reveal holds
   * beyond the round's turns. A lost move is acknowledged and not applied; a move applied and
   * never acknowledged had its acknowledgement die with a node.
   */
  ackedMoves: string[];
  appliedMoves: string[];
  extraMoves: number;
}

/** --kill-owner: when the owner was killed (epoch ms; 0: not yet). */
let killedAt = 0;

class SimRoom {
  code = "";
  hostToken = "";
  readonly clients: SimClient[] = [];
  readonly turns = new Map<string, TurnTrack>();
  roundsStarted = 0;
  roundsRevealed = 0;
  finished = false;
  constructor(
    readonly index: number,
    readonly size: number,
    private readonly args: Args,
    private readonly totals: Totals,
    private readonly onFinished: () => void,
  ) {}

  track(round: number, turn: number): TurnTrack {
    const key = `${round}:${turn}`;
    let t = this.turns.get(key);
    if (!t) {
      t = { lastSentAt: 0, received: 0, done: false };
      this.turns.set(key, t);
    }
    return t;
  }

  /** A client saw the results of turns [from, to) of `round`. */
  resultsSeen(round: number, from: number, to: number): void {
    const now = performance.now();
    for (let turn = from; turn < to; turn++) {
      const t = this.track(round, turn);
      t.received += 1;
      if (!t.done && t.received === this.size) {
        t.done = true;
        if (killedAt > 0) this.totals.turnsAfterKill.push([this.code, Date.now()]);
        if (t.lastSentAt > 0) {
          this.totals.latencies.push(now - t.lastSentAt);
          if (turn === this.args.turns - 1) this.totals.revealLatencies.push(now - t.lastSentAt);
          else this.totals.otherLatencies.push(now - t.lastSentAt);
        }
      }
    }
  }

  private readonly seen = new Map<string, number>();

  /**
   * One client reached `what` in `round`; when the room's last client does, the time since the
   * last move of the round's last turn goes into `into`.
   */
  private allSeen(what: string, round: number, into: number[]): void {
    const key = `${what}:${round}`;
    const seen = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, seen);
    if (seen !== this.size) return;
    const t = this.track(round, this.args.turns - 1);
    if (t.lastSentAt > 0) into.push(performance.now() - t.lastSentAt);
  }

  /** A client has `round`'s reveal (its own entries; big reveals fetch the rest, R11a). */
  revealSeen(round: number): void {
    this.allSeen("reveal", round, this.totals.revealArrivals);
  }

  /** A client holds every path of `round`'s reveal (at once, or after fetching them). */
  fullRevealSeen(round: number): void {
    this.allSeen("full", round, this.totals.fullRevealLatencies);
  }

  revealed(snapshot: RoomSnapshot): void {
    if (snapshot.roundNumber <= this.roundsRevealed) return;
    this.roundsRevealed = snapshot.roundNumber;
    const reveal = snapshot.round?.reveal;
    if (reveal) {
      const turns = snapshot.round!.settings.turns;
      for (const p of reveal.players) {
        if (p.ghost) continue;
        p.feedback.forEach((f, turn) => {
          if (f.move === null) return;
          this.totals.applied += 1;
          this.totals.appliedMoves.push(`${this.code}:${snapshot.roundNumber}:${turn}:${p.seat}`);
        });
        this.totals.extraMoves += Math.max(0, p.feedback.length - turns);
      }
    }
    this.totals.roundsDone += 1;
    if (this.roundsRevealed >= this.args.rounds) {
      this.finished = true;
      this.onFinished();
      return;
    }
    // The next round once every client holds this reveal, as a teacher waits for the class: a
    // host that moved on at once made the slower clients' fetch of a big reveal's entries fail
    // (HTTP 404: the room has moved on) and dropped them from the reveal-complete figure. Never
    // more than 10 s (a client that lost its connection may not see the reveal at all).
    this.nextAfter = snapshot.roundNumber;
    this.nextTimer = setTimeout(() => this.startNext(), 10_000);
    this.maybeStartNext();
  }

  private readonly revealsDone = new Map<number, number>();
  private nextAfter: number | null = null;
  private nextTimer: ReturnType<typeof setTimeout> | null = null;

  /** A client is done with `round`'s reveal: it holds every path, or its fetch failed. */
  revealDone(round: number): void {
    this.revealsDone.set(round, (this.revealsDone.get(round) ?? 0) + 1);
    this.maybeStartNext();
  }

  private maybeStartNext(): void {
    if (this.nextAfter === null) return;
    if ((this.revealsDone.get(this.nextAfter) ?? 0) >= this.size) this.startNext();
  }

  private startNext(): void {
    if (this.nextAfter === null) return;
    this.nextAfter = null;
    if (this.nextTimer) clearTimeout(this.nextTimer);
    this.nextTimer = null;
    void this.start();
  }

  async start(): Promise<void> {
    const host = this.clients[0];
    if (!host) return;
    this.roundsStarted += 1;
    const res = await host.request<{ roundNumber: number }>("round:start", {
      code: this.code,
      hostToken: this.hostToken,
    });
    if (!res.ok)
      console.error(
        `room ${this.index}: round:start refused: ${res.error.code}: ${res.error.message}`,
      );
  }
}

/** Refusals after which nothing changed and the same move may be sent again. */
const RETRYABLE: ReadonlySet<string> = new Set([ErrorCode.UNAVAILABLE, ErrorCode.INTERNAL_ERROR]);

class SimClient {
  socket: SimSocket | null = null;
  seatToken = "";
  closing = false;
  private movedKey = "";
  private seenRound = 0;
  private seenResults = 0;
  private revealedRound = 0;
  /**
   * --kill-owner: this client's node died and its seat is not taken back yet. It sends no move
   * meanwhile, as the browser's controls wait for the seat (a move on the new connection before
   * `room:resume` would be refused NOT_IN_ROOM: the bench's doing, not the server's); the move
   * is made once the seat is back.
   */
  private resuming = false;

  constructor(
    readonly room: SimRoom,
    readonly index: number,
    private url: string,
    private readonly totals: Totals,
    private readonly think: Args["think"],
    /** Every node (--nodes): where to connect again when this client's node dies. */
    private readonly urls: readonly string[] = [url],
  ) {}

  /**
   * --kill-owner: this client's node died. Connect through the next node and take the seat back
   * with its token (room:resume), as a browser does; tried again every 500 ms until it works.
   */
  private async reconnect(): Promise<void> {
    const dead = this.url;
    const alive = this.urls.filter((u) => u !== dead);
    for (let attempt = 0; !this.closing; attempt++) {
      this.url = alive[(this.index + attempt) % alive.length]!;
      try {
        await this.connect();
        const res = await this.request("room:resume", {
          code: this.room.code,
          seatToken: this.seatToken,
        });
        if (res.ok) {
          this.totals.reconnects += 1;
          this.resuming = false;
          // A move sent to the dead node may not have been acknowledged: move again if so. The
          // resumed room's snapshot may have come before this answer (and found the move "sent"):
          // read it again, as a player looks at the screen after reconnecting.
          this.movedKey = "";
          if (this.lastSnapshot) this.onState(this.lastSnapshot);
          return;
        }
        this.socket?.close();
      } catch {
        // not reachable yet
      }
      this.totals.reconnectFailures += 1;
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket: SimSocket = io(this.url, {
        transports: ["websocket"],
        forceNew: true,
        reconnection: false,
        timeout: 30_000,
        auth: { protocolVersion: PROTOCOL_VERSION },
      });
      this.socket = socket;
      socket.once("connect", () => resolve());
      socket.once("connect_error", (error) => reject(error));
      socket.on("disconnect", () => {
        this.totals.disconnects += 1;
        if (!this.closing && this.socket === socket && this.urls.length > 1 && killedAt > 0) {
          this.resuming = true;
          void this.reconnect();
        }
      });
      socket.on("room:state", (snapshot) => this.onState(snapshot));
    });
  }

  request<T extends object>(
    event: keyof ClientToServerEvents,
    payload: object,
  ): Promise<AckResponse<T>> {
    return new Promise((resolve) => {
      const emit = this.socket!.emit.bind(this.socket) as unknown as (
        event: string,
        payload: object,
        ack: (response: AckResponse<T>) => void,
      ) => void;
      emit(event, payload, resolve);
    });
  }

  private lastSnapshot: RoomSnapshot | null = null;

  private onState(snapshot: RoomSnapshot): void {
    this.lastSnapshot = snapshot;
    const round = snapshot.round;
    if (!round) return;
    // Results seen: every resolved turn of this round up to the snapshot's.
    if (snapshot.roundNumber !== this.seenRound) {
      this.seenRound = snapshot.roundNumber;
      this.seenResults = 0;
    }
    if (round.turn > this.seenResults) {
      this.room.resultsSeen(snapshot.roundNumber, this.seenResults, round.turn);
      this.seenResults = round.turn;
    }
    if (snapshot.phase === "revealed") {
      if (this.revealedRound === snapshot.roundNumber) return;
      this.revealedRound = snapshot.roundNumber;
      this.room.revealSeen(snapshot.roundNumber);
      const ref = snapshot.revealPlayers;
      if (!ref) {
        this.room.fullRevealSeen(snapshot.roundNumber);
        if (this.index === 0) this.room.revealed(snapshot);
        this.room.revealDone(snapshot.roundNumber);
        return;
      }
      // A big reveal (R11a): fetch the other players' entries, as a browser does. The room's
      // first client decodes and parses them (it counts the moves applied); the others receive
      // every byte but do not decode them: a browser gunzips and parses 200 KB on
      // its own CPU, while here 600 "browsers" would share one core with the server.
      const arrived = performance.now();
      const decode = this.index === 0;
      void fetchReveal(this.url + ref.href, decode)
        .then(({ bytes, body }) => {
          this.totals.revealFetches.push(performance.now() - arrived);
          this.totals.revealBytes = Math.max(this.totals.revealBytes, bytes);
          this.room.fullRevealSeen(snapshot.roundNumber);
          if (decode) this.room.revealed(body ? withRevealPlayers(snapshot, body) : snapshot);
          this.room.revealDone(snapshot.roundNumber);
        })
        .catch((error: unknown) => {
          this.totals.revealFetchErrors += 1;
          console.error(`bench:rooms: fetching ${ref.href} failed: ${String(error)}`);
          if (decode) this.room.revealed(snapshot);
          this.room.revealDone(snapshot.roundNumber);
        });
      return;
    }
    if (snapshot.phase !== "playing" || !round.you || round.you.pendingMove) return;
    // Every turn played: the round is sealed until it is stored (R11b); nothing to move.
    if (round.turn >= round.settings.turns) return;
    const key = `${snapshot.roundNumber}:${round.turn}`;
    if (this.movedKey === key) return;
    this.movedKey = key;
    const turn = round.turn;
    const moveKey = `${this.room.code}:${snapshot.roundNumber}:${turn}:${round.you.seat}`;
    const etaMax = round.settings.etaMax;
    const g = round.you.gradient;
    // Against the gradient when it is known, else anywhere: the content does not matter here.
    const angle = g ? Math.atan2(-g[1], -g[0]) : Math.random() * 2 * Math.PI;
    const eta = etaMax * (0.2 + 0.6 * Math.random());
    const send = (retry: boolean): void => {
      // A retry stops once the turn is over or the move is in (a newer snapshot says so).
      if (retry && (this.movedKey !== key || this.closing)) return;
      // Not in the room until the seat is back: the move is made again after room:resume.
      if (this.resuming) return;
      const track = this.room.track(snapshot.roundNumber, turn);
      track.lastSentAt = Math.max(track.lastSentAt, performance.now());
      this.totals.sent += 1;
      if (retry) this.totals.retries += 1;
      void this.request<{ turn: number }>("round:move", { turn, angle, eta }).then((res) => {
        if (res.ok) {
          this.totals.acked += 1;
          this.totals.ackedMoves.push(moveKey);
        } else if (retry && res.error.code === ErrorCode.ALREADY_MOVED) {
          // The refused attempt had landed after all: the move is in, once.
          this.totals.acked += 1;
          this.totals.ackedMoves.push(moveKey);
          this.totals.landedBeforeRetry += 1;
        } else {
          this.totals.refused.set(
            res.error.code,
            (this.totals.refused.get(res.error.code) ?? 0) + 1,
          );
          // Nothing changed (the room's node died, or the room is moving): a player moves
          // again. Without this, the turn waits for its timer (120 s) for this one player.
          if (RETRYABLE.has(res.error.code)) setTimeout(() => send(true), 500);
        }
      });
    };
    const { min, max } = this.think;
    if (max <= 0) send(false);
    else setTimeout(() => send(false), min + Math.random() * (max - min));
  }
}

/** GET a reveal's shared entries with gzip: the bytes received, and the body when `decode`. */
function fetchReveal(
  url: string,
  decode: boolean,
): Promise<{ bytes: number; body: RevealPlayersBody | null }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers: { "accept-encoding": "gzip" }, agent: keepAlive }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        if (res.statusCode !== 200) {
          reject(new Error(`HTTP ${res.statusCode}`));
          return;
        }
        const raw = Buffer.concat(chunks);
        if (!decode) {
          resolve({ bytes: raw.length, body: null });
          return;
        }
        const text = (res.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString(
          "utf8",
        );
        resolve({ bytes: raw.length, body: JSON.parse(text) as RevealPlayersBody });
      });
    }).on("error", reject);
  });
}

const keepAlive = new HttpAgent({ keepAlive: true });

const mb = (bytes: number | null): string =>
  bytes === null ? "n/a" : `${(bytes / 1048576).toFixed(0)} MB`;

async function inBatches<T>(
  items: readonly T[],
  size: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

// ── Where the clients run: this process, or --client-procs forked ones ──────────────────────

/** One client process's share of the machine during play. */
interface ProcStat {
  pid: number;
  clients: number;
  cpuPercent: number;
  loopP99: number;
  loopMax: number;
}

interface ClientSide {
  connected: number;
  connectErrors: number;
  connectSeconds: number;
  /** Every room starts its first round, at a random time within spreadMs (0: at once). */
  start(spreadMs: number): void;
  /** Every room finished. */
  finished: Promise<void>;
  /** Adds every process's counters into `into`; their CPU and event-loop lag since start. */
  collect(into: Totals): Promise<ProcStat[]>;
  /** --kill-owner: the owner was killed at `at` (epoch ms). */
  killed(at: number): void;
  close(): void;
}

function newTotals(): Totals {
  return {
    sent: 0,
    acked: 0,
    refused: new Map(),
    applied: 0,
    latencies: [],
    revealLatencies: [],
    revealArrivals: [],
    otherLatencies: [],
    revealFetches: [],
    fullRevealLatencies: [],
    revealFetchErrors: 0,
    revealBytes: 0,
    disconnects: 0,
    roundsDone: 0,
    turnsAfterKill: [],
    reconnects: 0,
    reconnectFailures: 0,
    retries: 0,
    landedBeforeRetry: 0,
    ackedMoves: [],
    appliedMoves: [],
    extraMoves: 0,
  };
}

type WireTotals = Omit<Totals, "refused"> & { refused: [string, number][] };

function mergeTotals(into: Totals, from: WireTotals): void {
  into.sent += from.sent;
  into.acked += from.acked;
  into.applied += from.applied;
  for (const [k, n] of from.refused) into.refused.set(k, (into.refused.get(k) ?? 0) + n);
  into.latencies.push(...from.latencies);
  into.revealLatencies.push(...from.revealLatencies);
  into.revealArrivals.push(...from.revealArrivals);
  into.otherLatencies.push(...from.otherLatencies);
  into.revealFetches.push(...from.revealFetches);
  into.fullRevealLatencies.push(...from.fullRevealLatencies);
  into.revealFetchErrors += from.revealFetchErrors;
  into.revealBytes = Math.max(into.revealBytes, from.revealBytes);
  into.disconnects += from.disconnects;
  into.roundsDone += from.roundsDone;
  into.turnsAfterKill.push(...from.turnsAfterKill);
  into.reconnects += from.reconnects;
  into.reconnectFailures += from.reconnectFailures;
  into.retries += from.retries;
  into.landedBeforeRetry += from.landedBeforeRetry;
  for (const key of from.ackedMoves) into.ackedMoves.push(key);
  for (const key of from.appliedMoves) into.appliedMoves.push(key);
  into.extraMoves += from.extraMoves;
}

/** The clients of `sizes` rooms in this process, connected and seated. */
async function localClients(
  args: Args,
  urls: readonly string[],
  sizes: readonly number[],
  totals: Totals,
): Promise<ClientSide> {
  let finishedRooms = 0;
  let allDone: () => void = () => {};
  const finished = new Promise<void>((resolve) => (allDone = resolve));
  const rooms = sizes.map(
    (size, i) =>
      new SimRoom(i, size, args, totals, () => {
        finishedRooms += 1;
        if (finishedRooms === sizes.length) allDone();
      }),
  );
  const clients: SimClient[] = [];
  for (const room of rooms) {
    for (let j = 0; j < room.size; j++) {
      // --nodes: each room's players over the nodes, its host (the owner, R40) on node i mod N.
      const url = urls[(room.index + j) % urls.length]!;
      const client = new SimClient(room, j, url, totals, args.think, urls);
      room.clients.push(client);
      clients.push(client);
    }
  }
  const connectStart = performance.now();
  let connectErrors = 0;
  await inBatches(clients, 100, (c) =>
    c.connect().catch(() => {
      connectErrors += 1;
    }),
  );
  const connected = clients.filter((c) => c.socket?.connected).length;
  const connectSeconds = (performance.now() - connectStart) / 1000;
  // Rooms: the first client hosts and plays; the others join.
  await inBatches(rooms, 20, async (room) => {
    const host = room.clients[0]!;
    const created = await host.request<{
      code: string;
      hostToken: string;
      seatToken: string | null;
    }>("room:create", {
      mode: "room",
      hostPlays: true,
      nickname: "p0",
      settings: { surface: args.surface, turns: args.turns, secondsPerTurn: 120, hint: args.hint },
    });
    if (!created.ok) fail(`room:create refused: ${created.error.message}`);
    room.code = created.code;
    room.hostToken = created.hostToken;
    host.seatToken = created.seatToken ?? "";
    await Promise.all(
      room.clients.slice(1).map(async (c) => {
        const res = await c.request<{ seatToken: string }>("room:join", {
          code: room.code,
          nickname: `p${c.index}`,
        });
        if (!res.ok) fail(`room:join refused: ${res.error.message}`);
        c.seatToken = res.seatToken;
      }),
    );
  });
  // This process's own event-loop delay: a lagging generator delays the timings.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  let cpu0 = process.cpuUsage();
  let t0 = performance.now();
  return {
    connected,
    connectErrors,
    connectSeconds,
    start: (spreadMs) => {
      loop.enable();
      cpu0 = process.cpuUsage();
      t0 = performance.now();
      for (const room of rooms) {
        if (spreadMs > 0) setTimeout(() => void room.start(), Math.random() * spreadMs);
        else void room.start();
      }
    },
    finished,
    collect: async () => {
      const cpu = process.cpuUsage(cpu0);
      const wall = (performance.now() - t0) / 1000;
      loop.disable();
      return [
        {
          pid: process.pid,
          clients: clients.length,
          cpuPercent: (100 * (cpu.user + cpu.system)) / 1e6 / wall,
          loopP99: loop.percentile(99) / 1e6,
          loopMax: loop.max / 1e6,
        },
      ];
    },
    killed: (at) => {
      killedAt = at;
    },
    close: () => {
      for (const c of clients) {
        c.closing = true;
        c.socket?.close();
      }
    },
  };
}

type ToWorker =
  | { type: "init"; args: Args; urls: string[]; sizes: number[] }
  | { type: "start"; spreadMs: number }
  | { type: "killed"; at: number }
  | { type: "collect" }
  | { type: "close" };
type FromWorker =
  | { type: "ready"; connected: number; connectErrors: number }
  | { type: "finished" }
  | { type: "collected"; totals: WireTotals; proc: ProcStat };

/** A forked client process (bench/rooms.ts with BENCH_CLIENT_WORKER=1): runs its rooms on cue. */
async function workerMain(): Promise<void> {
  const send = (m: FromWorker): void => void process.send!(m);
  let side: ClientSide | null = null;
  const totals = newTotals();
  process.on("message", (m: ToWorker) => {
    void (async () => {
      if (m.type === "init") {
        side = await localClients(m.args, m.urls, m.sizes, totals);
        void side.finished.then(() => send({ type: "finished" }));
        send({ type: "ready", connected: side.connected, connectErrors: side.connectErrors });
      } else if (m.type === "start") side?.start(m.spreadMs);
      else if (m.type === "killed") side?.killed(m.at);
      else if (m.type === "collect" && side) {
        const [proc] = await side.collect(totals);
        send({
          type: "collected",
          totals: { ...totals, refused: [...totals.refused] },
          proc: proc!,
        });
      } else if (m.type === "close") {
        side?.close();
        process.exit(0);
      }
    })();
  });
  process.on("disconnect", () => process.exit(0));
}

/** The rooms dealt round-robin over --client-procs forked processes. */
async function forkedClients(
  args: Args,
  urls: readonly string[],
  sizes: readonly number[],
): Promise<ClientSide> {
  const n = Math.min(args.clientProcs, sizes.length);
  const shares: number[][] = Array.from({ length: n }, () => []);
  sizes.forEach((size, i) => shares[i % n]!.push(size));
  const connectStart = performance.now();
  const workers = shares.map((share) => {
    const child = fork(process.argv[1]!, [], {
      execArgv: process.execArgv,
      env: { ...process.env, BENCH_CLIENT_WORKER: "1" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.on("exit", (code) => {
      if (code !== 0 && code !== null) fail(`a client process exited with code ${code}`);
    });
    child.send({ type: "init", args, urls: [...urls], sizes: share } satisfies ToWorker);
    return child;
  });
  const next = <T extends FromWorker["type"]>(child: ChildProcess, type: T) =>
    new Promise<Extract<FromWorker, { type: T }>>((resolve) => {
      const on = (m: FromWorker): void => {
        if (m.type !== type) return;
        child.off("message", on);
        resolve(m as Extract<FromWorker, { type: T }>);
      };
      child.on("message", on);
    });
  const finished = Promise.all(workers.map((w) => next(w, "finished"))).then(() => undefined);
  const ready = await Promise.all(workers.map((w) => next(w, "ready")));
  return {
    connected: ready.reduce((sum, r) => sum + r.connected, 0),
    connectErrors: ready.reduce((sum, r) => sum + r.connectErrors, 0),
    connectSeconds: (performance.now() - connectStart) / 1000,
    start: (spreadMs) => {
      for (const w of workers) w.send({ type: "start", spreadMs } satisfies ToWorker);
    },
    finished,
    collect: async (into) => {
      const all = await Promise.all(
        workers.map((w) => {
          const got = next(w, "collected");
          w.send({ type: "collect" } satisfies ToWorker);
          return got;
        }),
      );
      for (const c of all) mergeTotals(into, c.totals);
      return all.map((c) => c.proc);
    },
    killed: (at) => {
      for (const w of workers) w.send({ type: "killed", at } satisfies ToWorker);
    },
    close: () => {
      for (const w of workers) if (w.connected) w.send({ type: "close" } satisfies ToWorker);
    },
  };
}

/** --kill-owner's figures: per room of the killed node, resumed and first turn closed. */
function failoverSummary(
  f: { killedAt: number; rooms: string[]; resumedMs: Map<string, number> },
  totals: Totals,
  stats: (xs: readonly number[]) => { p50: number; p95: number; p99: number; max: number },
) {
  const sortNum = (xs: number[]) => xs.sort((a, b) => a - b);
  const firstTurn: number[] = [];
  for (const code of f.rooms) {
    const resumed = f.resumedMs.get(code);
    if (resumed === undefined) continue;
    const after = totals.turnsAfterKill
      .filter(([c, at]) => c === code && at - f.killedAt >= resumed)
      .map(([, at]) => at - f.killedAt);
    if (after.length > 0) firstTurn.push(Math.min(...after));
  }
  return {
    rooms: f.rooms.length,
    resumed: f.resumedMs.size,
    notResumed: f.rooms.length - f.resumedMs.size,
    firstTurned: firstTurn.length,
    resumedMs: stats(sortNum([...f.resumedMs.values()])),
    firstTurnMs: stats(sortNum(firstTurn)),
    reconnects: totals.reconnects,
    reconnectFailures: totals.reconnectFailures,
    retries: totals.retries,
    landedBeforeRetry: totals.landedBeforeRetry,
  };
}

async function main(): Promise<void> {
  if (process.env.BENCH_CLIENT_WORKER && process.send) return workerMain();
  const args = parseArgs(process.argv.slice(2));
  // A child of the driver runs one configuration (--nodes K included).
  if (
    !process.env.BENCH_CHILD &&
    (args.repeat > 1 || args.schedule === "both" || args.envCompare || args.nodes > 1)
  )
    return drive(args);
  const sizes = Array.from(
    { length: args.rooms },
    (_, i) => Math.floor(args.clients / args.rooms) + (i < args.clients % args.rooms ? 1 : 0),
  ).filter((s) => s > 0);
  const maxSize = Math.max(...sizes);
  const fleet = args.nodes > 0 ? await startFleet(args, maxSize) : null;
  const server = fleet ?? (await startServer(args, maxSize));
  const totals = newTotals();

  const log = (line: string): void => {
    if (!args.json) console.log(line);
  };
  const meta = runMeta(args);
  if (!process.env.BENCH_CHILD) for (const line of metaLines(meta)) log(line);
  log(
    `bench:rooms — ${server.kind}, pid ${server.pids.join(", ") || "n/a"}, loopback ${server.urls.join(" ")}`,
  );
  log(
    `${args.clients} clients in ${sizes.length} rooms (size ${Math.min(...sizes)}–${maxSize}), ${args.rounds} round(s) × ${args.turns} turns, surface ${JSON.stringify(args.surface)}, hint ${args.hint}, ${args.staggerS > 0 ? `first rounds started over ${args.staggerS} s` : args.schedule === "spread" ? `schedule spread: each room starts within one turn (${Math.max(args.think.max, 1000)} ms)` : "schedule aligned: every room starts at once"}, think ${args.think.max > 0 ? `${args.think.min}–${args.think.max} ms` : "none (as fast as possible)"} per move`,
  );
  // The idle baseline: start-up (migrations, Next.js) leaves garbage that is returned to the
  // system over the next seconds; wait until RSS stops falling (at most 15 s) and take the least.
  let rssIdle = rssBytes(server.pids);
  for (let i = 0, still = 0; i < 30 && still < 4 && rssIdle !== null; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const now = rssBytes(server.pids) ?? rssIdle;
    still = now < rssIdle * 0.99 ? 0 : still + 1;
    rssIdle = Math.min(rssIdle, now);
  }

  const side =
    args.clientProcs > 1
      ? await forkedClients(args, server.urls, sizes)
      : await localClients(args, server.urls, sizes, totals);
  log(
    `connected clients: ${side.connected}/${args.clients} in ${side.connectSeconds.toFixed(1)} s${side.connectErrors ? ` (${side.connectErrors} failed)` : ""}, in ${args.clientProcs > 1 ? `${args.clientProcs} client processes` : "this process"}`,
  );
  const connected = side.connected;
  const rssConnected = rssBytes(server.pids);
  log(`rooms ready; server RSS idle ${mb(rssIdle)}, with every client seated ${mb(rssConnected)}`);

  await server.loopDelay(); // starts the event-loop delay histogram afresh
  const cpu0 = cpuSeconds(server.pids);
  const t0 = performance.now();
  let rssPeak = rssConnected ?? 0;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, rssBytes(server.pids) ?? 0);
  }, 250);
  // --stagger S spreads the first rounds over S seconds; --schedule spread over one turn.
  const spreadMs =
    args.staggerS > 0
      ? args.staggerS * 1000
      : args.schedule === "spread"
        ? Math.max(args.think.max, 1000)
        : 0;
  side.start(spreadMs);
  // --kill-owner: kill -9 node n0 (the owner of rooms 0, N, 2N, …) --kill-at seconds into play;
  // each of its rooms is resumed when a surviving node's /healthz lists it (R43).
  const failover = {
    killedAt: 0,
    rooms: [] as string[],
    resumedMs: new Map<string, number>(),
  };
  let killTimer: NodeJS.Timeout | null = null;
  let watching = true;
  if (fleet && args.killOwner) {
    killTimer = setTimeout(() => {
      void (async () => {
        const before = await fleet.stats();
        failover.rooms = before[0]?.rooms ?? [];
        failover.killedAt = Date.now();
        fleet.kill(0);
        side.killed(failover.killedAt);
        log(
          `killed node n0 (kill -9) ${args.killAtS} s into play: it owned ${failover.rooms.length} room(s)`,
        );
        while (watching && failover.resumedMs.size < failover.rooms.length) {
          const stats = (await fleet.stats()).slice(1);
          const now = Date.now();
          for (const code of failover.rooms)
            if (!failover.resumedMs.has(code) && stats.some((st) => st?.rooms.includes(code)))
              failover.resumedMs.set(code, now - failover.killedAt);
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
    }, args.killAtS * 1000);
  }
  const timeout = new Promise<"timeout">((resolve) =>
    setTimeout(() => resolve("timeout"), args.timeoutS * 1000).unref(),
  );
  const outcome = await Promise.race([side.finished.then(() => "done" as const), timeout]);
  // Let the last acknowledgements arrive.
  await new Promise((r) => setTimeout(r, 300));
  clearInterval(sampler);
  watching = false;
  if (killTimer) clearTimeout(killTimer);
  const nodeStatsEnd = fleet ? await fleet.stats() : [];
  const counters = fleet ? null : await serverCounters(server.urls[0]!);
  const wall = (performance.now() - t0) / 1000;
  const cpu1 = cpuSeconds(server.pids);
  const loop = await server.loopDelay();
  const procs = await side.collect(totals);
  const serverCpu = cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null;
  const benchCpuPercent = procs.reduce((sum, p) => sum + p.cpuPercent, 0);
  const busiest = procs.reduce((a, b) => (b.cpuPercent > a.cpuPercent ? b : a));
  const laggiest = procs.reduce((a, b) => (b.loopP99 > a.loopP99 ? b : a));
  const clientLoop = { p99: laggiest.loopP99, max: Math.max(...procs.map((p) => p.loopMax)) };
  const invalid: string[] = [];
  // Other work on the machine delays the server and the clients alike: a shared machine's
  // figures are not the server's. The bench itself adds about one to the load.
  const cores = availableParallelism();
  const loadEnd = loadavg()[0]!;
  if (loadEnd > cores + 1)
    invalid.push(
      `the machine was busy: load average ${loadEnd.toFixed(2)} over ${cores} cores at the end of play (> cores + 1)`,
    );
  if (busiest.cpuPercent > 80)
    invalid.push(
      `a client process used ${busiest.cpuPercent.toFixed(0)}% of a core (> 80%): it measures itself; add --client-procs`,
    );
  if (clientLoop.p99 > 50)
    invalid.push(
      `a client process's event-loop delay p99 ${clientLoop.p99.toFixed(0)} ms (> 50 ms) delays the timings`,
    );

  const sorted = [...totals.latencies].sort((a, b) => a - b);
  const reveals = [...totals.revealLatencies].sort((a, b) => a - b);
  const arrivals = [...totals.revealArrivals].sort((a, b) => a - b);
  const others = [...totals.otherLatencies].sort((a, b) => a - b);
  const fetches = [...totals.revealFetches].sort((a, b) => a - b);
  const full = [...totals.fullRevealLatencies].sort((a, b) => a - b);
  const stats = (xs: readonly number[]) => ({
    p50: percentile(xs, 50),
    p95: percentile(xs, 95),
    p99: percentile(xs, 99),
    max: xs[xs.length - 1] ?? NaN,
  });
  const fmt = (x: number): string => `${x.toFixed(1)} ms`;
  const moveCount = movesCounted(totals);
  const summary = {
    meta,
    schedule: args.schedule,
    valid: invalid.length === 0,
    invalidReasons: invalid,
    server: server.kind,
    clients: args.clients,
    connected,
    rooms: sizes.length,
    roomSize: maxSize,
    rounds: args.rounds,
    turns: args.turns,
    outcome,
    roundsCompleted: totals.roundsDone,
    turnsMeasured: sorted.length,
    latencyMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? NaN,
    },
    otherTurnsLatencyMs: {
      p50: percentile(others, 50),
      p95: percentile(others, 95),
      p99: percentile(others, 99),
      max: others[others.length - 1] ?? NaN,
    },
    revealLatencyMs: {
      p50: percentile(reveals, 50),
      p95: percentile(reveals, 95),
      p99: percentile(reveals, 99),
      max: reveals[reveals.length - 1] ?? NaN,
    },
    revealArrivalMs: stats(arrivals),
    revealFetchMs: {
      count: fetches.length,
      errors: totals.revealFetchErrors,
      bytes: totals.revealBytes,
      ...stats(fetches),
    },
    fullRevealLatencyMs: stats(full),
    moves: {
      sent: totals.sent,
      acked: totals.acked,
      refused: Object.fromEntries(totals.refused),
      applied: totals.applied,
      ...moveCount,
    },
    serverCpuSeconds: serverCpu,
    wallSeconds: wall,
    movesPerSecond: totals.acked / wall,
    think: args.think,
    serverCpuPercent: serverCpu !== null ? (100 * serverCpu) / wall : null,
    benchCpuPercent,
    clientProcs: procs,
    loadAverageEnd: loadEnd,
    clientProcCpuPercentMax: busiest.cpuPercent,
    clientEventLoopDelayMs: clientLoop,
    serverEventLoopDelayMs: loop,
    serverGc: loop?.gc ?? null,
    rssIdleBytes: rssIdle,
    rssConnectedBytes: rssConnected,
    rssPeakBytes: rssPeak || null,
    rssPerClientBytes:
      rssIdle !== null && rssPeak ? Math.round((rssPeak - rssIdle) / Math.max(1, connected)) : null,
    disconnects: totals.disconnects,
    nodes: args.nodes,
    // --nodes: events forwarded to the room's owner (R41), rooms taken over (R43), over all nodes.
    cluster: fleet
      ? {
          forwarded: nodeStatsEnd.reduce((sum, st) => sum + (st?.forwardedOut ?? 0), 0),
          takenOver: nodeStatsEnd.reduce((sum, st) => sum + (st?.takenOver ?? 0), 0),
          fenced: nodeStatsEnd.reduce((sum, st) => sum + (st?.fenced ?? 0), 0),
        }
      : null,
    failover: failover.killedAt > 0 ? failoverSummary(failover, totals, stats) : null,
    // One server: its round starts' surfaces (R31a) and its room log's writes (R35), over the
    // server's life (the warm-up included).
    serverCounters: counters,
  };
  if (args.json) {
    console.log(JSON.stringify(summary));
  } else {
    log(
      `play: ${outcome === "done" ? "every room finished" : `TIMED OUT after ${args.timeoutS} s`}: ${totals.roundsDone} rounds in ${wall.toFixed(1)} s`,
    );
    log(
      `turn latency (last move sent → every client of the room has the result), ${sorted.length} turns: p50 ${fmt(summary.latencyMs.p50)}, p95 ${fmt(summary.latencyMs.p95)}, p99 ${fmt(summary.latencyMs.p99)}, max ${fmt(summary.latencyMs.max)}`,
    );
    log(
      `  turns 1…${args.turns - 1} of each round, ${others.length} turns: p50 ${fmt(summary.otherTurnsLatencyMs.p50)}, p95 ${fmt(summary.otherTurnsLatencyMs.p95)}, p99 ${fmt(summary.otherTurnsLatencyMs.p99)}, max ${fmt(summary.otherTurnsLatencyMs.max)}`,
    );
    log(
      `  the last turn of each round (its result at once, sealed until the round is stored), ${reveals.length} turns: p50 ${fmt(summary.revealLatencyMs.p50)}, p95 ${fmt(summary.revealLatencyMs.p95)}, p99 ${fmt(summary.revealLatencyMs.p99)}, max ${fmt(summary.revealLatencyMs.max)}`,
    );
    log(
      `the reveal (last move sent → every client of the room has it; the round is stored first), ${arrivals.length} rounds: p50 ${fmt(summary.revealArrivalMs.p50)}, p95 ${fmt(summary.revealArrivalMs.p95)}, p99 ${fmt(summary.revealArrivalMs.p99)}, max ${fmt(summary.revealArrivalMs.max)}`,
    );
    if (fetches.length > 0 || totals.revealFetchErrors > 0)
      log(
        `  big reveals (R11a): the other players' paths fetched once per client over HTTP (${(totals.revealBytes / 1024).toFixed(0)} KB gzip), ${fetches.length} fetches (${totals.revealFetchErrors} failed): p50 ${fmt(summary.revealFetchMs.p50)}, p95 ${fmt(summary.revealFetchMs.p95)}, p99 ${fmt(summary.revealFetchMs.p99)}, max ${fmt(summary.revealFetchMs.max)} after the reveal snapshot`,
      );
    log(
      `  the reveal complete (last move sent → every client of the room holds every path), ${full.length} rounds: p50 ${fmt(summary.fullRevealLatencyMs.p50)}, p95 ${fmt(summary.fullRevealLatencyMs.p95)}, p99 ${fmt(summary.fullRevealLatencyMs.p99)}, max ${fmt(summary.fullRevealLatencyMs.max)}`,
    );
    log(
      `moves: sent ${totals.sent}, acknowledged ${totals.acked}, refused ${totals.sent - totals.acked}${totals.refused.size ? ` ${JSON.stringify(summary.moves.refused)}` : ""}, applied (in the reveals) ${totals.applied} → counted one by one: lost ${summary.moves.lost}, duplicated ${summary.moves.duplicated}, applied without an acknowledgement ${summary.moves.unacknowledged}`,
    );
    log(
      `server: CPU ${serverCpu !== null ? `${serverCpu.toFixed(1)} s in ${wall.toFixed(1)} s = ${summary.serverCpuPercent!.toFixed(0)}% of one core` : "n/a"}; RSS idle ${mb(rssIdle)}, seated ${mb(rssConnected)}, peak ${mb(rssPeak || null)} → ${summary.rssPerClientBytes !== null ? `${(summary.rssPerClientBytes / 1024).toFixed(0)} KB per client` : "n/a"}`,
    );
    if (loop)
      log(
        `server event-loop delay during play: p50 ${fmt(loop.p50)}, p99 ${fmt(loop.p99)}, max ${fmt(loop.max)}`,
      );
    if (loop?.gc)
      log(
        `server GC pauses during play: ${loop.gc.count}, total ${fmt(loop.gc.totalMs)}, max ${fmt(loop.gc.maxMs)}`,
      );
    if (counters) {
      const l = counters.roomLog;
      log(
        `server counters: round starts' surfaces prepared ahead ${counters.surfacesPrepared}, computed at the start ${counters.surfacesAtStart} (R31a); ${counters.roundSaves ? `rounds stored ${counters.roundSaves.count}, from the round's end p50 ${fmt(counters.roundSaves.p50Ms)}, p99 ${fmt(counters.roundSaves.p99Ms)}, max ${fmt(counters.roundSaves.maxMs)}; ` : ""}room log ${l ? `${l.writes} writes of ${l.rows} rows (${l.failures} failed), a write p50 ${fmt(l.write.p50Ms)}, p99 ${fmt(l.write.p99Ms)}, max ${fmt(l.write.maxMs)}; an append durable after p50 ${fmt(l.durable.p50Ms)}, p99 ${fmt(l.durable.p99Ms)}, max ${fmt(l.durable.maxMs)}` : "off"}`,
      );
    }
    if (counters?.framesSent) {
      const frames = Object.entries(counters.framesSent).sort((a, b) => b[1] - a[1]);
      const total = frames.reduce((n, [, count]) => n + count, 0);
      log(
        `server frames written: ${total} (${fmt(total / Math.max(1, summary.moves.sent))} per move): ${frames.map(([event, count]) => `${event} ${count}`).join(", ")}`,
      );
    }
    log(
      `bench clients (${args.clients} sockets in ${procs.length} process(es)): CPU ${benchCpuPercent.toFixed(0)}% of one core in all, the busiest process ${busiest.cpuPercent.toFixed(0)}%, event-loop delay p99 ${fmt(clientLoop.p99)}, max ${fmt(clientLoop.max)}; disconnects ${totals.disconnects - 0}`,
    );
    if (summary.cluster)
      log(
        `cluster: ${args.nodes} node(s); events forwarded to a room's owner ${summary.cluster.forwarded}, rooms taken over ${summary.cluster.takenOver}, fenced ${summary.cluster.fenced}`,
      );
    if (summary.failover) {
      const f = summary.failover;
      log(
        `failover (kill -9 of n0, ${f.rooms} room(s)): resumed on another node in ${f.resumed}/${f.rooms}: p50 ${fmt(f.resumedMs.p50)}, p99 ${fmt(f.resumedMs.p99)}, max ${fmt(f.resumedMs.max)} after the kill; first turn closed after it in ${f.firstTurned}/${f.rooms}: p50 ${fmt(f.firstTurnMs.p50)}, p99 ${fmt(f.firstTurnMs.p99)}, max ${fmt(f.firstTurnMs.max)}; clients connected again ${f.reconnects} (${f.reconnectFailures} failed attempts); moves sent again after a refusal ${f.retries} (${f.landedBeforeRetry} had landed); acknowledged moves lost ${summary.moves.lost}, applied without an acknowledgement ${summary.moves.unacknowledged}`,
      );
    }
    log(
      invalid.length === 0
        ? `run VALID (schedule ${args.schedule}): every client process stayed under 80% of a core`
        : `run NOT VALID (schedule ${args.schedule}): ${invalid.join("; ")}`,
    );
  }
  // Each configuration's run appends its servers' output (the driver runs several).
  if (args.serverLog)
    appendFileSync(args.serverLog, `══ ${args.argv.join(" ")} ══\n${server.output()}\n`);
  if (outcome === "timeout" || summary.moves.lost > 0 || summary.moves.duplicated > 0) {
    const lines = server.output().trimEnd().split("\n");
    console.error(`the server's last ${Math.min(40, lines.length)} lines of output:`);
    console.error(lines.slice(-40).join("\n"));
  }
  side.close();
  await server.stop();
  process.exit(
    outcome === "done" && summary.moves.lost === 0 && summary.moves.duplicated === 0 ? 0 : 1,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
