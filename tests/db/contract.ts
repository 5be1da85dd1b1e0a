/**
 * The data layer's contract, run against every storage backend (embedded PGlite and a
 * PostgreSQL server): each backend file calls {@link dataLayerContract} with a way to open an
 * empty database of its kind.
 */
import { createHash } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replayRound } from "../../lib/game";
import type { RoundState } from "../../lib/game";
import { verifyReplay } from "../../lib/game/replay-check";
import { nicknameKey } from "../../lib/nickname";
import { OPTIMIZER_IDS } from "../../lib/optimizers";
import { dailySurface } from "../../lib/challenge/daily";
import { surfaceRefKey } from "../../lib/surface-ref";
import type { SurfaceRef } from "../../lib/surface-ref";
import { surfaceIds } from "../../lib/surfaces";
import {
  addChallengeRound,
  challengeLeaderboard,
  competitionChoices,
  dailyLeaderboard,
  getChallenge,
  hasDailyAttempt,
  playerStreak,
  recordDailyAttempt,
  saveChallenge,
  DataError,
  getReplay,
  leaderboard,
  listReplays,
  roundIdOf,
  saveRound,
  saveRounds,
} from "../../server/db";

import type { Database } from "../../server/db";
import { PRISMA_DIR } from "../../server/db/database";
import {
  appendRoomLog,
  deleteRoomLog,
  loadRoomLog,
  loadRoomLogs,
  loggedRoomCodes,
  roomLogExists,
  roomLogRowsPresent,
} from "../../server/db/room-log";
import {
  getSavedSurface,
  listSavedSurfaces,
  savedNamesOf,
  saveSurface,
  updateSurface,
} from "../../server/db/saved-surfaces";
import { playRound } from "./fixtures";
import type { PlayedRound } from "./fixtures";

/** An empty database of one backend, and how to throw it away. */
export interface Backend {
  readonly db: Database;
  readonly dispose: () => Promise<void>;
}

const T0 = Date.UTC(2030, 0, 15, 12);
const HOUR = 3_600_000;

async function count(
  db: Database,
  table: "Round" | "Participant" | "Move" | "Room" | "SavedSurface",
) {
  const counts = {
    Round: () => db.prisma.round.count(),
    Participant: () => db.prisma.participant.count(),
    Move: () => db.prisma.move.count(),
    Room: () => db.prisma.room.count(),
    SavedSurface: () => db.prisma.savedSurface.count(),
  };
  return counts[table]();
}

async function expectDataError(promise: Promise<unknown>, code: string, message: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataError);
  expect((error as DataError).code).toBe(code);
  expect((error as DataError).message).toMatch(message);
}

/** Results of a played round keyed by seat, without the (anonymised) player ids. */
function resultsBySeat(state: RoundState) {
  return state
    .results!.ranking.map(({ playerId: _id, ...rest }) => rest)
    .sort((a, b) => a.seat - b.seat);
}

/**
 * The data-layer contract for one backend. Each group of tests has a database of its own, and
 * each test stores what it reads (or reads what its group's `beforeAll` stored): any one test
 * passes run alone (`vitest -t`), in any order.
 */
