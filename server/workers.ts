import cluster from "node:cluster";
import type { Worker } from "node:cluster";
import { createServer } from "node:http";
import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";

/**
 * `WORKERS=N npm start` (docs/SPEC.md R45): N server processes on one port of one machine, each a
 * node of the cluster on Redis and PostgreSQL (R40–R44). Node's `cluster` module shares the
 * listening socket: the primary process accepts each TCP connection and hands it to the next
 * worker in turn. A cluster's browsers use WebSocket only (R44), one connection for the whole
 * session, so no sticky sessions are needed: whichever worker a socket lands on forwards its
 * events to the room's owner (R41), and an HTTP request is answered by any worker.
 */

/** The number of workers `WORKERS` asks for (null: one process, as without it). */
export function workersFrom(env: Readonly<Record<string, string | undefined>>): number | null {
  const raw = env.WORKERS?.trim();
  if (!raw) return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new Error(`WORKERS must be an integer from 1 to 256, not "${env.WORKERS}"`);
  }
  return n > 1 ? n : null;
}

/** Why `WORKERS` cannot run here, or null: the workers are nodes on Redis and PostgreSQL. */
export function workersProblem(env: Readonly<Record<string, string | undefined>>): string | null {
  const missing = ["REDIS_URL", "DATABASE_URL"].filter((k) => !env[k]?.trim());
  if (missing.length === 0) return null;
  return `WORKERS=${env.WORKERS} runs one process per worker, each a node of a cluster: it needs REDIS_URL and DATABASE_URL (PostgreSQL; embedded PGlite is one process per folder), and ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not set. See README, "Running on several machines".`;
}

/** Options of {@link runWorkers}. */
export interface WorkersOptions {
  readonly workers: number;
  /** The worker's entry module (server/main.ts). */
  readonly exec: string;
  /** Node flags of the workers (e.g. `--import tsx`). */
  readonly execArgv: readonly string[];
  /** Wait before a worker that died is started again. @default 1000 */
  readonly restartMs?: number;
}

/**
 * The primary process: start worker 0 (it creates the tables on a fresh database), then the
 * others; start a worker again when it dies (its rooms are taken over by the others meanwhile,
 * R43); on SIGTERM or SIGINT stop every worker gracefully (each hands its rooms over) and exit.
 * Exits 1 when the first worker cannot start (it has said why, e.g. Redis unreachable).
 */
export async function runWorkers(options: WorkersOptions): Promise<void> {
  const base = process.env.NODE_ID?.trim() || hostname().replace(/[^A-Za-z0-9_.-]/g, "-");
  cluster.setupPrimary({ exec: options.exec, execArgv: [...options.execArgv] });
  let stopping = false;
  const live = new Map<number, Worker>();
  const fork = (index: number): Worker => {
    const worker = cluster.fork({ NODE_ID: `${base}-w${index}`, WORKER_INDEX: String(index) });
    live.set(index, worker);
    worker.once("exit", (code, signal) => {
      live.delete(index);
      if (stopping) {
        if (live.size === 0) process.exit(0);
        return;
      }
      console.error(
        `worker ${index} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`}); starting it again`,
      );
      setTimeout(() => fork(index), options.restartMs ?? 1_000).unref();
    });
    return worker;
  };
  const listening = (worker: Worker) =>
    new Promise<boolean>((resolve) => {
      worker.once("listening", () => resolve(true));
      worker.once("exit", () => resolve(false));
    });
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping ${live.size} worker(s)`);
    if (live.size === 0) process.exit(0);
    for (const worker of live.values()) worker.process.kill("SIGTERM");
    setTimeout(() => process.exit(0), 20_000).unref();
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
  console.log(`Starting ${options.workers} workers on one port (node ids ${base}-w0…)`);
  if (!(await listening(fork(0)))) {
    stopping = true;
    console.error("The first worker could not start (above); not starting the others.");
    process.exit(1);
  }
  await Promise.all(Array.from({ length: options.workers - 1 }, (_, i) => listening(fork(i + 1))));
  console.log(`${live.size} workers listening`);
}

/**
 * In a worker of {@link runWorkers}: a second listener of `server`'s requests on a port of this
 * worker's alone (127.0.0.1, `exclusive`, not shared through the primary), for the requests a
 * node sends itself (R41: the owner answers another node's HTTP request from its own server;
 * through the shared port it could land on another worker). Null outside a worker.
 */
export async function privatePort(server: HttpServer): Promise<number | null> {
  if (!cluster.isWorker) return null;
  const own = createServer((req, res) => server.emit("request", req, res));
  await new Promise<void>((resolve, reject) => {
    own.once("error", reject);
    own.listen({ port: 0, host: "127.0.0.1", exclusive: true }, resolve);
  });
  own.unref();
  return (own.address() as AddressInfo).port;
}
