import { describe, expect, it } from "vitest";
import { createRound, reduce } from "./rules";
import type { CreateRoundInput } from "./rules";
import { compareResults, progressOf, reachedTurnOf, scoreOf } from "./scoring";
import type { RoundAction, RoundState } from "./state";
import { atMinimum, deepFreeze, plane, testEnv, testRef } from "./test-utils";
import type { Surface } from "../types";

const scale = { startLoss: 20, minLoss: 5 };

function play(
  surface: Surface,
  input: Partial<CreateRoundInput>,
  ...actions: RoundAction[]
): RoundState {
  const created = createRound(
    {
      surface: testRef(surface),
      seed: 1,
      players: [
        { id: "a", nickname: "A" },
        { id: "b", nickname: "B" },
        { id: "c", nickname: "C" },
      ],
      ...input,
    },
    testEnv,
  );
  if (!created.ok) throw new Error(created.error.message);
  let state = deepFreeze(created.state);
  for (const action of actions) {
    const next = reduce(state, action, testEnv);
    if (!next.ok) throw new Error(next.error.message);
    state = deepFreeze(next.state);
  }
  return state;
}

const AGAINST = Math.atan2(-2, -1); // straight down the plane L = w + 2b + 20
const mv = (playerId: string, eta: number, at: number): RoundAction => ({
  type: "move",
  playerId,
  angle: AGAINST,
  eta,
  at,
});
const res = (at: number): RoundAction => ({ type: "resolve", at });

