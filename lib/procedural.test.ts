import { describe, expect, it } from "vitest";
import { clampToBox, inBox } from "./geometry";
import { centralGradient, centralHessian } from "./numeric";
import {
  PROCEDURAL_DOMAIN,
  parseProceduralId,
  proceduralId,
  proceduralSurface,
  proceduralTerrain,
} from "./procedural";
import { euclid, newtonMinimize, symmetricEigenvalues } from "./procedural-search";
import {
  BUMP_STRIDE,
  TERRACE_STRIDE,
  terraceSlope,
  terrainFunctions,
  type Terrain,
} from "./procedural-terrain";
import { createRng } from "./random";
import { DIFFICULTIES, type Difficulty, type Hessian, type Surface, type Vec2 } from "./types";

const SEEDS = [1, 2, 3, 4, 5];
const CASES = DIFFICULTIES.flatMap((difficulty) => SEEDS.map((seed) => ({ seed, difficulty })));

const built = new Map<string, { surface: Surface; terrain: Terrain }>();
function make(seed: number, difficulty: Difficulty): { surface: Surface; terrain: Terrain } {
  const key = `${seed}/${difficulty}`;
  let entry = built.get(key);
  if (!entry) {
    entry = {
      surface: proceduralSurface(seed, { difficulty }),
      terrain: proceduralTerrain(seed, { difficulty }),
    };
    built.set(key, entry);
  }
  return entry;
}

const fmt = (theta: Vec2): string => `(${theta[0]}, ${theta[1]})`;

/**
 * The derivative-test points of a surface: 1,000 uniform in the box, plus 40 within two widths of
 * every bump and 100 on the plateau's band |B − h| ≤ 2ε, so that every term is exercised where it
 * is large.
 */
function testPoints(seed: number, terrain: Terrain): Vec2[] {
  const rng = createRng(seed * 7919 + 13);
  const { min, max } = PROCEDURAL_DOMAIN;
  const points: Vec2[] = [];
  for (let i = 0; i < 1000; i++) {
    points.push([rng.uniform(min[0], max[0]), rng.uniform(min[1], max[1])]);
  }
  for (let i = 0; i < terrain.bumps.length; i += BUMP_STRIDE) {
    const [, x, y, m11, m12, m22] = terrain.bumps.subarray(i, i + BUMP_STRIDE);
    const [lo] = symmetricEigenvalues([
      [m11!, m12!],
      [m12!, m22!],
    ]);
    const reach = 2 / Math.sqrt(lo); // two standard deviations along the long axis
    for (let k = 0; k < 40; k++) {
      points.push([x! + rng.uniform(-reach, reach), y! + rng.uniform(-reach, reach)]);
    }
  }
  if (terrain.plateaus > 0) {
    const base = terrainFunctions({ ...terrain, plateaus: 0, terraces: new Float64Array(0) });
    const [h, eps] = terrain.terraces.subarray(0, TERRACE_STRIDE);
    let found = 0;
    for (let tries = 0; tries < 200_000 && found < 100; tries++) {
      const theta: Vec2 = [rng.uniform(min[0], max[0]), rng.uniform(min[1], max[1])];
      if (Math.abs(base.loss(theta) - h!) <= 2 * eps!) {
        points.push(theta);
        found++;
      }
    }
  }
  return points;
}

/** |a − e| ≤ tol·max(1, scale), per component. */
function mismatch(a: readonly number[], e: readonly number[], scale: number, tol = 1e-6): boolean {
  return a.some((v, i) => !(Math.abs(v - e[i]!) <= tol * Math.max(1, scale)));
}

/**
 * Turn a surface's plain-text formula back into a function of (w, b): Unicode operators to
 * JavaScript, implicit products made explicit. Test-only (the formula comes from the library).
 */
