import { describe, expect, it } from "vitest";
import { computeStandings, standingsCsv } from "./standings";
import type { RoundResults } from "./state";

function round(
  rows: [id: string, score: number, rank: number, beatBot: boolean | null][],
): RoundResults {
  return {
    scale: { startLoss: 10, minLoss: 0 },
    bot: null,
    ranking: rows.map(([playerId, score, rank, beatBot], seat) => ({
      playerId,
      nickname: playerId,
      seat,
      rank,
      finalLoss: 10 - score / 100,
      progress: score / 1000,
      score,
      reachedTurn: 1,
      reachedAt: null,
      beatBot,
    })),
  };
}

describe("computeStandings (R18, R19)", () => {
  it("adds up scores, rounds won and bots beaten; a late joiner has null for missed rounds", () => {
    const rounds = [
      round([
        ["a1", 900, 1, true],
        ["b1", 500, 2, false],
      ]),
      round([
        ["b1", 800, 1, true],
        ["a1", 700, 2, true],
        ["c1", 100, 3, false],
      ]),
    ];
    const standings = computeStandings(
      [
        { key: "A", nickname: "Ann", playerIds: ["a1"] },
        { key: "B", nickname: "Ben", playerIds: ["b1"] },
        { key: "C", nickname: "Cat", playerIds: ["c1"] },
      ],
      rounds,
    );
    expect(standings).toEqual([
      {
        key: "A",
        nickname: "Ann",
        rank: 1,
        total: 1600,
        scores: [900, 700],
        roundsWon: 1,
        botBeaten: 2,
        roundsPlayed: 2,
      },
      {
        key: "B",
        nickname: "Ben",
        rank: 2,
        total: 1300,
        scores: [500, 800],
        roundsWon: 1,
        botBeaten: 1,
        roundsPlayed: 2,
      },
      {
        key: "C",
        nickname: "Cat",
        rank: 3,
        total: 100,
        scores: [null, 100],
        roundsWon: 0,
        botBeaten: 0,
        roundsPlayed: 1,
      },
    ]);
  });

  it("counts a rejoin's new player id for the same entrant", () => {
    const standings = computeStandings(
      [{ key: "A", nickname: "Ann", playerIds: ["old", "new"] }],
      [round([["old", 300, 1, null]]), round([["new", 400, 1, null]])],
    );
    expect(standings[0]).toMatchObject({ total: 700, scores: [300, 400], roundsWon: 2 });
  });

  it("breaks ties by rounds won, then bots beaten; full ties share a rank (1, 1, 3), ordered by nickname", () => {
    const standings = computeStandings(
      [
        { key: "Z", nickname: "zed", playerIds: ["z"] },
        { key: "Y", nickname: "Yan", playerIds: ["y"] },
        { key: "X", nickname: "Xi", playerIds: ["x"] },
        { key: "W", nickname: "Wu", playerIds: ["w"] },
      ],
      [
        round([
          ["z", 500, 2, true],
          ["y", 500, 3, true],
          ["x", 500, 1, false],
          ["w", 400, 4, true],
        ]),
      ],
    );
    expect(standings.map((s) => [s.nickname, s.rank])).toEqual([
      ["Xi", 1],
      ["Yan", 2],
      ["zed", 2],
      ["Wu", 4],
    ]);
  });
});

describe("standingsCsv (R20, L8)", () => {
  const TAIL =
    "cos β round 1,cos β round 2,cos β change,overshoots,steps,step ratio round 1,step ratio round 2";
  it("prints a header, one line per entrant, empty fields for missed rounds, CRLF", () => {
    const csv = standingsCsv(2, [
      { key: "e1", nickname: "Ann", scores: [900, 700], total: 1600, rank: 1, botBeaten: 2 },
      { key: "e2", nickname: "Cat", scores: [null, 100], total: 100, rank: 2, botBeaten: 0 },
    ]);
    expect(csv).toBe(
      `nickname,round 1,round 2,total,rank,bot beaten,${TAIL}\r\nAnn,900,700,1600,1,2,,,,,,,\r\nCat,,100,100,2,0,,,,,,,\r\n`,
    );
  });

  it("R22: kicked students follow the ranked lines with their points and `kicked` for a rank", () => {
    const csv = standingsCsv(
      2,
      [{ key: "e1", nickname: "Ann", scores: [900, 700], total: 1600, rank: 1, botBeaten: 2 }],
      [{ key: "e2", nickname: "Bo", scores: [800, null], total: 800, botBeaten: 1 }],
    );
    expect(csv).toBe(
      `nickname,round 1,round 2,total,rank,bot beaten,${TAIL}\r\nAnn,900,700,1600,1,2,,,,,,,\r\nBo,800,,800,kicked,1,,,,,,,\r\n`,
    );
  });

  it("L8: cos β per round (three decimals), its change first→last, overshoots, steps and the step ratio per round, after the old columns", () => {
    const round = (
      meanCosBeta: number | null,
      overshoots: number,
      steps: number,
      stepRatio: number | null = null,
    ) => ({ meanCosBeta, overshoots, steps, stepRatio });
    const csv = standingsCsv(
      2,
      [
        { key: "e1", nickname: "Ann", scores: [900, 700], total: 1600, rank: 1, botBeaten: 2 },
        { key: "e2", nickname: "Cat", scores: [null, 100], total: 100, rank: 2, botBeaten: 0 },
        { key: "e4", nickname: "Old", scores: [1, 1], total: 2, rank: 3, botBeaten: 0 },
      ],
      [{ key: "e3", nickname: "Bo", scores: [800, null], total: 800, botBeaten: 1 }],
      [
        {
          key: "e1",
          nickname: "Ann",
          rounds: [round(-0.41234, 1, 5, 0.56789), round(-0.8766, 2, 4, 1.25)],
        },
        { key: "e2", nickname: "Cat", rounds: [null, round(-0.5, 0, 3, 0.8)] },
        { key: "e3", nickname: "Bo", rounds: [round(null, 0, 0), null] },
      ],
    );
    expect(csv.split("\r\n")).toEqual([
      `nickname,round 1,round 2,total,rank,bot beaten,${TAIL}`,
      "Ann,900,700,1600,1,2,-0.412,-0.877,-0.464,3,9,0.568,1.25",
      "Cat,,100,100,2,0,,-0.5,,0,3,,0.8",
      // Stored before the report: no learning, empty fields.
      "Old,1,1,2,3,0,,,,,,,",
      "Bo,800,,800,kicked,1,,,,0,0,,",
      "",
    ]);
  });

  it("quotes commas and quotes, and defuses spreadsheet formulas", () => {
    const csv = standingsCsv(1, [
      { key: "e1", nickname: '=HYPERLINK("x")', scores: [1], total: 1, rank: 1, botBeaten: 0 },
      { key: "e2", nickname: "a, b", scores: [0], total: 0, rank: 2, botBeaten: 0 },
      { key: "e3", nickname: "-1", scores: [0], total: 0, rank: 2, botBeaten: 0 },
    ]);
    const lines = csv.split("\r\n");
    expect(lines[1]).toBe(`"'=HYPERLINK(""x"")",1,1,1,0,,,,,`);
    expect(lines[2]).toBe(`"a, b",0,0,2,0,,,,,`);
    expect(lines[3]).toBe(`'-1,0,0,2,0,,,,,`);
  });
});
