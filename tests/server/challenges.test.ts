/**
 * Challenge links and the daily descent over real sockets, stored in a real embedded database
 * (PGlite): sharing a revealed round (C4), playing it exactly (C5) onto its own board (C3), and
 * the daily's one scored attempt per player token (D3, D5). Nothing sent before a reveal names
 * the stored surface (C2, R10).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dailyKey, dailySurface } from "../../lib/challenge/daily";
import { ErrorCode } from "../../lib/protocol";
import type { RoomSnapshot } from "../../lib/protocol";
import { resolveSurface } from "../../lib/surface-ref";
import { databaseChallenges } from "../../server/challenge-backend";
import { createDatabase, saveRound } from "../../server/db";
import type { Database } from "../../server/db";
import { challengeLeaderboard } from "../../server/db/challenges";
import { dailyLeaderboard } from "../../server/db/daily";
import { connect, ok, startServer } from "./harness";
import type { TestClient, TestServer } from "./harness";

let dir: string;
let db: Database;
let server: TestServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "blind-descent-challenges-"));
  db = await createDatabase({ kind: "pglite", dataDir: join(dir, "pglite") });
  await db.migrate();
  server = await startServer({
    onRoundFinished: async (round) => void (await saveRound(db, round)),
    challenges: databaseChallenges(db),
  });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Play the round of `client`'s solo room to its reveal (and its replay id): moves vary by turn. */
async function playToReveal(client: TestClient, code: string, shift = 0): Promise<RoomSnapshot> {
  const first = await client.waitFor(
    (s) => s.code === code && s.phase === "playing",
    "the round playing",
  );
  const turns = first.round!.settings.turns;
  const etaMax = first.round!.settings.etaMax;
  for (let turn = 0; turn < turns; turn++) {
    await client.waitFor(
      (s) => s.code === code && s.phase === "playing" && s.round?.turn === turn,
      `turn ${turn}`,
    );
    ok(
      await client.request("round:move", {
        turn,
        angle: 0.3 + shift + 0.71 * turn,
        eta: etaMax * (0.4 + 0.1 * shift),
      }),
    );
  }
  return client.waitFor(
    (s) => s.code === code && s.phase === "revealed" && s.replayId !== undefined,
    "the stored reveal",
    10_000,
  );
}

/** The raw packets a client received in room `code` before its first revealed snapshot there. */
function wireBeforeReveal(client: TestClient, from: number): string {
  const wire = client.wire.slice(from);
  const index = wire.findIndex((t) => /"room:state"/.test(t) && /"phase":"revealed"/.test(t));
  expect(index).toBeGreaterThan(0);
  return wire.slice(0, index).join("\n");
}

