/**
 * Classroom competitions (issue 6; docs/SPEC.md R18–R22) over real sockets: host controls and the
 * host token, kick / rename / lock / pause, late joiners, no-rankings views, standings over two
 * rounds, the CSV export, and what is handed to persistence.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { computeStandings, replayRound, standingsCsv } from "../../lib/game";
import { learningReport } from "../../lib/game/learning";
import { ErrorCode, withRevealPlayers } from "../../lib/protocol";
import type { ClientPayloadInput, RevealPlayersBody } from "../../lib/protocol";
import type { CompetitionSnapshot } from "../../lib/room";
import { classroomCsv } from "../../server/classroom-http";
import { ManualClock } from "./manual-clock";
import type { FinishedRound } from "../../server/room";
import { connect, ok, startServer } from "./harness";
import type { TestClient, TestServer } from "./harness";

const finished: FinishedRound[] = [];
const competitions: CompetitionSnapshot[] = [];
let server: TestServer;
const open: TestClient[] = [];

beforeAll(async () => {
  server = await startServer({
    onRoundFinished: (round) => void finished.push(round),
    onCompetitionChanged: (competition) => void competitions.push(competition),
  });
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  for (const client of open.splice(0)) client.close();
});

async function client(name: string, url = server.url): Promise<TestClient> {
  const c = await connect(url, name);
  open.push(c);
  return c;
}

const ROUND = {
  surface: { kind: "catalog", id: "booth" },
  turns: 2,
  secondsPerTurn: 0,
  hint: "gradient",
} as const;

interface Classroom {
  host: TestClient;
  code: string;
  hostToken: string;
  competitionId: string;
}

async function createClassroom(
  options: Partial<ClientPayloadInput<"classroom:create">> = {},
  url = server.url,
): Promise<Classroom> {
  const host = await client("teacher", url);
  const created = ok(
    await host.request("classroom:create", {
      name: "Period 3",
      rounds: [ROUND, { ...ROUND, surface: { kind: "catalog", id: "matyas" } }],
      ...options,
    }),
  );
  return { host, ...created };
}

async function join(code: string, nickname: string, url = server.url): Promise<TestClient> {
  const c = await client(nickname, url);
  ok(await c.request("room:join", { code, nickname }));
  return c;
}

/** Every student in `players` moves in every turn of the current round until its reveal. */
async function playRound(players: TestClient[], roundNumber: number, turns = 2): Promise<void> {
  for (let turn = 0; turn < turns; turn++) {
    await Promise.all(
      players.map(async (p, i) => {
        await p.waitFor(
          (s) => s.roundNumber === roundNumber && s.phase === "playing" && s.round?.turn === turn,
          `round ${roundNumber} turn ${turn}`,
        );
        ok(await p.request("round:move", { turn, angle: Math.PI + 0.7 * i, eta: 0.3 + 0.2 * i }));
      }),
    );
  }
  await Promise.all(
    players.map((p) =>
      p.waitFor((s) => s.roundNumber === roundNumber && s.phase === "revealed", "the reveal"),
    ),
  );
}

/** The host renames `nickname` to `newNickname` (`classroom:rename`). */
function renameAs(
  host: TestClient,
  code: string,
  hostToken: string,
  nickname: string,
  newNickname: string,
) {
  return host.request("classroom:rename", { code, hostToken, nickname, newNickname });
}

