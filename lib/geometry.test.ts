import { describe, expect, it } from "vitest";
import {
  add,
  angleOf,
  clampToBox,
  directionFromAngle,
  dot,
  inBox,
  norm,
  scale,
  stepWithinBox,
  sub,
  toDegrees,
  toRadians,
} from "./geometry";
import { createRng } from "./random";
import type { Box, Vec2 } from "./types";

describe("vector helpers", () => {
  it("add, sub, scale, dot, norm", () => {
    expect(add([1, 2], [3, -5])).toEqual([4, -3]);
    expect(sub([1, 2], [3, -5])).toEqual([-2, 7]);
    expect(scale([1, -2], 3)).toEqual([3, -6]);
    expect(dot([1, 2], [3, -5])).toBe(-7);
    expect(norm([3, -4])).toBe(5);
  });

  it("angles: directionFromAngle, angleOf, degrees ↔ radians", () => {
    const u = directionFromAngle(Math.PI / 2);
    expect(u[0]).toBeCloseTo(0, 15);
    expect(u[1]).toBeCloseTo(1, 15);
    expect(angleOf([-1, 0])).toBe(Math.PI);
    expect(angleOf([0, -2])).toBe(-Math.PI / 2);
    expect(angleOf(directionFromAngle(2))).toBeCloseTo(2, 15);
    expect(toDegrees(Math.PI)).toBe(180);
    expect(toRadians(90)).toBe(Math.PI / 2);
    expect(toDegrees(toRadians(37))).toBeCloseTo(37, 12);
  });
});

const box: Box = { min: [-2, -1], max: [2, 3] };

describe("inBox and clampToBox", () => {
  it("inBox is the closed box", () => {
    expect(inBox([0, 0], box)).toBe(true);
    expect(inBox([2, 3], box)).toBe(true);
    expect(inBox([-2, -1], box)).toBe(true);
    expect(inBox([2.0000001, 0], box)).toBe(false);
    expect(inBox([0, -1.5], box)).toBe(false);
    expect(inBox([NaN, 0], box)).toBe(false);
  });

  it("clampToBox projects component-wise and leaves inside points alone", () => {
    expect(clampToBox([0.5, 1], box)).toEqual([0.5, 1]);
    expect(clampToBox([5, 1], box)).toEqual([2, 1]);
    expect(clampToBox([-5, -7], box)).toEqual([-2, -1]);
    expect(clampToBox([10, 10], box)).toEqual([2, 3]);
    expect(clampToBox([-Infinity, Infinity], box)).toEqual([-2, 3]);
  });
});

describe("stepWithinBox", () => {
  it("takes the full step when it stays inside", () => {
    expect(stepWithinBox([0, 0], [0.6, 0.8], 2.5, box)).toEqual([1.5, 2]);
  });

  it("stops where the straight path meets the edge", () => {
    // From [0, 0] along [1, 0.5] with η = 10: the path meets w = 2 at t = 0.2, at [2, 1].
    expect(stepWithinBox([0, 0], [1, 0.5], 10, box)).toEqual([2, 1]);
    // From [1, 1] along [−0.6, −0.8] with η = 5: b = −1 is met after a length 2.5, at [−0.5, −1].
    expect(stepWithinBox([1, 1], [-0.6, -0.8], 5, box)).toEqual([-0.5, -1]);
    // Straight at a corner: from [0, 1] along [1, 1]/√2·… reaches [2, 3] exactly.
    expect(stepWithinBox([0, 1], [1, 1], 100, box)).toEqual([2, 3]);
  });

  it("a step that ends exactly on the edge is the full step", () => {
    expect(stepWithinBox([0, 0], [1, 0], 2, box)).toEqual([2, 0]);
  });

  it("a point on the edge heading out stays put; sliding along the edge is allowed", () => {
    expect(stepWithinBox([2, 1], [1, 0], 1, box)).toEqual([2, 1]);
    expect(stepWithinBox([2, 1], [1, 1], 1, box)).toEqual([2, 1]);
    expect(stepWithinBox([2, 1], [0, 1], 1, box)).toEqual([2, 2]);
  });

  it("η = 0 or a zero direction leaves θ unchanged", () => {
    expect(stepWithinBox([0.5, 0.5], [1, 0], 0, box)).toEqual([0.5, 0.5]);
    expect(stepWithinBox([0.5, 0.5], [0, 0], 3, box)).toEqual([0.5, 0.5]);
  });

  it("fuzz (seed 7): stays in the box, on the path, and exactly on the edge when it stops early", () => {
    const rng = createRng(7);
    const fuzzBox: Box = { min: [-1.3, -0.7], max: [2.1, 3.3] };
    const failures: string[] = [];
    for (let k = 0; k < 20_000; k++) {
      const theta: Vec2 = [rng.uniform(-1.3, 2.1), rng.uniform(-0.7, 3.3)];
      const u = directionFromAngle(rng.uniform(-Math.PI, Math.PI));
      const eta = rng.uniform(0, 6);
      const r = stepWithinBox(theta, u, eta, fuzzBox);
      // On the straight path: (r − θ) is parallel to u, forward, and no longer than η.
      const d = sub(r, theta);
      const onPath =
        Math.abs(d[0] * u[1] - d[1] * u[0]) < 1e-12 &&
        dot(d, u) >= -1e-12 &&
        norm(d) <= eta + 1e-12;
      const stoppedEarly = !inBox(add(theta, scale(u, eta)), fuzzBox);
      const onEdge =
        r[0] === fuzzBox.min[0] ||
        r[0] === fuzzBox.max[0] ||
        r[1] === fuzzBox.min[1] ||
        r[1] === fuzzBox.max[1];
      if (!inBox(r, fuzzBox) || !onPath || (stoppedEarly && !onEdge)) {
        failures.push(
          `seed 7, case ${k}: θ=${theta.join(",")} u=${u.join(",")} η=${eta} → ${r.join(",")}`,
        );
      }
    }
    expect(failures).toEqual([]);
  });
});