describe("challenge links (C3–C5)", () => {
  let challengeId: string;
  let original: RoomSnapshot;

  it("C4: a revealed round is shared as a challenge; before its reveal it cannot be", async () => {
    const ann = await connect(server.url, "Ann");
    const created = ok(
      await ann.request("room:create", {
        mode: "solo",
        nickname: "Ann",
        settings: {
          surface: { kind: "procedural", difficulty: "hard" },
          turns: 3,
          hint: "taylor",
          bot: { optimizer: "momentum" },
        },
      }),
    );
    const outsider = await connect(server.url, "outsider");
    expect(await outsider.request("challenge:create", { code: created.code })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.NOT_IN_ROOM },
    });
    expect(await ann.request("challenge:create", { code: created.code })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.NO_ROUND },
    });
    ok(await ann.request("round:start", { code: created.code, hostToken: created.hostToken }));
    await ann.waitFor((s) => s.phase === "playing", "playing");
    const early = await ann.request("challenge:create", { code: created.code });
    expect(early).toMatchObject({ ok: false, error: { code: ErrorCode.ROUND_IN_PROGRESS } });
    original = await playToReveal(ann, created.code);
    const shared = ok(await ann.request("challenge:create", { code: created.code }));
    expect(shared.path).toBe(`/c/${shared.id}`);
    expect(shared.id).toMatch(/^[0-9a-hjkmnp-tv-z]{10}$/);
    challengeId = shared.id;
    // Shared again: the same challenge (one link, one board per round).
    expect(ok(await ann.request("challenge:create", { code: created.code })).id).toBe(shared.id);
    ann.close();
    outsider.close();
  });

  it("C5: two players open the challenge: the same surface, start and settings exactly; both on its board (C3)", async () => {
    const reveal = original.round!.reveal!;
    const players: RoomSnapshot[] = [];
    for (const [i, name] of ["Bea", "Cy"].entries()) {
      const client = await connect(server.url, name);
      const mark = client.wire.length;
      const played = ok(
        await client.request("challenge:play", { id: challengeId, nickname: name }),
      );
      expect(played.challengeId).toBe(challengeId);
      const snapshot = await playToReveal(client, played.code, i + 1);
      players.push(snapshot);
      const mine = snapshot.round!.reveal!;
      expect(mine.surface.ref).toEqual(reveal.surface.ref);
      expect(mine.surface.start).toEqual(reveal.surface.start);
      expect(mine.settings).toEqual({ ...reveal.settings, secondsPerTurn: 0 });
      expect(ok(await client.request("challenge:create", { code: played.code })).id).toBe(
        challengeId,
      );
      // Nothing before the reveal names the stored surface: no seed, no transform, no name.
      const text = wireBeforeReveal(client, mark);
      const ref = reveal.surface.ref;
      if (ref.kind === "procedural") expect(text).not.toContain(String(ref.seed));
      expect(text).not.toContain(String((ref.transform as { seed: number }).seed));
      expect(text).not.toContain(reveal.surface.name);
      expect(text).not.toContain("procedural");
      expect(text).not.toContain('"transform"');
      client.close();
    }
    const board = await challengeLeaderboard(db, challengeId);
    expect(board.map((r) => r.nickname).sort()).toEqual(["Bea", "Cy"]);
    expect(board.map((r) => r.roundId).sort()).toEqual(players.map((p) => p.replayId).sort());
    // Ann's own round was not played on the challenge: it is not on its board.
    expect(board.some((r) => r.roundId === original.replayId)).toBe(false);
  });

  it("C2, C5: a catalog surface's challenge never names it before the reveal, to the host who plays it either", async () => {
    const ann = await connect(server.url, "Ann");
    const created = ok(
      await ann.request("room:create", {
        mode: "solo",
        nickname: "Ann",
        settings: { surface: { kind: "catalog", id: "himmelblau" }, turns: 2 },
      }),
    );
    ok(await ann.request("round:start", { code: created.code, hostToken: created.hostToken }));
    const shown = await playToReveal(ann, created.code);
    const { id } = ok(await ann.request("challenge:create", { code: created.code }));
    ann.close();
    const reveal = shown.round!.reveal!;
    const bea = await connect(server.url, "Bea");
    const mark = bea.wire.length;
    const played = ok(await bea.request("challenge:play", { id, nickname: "Bea" }));
    const mine = (await playToReveal(bea, played.code)).round!.reveal!;
    expect(mine.surface.ref).toEqual(reveal.surface.ref);
    const text = wireBeforeReveal(bea, mark);
    for (const secret of [
      "himmelblau",
      reveal.surface.name,
      reveal.surface.formula,
      `"seed":${(reveal.surface.ref.transform as { seed: number }).seed}`,
    ]) {
      expect(text).not.toContain(secret);
    }
    // The bot's hyper-parameters (the surface's own η) come with the reveal only (R10, R34).
    expect(text).not.toContain('"params"');
    bea.close();
  });

  it("C5: a challenge room keeps its settings; an unknown or malformed id is refused", async () => {
    const dee = await connect(server.url, "Dee");
    const played = ok(await dee.request("challenge:play", { id: challengeId, nickname: "Dee" }));
    await dee.waitFor((s) => s.phase === "playing", "playing");
    const before = server.game.hub.room(played.code)!.state;
    // The host's own view of the settings shows a surprise: the stored ref stays on the server.
    expect(dee.latest!.settings.surface).toEqual({ kind: "surprise" });
    // Sharing a challenge's round (once revealed) shares the challenge itself.
    expect(await dee.request("challenge:create", { code: played.code })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.ROUND_IN_PROGRESS },
    });
    const changed = await dee.request("room:settings", {
      code: played.code,
      hostToken: played.hostToken,
      settings: { turns: 50 },
    });
    expect(changed).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_SETTINGS } });
    expect(server.game.hub.room(played.code)!.state).toBe(before);
    dee.close();

    const eve = await connect(server.url, "Eve");
    const unknown = await eve.request("challenge:play", { id: "zzzzzzzzzz", nickname: "Eve" });
    expect(unknown).toMatchObject({ ok: false, error: { code: ErrorCode.CHALLENGE_NOT_FOUND } });
    const rooms = server.game.stats().rooms;
    const malformed = await eve.request("challenge:play", { id: "ILLEGAL!!", nickname: "Eve" });
    expect(malformed).toMatchObject({ ok: false, error: { code: ErrorCode.BAD_REQUEST } });
    expect(server.game.stats().rooms).toBe(rooms);
    eve.close();
  });
});