describe("scoring", () => {
  it("R13: progress = (L(θ₀) − L_final)/(L(θ₀) − L*), clamped to [0, 1]", () => {
    expect(progressOf(20, scale)).toBe(0);
    expect(progressOf(5, scale)).toBe(1);
    expect(progressOf(11, scale)).toBeCloseTo(0.6, 15);
    expect(progressOf(25, scale)).toBe(0);
    expect(progressOf(4.9, scale)).toBe(1);
    expect(progressOf(Number.NaN, scale)).toBe(0);
  });

  it("R13: when L(θ₀) = L*, progress is 1 if the player did not get worse, else 0", () => {
    const flat = { startLoss: 3, minLoss: 3 };
    expect(progressOf(3, flat)).toBe(1);
    expect(progressOf(3.1, flat)).toBe(0);
    const state = play(
      atMinimum,
      { settings: { turns: 1 } },
      { type: "move", playerId: "b", angle: 0, eta: 0.5, at: 1 },
      res(2),
    );
    const [a, b] = [0, 1].map((seat) => state.results?.ranking.find((r) => r.seat === seat));
    expect(a?.progress).toBe(1);
    expect(a?.score).toBe(1000);
    expect(b?.progress).toBe(0);
    expect(b?.score).toBe(0);
  });

  it("R13: score = round(1000 · progress)", () => {
    expect(scoreOf(0)).toBe(0);
    expect(scoreOf(1)).toBe(1000);
    expect(scoreOf(0.6174)).toBe(617);
    expect(scoreOf(0.0005)).toBe(1);
    expect(scoreOf(0.00049)).toBe(0);
  });

  it("R13: scores of a played round on the plane", () => {
    // Down the plane: each unit of η lowers L by √5; L(θ₀) = 20, L* = 5.
    const state = play(
      plane,
      { settings: { turns: 1, bot: { optimizer: "none" } } },
      mv("a", 1, 1),
      res(2),
    );
    const a = state.results?.ranking[0];
    expect(a?.playerId).toBe("a");
    expect(a?.finalLoss).toBeCloseTo(20 - Math.sqrt(5), 12);
    expect(a?.progress).toBeCloseTo(Math.sqrt(5) / 15, 12);
    expect(a?.score).toBe(Math.round((1000 * Math.sqrt(5)) / 15));
    expect(state.results?.scale).toEqual({ startLoss: 20, minLoss: 5 });
  });

  it("R14: reachedTurn is the earliest turn from which the loss stayed final", () => {
    expect(reachedTurnOf([5])).toBe(0);
    expect(reachedTurnOf([5, 5, 5])).toBe(0);
    expect(reachedTurnOf([5, 4, 4, 4])).toBe(1);
    expect(reachedTurnOf([5, 4, 3, 3])).toBe(2);
    expect(reachedTurnOf([5, 4, 5, 5])).toBe(2);
    expect(reachedTurnOf([5, 4, 3, 4])).toBe(3);
  });

  it("R14: equal final losses go to whoever reached them first (turn, then at, then seat)", () => {
    // a and c make the same single move; a in turn 2, c in turn 1: c first. b never moves.
    const byTurn = play(
      plane,
      { settings: { turns: 3 } },
      mv("c", 1, 10),
      res(100),
      mv("a", 1, 110),
      res(200),
      res(300),
    );
    expect(byTurn.results?.ranking.map((r) => [r.playerId, r.rank, r.reachedTurn])).toEqual([
      ["c", 1, 1],
      ["a", 2, 2],
      ["b", 3, 0],
    ]);
    // Same turn: the earlier `at` wins, whatever the order of arrival or the seat.
    const byAt = play(plane, { settings: { turns: 1 } }, mv("b", 1, 50), mv("a", 1, 40), res(100));
    expect(byAt.results?.ranking.map((r) => [r.playerId, r.reachedAt])).toEqual([
      ["a", 40],
      ["b", 50],
      ["c", null],
    ]);
    // Same turn and time: the lower seat wins. Nobody moving: seat order.
    const bySeat = play(
      plane,
      { settings: { turns: 1 } },
      mv("c", 1, 50),
      mv("b", 1, 50),
      res(100),
    );
    expect(bySeat.results?.ranking.map((r) => r.playerId)).toEqual(["b", "c", "a"]);
    const idle = play(plane, { settings: { turns: 2 } }, res(1), res(2));
    expect(idle.results?.ranking.map((r) => [r.playerId, r.rank, r.score])).toEqual([
      ["a", 1, 0],
      ["b", 2, 0],
      ["c", 3, 0],
    ]);
  });

  it("R14: equal scores go to the lower final loss first: everyone above the start scores 0, 11.9 ranks above 12.1", () => {
    // Everyone walks uphill (score 0). a climbs most and moves first; b climbs least, last.
    const up = (playerId: string, eta: number, at: number): RoundAction => ({
      type: "move",
      playerId,
      angle: AGAINST + Math.PI,
      eta,
      at,
    });
    const state = play(
      plane,
      { settings: { turns: 1 } },
      up("a", 2, 10),
      up("c", 1, 20),
      up("b", 0.5, 30),
      res(100),
    );
    const ranking = state.results?.ranking ?? [];
    expect(ranking.map((r) => [r.playerId, r.rank, r.score])).toEqual([
      ["b", 1, 0],
      ["c", 2, 0],
      ["a", 3, 0],
    ]);
    // A lower final loss never ranks below a higher one.
    for (let i = 1; i < ranking.length; i++) {
      expect(ranking[i - 1]!.finalLoss).toBeLessThan(ranking[i]!.finalLoss);
    }
    // Scores that round to the same integer: the lower final loss still comes first.
    const near = { score: 500, reachedTurn: 1, reachedAt: 1, seat: 0 };
    expect(
      compareResults(
        { ...near, finalLoss: 12.1 },
        { ...near, finalLoss: 11.9, seat: 1, reachedTurn: 5 },
      ),
    ).toBeGreaterThan(0);
  });

  it("R14: a higher score beats an earlier arrival", () => {
    const state = play(
      plane,
      { settings: { turns: 2 } },
      mv("a", 0.5, 1),
      res(2),
      mv("b", 2, 3),
      res(4),
    );
    expect(state.results?.ranking.map((r) => r.playerId)).toEqual(["b", "a", "c"]);
  });

  it("R14: the comparison is total", () => {
    const base = { score: 10, finalLoss: 3, reachedTurn: 2, reachedAt: 5, seat: 0 };
    expect(compareResults(base, { ...base, score: 11 })).toBeGreaterThan(0);
    expect(compareResults(base, { ...base, finalLoss: 2.9 })).toBeGreaterThan(0);
    expect(compareResults(base, { ...base, finalLoss: Number.NaN })).toBeLessThan(0);
    expect(compareResults(base, { ...base, reachedTurn: 1 })).toBeGreaterThan(0);
    expect(compareResults(base, { ...base, reachedAt: 4 })).toBeGreaterThan(0);
    expect(compareResults(base, { ...base, seat: 1 })).toBeLessThan(0);
    expect(
      compareResults({ ...base, reachedTurn: 0, reachedAt: null }, { ...base, reachedTurn: 0 }),
    ).toBeLessThan(0);
    expect(compareResults(base, base)).toBe(0);
  });

  it("R15: the bot is scored but unranked; beatBot is strict", () => {
    // The gd bot on the plane moves by η_bot·∇L = 0.5·[1, 2] per turn: ΔL = −0.5·5 = −2.5.
    const state = play(
      plane,
      { settings: { turns: 1 } },
      mv("a", 2, 1),
      mv("b", 2.5 / Math.sqrt(5), 2),
      res(3),
    );
    const bot = state.results?.bot;
    expect(bot).toEqual({ optimizer: "gd", finalLoss: 17.5, progress: 2.5 / 15, score: 167 });
    const byId = new Map(state.results?.ranking.map((r) => [r.playerId, r]));
    expect(byId.get("a")?.beatBot).toBe(true);
    expect(byId.get("b")?.finalLoss).toBeCloseTo(17.5, 12);
    expect(byId.get("c")?.beatBot).toBe(false);
    expect(state.results?.ranking.map((r) => r.rank)).toEqual([1, 2, 3]);
    const b = byId.get("b");
    expect(b?.beatBot).toBe((b?.finalLoss ?? 0) < 17.5);
  });

  it("R15: without a bot, beatBot is null and there is no bot result", () => {
    const state = play(
      plane,
      { settings: { turns: 1, bot: { optimizer: "none" } } },
      mv("a", 1, 1),
      res(2),
    );
    expect(state.results?.bot).toBeNull();
    expect(state.results?.ranking.every((r) => r.beatBot === null)).toBe(true);
  });
});
