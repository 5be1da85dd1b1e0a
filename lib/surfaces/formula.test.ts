import { describe, expect, it } from "vitest";
import { centralGradient } from "../numeric";
import { compileFormula, formulaDifficulty, formulaSurface, FormulaError } from "./formula";
import { rosenbrock } from "./classic";
import type { Box } from "../types";

const box: Box = { min: [-1, -1], max: [1, 1] };

function refusal(text: string, b: Box = box): FormulaError {
  try {
    formulaSurface({ text, box: b });
  } catch (e) {
    if (e instanceof FormulaError) return e;
    throw e;
  }
  throw new Error(`accepted: ${text}`);
}

describe("formula surfaces (issue 14 §1)", () => {
  it.each([
    ["f(x) = 2", "assignment or function definition"],
    ["a = 2", "assignment or function definition"],
    ["[1,2]", "matrices"],
    ['"a"', "strings"],
    ["5 cm", 'unknown name "cm"'],
    ["w + q", 'unknown name "q"'],
    ["import(w)", "the function import"],
    ["evaluate(w)", "the function evaluate"],
    ["w!", "the operator !"],
    ["w" + " + w".repeat(60), "too long"],
    ["(".repeat(30) + "w" + ")".repeat(30), "too deep"],
  ])("F1 refuses %s with a message naming why", (text, message) => {
    const e = refusal(text);
    expect(e.check).toMatch(/whitelist|syntax/);
    expect(e.message).toContain(message);
  });

  it("F2 refuses a formula not finite on the box, saying where and why", () => {
    expect(refusal("1/w + b^2").message).toBe("not finite at w = 0, b = -1: division by zero");
    expect(refusal("log(w) + b^2").message).toContain("log of a number ≤ 0");
  });

  it("F4 refuses a formula whose lowest point is on the box's edge", () => {
    expect(refusal("3w + b^2").check).toBe("minimum");
  });

  it("F1 box: empty, inverted or huge boxes are refused", () => {
    expect(refusal("w^2", { min: [1, -1], max: [1, 1] }).message).toContain("w range is empty");
    expect(refusal("w^2", { min: [-1, 1], max: [1, -1] }).message).toContain("b range");
    expect(refusal("w^2", { min: [-1000, -1], max: [1000, 1] }).message).toContain("wider");
  });

  it("F3/F4 Rosenbrock typed as text: minimum at (1, 1) with loss 0, the catalog's loss and gradient", () => {
    const s = formulaSurface({
      text: "(1 - w)^2 + 100 (b - w^2)^2",
      box: { min: [-2, -1], max: [2, 3] },
    });
    expect(s.minima).toHaveLength(1);
    expect(s.minima[0]!.theta[0]).toBeCloseTo(1, 9);
    expect(s.minima[0]!.theta[1]).toBeCloseTo(1, 9);
    expect(s.minima[0]!.loss).toBeLessThan(1e-18);
    for (const t of [
      [0.3, -0.2],
      [-1.5, 2],
      [1.9, 0.1],
    ] as const) {
      expect(Math.abs(s.loss(t) - rosenbrock.loss(t))).toBeLessThan(1e-9);
      const g = s.gradient(t);
      const gc = rosenbrock.gradient(t);
      expect(Math.abs(g[0] - gc[0]) + Math.abs(g[1] - gc[1])).toBeLessThan(1e-9);
    }
    expect(s.botEta).toBeGreaterThan(0);
    const d = formulaDifficulty(s, 12);
    expect(d.distance).toBeGreaterThan(0);
    expect(d.botFinalLoss).toBeLessThan(d.startLoss);
  });

  it("F3 the compiled gradient agrees with central differences (implicit multiplication, sin, cos)", () => {
    const f = compileFormula("sin(3w) cos(2b) + 0.1 (w^2 + b^2)");
    const loss = (t: readonly [number, number]) => f.loss(t[0], t[1]);
    for (const t of [
      [0.4, -0.7],
      [-1.2, 2.1],
    ] as const) {
      const g = centralGradient(loss, t);
      const fg = f.functions.gradient(t);
      expect(fg[0]).toBeCloseTo(g[0], 6);
      expect(fg[1]).toBeCloseTo(g[1], 6);
    }
    const s = formulaSurface({
      text: "sin(3w) cos(2b) + 0.1 (w^2 + b^2)",
      box: { min: [-3, -3], max: [3, 3] },
    });
    expect(s.minima[0]!.loss).toBeLessThan(-0.9);
  });

  it("F4 a bowl with known minimum (w - 2)^2 + 3 (b + 1)^2 + 5", () => {
    const s = formulaSurface({
      text: "(w - 2)^2 + 3 (b + 1)^2 + 5",
      box: { min: [-4, -4], max: [4, 4] },
    });
    expect(s.minima[0]!.theta[0]).toBeCloseTo(2, 9);
    expect(s.minima[0]!.theta[1]).toBeCloseTo(-1, 9);
    expect(s.minima[0]!.loss).toBeCloseTo(5, 12);
  });
});
