import { describe, expect, it } from "vitest";
import { classLearning } from "../game";
import type { Standing } from "../game";
import type { MemberView } from "../protocol";
import { classroomViewMaker, membersFor, peersFor, publicPeers } from "./visibility";
import type { ClassroomFacts } from "./visibility";
import { roomSettingsSchema } from "../protocol";

describe("peersFor / publicPeers (R21)", () => {
  it("names everyone, except without rankings: students see themselves, the projector no names", () => {
    const table = [
      [false, false, false, "named"],
      [false, true, false, "named"],
      [false, false, true, "named"],
      [true, true, false, "named"], // the host
      [true, true, true, "named"], // a host who plays
      [true, false, true, "hidden"], // a student
      [true, false, false, "anonymous"], // the projector
    ] as const;
    for (const [noRankings, isHost, seated, expected] of table) {
      expect(
        peersFor({ isHost, seated }, noRankings),
        JSON.stringify({ noRankings, isHost, seated }),
      ).toBe(expected);
    }
    expect(publicPeers(false)).toBe("named");
    expect(publicPeers(true)).toBe("anonymous");
  });
});

describe("membersFor (R21)", () => {
  const member = (nickname: string, seat: number, you = false): MemberView => ({
    nickname,
    connected: true,
    inRound: true,
    moved: false,
    you,
    host: false,
    seat,
  });
  const members = [member("Ann", 0), member("Ben", 1, true)];
  it("keeps all, only yours, or names without seats", () => {
    expect(membersFor(members, "named")).toBe(members);
    expect(membersFor(members, "hidden").map((m) => m.nickname)).toEqual(["Ben"]);
    expect(membersFor(members, "anonymous").map((m) => [m.nickname, m.seat])).toEqual([
      ["Ann", null],
      ["Ben", null],
    ]);
  });
});

describe("classroomViewMaker (R21)", () => {
  const standing = (key: string, nickname: string, rank: number, total: number): Standing => ({
    key,
    nickname,
    rank,
    total,
    scores: [total],
    roundsWon: rank === 1 ? 1 : 0,
    botBeaten: 1,
    roundsPlayed: 1,
  });
  const settings = roomSettingsSchema.parse({ surface: { kind: "catalog", id: "booth" } });
  const facts = (noRankings: boolean): ClassroomFacts => ({
    name: "2nd hour",
    competitionId: "c-1",
    status: "between",
    noRankings,
    locked: false,
    paused: false,
    pausedRemainingMs: null,
    roundsPlayed: 1,
    plan: [settings, settings],
    standings: [standing("e1", "Ann", 1, 80), standing("e2", "Ben", 2, 40)],
    connected: (key) => key === "e1",
    students: 2,
    lastRound: null,
    learning: classLearning(
      [
        { key: "e1", nickname: "Ann", rounds: [learned(-0.25)] },
        { key: "e2", nickname: "Ben", rounds: [learned(-0.75)] },
      ],
      1,
    ),
  });
  const learned = (meanCosBeta: number) => ({
    meanCosBeta,
    overshoots: 1,
    steps: 3,
    stepRatio: null,
  });

  it("with rankings: everyone sees the standings; only the host sees the plan's surfaces", () => {
    const make = classroomViewMaker(facts(false));
    const host = make({ isHost: true, entrantKey: null });
    expect(host.standings?.map((s) => [s.nickname, s.rank, s.connected])).toEqual([
      ["Ann", 1, true],
      ["Ben", 2, false],
    ]);
    expect(host.plan.map((p) => p.surface)).toEqual([settings.surface, settings.surface]);
    const ben = make({ isHost: false, entrantKey: "e2" });
    expect(ben.plan.map((p) => p.surface)).toEqual([null, null]);
    expect(ben.you).toMatchObject({ nickname: "Ben", rank: 2, you: true });
    expect(ben.standings?.filter((s) => s.you).map((s) => s.nickname)).toEqual(["Ben"]);
    // Viewers without a line share one view.
    expect(make({ isHost: false, entrantKey: null })).toBe(
      make({ isHost: false, entrantKey: null }),
    );
  });

  it("without rankings: a student gets their own line, rank withheld; the projector no standings", () => {
    const make = classroomViewMaker(facts(true));
    const ben = make({ isHost: false, entrantKey: "e2" });
    expect(ben.standings).toBeNull();
    expect(ben.you).toMatchObject({ nickname: "Ben", rank: 0, total: 40 });
    expect(JSON.stringify(ben)).not.toContain("Ann");
    const projector = make({ isHost: false, entrantKey: null });
    expect(projector.standings).toBeNull();
    expect(projector.you).toBeNull();
    expect(projector.class.students).toBe(2);
    expect(make({ isHost: true, entrantKey: null }).standings).toHaveLength(2);
  });

  it("L5, L7: each line carries the student's learning like its points; the class numbers go to all", () => {
    const named = classroomViewMaker(facts(false))({ isHost: false, entrantKey: null });
    expect(named.standings?.map((s) => [s.nickname, s.learning.cosBeta])).toEqual([
      ["Ann", [-0.25]],
      ["Ben", [-0.75]],
    ]);
    expect(named.class.learning.classCosBeta).toEqual([-0.5]);
    const make = classroomViewMaker(facts(true));
    const ben = make({ isHost: false, entrantKey: "e2" });
    expect(ben.you?.learning).toMatchObject({ cosBeta: [-0.75], overshoots: 1, steps: 3 });
    expect(JSON.stringify(ben)).not.toContain("-0.25");
    // The projector without rankings: the class sentence, nobody's own numbers.
    const projector = make({ isHost: false, entrantKey: null });
    expect(projector.class.learning.sentence).toBe(
      "In round 1 the class aimed at a mean cos β = −0.50 (−1 is straight downhill).",
    );
    expect(JSON.stringify(projector)).not.toMatch(/-0\.25|-0\.75/);
  });
});
