/** The entry point exposes the library's public surface (issue: lib/index.ts exports). */
import { describe, expect, it } from "vitest";
import * as lib from "./index";

describe("lib entry point", () => {
  it("exports the catalog, getSurface, proceduralSurface, optimizers and the Taylor helpers", () => {
    expect(lib.surfaces.map((s) => s.id)).toEqual(
      expect.arrayContaining([
        "rosenbrock",
        "himmelblau",
        "beale",
        "booth",
        "matyas",
        "three-hump-camel",
        "six-hump-camel",
        "rastrigin",
        "ackley",
        "goldstein-price",
        "styblinski-tang",
        "neuron",
      ]),
    );
    expect(lib.getSurface("booth").id).toBe("booth");
    expect(() => lib.getSurface("nope")).toThrow(/nope.*booth/s);
    expect(lib.proceduralSurface(7).minima.length).toBeGreaterThan(0);
    expect(Object.keys(lib.optimizers).sort()).toEqual(
      ["adam", "gd", "momentum", "nesterov", "newton", "rmsprop"].sort(),
    );
    // Steepest descent is opposite the gradient, at β = 180°.
    const g = [3, 4] as const;
    const u = lib.steepestDescentDirection(g);
    expect(u).not.toBeNull();
    expect(u![0]).toBeCloseTo(-0.6, 12);
    expect(u![1]).toBeCloseTo(-0.8, 12);
    expect(lib.angleToGradient(u!, g)).toBeCloseTo(Math.PI, 12);
    expect(lib.firstOrderChange(g, u!, 0.1)).toBeCloseTo(-0.5, 12);
  });
});
