import { describe, expect, it } from "vitest";
import { feedbackReading } from "../../app/components/feedback-panel";
import type { TurnFeedbackView } from "../../app/components/feedback-panel";
import { contourLevels } from "../../app/lib/contours";
import { readBeta } from "../../app/lib/plot";

const deg = (d: number) => (d * Math.PI) / 180;

function turn(patch: Partial<TurnFeedbackView>): TurnFeedbackView {
  return {
    loss: 1,
    deltaLoss: -0.5,
    predicted: -0.6,
    beta: deg(172),
    clamped: false,
    moved: true,
    ...patch,
  };
}

describe("the feedback's one-line reading", () => {
  it("reads β as in the seed article: 180° is the steepest way down, below 90° climbs", () => {
    expect(feedbackReading(turn({}))).toBe("β = 172°: nearly the steepest way down.");
    expect(readBeta(deg(150))).toBe("downhill, though not the steepest way");
    expect(readBeta(deg(90))).toBe("along the contour: flat to first order");
    expect(readBeta(deg(60))).toBe("uphill: cos β > 0 makes the loss grow");
    expect(readBeta(deg(10))).toBe("almost straight up the gradient");
  });

  it("calls a predicted drop that turned into a rise an overshoot", () => {
    expect(feedbackReading(turn({ deltaLoss: 0.2, predicted: -0.6 }))).toContain("Overshoot");
    expect(feedbackReading(turn({ deltaLoss: -0.1, predicted: -0.6 }))).toContain(
      "Less drop than predicted",
    );
    expect(feedbackReading(turn({ deltaLoss: -0.5, predicted: -0.6 }))).not.toContain("predicted");
  });

  it("says nothing about β or predictions under the blind hint", () => {
    const blind = feedbackReading(turn({ beta: null, predicted: null }));
    expect(blind).toBe("No gradient information for this step.");
    expect(feedbackReading(turn({ beta: null, predicted: null, clamped: true }))).toBe(
      "Stopped at the edge of the box.",
    );
    expect(feedbackReading(turn({ moved: false }))).toBe("You stayed put this turn.");
  });

  it("fits the fixed-height panel: at most 140 characters in every combination", () => {
    for (const beta of [null, deg(180), deg(150), deg(100), deg(90), deg(60), deg(10)]) {
      for (const [deltaLoss, predicted] of [
        [0.3, -0.6],
        [-0.1, -0.6],
        [-0.6, -0.6],
        [0.2, null],
      ] as const) {
        for (const clamped of [false, true]) {
          const text = feedbackReading(turn({ beta, deltaLoss, predicted, clamped }));
          expect(text.length, text).toBeLessThanOrEqual(140);
        }
      }
    }
  });
});

describe("contour levels", () => {
  it("are increasing thresholds with one viridis colour per band, ignoring non-finite values", () => {
    const nx = 64;
    const values = new Float64Array(nx * nx);
    for (let j = 0; j < nx; j++) {
      for (let i = 0; i < nx; i++) values[j * nx + i] = (i - 20) ** 2 + (j - 30) ** 2;
    }
    values[5] = Infinity;
    values[6] = NaN;
    const grid = {
      nx,
      ny: nx,
      box: { min: [0, 0], max: [1, 1] } as const,
      values,
      min: 0,
      max: 3 * 43 ** 2,
    };
    const levels = contourLevels(grid as never);
    expect(levels.thresholds.length).toBeGreaterThan(5);
    for (let k = 1; k < levels.thresholds.length; k++) {
      expect(levels.thresholds[k]!).toBeGreaterThan(levels.thresholds[k - 1]!);
    }
    expect(levels.colours).toHaveLength(levels.thresholds.length + 1);
    expect(levels.colours[0]).toBe("#440154"); // viridis starts dark purple (low loss)
    expect(levels.clean[5]).toBe(grid.max);
    expect(levels.clean[6]).toBe(grid.max);
  });

  it("give a flat surface a single band instead of failing", () => {
    const values = new Float64Array(16).fill(2);
    const levels = contourLevels({
      nx: 4,
      ny: 4,
      box: { min: [0, 0], max: [1, 1] },
      values,
      min: 2,
      max: 2,
    } as never);
    expect(levels.thresholds.length).toBeLessThanOrEqual(1);
    expect(levels.colours.length).toBe(levels.thresholds.length + 1);
  });
});
