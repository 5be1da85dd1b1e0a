/**
 * The durable room log (docs/SPEC.md R35–R39) with real processes: a game server on PGlite or
 * PostgreSQL is killed with SIGKILL in the middle of a round, started again on the same database,
 * and its players come back, each with their seat token, to the same seat, turn, path and
 * acknowledged move; the round finishes, is stored once and its replay verifies.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { verifyReplay } from "../../lib/game/replay-check";
import type { RoomSnapshot } from "../../lib/protocol";
import { createDatabase, getReplay } from "../../server/db";
import type { DatabaseConfig } from "../../server/db";
import { appendRoomLog, loadRoomLog } from "../../server/db/room-log";
import { postgresProblem, REQUIRE_POSTGRES, scratchSchema } from "../db/postgres-target";
import { connect, ok } from "./harness";
import type { TestClient } from "./harness";

const CHILD = fileURLToPath(new URL("./room-log-child.ts", import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup().catch(() => {});
});

interface Child {
  readonly url: string;
  readonly proc: ChildProcess;
  readonly output: string[];
  readonly restored: { resumed: number; dropped: number } | null;
}

/** Start the game server child on `env`'s database; resolves once it listens. */
async function startChild(env: Record<string, string>): Promise<Child> {
  const proc = spawn(process.execPath, ["--import", "tsx", CHILD], {
    env: { ...process.env, ...env, NODE_ENV: "test" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  cleanups.push(async () => void proc.kill("SIGKILL"));
  const output: string[] = [];
  proc.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  let restored: Child["restored"] = null;
  for await (const line of createInterface({ input: proc.stdout! })) {
    output.push(line);
    const r = /^RESTORED (\d+) (\d+)$/.exec(line);
    if (r) restored = { resumed: Number(r[1]), dropped: Number(r[2]) };
    const m = /^LISTENING (\d+)$/.exec(line);
    if (m) {
      // Keep draining stdout so that the child never blocks on a full pipe.
      proc.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
      return { url: `http://127.0.0.1:${m[1]}`, proc, output, restored };
    }
  }
  throw new Error(`the server exited before listening:\n${output.join("\n")}`);
}

async function kill9(child: Child): Promise<void> {
  const exited = new Promise((resolve) => child.proc.once("exit", resolve));
  child.proc.kill("SIGKILL");
  await exited;
}

const eta = (s: RoomSnapshot) => s.round!.settings.etaMax * 0.3;

async function move(client: TestClient, turn: number, angle: number) {
  const snapshot = await client.waitFor((s) => s.round?.turn === turn, `turn ${turn}`, 10_000);
  return ok(await client.request("round:move", { turn, angle, eta: eta(snapshot) }, 10_000));
}

/** The database a backend's scenario runs on, and how to open it from the test. */
interface Backend {
  readonly env: Record<string, string>;
  readonly config: DatabaseConfig;
}

async function pgliteBackend(): Promise<Backend> {
  const dir = await mkdtemp(join(tmpdir(), "bd-roomlog-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return { env: { DATA_DIR: dir }, config: { kind: "pglite", dataDir: join(dir, "pglite") } };
}

async function postgresBackend(): Promise<Backend> {
  const { schema, url } = scratchSchema("roomlog");
  cleanups.push(async () => {
    const client = new pg.Client({ connectionString: url.split("?")[0] });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });
  return { env: { DATABASE_URL: url }, config: { kind: "postgres", url } };
}

const postgresDown = await postgresProblem();
const backends: [string, () => Promise<Backend>, boolean][] = [
  ["PGlite", pgliteBackend, false],
  ["PostgreSQL", postgresBackend, postgresDown !== null && !REQUIRE_POSTGRES],
];

describe.each(backends)("the room log on %s", (_name, makeBackend, skip) => {
  it.skipIf(skip)(
    "R35 R37 R39: after a kill -9 mid-round every player is back at the same seat and turn with every acknowledged move; the round is stored once and the closed room's log is deleted",
    async () => {
      const backend = await makeBackend();
      let server = await startChild(backend.env);
      const host = await connect(server.url, "host");
      const room = ok(
        await host.request("room:create", {
          mode: "room",
          settings: { turns: 3, secondsPerTurn: 60, hint: "gradient" },
        }),
      );
      const ana = await connect(server.url, "ana");
      const ben = await connect(server.url, "ben");
      const anaSeat = ok(await ana.request("room:join", { code: room.code, nickname: "Ana" }));
      const benSeat = ok(await ben.request("room:join", { code: room.code, nickname: "Ben" }));
      ok(await host.request("round:start", { code: room.code, hostToken: room.hostToken }));
      await move(ana, 0, 0.5);
      await move(ben, 0, 2.0);
      await move(ana, 1, 1.0); // acknowledged: it must survive the kill
      const before = await ana.waitFor((s) => s.round?.you?.pendingMove != null, "my move shown");
      expect(before.round!.you!.pendingMove).not.toBeNull();
      for (const c of [host, ana, ben]) c.close();
      await kill9(server);

      server = await startChild(backend.env);
      expect(server.restored).toEqual({ resumed: 1, dropped: 0 });
      const host2 = await connect(server.url, "host again");
      ok(await host2.request("room:host", { code: room.code, hostToken: room.hostToken }));
      const ana2 = await connect(server.url, "ana again");
      const ben2 = await connect(server.url, "ben again");
      expect(
        ok(await ana2.request("room:resume", { code: room.code, seatToken: anaSeat.seatToken })),
      ).toMatchObject({ playerId: anaSeat.playerId });
      ok(await ben2.request("room:resume", { code: room.code, seatToken: benSeat.seatToken }));
      const after = await ana2.waitFor((s) => s.round !== null, "the round");
      expect(after.round!.turn).toBe(1);
      expect(after.round!.you!.path).toEqual(before.round!.you!.path);
      expect(after.round!.you!.losses).toEqual(before.round!.you!.losses);
      expect(after.round!.you!.feedback).toEqual(before.round!.you!.feedback);
      expect(after.round!.you!.pendingMove).toEqual(before.round!.you!.pendingMove);
      // R37: the turn got its whole time again.
      expect(after.turnDeadline! - after.serverTime).toBeGreaterThan(55_000);
      const benBack = await ben2.waitFor((s) => s.round !== null, "the round");
      expect(benBack.round!.you!.pendingMove).toBeNull();
      expect(benBack.members.map((m) => m.nickname)).toEqual(["Ana", "Ben"]);

      await move(ben2, 1, 2.5);
      await move(ana2, 2, 1.5);
      await move(ben2, 2, 3.0);
      const revealed = await ana2.waitFor(
        (s) => s.phase === "revealed" && s.replayId !== undefined,
        "the reveal with its replay",
        15_000,
      );
      ok(await host2.request("room:close", { code: room.code, hostToken: room.hostToken }));
      await ana2.until(() => ana2.closedMessages.length > 0, "room:closed");
      // Give the compaction (after the close's own append) a moment, then stop the server.
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (const c of [host2, ana2, ben2]) c.close();
      await kill9(server);

      const db = await createDatabase(backend.config);
      try {
        const replay = await getReplay(db, revealed.replayId!);
        expect(replay).not.toBeNull();
        expect(verifyReplay(replay!).ok).toBe(true);
        const rounds = await db.prisma.round.count({ where: { id: revealed.replayId! } });
        expect(rounds).toBe(1);
        expect(await loadRoomLog(db, room.code)).toEqual([]);
      } finally {
        await db.close();
      }
    },
    90_000,
  );

  it.skipIf(skip)(
    "R37: a competition killed -9 in its second round resumes with its standings; the teacher's console and every student come back, and the rounds add up",
    async () => {
      const backend = await makeBackend();
      let server = await startChild(backend.env);
      const teacher = await connect(server.url, "teacher");
      const plan = {
        surface: { kind: "catalog", id: "booth" },
        turns: 2,
        secondsPerTurn: 60,
      } as const;
      const { code, hostToken, competitionId } = ok(
        await teacher.request("classroom:create", { name: "Year 9", rounds: [plan, plan] }),
      );
      const names = ["Ana", "Ben"];
      const students = await Promise.all(names.map((n) => connect(server.url, n)));
      const seats = [];
      for (const [i, c] of students.entries()) {
        seats.push(ok(await c.request("room:join", { code, nickname: names[i]! })));
      }
      const playTurn = (clients: TestClient[], roundNumber: number, turn: number) =>
        Promise.all(
          clients.map(async (c, i) => {
            const shown = await c.waitFor(
              (s) => s.roundNumber === roundNumber && s.round?.turn === turn,
              `round ${roundNumber} turn ${turn}`,
              10_000,
            );
            const eta = shown.round!.settings.etaMax * (0.2 + 0.2 * i);
            ok(await c.request("round:move", { turn, angle: Math.PI + i, eta }, 10_000));
          }),
        );
      ok(await teacher.request("round:start", { code, hostToken }));
      await playTurn(students, 1, 0);
      await playTurn(students, 1, 1);
      const afterOne = await teacher.waitFor(
        (s) => s.roundNumber === 1 && s.phase === "revealed" && !!s.classroom?.standings?.length,
        "round 1's standings",
        15_000,
      );
      const standingsOne = afterOne.classroom!.standings!.map((s) => [s.nickname, s.total]);
      ok(await teacher.request("round:start", { code, hostToken }));
      await playTurn(students, 2, 0);
      // Ana's move of turn 1 is acknowledged; Ben's is not sent yet.
      await playTurn(students.slice(0, 1), 2, 1);
      for (const c of [teacher, ...students]) c.close();
      await kill9(server);

      server = await startChild(backend.env);
      expect(server.restored).toEqual({ resumed: 1, dropped: 0 });
      const teacher2 = await connect(server.url, "teacher again");
      ok(await teacher2.request("room:host", { code, hostToken }));
      const console2 = await teacher2.waitFor((s) => s.roundNumber === 2, "the console");
      expect(console2.classroom?.standings?.map((s) => [s.nickname, s.total])).toEqual(
        standingsOne,
      );
      expect(console2.round?.turn).toBe(1);
      const back = await Promise.all(names.map((n) => connect(server.url, `${n} again`)));
      for (const [i, c] of back.entries()) {
        ok(await c.request("room:resume", { code, seatToken: seats[i]!.seatToken }));
      }
      const ana = await back[0]!.waitFor((s) => s.round !== null, "Ana's round");
      expect(ana.round!.you!.pendingMove).not.toBeNull();
      await playTurn(back.slice(1), 2, 1);
      const final = await teacher2.waitFor(
        (s) => s.roundNumber === 2 && s.phase === "revealed" && s.classroom!.roundsPlayed === 2,
        "round 2's standings",
        15_000,
      );
      const totals = new Map(final.classroom!.standings!.map((s) => [s.nickname, s.total]));
      for (const [nickname, before] of standingsOne) {
        expect(totals.get(nickname as string)!).toBeGreaterThanOrEqual(before as number);
      }
      ok(await teacher2.request("classroom:end", { code, hostToken }));
      await teacher2.waitFor((s) => s.classroom?.status === "ended", "ended");
      for (const c of [teacher2, ...back]) c.close();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await kill9(server);
      const db = await createDatabase(backend.config);
      try {
        const rounds = await db.prisma.round.findMany({ where: { competitionId } });
        expect(rounds).toHaveLength(2);
        const stored = await db.prisma.competition.findUnique({ where: { id: competitionId } });
        expect(stored).toMatchObject({ status: "ended" });
      } finally {
        await db.close();
      }
    },
    120_000,
  );

  it.skipIf(skip)(
    "R37, D5: a daily descent killed -9 mid-round comes back as the daily: same surface, settings still fixed, and its round is recorded as the player's scored attempt",
    async () => {
      const backend = await makeBackend();
      let server = await startChild(backend.env);
      const token = "restart-daily-token-0123456789";
      const fay = await connect(server.url, "fay");
      const daily = ok(await fay.request("daily:play", { playerToken: token, nickname: "Fay" }));
      expect(daily.scored).toBe(true);
      const first = await fay.waitFor((s) => s.round?.turn === 0, "turn 0");
      const turns = first.round!.settings.turns;
      await move(fay, 0, 1.0);
      await move(fay, 1, 1.5);
      fay.close();
      await kill9(server);

      server = await startChild(backend.env);
      expect(server.restored).toEqual({ resumed: 1, dropped: 0 });
      const back = await connect(server.url, "fay again");
      ok(await back.request("room:resume", { code: daily.code, seatToken: daily.seatToken! }));
      const resumed = await back.waitFor((s) => s.round?.turn === 2, "turn 2 after the restart");
      expect(resumed.round!.field).toEqual(first.round!.field);
      // D5: still the daily's own settings, after the restart too.
      expect(
        await back.request("room:settings", {
          code: daily.code,
          hostToken: daily.hostToken,
          settings: { turns: 3 },
        }),
      ).toMatchObject({ ok: false, error: { code: "INVALID_SETTINGS" } });
      for (let turn = 2; turn < turns; turn++) await move(back, turn, 1.0);
      const revealed = await back.waitFor(
        (s) => s.phase === "revealed" && s.replayId !== undefined,
        "the reveal with its replay",
        15_000,
      );
      const status = ok(await back.request("daily:status", { playerToken: token }));
      expect(status.scoredRoundId).toBe(revealed.replayId);
      back.close();
      await kill9(server);
    },
    120_000,
  );

  it.skipIf(skip)(
    "R37 R39: six rounds finishing together and a kill -9 right after the first reveal: after the restart every round is stored exactly once and revealed",
    async () => {
      const backend = await makeBackend();
      // Every save after the first waits 2 s more than the one before: when the first reveal
      // arrives, the five other rounds are sealed and not stored.
      let server = await startChild({ ...backend.env, BD_TEST_SAVE_DELAY_MS: "2000" });
      const tables = [];
      for (let i = 0; i < 6; i++) {
        const host = await connect(server.url, `host ${i}`);
        const room = ok(
          await host.request("room:create", { mode: "room", settings: { turns: 1 } }),
        );
        const player = await connect(server.url, `player ${i}`);
        const seat = ok(await player.request("room:join", { code: room.code, nickname: "Ana" }));
        ok(await host.request("round:start", { code: room.code, hostToken: room.hostToken }));
        await player.waitFor((s) => s.round?.turn === 0, "turn 0");
        tables.push({ host, room, player, seat });
      }
      await Promise.all(tables.map(({ player }) => move(player, 0, 1.0)));
      await Promise.race(
        tables.map(({ player }) =>
          player.waitFor((s) => s.phase === "revealed", "a first reveal", 15_000),
        ),
      );
      await kill9(server);
      const revealedBefore = tables.filter(({ player }) => player.latest?.phase === "revealed");
      expect(revealedBefore.length).toBeLessThan(6);
      for (const { host, player } of tables) {
        host.close();
        player.close();
      }

      server = await startChild(backend.env);
      expect(server.restored).toEqual({ resumed: 6, dropped: 0 });
      const ids: string[] = [];
      for (const { room, seat } of tables) {
        const back = await connect(server.url, `back in ${room.code}`);
        ok(await back.request("room:resume", { code: room.code, seatToken: seat.seatToken }));
        const revealed = await back.waitFor(
          (s) => s.phase === "revealed" && s.replayId !== undefined,
          `the reveal of ${room.code} with its replay`,
          20_000,
        );
        ids.push(revealed.replayId!);
        back.close();
      }
      await kill9(server);
      expect(new Set(ids).size).toBe(6);
      const db = await createDatabase(backend.config);
      try {
        // Exactly once each, and nothing else stored.
        expect(await db.prisma.round.count({ where: { id: { in: ids } } })).toBe(6);
        expect(await db.prisma.round.count()).toBe(6);
        for (const id of ids) expect(verifyReplay((await getReplay(db, id))!).ok).toBe(true);
      } finally {
        await db.close();
      }
    },
    120_000,
  );

  it.skipIf(skip)(
    "R37: a log that does not replay closes that room with one clear line and the server serves the others",
    async () => {
      const backend = await makeBackend();
      // A good room first (so that the migrations ran), then a broken log beside it.
      let server = await startChild(backend.env);
      const host = await connect(server.url, "host");
      const good = ok(await host.request("room:create", { mode: "room" }));
      host.close();
      await kill9(server);
      const db = await createDatabase(backend.config);
      try {
        await appendRoomLog(db, [
          { roomCode: "K7M2QX", seq: 0, action: '{"type":"join","at":1}' },
          { roomCode: "NOTJSON", seq: 0, action: "{" },
        ]);
      } finally {
        await db.close();
      }
      server = await startChild(backend.env);
      expect(server.restored).toEqual({ resumed: 1, dropped: 2 });
      expect(server.output.join("\n")).toMatch(/log does not replay.*K7M2QX/s);
      const back = await connect(server.url, "host again");
      ok(await back.request("room:host", { code: good.code, hostToken: good.hostToken }));
      // A fresh connection (the host's is attached already, which would refuse anything else).
      const stranger = await connect(server.url, "stranger");
      expect(await stranger.request("room:watch", { code: "K7M2QX" })).toMatchObject({
        ok: false,
        error: { code: "ROOM_NOT_FOUND" },
      });
      stranger.close();
      back.close();
      await kill9(server);
      const reopened = await createDatabase(backend.config);
      try {
        expect(await loadRoomLog(reopened, "K7M2QX")).toEqual([]);
      } finally {
        await reopened.close();
      }
    },
    60_000,
  );
  it.skipIf(skip)(
    "R37 G3: a solo room racing a ghost, killed -9 mid-round, comes back with its ghost, which finishes its stored path",
    async () => {
      const backend = await makeBackend();
      let server = await startChild(backend.env);
      const ann = await connect(server.url, "ann");
      const room = ok(
        await ann.request("room:create", {
          mode: "solo",
          nickname: "Ann",
          settings: { surface: { kind: "catalog", id: "booth" }, turns: 2 },
        }),
      );
      ok(await ann.request("round:start", { code: room.code, hostToken: room.hostToken }));
      await move(ann, 0, 0.5);
      await move(ann, 1, 1.5);
      const first = await ann.waitFor(
        (s) => s.phase === "revealed" && s.replayId !== undefined,
        "round 1 stored",
        15_000,
      );
      ok(
        await ann.request("ghost:add", {
          code: room.code,
          hostToken: room.hostToken,
          from: { kind: "last" },
        }),
      );
      ok(await ann.request("round:start", { code: room.code, hostToken: room.hostToken }));
      await ann.waitFor((s) => s.roundNumber === 2, "round 2");
      await move(ann, 0, 2.5);
      ann.close();
      await kill9(server);

      server = await startChild(backend.env);
      expect(server.restored).toEqual({ resumed: 1, dropped: 0 });
      const back = await connect(server.url, "ann again");
      ok(await back.request("room:resume", { code: room.code, seatToken: room.seatToken! }));
      const resumed = await back.waitFor((s) => s.roundNumber === 2, "round 2 again");
      expect(resumed.ghost).toMatchObject({ nickname: "Ghost: Ann", source: "last" });
      expect(resumed.round!.race.players.map((p) => p.nickname)).toEqual(["Ann", "Ghost: Ann"]);
      await move(back, 1, 3.0);
      const revealed = await back.waitFor(
        (s) => s.roundNumber === 2 && s.phase === "revealed" && s.replayId !== undefined,
        "round 2 stored",
        15_000,
      );
      const ghost = revealed.round!.reveal!.players.find((p) => p.ghost)!;
      expect(ghost.path).toEqual(first.round!.reveal!.players[0]!.path);
      back.close();
      await kill9(server);
    },
    150_000,
  );
});
