/**
 * Ghosts over real sockets, stored in a real embedded database (PGlite) (docs/SPEC.md G1–G5): a
 * solo player races her own last attempt, a room races a replay by id, the ghost's path is
 * computed again from its stored moves, nothing sent before the reveal names its stored round,
 * leaderboards leave it out, and a ghost that does not exist or is not finished is refused with
 * the room unchanged.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyReplay } from "../../lib/game/replay-check";
import { ErrorCode } from "../../lib/protocol";
import type { RoomSnapshot } from "../../lib/protocol";
import { databaseChallenges } from "../../server/challenge-backend";
import {
  createDatabase,
  getReplay,
  leaderboard,
  saveCompetition,
  saveRound,
} from "../../server/db";
import type { Database } from "../../server/db";
import { connect, ok, startServer } from "./harness";
import type { TestClient, TestServer } from "./harness";

let dir: string;
let db: Database;
let server: TestServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "blind-descent-ghosts-"));
  db = await createDatabase({ kind: "pglite", dataDir: join(dir, "pglite") });
  await db.migrate();
  server = await startServer({
    onRoundFinished: async (round) => void (await saveRound(db, round)),
    onCompetitionChanged: (competition) => saveCompetition(db, competition),
    challenges: databaseChallenges(db),
  });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Play the current round of `client` (one move a turn) to its stored reveal. */
async function playToReveal(client: TestClient, roundNumber: number, shift = 0) {
  const first = await client.waitFor(
    (s) => s.roundNumber === roundNumber && s.phase === "playing",
    "the round playing",
  );
  const { turns, etaMax } = first.round!.settings;
  for (let turn = 0; turn < turns; turn++) {
    await client.waitFor(
      (s) => s.roundNumber === roundNumber && s.phase === "playing" && s.round?.turn === turn,
      `turn ${turn}`,
    );
    ok(
      await client.request("round:move", {
        turn,
        angle: 0.4 + shift + 0.9 * turn,
        eta: etaMax * 0.5,
      }),
    );
  }
  return client.waitFor(
    (s) => s.roundNumber === roundNumber && s.phase === "revealed" && s.replayId !== undefined,
    "the stored reveal",
    10_000,
  );
}

/**
 * Play the current round of `client` straight down the gradient (short steps: the loss falls,
 * a score above 0) or straight up it (the loss rises: score 0), so two players' scores differ
 * whatever transform the round's surface drew. Needs the `gradient` hint.
 */
async function playByGradient(client: TestClient, roundNumber: number, downhill: boolean) {
  const first = await client.waitFor(
    (s) => s.roundNumber === roundNumber && s.phase === "playing",
    "the round playing",
  );
  const { turns, etaMax } = first.round!.settings;
  for (let turn = 0; turn < turns; turn++) {
    const now = await client.waitFor(
      (s) => s.roundNumber === roundNumber && s.phase === "playing" && s.round?.turn === turn,
      `turn ${turn}`,
    );
    const [gx, gy] = now.round!.you!.gradient!;
    const sign = downhill ? -1 : 1;
    ok(
      await client.request("round:move", {
        turn,
        angle: Math.atan2(sign * gy, sign * gx),
        eta: etaMax * (downhill ? 0.05 : 0.5),
      }),
    );
  }
  return client.waitFor(
    (s) => s.roundNumber === roundNumber && s.phase === "revealed" && s.replayId !== undefined,
    "the stored reveal",
    10_000,
  );
}

/** The raw packets a client received from `from` until its first revealed snapshot. */
function wireBeforeReveal(client: TestClient, from: number): string {
  const wire = client.wire.slice(from);
  const index = wire.findIndex((t) => /"room:state"/.test(t) && /"phase":"revealed"/.test(t));
  expect(index).toBeGreaterThan(0);
  return wire.slice(0, index).join("\n");
}

