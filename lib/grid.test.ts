import { describe, expect, it } from "vitest";
import { gridPoint, sampleGrid } from "./grid";
import type { Box, Surface, Vec2 } from "./types";

function surface(loss: (t: Vec2) => number, domain: Box): Surface {
  return {
    id: "test",
    name: "test",
    description: "test surface",
    formula: "",
    loss,
    gradient: () => [0, 0],
    hessian: () => [
      [0, 0],
      [0, 0],
    ],
    domain,
    minima: [],
    start: domain.min,
    etaMax: 1,
    botEta: 0.1,
    difficulty: "easy",
  };
}

/** L = w + 10b over [−1, 1] × [0, 2]: every grid value is easy to write down. */
const plane = surface(([w, b]) => w + 10 * b, { min: [-1, 0], max: [1, 2] });

describe("sampleGrid", () => {
  it("is row-major with w fastest and b increasing with the row", () => {
    const grid = sampleGrid(plane, 5, 3);
    expect(grid.nx).toBe(5);
    expect(grid.ny).toBe(3);
    expect(grid.box).toBe(plane.domain);
    expect(grid.values).toBeInstanceOf(Float64Array);
    // w = −1, −0.5, 0, 0.5, 1; b = 0, 1, 2.
    expect(Array.from(grid.values)).toEqual([
      -1, -0.5, 0, 0.5, 1, 9, 9.5, 10, 10.5, 11, 19, 19.5, 20, 20.5, 21,
    ]);
    expect(grid.min).toBe(-1);
    expect(grid.max).toBe(21);
  });

  it("matches surface.loss at every grid point, corners exact", () => {
    const rosenbrock = surface(([w, b]) => (1 - w) ** 2 + 100 * (b - w * w) ** 2, {
      min: [-2, -1],
      max: [2, 3],
    });
    const grid = sampleGrid(rosenbrock, 41, 33);
    expect(gridPoint(grid, 0, 0)).toEqual([-2, -1]);
    expect(gridPoint(grid, 40, 32)).toEqual([2, 3]);
    let min = Infinity;
    let max = -Infinity;
    for (let j = 0; j < 33; j++) {
      for (let i = 0; i < 41; i++) {
        const theta = gridPoint(grid, i, j);
        expect(theta[0]).toBeCloseTo(-2 + (4 * i) / 40, 14);
        expect(theta[1]).toBeCloseTo(-1 + (4 * j) / 32, 14);
        const expected = rosenbrock.loss(theta);
        expect(grid.values[j * 41 + i]).toBe(expected);
        min = Math.min(min, expected);
        max = Math.max(max, expected);
      }
    }
    expect(grid.min).toBe(min);
    expect(grid.max).toBe(max);
    // The grid passes through the minimum [1, 1] (i = 30, j = 16).
    expect(grid.min).toBe(0);
  });

  it("samples a sub-box when one is given", () => {
    const grid = sampleGrid(plane, 2, 2, { min: [0, 0], max: [1, 1] });
    expect(Array.from(grid.values)).toEqual([0, 1, 10, 11]);
  });

  it("takes min and max over finite values only", () => {
    const spiky = surface(([w, b]) => (w === 0 ? NaN : b === 1 ? Infinity : w + b), {
      min: [-1, -1],
      max: [1, 1],
    });
    const grid = sampleGrid(spiky, 3, 3);
    // Finite values: w + b for w ∈ {−1, 1}, b ∈ {−1, 0}.
    expect(grid.min).toBe(-2);
    expect(grid.max).toBe(1);
    const nothing = sampleGrid(
      surface(() => NaN, plane.domain),
      2,
      2,
    );
    expect(nothing.min).toBeNaN();
    expect(nothing.max).toBeNaN();
  });

  it.each([
    [1, 5, "nx must be an integer ≥ 2, got 1"],
    [2.5, 5, "nx must be an integer ≥ 2, got 2.5"],
    [NaN, 5, "nx must be an integer ≥ 2, got NaN"],
    [5, 0, "ny must be an integer ≥ 2, got 0"],
    [5, Infinity, "ny must be an integer ≥ 2, got Infinity"],
  ])("rejects nx = %s, ny = %s", (nx, ny, message) => {
    expect(() => sampleGrid(plane, nx, ny)).toThrow(new RangeError(message));
  });

  it("rejects an empty or non-finite box", () => {
    expect(() => sampleGrid(plane, 3, 3, { min: [1, 0], max: [1, 1] })).toThrow(
      new RangeError("box must be finite with min < max, got [1, 1] on axis 0"),
    );
    expect(() => sampleGrid(plane, 3, 3, { min: [0, 0], max: [1, Infinity] })).toThrow(
      new RangeError("box must be finite with min < max, got [0, Infinity] on axis 1"),
    );
  });
});
