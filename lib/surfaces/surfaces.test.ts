import { describe, expect, it } from "vitest";
import { inBox } from "../geometry";
import { close } from "../numeric";
import { deriveSeed } from "../random";
import { DIFFICULTIES, type Surface, type Vec2 } from "../types";
import {
  descentFailures,
  finiteFailures,
  firstMismatch,
  gradientFailures,
  gridPoints,
  hessianFailures,
  minimaFailures,
  samplePoints,
} from "./checks";
import {
  ackley,
  getSurface,
  himmelblau,
  neuron,
  rosenbrock,
  sixHumpCamel,
  styblinskiTang,
  surfaceIds,
  surfaces,
  threeHumpCamel,
} from "./index";

/** Seed of every random sample of this file; each surface derives its own from it. */
const SEED = 20_260_101;
/** Random points per surface for the derivative checks. */
const POINTS = 1_000;

const seedFor = (id: string): number => deriveSeed(SEED, id);
const pointsFor = (surface: Surface, n = POINTS): Vec2[] =>
  samplePoints(surface.domain, n, seedFor(surface.id));

// ---------------------------------------------------------------------------------------------
// Independent reference formulas, written from the textbook definitions (expanded, unsimplified).

const sq = (x: number): number => x * x;
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
/** The seed article's data set (x, y) for the sigmoid neuron. */
const NEURON_DATA: readonly (readonly [number, number])[] = [
  [0.5, 0.2],
  [2.5, 0.9],
];

const REFERENCES: Readonly<Record<string, (w: number, b: number) => number>> = {
  booth: (x, y) => sq(x + 2 * y - 7) + sq(2 * x + y - 5),
  matyas: (x, y) => 0.26 * (x ** 2 + y ** 2) - 0.48 * x * y,
  neuron: (w, b) => 0.5 * NEURON_DATA.reduce((sum, [x, y]) => sum + sq(sigmoid(w * x + b) - y), 0),
  // ½ (26 p² + q²) in the eigenbasis p = (4x + 3y)/5, q = (−3x + 4y)/5, x = w − 1, y = b + 2.
  "ill-conditioned-bowl": (w, b) =>
    0.5 * (26 * sq((4 * (w - 1) + 3 * (b + 2)) / 5) + sq((-3 * (w - 1) + 4 * (b + 2)) / 5)),
  "three-hump-camel": (x, y) => 2 * x ** 2 - 1.05 * x ** 4 + x ** 6 / 6 + x * y + y ** 2,
  himmelblau: (x, y) => sq(x ** 2 + y - 11) + sq(x + y ** 2 - 7),
  "saddle-pass": (w, b) => 2 * sq(w ** 2 - 1) + b ** 2 / 2,
  "six-hump-camel": (x, y) =>
    (4 - 2.1 * x ** 2 + x ** 4 / 3) * x ** 2 + x * y + (-4 + 4 * y ** 2) * y ** 2,
  "styblinski-tang": (x, y) =>
    [x, y].reduce((sum, v) => sum + (v ** 4 - 16 * v ** 2 + 5 * v), 0) / 2,
  rosenbrock: (x, y) => sq(1 - x) + 100 * sq(y - x ** 2),
  "crescent-valley": (w, b) => sq(w ** 2 + b ** 2 - 4) + 0.5 * (sq(w - 2) + b ** 2),
  beale: (x, y) => sq(1.5 - x + x * y) + sq(2.25 - x + x * y ** 2) + sq(2.625 - x + x * y ** 3),
  plateau: (w, b) => {
    const r2 = sq(w - 1) + sq(b + 1);
    return 1 - Math.exp(-r2 / 2) + r2 / 200;
  },
  "goldstein-price": (x, y) =>
    (1 + sq(x + y + 1) * (19 - 14 * x + 3 * x ** 2 - 14 * y + 6 * x * y + 3 * y ** 2)) *
    (30 + sq(2 * x - 3 * y) * (18 - 32 * x + 12 * x ** 2 + 48 * y - 36 * x * y + 27 * y ** 2)),
  rastrigin: (x, y) =>
    10 * 2 + [x, y].reduce((sum, v) => sum + v ** 2 - 10 * Math.cos(2 * Math.PI * v), 0),
  ackley: (x, y) =>
    -20 * Math.exp(-0.2 * Math.sqrt((x ** 2 + y ** 2) / 2)) -
    Math.exp((Math.cos(2 * Math.PI * x) + Math.cos(2 * Math.PI * y)) / 2) +
    20 +
    Math.E,
};