function compileFormula(formula: string): (w: number, b: number) => number {
  const where = ", where s(z) = ½(1 + z/√(1 + z²)) and B(w, b) = ";
  const body = formula.replace(/^L\(w, b\) = /, "");
  const [outer, base] = body.includes(where) ? body.split(where) : ["B(w, b)", body];
  const js = (text: string): string =>
    text
      .replaceAll("B(w, b)", "B")
      .replaceAll("−", "-")
      .replaceAll("½[", "0.5*(")
      .replaceAll("[", "(")
      .replaceAll("]", ")")
      .replaceAll("²", "**2")
      .replaceAll("⁸", "**8")
      .replaceAll("·", "*")
      .replace(/(\d) (?=[(wbs])/g, "$1*")
      .replace(/\)\(/g, ")*(")
      .replace(/([wb])\(/g, "$1*(");
  const source = `const s = (z) => 0.5 * (1 + z / Math.sqrt(1 + z * z)); const B = ${js(base!)}; return ${js(outer!)};`;
  return new Function("w", "b", source) as (w: number, b: number) => number;
}

const flat = (h: Hessian): number[] => [h[0][0], h[0][1], h[1][0], h[1][1]];

describe("proceduralSurface: exact derivatives", () => {
  it.each(CASES)(
    "∇L matches central differences of L (seed $seed, $difficulty)",
    ({ seed, difficulty }) => {
      const { surface, terrain } = make(seed, difficulty);
      const failures: string[] = [];
      const points = testPoints(seed, terrain);
      expect(points.length).toBeGreaterThanOrEqual(1000);
      for (const theta of points) {
        const g = surface.gradient(theta);
        const fd = centralGradient(surface.loss, theta);
        const scale = Math.max(Math.abs(fd[0]), Math.abs(fd[1]));
        if (mismatch(g, fd, scale)) {
          failures.push(
            `seed ${seed} ${difficulty} at θ=${fmt(theta)}: ∇L=${fmt(g)}, central ${fmt(fd)}`,
          );
        }
      }
      expect(failures.slice(0, 5), `${failures.length} of ${points.length} points`).toEqual([]);
    },
  );

  it.each(CASES)(
    "∇²L matches central differences of ∇L (seed $seed, $difficulty)",
    ({ seed, difficulty }) => {
      const { surface, terrain } = make(seed, difficulty);
      const failures: string[] = [];
      const points = testPoints(seed, terrain);
      for (const theta of points) {
        const h = flat(surface.hessian(theta));
        const fd = flat(centralHessian(surface.gradient, theta));
        const scale = Math.max(...fd.map(Math.abs));
        if (mismatch(h, fd, scale)) {
          failures.push(
            `seed ${seed} ${difficulty} at θ=${fmt(theta)}: ∇²L=[${h}], central [${fd}]`,
          );
        }
      }
      expect(failures.slice(0, 5), `${failures.length} of ${points.length} points`).toEqual([]);
    },
  );

  it("∇²L is symmetric", () => {
    const { surface } = make(3, "expert");
    const h = surface.hessian([0.3, -1.7]);
    expect(h[0][1]).toBe(h[1][0]);
  });
});

describe("proceduralSurface: the stored global minimum", () => {
  it.each(CASES)(
    "is a strict minimum inside the box, lowest on a 301 × 301 grid (seed $seed, $difficulty)",
    ({ seed, difficulty }) => {
      const { surface } = make(seed, difficulty);
      const { min, max } = surface.domain;
      expect(surface.minima.length).toBeGreaterThanOrEqual(1);
      const lStar = surface.minima[0]!.loss;
      for (const m of surface.minima) {
        const where = `seed ${seed} ${difficulty} minimum ${fmt(m.theta)}`;
        expect(inBox(m.theta, surface.domain), where).toBe(true);
        expect(Math.abs(m.theta[0]) < 4.5 && Math.abs(m.theta[1]) < 4.5, where).toBe(true);
        expect(m.loss, where).toBe(surface.loss(m.theta));
        expect(Math.abs(m.loss - lStar), where).toBeLessThanOrEqual(
          1e-9 * Math.max(1, Math.abs(lStar)),
        );
        const g = surface.gradient(m.theta);
        expect(euclid(g[0], g[1]), where).toBeLessThan(1e-8);
        const [lo] = symmetricEigenvalues(surface.hessian(m.theta));
        expect(lo, where).toBeGreaterThan(0);
      }
      let lowest = Infinity;
      let at: Vec2 = [0, 0];
      for (let i = 0; i <= 300; i++) {
        for (let j = 0; j <= 300; j++) {
          const theta: Vec2 = [
            min[0] + (i / 300) * (max[0] - min[0]),
            min[1] + (j / 300) * (max[1] - min[1]),
          ];
          const value = surface.loss(theta);
          if (value < lowest) {
            lowest = value;
            at = theta;
          }
        }
      }
      expect(
        lowest,
        `seed ${seed} ${difficulty}: grid point ${fmt(at)} has L=${lowest} < L*=${lStar}`,
      ).toBeGreaterThanOrEqual(lStar);
    },
  );
});

describe("proceduralSurface: start, step sizes and the bot", () => {
  it.each(CASES)(
    "starts inside the box, far from θ*, on a slope; plain GD with botEta descends (seed $seed, $difficulty)",
    ({ seed, difficulty }) => {
      const { surface } = make(seed, difficulty);
      const where = `seed ${seed} ${difficulty} start ${fmt(surface.start)}`;
      const { min, max } = surface.domain;
      expect(inBox(surface.start, surface.domain), where).toBe(true);
      const diagonal = euclid(max[0] - min[0], max[1] - min[1]);
      for (const m of surface.minima) {
        const d = euclid(surface.start[0] - m.theta[0], surface.start[1] - m.theta[1]);
        expect(d, where).toBeGreaterThanOrEqual(0.4 * diagonal);
      }
      const g0 = surface.gradient(surface.start);
      expect(euclid(g0[0], g0[1]), where).toBeGreaterThanOrEqual(0.1);
      expect(surface.loss(surface.start) - surface.minima[0]!.loss, where).toBeGreaterThan(1);
      expect(surface.etaMax).toBeGreaterThan(0);
      expect(surface.botEta).toBeGreaterThan(0);

      let theta = surface.start;
      let value = surface.loss(theta);
      const first = value;
      for (let step = 0; step < 100; step++) {
        const g = surface.gradient(theta);
        theta = clampToBox(
          [theta[0] - surface.botEta * g[0], theta[1] - surface.botEta * g[1]],
          surface.domain,
        );
        const next = surface.loss(theta);
        expect(Number.isFinite(next), `${where}, step ${step}`).toBe(true);
        expect(next, `${where}, step ${step} at ${fmt(theta)}`).toBeLessThanOrEqual(
          value + 1e-12 * (1 + Math.abs(value)),
        );
        value = next;
      }
      expect(value, where).toBeLessThan(first);
    },
  );
});

describe("proceduralSurface: determinism", () => {
  it.each(DIFFICULTIES)("the same seed gives the same surface, bit for bit (%s)", (difficulty) => {
    const a = proceduralSurface(42, { difficulty });
    const b = proceduralSurface(42, { difficulty });
    expect(b.id).toBe(a.id);
    expect(b.formula).toBe(a.formula);
    expect(b.minima).toEqual(a.minima);
    expect(b.start).toEqual(a.start);
    expect(b.botEta).toBe(a.botEta);
    const rng = createRng(99);
    for (let i = 0; i < 100; i++) {
      const theta: Vec2 = [rng.uniform(-5, 5), rng.uniform(-5, 5)];
      expect(Object.is(a.loss(theta), b.loss(theta)), `θ=${fmt(theta)}`).toBe(true);
      expect(b.gradient(theta)).toEqual(a.gradient(theta));
      expect(b.hessian(theta)).toEqual(a.hessian(theta));
    }
  });

  it("different seeds give different surfaces", () => {
    for (const difficulty of DIFFICULTIES) {
      const surfaces = Array.from({ length: 30 }, (_, seed) =>
        proceduralSurface(seed, { difficulty }),
      );
      expect(new Set(surfaces.map((s) => s.id)).size).toBe(30);
      expect(new Set(surfaces.map((s) => s.formula)).size).toBe(30);
      expect(new Set(surfaces.map((s) => s.loss([0.5, -0.5]))).size).toBe(30);
    }
  });

  it("the same seed at two difficulties gives two surfaces", () => {
    expect(proceduralSurface(7, { difficulty: "easy" }).formula).not.toBe(
      proceduralSurface(7, { difficulty: "hard" }).formula,
    );
  });

  // Stored rounds name their surface by seed and difficulty: if these values change, every
  // procedural round already played changes with them (replays would drift). Change the
  // generator only together with a new id scheme.
  it("pins the generator's output for one seed", () => {
    const s = proceduralSurface(2024, { difficulty: "hard" });
    expect({
      id: s.id,
      start: s.start,
      botEta: s.botEta,
      etaMax: s.etaMax,
      minimum: s.minima[0],
      loss: s.loss([1, -2]),
    }).toMatchInlineSnapshot(`
      {
        "botEta": 0.12,
        "etaMax": 1.5,
        "id": "procedural-2024-hard",
        "loss": 0.08672469387615953,
        "minimum": {
          "loss": 0.0025903558675363925,
          "theta": [
            -1.944052987242605,
            -0.334406169713497,
          ],
        },
        "start": [
          3.65,
          2.16,
        ],
      }
    `);
  });

  it("works for every safe integer seed", () => {
    for (const seed of [
      0,
      -1,
      -123456789,
      2 ** 32,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
    ]) {
      const s = proceduralSurface(seed, { difficulty: "expert" });
      expect(s.id).toBe(`procedural-${seed}-expert`);
      expect(s.minima.length).toBeGreaterThan(0);
    }
    expect(proceduralSurface(-0).id).toBe("procedural-0-medium");
  });
});

describe("proceduralSurface: metadata", () => {
  it("defaults to medium", () => {
    expect(proceduralSurface(5).id).toBe("procedural-5-medium");
    expect(proceduralSurface(5).formula).toBe(
      proceduralSurface(5, { difficulty: "medium" }).formula,
    );
    expect(proceduralSurface(5, {}).difficulty).toBe("medium");
    expect(proceduralSurface(5, { difficulty: undefined }).difficulty).toBe("medium");
  });

  it.each(CASES)(
    "names, describes and writes the formula of what it drew (seed $seed, $difficulty)",
    ({ seed, difficulty }) => {
      const { surface, terrain } = make(seed, difficulty);
      expect(surface.id).toBe(proceduralId(seed, difficulty));
      expect(surface.name).toBe(`Procedural terrain #${seed} (${difficulty})`);
      expect(surface.difficulty).toBe(difficulty);
      expect(surface.domain).toEqual({ min: [-5, -5], max: [5, 5] });
      const words = ["no", "one", "two", "three", "four"];
      if (terrain.wells > 0) expect(surface.description).toContain(`${words[terrain.wells]} well`);
      if (terrain.ridges > 0)
        expect(surface.description).toContain(`${words[terrain.ridges]} ridge`);
      if (terrain.plateaus > 0) expect(surface.description).toContain("one plateau");
      else expect(surface.description).not.toContain("plateau");
      expect(surface.description).toContain(`seed ${seed}`);
      expect(surface.formula).toMatch(/^L\(w, b\) = /);
      expect(surface.formula).not.toMatch(/NaN|undefined|Infinity|e[+-]\d/);
      // One term per feature: the bumps are written as a/(1 + …)⁸.
      expect(surface.formula.split(")⁸").length - 1).toBe(terrain.wells + terrain.ridges);
      expect(surface.formula.includes("s((B(w, b)")).toBe(terrain.plateaus > 0);
    },
  );

  it.each(CASES)(
    "writes a formula that evaluates to L itself (seed $seed, $difficulty)",
    ({ seed, difficulty }) => {
      const { surface } = make(seed, difficulty);
      const evaluate = compileFormula(surface.formula);
      const rng = createRng(seed + 1000);
      for (let i = 0; i < 200; i++) {
        const theta: Vec2 = [rng.uniform(-5, 5), rng.uniform(-5, 5)];
        const expected = surface.loss(theta);
        expect(
          Math.abs(evaluate(theta[0], theta[1]) - expected),
          `seed ${seed} ${difficulty} at θ=${fmt(theta)}`,
        ).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(expected)));
      }
    },
  );

  it("draws what each difficulty promises", () => {
    const counts = (d: Difficulty) =>
      Array.from({ length: 40 }, (_, seed) => proceduralTerrain(seed, { difficulty: d }));
    const anisotropy = (t: Terrain): number => {
      const [lo, hi] = symmetricEigenvalues([
        [t.a11, t.a12],
        [t.a12, t.a22],
      ]);
      return hi / lo;
    };
    for (const t of counts("easy")) {
      expect(t.wells).toBeLessThanOrEqual(1);
      expect(t.ridges + t.plateaus).toBe(0);
      expect(anisotropy(t)).toBeLessThan(2.7);
      if (t.wells === 1) expect(-t.bumps[0]!).toBeLessThanOrEqual(0.5);
    }
    const expert = counts("expert");
    for (const t of expert) {
      expect(anisotropy(t)).toBeGreaterThan(9);
      expect(t.wells).toBeGreaterThanOrEqual(2);
      expect(t.ridges).toBeGreaterThanOrEqual(1);
    }
    expect(expert.filter((t) => t.plateaus === 1).length).toBeGreaterThan(25);
  });
});

