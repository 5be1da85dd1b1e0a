import { describe, expect, it } from "vitest";
import { resolveSurface } from "../surface-ref";
import {
  betaArrow,
  dailyKey,
  dailyStreak,
  dailyNumber,
  dailyShareText,
  dailySurface,
  utcDay,
} from "./daily";

const DEC3 = Date.UTC(2026, 11, 3);

describe("the daily descent (lib/challenge/daily)", () => {
  it("D1: every time of one UTC day gives the same surface; the next day another", () => {
    const first = dailySurface(DEC3);
    expect(dailySurface(DEC3 + 86_399_999)).toEqual(first);
    expect(dailySurface(DEC3 + 12 * 3_600_000)).toEqual(first);
    expect(dailySurface(DEC3 - 1)).not.toEqual(first);
    expect(dailySurface(DEC3 + 86_400_000)).not.toEqual(first);
    expect(first).toMatchObject({ kind: "procedural", difficulty: "medium" });
    // A literal, so a change to the derivation (or a machine that differs) fails here.
    expect(first).toEqual({
      kind: "procedural",
      seed: 2956584512,
      difficulty: "medium",
      transform: { seed: 2671481798 },
    });
    // Time zones do not matter: 08:00 in Tokyo on Dec 3 is still Dec 2 in UTC.
    expect(dailySurface(Date.parse("2026-12-03T08:00:00+09:00"))).toEqual(dailySurface(DEC3 - 1));
    expect(dailySurface(Date.parse("2026-12-02T20:00:00-05:00"))).toEqual(first);
    const surface = resolveSurface(first);
    expect(surface.etaMax).toBeGreaterThan(0);
  });

  it("D1: day numbers and keys are UTC; bad times are refused", () => {
    expect(dailyNumber(Date.UTC(2026, 11, 1))).toBe(1);
    expect(dailyNumber(DEC3 + 5)).toBe(3);
    expect(dailyKey(DEC3 + 86_399_999)).toBe("2026-12-03");
    expect(utcDay(-1)).toBe(-1);
    expect(() => utcDay(Number.NaN)).toThrow(/finite/);
  });

  it("D2: β becomes an arrow; the share text names no coordinate, loss or surface", () => {
    const PI = 3.141592653589793;
    expect([PI, (3 * PI) / 4, PI / 2, PI / 4, 0, null].map(betaArrow)).toEqual([
      "⬇️",
      "↘️",
      "➡️",
      "↗️",
      "⬆️",
      "⏸️",
    ]);
    const text = dailyShareText({
      day: 3,
      turns: 4,
      score: 870,
      beatBot: true,
      betas: [PI, 2.5, null, 3],
    });
    expect(text).toBe("Blind Descent daily #3\nScore 870 · 3/4 turns\n🤖 Beat the bot\n⬇️↘️⏸️⬇️");
    expect(text).not.toMatch(/procedural|medium|seed|\d+\.\d/);
    expect(
      dailyShareText({ day: 3, turns: 1, score: 0, beatBot: null, betas: [null], unscored: true }),
    ).toBe("Blind Descent daily #3 (practice)\nScore 0 · 0/1 turns\n⏸️");
  });

  it("D3: a streak counts consecutive played days ending today or yesterday", () => {
    expect(dailyStreak([], 10)).toBe(0);
    expect(dailyStreak([10, 9, 8, 6], 10)).toBe(3);
    expect(dailyStreak([9, 8, 8], 10)).toBe(2);
    expect(dailyStreak([8, 7], 10)).toBe(0);
    expect(dailyStreak([11], 10)).toBe(0);
  });
});