/** Points where `surface.loss` differs from `reference` beyond 1e-10 relative. */
function lossFailures(
  surface: Surface,
  reference: (w: number, b: number) => number,
  points: readonly Vec2[],
): string[] {
  return points.flatMap((theta) => {
    const actual = surface.loss(theta);
    const expected = reference(theta[0], theta[1]);
    return firstMismatch([actual], [expected], 1e-10) < 0
      ? []
      : [`${surface.id} at θ = [${theta[0]}, ${theta[1]}]: L = ${actual}, textbook ${expected}`];
  });
}

/** The box's corners and centre, the start, the minima and (when inside) the origin. */
function landmarks(surface: Surface): Vec2[] {
  const { min, max } = surface.domain;
  const points: Vec2[] = [
    [min[0], min[1]],
    [min[0], max[1]],
    [max[0], min[1]],
    [max[0], max[1]],
    [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2],
    surface.start,
    ...surface.minima.map((m) => m.theta),
  ];
  if (inBox([0, 0], surface.domain)) points.push([0, 0]);
  return points;
}

// ---------------------------------------------------------------------------------------------

describe("the catalog", () => {
  const EXPECTED_IDS = [
    "booth",
    "matyas",
    "neuron",
    "ill-conditioned-bowl",
    "three-hump-camel",
    "himmelblau",
    "saddle-pass",
    "six-hump-camel",
    "styblinski-tang",
    "rosenbrock",
    "crescent-valley",
    "beale",
    "plateau",
    "goldstein-price",
    "rastrigin",
    "ackley",
  ];

  it("lists every required surface once, in kebab-case, and surfaceIds follows it", () => {
    expect(surfaceIds).toEqual(EXPECTED_IDS);
    expect(surfaces.map((s) => s.id)).toEqual(surfaceIds);
    expect(new Set(surfaceIds).size).toBe(surfaceIds.length);
    for (const id of surfaceIds) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(Object.keys(REFERENCES).sort()).toEqual([...surfaceIds].sort());
  });

  it("goes from easy to expert", () => {
    const ranks = surfaces.map((s) => DIFFICULTIES.indexOf(s.difficulty));
    expect(ranks.every((r) => r >= 0)).toBe(true);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(surfaces.map((s) => s.difficulty))).toEqual(new Set(DIFFICULTIES));
  });

  it("builds every surface with the same properties in the same order, frozen", () => {
    const keys = [
      "id",
      "name",
      "description",
      "formula",
      "loss",
      "gradient",
      "hessian",
      "domain",
      "minima",
      "start",
      "etaMax",
      "botEta",
      "difficulty",
    ];
    for (const s of surfaces) {
      expect(Object.keys(s), s.id).toEqual(keys);
      expect(Object.isFrozen(s) && Object.isFrozen(s.minima) && Object.isFrozen(s.start)).toBe(
        true,
      );
    }
  });

  it("getSurface returns each catalog surface by id", () => {
    for (const s of surfaces) expect(getSurface(s.id)).toBe(s);
  });

  it("getSurface names an unknown id and lists the valid ones", () => {
    expect(() => getSurface("nope")).toThrow(
      new Error(
        'Unknown surface "nope". Valid surfaces: booth, matyas, neuron, ill-conditioned-bowl, ' +
          "three-hump-camel, himmelblau, saddle-pass, six-hump-camel, styblinski-tang, rosenbrock, " +
          "crescent-valley, beale, plateau, goldstein-price, rastrigin, ackley",
      ),
    );
    expect(() => getSurface("")).toThrow('Unknown surface "". Valid surfaces: booth, ');
    expect(() => getSurface("Rosenbrock")).toThrow(/"Rosenbrock".*rosenbrock/);
  });
});

