import { describe, expect, it } from "vitest";
import { classLearning, formatCosBeta, roundLearning, studentRounds } from "./class-learning";
import type { TurnFeedback } from "./state";

/** docs/SPEC.md L5–L7 on hand-made turns of hand-made students. */

/** A step with angle β to the gradient, of length s, whose loss changed by ΔL. */
function step(beta: number | null, s = 1, deltaLoss = -0.1, predicted: number | null = -s) {
  const f: TurnFeedback = {
    move: { angle: 0, eta: s, at: 0 },
    loss: 1,
    deltaLoss,
    stepLength: s,
    predicted,
    beta,
    clamped: false,
  };
  return f;
}
const stay: TurnFeedback = {
  move: null,
  loss: 1,
  deltaLoss: 0,
  stepLength: 0,
  predicted: null,
  beta: null,
  clamped: false,
};
/** β whose cosine is `c`. */
const at = (c: number) => Math.acos(c);

describe("roundLearning and studentRounds (L5)", () => {
  it("L5: a round's numbers per player, found per entrant by any of their player ids", () => {
    const round1 = roundLearning([
      { id: "p1", feedback: [step(at(-0.4)), step(at(-0.6), 2, +0.5)] },
      { id: "p2", feedback: [stay, stay] },
    ]);
    expect(round1[0]).toMatchObject({ playerId: "p1", overshoots: 1, steps: 2, stepRatio: 2 });
    expect(round1[0]?.meanCosBeta).toBeCloseTo(-0.5, 12);
    // No steps: no cos β, no ratio, nothing overshot.
    expect(round1[1]).toEqual({
      playerId: "p2",
      meanCosBeta: null,
      overshoots: 0,
      steps: 0,
      stepRatio: null,
    });
    // Ann rejoined as p3 for round 2; Bo (p2) missed round 2.
    const round2 = roundLearning([{ id: "p3", feedback: [step(Math.PI)] }]);
    const students = studentRounds(
      [
        { key: "e1", nickname: "Ann", playerIds: ["p1", "p3"] },
        { key: "e2", nickname: "Bo", playerIds: ["p2"] },
      ],
      [round1, round2],
    );
    expect(students[0]?.rounds.map((r) => r?.steps)).toEqual([2, 1]);
    expect(students[0]?.rounds[1]).not.toHaveProperty("playerId");
    expect(students[1]?.rounds[1]).toBeNull();
  });
});

