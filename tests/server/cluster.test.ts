/**
 * Several nodes (docs/SPEC.md R40–R44) with real processes: three game server nodes
 * (tests/server/cluster-child.ts) on one PostgreSQL (a schema of this run's own) and one Redis
 * (keys and streams under a prefix of this run's own), on ephemeral ports. Without Redis or
 * PostgreSQL the suite is skipped with a message; in CI (`CI=true`) it fails instead.
 * Every wait is on a condition (a frame, a node's /healthz), with generous timeouts: no sleeps.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { connect as netConnect, createServer } from "node:net";
import type { Server as NetServer, Socket as NetSocket } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { verifyReplay } from "../../lib/game/replay-check";
import { withRevealPlayers } from "../../lib/protocol";
import type { RevealPlayersBody, RoomSnapshot } from "../../lib/protocol";
import { createDatabase, getReplay } from "../../server/db";
import {
  dropSchema,
  postgresProblem,
  REQUIRE_POSTGRES,
  scratchSchema,
} from "../db/postgres-target";
import { connect, ok, sharedState } from "./harness";
import type { TestClient } from "./harness";

const CHILD = fileURLToPath(new URL("./cluster-child.ts", import.meta.url));
const REDIS_URL = process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379";
/** Short leases so that a failover takes seconds (ROOM_LEASE_MS is configurable for this). */
const LEASE_MS = 3_000;
/** Waits across a failover: the lease, a sweep, a replay, on a loaded two-core machine. */
const FAILOVER_WAIT_MS = 45_000;

async function redisProblem(): Promise<string | null> {
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return `Redis at ${REDIS_URL}: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    redis.disconnect();
  }
}

const problems = [await redisProblem(), await postgresProblem()].filter((p) => p !== null);
const problem = problems.length > 0 ? problems.join("; ") : null;

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

interface Node {
  readonly name: string;
  readonly url: string;
  readonly proc: ChildProcess;
  readonly output: string[];
}

interface Cluster {
  readonly env: Record<string, string>;
  readonly url: string;
  readonly prefix: string;
  start(name: string): Promise<Node>;
}

/** A fresh database schema and Redis prefix for one scenario. */
async function newCluster(label: string, extraEnv: Record<string, string> = {}): Promise<Cluster> {
  const { schema, url } = scratchSchema(`cluster_${label}`);
  const prefix = `bdtest-${process.pid}-${randomBytes(4).toString("hex")}`;
  cleanups.push(() => dropSchema(schema));
  cleanups.push(async () => {
    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  });
  const env = {
    DATABASE_URL: url,
    REDIS_URL,
    CLUSTER_PREFIX: prefix,
    ROOM_LEASE_MS: String(LEASE_MS),
    ...extraEnv,
  };
  return {
    env,
    url,
    prefix,
    start: (name) => startNode(name, env),
  };
}

async function startNode(name: string, env: Record<string, string>): Promise<Node> {
  const proc = spawn(process.execPath, ["--import", "tsx", CHILD], {
    env: { ...process.env, ...env, NODE_ID: name, NODE_ENV: "test" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  cleanups.push(async () => void proc.kill("SIGKILL"));
  const output: string[] = [];
  proc.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  for await (const line of createInterface({ input: proc.stdout! })) {
    output.push(line);
    const m = /^LISTENING (\d+)$/.exec(line);
    if (m) {
      proc.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
      return { name, url: `http://127.0.0.1:${m[1]}`, proc, output };
    }
  }
  throw new Error(`node ${name} exited before listening:\n${output.join("\n")}`);
}

/** A host connected to `node` and the room it created there, which `node` then owns (R40). */
async function hostOn(node: Node, settings: Record<string, unknown> = {}) {
  const host = await connect(node.url, `host on ${node.name}`);
  const room = ok(await host.request("room:create", { mode: "room", settings }));
  return { host, room };
}