describe("ghosts (G1–G5)", () => {
  let first: RoomSnapshot;

  it("G1–G3 G5: a solo player races her last attempt: its moves replayed, hidden before the reveal, off the leaderboard", async () => {
    const ann = await connect(server.url, "Ann");
    const room = ok(
      await ann.request("room:create", {
        mode: "solo",
        nickname: "Ann",
        settings: { surface: { kind: "procedural", difficulty: "medium" }, turns: 3 },
      }),
    );
    ok(await ann.request("round:start", { code: room.code, hostToken: room.hostToken }));
    first = await playToReveal(ann, 1);
    const added = ok(
      await ann.request("ghost:add", {
        code: room.code,
        hostToken: room.hostToken,
        from: { kind: "last" },
      }),
    );
    expect(added.ghost).toEqual({
      nickname: "Ghost: Ann",
      source: "last",
      turns: 3,
      roundId: first.replayId,
    });
    const mark = ann.wire.length;
    ok(await ann.request("round:start", { code: room.code, hostToken: room.hostToken }));
    const playing = await ann.waitFor((s) => s.roundNumber === 2, "round 2");
    // G4: in the race by name, its stored round not named before the reveal (Ann is the host
    // here, so the check of what a non-host sees is in the room test below).
    expect(playing.round!.race.players.map((p) => [p.nickname, p.ghost ?? false])).toEqual([
      ["Ann", false],
      ["Ghost: Ann", true],
    ]);
    const second = await playToReveal(ann, 2, 1.3);
    // R10: before the reveal the race carries the ghost's losses, never its path.
    const ghostLine = playing.round!.race.players[1]!;
    expect(Object.keys(ghostLine)).not.toContain("path");
    expect(wireBeforeReveal(ann, mark)).toContain("Ghost: Ann");
    const reveal = second.round!.reveal!;
    const ghost = reveal.players.find((p) => p.ghost)!;
    // G3: the same surface (transform included) and start: the ghost's path is round 1's, again.
    expect(reveal.surface.ref).toEqual(first.round!.reveal!.surface.ref);
    expect(ghost.path).toEqual(first.round!.reveal!.players[0]!.path);
    expect(ghost.losses).toEqual(first.round!.reveal!.players[0]!.losses);
    expect(reveal.results.ranking.some((r) => r.ghost && r.nickname === "Ghost: Ann")).toBe(true);
    expect(second.ghost?.roundId).toBe(first.replayId);

    // G5: stored with its seat and moves, flagged as the bot is; the replay verifies.
    const stored = await getReplay(db, second.replayId!);
    expect(verifyReplay(stored!).ok).toBe(true);
    expect(stored!.participants.find((p) => p.nickname === "Ghost: Ann")).toMatchObject({
      isBot: true,
    });
    const board = await leaderboard(db, { pageSize: 50 });
    expect(board.rows.map((r) => r.nickname)).not.toContain("Ghost: Ann");
    ann.close();
  });

  it("G4: in a room, players see the ghost's name but not its stored round until the reveal", async () => {
    const host = await connect(server.url, "host");
    const room = ok(
      await host.request("room:create", {
        mode: "room",
        settings: { surface: { kind: "catalog", id: "booth" }, turns: 2, secondsPerTurn: 60 },
      }),
    );
    const bob = await connect(server.url, "Bob");
    ok(await bob.request("room:join", { code: room.code, nickname: "Bob" }));
    const added = ok(
      await host.request("ghost:add", {
        code: room.code,
        hostToken: room.hostToken,
        from: { kind: "round", roundId: first.replayId! },
      }),
    );
    expect(added.ghost.roundId).toBe(first.replayId);
    const seen = await bob.waitFor((s) => s.ghost !== undefined, "the ghost in the lobby");
    expect(seen.ghost).toEqual({ nickname: "Ghost: Ann", source: "round", turns: 3 });
    const mark = bob.wire.length;
    // G2: the room's settings are the ghost's while it is there.
    expect(
      await host.request("room:settings", {
        code: room.code,
        hostToken: room.hostToken,
        settings: { surface: { kind: "catalog", id: "booth" }, turns: 5 },
      }),
    ).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_SETTINGS } });
    ok(await host.request("round:start", { code: room.code, hostToken: room.hostToken }));
    const revealed = await playToReveal(bob, 1, 0.7);
    const before = wireBeforeReveal(bob, mark);
    expect(before).not.toContain(first.replayId!);
    expect(before).toContain("Ghost: Ann");
    expect(revealed.round!.settings.turns).toBe(3);
    expect(revealed.ghost?.roundId).toBe(first.replayId);
    expect(revealed.round!.reveal!.players.find((p) => p.ghost)!.path).toEqual(
      first.round!.reveal!.players[0]!.path,
    );
    // Removed between rounds: the next round is the room's own again.
    ok(await host.request("ghost:remove", { code: room.code, hostToken: room.hostToken }));
    await bob.waitFor((s) => s.ghost === undefined, "the ghost gone");
    host.close();
    bob.close();
  });

  it("G1 §5: a ghost that does not exist or is not finished is refused and the room is unchanged", async () => {
    const host = await connect(server.url, "host");
    const room = ok(
      await host.request("room:create", {
        mode: "solo",
        nickname: "Cy",
        settings: { surface: { kind: "catalog", id: "matyas" }, turns: 2 },
      }),
    );
    const before = ok(await host.request("room:sync", {})).state;
    const add = (from: unknown, hostToken = room.hostToken) =>
      host.request("ghost:add", { code: room.code, hostToken, from } as never);
    const refusals: [unknown, string][] = [
      [{ kind: "round", roundId: "no-such-round" }, ErrorCode.GHOST_NOT_FOUND],
      // Nobody has played matyas yet: no best to race; Cy has no stored round: no last attempt.
      [{ kind: "best" }, ErrorCode.GHOST_NOT_FOUND],
      [{ kind: "last" }, ErrorCode.GHOST_NOT_FOUND],
      [{ kind: "round", roundId: first.replayId, seat: 4 }, ErrorCode.GHOST_NOT_FOUND],
      [{ kind: "round", roundId: "x y" }, ErrorCode.BAD_REQUEST],
      [{ kind: "ghost" }, ErrorCode.BAD_REQUEST],
      [{ kind: "round", roundId: first.replayId, extra: 1 }, ErrorCode.BAD_REQUEST],
    ];
    for (const [from, code] of refusals) {
      expect(await add(from), JSON.stringify(from)).toMatchObject({ ok: false, error: { code } });
    }
    expect(
      await add({ kind: "round", roundId: first.replayId }, "wrong-token-wrong-token"),
    ).toMatchObject({ ok: false, error: { code: ErrorCode.NOT_HOST } });
    const after = ok(await host.request("room:sync", {})).state;
    expect({ ...after, serverTime: 0 }).toEqual({ ...before, serverTime: 0 });
    // A round being played right now (in another room) is not finished.
    const dee = await connect(server.url, "Dee");
    const other = ok(
      await dee.request("room:create", { mode: "solo", nickname: "Dee", settings: { turns: 2 } }),
    );
    ok(await dee.request("round:start", { code: other.code, hostToken: other.hostToken }));
    const live = server.game.hub.room(other.code)!.state.roundId!;
    expect(await add({ kind: "round", roundId: live })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.GHOST_NOT_FINISHED },
    });
    dee.close();
    host.close();
  });
  it("G1: one click finds the best on this surface and a past class winner (the best player, never the bot)", async () => {
    // Two players on himmelblau: the one with the higher score is "the best on this surface".
    const eve = await connect(server.url, "Eve");
    const room = ok(
      await eve.request("room:create", {
        mode: "room",
        nickname: "Eve",
        hostPlays: true,
        settings: {
          surface: { kind: "catalog", id: "himmelblau" },
          turns: 2,
          secondsPerTurn: 0,
          hint: "gradient",
        },
      }),
    );
    const fay = await connect(server.url, "Fay");
    ok(await fay.request("room:join", { code: room.code, nickname: "Fay" }));
    ok(await eve.request("round:start", { code: room.code, hostToken: room.hostToken }));
    const [played] = await Promise.all([
      playByGradient(eve, 1, false),
      playByGradient(fay, 1, true),
    ]);
    const people = played.round!.reveal!.results.ranking.filter((r) => !r.ghost);
    expect(people.map((r) => r.nickname).sort()).toEqual(["Eve", "Fay"]);
    const best = [...people].sort((a, b) => b.score - a.score)[0]!;
    expect(people[0]!.score).not.toBe(people[1]!.score);
    expect(best.nickname).toBe("Fay");
    const gus = await connect(server.url, "Gus");
    const solo = ok(
      await gus.request("room:create", {
        mode: "solo",
        nickname: "Gus",
        settings: { surface: { kind: "catalog", id: "himmelblau" }, turns: 4 },
      }),
    );
    const bestGhost = ok(
      await gus.request("ghost:add", {
        code: solo.code,
        hostToken: solo.hostToken,
        from: { kind: "best" },
      }),
    );
    expect(bestGhost.ghost).toMatchObject({
      nickname: `Ghost: ${best.nickname}`,
      source: "best",
      turns: 2,
      roundId: played.replayId,
    });

    // A one-round competition with two students; its best student is "a past class winner".
    const teacher = await connect(server.url, "teacher");
    const classroom = ok(
      await teacher.request("classroom:create", {
        name: "Period 5",
        rounds: [
          {
            surface: { kind: "catalog", id: "booth" },
            turns: 2,
            secondsPerTurn: 0,
            hint: "gradient",
          },
        ],
      }),
    );
    const students = await Promise.all(
      ["Hal", "Ivy"].map(async (name) => {
        const c = await connect(server.url, name);
        ok(await c.request("room:join", { code: classroom.code, nickname: name }));
        return c;
      }),
    );
    ok(
      await teacher.request("round:start", {
        code: classroom.code,
        hostToken: classroom.hostToken,
      }),
    );
    const reveals = await Promise.all(students.map((c, i) => playByGradient(c, 1, i === 1)));
    const ranked = reveals[0]!.round!.reveal!.results.ranking.filter((r) => !r.ghost);
    const winner = [...ranked].sort((a, b) => b.score - a.score)[0]!;
    expect(ranked[0]!.score).not.toBe(ranked[1]!.score);
    expect(winner.nickname).toBe("Ivy");
    const winnerGhost = ok(
      await gus.request("ghost:add", {
        code: solo.code,
        hostToken: solo.hostToken,
        from: { kind: "winner" },
      }),
    );
    expect(winnerGhost.ghost).toMatchObject({
      nickname: `Ghost: ${winner.nickname}`,
      source: "winner",
      turns: 2,
      roundId: reveals[0]!.replayId,
    });
    // The solo room now races the class winner's round: its settings, its surface.
    const lobby = ok(await gus.request("room:sync", {})).state;
    expect(lobby.ghost?.nickname).toBe(`Ghost: ${winner.nickname}`);
    for (const c of [eve, fay, gus, teacher, ...students]) c.close();
  });
});