describe("classLearning (L5–L7)", () => {
  const rounds = (...feedback: (TurnFeedback[] | null)[]) =>
    feedback.map((f) => (f === null ? null : roundLearning([{ id: "x", feedback: f }])[0]!));

  it("L5: each student's cos β per round, its change first→last, the trend, overshoots and steps", () => {
    const report = classLearning(
      [
        {
          key: "e1",
          nickname: "Ann",
          rounds: rounds([step(at(-0.4))], [step(at(-0.6))], [step(at(-0.9), 1, +0.2)]),
        },
        { key: "e2", nickname: "Bo", rounds: rounds([step(at(-0.9))], [step(at(-0.5))]) },
        { key: "e3", nickname: "Cy", rounds: rounds([step(at(-0.5))], [step(at(-0.55))]) },
      ],
      3,
    );
    const [ann, bo, cy] = report.students;
    expect(ann?.cosBeta.map((c) => c?.toFixed(6))).toEqual(["-0.400000", "-0.600000", "-0.900000"]);
    expect(ann?.change).toBeCloseTo(-0.5, 12);
    expect(ann?.trend).toBe("downhill");
    expect(ann?.overshoots).toBe(1);
    expect(ann?.steps).toBe(3);
    // Bo did not play round 3: null, and his change is round 2 against round 1.
    expect(bo?.cosBeta[2]).toBeNull();
    expect(bo?.change).toBeCloseTo(0.4, 12);
    expect(bo?.trend).toBe("uphill");
    expect(cy?.trend).toBe("steady");
  });

  it("L5: a student who missed rounds is read from the rounds they aimed in; one such round has no trend", () => {
    const report = classLearning(
      [
        // Played rounds 1 and 4 only, of four.
        {
          key: "e1",
          nickname: "Ann",
          rounds: rounds([step(at(-0.2))], null, null, [step(Math.PI)]),
        },
        // Joined for the last round only.
        { key: "e2", nickname: "Late", rounds: rounds(null, null, null, [step(at(-0.7))]) },
        // Played every round but never stepped.
        { key: "e3", nickname: "Still", rounds: rounds([stay], [stay], [stay], [stay]) },
        // Stepped only at stationary points (zero gradient: no β).
        { key: "e4", nickname: "Flat", rounds: rounds([step(null)], [step(null), step(null)]) },
      ],
      4,
    );
    const [ann, late, still, flat] = report.students;
    expect(ann?.cosBeta).toEqual([expect.closeTo(-0.2, 12), null, null, -1]);
    expect(ann?.change).toBeCloseTo(-0.8, 12);
    expect(ann?.trend).toBe("downhill");
    expect(late?.change).toBeNull();
    expect(late?.trend).toBeNull();
    expect(still).toMatchObject({ cosBeta: [null, null, null, null], change: null, steps: 0 });
    expect(flat).toMatchObject({ cosBeta: [null, null, null, null], trend: null, steps: 3 });
    // The class: round 1 is Ann alone, rounds 2 and 3 nobody aimed, round 4 Ann and Late.
    expect(report.classCosBeta).toEqual([
      expect.closeTo(-0.2, 12),
      null,
      null,
      expect.closeTo(-0.85, 12),
    ]);
    expect(report.first).toEqual({ round: 1, cosBeta: expect.closeTo(-0.2, 12) });
    expect(report.last).toEqual({ round: 4, cosBeta: expect.closeTo(-0.85, 12) });
  });

  it("L6, L7: the class's mean cos β per round, and the sentence of its first round against its last", () => {
    const report = classLearning(
      [
        { key: "e1", nickname: "Ann", rounds: rounds([step(at(-0.3))], [step(at(-0.8))]) },
        { key: "e2", nickname: "Bo", rounds: rounds([step(at(-0.52))], [step(at(-0.94))]) },
      ],
      2,
    );
    expect(report.classCosBeta[0]).toBeCloseTo(-0.41, 12);
    expect(report.classCosBeta[1]).toBeCloseTo(-0.87, 12);
    expect(report.sentence).toBe(
      "From round 1 to round 2 the class moved from cos β = −0.41 to −0.87: closer to straight downhill (−1).",
    );
    const worse = classLearning(
      [{ key: "e1", nickname: "A", rounds: rounds([step(at(-0.9))], [step(at(0.2))]) }],
      2,
    );
    expect(worse.sentence).toMatch(/from cos β = −0\.90 to 0\.20: further from straight downhill/);
    const same = classLearning(
      [{ key: "e1", nickname: "A", rounds: rounds([step(at(-0.5))], [step(at(-0.52))]) }],
      2,
    );
    expect(same.sentence).toMatch(/: about the same aim\.$/);
  });

  it("L7: one round with a cos β, none, and no rounds at all", () => {
    const one = classLearning(
      [{ key: "e1", nickname: "A", rounds: rounds([stay], [step(at(-0.66))]) }],
      2,
    );
    expect(one.sentence).toBe(
      "In round 2 the class aimed at a mean cos β = −0.66 (−1 is straight downhill).",
    );
    const none = classLearning([{ key: "e1", nickname: "A", rounds: rounds([stay]) }], 1);
    expect(none).toMatchObject({ first: null, last: null, classCosBeta: [null] });
    expect(none.sentence).toBe("No one has aimed a step yet, so the class's aim cannot be read.");
    const empty = classLearning([], 0);
    expect(empty).toMatchObject({ rounds: 0, students: [], classCosBeta: [], first: null });
  });

  it("L5: rounds beyond a student's list are not played; extra entries are ignored", () => {
    const report = classLearning(
      [{ key: "e1", nickname: "A", rounds: rounds([step(Math.PI)], [step(Math.PI)]) }],
      1,
    );
    expect(report.students[0]?.cosBeta).toEqual([-1]);
    expect(report.students[0]?.steps).toBe(1);
  });

  it("formats cos β with two decimals and a true minus sign", () => {
    expect(formatCosBeta(-0.4051)).toBe("−0.41");
    expect(formatCosBeta(0.5)).toBe("0.50");
    expect(formatCosBeta(-0.001)).toBe("0.00");
  });
});