describe("creating a competition", () => {
  it("R18: returns a code, a host token and a competition id; the host does not play", async () => {
    const { host, code, competitionId } = await createClassroom();
    expect(code).toMatch(/^[23456789A-HJKMNP-Z]{6}$/);
    expect(competitionId).toMatch(/^c-/);
    const s = await host.waitFor((x) => x.classroom != null, "a classroom snapshot");
    expect(s.mode).toBe("classroom");
    expect(s.you).toMatchObject({ role: "host", isHost: true, playerId: null });
    expect(s.classroom).toMatchObject({
      name: "Period 3",
      status: "lobby",
      locked: false,
      paused: false,
      roundsPlayed: 0,
    });
    expect(s.classroom?.plan).toHaveLength(2);
    expect(s.classroom?.plan[0]?.surface).toEqual({ kind: "catalog", id: "booth" });
    const stored = competitions.filter((c) => c.id === competitionId);
    expect(stored.at(-1)).toMatchObject({ code, name: "Period 3", status: "lobby" });
    expect(stored.at(-1)?.hostTokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses a bad plan with the round's index and changes nothing", async () => {
    const host = await client("teacher");
    const rooms = server.game.stats().rooms;
    const res = await host.request("classroom:create", {
      name: "Bad",
      rounds: [ROUND, { ...ROUND, surface: { kind: "catalog", id: "no-such-surface" } }],
    });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe(ErrorCode.UNKNOWN_SURFACE);
    expect(res.error.message).toMatch(/^round 2: /);
    const empty = await host.request("classroom:create", { name: "Empty", rounds: [] });
    expect(empty.ok ? null : empty.error.code).toBe(ErrorCode.INVALID_SETTINGS);
    const noName = await host.request("classroom:create", { name: "   ", rounds: [ROUND] });
    expect(noName.ok ? null : noName.error.code).toBe(ErrorCode.BAD_REQUEST);
    expect(server.game.stats().rooms).toBe(rooms);
  });
});

describe("R22: every host control needs the host token", () => {
  it("is refused without the token and with a wrong one, and changes nothing", async () => {
    const { host, code, hostToken } = await createClassroom();
    const ann = await join(code, "Ann");
    await host.waitFor((s) => s.members.length === 1, "Ann seated");
    const wrong = `${hostToken.slice(0, -2)}${hostToken.endsWith("AA") ? "BB" : "AA"}`;
    const controls: { event: string; payload: Record<string, unknown> }[] = [
      { event: "round:start", payload: {} },
      { event: "classroom:pause", payload: {} },
      { event: "classroom:resume", payload: {} },
      { event: "classroom:lock", payload: { locked: true } },
      { event: "classroom:rename", payload: { nickname: "Ann", newNickname: "Anne" } },
      { event: "classroom:end", payload: {} },
      { event: "room:kick", payload: { nickname: "Ann" } },
      { event: "room:close", payload: {} },
    ];
    const before = ok(await host.request("room:sync", {})).state;
    for (const { event, payload } of controls) {
      for (const [how, token] of [
        ["without", undefined],
        ["with a wrong", wrong],
        ["with a malformed", "x"],
      ] as const) {
        for (const sender of [ann, host]) {
          const body = { code, ...payload, ...(token === undefined ? {} : { hostToken: token }) };
          const res = (await sender.raw(event, [body])) as {
            ok: boolean;
            error?: { code: string; message: string };
          };
          expect(res.ok, `${event} ${how} token`).toBe(false);
          expect(res.error?.code, `${event} ${how} token`).toBe(ErrorCode.NOT_HOST);
          expect(res.error?.message.length).toBeGreaterThan(15);
        }
      }
    }
    const after = ok(await host.request("room:sync", {})).state;
    expect({ ...after, serverTime: 0, rev: 0 }).toEqual({ ...before, serverTime: 0, rev: 0 });
    expect(ann.closedMessages).toEqual([]);
    // The right token works (the checks above were not refusing everything).
    expect(ok(await host.request("classroom:lock", { code, hostToken, locked: true })).locked).toBe(
      true,
    );
  });

  it("classroom controls on an ordinary room are refused with NOT_A_CLASSROOM", async () => {
    const host = await client("host");
    const { code, hostToken } = ok(await host.request("room:create", { mode: "room" }));
    for (const event of ["classroom:pause", "classroom:resume", "classroom:end"] as const) {
      const res = await host.request(event, { code, hostToken });
      expect(res.ok ? null : res.error.code, event).toBe(ErrorCode.NOT_A_CLASSROOM);
    }
    const lock = await host.request("classroom:lock", { code, hostToken, locked: true });
    expect(lock.ok ? null : lock.error.code).toBe(ErrorCode.NOT_A_CLASSROOM);
    const rename = await renameAs(host, code, hostToken, "a", "b");
    expect(rename.ok ? null : rename.error.code).toBe(ErrorCode.NOT_A_CLASSROOM);
  });
});

describe("nicknames (R22)", () => {
  it("are trimmed, unique in the competition and checked against the profanity list", async () => {
    const { host, code } = await createClassroom();
    await join(code, "  Zoë  ");
    const s = await host.waitFor((x) => x.members.length === 1, "Zoë");
    expect(s.members[0]?.nickname).toBe("Zoë");
    const dup = await (await client("x")).request("room:join", { code, nickname: "ZOË" });
    expect(dup.ok ? null : dup.error.code).toBe(ErrorCode.NICKNAME_TAKEN);
    for (const bad of ["fuck", "sh1thead", "B1tch"]) {
      const res = await (await client("y")).request("room:join", { code, nickname: bad });
      expect(res.ok ? null : res.error.code, bad).toBe(ErrorCode.NICKNAME_NOT_ALLOWED);
    }
    // A name that merely contains a listed word inside an innocent one is fine.
    ok(await (await client("z")).request("room:join", { code, nickname: "Scunthorpe" }));
    const tooLong = await (
      await client("w")
    ).request("room:join", {
      code,
      nickname: "x".repeat(25),
    });
    expect(tooLong.ok ? null : tooLong.error.code).toBe(ErrorCode.NICKNAME_INVALID);
  });
});

describe("kick, rename, lock", () => {
  it("a kicked student is told, leaves the standings and cannot rejoin under that nickname", async () => {
    const { host, code, hostToken } = await createClassroom();
    const bob = await join(code, "Bob");
    const { seatToken } = ok(
      await (await client("bob-2")).request("room:join", { code, nickname: "Eve" }),
    );
    await host.waitFor((s) => s.classroom?.standings?.length === 2, "two students");
    ok(await host.request("room:kick", { code, hostToken, nickname: "bob" }));
    await bob.until(() => bob.closedMessages.length > 0, "room:closed");
    expect(bob.closedMessages[0]?.reason).toBe("kicked");
    const s = await host.waitFor((x) => x.members.length === 1, "Bob gone");
    expect(s.classroom?.standings?.map((r) => r.nickname)).toEqual(["Eve"]);
    for (const nickname of ["Bob", " BOB ", "bob"]) {
      const again = await (await client("bob-again")).request("room:join", { code, nickname });
      expect(again.ok ? null : again.error.code, nickname).toBe(ErrorCode.NICKNAME_BANNED);
      expect(again.ok ? "" : again.error.message).toMatch(/cannot rejoin/);
    }
    // Others still join and resume.
    ok(await (await client("carl")).request("room:join", { code, nickname: "Carl" }));
    ok(await (await client("eve-again")).request("room:resume", { code, seatToken: seatToken }));
  });

  it("R22b a kicked student cannot rejoin from the same device under a new nickname; other devices can", async () => {
    const { host, code, hostToken } = await createClassroom();
    const device = "bobs-phone-device-token-1";
    const other = "carls-laptop-device-token";
    const bob = await client("bob");
    ok(await bob.request("room:join", { code, nickname: "Bob", deviceToken: device }));
    await host.waitFor((s) => s.members.length === 1, "Bob joined");
    ok(await host.request("room:kick", { code, hostToken, nickname: "Bob" }));
    await host.waitFor((s) => s.members.length === 0, "Bob gone");
    for (const nickname of ["Bobby", "Robert"]) {
      const again = await (
        await client("bob-again")
      ).request("room:join", { code, nickname, deviceToken: device });
      expect(again.ok ? null : again.error.code, nickname).toBe(ErrorCode.NICKNAME_BANNED);
      expect(again.ok ? "" : again.error.message).toMatch(/this device/);
    }
    const refused = ok(await host.request("room:sync", {})).state;
    expect(refused.members).toEqual([]);
    // Another device joins, with or without a token; a malformed token is refused clearly.
    ok(
      await (
        await client("carl")
      ).request("room:join", { code, nickname: "Carl", deviceToken: other }),
    );
    ok(await (await client("dana")).request("room:join", { code, nickname: "Dana" }));
    const bad = await (
      await client("x")
    ).request("room:join", { code, nickname: "Xi", deviceToken: "x" });
    expect(bad.ok ? null : bad.error.code).toBe(ErrorCode.BAD_REQUEST);
    expect(bad.ok ? "" : bad.error.message).toMatch(/deviceToken/);
  });

  it("a student who leaves keeps their points; nobody takes them by joining under their name", async () => {
    const { host, code, hostToken } = await createClassroom();
    const ann = await join(code, "Ann");
    const ben = await join(code, "Ben");
    await host.waitFor((s) => s.members.length === 2, "two");
    ok(await host.request("round:start", { code, hostToken }));
    await playRound([ann, ben], 1);
    const after = await host.waitFor((s) => s.classroom?.status === "between", "round 1 in");
    const annLine = after.classroom?.standings?.find((r) => r.nickname === "Ann");
    expect(annLine?.roundsPlayed).toBe(1);
    const annPoints = annLine?.total;
    expect(typeof annPoints).toBe("number");
    ok(await ann.request("room:leave", {}));
    await host.waitFor((s) => s.members.length === 1, "Ann left");
    for (const nickname of ["Ann", "ANN", " ann "]) {
      const taker = await (await client("taker")).request("room:join", { code, nickname });
      expect(taker.ok ? null : taker.error.code, nickname).toBe(ErrorCode.NICKNAME_TAKEN);
      expect(taker.ok ? "" : taker.error.message).toMatch(/keeps their points/);
    }
    // Ann's points stay hers in the standings; another name joins as usual, from zero.
    ok(await (await client("newcomer")).request("room:join", { code, nickname: "Anna" }));
    const s = await host.waitFor((x) => x.members.length === 2, "Anna joined");
    expect(s.classroom?.standings?.find((r) => r.nickname === "Ann")).toMatchObject({
      total: annPoints,
      roundsPlayed: 1,
    });
    expect(s.classroom?.standings?.find((r) => r.nickname === "Anna")?.total).toBe(0);
    // The host still controls that line: nobody is renamed onto it, it can be renamed, kicked.
    const onto = await renameAs(host, code, hostToken, "Ben", "ann");
    expect(onto.ok ? null : onto.error.code).toBe(ErrorCode.NICKNAME_TAKEN);
    ok(await renameAs(host, code, hostToken, "Ann", "Annie"));
    const renamed = await host.waitFor(
      (x) => x.classroom?.standings?.some((r) => r.nickname === "Annie") === true,
      "Annie",
    );
    expect(renamed.classroom?.standings?.find((r) => r.nickname === "Annie")?.total).toBe(
      annPoints,
    );
    ok(await host.request("room:kick", { code, hostToken, nickname: "annie" }));
    const kicked = await host.waitFor(
      (x) => x.classroom?.standings?.every((r) => r.nickname !== "Annie") === true,
      "Annie removed",
    );
    expect(kicked.classroom?.standings?.map((r) => r.nickname).sort()).toEqual(["Anna", "Ben"]);
    const banned = await (await client("annie")).request("room:join", { code, nickname: "Annie" });
    expect(banned.ok ? null : banned.error.code).toBe(ErrorCode.NICKNAME_BANNED);
  });

  it("rename changes the nickname everywhere, also mid-round; refuses taken and profane names", async () => {
    const { host, code, hostToken } = await createClassroom();
    const rude = await join(code, "Rudename");
    await join(code, "Dee");
    await host.waitFor((s) => s.members.length === 2, "two");
    ok(await host.request("round:start", { code, hostToken }));
    await rude.waitFor((s) => s.phase === "playing", "playing");
    const taken = await renameAs(host, code, hostToken, "Rudename", "dee");
    expect(taken.ok ? null : taken.error.code).toBe(ErrorCode.NICKNAME_TAKEN);
    const profane = await renameAs(host, code, hostToken, "Rudename", "shit");
    expect(profane.ok ? null : profane.error.code).toBe(ErrorCode.NICKNAME_NOT_ALLOWED);
    const missing = await renameAs(host, code, hostToken, "Nobody", "Fine");
    expect(missing.ok ? null : missing.error.code).toBe(ErrorCode.PLAYER_NOT_FOUND);
    ok(await renameAs(host, code, hostToken, "rudename", "Student 7"));
    const s = await rude.waitFor((x) => x.you.nickname === "Student 7", "renamed");
    expect(s.round?.you?.nickname).toBe("Student 7");
    const h = await host.waitFor(
      (x) => x.round?.race.players.some((p) => p.nickname === "Student 7") === true,
      "race renamed",
    );
    expect(JSON.stringify(h)).not.toContain("Rudename");
    expect(h.classroom?.standings?.map((r) => r.nickname).sort()).toEqual(["Dee", "Student 7"]);
  });

  it("lock refuses new students (seated ones still resume); unlock lets them in", async () => {
    const { host, code, hostToken } = await createClassroom();
    const first = await client("first");
    const { seatToken } = ok(await first.request("room:join", { code, nickname: "First" }));
    ok(await host.request("classroom:lock", { code, hostToken, locked: true }));
    await host.waitFor((s) => s.classroom?.locked === true, "locked");
    const late = await client("late");
    const refused = await late.request("room:join", { code, nickname: "Late" });
    expect(refused.ok ? null : refused.error.code).toBe(ErrorCode.JOINING_LOCKED);
    first.close();
    const again = await client("first-again");
    expect(ok(await again.request("room:resume", { code, seatToken })).playerId).toBeTruthy();
    ok(await host.request("classroom:lock", { code, hostToken, locked: false }));
    ok(await late.request("room:join", { code, nickname: "Late" }));
  });
});

describe("late joiners and standings", () => {
  it("a late joiner plays from the next round; standings over two rounds add up (R18–R20)", async () => {
    const { host, code, hostToken, competitionId } = await createClassroom();
    const spectator = await client("projector");
    ok(await spectator.request("room:watch", { code }));
    const ann = await join(code, "Ann");
    const ben = await join(code, "Ben");
    await host.waitFor((s) => s.members.length === 2, "two");
    expect(ok(await host.request("round:start", { code, hostToken })).roundNumber).toBe(1);
    const cat = await join(code, "Cat");
    const catView = await cat.waitFor((s) => s.phase === "playing", "Cat sees the round");
    expect(catView.you.inRound).toBe(false);
    const early = await cat.request("round:move", { turn: 0, angle: 0, eta: 0.1 });
    expect(early.ok ? null : early.error.code).toBe(ErrorCode.NOT_A_PLAYER);
    await playRound([ann, ben], 1);
    const r1 = await host.waitFor(
      (s) => s.phase === "revealed" && s.classroom?.status === "between",
      "between rounds",
    );
    expect(r1.classroom?.roundsPlayed).toBe(1);

    // L5: the class report holds the revealed round only; nothing of round 2 while it is played.
    expect(r1.classroom?.class.learning.classCosBeta).toHaveLength(1);
    expect(r1.classroom?.class.learning.first?.round).toBe(1);
    ok(await host.request("round:start", { code, hostToken }));
    const playing = await spectator.waitFor(
      (s) => s.roundNumber === 2 && s.phase === "playing",
      "round 2 playing",
    );
    expect(playing.classroom?.class.learning.classCosBeta).toHaveLength(1);
    expect(playing.classroom?.standings?.map((r) => r.learning.cosBeta.length)).toEqual([1, 1, 1]);
    await playRound([ann, ben, cat], 2);
    const final = await host.waitFor(
      (s) => s.roundNumber === 2 && s.phase === "revealed" && s.classroom?.roundsPlayed === 2,
      "round 2 revealed",
    );
    // No third round is planned.
    const third = await host.request("round:start", { code, hostToken });
    expect(third.ok ? null : third.error.code).toBe(ErrorCode.NO_MORE_ROUNDS);

    // The stored rounds carry the competition; the standings are their results added up.
    const mine = finished.filter((f) => f.competition?.id === competitionId);
    expect(mine.map((f) => f.roundNumber)).toEqual([1, 2]);
    expect(mine[1]?.record.players.map((p) => p.nickname)).toEqual(["Ann", "Ben", "Cat"]);
    const byName = (round: FinishedRound, name: string) =>
      round.results.ranking.find((r) => r.nickname === name);
    const standings = final.classroom?.standings ?? [];
    expect(standings).toHaveLength(3);
    for (const name of ["Ann", "Ben", "Cat"]) {
      const row = standings.find((r) => r.nickname === name);
      const scores = mine.map((round) => byName(round, name)?.score ?? null);
      expect(row?.scores, name).toEqual(scores);
      expect(row?.total, name).toBe(scores.reduce<number>((a, b) => a + (b ?? 0), 0));
      expect(row?.roundsWon, name).toBe(mine.filter((r) => byName(r, name)?.rank === 1).length);
      expect(row?.botBeaten, name).toBe(mine.filter((r) => byName(r, name)?.beatBot).length);
    }
    expect(standings.find((r) => r.nickname === "Cat")?.scores[0]).toBeNull();
    const totals = standings.map((r) => r.total);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    expect(standings[0]?.rank).toBe(1);
    // Same as lib/game's computeStandings on the rounds' results.
    const expected = computeStandings(
      mine[1]!.record.players.map((p) => ({ key: p.id, nickname: p.nickname, playerIds: [p.id] })),
      mine.map((m) => m.results),
    );
    expect(standings.map((r) => [r.nickname, r.total, r.rank])).toEqual(
      expected.map((r) => [r.nickname, r.total, r.rank]),
    );
    // A student sees their own line too.
    const annView = await ann.waitFor((s) => s.classroom?.roundsPlayed === 2, "Ann standings");
    expect(annView.classroom?.you?.nickname).toBe("Ann");
    expect(annView.classroom?.standings).toHaveLength(3);

    // The CSV: header, one line per student in standings order, the right totals.
    const csv = await classroomCsv(server.game.hub, null, code, hostToken);
    expect(csv.ok).toBe(true);
    if (!csv.ok) return;
    const lines = csv.csv.trim().split("\r\n");
    expect(lines[0]).toBe(
      "nickname,round 1,round 2,total,rank,bot beaten," +
        "cos β round 1,cos β round 2,cos β change,overshoots,steps,step ratio round 1,step ratio round 2",
    );
    // L8: the learning columns are the stored rounds' moves replayed through the rules, read by
    // L1–L3 (Cat missed round 1: an empty cos β, no change).
    const replayed = mine.map((m) => {
      const r = replayRound(m.record);
      if (!r.ok) throw new Error(r.error.message);
      return r.state;
    });
    const learned = (name: string) => {
      const reports = replayed.map((round) => {
        const p = round.players.find((x) => x.nickname === name);
        return p ? learningReport(p.feedback) : null;
      });
      const cos = reports.map((r) => r?.meanCosBeta ?? null);
      const known = cos.filter((c): c is number => c !== null);
      const three = (x: number) => Math.round(x * 1000) / 1000 || 0;
      return [
        ...cos.map((c) => (c === null ? "" : three(c))),
        known.length < 2 ? "" : three(known[known.length - 1]! - known[0]!),
        reports.reduce((n, r) => n + (r?.overshoots ?? 0), 0),
        reports.reduce((n, r) => n + (r?.steps ?? 0), 0),
        ...reports.map((r) => (r?.stepRatio == null ? "" : three(r.stepRatio))),
      ];
    };
    expect(lines.slice(1)).toEqual(
      standings.map((r) =>
        [
          r.nickname,
          r.scores[0] ?? "",
          r.scores[1] ?? "",
          r.total,
          r.rank,
          r.botBeaten,
          ...learned(r.nickname),
        ].join(","),
      ),
    );
    // Every student stepped in every round they played, so each has a cos β there.
    expect(lines.find((l) => l.startsWith("Cat,"))).toMatch(
      /^Cat,,\d+,\d+,\d+,\d+,,-?[\d.]+,,0,2,,[\d.]+$/,
    );
    expect(
      lines
        .find((l) => l.startsWith("Ann,"))
        ?.split(",")
        .slice(6, 8),
    ).not.toContain("");
    const denied = await classroomCsv(server.game.hub, null, code, "wrong-token-wrong-token");
    expect(denied).toMatchObject({ ok: false, status: 403 });
    const none = await classroomCsv(server.game.hub, null, code, "");
    expect(none).toMatchObject({ ok: false, status: 403 });

    // End: final standings stored; no more joins or rounds.
    ok(await host.request("classroom:end", { code, hostToken }));
    const ended = await spectator.waitFor((s) => s.classroom?.status === "ended", "ended");
    expect(ended.classroom?.standings?.map((r) => r.nickname)).toEqual(
      standings.map((r) => r.nickname),
    );
    const lateJoin = await (await client("after")).request("room:join", { code, nickname: "Dan" });
    expect(lateJoin.ok ? null : lateJoin.error.code).toBe(ErrorCode.COMPETITION_ENDED);
    const more = await host.request("round:start", { code, hostToken });
    expect(more.ok ? null : more.error.code).toBe(ErrorCode.COMPETITION_ENDED);
    await eventuallyStored(competitionId, "ended");
    const last = competitions.filter((c) => c.id === competitionId).at(-1);
    expect(last?.standings.map((r) => r.total)).toEqual(totals);
    expect(standingsCsv(2, last?.standings ?? [], [], last?.learning)).toBe(csv.csv);
  });

  it("a refresh keeps the seat and the points", async () => {
    const { host, code, hostToken } = await createClassroom({ rounds: [ROUND, ROUND] });
    const ann = await client("ann");
    const { seatToken } = ok(await ann.request("room:join", { code, nickname: "Ann" }));
    await host.waitFor((s) => s.members.length === 1, "Ann");
    ok(await host.request("round:start", { code, hostToken }));
    await playRound([ann], 1);
    const before = await ann.waitFor((s) => s.classroom?.roundsPlayed === 1, "points");
    ann.close();
    const again = await client("ann-again");
    ok(await again.request("room:resume", { code, seatToken }));
    const after = await again.waitFor((s) => s.classroom?.you != null, "resumed");
    expect(after.classroom?.you?.total).toBe(before.classroom?.you?.total);
    expect(after.you.nickname).toBe("Ann");
  });
});

async function eventuallyStored(id: string, status: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (competitions.some((c) => c.id === id && c.status === status)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`competition ${id} was never stored as ${status}`);
}

describe("no rankings (R21)", () => {
  it("students see only themselves; the projector sees the race without names; the host sees all", async () => {
    const { host, code, hostToken } = await createClassroom({ noRankings: true });
    const projector = await client("projector");
    ok(await projector.request("room:watch", { code }));
    const ann = await join(code, "Ann");
    const ben = await join(code, "Ben");
    await host.waitFor((s) => s.members.length === 2, "two");
    ok(await host.request("round:start", { code, hostToken }));
    const playing = await ann.waitFor((s) => s.phase === "playing", "playing");
    expect(playing.round?.race.players.map((p) => p.nickname)).toEqual(["Ann"]);
    expect(playing.members.map((m) => m.nickname)).toEqual(["Ann"]);
    expect(JSON.stringify(playing)).not.toContain("Ben");
    const proj = await projector.waitFor((s) => s.phase === "playing", "projector playing");
    expect(proj.round?.race.players.map((p) => p.nickname)).toEqual(["", ""]);
    expect(proj.round?.race.players).toHaveLength(2);
    // Names appear as students join, but no seat ties a name to a line of the race.
    expect(proj.members.map((m) => m.nickname).sort()).toEqual(["Ann", "Ben"]);
    expect(proj.members.map((m) => m.seat)).toEqual([null, null]);
    await playRound([ann, ben], 1);
    const annDone = await ann.waitFor((s) => s.classroom?.roundsPlayed === 1, "Ann revealed");
    expect(JSON.stringify(annDone)).not.toContain("Ben");
    expect(annDone.round?.reveal?.results.ranking).toHaveLength(1);
    expect(annDone.round?.reveal?.results.ranking[0]).toMatchObject({ nickname: "Ann", rank: 0 });
    expect(typeof annDone.round?.reveal?.results.ranking[0]?.beatBot).toBe("boolean");
    expect(annDone.classroom?.standings).toBeNull();
    expect(annDone.classroom?.you).toMatchObject({ nickname: "Ann", rank: 0, you: true });
    const projDone = await projector.waitFor((s) => s.phase === "revealed", "projector reveal");
    expect(projDone.classroom?.standings).toBeNull();
    expect(projDone.round?.reveal?.results.ranking).toEqual([]);
    expect(projDone.classroom?.class.lastRound?.players).toBe(2);
    const race = JSON.stringify(projDone.round?.race);
    expect(race).not.toContain("Ann");
    expect(race).not.toContain("Ben");
    const hostDone = await host.waitFor((s) => s.phase === "revealed", "host reveal");
    expect(hostDone.classroom?.standings?.map((r) => r.nickname).sort()).toEqual(["Ann", "Ben"]);
  });
});

describe("no rankings and a shared reveal (R21, R11a)", () => {
  it("the projector fetches the anonymous entries; students and the host get theirs inline", async () => {
    const sharing = await startServer({ limits: { revealInlinePlayers: 1 } });
    try {
      const { host, code, hostToken } = await createClassroom({ noRankings: true }, sharing.url);
      const projector = await client("projector", sharing.url);
      ok(await projector.request("room:watch", { code }));
      const ann = await join(code, "Ann", sharing.url);
      const ben = await join(code, "Ben", sharing.url);
      await host.waitFor((s) => s.members.length === 2, "two");
      ok(await host.request("round:start", { code, hostToken }));
      await playRound([ann, ben], 1);
      const proj = await projector.waitFor((s) => s.phase === "revealed", "projector reveal");
      expect(proj.round?.reveal?.players).toEqual([]);
      const href = proj.revealPlayers?.href ?? "";
      const body = (await (await fetch(sharing.url + href)).json()) as RevealPlayersBody;
      // The spectator's entries: every line, no name.
      expect(body.players.map((p) => [p.seat, p.nickname])).toEqual([
        [0, ""],
        [1, ""],
      ]);
      expect(JSON.stringify(body)).not.toMatch(/Ann|Ben/);
      expect(withRevealPlayers(proj, body).round?.reveal?.players).toHaveLength(2);
      // A student sees only their own entry, with nothing to fetch.
      const annDone = await ann.waitFor((s) => s.phase === "revealed", "Ann revealed");
      expect(annDone.revealPlayers).toBeUndefined();
      expect(annDone.round?.reveal?.players.map((p) => p.nickname)).toEqual(["Ann"]);
      // The host sees names, which the shared entries do not carry: inline.
      const hostDone = await host.waitFor((s) => s.phase === "revealed", "host reveal");
      expect(hostDone.revealPlayers).toBeUndefined();
      expect(hostDone.round?.reveal?.players.map((p) => p.nickname)).toEqual(["Ann", "Ben"]);
    } finally {
      for (const c of open.splice(0)) c.close();
      await sharing.close();
    }
  });
});

describe("pause and resume (R22)", () => {
  it("a pause freezes the turn timer and refuses moves; resume goes on with the time left", async () => {
    const clock = new ManualClock();
    const timed = await startServer({ clock, limits: { presenceIntervalMs: 0 } });
    try {
      const { host, code, hostToken } = await createClassroom(
        { rounds: [{ ...ROUND, turns: 3, secondsPerTurn: 20 }] },
        timed.url,
      );
      const ann = await join(code, "Ann", timed.url);
      await join(code, "Ben", timed.url);
      clock.advance(0); // the presence broadcast's timer
      await host.waitFor((s) => s.members.length === 2, "two");
      const notYet = await host.request("classroom:pause", { code, hostToken });
      expect(notYet.ok ? null : notYet.error.code).toBe(ErrorCode.NO_ROUND);
      ok(await host.request("round:start", { code, hostToken }));
      const start = await ann.waitFor((s) => s.phase === "playing", "playing");
      const deadline = start.turnDeadline!;
      expect(deadline).toBe(clock.now() + 20_000);
      clock.advance(5_000);
      expect(ok(await host.request("classroom:pause", { code, hostToken })).paused).toBe(true);
      const paused = await ann.waitFor((s) => s.classroom?.paused === true, "paused");
      expect(paused.turnDeadline).toBeNull();
      expect(paused.round?.deadline).toBeNull();
      expect(paused.classroom?.pausedRemainingMs).toBe(15_000);
      const move = await ann.request("round:move", { turn: 0, angle: 1, eta: 0.1 });
      expect(move.ok ? null : move.error.code).toBe(ErrorCode.PAUSED);
      // A long pause: the turn does not close.
      clock.advance(120_000);
      expect(ok(await host.request("room:sync", {})).state.round?.turn).toBe(0);
      expect(ok(await host.request("classroom:resume", { code, hostToken })).paused).toBe(false);
      const resumed = await ann.waitFor(
        (s) => s.classroom?.paused === false && s.turnDeadline !== null,
        "resumed",
      );
      expect(resumed.turnDeadline).toBe(clock.now() + 15_000);
      expect(resumed.round?.deadline).toBe(resumed.turnDeadline);
      ok(await ann.request("round:move", { turn: 0, angle: 1, eta: 0.1 }));
      clock.advance(14_999);
      expect(ok(await host.request("room:sync", {})).state.round?.turn).toBe(0);
      clock.advance(1);
      const next = await ann.waitFor((s) => s.round?.turn === 1, "turn 1 after the timer");
      expect(next.turnDeadline).toBe(clock.now() + 20_000);
      // The recorded times exclude the pause, so the record replays (checked when it is saved).
    } finally {
      await timed.close();
    }
  });
});

describe("classroom seats", () => {
  it("do not expire: a phone asleep for ten minutes takes its seat back", async () => {
    const clock = new ManualClock();
    const timed = await startServer({
      clock,
      limits: { presenceIntervalMs: 0, seatGraceMs: 120_000 },
    });
    try {
      const { host, code } = await createClassroom({}, timed.url);
      const phone = await client("phone", timed.url);
      const { seatToken } = ok(await phone.request("room:join", { code, nickname: "Sleepy" }));
      phone.close();
      await eventuallyDetached(timed, code);
      clock.advance(10 * 60_000 - 1); // the room itself stays open: the host is connected
      const again = await client("phone-again", timed.url);
      ok(await again.request("room:resume", { code, seatToken }));
      clock.advance(0);
      const s = await host.waitFor(
        (x) => x.members.some((m) => m.nickname === "Sleepy" && m.connected),
        "back",
      );
      expect(s.members.filter((m) => m.nickname === "Sleepy")).toHaveLength(1);
      // An ordinary room's seat would have expired after the grace period (issue 3).
      const room = ok((await host.raw("room:sync", [{}])) as never) as { state: { mode: string } };
      expect(room.state.mode).toBe("classroom");
    } finally {
      await timed.close();
    }
  });
});

async function eventuallyDetached(server: TestServer, code: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (server.game.hub.room(code)?.connectionCount === 1) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("the phone never disconnected");
}