describe("proceduralSurface: plateaus", () => {
  it("flatten the slope to 5% at their height and never create a critical point", () => {
    let seen = 0;
    for (let seed = 0; seed < 20; seed++) {
      const t = proceduralTerrain(seed, { difficulty: "hard" });
      if (t.plateaus === 0) continue;
      seen++;
      const [h, eps] = t.terraces.subarray(0, TERRACE_STRIDE);
      expect(terraceSlope(t, h!)).toBeCloseTo(0.05, 2);
      for (let i = -400; i <= 400; i++) {
        expect(terraceSlope(t, h! + (i / 20) * eps!)).toBeGreaterThan(0.02);
      }
    }
    expect(seen).toBeGreaterThan(10);
  });
});

describe("proceduralSurface: argument checks", () => {
  const allowed = "easy, medium, hard, expert";
  it.each([
    [1.5, RangeError, "proceduralSurface: seed must be a safe integer; got 1.5"],
    [Number.NaN, RangeError, "proceduralSurface: seed must be a safe integer; got NaN"],
    [Infinity, RangeError, "proceduralSurface: seed must be a safe integer; got Infinity"],
    [2 ** 53, RangeError, "proceduralSurface: seed must be a safe integer; got 9007199254740992"],
    ["7", TypeError, 'proceduralSurface: seed must be a safe integer; got "7"'],
    [undefined, TypeError, "proceduralSurface: seed must be a safe integer; got undefined"],
    [7n, TypeError, "proceduralSurface: seed must be a safe integer; got 7n"],
  ])("rejects the seed %s", (seed, type, message) => {
    expect(() => proceduralSurface(seed as number)).toThrow(type);
    expect(() => proceduralSurface(seed as number)).toThrow(message);
  });

  it.each([
    [
      { difficulty: "extreme" },
      RangeError,
      `proceduralSurface: difficulty must be one of ${allowed}; got "extreme"`,
    ],
    [
      { difficulty: "Easy" },
      RangeError,
      `proceduralSurface: difficulty must be one of ${allowed}; got "Easy"`,
    ],
    [
      { difficulty: 3 },
      TypeError,
      `proceduralSurface: difficulty must be one of ${allowed}; got 3`,
    ],
    [
      { difficulty: null },
      TypeError,
      `proceduralSurface: difficulty must be one of ${allowed}; got null`,
    ],
    [
      { level: "easy" },
      TypeError,
      'proceduralSurface: unknown option "level"; allowed options: difficulty',
    ],
    [
      { difficulty: "easy", wells: 3 },
      TypeError,
      'proceduralSurface: unknown option "wells"; allowed options: difficulty',
    ],
    [
      null,
      TypeError,
      "proceduralSurface: options must be an object with optional key difficulty; got null",
    ],
    [
      "hard",
      TypeError,
      'proceduralSurface: options must be an object with optional key difficulty; got "hard"',
    ],
    [
      ["hard"],
      TypeError,
      "proceduralSurface: options must be an object with optional key difficulty; got an array",
    ],
  ])("rejects the options %j", (options, type, message) => {
    expect(() => proceduralSurface(1, options as never)).toThrow(type);
    expect(() => proceduralSurface(1, options as never)).toThrow(message);
  });

  it("proceduralTerrain checks its arguments the same way", () => {
    expect(() => proceduralTerrain(0.5)).toThrow(
      "proceduralSurface: seed must be a safe integer; got 0.5",
    );
  });
});

