import { describe, expect, it } from "vitest";
import {
  rememberFormulaSurface,
  resolveSurface,
  surfaceRefKey,
  surfaceRefOfKey,
} from "./surface-ref";
import type { SurfaceRef } from "./surface-ref";
import { analyseFormula, formulaSurface } from "./surfaces/formula";

describe("resolveSurface", () => {
  it("gives the same surface object for the same ref", () => {
    const ref = { kind: "procedural", seed: 5, difficulty: "easy" } as const;
    expect(resolveSurface({ ...ref })).toBe(resolveSurface(ref));
    expect(resolveSurface({ kind: "catalog", id: "ackley" }).id).toBe("ackley");
    expect(surfaceRefKey(ref)).toBe("procedural:5:easy");
  });

  it("keeps a surface in use while 300 others come and go (least recently used out first)", () => {
    const live = { kind: "procedural", seed: 1, difficulty: "easy" } as const;
    const first = resolveSurface(live);
    const other = resolveSurface({ kind: "procedural", seed: 2, difficulty: "easy" });
    for (let seed = 1000; seed < 1300; seed++) {
      resolveSurface({ kind: "procedural", seed, difficulty: "easy" });
      expect(resolveSurface(live)).toBe(first);
    }
    // Not used meanwhile: evicted, and made again (an equal surface, a new object).
    const again = resolveSurface({ kind: "procedural", seed: 2, difficulty: "easy" });
    expect(again).not.toBe(other);
    expect(again.loss([0.3, -0.2])).toBe(other.loss([0.3, -0.2]));
  });

  it("throws naming an unknown catalog id", () => {
    expect(() => resolveSurface({ kind: "catalog", id: "nope" })).toThrow(/Unknown surface "nope"/);
  });
});

describe("formula refs (docs/SPEC.md F6, F7)", () => {
  const ref = {
    kind: "formula",
    text: "sin(3w) cos(2b) + 0.1 (w^2 + b^2)",
    box: { min: [-3, -2.5], max: [3, 1e-3] },
  } as const satisfies SurfaceRef;

  it("F7 a formula's key names its box and text, and reads back as the same ref", () => {
    expect(surfaceRefKey(ref)).toBe("formula:-3,-2.5,3,0.001:sin(3w) cos(2b) + 0.1 (w^2 + b^2)");
    expect(surfaceRefOfKey(surfaceRefKey(ref))).toEqual(ref);
    for (const other of [
      { kind: "catalog", id: "booth" },
      { kind: "procedural", seed: 42, difficulty: "hard" },
    ] as const) {
      expect(surfaceRefOfKey(surfaceRefKey(other))).toEqual(other);
    }
  });

  it("F7 a surface built from an analysis made elsewhere (as JSON) is the one resolveSurface builds", () => {
    const spec = { text: "(w - 0.5)^2 + 2 (b + 0.25)^2 + 0.3 sin(2 w b)", box: ref.box };
    const direct = formulaSurface(spec);
    const analysis = JSON.parse(JSON.stringify(analyseFormula(spec))) as ReturnType<
      typeof analyseFormula
    >;
    const remembered = rememberFormulaSurface({ kind: "formula", ...spec }, analysis);
    expect(resolveSurface({ kind: "formula", ...spec })).toBe(remembered);
    expect(remembered.minima).toEqual(direct.minima);
    expect(remembered.start).toEqual(direct.start);
    expect(remembered.botEta).toBe(direct.botEta);
    expect(remembered.etaMax).toBe(direct.etaMax);
    for (const t of [direct.start, [0.1, -0.2], [-2.9, 0]] as const) {
      expect(remembered.loss(t)).toBe(direct.loss(t));
      expect(remembered.gradient(t)).toEqual(direct.gradient(t));
      expect(remembered.hessian(t)).toEqual(direct.hessian(t));
    }
  });

  it("F6 a formula ref with a transform is refused", () => {
    expect(() => resolveSurface({ ...ref, transform: { seed: 1 } })).toThrow(/no transform/);
  });

  it("F1 a formula ref that is no surface is refused with the check's message", () => {
    expect(() => resolveSurface({ ...ref, text: "1/w + b^2" })).toThrow(/division by zero/);
  });
});