describe("challenges of a host's own surface (C2 with F6, F12)", () => {
  const own = [
    [
      "formula",
      { kind: "formula", text: "(w - 1)^2 + 3 (b + 0.5)^2", box: { min: [-3, -3], max: [3, 3] } },
    ],
    [
      "data",
      {
        kind: "data",
        points: [
          [0.5, 0.2],
          [2.5, 0.9],
          [-1, 0.1],
        ],
        box: { min: [-6, -6], max: [6, 6] },
      },
    ],
  ] as const;
  for (const [kind, surface] of own) {
    it(`C4, C5: a ${kind} round is shared and played again exactly as written`, async () => {
      const ann = await connect(server.url, "Ann");
      const created = ok(
        await ann.request("room:create", {
          mode: "solo",
          nickname: "Ann",
          settings: { surface: surface as never, turns: 2, hint: "taylor" },
        }),
      );
      ok(await ann.request("round:start", { code: created.code, hostToken: created.hostToken }));
      const shown = (await playToReveal(ann, created.code)).round!.reveal!;
      expect(shown.surface.ref.kind).toBe(kind);
      const { id } = ok(await ann.request("challenge:create", { code: created.code }));
      ann.close();
      const bea = await connect(server.url, "Bea");
      const mark = bea.wire.length;
      const played = ok(await bea.request("challenge:play", { id, nickname: "Bea" }));
      const mine = (await playToReveal(bea, played.code, 1)).round!.reveal!;
      expect(mine.surface.ref).toEqual(shown.surface.ref);
      expect(mine.surface.start).toEqual(shown.surface.start);
      expect(mine.settings).toEqual({ ...shown.settings, secondsPerTurn: 0 });
      // R10: the host's own surface is not named before the reveal, to the one who plays it.
      const text = wireBeforeReveal(bea, mark);
      if (surface.kind === "formula") expect(text).not.toContain(surface.text);
      else expect(text).not.toContain("[2.5,0.9]");
      expect(text).not.toContain(`"kind":"${kind}"`);
      expect((await challengeLeaderboard(db, id)).map((r) => r.nickname)).toEqual(["Bea"]);
      bea.close();
    });
  }
});

describe("the daily descent (D3, D5)", () => {
  const token = "dailyTokenForTheTest_0123";

  it("D5: today's surface; the first attempt is scored, a second plays unscored, the first is kept", async () => {
    const now = Date.now();
    const day = dailyKey(now);
    const fay = await connect(server.url, "Fay");
    const status0 = ok(await fay.request("daily:status", { playerToken: token }));
    expect(status0).toMatchObject({ dayKey: day, scoredRoundId: null, streak: 0 });

    const mark = fay.wire.length;
    const first = ok(await fay.request("daily:play", { playerToken: token, nickname: "Fay" }));
    expect(first).toMatchObject({ dayKey: day, scored: true });
    const one = await playToReveal(fay, first.code);
    expect(one.round!.reveal!.surface.ref).toEqual(dailySurface(now));
    expect(resolveSurface(dailySurface(now)).start).toEqual(one.round!.field.start);
    const text = wireBeforeReveal(fay, mark);
    const today = dailySurface(now) as { seed: number; transform: { seed: number } };
    expect(text).not.toContain(String(today.seed));
    expect(text).not.toContain(String(today.transform.seed));
    expect(text).not.toContain(one.round!.reveal!.surface.name);
    ok(await fay.request("room:leave", {}));

    const second = ok(await fay.request("daily:play", { playerToken: token, nickname: "Fay" }));
    expect(second.scored).toBe(false);
    const two = await playToReveal(fay, second.code, 1);
    expect(two.replayId).not.toBe(one.replayId);

    const status = ok(await fay.request("daily:status", { playerToken: token }));
    expect(status).toMatchObject({ scoredRoundId: one.replayId, streak: 1 });
    const board = await dailyLeaderboard(db, day);
    expect(board.map((r) => r.roundId)).toEqual([one.replayId]);
    fay.close();
  });

  it("D3: a malformed or missing player token is refused and opens nothing", async () => {
    const gus = await connect(server.url, "Gus");
    const rooms = server.game.stats().rooms;
    for (const payload of [
      { playerToken: "short", nickname: "Gus" },
      { playerToken: "x".repeat(65), nickname: "Gus" },
      { playerToken: "has spaces in it, not base64url", nickname: "Gus" },
      { nickname: "Gus" },
    ]) {
      const refused = await gus.raw("daily:play", [payload]);
      expect(refused).toMatchObject({ ok: false, error: { code: ErrorCode.BAD_REQUEST } });
      expect((refused as { error: { message: string } }).error.message).toMatch(/playerToken/);
    }
    expect(server.game.stats().rooms).toBe(rooms);
    gus.close();
  });
});