describe.each(surfaces)("$id", (surface) => {
  const points = pointsFor(surface);

  it("has a name, a 1–2 sentence description and a plain-text formula", () => {
    expect(surface.name.length).toBeGreaterThan(0);
    expect(surface.description.length).toBeGreaterThan(40);
    expect(
      surface.description.split(/[.!?](\s|$)/).filter((s) => s.trim()).length,
    ).toBeLessThanOrEqual(2);
    expect(surface.formula).toMatch(/^L\(w, b\) = /);
  });

  it("computes the textbook formula", () => {
    const reference = REFERENCES[surface.id];
    expect(reference).toBeDefined();
    if (!reference) return;
    expect(lossFailures(surface, reference, [...points, ...landmarks(surface)])).toEqual([]);
  });

  it(`has an analytic gradient that matches central differences at ${POINTS} points`, () => {
    expect(gradientFailures(surface, points)).toEqual([]);
  });

  it(`has an analytic Hessian that matches central differences of the gradient at ${POINTS} points`, () => {
    expect(hessianFailures(surface, points)).toEqual([]);
  });

  it("is finite (no NaN) at the corners, centre, start, minima, origin and on a 101×101 grid", () => {
    const probes = [...landmarks(surface), ...gridPoints(surface.domain, 101)];
    expect(finiteFailures(surface, probes)).toEqual([]);
  });

  it("lists every global minimum, exactly, and nothing on a 401×401 grid is lower", () => {
    const extraPoints = samplePoints(surface.domain, 20_000, seedFor(`${surface.id}/extra`));
    expect(minimaFailures(surface, { gridSize: 401, extraPoints })).toEqual([]);
  });

  it("starts inside the box, away from the minima, on a slope", () => {
    const { start, domain, etaMax } = surface;
    expect(inBox(start, domain)).toBe(true);
    const [gw, gb] = surface.gradient(start);
    expect(Math.hypot(gw, gb)).toBeGreaterThan(1e-3);
    const nearest = Math.min(
      ...surface.minima.map((m) => Math.hypot(m.theta[0] - start[0], m.theta[1] - start[1])),
    );
    // A player needs at least two full steps to get there.
    expect(nearest).toBeGreaterThan(etaMax);
    expect(surface.loss(start)).toBeGreaterThan(surface.minima[0]?.loss ?? Number.NaN);
  });

  it("has step sizes that fit the box", () => {
    const { domain, etaMax, botEta } = surface;
    const width = domain.max[0] - domain.min[0];
    const height = domain.max[1] - domain.min[1];
    expect(botEta).toBeGreaterThan(0);
    expect(etaMax).toBeGreaterThan(0);
    // 12 turns at η_max cross the box; one step spans at most half of it.
    expect(12 * etaMax).toBeGreaterThanOrEqual(Math.max(width, height));
    expect(etaMax).toBeLessThanOrEqual(Math.min(width, height) / 2);
  });

  it("lets the bot's gradient descent (η = botEta) go down steadily for 12 and 100 steps", () => {
    expect(descentFailures(surface, 12)).toEqual([]);
    expect(descentFailures(surface, 100)).toEqual([]);
  });
});

