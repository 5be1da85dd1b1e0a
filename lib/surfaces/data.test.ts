import { describe, expect, it } from "vitest";
import { centralGradient, centralHessian } from "../numeric";
import { createRng } from "../random";
import { resolveSurface, surfaceRefKey, surfaceRefOfKey } from "../surface-ref";
import type { Box, Vec2 } from "../types";
import {
  analyseData,
  DATA_DEFAULT_BOX,
  DataError,
  dataFunctions,
  dataSurface,
  SEED_POINTS,
} from "./data";
import { readPoints, pointsText } from "./data-text";
import { neuron } from "./neuron";

function refusal(points: readonly Vec2[], box: Box = DATA_DEFAULT_BOX): DataError {
  try {
    analyseData({ points, box });
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  throw new Error(`accepted: ${JSON.stringify(points)}`);
}

/** Points of a noisy sigmoid σ(1.3x − 0.4), x in −3…3 (a finite best fit inside the box). */
function noisyPoints(n: number, seed = 7): Vec2[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const x = -3 + (6 * i) / (n - 1);
    const y = 1 / (1 + Math.exp(-(1.3 * x - 0.4))) + rng.uniform(-0.15, 0.15);
    return [x, Math.min(1, Math.max(0, y))] as const;
  });
}

describe("the neuron on the class's data (issue 14 §2)", () => {
  it("F10: on the seed's two points it is the catalog's neuron, bit for bit", () => {
    const f = dataFunctions(SEED_POINTS);
    const rng = createRng(14);
    for (let k = 0; k < 500; k++) {
      const t: Vec2 = [rng.uniform(-6, 6), rng.uniform(-6, 6)];
      expect(f.loss(t) === neuron.loss(t)).toBe(true);
      const g = f.gradient(t);
      const gn = neuron.gradient(t);
      expect(g[0] === gn[0] && g[1] === gn[1]).toBe(true);
      const h = f.hessian(t);
      const hn = neuron.hessian(t);
      expect([h[0][0], h[0][1], h[1][0], h[1][1]]).toEqual([
        hn[0][0],
        hn[0][1],
        hn[1][0],
        hn[1][1],
      ]);
    }
  });

  it("F11: on the seed's points it finds the catalog neuron's minimum, the exact fit", () => {
    const s = dataSurface({ points: SEED_POINTS, box: neuron.domain });
    expect(s.minima).toHaveLength(1);
    const m = s.minima[0]!;
    const star = neuron.minima[0]!;
    expect(Math.abs(m.theta[0] - star.theta[0])).toBeLessThan(1e-9);
    expect(Math.abs(m.theta[1] - star.theta[1])).toBeLessThan(1e-9);
    expect(m.loss).toBeLessThan(1e-20);
    expect(s.domain).toEqual(neuron.domain);
  });

  it("F10: gradient and Hessian agree with central differences on 50 noisy points", () => {
    const f = dataFunctions(noisyPoints(50));
    const rng = createRng(3);
    for (let k = 0; k < 50; k++) {
      const t: Vec2 = [rng.uniform(-4, 4), rng.uniform(-4, 4)];
      const g = f.gradient(t);
      const gn = centralGradient(f.loss, t);
      expect(Math.abs(g[0] - gn[0]) + Math.abs(g[1] - gn[1])).toBeLessThan(1e-7);
      const h = f.hessian(t);
      const hn = centralHessian(f.gradient, t);
      expect(Math.abs(h[0][0] - hn[0][0]) + Math.abs(h[0][1] - hn[0][1])).toBeLessThan(1e-6);
      expect(Math.abs(h[1][1] - hn[1][1])).toBeLessThan(1e-6);
    }
  });

  it("F11: recovers the parameters that generated noiseless data, and chooses the round like a formula", () => {
    const points: Vec2[] = [-2, -1, 0, 0.5, 1, 2].map((x) => [
      x,
      1 / (1 + Math.exp(-(1.5 * x - 0.5))),
    ]);
    const s = dataSurface({ points, box: DATA_DEFAULT_BOX });
    const m = s.minima[0]!;
    expect(m.theta[0]).toBeCloseTo(1.5, 6);
    expect(m.theta[1]).toBeCloseTo(-0.5, 6);
    // F5's choices: η_max is 0.15 × the diagonal rounded down to two digits; the start is far
    // from the minimum and inside the box; the bot descends.
    expect(s.etaMax).toBe(2.5);
    const d = Math.hypot(s.start[0] - m.theta[0], s.start[1] - m.theta[1]);
    expect(d).toBeGreaterThanOrEqual(0.4 * Math.hypot(12, 12));
    expect(s.botEta).toBeGreaterThan(0);
    let t: Vec2 = s.start;
    let value = s.loss(t);
    for (let k = 0; k < 50; k++) {
      const g = s.gradient(t);
      t = [t[0] - s.botEta * g[0], t[1] - s.botEta * g[1]];
      const next = s.loss(t);
      expect(next).toBeLessThanOrEqual(value + 1e-12);
      value = next;
    }
  });

  it.each([
    [[[0, 0.5]] as Vec2[], "1 point: a data round takes 2 to 50"],
    [noisyPoints(51), "51 points: a data round takes 2 to 50"],
    [
      [
        [0, 0.5],
        [NaN, 0.5],
      ] as Vec2[],
      "point 2: x = NaN is not a finite number",
    ],
    [
      [
        [0, 0.5],
        [1, Infinity],
      ] as Vec2[],
      "point 2: y = Infinity is not a finite number",
    ],
    [
      [
        [0, 0.5],
        [1, 1.5],
      ] as Vec2[],
      "point 2: y = 1.5 is outside 0…1",
    ],
    [
      [
        [0, -0.1],
        [1, 0.5],
      ] as Vec2[],
      "point 1: y = -0.1 is outside 0…1",
    ],
    [
      [
        [0, 0.5],
        [1e6, 0.5],
      ] as Vec2[],
      "point 2: x = 1000000 is outside −1000…1000",
    ],
    [
      [
        [1, 0.2],
        [1, 0.9],
      ] as Vec2[],
      "every point has the same x",
    ],
    [
      [
        [0, 0],
        [1, 1],
      ] as Vec2[],
      "the best fit is on the edge of the box",
    ],
  ])("F9, F11: refuses %j with a message saying why", (points, message) => {
    expect(refusal(points).message).toContain(message);
  });

  it.each([
    [{ min: [1, -6], max: [1, 6] }, "the w range is empty or inverted"],
    [{ min: [-6, 6], max: [6, -6] }, "the b range is empty or inverted"],
    [{ min: [-60, -6], max: [60, 6] }, "the w range is wider than 100"],
    [{ min: [NaN, -6], max: [6, 6] }, "the box needs four finite numbers"],
  ] as [Box, string][])("F9 refuses the box %j", (box, message) => {
    const e = refusal(SEED_POINTS, box);
    expect(e.check).toBe("box");
    expect(e.message).toBe(message);
  });

  it("F12: the data ref's key reads back to the same ref, and the ref resolves to the surface", () => {
    const points = noisyPoints(12);
    const ref = { kind: "data" as const, points, box: { min: [-5, -4], max: [5.5, 4] } as Box };
    const key = surfaceRefKey(ref);
    expect(key.startsWith("data:-5,-4,5.5,4:")).toBe(true);
    expect(surfaceRefOfKey(key)).toEqual(ref);
    const s = resolveSurface(ref);
    expect(s.loss([0.3, 0.1])).toBe(dataFunctions(points).loss([0.3, 0.1]));
    expect(resolveSurface(ref)).toBe(s);
    expect(() => resolveSurface({ ...ref, transform: { seed: 1 } })).toThrow(/no transform/);
  });

  it("F9: points typed or pasted as CSV, with a header, blank lines, tabs or semicolons", () => {
    expect(readPoints("x,y\n0.5, 0.2\n\n2.5;0.9\n3\t1\n-1e-1 0")).toEqual({
      ok: true,
      points: [
        [0.5, 0.2],
        [2.5, 0.9],
        [3, 1],
        [-0.1, 0],
      ],
    });
    expect(readPoints("0.5, 0.2\n2.5, oops")).toEqual({
      ok: false,
      message: 'Line 2 ("2.5, oops") is not two numbers x, y.',
    });
    expect(readPoints("1, 2, 3")).toMatchObject({ ok: false });
    expect(readPoints(pointsText(SEED_POINTS))).toEqual({ ok: true, points: SEED_POINTS });
  });
});