describe("parseProceduralId", () => {
  it("round-trips the ids proceduralSurface makes", () => {
    for (const difficulty of DIFFICULTIES) {
      for (const seed of [0, 1, 42, -7, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
        const id = proceduralId(seed, difficulty);
        expect(parseProceduralId(id)).toEqual({ seed, difficulty });
      }
      const s = proceduralSurface(314, { difficulty });
      const parsed = parseProceduralId(s.id);
      expect(parsed).not.toBeNull();
      expect(proceduralSurface(parsed!.seed, { difficulty: parsed!.difficulty }).formula).toBe(
        s.formula,
      );
    }
  });

  it.each([
    "rosenbrock",
    "",
    "procedural-1",
    "procedural-1-extreme",
    "procedural-01-easy",
    "procedural--0-easy",
    "procedural-+1-easy",
    "procedural-1.5-easy",
    "procedural-1e3-easy",
    "procedural-9007199254740992-easy",
    "procedural-1-easy ",
    "Procedural-1-easy",
  ])("returns null for %j", (id) => {
    expect(parseProceduralId(id)).toBeNull();
  });
});

describe("procedural-search: newtonMinimize", () => {
  it("finds Rosenbrock's minimum (1, 1) from (−1.2, 1)", () => {
    const f = {
      loss: ([x, y]: Vec2) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
      gradient: ([x, y]: Vec2): Vec2 => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
      hessian: ([x, y]: Vec2): Hessian => [
        [2 - 400 * (y - x * x) + 800 * x * x, -400 * x],
        [-400 * x, 200],
      ],
    };
    const r = newtonMinimize(f, [-1.2, 1]);
    expect(r.theta[0]).toBeCloseTo(1, 10);
    expect(r.theta[1]).toBeCloseTo(1, 10);
    expect(r.gradNorm).toBeLessThan(1e-10);
    expect(r.minCurvature).toBeGreaterThan(0);
  });

  it("leaves a saddle: from near (0, 0) of x² − y² + y⁴/4 it reaches a minimum", () => {
    const f = {
      loss: ([x, y]: Vec2) => x * x - y * y + (y * y * y * y) / 4,
      gradient: ([x, y]: Vec2): Vec2 => [2 * x, -2 * y + y * y * y],
      hessian: ([, y]: Vec2): Hessian => [
        [2, 0],
        [0, -2 + 3 * y * y],
      ],
    };
    const r = newtonMinimize(f, [0.5, 1e-3]);
    expect(Math.abs(r.theta[1])).toBeCloseTo(Math.SQRT2, 10);
    expect(r.minCurvature).toBeGreaterThan(0);
  });
});