describe("published minima and values", () => {
  it("matches textbook spot values", () => {
    const spots: [string, Vec2, number][] = [
      ["rosenbrock", [-1.2, 1], 24.2],
      ["beale", [0, 0], 14.203125],
      ["goldstein-price", [0, 0], 600],
      ["himmelblau", [0, 0], 170],
      ["booth", [0, 0], 74],
      ["matyas", [1, 1], 0.04],
      ["rastrigin", [1, 0.5], 21.25],
      ["styblinski-tang", [1, 1], -10],
      ["three-hump-camel", [1, 0], 2 - 1.05 + 1 / 6],
      ["six-hump-camel", [1, 0], 4 - 2.1 + 1 / 3],
      ["ackley", [1, 1], 20 - 20 * Math.exp(-0.2)],
      ["ackley", [0, 0], 0],
      ["neuron", [0, 0], 0.125],
    ];
    for (const [id, theta, value] of spots) {
      expect(close(getSurface(id).loss(theta), value, 1e-12, 1e-12), `${id} at ${theta}`).toBe(
        true,
      );
    }
  });

  it("lists the published minimisers", () => {
    const near = (s: Surface, theta: Vec2, tol: number): boolean =>
      s.minima.some(
        (m) => Math.abs(m.theta[0] - theta[0]) <= tol && Math.abs(m.theta[1] - theta[1]) <= tol,
      );
    expect(himmelblau.minima).toHaveLength(4);
    for (const theta of [
      [3, 2],
      [-2.805118, 3.131312],
      [-3.77931, -3.283186],
      [3.584428, -1.848126],
    ] as const) {
      expect(near(himmelblau, theta, 1e-6), `himmelblau ${theta}`).toBe(true);
    }
    expect(sixHumpCamel.minima).toHaveLength(2);
    expect(near(sixHumpCamel, [0.0898, -0.7126], 1e-4)).toBe(true);
    expect(near(sixHumpCamel, [-0.0898, 0.7126], 1e-4)).toBe(true);
    expect(sixHumpCamel.minima[0]?.loss).toBe(sixHumpCamel.minima[1]?.loss);
    expect(sixHumpCamel.minima[0]?.loss).toBeCloseTo(-1.0316, 4);
    expect(near(styblinskiTang, [-2.903534, -2.903534], 1e-6)).toBe(true);
    expect(styblinskiTang.minima[0]?.loss).toBeCloseTo(-78.3323314, 6);
    expect(neuron.minima[0]?.theta[0]).toBeCloseTo(Math.log(6), 15);
    expect(neuron.minima[0]?.theta[1]).toBeCloseTo(-Math.log(4) - Math.log(6) / 2, 15);
    expect(getSurface("saddle-pass").minima).toHaveLength(2);
    for (const s of surfaces) {
      if (!["himmelblau", "six-hump-camel", "saddle-pass"].includes(s.id)) {
        expect(s.minima, s.id).toHaveLength(1);
      }
    }
  });

  it("fits the neuron's two data points exactly at its minimum", () => {
    const theta = neuron.minima[0]?.theta ?? [0, 0];
    expect(sigmoid(0.5 * theta[0] + theta[1])).toBeCloseTo(0.2, 14);
    expect(sigmoid(2.5 * theta[0] + theta[1])).toBeCloseTo(0.9, 14);
  });

  it("takes the subgradient 0 at the tip of Ackley's cone", () => {
    expect(ackley.gradient([0, 0])).toEqual([0, 0]);
    expect(ackley.loss([0, 0])).toBe(0);
    expect(ackley.hessian([0, 0]).flat().every(Number.isFinite)).toBe(true);
  });

  it("puts the saddle-pass start where the bot stalls for a round", () => {
    const s = getSurface("saddle-pass");
    let theta = s.start;
    for (let k = 0; k < 12; k++) {
      const [gw, gb] = s.gradient(theta);
      theta = [theta[0] - s.botEta * gw, theta[1] - s.botEta * gb];
    }
    // Still next to the saddle (0, 0), nowhere near the valleys at (±1, 0).
    expect(Math.abs(theta[0])).toBeLessThan(0.1);
    expect(s.loss(theta)).toBeGreaterThan(2);
  });
});

// ---------------------------------------------------------------------------------------------
// The checks above can fail: deliberately broken surfaces must be caught, with useful messages.