export function dataLayerContract(name: string, open: () => Promise<Backend>): void {
  describe(`data layer contract: ${name}`, () => {
    const opened: Backend[] = [];
    /** A fresh database of this backend, migrated unless `migrated` is false. */
    const fresh = async (migrated = true): Promise<Database> => {
      const backend = await open();
      opened.push(backend);
      if (migrated) await backend.db.migrate();
      return backend.db;
    };
    afterAll(async () => {
      await Promise.all(opened.map((backend) => backend.dispose()));
    });

    describe("migrations", () => {
      it("apply from empty, then a re-run applies nothing", async () => {
        const db = await fresh(false);
        const first = await db.migrate();
        const entries = await readdir(join(PRISMA_DIR, "migrations"), { withFileTypes: true });
        const names = entries.filter((e) => e.isDirectory()).map((e) => e.name);
        expect(first.applied).toEqual(names.sort());
        expect((await db.migrate()).applied).toEqual([]);
        expect(await count(db, "Round")).toBe(0);
      });

      it("record each migration in _prisma_migrations as Prisma does (checksum = sha256 of the file)", async () => {
        const db = await fresh();
        const rows = await db.prisma.$queryRawUnsafe<
          {
            id: string;
            checksum: string;
            migration_name: string;
            finished_at: Date | null;
            rolled_back_at: Date | null;
            applied_steps_count: number;
            logs: string | null;
          }[]
        >(
          'SELECT id, checksum, migration_name, finished_at, rolled_back_at, applied_steps_count, logs FROM "_prisma_migrations" ORDER BY migration_name',
        );
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) {
          const sql = await readFile(
            join(PRISMA_DIR, "migrations", row.migration_name, "migration.sql"),
          );
          expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
          expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
          expect(row.finished_at).toBeInstanceOf(Date);
          expect(row.rolled_back_at).toBeNull();
          expect(row.applied_steps_count).toBe(1);
          expect(row.logs).toBeNull();
        }
      });
    });

    describe("nickname keys", () => {
      const FOLD = "20261203075500_nickname_key_fold";
      const nicknames = ["Ａｎｎ", "ﬁona", "Bob", "ΣΟΦΟΣ"];

      it(`${FOLD} refolds stored keys with lib/nickname's fold, so "ann" finds a full-width "Ａｎｎ"`, async () => {
        // A database as it was before the migration, with a round stored then.
        const dir = await mkdtemp(join(tmpdir(), "blind-descent-before-fold-"));
        try {
          await cp(join(PRISMA_DIR, "migrations"), dir, {
            recursive: true,
            filter: (source) => !source.includes(FOLD),
          });
          const db = await fresh(false);
          await db.migrate({ migrationsDir: dir });
          const { id } = await saveRound(
            db,
            playRound(1200, { nicknames, finishedAt: T0 + 70_000 }).input,
          );
          // The keys as the data layer wrote them then: trim, then toLowerCase.
          for (const nickname of nicknames) {
            await db.prisma.participant.updateMany({
              where: { roundId: id, nickname },
              data: { nicknameKey: nickname.trim().toLowerCase() },
            });
          }
          expect((await listReplays(db, { nickname: "ann" })).items).toEqual([]);

          expect((await db.migrate()).applied).toEqual([FOLD]);
          const rows = await db.prisma.participant.findMany({
            where: { roundId: id, isBot: false },
            select: { nickname: true, nicknameKey: true },
          });
          expect(rows.map((r) => r.nicknameKey).sort()).toEqual(
            nicknames.map((n) => nicknameKey(n)).sort(),
          );
          // JavaScript's fold, not SQL's lower(): the final sigma stays final.
          expect(rows.find((r) => r.nickname === "ΣΟΦΟΣ")?.nicknameKey).toBe("σοφος");
          for (const query of ["ann", "ANN", "Ａｎｎ", "FIONA", "fiona", "bob", "ΣΟΦΟΣ"]) {
            const found = await listReplays(db, { nickname: query });
            expect(
              found.items.map((i) => i.id),
              query,
            ).toEqual([id]);
          }
          // A round saved now is found the same way.
          const later = await saveRound(
            db,
            playRound(1201, { nicknames: ["ＡＮＮ"], finishedAt: T0 + 80_000 }).input,
          );
          expect(
            new Set((await listReplays(db, { nickname: "ann" })).items.map((i) => i.id)),
          ).toEqual(new Set([id, later.id]));
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });

      it("keys left marked by an interrupted start are refolded by the next migrate", async () => {
        const db = await fresh();
        const { id } = await saveRound(
          db,
          playRound(1202, { nicknames, finishedAt: T0 + 90_000 }).input,
        );
        await db.prisma.participant.updateMany({
          where: { roundId: id, isBot: false },
          data: { nicknameKey: "" },
        });
        expect((await db.migrate()).applied).toEqual([]);
        const keys = await db.prisma.participant.findMany({
          where: { roundId: id, isBot: false },
          select: { nickname: true, nicknameKey: true },
        });
        expect(keys.every((k) => k.nicknameKey === nicknameKey(k.nickname))).toBe(true);
        expect(keys).toHaveLength(nicknames.length);
      });
    });

    describe("saveRound", () => {
      let db: Database;
      beforeAll(async () => {
        db = await fresh();
      });
      /** A round of 3 players and 5 turns (the same every call: saving it again is a retry). */
      const played3x5 = (seed: number): PlayedRound =>
        playRound(seed, { players: 3, turns: 5, roomCode: "SAVE1", finishedAt: T0 + seed });

      it("stores the room, the round, every participant (the bot included) and every move", async () => {
        const played = played3x5(101);
        const result = await saveRound(db, played.input);
        expect(result.status).toBe("saved");
        const round = await db.prisma.round.findUniqueOrThrow({
          where: { id: result.id },
          include: { participants: { orderBy: { seat: "asc" } }, moves: true, room: true },
        });
        expect(round.room.code).toBe("SAVE1");
        expect(round.finishedAt.getTime()).toBe(T0 + 101);
        expect(round.turns).toBe(5);
        expect(round.playerCount).toBe(3);
        expect(round.participants).toHaveLength(4);
        const bot = round.participants[3]!;
        expect(bot).toMatchObject({ isBot: true, rank: null, beatBot: null, seat: 3 });
        expect(bot.finalLoss).toBe(played.state.results!.bot!.finalLoss);
        for (const result of played.state.results!.ranking) {
          const stored = round.participants[result.seat]!;
          expect(stored).toMatchObject({
            nickname: result.nickname,
            isBot: false,
            rank: result.rank,
            score: result.score,
            finalLoss: result.finalLoss,
            progress: result.progress,
            beatBot: result.beatBot,
            reachedTurn: result.reachedTurn,
          });
          const track = played.state.players[result.seat]!;
          expect(stored.turnsPlayed).toBe(track.feedback.filter((f) => f.move).length);
        }
        expect(round.moves).toHaveLength(3 * 5);
        const stays = round.moves.filter((m) => m.eta === null);
        expect(stays.every((m) => m.angle === null && m.at === null)).toBe(true);
        const move = round.moves.find((m) => m.seat === 0 && m.turn === 0)!;
        expect(move.eta).toBe(played.state.players[0]!.feedback[0]!.move?.eta ?? null);
      });

      it("never stores the players' opaque ids", async () => {
        const played = played3x5(104);
        const replay = await getReplay(db, (await saveRound(db, played.input)).id);
        const text = JSON.stringify(replay);
        for (const player of played.input.record.players) expect(text).not.toContain(player.id);
        expect(replay!.record.players.map((p) => p.id)).toEqual(["p0", "p1", "p2"]);
      });

      it("is idempotent: saving the same round again stores nothing", async () => {
        const played = played3x5(104);
        await saveRound(db, played.input);
        const before = await Promise.all([
          count(db, "Round"),
          count(db, "Participant"),
          count(db, "Move"),
        ]);
        const again = await saveRound(db, played.input);
        expect(again.status).toBe("duplicate");
        expect(
          await Promise.all([count(db, "Round"), count(db, "Participant"), count(db, "Move")]),
        ).toEqual(before);
      });

      it("stores one round when the same round is saved concurrently", async () => {
        const same = playRound(102, { finishedAt: T0 + 1 });
        const results = await Promise.all(
          Array.from({ length: 6 }, () => saveRound(db, same.input)),
        );
        expect(results.filter((r) => r.status === "saved")).toHaveLength(1);
        expect(new Set(results.map((r) => r.id)).size).toBe(1);
        expect(await db.prisma.participant.count({ where: { roundId: results[0]!.id } })).toBe(
          same.state.players.length + 1,
        );
      });

      it("stores many rounds saved concurrently, each once", async () => {
        const rounds = Array.from({ length: 40 }, (_, i) =>
          playRound(200 + i, { finishedAt: T0 + 10 + i }),
        );
        const before = await count(db, "Round");
        const results = await Promise.all(rounds.map((r) => saveRound(db, r.input)));
        expect(results.every((r) => r.status === "saved")).toBe(true);
        expect(new Set(results.map((r) => r.id)).size).toBe(40);
        expect(await count(db, "Round")).toBe(before + 40);
        const participants = rounds.reduce((n, r) => n + r.state.players.length + 1, 0);
        expect(
          await db.prisma.participant.count({
            where: { roundId: { in: results.map((r) => r.id) } },
          }),
        ).toBe(participants);
      });

      it("saves a batch in one call as saving each round in turn would (issue 15)", async () => {
        const a1 = playRound(311, { roomCode: "BATCH", roundNumber: 1, finishedAt: T0 + 100 });
        const a2 = playRound(312, { roomCode: "BATCH", roundNumber: 2, finishedAt: T0 + 200 });
        const b1 = playRound(313, { roomCode: "BATCH", roundNumber: 1, finishedAt: T0 + 300 });
        const b2 = playRound(314, { roomCode: "BATCH", roundNumber: 2, finishedAt: T0 + 400 });
        const stored = playRound(315, { roomCode: "BATCH2", finishedAt: T0 + 500 });
        await saveRound(db, stored.input);
        const forged = {
          ...a1.input,
          record: {
            ...a1.input.record,
            actions: [
              { type: "move" as const, playerId: "nobody", angle: 0, eta: 0.1, at: 1 },
              ...a1.input.record.actions,
            ],
          },
        };
        const before = await Promise.all([count(db, "Round"), count(db, "Move")]);
        const outcomes = await saveRounds(db, [
          { input: a1.input },
          { input: { ...a2.input, roomCode: "" } },
          { input: a2.input },
          { input: stored.input },
          { input: b1.input },
          { input: a1.input },
          { input: forged },
          { input: b2.input },
        ]);
        expect(outcomes.map((o) => (o.ok ? o.result.status : (o.error as DataError).code))).toEqual(
          [
            "saved",
            "INVALID_INPUT",
            "saved",
            "duplicate",
            "saved",
            "duplicate",
            "INVALID_RECORD",
            "saved",
          ],
        );
        const ids = outcomes.map((o) => (o.ok ? o.result.id : null));
        expect(ids[5]).toBe(ids[0]);
        expect(ids[3]).toBe(roundIdOf(stored.input));
        // Four new rounds, every move of each; nothing of the refused ones.
        const moves = [a1, a2, b1, b2].reduce(
          (n, r) => n + r.state.players.length * r.state.settings.turns,
          0,
        );
        expect(await Promise.all([count(db, "Round"), count(db, "Move")])).toEqual([
          before[0] + 4,
          before[1] + moves,
        ]);
        // Rooms as one save after the other: a2 joins a1's Room (the newest then), b2 joins b1's.
        const rows = await db.prisma.round.findMany({
          where: { id: { in: [ids[0]!, ids[2]!, ids[4]!, ids[7]!] } },
          select: { id: true, roomId: true },
        });
        const roomOf = new Map(rows.map((r) => [r.id, r.roomId]));
        expect(roomOf.get(ids[2]!)).toBe(roomOf.get(ids[0]!));
        expect(roomOf.get(ids[7]!)).toBe(roomOf.get(ids[4]!));
        expect(roomOf.get(ids[4]!)).not.toBe(roomOf.get(ids[0]!));
        // Each stored round replays to what was played, its participants recomputed.
        for (const [i, played] of [
          [0, a1],
          [2, a2],
          [4, b1],
          [7, b2],
        ] as const) {
          const replay = await getReplay(db, ids[i]!);
          const bySeat = (x: { seat: number }, y: { seat: number }) => x.seat - y.seat;
          expect(
            replay!.participants
              .filter((p) => !p.isBot)
              .sort(bySeat)
              .map((p) => [p.seat, p.score, p.rank]),
          ).toEqual(
            played.state
              .results!.ranking.slice()
              .sort(bySeat)
              .map((r) => [r.seat, r.score, r.rank]),
          );
        }
      });

      it("fails only the round the database refuses in a batch; the others are stored", async () => {
        const good1 = playRound(321, { finishedAt: T0 + 600 });
        const good2 = playRound(322, { finishedAt: T0 + 700 });
        // The schema lets a NUL character through in a competition's name; PostgreSQL's text
        // refuses it, so this round fails in the database, inside the batch's transaction.
        const refused = playRound(323, {
          finishedAt: T0 + 800,
          competition: { id: "nul-competition", name: "class\u0000A" },
        });
        const outcomes = await saveRounds(db, [
          { input: good1.input },
          { input: refused.input },
          { input: good2.input },
        ]);
        expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
        expect(outcomes[1]!.ok ? null : outcomes[1]!.error).not.toBeInstanceOf(DataError);
        for (const i of [0, 2]) {
          const outcome = outcomes[i]!;
          expect(outcome.ok && outcome.result.status).toBe("saved");
          expect(
            await db.prisma.round.count({ where: { id: outcome.ok ? outcome.result.id : "" } }),
          ).toBe(1);
        }
        expect(await db.prisma.round.count({ where: { id: roundIdOf(refused.input) } })).toBe(0);
        expect(await db.prisma.competition.count({ where: { id: "nul-competition" } })).toBe(0);
      });

      it("puts a room's later rounds in the same Room row, and a new first round in a new one", async () => {
        const a1 = await saveRound(
          db,
          playRound(301, { roomCode: "ROOMX", roundNumber: 1, finishedAt: T0 + 100 }).input,
        );
        const a2 = await saveRound(
          db,
          playRound(302, { roomCode: "ROOMX", roundNumber: 2, finishedAt: T0 + 200 }).input,
        );
        const b1 = await saveRound(
          db,
          playRound(303, { roomCode: "ROOMX", roundNumber: 1, finishedAt: T0 + 300 }).input,
        );
        const rooms = await db.prisma.round.findMany({
          where: { id: { in: [a1.id, a2.id, b1.id] } },
          select: { id: true, roomId: true },
        });
        const roomOf = new Map(rooms.map((r) => [r.id, r.roomId]));
        expect(roomOf.get(a1.id)).toBe(roomOf.get(a2.id));
        expect(roomOf.get(b1.id)).not.toBe(roomOf.get(a1.id));
      });

      it("refuses a malformed round with a message naming the field, storing nothing", async () => {
        const before = await count(db, "Round");
        const bad = playRound(401, { finishedAt: T0 }).input;
        await expectDataError(saveRound(db, { ...bad, roomCode: "" }), "INVALID_INPUT", /roomCode/);
        await expectDataError(
          saveRound(db, { ...bad, record: { ...bad.record, seed: Number.NaN } }),
          "INVALID_INPUT",
          /record\.seed/,
        );
        await expectDataError(
          saveRound(db, { ...bad, finishedAt: -5 }),
          "INVALID_INPUT",
          /finishedAt/,
        );
        expect(await count(db, "Round")).toBe(before);
      });

      it("refuses a record that does not replay, or an unfinished round", async () => {
        const before = await count(db, "Round");
        const good = playRound(402, { finishedAt: T0 }).input;
        const forged = {
          ...good,
          record: {
            ...good.record,
            actions: [
              { type: "move" as const, playerId: "nobody", angle: 0, eta: 0.1, at: 1 },
              ...good.record.actions,
            ],
          },
        };
        await expectDataError(saveRound(db, forged), "INVALID_RECORD", /action 0 is refused/);
        const unfinished = {
          ...good,
          record: { ...good.record, actions: good.record.actions.slice(0, 3) },
        };
        await expectDataError(saveRound(db, unfinished), "INVALID_RECORD", /not finished/);
        expect(await count(db, "Round")).toBe(before);
      });
    });

    describe("leaderboard", () => {
      let db: Database;
      const surface = { kind: "catalog" as const, id: "matyas" };
      const competition = { id: "class-7b", name: "Class 7B" };
      const now = T0 + 30 * 24 * HOUR;
      let ids: { old: string; week: string; today: string };

      beforeAll(async () => {
        db = await fresh();
        const save = async (seed: number, finishedAt: number, extra = {}) =>
          (
            await saveRound(
              db,
              playRound(seed, { surface, finishedAt, players: 4, ...extra }).input,
            )
          ).id;
        ids = {
          old: await save(501, now - 20 * 24 * HOUR),
          week: await save(502, now - 3 * 24 * HOUR, { competition }),
          today: await save(503, now - 2 * HOUR, { competition }),
        };
        // A round on another surface, for the overall board.
        await save(506, now - 5 * HOUR, { surface: { kind: "catalog", id: "booth" } });
      });

      it("lists players best first (score, then turns to the final loss, then date), never the bot", async () => {
        const board = await leaderboard(db, { surface: "matyas" }, { now });
        expect(board.rows).toHaveLength(12);
        expect(board.rows.map((r) => r.position)).toEqual(
          Array.from({ length: 12 }, (_, i) => i + 1),
        );
        for (const [a, b] of board.rows.slice(1).map((row, i) => [board.rows[i]!, row] as const)) {
          // Negative or zero when a ranks before b.
          const order =
            b.score - a.score ||
            a.reachedTurn - b.reachedTurn ||
            Date.parse(a.finishedAt) - Date.parse(b.finishedAt);
          expect(order).toBeLessThanOrEqual(0);
        }
        expect(board.rows.some((r) => r.nickname.startsWith("Bot"))).toBe(false);
        expect(board.rows[0]).toMatchObject({ surfaceKey: "catalog:matyas", surface });
        expect(typeof board.rows[0]!.beatBot).toBe("boolean");
      });

      it("filters by period: the last 24 h, the last 7 days, all time", async () => {
        const roundsOf = async (period: "day" | "week" | "all") =>
          new Set(
            (await leaderboard(db, { surface: "catalog:matyas", period }, { now })).rows.map(
              (r) => r.roundId,
            ),
          );
        expect(await roundsOf("day")).toEqual(new Set([ids.today]));
        expect(await roundsOf("week")).toEqual(new Set([ids.today, ids.week]));
        expect(await roundsOf("all")).toEqual(new Set([ids.today, ids.week, ids.old]));
      });

      it("filters by competition, and overall includes every surface", async () => {
        const board = await leaderboard(db, { competition: competition.id }, { now });
        expect(new Set(board.rows.map((r) => r.roundId))).toEqual(new Set([ids.today, ids.week]));
        expect(board.rows.every((r) => r.competitionId === competition.id)).toBe(true);
        const overall = await leaderboard(db, { pageSize: 100 }, { now });
        expect(new Set(overall.rows.map((r) => r.surfaceKey)).size).toBeGreaterThan(1);
      });

      it("pages: page 2 continues page 1, hasMore says whether a next page exists", async () => {
        const all = await leaderboard(db, { surface: "matyas" }, { now });
        const p1 = await leaderboard(db, { surface: "matyas", pageSize: "5", page: "1" }, { now });
        const p3 = await leaderboard(db, { surface: "matyas", pageSize: 5, page: 3 }, { now });
        expect(p1.rows.map((r) => r.roundId + r.nickname)).toEqual(
          all.rows.slice(0, 5).map((r) => r.roundId + r.nickname),
        );
        expect(p1.hasMore).toBe(true);
        expect(p3.rows.map((r) => r.position)).toEqual([11, 12]);
        expect(p3.hasMore).toBe(false);
      });

      it("competitionChoices lists competitions that have rounds, newest first", async () => {
        await db.prisma.competition.create({
          data: { id: "empty-class", name: "No rounds yet", createdAt: new Date(now) },
        });
        const later = { id: "class-8a", name: "Class 8A" };
        await saveRound(
          db,
          playRound(504, {
            surface: { kind: "catalog", id: "booth" },
            finishedAt: now - HOUR,
            players: 1,
            competition: later,
          }).input,
        );
        const choices = await competitionChoices(db);
        expect(choices.map((c) => c.id)).not.toContain("empty-class");
        expect(choices.slice(0, 2)).toEqual([later, competition]);
        expect(await competitionChoices(db, 1)).toEqual([later]);
        await expectDataError(
          competitionChoices(db, 0),
          "INVALID_INPUT",
          /competition limit: must be an integer from 1 to 500/,
        );
      });

      it("keeps a competition without rankings out of public lists; its replay names nobody (R21)", async () => {
        const quiet = { id: "quiet-class", name: "Quiet class" };
        const { id } = await saveRound(
          db,
          playRound(505, {
            surface: { kind: "catalog", id: "booth" },
            finishedAt: now - HOUR,
            players: 3,
            competition: quiet,
          }).input,
        );
        const named = await getReplay(db, id);
        expect(named?.participants.some((p) => !p.isBot && !p.nickname.startsWith("Student"))).toBe(
          true,
        );
        expect((await leaderboard(db, { competition: quiet.id }, { now })).rows).toHaveLength(3);
        await db.prisma.competition.update({ where: { id: quiet.id }, data: { noRankings: true } });

        expect((await leaderboard(db, { competition: quiet.id }, { now })).rows).toEqual([]);
        const overall = await leaderboard(db, { pageSize: 100 }, { now });
        expect(overall.rows.some((r) => r.roundId === id)).toBe(false);
        expect(overall.rows.some((r) => r.competitionId === competition.id)).toBe(true);
        expect((await competitionChoices(db)).map((c) => c.id)).not.toContain(quiet.id);
        const list = await listReplays(db, { pageSize: 100 });
        expect(list.items.some((r) => r.id === id)).toBe(false);
        expect(list.items.length).toBeGreaterThan(0);

        const replay = await getReplay(db, id);
        const people = replay!.participants.filter((p) => !p.isBot);
        expect(people.map((p) => p.nickname).sort()).toEqual([
          "Student 1",
          "Student 2",
          "Student 3",
        ]);
        expect(replay!.record.players.map((p) => p.nickname)).toEqual([
          "Student 1",
          "Student 2",
          "Student 3",
        ]);
        // Still recomputed from its moves, and still matching what was stored.
        expect(verifyReplay(replay!).ok).toBe(true);
      });

      it("refuses bad queries with messages naming the parameter", async () => {
        await expectDataError(
          leaderboard(db, { period: "month" as "day" }),
          "INVALID_INPUT",
          /period: must be one of day, week, all/,
        );
        await expectDataError(
          leaderboard(db, { page: 0 }),
          "INVALID_INPUT",
          /page: must be an integer from 1 to 1000/,
        );
        await expectDataError(
          leaderboard(db, { pageSize: "x" }),
          "INVALID_INPUT",
          /pageSize: must be an integer/,
        );
        await expectDataError(
          leaderboard(db, { surface: "no such/surface" }),
          "INVALID_INPUT",
          /surface: must be a catalog id/,
        );
        await expectDataError(
          leaderboard(db, { sort: "name" } as unknown as Record<string, never>),
          "INVALID_INPUT",
          /sort/,
        );
      });
    });

    describe("the library of saved surfaces (F13–F15)", () => {
      let db: Database;
      beforeAll(async () => {
        db = await fresh();
      });
      const formula = {
        kind: "formula",
        text: "(w - 1)^2 + 2 (b + 0.5)^2",
        box: { min: [-3, -3], max: [3, 3] },
      } as const;
      const data = {
        kind: "data",
        points: [
          [-2, 0.1],
          [0.5, 0.55],
          [2.5, 0.95],
        ],
        box: { min: [-6, -6], max: [6, 6] },
      } as const;

      it("F13: a surface is saved under a random id with an edit token stored only as its hash", async () => {
        const saved = await saveSurface(db, { name: "  Tilted bowl  ", surface: formula });
        expect(saved.id).toMatch(/^[0-9a-hjkmnp-tv-z]{10}$/);
        expect(saved.editToken).toMatch(/^[A-Za-z0-9_-]{24}$/);
        const row = await db.prisma.savedSurface.findUnique({ where: { id: saved.id } });
        expect(row?.editTokenHash).toBe(createHash("sha256").update(saved.editToken).digest("hex"));
        expect(JSON.stringify(row)).not.toContain(saved.editToken);
        const got = await getSavedSurface(db, saved.id);
        expect(got).toMatchObject({
          id: saved.id,
          name: "Tilted bowl",
          kind: "formula",
          surface: formula,
          surfaceKey: surfaceRefKey(formula),
          rounds: 0,
        });
        expect(await getSavedSurface(db, "nosuchid00")).toBeNull();
        expect(await getSavedSurface(db, "../etc")).toBeNull();
      });

      it("F13: a bad name or surface is refused and nothing is stored", async () => {
        const before = await count(db, "SavedSurface");
        await expectDataError(
          saveSurface(db, { name: "", surface: formula }),
          "INVALID_INPUT",
          /name/,
        );
        await expectDataError(
          saveSurface(db, { name: "x".repeat(81), surface: formula }),
          "INVALID_INPUT",
          /at most 80/,
        );
        await expectDataError(
          saveSurface(db, { name: "ok", surface: { kind: "catalog", id: "booth" } }),
          "INVALID_INPUT",
          /surface/,
        );
        await expectDataError(
          saveSurface(db, { name: "ok", surface: { ...data, points: [[0, 0.5]] } }),
          "INVALID_INPUT",
          /points/,
        );
        expect(await count(db, "SavedSurface")).toBe(before);
      });

      it("F14: only the edit token changes a saved surface", async () => {
        const saved = await saveSurface(db, { name: "Class data", surface: data });
        expect(
          await updateSurface(db, { id: saved.id, editToken: "x".repeat(24), name: "Mine" }),
        ).toBe(false);
        expect((await getSavedSurface(db, saved.id))?.name).toBe("Class data");
        expect(
          await updateSurface(db, {
            id: saved.id,
            editToken: saved.editToken,
            name: "Period 3 data",
          }),
        ).toBe(true);
        const got = await getSavedSurface(db, saved.id);
        expect(got?.name).toBe("Period 3 data");
        expect(got?.surface).toEqual(data);
      });

      it("F15: the library lists newest first, searches names, and groups rounds by surface key", async () => {
        const played = playRound(1700, {
          surface: data,
          players: 2,
          turns: 3,
          finishedAt: T0 + 90_000,
        });
        await saveRound(db, played.input);
        const all = await listSavedSurfaces(db);
        expect(all.items.map((i) => i.name)).toEqual(["Period 3 data", "Tilted bowl"]);
        expect(all.items[0]!.rounds).toBe(1);
        expect(all.hasMore).toBe(false);
        const found = await listSavedSurfaces(db, { search: "BOWL" });
        expect(found.items.map((i) => i.name)).toEqual(["Tilted bowl"]);
        expect((await listSavedSurfaces(db, { search: "nothing" })).items).toEqual([]);
        const names = await savedNamesOf(db, [surfaceRefKey(data), "catalog:booth"]);
        expect([...names]).toEqual([[surfaceRefKey(data), "Period 3 data"]]);
        await expectDataError(listSavedSurfaces(db, { page: 0 }), "INVALID_INPUT", /page/);
      });
    });

    describe("challenges (C1–C3)", () => {
      let db: Database;
      beforeAll(async () => {
        db = await fresh();
      });
      const surface = { kind: "procedural", seed: 42, difficulty: "medium" } as const;

      it("C1, C2: a challenge is stored under a random id and opens with exactly its settings", async () => {
        const id = await saveChallenge(db, { surface, settings: { turns: 6, hint: "blind" } });
        expect(id).toMatch(/^[0-9a-hjkmnp-tv-z]{10}$/);
        // Random, not derived from what it holds (C1: the id says nothing of the surface): the
        // same challenge saved again gets another id. (A check that the seed's digits are absent
        // failed by chance about once in a hundred runs.)
        const again = await saveChallenge(db, { surface, settings: { turns: 6, hint: "blind" } });
        expect(again).toMatch(/^[0-9a-hjkmnp-tv-z]{10}$/);
        expect(again).not.toBe(id);
        const opened = await getChallenge(db, id);
        expect(opened).toMatchObject({ id, surface, settings: { turns: 6, hint: "blind" } });
        expect(await getChallenge(db, "zzzzzzzzzz")).toBeNull();
      });

      it("C2: a bad challenge or id is refused and stores nothing", async () => {
        const before = await db.prisma.challenge.count();
        await expectDataError(
          saveChallenge(db, { surface, settings: { turns: 0 } }),
          "INVALID_INPUT",
          /turns must be an integer from 1 to 100/,
        );
        await expectDataError(
          saveChallenge(db, { surface: { kind: "catalog", id: "nope" }, settings: {} }),
          "INVALID_INPUT",
          /invalid challenge/,
        );
        await expectDataError(getChallenge(db, "../etc"), "INVALID_INPUT", /challenge id/);
        expect(await db.prisma.challenge.count()).toBe(before);
      });

      it("C1: a taken id is drawn again", async () => {
        const fixed = () => new Uint8Array(16).fill(3);
        let calls = 0;
        const first = await saveChallenge(db, { surface, settings: {} }, fixed);
        const second = await saveChallenge(db, { surface, settings: {} }, () =>
          calls++ === 0 ? fixed() : new Uint8Array(16).fill(4),
        );
        expect(first).toBe("3333333333");
        expect(second).toBe("4444444444");
      });

      it("C3: the challenge's leaderboard holds its rounds' players only, best first, no surface", async () => {
        const id = await saveChallenge(db, { surface, settings: { turns: 4 } });
        const other = await saveChallenge(db, { surface, settings: { turns: 4 } });
        const a = playRound(301, { surface, players: 1, turns: 4, nicknames: ["ann"] });
        const b = playRound(302, { surface, players: 1, turns: 4, nicknames: ["bob"] });
        const c = playRound(303, { surface, players: 1, turns: 4, nicknames: ["cy"] });
        const ids = [];
        for (const played of [a, b, c]) ids.push((await saveRound(db, played.input)).id);
        await addChallengeRound(db, id, ids[0]!);
        await addChallengeRound(db, id, ids[1]!);
        await addChallengeRound(db, id, ids[1]!); // idempotent
        await addChallengeRound(db, other, ids[2]!);
        const board = await challengeLeaderboard(db, id);
        expect(board.map((row) => row.nickname).sort()).toEqual(["ann", "bob"]);
        expect(board[0]!.score).toBeGreaterThanOrEqual(board[1]!.score);
        expect(board.map((row) => row.position)).toEqual([1, 2]);
        expect(JSON.stringify(board)).not.toMatch(/procedural|surface/);
        expect((await challengeLeaderboard(db, other)).map((row) => row.nickname)).toEqual(["cy"]);
        expect(await challengeLeaderboard(db, "zzzzzzzzzz")).toEqual([]);
      });
    });

    describe("daily descent (D3, D4)", () => {
      let db: Database;
      beforeAll(async () => {
        db = await fresh();
      });
      const TOKEN_A = "a".repeat(22);
      const TOKEN_B = "B-b_".repeat(8);
      const surface = { kind: "procedural", seed: 9, difficulty: "medium" } as const;
      const save = async (seed: number, nickname: string) =>
        (
          await saveRound(
            db,
            playRound(seed, { surface, players: 1, turns: 3, nicknames: [nickname] }).input,
          )
        ).id;

      it("D6: today's daily rounds are in no public list until the UTC day is over", async () => {
        const day = Date.UTC(2026, 11, 3, 15);
        const { transform: _t, ...daily } = dailySurface(day);
        const played = playRound(411, {
          surface: daily,
          players: 1,
          turns: 3,
          nicknames: ["spoiler"],
        });
        const { id } = await saveRound(db, played.input);
        const key = surfaceRefKey(daily);
        const listed = async (now: number) => ({
          replays: (await listReplays(db, {}, { now })).items.map((r) => r.id),
          bySurface: (await listReplays(db, { surface: key }, { now })).items.map((r) => r.id),
          board: (await leaderboard(db, {}, { now })).rows.map((r) => r.roundId),
          boardBySurface: (await leaderboard(db, { surface: key }, { now })).rows.map(
            (r) => r.roundId,
          ),
        });
        const today = await listed(day);
        for (const ids of Object.values(today)) expect(ids).not.toContain(id);
        const tomorrow = await listed(day + 86_400_000);
        for (const ids of Object.values(tomorrow)) expect(ids).toContain(id);
      });

      it("D3: the first attempt of a token on a day is scored; a second is unscored and the first kept", async () => {
        const first = await save(401, "ann");
        const second = await save(402, "ann");
        expect(await hasDailyAttempt(db, "2026-12-03", TOKEN_A)).toBe(false);
        expect(
          await recordDailyAttempt(db, { day: "2026-12-03", playerToken: TOKEN_A, roundId: first }),
        ).toEqual({ status: "scored", roundId: first });
        expect(await hasDailyAttempt(db, "2026-12-03", TOKEN_A)).toBe(true);
        expect(
          await recordDailyAttempt(db, {
            day: "2026-12-03",
            playerToken: TOKEN_A,
            roundId: second,
          }),
        ).toEqual({ status: "unscored", roundId: first });
        // The same attempt sent twice stays the scored one.
        expect(
          (
            await recordDailyAttempt(db, {
              day: "2026-12-03",
              playerToken: TOKEN_A,
              roundId: first,
            })
          ).status,
        ).toBe("scored");
        const rows = await db.prisma.dailyAttempt.findMany({ where: { day: "2026-12-03" } });
        expect(rows).toHaveLength(1);
        expect(rows[0]!.playerKey).toMatch(/^[0-9a-f]{64}$/);
        expect(JSON.stringify(rows)).not.toContain(TOKEN_A);
      });

      it("D4: the day's leaderboard holds the scored attempts only", async () => {
        const ann = await save(411, "ann");
        const annAgain = await save(412, "ann2");
        const bob = await save(413, "bob");
        await recordDailyAttempt(db, { day: "2026-12-04", playerToken: TOKEN_A, roundId: ann });
        await recordDailyAttempt(db, {
          day: "2026-12-04",
          playerToken: TOKEN_A,
          roundId: annAgain,
        });
        await recordDailyAttempt(db, { day: "2026-12-04", playerToken: TOKEN_B, roundId: bob });
        const board = await dailyLeaderboard(db, "2026-12-04");
        expect(board.map((row) => row.nickname).sort()).toEqual(["ann", "bob"]);
        expect(await dailyLeaderboard(db, "2026-12-05")).toEqual([]);
      });

      it("D3: a streak counts the player's consecutive days", async () => {
        const token = "s".repeat(30);
        for (const [i, day] of ["2026-12-01", "2026-12-02", "2026-12-03"].entries()) {
          await recordDailyAttempt(db, {
            day,
            playerToken: token,
            roundId: await save(421 + i, "sam"),
          });
        }
        expect(await playerStreak(db, token, Date.UTC(2026, 11, 3, 18))).toBe(3);
        expect(await playerStreak(db, token, Date.UTC(2026, 11, 4, 1))).toBe(3);
        expect(await playerStreak(db, token, Date.UTC(2026, 11, 5, 1))).toBe(0);
        expect(await playerStreak(db, "t".repeat(30), Date.UTC(2026, 11, 3))).toBe(0);
      });

      it("D3: a missing or malformed token, a bad day or round is refused and stores nothing", async () => {
        const before = await db.prisma.dailyAttempt.count();
        const round = await save(431, "eve");
        for (const [input, message] of [
          [
            { day: "2026-12-03", playerToken: "short", roundId: round },
            /player token is malformed/,
          ],
          [
            { day: "2026-12-03", playerToken: undefined, roundId: round },
            /player token must be a string/,
          ],
          [{ day: "2026-13-03", playerToken: TOKEN_B, roundId: round }, /real date/],
          [{ day: "yesterday", playerToken: TOKEN_B, roundId: round }, /YYYY-MM-DD/],
          [{ day: "2026-12-03", playerToken: TOKEN_B, roundId: "" }, /round id/],
        ] as const) {
          await expectDataError(recordDailyAttempt(db, input as never), "INVALID_INPUT", message);
        }
        expect(await db.prisma.dailyAttempt.count()).toBe(before);
      });
    });

    describe("room log (R35, R36, R39, R40, R43)", () => {
      let db: Database;
      beforeAll(async () => {
        db = await fresh();
      });
      it("appends in one statement, loads each room's log in order, refuses a (room, seq) twice and deletes a room's log", async () => {
        const row = (roomCode: string, seq: number) => ({
          roomCode,
          seq,
          action: JSON.stringify({ type: "join", at: seq, nickname: `Ünï ${seq} 'q"` }),
        });
        await appendRoomLog(db, [row("K7M2QX", 0), row("K7M2QX", 1), row("HJ4P9W", 0)]);
        await appendRoomLog(db, [row("K7M2QX", 2)]);
        await appendRoomLog(db, []);
        // R36: a second writer of one entry fails, and its batch adds nothing (one statement).
        await expect(appendRoomLog(db, [row("HJ4P9W", 1), row("K7M2QX", 2)])).rejects.toThrow();
        const logs = await loadRoomLogs(db);
        expect([...logs.keys()].sort()).toEqual(["HJ4P9W", "K7M2QX"]);
        expect(logs.get("K7M2QX")).toEqual([row("K7M2QX", 0), row("K7M2QX", 1), row("K7M2QX", 2)]);
        expect(logs.get("HJ4P9W")).toEqual([row("HJ4P9W", 0)]);
        // One room's log, the live rooms' codes (R43), a code in use (R40).
        expect(await loadRoomLog(db, "K7M2QX")).toEqual(logs.get("K7M2QX"));
        expect(await loadRoomLog(db, "ZZZZZZ")).toEqual([]);
        expect((await loggedRoomCodes(db)).sort()).toEqual(["HJ4P9W", "K7M2QX"]);
        expect(await roomLogExists(db, "HJ4P9W")).toBe(true);
        expect(await roomLogExists(db, "ZZZZZZ")).toBe(false);
        // A retried write: present only when every row is stored with the same action.
        expect(await roomLogRowsPresent(db, [row("K7M2QX", 1), row("HJ4P9W", 0)])).toBe(true);
        expect(await roomLogRowsPresent(db, [row("K7M2QX", 1), row("HJ4P9W", 1)])).toBe(false);
        expect(
          await roomLogRowsPresent(db, [{ ...row("K7M2QX", 2), action: '{"type":"leave"}' }]),
        ).toBe(false);
        expect(await roomLogRowsPresent(db, [])).toBe(true);
        expect(await deleteRoomLog(db, "K7M2QX")).toBe(3);
        expect(await deleteRoomLog(db, "K7M2QX")).toBe(0);
        expect([...(await loadRoomLogs(db)).keys()]).toEqual(["HJ4P9W"]);
      });
    });

    describe("replays", () => {
      let db: Database;
      beforeAll(async () => {
        db = await fresh();
      });

      it("lists rounds newest first, filtered by surface and by nickname (case-insensitive)", async () => {
        const himmel = { kind: "catalog" as const, id: "himmelblau" };
        const a = await saveRound(
          db,
          playRound(601, { surface: himmel, finishedAt: T0 + 5000, nicknames: ["Ada", "Grace"] })
            .input,
        );
        const b = await saveRound(
          db,
          playRound(602, { surface: himmel, finishedAt: T0 + 6000, nicknames: ["ada"] }).input,
        );
        const list = await listReplays(db, { surface: "himmelblau" });
        const order = list.items.map((i) => i.id);
        expect(order.indexOf(b.id)).toBeLessThan(order.indexOf(a.id));
        expect(list.items.every((i) => i.surfaceKey === "catalog:himmelblau")).toBe(true);
        const ada = await listReplays(db, { nickname: "ADA" });
        expect(new Set(ada.items.map((i) => i.id))).toEqual(new Set([a.id, b.id]));
        const grace = await listReplays(db, { nickname: "grace", surface: "himmelblau" });
        expect(grace.items.map((i) => i.id)).toEqual([a.id]);
        const item = grace.items[0]!;
        expect(item.participants.map((p) => p.rank)).toEqual([1, 2, null]);
        expect(item.participants[2]!.isBot).toBe(true);
        expect(item.roomCode).toMatch(/^R/);
        const paged = await listReplays(db, { pageSize: 1, page: 1 });
        expect(paged.items).toHaveLength(1);
        expect(paged.hasMore).toBe(true);
        await expectDataError(
          listReplays(db, { nickname: "x".repeat(101) }),
          "INVALID_INPUT",
          /nickname/,
        );
      });

      it("F7: a formula round is stored, listed under its surface key and replays bit for bit", async () => {
        const surface = {
          kind: "formula",
          text: "(1 - w)^2 + 100 (b - w^2)^2",
          box: { min: [-2, -1], max: [2, 3] },
        } as const;
        const played = playRound(1500, {
          surface,
          players: 3,
          turns: 8,
          bot: { optimizer: "gd" },
          finishedAt: T0 + 70_000,
        });
        const { id } = await saveRound(db, played.input);
        const key = "formula:-2,-1,2,3:(1 - w)^2 + 100 (b - w^2)^2";
        const row = await db.prisma.round.findUnique({
          where: { id },
          select: { surfaceKind: true, surfaceKey: true, surfaceId: true },
        });
        expect(row).toEqual({ surfaceKind: "formula", surfaceKey: key, surfaceId: null });
        const replay = (await getReplay(db, id))!;
        expect(replay.surface).toEqual(surface);
        expect(replay.record.surface).toEqual(surface);
        const check = verifyReplay(replay);
        expect(check.ok, check.ok ? "" : check.message).toBe(true);
        // The replay page's props travel as JSON; the browser's check sees the same numbers.
        const browser = verifyReplay(JSON.parse(JSON.stringify(replay)));
        expect(browser.ok, browser.ok ? "" : browser.message).toBe(true);
        const again = replayRound(replay.record);
        expect(again.ok).toBe(true);
        if (!again.ok) return;
        expect(again.state.players.map((p) => p.path)).toEqual(
          played.state.players.map((p) => p.path),
        );
        expect(again.state.bot?.path).toEqual(played.state.bot?.path);
        const listed = await listReplays(db, { surface: key });
        expect(listed.items.map((item) => item.id)).toEqual([id]);
        expect(listed.items[0]!.surface).toEqual(surface);
        // A record whose formula does not make a surface is refused, and nothing is stored.
        const broken = playRound(1501, { surface, players: 1, turns: 2, finishedAt: T0 + 70_001 });
        await expectDataError(
          saveRound(db, {
            ...broken.input,
            record: { ...broken.input.record, surface: { ...surface, text: "1/w + b^2" } },
          }),
          "INVALID_RECORD",
          /division by zero/,
        );
      });

      it("F12: a data round is stored, listed under its surface key and replays bit for bit", async () => {
        const surface = {
          kind: "data",
          points: [
            [-2, 0.1],
            [-0.5, 0.35],
            [0.25, 0.55],
            [1, 0.6],
            [2.5, 0.95],
          ],
          box: { min: [-6, -6], max: [6, 6] },
        } as const;
        const played = playRound(1600, {
          surface,
          players: 2,
          turns: 6,
          bot: { optimizer: "gd" },
          finishedAt: T0 + 80_000,
        });
        const { id } = await saveRound(db, played.input);
        const key = "data:-6,-6,6,6:-2,0.1;-0.5,0.35;0.25,0.55;1,0.6;2.5,0.95";
        const row = await db.prisma.round.findUnique({
          where: { id },
          select: { surfaceKind: true, surfaceKey: true, surfaceId: true },
        });
        expect(row).toEqual({ surfaceKind: "data", surfaceKey: key, surfaceId: null });
        const replay = (await getReplay(db, id))!;
        expect(replay.surface).toEqual(surface);
        const check = verifyReplay(JSON.parse(JSON.stringify(replay)));
        expect(check.ok, check.ok ? "" : check.message).toBe(true);
        const listed = await listReplays(db, { surface: key });
        expect(listed.items.map((item) => item.id)).toEqual([id]);
        // A record whose points do not make a surface is refused, and nothing is stored.
        const broken = playRound(1601, { surface, players: 1, turns: 2, finishedAt: T0 + 80_001 });
        await expectDataError(
          saveRound(db, {
            ...broken.input,
            record: {
              ...broken.input.record,
              surface: {
                ...surface,
                points: [
                  [0, 0],
                  [1, 1],
                ],
              },
            },
          }),
          "INVALID_RECORD",
          /edge of the box/,
        );
      });

      it("getReplay: null for an unknown id, an error for a malformed one", async () => {
        expect(await getReplay(db, "no-such-round")).toBeNull();
        await expectDataError(getReplay(db, "../etc/passwd"), "INVALID_INPUT", /round id/);
      });

      it("recomputes every stored round exactly as it was played (catalog and procedural surfaces)", async () => {
        const surfaces = [
          { kind: "catalog", id: "rosenbrock" },
          { kind: "catalog", id: "neuron" },
          { kind: "procedural", seed: 7, difficulty: "easy" },
          { kind: "procedural", seed: 123456, difficulty: "hard" },
        ] as const;
        const bots = [
          { optimizer: "gd" },
          { optimizer: "adam" },
          { optimizer: "none" },
          { optimizer: "momentum" },
        ] as const;
        for (let i = 0; i < 8; i++) {
          const played = playRound(700 + i, {
            surface: surfaces[i % surfaces.length],
            bot: bots[i % bots.length],
            players: 1 + (i % 4),
            finishedAt: T0 + 10_000 + i,
          });
          const { id } = await saveRound(db, played.input);
          const replay = (await getReplay(db, id))!;
          const check = verifyReplay(replay);
          expect(check.ok, check.ok ? "" : check.message).toBe(true);
          const again = replayRound(replay.record);
          expect(again.ok).toBe(true);
          if (!again.ok) return;
          expect(resultsBySeat(again.state)).toEqual(resultsBySeat(played.state));
          expect(again.state.results!.bot).toEqual(played.state.results!.bot);
          expect(again.state.players.map((p) => p.path)).toEqual(
            played.state.players.map((p) => p.path),
          );
          expect(again.state.bot?.path).toEqual(played.state.bot?.path);
          expect(replay.participants.filter((p) => p.isBot)).toHaveLength(played.state.bot ? 1 : 0);
        }
      });

      it("replays every catalog surface and several procedural ones bit for bit once stored and read back, on the server and after the trip to the browser (R16)", async () => {
        const refs: SurfaceRef[] = [
          ...surfaceIds.map((id) => ({ kind: "catalog" as const, id })),
          { kind: "procedural", seed: 7, difficulty: "easy" },
          { kind: "procedural", seed: 42, difficulty: "medium" },
          { kind: "procedural", seed: 123456, difficulty: "hard" },
          { kind: "procedural", seed: 2026, difficulty: "expert" },
        ];
        expect(refs.some((r) => r.kind === "catalog" && r.id === "ackley")).toBe(true);
        for (const [i, surface] of refs.entries()) {
          const optimizer = OPTIMIZER_IDS[i % OPTIMIZER_IDS.length]!;
          const played = playRound(1100 + i, {
            surface,
            players: 3,
            turns: 8,
            bot: { optimizer },
            finishedAt: T0 + 50_000 + i,
          });
          const { id } = await saveRound(db, played.input);
          const replay = (await getReplay(db, id))!;
          const where = `${JSON.stringify(surface)} with the ${optimizer} bot`;
          // The stored columns are the played results, bit for bit (toEqual compares with Object.is).
          for (const result of played.state.results!.ranking) {
            const stored = replay.participants.find((p) => p.seat === result.seat)!;
            expect([stored.finalLoss, stored.progress, stored.score], where).toEqual([
              result.finalLoss,
              result.progress,
              result.score,
            ]);
          }
          const bot = played.state.results!.bot;
          if (bot) {
            const stored = replay.participants.find((p) => p.isBot)!;
            expect([stored.finalLoss, stored.progress], where).toEqual([
              bot.finalLoss,
              bot.progress,
            ]);
          }
          const server = verifyReplay(replay);
          expect(server.ok, server.ok ? where : `${where}: ${server.message}`).toBe(true);
          // The browser gets the page's props as JSON and runs the same check on them.
          const browser = verifyReplay(JSON.parse(JSON.stringify(replay)));
          expect(browser.ok, browser.ok ? where : `${where}: ${browser.message}`).toBe(true);
          expect(browser.moves).toBe(server.moves);
          expect(browser.state, where).toEqual(server.state);
          expect(
            server.state!.players.map((p) => p.path),
            where,
          ).toEqual(played.state.players.map((p) => p.path));
          expect(server.state!.bot?.path, where).toEqual(played.state.bot?.path);
          expect(resultsBySeat(server.state!), where).toEqual(resultsBySeat(played.state));
        }
      });

      it("verifyReplay says how many moves it replayed, and draws a mismatched round anyway", async () => {
        const played = playRound(802, { players: 3, finishedAt: T0 + 21_000 });
        const { id } = await saveRound(db, played.input);
        const replay = (await getReplay(db, id))!;
        const moves = played.input.record.actions.filter((a) => a.type === "move").length;
        const check = verifyReplay(replay);
        expect(check).toMatchObject({ ok: true, moves });
        const bot = replay.participants.find((p) => p.isBot)!;
        const tampered = verifyReplay({
          record: replay.record,
          participants: replay.participants.map((p) =>
            p.isBot ? { ...p, finalLoss: p.finalLoss + 1 } : p,
          ),
        });
        expect(tampered.ok).toBe(false);
        expect(!tampered.ok && tampered.message).toMatch(
          new RegExp(`seat ${bot.seat} \\(Bot \\(gd\\)\\): stored finalLoss`),
        );
        expect(tampered.state?.players.map((p) => p.path)).toEqual(
          played.state.players.map((p) => p.path),
        );
        const broken = verifyReplay({
          record: { ...replay.record, surface: { kind: "catalog", id: "no-such-surface" } },
          participants: replay.participants,
        });
        expect(broken).toMatchObject({ ok: false, state: null, moves });
        expect(!broken.ok && broken.message).toMatch(/no-such-surface/);
        const fewer = verifyReplay({
          record: replay.record,
          participants: replay.participants.filter((p) => !p.isBot),
        });
        expect(!fewer.ok && fewer.message).toMatch(/participants stored/);
      });

      it("verifyReplay reports a stored result that does not match the recomputation", async () => {
        const { id } = await saveRound(
          db,
          playRound(801, { players: 2, finishedAt: T0 + 20_000 }).input,
        );
        const replay = (await getReplay(db, id))!;
        const tampered = {
          ...replay,
          participants: replay.participants.map((p) =>
            p.rank === 1 ? { ...p, score: p.score + 1 } : p,
          ),
        };
        const check = verifyReplay(tampered);
        expect(check.ok).toBe(false);
        expect(!check.ok && check.message).toMatch(/stored score/);
      });
    });
  });
}
