import { afterEach, describe, expect, it, vi } from "vitest";
import { createRng } from "../random";
import type { Vec2 } from "../types";
import { compileFormula, formulaSurface, formulaTrees } from "./formula";
import { generatedSource, UNARY } from "./formula-compile";
import type { CompiledFormula } from "./formula";
import { COMPILER_CASES, fnv1a } from "./formula-compile.cases";

/** Every value of a compiled formula at 400 seeded points of its box, in a fixed order. */
function outputs(f: CompiledFormula, min: readonly number[], max: readonly number[]): number[] {
  const rng = createRng(2024);
  const values: number[] = [];
  for (let i = 0; i < 400; i++) {
    const t: Vec2 = [rng.uniform(min[0]!, max[0]!), rng.uniform(min[1]!, max[1]!)];
    const g = f.functions.gradient(t);
    const h = f.functions.hessian(t);
    expect(f.functions.loss(t)).toBe(f.loss(t[0], t[1]));
    expect(h[0][1]).toBe(h[1][0]);
    values.push(f.loss(t[0], t[1]), g[0], g[1], h[0][0], h[0][1], h[1][1]);
  }
  return values;
}

function all(via: "generated" | "closures"): { values: number[]; vias: string[] } {
  const values: number[] = [];
  const vias: string[] = [];
  for (const c of COMPILER_CASES) {
    const f = compileFormula(c.text, via);
    vias.push(f.via);
    values.push(...outputs(f, c.min, c.max));
  }
  return { values, vias };
}

/**
 * The fingerprint of the closures of main before F16 (commit 94aa770, lib/surfaces/formula.ts),
 * on the same 400 points of each case: what stored formula rounds were played with.
 */
const PINNED = "3ae6cc8d";

describe("F16 compiled formulas: generated code, the same bits as the closures", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("F16 generated code and closures give the same bits at 3,200 points of 8 formulas", () => {
    const generated = all("generated");
    const closures = all("closures");
    expect(generated.vias.every((v) => v === "generated")).toBe(true);
    expect(closures.vias.every((v) => v === "closures")).toBe(true);
    expect(generated.values.length).toBe(8 * 400 * 6);
    expect(generated.values.every(Number.isFinite)).toBe(true);
    for (let i = 0; i < generated.values.length; i++) {
      // Object.is tells -0 from 0: the same bits, not merely equal numbers.
      if (!Object.is(generated.values[i], closures.values[i])) {
        expect.fail(`value ${i}: ${generated.values[i]} generated, ${closures.values[i]} closures`);
      }
    }
  });

  it("F16 both give the bits of the compiler stored rounds were played with (pinned)", () => {
    expect(fnv1a(all("generated").values)).toBe(PINNED);
    expect(fnv1a(all("closures").values)).toBe(PINNED);
  });

  it("F16 the generated source holds only the checked graph, never the typed text", () => {
    const text = "sin(3 w) + cos(b) / 7.25 + w^2.5e-1 + sqrt(pi) + 1e-7 b";
    expect(compileFormula(text).via).toBe("generated");
    const source = generatedSource(formulaTrees(text));
    expect(source).toMatch(/^[A-Za-z0-9_ \n.,:;=+\-*/()[\]{}]*$/);
    // Every identifier is a temporary, w, b, a function of the fixed table or the scaffolding.
    const scaffolding = new Set(["const", "return", "function", "P", "t", "w", "b", "c"]);
    for (const name of ["unary", "power", "pow", "scalar", "loss", "gradient", "hessian"]) {
      scaffolding.add(name);
    }
    const identifiers = new Set(source.match(/\b[A-Za-z_][A-Za-z0-9_]*/g));
    for (const id of identifiers) {
      const known =
        scaffolding.has(id) ||
        /^v\d+$/.test(id) ||
        (id.startsWith("f_") && id.slice(2) in UNARY) ||
        id in UNARY;
      expect(known, id).toBe(true);
    }
    expect(identifiers.has("f_sin") && identifiers.has("f_cos")).toBe(true);
    // sqrt(pi) is folded to a number; the constant 1e-7 is written as a number.
    expect(identifiers.has("f_sqrt")).toBe(false);
    expect(source).toContain("(1e-7)");
    // The surface is built with the same functions the formula compiles to.
    const s = formulaSurface({
      text: "(w - 1)^2 + (b + 2)^2",
      box: { min: [-4, -4], max: [4, 4] },
    });
    expect(s.loss([1, -2])).toBe(0);
    expect(s.gradient([3, 0])).toEqual([4, 4]);
  });

  it("F16 where run-time code is refused (CSP), the closures give the same values", () => {
    const reference = compileFormula("exp(-(w^2 + b^2)) + w^3 b", "generated");
    vi.stubGlobal(
      "Function",
      class {
        constructor() {
          throw new EvalError("Refused to evaluate a string as JavaScript (CSP)");
        }
      },
    );
    const f = compileFormula("exp(-(w^2 + b^2)) + w^3 b");
    expect(f.via).toBe("closures");
    for (const t of [
      [0.3, -0.2],
      [1.5, 2],
    ] as Vec2[]) {
      expect(f.loss(t[0], t[1])).toBe(reference.loss(t[0], t[1]));
      expect(f.functions.gradient(t)).toEqual(reference.functions.gradient(t));
      expect(f.functions.hessian(t)).toEqual(reference.functions.hessian(t));
    }
  });
});