describe("the checks catch broken surfaces", () => {
  const broken = (base: Surface, patch: Partial<Surface>): Surface => ({ ...base, ...patch });

  it("a gradient with its sign flipped", () => {
    const s = broken(rosenbrock, {
      gradient: (t) => {
        const [gw, gb] = rosenbrock.gradient(t);
        return [-gw, -gb];
      },
    });
    const failures = gradientFailures(s, pointsFor(s));
    expect(failures.length).toBeGreaterThan(POINTS * 0.99);
    expect(failures[0]).toMatch(
      /^rosenbrock at θ = \[-?\d.*\]: ∂L\/∂w analytic .* vs central difference /,
    );
  });

  it("one wrong sign in one term: −2(1 − w) written +2(1 − w) in Rosenbrock", () => {
    const s = broken(rosenbrock, {
      gradient: ([w, b]) => [2 * (1 - w) - 400 * w * (b - w * w), 200 * (b - w * w)],
    });
    expect(gradientFailures(s, pointsFor(s)).length).toBeGreaterThan(POINTS / 2);
  });

  it("one coefficient off by 2%: 4.2w³ written 4.3w³ in the three-hump camel", () => {
    const s = broken(threeHumpCamel, {
      gradient: ([w, b]) => [4 * w - 4.3 * w ** 3 + w ** 5 + b, w + 2 * b],
    });
    expect(gradientFailures(s, pointsFor(s)).length).toBeGreaterThan(POINTS / 2);
  });

  it("a Hessian with a wrong off-diagonal sign, or asymmetric, or missing a term", () => {
    const flipped = broken(himmelblau, {
      hessian: (t) => {
        const [[a, c], [, d]] = himmelblau.hessian(t);
        return [
          [a, -c],
          [-c, d],
        ];
      },
    });
    expect(hessianFailures(flipped, pointsFor(flipped)).length).toBeGreaterThan(POINTS / 2);
    const asymmetric = broken(himmelblau, {
      hessian: (t) => {
        const [[a, c], [, d]] = himmelblau.hessian(t);
        return [
          [a, c],
          [c * (1 + 1e-9), d],
        ];
      },
    });
    expect(hessianFailures(asymmetric, [[1, 1]])).toEqual([
      expect.stringMatching(/^himmelblau at θ = \[1, 1\]: Hessian not symmetric/),
    ]);
    // Ackley's Hessian without the cone −20e^(−0.2r), keeping only the ripples.
    const noCone = broken(ackley, { hessian: rippleHessian });
    expect(hessianFailures(noCone, pointsFor(noCone)).length).toBeGreaterThan(POINTS / 2);
  });

  it("NaN in the gradient", () => {
    const s = broken(rosenbrock, { gradient: ([w]) => [w > 1.5 ? Number.NaN : 0, 0] });
    expect(gradientFailures(s, [[1.6, 0]])).toHaveLength(1);
    expect(finiteFailures(s, [[1.6, 0]])).toEqual([
      expect.stringMatching(/^rosenbrock at θ = \[1\.6, 0\]: L, ∇L, ∇²L = 655\.72\d*, NaN, 0, /),
    ]);
  });

  it("a listed minimum that is only local, a missing one, a short-digit one, a wrong L*", () => {
    const local = broken(styblinskiTang, {
      minima: [{ theta: [2.746802770990837, 2.746802770990837], loss: -50.0588933105679 }],
    });
    expect(minimaFailures(local).some((f) => / is not ≥ L\* = /.test(f))).toBe(true);

    const missing = broken(himmelblau, { minima: himmelblau.minima.slice(0, 3) });
    expect(minimaFailures(missing)).toEqual([
      expect.stringMatching(
        new RegExp(
          "^himmelblau: descending from the grid point θ = \\[.*\\] " +
            "reaches L\\(θ = \\[3\\.58442834033049\\d*, -1\\.84812652696440\\d*\\]\\) = \\S+, " +
            "a global minimum that is not listed$",
        ),
      ),
    ]);

    const short = broken(sixHumpCamel, {
      minima: sixHumpCamel.minima.map((m) => ({
        theta: [Number(m.theta[0].toFixed(4)), Number(m.theta[1].toFixed(4))] as const,
        loss: sixHumpCamel.loss([Number(m.theta[0].toFixed(4)), Number(m.theta[1].toFixed(4))]),
      })),
    });
    expect(minimaFailures(short).some((f) => /not ≈ 0|Newton step/.test(f))).toBe(true);

    const wrongLoss = broken(rosenbrock, { minima: [{ theta: [1, 1], loss: 0.1 }] });
    expect(minimaFailures(wrongLoss)[0]).toBe(
      "rosenbrock: minimum θ = [1, 1] lists L* = 0.1 but L(θ*) = 0",
    );
  });

  it("a bot learning rate that diverges", () => {
    const s = broken(rosenbrock, { botEta: 0.01 });
    expect(descentFailures(s, 100)[0]).toMatch(
      /^rosenbrock: gradient descent \(η = 0\.01\) raised the loss/,
    );
  });

  it("a loss that is not the textbook formula", () => {
    const s = broken(rosenbrock, { loss: ([w, b]) => sq(1 - w) + 101 * sq(b - w * w) });
    const reference = REFERENCES.rosenbrock ?? (() => Number.NaN);
    expect(lossFailures(s, reference, pointsFor(s)).length).toBeGreaterThan(POINTS / 2);
  });
});

/** Ackley's Hessian without its cone term: the ripple part only (for the sanity check above). */
function rippleHessian([w, b]: Vec2): readonly [Vec2, Vec2] {
  const e2 = Math.exp(0.5 * (Math.cos(2 * Math.PI * w) + Math.cos(2 * Math.PI * b)));
  const k = Math.PI ** 2 * e2;
  const sw = Math.sin(2 * Math.PI * w);
  const sb = Math.sin(2 * Math.PI * b);
  return [
    [k * (2 * Math.cos(2 * Math.PI * w) - sw * sw), -k * sw * sb],
    [-k * sw * sb, k * (2 * Math.cos(2 * Math.PI * b) - sb * sb)],
  ];
}
