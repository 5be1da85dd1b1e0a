import { describe, expect, it } from "vitest";
import { computeResults } from "./scoring";
import type { BotTrack, PlayerTrack } from "./state";
import { classRoundVerdict, competitionVerdict, roundVerdict, standingBadge } from "./verdict";
import type { VerdictPlayer, VerdictResults } from "./verdict";
import { createRng } from "../random";

const scale = { startLoss: 20, minLoss: 5 };

/** Results as lib/game computes them, from final losses (one turn each, moves at seat order). */
function results(finals: readonly number[], botFinal: number | null): VerdictResults {
  const players: PlayerTrack[] = finals.map((loss, i) => ({
    id: `p${i}`,
    nickname: ["Ada", "Ben", "Cy", "Di"][i] ?? `P${i}`,
    path: [
      [0, 0],
      [0, 0],
    ],
    losses: [scale.startLoss, loss],
    feedback: [{ move: { angle: 0, eta: 1, at: 10 + i } }],
  })) as unknown as PlayerTrack[];
  const bot = (
    botFinal === null
      ? null
      : { optimizer: "gd", path: [], losses: [scale.startLoss, botFinal], state: null }
  ) as BotTrack | null;
  return computeResults(players, bot, scale);
}

const seatOf = (r: VerdictResults, nickname: string) =>
  r.ranking.find((p) => p.nickname === nickname)!.seat;

