import { describe, expect, it } from "vitest";
import { learningReport, learningSentence } from "./learning";
import type { TurnFeedback } from "./state";

/** docs/SPEC.md L1–L4 on hand-made turns. */

function turn(
  beta: number | null,
  stepLength: number,
  deltaLoss: number,
  predicted: number | null = -stepLength,
): TurnFeedback {
  return {
    move: { angle: 0, eta: stepLength, at: 0 },
    loss: 1,
    deltaLoss,
    stepLength,
    predicted,
    beta,
    clamped: false,
  };
}
const stayed: TurnFeedback = {
  move: null,
  loss: 1,
  deltaLoss: 0,
  stepLength: 0,
  predicted: null,
  beta: null,
  clamped: false,
};

describe("learningReport (L1–L3)", () => {
  it("L1: mean cos β over the steps with a gradient; staying put and stationary points are left out", () => {
    const r = learningReport([
      turn(Math.PI, 1, -1),
      stayed,
      turn(Math.PI / 2, 1, 0),
      turn(null, 1, 0),
    ]);
    expect(r.steps).toBe(3);
    expect(r.meanCosBeta).toBeCloseTo((-1 + 0) / 2, 12);
    expect(learningReport([stayed]).meanCosBeta).toBeNull();
  });

  it("L2: an overshoot is a step the first-order prediction called a drop whose loss rose", () => {
    const r = learningReport([
      turn(Math.PI, 2, +0.5, -1), // promised a drop, rose: overshoot
      turn(Math.PI, 1, -0.5, -1), // dropped as promised
      turn(0, 1, +1, +1), // uphill on purpose: predicted a rise, not an overshoot
      turn(Math.PI, 1, +0.1, null),
    ]);
    expect(r.overshoots).toBe(1);
  });

  it("L3: step lengths in turn order and the second half's mean over the first half's", () => {
    const r = learningReport([
      turn(Math.PI, 4, -1),
      turn(Math.PI, 2, -1),
      turn(Math.PI, 1, -1),
      turn(Math.PI, 1, -1),
    ]);
    expect(r.stepLengths).toEqual([4, 2, 1, 1]);
    expect(r.stepRatio).toBeCloseTo(1 / 3, 12);
    const odd = learningReport([turn(Math.PI, 3, -1), turn(Math.PI, 9, -1), turn(Math.PI, 1, -1)]);
    expect(odd.stepRatio).toBeCloseTo(1 / 3, 12); // last 1 over first 1
    expect(learningReport([turn(Math.PI, 1, -1)]).stepRatio).toBeNull();
  });
});

describe("learningSentence (L4)", () => {
  it("says where the player aimed, how often they overshot and how their steps changed", () => {
    const s = learningSentence(
      learningReport([
        turn(Math.PI, 4, -1),
        turn(Math.PI * 0.9, 2, +0.2),
        turn(Math.PI, 1, -1),
        turn(Math.PI, 1, -1),
      ]),
    );
    expect(s).toBe(
      "You aimed almost straight downhill (mean cos β = -0.99, as if 9° off the steepest descent), overshot once (the slope promised a drop, the loss rose: a step too long) and shortened your steps as you went.",
    );
  });

  it("a sideways player who never stepped twice, and one who never stepped", () => {
    expect(learningSentence(learningReport([turn(Math.PI / 2, 1, 0)]))).toBe(
      "You aimed sideways or uphill (mean cos β = 0.00, as if 90° off the steepest descent), never overshot.",
    );
    expect(learningSentence(learningReport([stayed]))).toMatch(/never stepped/);
  });
});