async function kill9(node: Node): Promise<void> {
  const exited = new Promise((resolve) => node.proc.once("exit", resolve));
  node.proc.kill("SIGKILL");
  await exited;
}

interface NodeStats {
  node: string;
  rooms: string[];
  forwardedIn: number;
  forwardedOut: number;
  takenOver: number;
  moving: number;
}

async function statsOf(node: Node): Promise<NodeStats> {
  const response = await fetch(`${node.url}/healthz`);
  const body = (await response.json()) as { game: { cluster: NodeStats } };
  return body.game.cluster;
}

/** Poll the nodes' /healthz until `check` holds (a condition, not a sleep). */
async function untilNodes(
  nodes: readonly Node[],
  check: (stats: NodeStats[]) => boolean,
  what: string,
  timeoutMs = FAILOVER_WAIT_MS,
): Promise<NodeStats[]> {
  const start = performance.now();
  for (;;) {
    const stats = await Promise.all(nodes.map(statsOf));
    if (check(stats)) return stats;
    if (performance.now() - start > timeoutMs) {
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(stats)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A TCP proxy in front of Redis that can be cut: `cut()` closes every connection through it and
 * refuses new ones (a node's Redis connection dropping), `restore()` lets them through again.
 */
async function cuttableProxy(target: URL): Promise<{ url: string; cut(): void; restore(): void }> {
  const open = new Set<NetSocket>();
  let up = true;
  const server: NetServer = createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = netConnect(Number(target.port), target.hostname);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      open.add(from);
      from.pipe(to);
      from.on("error", () => to.destroy());
      from.on("close", () => {
        open.delete(from);
        to.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  cleanups.push(async () => {
    for (const socket of open) socket.destroy();
  });
  const through = new URL(target.href);
  through.hostname = "127.0.0.1";
  through.port = String((server.address() as { port: number }).port);
  return {
    url: through.href,
    cut() {
      up = false;
      for (const socket of open) socket.destroy();
    },
    restore() {
      up = true;
    },
  };
}

const owners = (stats: NodeStats[], code: string) =>
  stats.filter((s) => s.rooms.includes(code)).map((s) => s.node);

const eta = (s: RoomSnapshot) => s.round!.settings.etaMax * 0.3;

async function move(client: TestClient, turn: number, angle: number, timeoutMs = 15_000) {
  const snapshot = await client.waitFor((s) => s.round?.turn === turn, `turn ${turn}`, timeoutMs);
  return ok(await client.request("round:move", { turn, angle, eta: eta(snapshot) }, timeoutMs));
}

const skip = problem !== null && !REQUIRE_POSTGRES;
if (problem !== null && !skip) {
  describe("several nodes on Redis and PostgreSQL", () => {
    it(`needs Redis at ${REDIS_URL} and PostgreSQL (CI=true: failing, not skipping)`, () => {
      expect.fail(`a service is unreachable: ${problem}`);
    });
  });
} else {
  if (skip) console.warn(`Skipping the cluster tests: ${problem}`);
  describe.skipIf(skip)("several nodes on Redis and PostgreSQL", () => {
    it("R40 R41 R44: players spread over three nodes play a full round, every client sees the same state, and the HTTP endpoints answer on any node", async () => {
      // Every reveal's entries are shared over HTTP (R11a), so that the endpoint is exercised.
      const cluster = await newCluster("round", { REVEAL_INLINE_PLAYERS: "0" });
      const a = await cluster.start("a");
      const [b, c] = await Promise.all([cluster.start("b"), cluster.start("c")]);
      // Created through node b: b owns the room (R40).
      const { host, room } = await hostOn(b, { turns: 2, secondsPerTurn: 60, hint: "gradient" });
      let stats = await untilNodes([a, b, c], (s) => owners(s, room.code).length === 1, "b");
      expect(owners(stats, room.code)).toEqual(["b"]);
      const ana = await connect(a.url, "ana on a");
      const ben = await connect(c.url, "ben on c");
      const cy = await connect(b.url, "cy on b");
      const watcher = await connect(c.url, "watcher on c");
      const console2 = await connect(a.url, "host console on a");
      ok(await ana.request("room:join", { code: room.code, nickname: "Ana" }));
      ok(await ben.request("room:join", { code: room.code, nickname: "Ben" }));
      ok(await cy.request("room:join", { code: room.code, nickname: "Cy" }));
      ok(await watcher.request("room:watch", { code: room.code }));
      ok(await console2.request("room:host", { code: room.code, hostToken: room.hostToken }));
      await console2.waitFor((s) => s.members.length === 3, "three members on a's console");
      // The round is started from node a's console: forwarded to b.
      ok(await console2.request("round:start", { code: room.code, hostToken: room.hostToken }));
      const players = [ana, ben, cy];
      for (let turn = 0; turn < 2; turn++) {
        await Promise.all(players.map((p, i) => move(p, turn, 0.5 + i)));
      }
      const everyone = [host, ana, ben, cy, watcher, console2];
      const finals = await Promise.all(
        everyone.map((client) =>
          client.waitFor((s) => s.phase === "revealed", "the reveal", 15_000),
        ),
      );
      // R41: the big reveal's shared entries answer on every node (the room is b's), the same.
      const href = finals[1]!.revealPlayers?.href;
      expect(href).toBeTruthy();
      const bodies = await Promise.all(
        [a, b, c].map(async (node) => {
          const response = await fetch(`${node.url}${href}`);
          expect(response.status).toBe(200);
          return (await response.json()) as RevealPlayersBody;
        }),
      );
      expect(bodies[0]).toEqual(bodies[1]);
      expect(bodies[2]).toEqual(bodies[1]);
      const whole = finals.map((f) => withRevealPlayers(f, bodies[0]!));
      const reference = sharedState(whole[0]!);
      for (const f of whole) expect(sharedState(f)).toEqual(reference);
      expect(whole[1]!.round!.reveal!.players.map((p) => p.nickname)).toEqual(["Ana", "Ben", "Cy"]);
      stats = await Promise.all([a, b, c].map(statsOf));
      expect(stats[1]!.forwardedIn).toBeGreaterThan(0);
      expect(stats[0]!.forwardedOut + stats[2]!.forwardedOut).toBeGreaterThan(0);
      for (const client of everyone) client.close();
    }, 120_000);

    it("R43: the owner is killed -9 mid-round; another node takes the room over from its log and every player carries on at the same turn with every acknowledged move; the round is stored once", async () => {
      const cluster = await newCluster("failover");
      const a = await cluster.start("a");
      const [b, c] = await Promise.all([cluster.start("b"), cluster.start("c")]);
      const { host, room } = await hostOn(a, { turns: 3, secondsPerTurn: 60, hint: "gradient" });
      const ana = await connect(b.url, "ana on b");
      const ben = await connect(c.url, "ben on c");
      const cy = await connect(a.url, "cy on a (the owner)");
      ok(await ana.request("room:join", { code: room.code, nickname: "Ana" }));
      ok(await ben.request("room:join", { code: room.code, nickname: "Ben" }));
      const cySeat = ok(await cy.request("room:join", { code: room.code, nickname: "Cy" }));
      ok(await host.request("round:start", { code: room.code, hostToken: room.hostToken }));
      await Promise.all([move(ana, 0, 0.5), move(ben, 0, 2.0), move(cy, 0, 3.0)]);
      await move(ana, 1, 1.0); // acknowledged: it must survive the kill
      const before = await ana.waitFor((s) => s.round?.you?.pendingMove != null, "my move");
      expect((await statsOf(a)).rooms).toEqual([room.code]);

      const benBefore = ben.latest!.rev;
      const killedAt = performance.now();
      await kill9(a);
      host.close();
      cy.close();
      // Another node owns the room (its lease expired, a sweep took it over) ...
      const stats = await untilNodes(
        [b, c],
        (s) => owners(s, room.code).length === 1,
        "a node to take the room over",
      );
      const resumedAt = performance.now();
      // ... and Ana, still connected to b, is attached again there and sees her move.
      const after = await ana.waitFor(
        (s) => s.rev !== before.rev && s.round?.turn === 1 && s.round.you?.pendingMove != null,
        "Ana's round on the new owner",
        FAILOVER_WAIT_MS,
      );
      expect(after.round!.you!.path).toEqual(before.round!.you!.path);
      expect(after.round!.you!.pendingMove).toEqual(before.round!.you!.pendingMove);
      console.log(
        `failover: kill -9 → room owned by ${owners(stats, room.code)[0]} after ${Math.round(resumedAt - killedAt)} ms`,
      );
      // Ben, connected to c, is attached again on the new owner too.
      await ben.waitFor((s) => s.rev > benBefore, "Ben's room on the new owner", FAILOVER_WAIT_MS);
      // Cy was on the dead node: he reconnects through c with his seat token.
      const cy2 = await connect(c.url, "cy again on c");
      expect(
        ok(await cy2.request("room:resume", { code: room.code, seatToken: cySeat.seatToken })),
      ).toMatchObject({ playerId: cySeat.playerId });
      const host2 = await connect(b.url, "host again on b");
      ok(await host2.request("room:host", { code: room.code, hostToken: room.hostToken }));
      const cyBack = await cy2.waitFor((s) => s.round?.turn === 1, "Cy's round");
      expect(cyBack.members.map((m) => m.nickname)).toEqual(["Ana", "Ben", "Cy"]);
      await Promise.all([move(ben, 1, 2.5), move(cy2, 1, 3.5)]);
      await Promise.all([move(ana, 2, 1.5), move(ben, 2, 3.0), move(cy2, 2, 4.0)]);
      const finals = await Promise.all(
        [ana, ben, cy2, host2].map((client) =>
          client.waitFor(
            (s) => s.phase === "revealed" && s.replayId !== undefined,
            "the reveal with its replay",
            20_000,
          ),
        ),
      );
      const reference = sharedState(finals[0]!);
      for (const f of finals) expect(sharedState(f)).toEqual(reference);
      const replayId = finals[0]!.replayId!;
      for (const client of [ana, ben, cy2, host2]) client.close();
      const db = await createDatabase({ kind: "postgres", url: cluster.url });
      try {
        expect(await db.prisma.round.count({ where: { id: replayId } })).toBe(1);
        expect(await db.prisma.round.count()).toBe(1);
        expect(verifyReplay((await getReplay(db, replayId))!).ok).toBe(true);
      } finally {
        await db.close();
      }
    }, 180_000);

    it("R46: the owner's Redis drops for a few seconds: it refuses new rooms, another node takes its room over, and its players are attached again there with every acknowledged move", async () => {
      const cluster = await newCluster("redisdrop");
      const redisUrl = new URL(REDIS_URL);
      redisUrl.port ||= "6379";
      const proxy = await cuttableProxy(redisUrl);
      const b = await cluster.start("b");
      const a = await startNode("a", { ...cluster.env, REDIS_URL: proxy.url });
      const { host, room } = await hostOn(a, { turns: 3, secondsPerTurn: 60, hint: "gradient" });
      const ana = await connect(a.url, "ana on a (the owner)");
      const ben = await connect(b.url, "ben on b");
      ok(await ana.request("room:join", { code: room.code, nickname: "Ana" }));
      ok(await ben.request("room:join", { code: room.code, nickname: "Ben" }));
      ok(await host.request("round:start", { code: room.code, hostToken: room.hostToken }));
      await Promise.all([move(ana, 0, 0.5), move(ben, 0, 2.0)]);
      await move(ana, 1, 1.0); // acknowledged: it must survive the outage
      const before = await ana.waitFor((s) => s.round?.you?.pendingMove != null, "my move");
      expect((await statsOf(a)).rooms).toEqual([room.code]);

      proxy.cut();
      // a cannot renew its lease: it stops running the room (R42) and b takes it over (R43).
      await untilNodes(
        [a, b],
        ([sa, sb]) => sa!.rooms.length === 0 && sb!.rooms.includes(room.code),
        "b to take the room over while a's Redis is down",
      );
      // While Redis is unreachable a takes no new room: a clear refusal, nothing made.
      const late = await connect(a.url, "a newcomer on a");
      const refused = (await late.raw("room:create", [{ mode: "room" }], 15_000)) as {
        ok: boolean;
        error?: { code: string; message: string };
      };
      expect(refused.ok).toBe(false);
      expect(refused.error).toMatchObject({ code: "UNAVAILABLE", message: /try again/ });
      expect((await statsOf(a)).rooms).toEqual([]);
      // Ana's connection to a stays open; her events meanwhile are refused, changing nothing.
      expect(ana.socket.connected).toBe(true);
      const meanwhile = (await ana.raw("round:move", [{ turn: 1, angle: 2, eta: 0.01 }])) as {
        ok: boolean;
        error?: { code: string; message: string };
      };
      expect(meanwhile.ok).toBe(false);
      expect(meanwhile.error).toMatchObject({ code: "UNAVAILABLE", message: /try again/ });

      const mark = ana.frames.length;
      proxy.restore();
      // a reconnects to Redis and attaches Ana again on b, with her seat and her move: the first
      // state she is sent after the outage is b's (she is in no room on a meanwhile).
      await ana.until(
        () => ana.frames.slice(mark).some((f) => f.event === "room:state"),
        "Ana's room on b",
        FAILOVER_WAIT_MS,
      );
      await untilNodes([a], ([sa]) => sa!.moving === 0, "Ana attached again on b");
      const after = ana.latest!;
      expect(after.round?.turn).toBe(1);
      expect(ana.socket.connected).toBe(true);
      expect(after.round!.you!.path).toEqual(before.round!.you!.path);
      expect(after.round!.you!.pendingMove).toEqual(before.round!.you!.pendingMove);
      // a takes new rooms again.
      ok(await late.request("room:create", { mode: "room" }, 15_000));
      late.close();
      await move(ben, 1, 2.5);
      await Promise.all([move(ana, 2, 1.5), move(ben, 2, 3.0)]);
      const finals = await Promise.all(
        [ana, ben].map((client) =>
          client.waitFor(
            (s) => s.phase === "revealed" && s.replayId !== undefined,
            "the reveal with its replay",
            20_000,
          ),
        ),
      );
      expect(sharedState(finals[0]!)).toEqual(sharedState(finals[1]!));
      const replayId = finals[0]!.replayId!;
      const moves = finals[0]!.round!.reveal!.players.map((p) => p.path.length);
      expect(moves).toEqual([4, 4]);
      for (const client of [host, ana, ben]) client.close();
      const db = await createDatabase({ kind: "postgres", url: cluster.url });
      try {
        expect(await db.prisma.round.count({ where: { id: replayId } })).toBe(1);
        expect(verifyReplay((await getReplay(db, replayId))!).ok).toBe(true);
      } finally {
        await db.close();
      }
    }, 180_000);

    it("R46 R35: a node's database drops for a few seconds: moves meanwhile wait unacknowledged, nothing new is made, and when it returns every move is acknowledged and the round stored once", async () => {
      const cluster = await newCluster("dbdrop");
      const dbUrl = new URL(cluster.url);
      dbUrl.port ||= "5432";
      const proxy = await cuttableProxy(dbUrl);
      const a = await startNode("a", { ...cluster.env, DATABASE_URL: proxy.url });
      const { host, room } = await hostOn(a, { turns: 2, secondsPerTurn: 60, hint: "gradient" });
      const ana = await connect(a.url, "ana");
      const ben = await connect(a.url, "ben");
      ok(await ana.request("room:join", { code: room.code, nickname: "Ana" }));
      ok(await ben.request("room:join", { code: room.code, nickname: "Ben" }));
      ok(await host.request("round:start", { code: room.code, hostToken: room.hostToken }));
      await move(ana, 0, 0.5);

      proxy.cut();
      // Ben's move cannot be logged: it is not acknowledged (nor shown) while the database is
      // down, and no room is made.
      const snapshot = await ben.waitFor((s) => s.round?.turn === 0, "turn 0");
      let acked = false;
      const pending = ben
        .request("round:move", { turn: 0, angle: 2, eta: eta(snapshot) }, FAILOVER_WAIT_MS)
        .finally(() => (acked = true));
      const late = await connect(a.url, "a newcomer");
      const refused = (await late.raw("room:create", [{ mode: "room" }], 15_000)) as {
        ok: boolean;
        error?: { code: string; message: string };
      };
      expect(refused.error).toMatchObject({ code: "UNAVAILABLE", message: /try again/ });
      // The node tried to write Ben's move, failed, and retries (R35) without acknowledging it.
      for (const start = performance.now(); ;) {
        if (a.output.join("").includes("writing the room log failed")) break;
        if (performance.now() - start > 15_000) throw new Error("no failed room-log write");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(acked).toBe(false);
      expect(ben.latest!.round!.turn).toBe(0);
      expect((await statsOf(a)).rooms).toEqual([room.code]);

      proxy.restore();
      ok(await pending);
      // Both moved: the turn closes; the last one closes the round.
      await Promise.all([move(ana, 1, 1.0), move(ben, 1, 3.0)]);
      const finals = await Promise.all(
        [ana, ben].map((client) =>
          client.waitFor(
            (s) => s.phase === "revealed" && s.replayId !== undefined,
            "the reveal with its replay",
            20_000,
          ),
        ),
      );
      const replayId = finals[0]!.replayId!;
      expect(finals[0]!.round!.reveal!.players.map((p) => p.path.length)).toEqual([3, 3]);
      ok(await late.request("room:create", { mode: "room" }, 15_000));
      for (const client of [host, ana, ben, late]) client.close();
      const db = await createDatabase({ kind: "postgres", url: cluster.url });
      try {
        expect(await db.prisma.round.count({ where: { id: replayId } })).toBe(1);
        expect(verifyReplay((await getReplay(db, replayId))!).ok).toBe(true);
      } finally {
        await db.close();
      }
    }, 180_000);

    it("R43: two nodes racing to take one orphaned room over: exactly one wins, and clients on both see one room", async () => {
      const cluster = await newCluster("race");
      const a = await cluster.start("a");
      const { host, room } = await hostOn(a, { turns: 2, secondsPerTurn: 60 });
      const ana = await connect(a.url, "ana on a");
      const seat = ok(await ana.request("room:join", { code: room.code, nickname: "Ana" }));
      await kill9(a);
      host.close();
      ana.close();
      // Its lease runs out while no node is up; then two nodes start at once and race for it.
      const redis = new Redis(REDIS_URL);
      try {
        const key = `${cluster.prefix}:lease:${room.code}`;
        const start = performance.now();
        while ((await redis.exists(key)) === 1) {
          if (performance.now() - start > FAILOVER_WAIT_MS) throw new Error("lease stays");
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      } finally {
        redis.disconnect();
      }
      const [b, c] = await Promise.all([cluster.start("b"), cluster.start("c")]);
      const onB = await connect(b.url, "ana again on b");
      const onC = await connect(c.url, "watcher on c");
      const [resumed, watched] = await Promise.all([
        onB.request("room:resume", { code: room.code, seatToken: seat.seatToken }, 15_000),
        onC.request("room:watch", { code: room.code }, 15_000),
      ]);
      ok(resumed);
      ok(watched);
      const stats = await untilNodes([b, c], (s) => owners(s, room.code).length > 0, "an owner");
      expect(owners(stats, room.code)).toHaveLength(1);
      expect(stats.reduce((n, s) => n + s.takenOver, 0)).toBe(1);
      // The watcher's first snapshot can predate Ana's resume (both requests race to the owner);
      // the resume's broadcast reaches it next, so both clients settle on the same room.
      const back = (s: RoomSnapshot) => s.members.length === 1 && s.members[0]!.connected;
      const [sb, sc] = await Promise.all([
        onB.waitFor(back, "Ana back in the room on b"),
        onC.waitFor(back, "Ana back in the room on c"),
      ]);
      expect(sb.code).toBe(room.code);
      const seen = (s: RoomSnapshot) => s.members.map(({ you: _, ...m }) => m);
      expect(seen(sc)).toEqual(seen(sb));
      onB.close();
      onC.close();
    }, 120_000);

    it("R43: events that reach a room between its new owner winning the lease and replaying its log wait for the replay, on the owner and on another node, and are not refused ROOM_NOT_FOUND", async () => {
      // Every takeover is held 4 s between its lease and its replay: the window in which the
      // lease already names the new owner but the owner's hub has no such room yet. Longer than
      // a lease (3 s), as a long log's replay on a loaded machine can be: the owner keeps it.
      const cluster = await newCluster("window", {
        TEST_TAKEOVER_DELAY_MS: "4000",
        FORWARD_TIMEOUT_MS: "10000",
      });
      const a = await cluster.start("a");
      const [b, c] = await Promise.all([cluster.start("b"), cluster.start("c")]);
      const { host, room } = await hostOn(a, { turns: 2, secondsPerTurn: 60 });
      const ana = await connect(a.url, "ana on a");
      const seat = ok(await ana.request("room:join", { code: room.code, nickname: "Ana" }));
      await kill9(a);
      host.close();
      ana.close();
      const held = (node: Node) =>
        node.output.some((chunk) => chunk.includes(`TAKEOVER_HELD ${room.code}`));
      const took = (node: Node) =>
        node.output.some((chunk) => chunk.includes("took a room over from its log"));
      // A sweep finds the orphaned room once its lease runs out and holds its takeover.
      const start = performance.now();
      while (!held(b) && !held(c)) {
        if (performance.now() - start > FAILOVER_WAIT_MS) throw new Error("no takeover began");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const [owner, other] = held(b) ? [b, c] : [c, b];
      const onOwner = await connect(owner.url, "watcher on the new owner");
      const onOther = await connect(other.url, "ana again on the other node");
      // Both events are sent inside the window: the replay has not happened yet.
      expect(took(owner)).toBe(false);
      const [watched, resumed] = await Promise.all([
        onOwner.request("room:watch", { code: room.code }, 15_000),
        onOther.request("room:resume", { code: room.code, seatToken: seat.seatToken }, 15_000),
      ]);
      expect(took(owner)).toBe(true);
      expect(ok(watched)).toMatchObject({ code: room.code });
      expect(ok(resumed)).toMatchObject({ playerId: seat.playerId });
      const stats = await untilNodes([b, c], (s) => owners(s, room.code).length > 0, "an owner");
      expect(owners(stats, room.code)).toEqual([owner.name]);
      expect(stats.reduce((n, s) => n + s.takenOver, 0)).toBe(1);
      const back = (s: RoomSnapshot) => s.members.length === 1 && s.members[0]!.connected;
      await Promise.all([
        onOwner.waitFor(back, "Ana back, seen on the owner"),
        onOther.waitFor(back, "Ana back, seen on the other node"),
      ]);
      onOwner.close();
      onOther.close();
    }, 120_000);

    it("R43: moves forwarded to an owner that dies, timing out while their connections are being attached again on the new owner, wait for that attach and land there once", async () => {
      // The moves time out (9 s) inside the attach: the lease runs out (3 s), a sweep takes the
      // room over and holds its replay 10 s, and the other node's attach waits for that replay.
      // Ana and Ben are on b and c, so whichever takes the room over, one of them is on the other.
      const cluster = await newCluster("moving", {
        TEST_TAKEOVER_DELAY_MS: "10000",
        FORWARD_TIMEOUT_MS: "9000",
      });
      const a = await cluster.start("a");
      const [b, c] = await Promise.all([cluster.start("b"), cluster.start("c")]);
      const { host, room } = await hostOn(a, { turns: 3, secondsPerTurn: 120 });
      const ana = await connect(b.url, "ana on b");
      const ben = await connect(c.url, "ben on c");
      ok(await ana.request("room:join", { code: room.code, nickname: "Ana" }));
      ok(await ben.request("room:join", { code: room.code, nickname: "Ben" }));
      ok(await host.request("round:start", { code: room.code, hostToken: room.hostToken }));
      const first = await ana.waitFor((s) => s.round?.turn === 0, "turn 0");
      await ben.waitFor((s) => s.round?.turn === 0, "turn 0");
      await kill9(a);
      host.close();
      const answers = await Promise.all([
        ana.request("round:move", { turn: 0, angle: 1, eta: eta(first) }, 40_000),
        ben.request("round:move", { turn: 0, angle: 2, eta: eta(first) }, 40_000),
      ]);
      expect(answers).toEqual([
        expect.objectContaining({ ok: true }),
        expect.objectContaining({ ok: true }),
      ]);
      const stats = await untilNodes([b, c], (s) => owners(s, room.code).length === 1, "an owner");
      expect(stats.reduce((n, s) => n + s.takenOver, 0)).toBe(1);
      // The turn closes with both moves, each taken once.
      for (const [client, angle] of [
        [ana, 1],
        [ben, 2],
      ] as const) {
        const next = await client.waitFor((s) => s.round?.turn === 1, "turn 1", FAILOVER_WAIT_MS);
        expect(next.round!.you!.feedback).toHaveLength(1);
        expect(next.round!.you!.feedback[0]!.move).toMatchObject({ angle });
      }
      ana.close();
      ben.close();
    }, 120_000);

    it("R41: a forwarded event with a bad payload or a wrong host token is refused by the owner exactly like a local one, and changes nothing", async () => {
      const cluster = await newCluster("refuse");
      const a = await cluster.start("a");
      const b = await cluster.start("b");
      const { host, room } = await hostOn(a);
      const local = await connect(a.url, "local on a");
      const remote = await connect(b.url, "remote on b");
      const bad: [string, unknown][] = [
        ["round:start", { code: room.code, hostToken: "x".repeat(32) }],
        ["room:kick", { code: room.code, hostToken: room.hostToken, nickname: 42 }],
        ["room:settings", { code: room.code, hostToken: "wrong", settings: { turns: 3 } }],
        ["room:settings", { code: room.code, hostToken: room.hostToken, settings: { turns: -1 } }],
        ["room:close", { code: room.code, hostToken: room.hostToken.slice(1) }],
        ["room:join", { code: room.code, nickname: "" }],
      ];
      const before = (await statsOf(a)).forwardedIn;
      for (const [event, payload] of bad) {
        const here = (await local.raw(event, [payload])) as { ok: boolean };
        const there = (await remote.raw(event, [payload], 15_000)) as { ok: boolean };
        expect(here.ok, `${event} locally`).toBe(false);
        expect(there, `${event} forwarded`).toEqual(here);
      }
      // They reached the owner (forwarded), which refused them; the room is as it was.
      expect((await statsOf(a)).forwardedIn - before).toBeGreaterThanOrEqual(bad.length);
      ok(await remote.request("room:watch", { code: room.code }));
      const shown = await remote.waitFor((s) => s.code === room.code, "the room");
      expect(shown.members).toEqual([]);
      expect(shown.phase).toBe("lobby");
      for (const client of [host, local, remote]) client.close();
    }, 120_000);
  });
}
