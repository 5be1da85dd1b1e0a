/**
 * A classroom competition stored in a real embedded database (PGlite): the competition row and
 * its standings, its rounds with the competition's id (the /leaderboard filter, replays — the
 * record of a round with a pause replays), and the CSV export served from the database once the
 * room has closed.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, getReplay, leaderboard, saveRound } from "../../server/db";
import type { Database } from "../../server/db";
import {
  competitionCsv,
  getCompetition,
  latestCompetitionByCode,
  saveCompetition,
} from "../../server/db/competitions";
import { classroomCsv } from "../../server/classroom-http";
import { tokenHash } from "../../server/tokens";
import { connect, eventually, ok, startServer } from "./harness";
import type { TestClient, TestServer } from "./harness";

let dir: string;
let db: Database;
let server: TestServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "blind-descent-classroom-"));
  db = await createDatabase({ kind: "pglite", dataDir: join(dir, "pglite") });
  await db.migrate();
  server = await startServer({
    onRoundFinished: async (round) => void (await saveRound(db, round)),
    onCompetitionChanged: (competition) => saveCompetition(db, competition),
  });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("a stored competition", () => {
  it("keeps its rounds, standings and CSV; the CSV is served from the database after the room closes", async () => {
    const host = await connect(server.url, "teacher");
    const round = {
      surface: { kind: "catalog", id: "booth" },
      turns: 2,
      secondsPerTurn: 30,
    } as const;
    const { code, hostToken, competitionId } = ok(
      await host.request("classroom:create", { name: "Físics, 2nd hour", rounds: [round, round] }),
    );
    const players: TestClient[] = [];
    for (const name of ["Ann", "=cmd()", 'Bo "B"']) {
      const c = await connect(server.url, name);
      ok(await c.request("room:join", { code, nickname: name }));
      players.push(c);
    }
    await host.waitFor((s) => s.members.length === 3, "three");
    for (const roundNumber of [1, 2]) {
      ok(await host.request("round:start", { code, hostToken }));
      for (let turn = 0; turn < 2; turn++) {
        if (roundNumber === 1 && turn === 1) {
          // A pause in the middle: the stored record must still replay (saveRound replays it).
          ok(await host.request("classroom:pause", { code, hostToken }));
          await new Promise((resolve) => setTimeout(resolve, 30));
          ok(await host.request("classroom:resume", { code, hostToken }));
        }
        await Promise.all(
          players.map(async (p, i) => {
            const shown = await p.waitFor(
              (s) =>
                s.roundNumber === roundNumber && s.phase === "playing" && s.round?.turn === turn,
              "turn",
            );
            // Step sizes as fractions of the round's η_max (a transform changes its units, T5).
            const eta = (shown.round?.settings.etaMax ?? 1) * (0.125 + 0.125 * i);
            ok(await p.request("round:move", { turn, angle: Math.PI + i, eta }));
          }),
        );
      }
      await host.waitFor(
        (s) => s.roundNumber === roundNumber && s.phase === "revealed",
        `round ${roundNumber} revealed`,
      );
    }
    // R22: a kicked student leaves the standings but keeps a marked line in the CSV.
    ok(await host.request("room:kick", { code, hostToken, nickname: "Ann" }));
    await host.waitFor((s) => s.classroom?.standings?.length === 2, "Ann out of the standings");
    ok(await host.request("classroom:end", { code, hostToken }));
    const final = await host.waitFor((s) => s.classroom?.status === "ended", "ended");
    const live = await classroomCsv(server.game.hub, db, code, hostToken);
    expect(live.ok).toBe(true);
    await eventually(() => server.game.stats().pendingSaves === 0, "saves done");

    const stored = await getCompetition(db, competitionId);
    expect(stored).toMatchObject({
      name: "Físics, 2nd hour",
      code,
      status: "ended",
      roundsPlayed: 2,
      plannedRounds: 2,
      noRankings: false,
    });
    expect(stored?.standings.map((s) => [s.nickname, s.total])).toEqual(
      final.classroom?.standings?.map((s) => [s.nickname, s.total]),
    );
    expect((await latestCompetitionByCode(db, code))?.id).toBe(competitionId);

    // Rounds: filterable by the competition, each with its replay.
    const board = await leaderboard(db, { competition: competitionId });
    expect(board.rows).toHaveLength(6);
    const rounds = await db.prisma.round.findMany({ where: { competitionId } });
    expect(rounds).toHaveLength(2);
    for (const r of rounds) expect(await getReplay(db, r.id)).not.toBeNull();

    // The room closes; the CSV now comes from the database, and equals the live one.
    ok(await host.request("room:close", { code, hostToken }));
    expect(server.game.hub.room(code)).toBeUndefined();
    const fromDb = await classroomCsv(server.game.hub, db, code, hostToken);
    expect(fromDb).toEqual(live);
    if (!fromDb.ok) return;
    expect(fromDb.csv).toBe(competitionCsv(stored!));
    const lines = fromDb.csv.trim().split("\r\n");
    expect(lines[0]).toBe(
      "nickname,round 1,round 2,total,rank,bot beaten," +
        "cos β round 1,cos β round 2,cos β change,overshoots,steps,step ratio round 1,step ratio round 2",
    );
    expect(lines).toHaveLength(4);
    // L8: a kicked student keeps their learning columns too; each stepped in both turns of both
    // rounds, against the gradient (angle π + i): a cos β per round, 4 steps.
    expect(lines[3]).toMatch(
      /^Ann,\d+,\d+,\d+,kicked,\d+,-?[\d.]+,-?[\d.]+,-?[\d.]+,\d+,4,[\d.]+,[\d.]+$/,
    );
    for (const line of lines.slice(1)) {
      expect(line).toMatch(/,-?[\d.]+,-?[\d.]+,-?[\d.]+,\d+,4,[\d.]+,[\d.]+$/);
    }
    // The stored rows carry each student's rounds (L5), so the database's CSV equals the live one.
    expect(stored?.learning.map((l) => [l.nickname, l.rounds.map((r) => r?.steps)]).sort()).toEqual(
      [
        ["=cmd()", [2, 2]],
        ["Ann", [2, 2]],
        ['Bo "B"', [2, 2]],
      ],
    );
    expect(stored?.kicked.map((k) => k.nickname)).toEqual(["Ann"]);
    // A nickname that looks like a formula is defused; quotes are escaped.
    expect(fromDb.csv).toContain("'=cmd()");
    expect(fromDb.csv).toContain('"Bo ""B"""');
    for (const line of lines.slice(1)) {
      const fields = line.startsWith('"')
        ? line.replace(/^"(?:[^"]|"")*"/, "x").split(",")
        : line.split(",");
      const [, r1, r2, total] = fields;
      expect(Number(total)).toBe(Number(r1) + Number(r2));
    }
    expect(await classroomCsv(server.game.hub, db, code, "a-wrong-token-a-wrong")).toMatchObject({
      ok: false,
      status: 403,
    });
    // A later competition that drew the same code (codes are reused once a room has closed)
    // hides nothing: each host token finds its own competition's CSV.
    const laterToken = "another-host-token-for-the-same-code";
    await saveCompetition(db, {
      id: "c-later-same-code",
      name: "Later class",
      code,
      noRankings: false,
      status: "lobby",
      plan: [],
      roundsPlayed: 0,
      standings: [],
      createdAt: Date.now() + 60_000,
      endedAt: null,
      hostTokenHash: tokenHash(laterToken),
    });
    expect((await latestCompetitionByCode(db, code))?.id).toBe("c-later-same-code");
    expect(await classroomCsv(server.game.hub, db, code, hostToken)).toEqual(fromDb);
    const later = await classroomCsv(server.game.hub, db, code, laterToken);
    expect(later).toMatchObject({ ok: true, filename: `Later-class-${code}.csv` });
    expect(await classroomCsv(server.game.hub, db, "ZZZZZZ", hostToken)).toMatchObject({
      ok: false,
      status: 404,
    });
    for (const c of [host, ...players]) c.close();
  }, 60_000);
});