describe("verdicts (R13–R15, R19, R21)", () => {
  it("R14/R15: #1 with points and below the bot: You won!, confetti", () => {
    const r = results([8, 12], 15);
    const v = roundVerdict(r, seatOf(r, "Ada"))!;
    expect(v.headline).toBe("You won!");
    expect(v.detail).toContain("You beat the bot");
    expect(v.celebrate).toBe(true);
    expect(v.tone).toBe("win");
  });

  it("R15: #1 of the players but the bot ended lower: never 'won' next to 'the bot beat you'", () => {
    const r = results([8, 12], 6);
    const v = roundVerdict(r, seatOf(r, "Ada"))!;
    expect(v.headline).toBe("Best of the players, but the bot did better.");
    expect(v.headline).not.toMatch(/won/i);
    expect(v.detail).toContain("The bot ended lower");
  });

  it("R14: everyone above the start (all score 0): nobody 'won', the lowest loss ranks first", () => {
    const r = results([32.1, 31.9], 35);
    expect(r.ranking.map((p) => p.nickname)).toEqual(["Ben", "Ada"]);
    const ben = roundVerdict(r, seatOf(r, "Ben"))!;
    expect(ben.headline).toBe("Nobody scored this round.");
    expect(ben.detail).toContain("31.9");
    expect(ben.detail).toContain("You beat the bot");
    expect(ben.celebrate).toBe(false);
    const ada = roundVerdict(r, seatOf(r, "Ada"))!;
    expect(ada.headline).toBe("You finished #2 of 2.");
    expect(ada.detail).toContain("Score 0");
    const cls = classRoundVerdict(r);
    expect(cls.headline).toBe("Nobody scored this round.");
    expect(cls.celebrate).toBe(false);
  });

  it("R14: a lost player gets '#k of n', the bot line, and why a tie went the other way", () => {
    const r = results([10, 10, 14], 12);
    const ben = roundVerdict(r, seatOf(r, "Ben"))!;
    expect(ben.headline).toBe("You finished #2 of 3.");
    expect(ben.detail).toContain("Same final loss as Ada, who got there first.");
    expect(ben.detail).toContain("You beat the bot");
    expect(ben.celebrate).toBe(true);
    const ada = roundVerdict(r, seatOf(r, "Ada"))!;
    expect(ada.headline).toBe("You won!");
    expect(ada.detail).toContain("Ben reached the same loss, but you got there first.");
    const cy = roundVerdict(r, seatOf(r, "Cy"))!;
    expect(cy.headline).toBe("You finished #3 of 3.");
    expect(cy.detail).toContain("The bot ended lower");
    expect(cy.celebrate).toBe(false);
  });

  it("R14: losses equal on screen but not in fact say so", () => {
    const r = results([10.001, 10.002], null);
    const ben = roundVerdict(r, seatOf(r, "Ben"))!;
    expect(ben.detail).toContain("a hair lower");
  });

  it("R15: alone (solo): no rank at all; the bot and the score decide", () => {
    const beat = results([9], 12);
    expect(roundVerdict(beat, 0)!.headline).toBe("You beat the bot!");
    expect(roundVerdict(beat, 0)!.celebrate).toBe(true);
    const lost = results([14], 12);
    expect(roundVerdict(lost, 0)!.headline).toBe("The bot beat you this time.");
    const zero = results([25], 30);
    const z = roundVerdict(zero, 0)!;
    expect(z.headline).toBe("You beat the bot!");
    expect(z.detail).toContain("Score 0");
    const tie = results([12], 12);
    expect(roundVerdict(tie, 0)!.headline).toBe("A tie with the bot.");
    const noBot = results([9], null);
    expect(roundVerdict(noBot, 0)!.headline).toBe("You scored 733.");
    expect(roundVerdict(results([20], null), 0)!.headline).toBe("No points this round.");
    for (const r of [beat, lost, zero, tie, noBot]) {
      expect(roundVerdict(r, 0)!.headline).not.toMatch(/#|won/);
    }
  });

  it("R21: without rankings: no rank, no 'won', even for the best", () => {
    const r = results([8, 12], 15);
    const withheld: VerdictResults = {
      ...r,
      ranking: r.ranking.map((p) => ({ ...p, rank: 0 })),
    };
    const v = roundVerdict(withheld, seatOf(r, "Ada"))!;
    expect(v.headline).toBe("You beat the bot!");
    expect(roundVerdict(r, seatOf(r, "Ada"), { noRankings: true })!.headline).toBe(
      "You beat the bot!",
    );
    expect(classRoundVerdict(withheld).headline).toBe("Round over!");
    expect(classRoundVerdict(withheld).detail).toBe("2 of 2 beat the bot.");
  });

  it("the class verdict: a winner, or the bot beat everyone", () => {
    const r = results([8, 12], 15);
    expect(classRoundVerdict(r).headline).toBe("Ada wins the round!");
    const bot = results([8, 12], 6);
    expect(classRoundVerdict(bot).headline).toBe("The bot beat everyone this round.");
    expect(classRoundVerdict(bot).celebrate).toBe(false);
  });

  it("an unknown seat has no verdict", () => {
    expect(roundVerdict(results([8], null), 5)).toBeNull();
  });

  it("R14/R15: over random rounds no verdict contradicts the numbers", () => {
    const rng = createRng(7);
    const random = () => rng.next();
    for (let trial = 0; trial < 500; trial++) {
      const n = 1 + Math.floor(random() * 4);
      const pick = () => [2, 5, 8, 12, 12, 19.999, 20, 21, 25][Math.floor(random() * 9)]!;
      const finals = Array.from({ length: n }, pick);
      const botFinal = random() < 0.2 ? null : pick();
      const r = results(finals, botFinal);
      for (const me of r.ranking) {
        const v = roundVerdict(r, me.seat)!;
        const text = `${v.headline} ${v.detail}`;
        const check = (cond: boolean, why: string) =>
          expect(cond, `${why}: ${text} (${JSON.stringify(me)})`).toBe(true);
        if (/won/i.test(v.headline)) {
          check(me.rank === 1 && n > 1 && me.score > 0 && me.beatBot !== false, "won");
        }
        if (n === 1) check(!/#/.test(text), "a rank alone");
        if (me.beatBot === false) check(!/You beat the bot/.test(text), "beat a better bot");
        if (me.beatBot === true) check(!/bot beat you|bot ended lower/.test(text), "bot beat");
        if (me.score === 0) check(!/Score [1-9]/.test(text), "score");
        if (v.celebrate) check(me.beatBot === true || (me.rank === 1 && n > 1), "confetti");
        const lower = (p: VerdictPlayer) => p.finalLoss < me.finalLoss;
        if (r.ranking.some(lower)) check(!/You won/.test(v.headline), "won above a lower loss");
      }
    }
  });

  it("R19/R21: the competition verdict and the rank badge", () => {
    const me = { rank: 1, total: 1500, botBeaten: 2, roundsPlayed: 3 };
    const all = [me, { rank: 2, total: 900 }];
    expect(competitionVerdict(me, all).headline).toBe("You won the competition!");
    expect(competitionVerdict(me, all).detail).toBe(
      "1500 points. You beat the bot in 2 of 3 rounds.",
    );
    expect(competitionVerdict(me, [me, { rank: 1, total: 1500 }]).headline).toBe(
      "You share first place of 2!",
    );
    expect(competitionVerdict({ ...me, rank: 2 }, [{ rank: 1, total: 2000 }, me]).headline).toBe(
      "You finished #2 of 2.",
    );
    expect(
      competitionVerdict({ ...me, rank: 1, total: 0 }, [me, { rank: 1, total: 0 }]).headline,
    ).toBe("No points this time.");
    expect(competitionVerdict(me, null, { noRankings: true }).headline).toBe(
      "You scored 1500 points.",
    );
    expect(competitionVerdict({ ...me, rank: 0 }, null).headline).toBe("You scored 1500 points.");
    expect(competitionVerdict(me, [me]).headline).toBe("You scored 1500 points.");
    expect(competitionVerdict({ ...me, roundsPlayed: 0, total: 0 }, all).headline).toBe(
      "You did not play a round.",
    );
    expect(standingBadge({ rank: 1, total: 0, botBeaten: 0, roundsPlayed: 0 })).toBe("");
    expect(standingBadge({ ...me, total: 0 })).toBe("");
    expect(standingBadge(me)).toBe("#1");
    expect(standingBadge(me, true)).toBe("");
    expect(standingBadge(null)).toBe("");
  });
});
