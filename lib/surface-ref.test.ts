import { describe, expect, it } from "vitest";
import { surfaceFingerprint, surfaceFromScratch } from "./surface-fingerprint.cases";
import { prepareSurface } from "./surface-prep";
import {
  rememberFormulaSurface,
  rememberPreparedSurface,
  resolveSurface,
  surfaceRefKey,
  surfaceRefOfKey,
} from "./surface-ref";
import type { PreparableRef, SurfaceRef } from "./surface-ref";
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

describe("prepareSurface and rememberPreparedSurface (a round's surface made on another thread)", () => {
  const refs: PreparableRef[] = [
    { kind: "procedural", seed: 910_001, difficulty: "easy", transform: { seed: 7, version: 2 } },
    {
      kind: "procedural",
      seed: 910_002,
      difficulty: "hard",
      transform: { seed: 4_000_000_000, version: 2 },
    },
    { kind: "procedural", seed: 910_003, difficulty: "medium", transform: { seed: 12 } },
    { kind: "procedural", seed: 910_004, difficulty: "expert" },
    { kind: "catalog", id: "rosenbrock", transform: { seed: 910_005, version: 2 } },
    { kind: "catalog", id: "ackley", transform: { seed: 910_006, version: 2 } },
  ];

  it.each(refs)(
    "gives bit for bit resolveSurface's surface after a structured clone: %j",
    (ref) => {
      const prep = structuredClone(prepareSurface(ref));
      expect(prep.build !== undefined).toBe(ref.kind === "procedural");
      expect(prep.transform !== undefined).toBe(ref.transform !== undefined);
      const remembered = rememberPreparedSurface(ref, prep);
      expect(surfaceFingerprint(remembered)).toEqual(surfaceFingerprint(surfaceFromScratch(ref)));
      // Now in the cache resolveSurface reads: the same object.
      expect(resolveSurface({ ...ref })).toBe(remembered);
    },
  );

  it("uses the preparation instead of computing it again", () => {
    const ref = {
      kind: "procedural",
      seed: 910_101,
      difficulty: "medium",
      transform: { seed: 3, version: 2 },
    } as const;
    const prep = prepareSurface(ref);
    // A preparation that differs from what this thread would compute shows through: proof that
    // the costly parts were taken from it, not made again.
    const surface = rememberPreparedSurface(ref, {
      build: { ...prep.build!, botEta: 0.0123 },
      transform: { ...prep.transform!, lossOffset: prep.transform!.lossOffset + 1000 },
    });
    const honest = surfaceFromScratch(ref);
    expect(surface.loss(honest.start)).toBeCloseTo(honest.loss(honest.start) + 1000, 9);
    const family = resolveSurface({ kind: "procedural", seed: 910_101, difficulty: "medium" });
    expect(family.botEta).toBe(0.0123);
  });

  it("refuses what resolveSurface refuses, and formula and data refs", () => {
    expect(() => prepareSurface({ kind: "catalog", id: "nope" })).toThrow(/Unknown surface "nope"/);
    expect(() =>
      prepareSurface({ kind: "catalog", id: "ackley", transform: { seed: -1 } }),
    ).toThrow(/invalid surface transform/);
    const formula: SurfaceRef = {
      kind: "formula",
      text: "w^2 + b^2",
      box: { min: [-1, -1], max: [1, 1] },
    };
    expect(() => prepareSurface(formula)).toThrow(/not prepared ahead/);
    expect(() => prepareSurface({ kind: "procedural", seed: 1.5, difficulty: "easy" })).toThrow(
      /safe integer/,
    );
  });
});
