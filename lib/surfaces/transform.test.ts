import { describe, expect, it } from "vitest";
import { createRound, reduce } from "../game";
import type { RoundEnv, RoundState } from "../game";
import { inBox } from "../geometry";
import { optimizers } from "../optimizers";
import { proceduralSurface } from "../procedural";
import { resolveSurface, surfaceInstanceKey, surfaceRefKey } from "../surface-ref";
import type { SurfaceRef } from "../surface-ref";
import type { Surface, Vec2 } from "../types";
import { gradientFailures, hessianFailures, minimaFailures, samplePoints } from "./checks";
import { getSurface, surfaces } from "./index";
import { drawTransform, transformLabel, transformMap, transformSurface } from "./transform";

const SEEDS = [1, 77, 4_000_000_123];
const withTransform = (id: string, seed: number, version?: 2): SurfaceRef => ({
  kind: "catalog",
  id,
  transform: version === undefined ? { seed } : { seed, version },
});
/** Version 1's parameters for Himmelblau and seed 42, as drawn before version 2 existed. */
const PINNED_V1 = {
  angleReflect: [234, true],
  start: [5.416966367641933, -1.0602330777229767],
  origin: [1.037703927948876, -1.2931285843140419],
};
/** Both drawings (T8): version 1 (absent) for stored rounds, version 2 for new ones. */
const VERSIONS = [undefined, 2] as const;

describe("T1 a ref without a transform is the surface as defined", () => {
  it("resolves to the catalog's own object, and the family key ignores the transform", () => {
    for (const s of surfaces) {
      expect(resolveSurface({ kind: "catalog", id: s.id })).toBe(s);
      const ref = withTransform(s.id, 5);
      expect(surfaceRefKey(ref)).toBe(`catalog:${s.id}`);
      expect(surfaceInstanceKey(ref)).toBe(`catalog:${s.id}~t5`);
      expect(surfaceRefKey(withTransform(s.id, 5, 2))).toBe(`catalog:${s.id}`);
      expect(surfaceInstanceKey(withTransform(s.id, 5, 2))).toBe(`catalog:${s.id}~t5v2`);
    }
  });

  it("refuses a malformed transform, naming it", () => {
    for (const transform of [
      { seed: -1 },
      { seed: 1.5 },
      { seed: 2 ** 32 },
      { seed: 1, x: 2 },
      { seed: 1, version: 1 },
      { seed: 1, version: 3 },
      { seed: 1, version: "2" },
      { version: 2 },
    ]) {
      const ref = { kind: "catalog", id: "booth", transform } as unknown as SurfaceRef;
      expect(() => resolveSurface(ref)).toThrow(/invalid surface transform/);
    }
  });

  it("is deterministic: the same seed gives the same parameters, another seed others", () => {
    const s = getSurface("himmelblau");
    expect(drawTransform(s, 42)).toEqual(drawTransform(s, 42));
    expect(drawTransform(s, 43)).not.toEqual(drawTransform(s, 42));
    expect(drawTransform(s, 42, 2)).toEqual(drawTransform(s, 42, 2));
    expect(drawTransform(s, 42, 2)).not.toEqual(drawTransform(s, 42));
  });

  it("T8: version 1 stays the drawing it was (a stored round's start does not move)", () => {
    // Pinned from the commit before version 2: Himmelblau, seed 42.
    const p = drawTransform(getSurface("himmelblau"), 42);
    expect([p.angle, p.reflect]).toEqual(PINNED_V1.angleReflect);
    expect(p.start).toEqual(PINNED_V1.start);
    expect(p.origin).toEqual(PINNED_V1.origin);
  });
});

const cases: [string, number, 2 | undefined, Surface][] = VERSIONS.flatMap((version) => [
  ...surfaces.flatMap((s) =>
    SEEDS.map((seed): [string, number, 2 | undefined, Surface] => [s.id, seed, version, s]),
  ),
  ["procedural-3-easy", 9, version, proceduralSurface(3, { difficulty: "easy" })],
  ["procedural-8-expert", 10, version, proceduralSurface(8, { difficulty: "expert" })],
]);

describe.each(cases)("T2–T5 %s, transform %i, version %s", (_id, seed, version, surface) => {
  const params = drawTransform(surface, seed, version);
  const shown = transformSurface(surface, params);
  const map = transformMap(params);
  const points = samplePoints(shown.domain, 200, seed);

  it("T2: maps loss, gradient and Hessian exactly (central differences)", () => {
    for (const p of points.slice(0, 20)) {
      expect(shown.loss(p)).toBeCloseTo(
        params.lossScale * surface.loss(map.back(p)) + params.lossOffset,
        9,
      );
    }
    expect(gradientFailures(shown, points)).toEqual([]);
    expect(hessianFailures(shown, points)).toEqual([]);
  });

  it("T4: keeps the field inside the original domain, around a global minimum", () => {
    for (const corner of [
      shown.domain.min,
      [shown.domain.max[0], shown.domain.min[1]] as Vec2,
      shown.domain.max,
      [shown.domain.min[0], shown.domain.max[1]] as Vec2,
    ]) {
      const back = map.back(corner);
      expect(back[0]).toBeGreaterThanOrEqual(surface.domain.min[0] - 1e-9);
      expect(back[0]).toBeLessThanOrEqual(surface.domain.max[0] + 1e-9);
      expect(back[1]).toBeGreaterThanOrEqual(surface.domain.min[1] - 1e-9);
      expect(back[1]).toBeLessThanOrEqual(surface.domain.max[1] + 1e-9);
    }
    expect(minimaFailures(shown, { gridSize: 101 })).toEqual([]);
    const width = shown.domain.max[0] - shown.domain.min[0];
    const height = shown.domain.max[1] - shown.domain.min[1];
    // Version 1: 0.3 × the width; version 2 (T8): 0.25 × the shorter side.
    const far = version === 2 ? 0.25 * Math.min(width, height) : 0.3 * width;
    for (const m of shown.minima) {
      expect(Math.hypot(m.theta[0] - shown.start[0], m.theta[1] - shown.start[1])).toBeGreaterThan(
        far * (1 - 1e-9),
      );
    }
    expect(inBox(shown.start, shown.domain)).toBe(true);
    expect(map.back(shown.start)[0]).toBeCloseTo(params.origin[0], 9);
  });

  it("T3: shows a frame from the surface-independent ranges", () => {
    const width = shown.domain.max[0] - shown.domain.min[0];
    const height = shown.domain.max[1] - shown.domain.min[1];
    expect(Math.log10(width)).toBeGreaterThanOrEqual(0.75);
    expect(shown.etaMax).toBeGreaterThan(1); // steps of up to 1 are always allowed
    expect(Math.log10(width)).toBeLessThanOrEqual(1.5);
    expect(Math.abs(Math.log(height / width))).toBeLessThanOrEqual(0.25);
    expect(width / shown.etaMax).toBeGreaterThanOrEqual(4.5);
    expect(width / shown.etaMax).toBeLessThanOrEqual(5.5);
    const g = shown.gradient(shown.start);
    const fullStep = Math.hypot(g[0], g[1]) * shown.etaMax;
    expect(fullStep).toBeGreaterThanOrEqual(2 * (1 - 1e-12));
    expect(fullStep).toBeLessThanOrEqual(50 * (1 + 1e-12));
    expect(shown.loss(shown.start)).toBeGreaterThanOrEqual(20 - 1e-9);
    expect(shown.loss(shown.start)).toBeLessThanOrEqual(200 + 1e-9);
  });

  it("T5: the bot's step is the catalog bot's step, mapped", () => {
    const state = optimizers.gd.init(shown.start);
    const next = optimizers.gd.step(state, shown, { eta: shown.botEta });
    const expected = optimizers.gd.step(optimizers.gd.init(params.origin), surface, {
      eta: surface.botEta,
    });
    const g = shown.gradient(shown.start);
    const free: Vec2 = [shown.start[0] - shown.botEta * g[0], shown.start[1] - shown.botEta * g[1]];
    // (A step that leaves the box is projected onto a different box on either side.)
    if (inBox(free, shown.domain)) {
      const back = map.back(next.theta);
      const scaleOf = Math.max(1, Math.hypot(expected.theta[0], expected.theta[1]));
      expect(Math.abs(back[0] - expected.theta[0]) / scaleOf).toBeLessThan(1e-9);
      expect(Math.abs(back[1] - expected.theta[1]) / scaleOf).toBeLessThan(1e-9);
    }
  });

  it("T6: is named for the reveal with its rotation", () => {
    expect(shown.name).toBe(transformLabel(surface.name, params));
    expect(shown.name).toMatch(
      new RegExp(`^${surface.name.replace(/[()]/g, "\\$&")}, rotated \\d+°`),
    );
    expect(shown.id).toBe(surface.id);
  });
});

describe("T8 the gradient's direction at θ₀ says nothing about the surface", () => {
  /** Pearson's correlation of θ₀'s place in the box with the direction of ∇L'(θ₀), per axis. */
  function lean(surface: Surface, version: 2 | undefined): number {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let seed = 1; seed <= 120; seed++) {
      const shown = transformSurface(surface, drawTransform(surface, seed * 7919, version));
      const { min, max } = shown.domain;
      const g = shown.gradient(shown.start);
      const n = Math.hypot(g[0], g[1]);
      xs.push(
        (shown.start[0] - min[0]) / (max[0] - min[0]),
        (shown.start[1] - min[1]) / (max[1] - min[1]),
      );
      ys.push(g[0] / n, g[1] / n);
    }
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const mx = mean(xs);
    const my = mean(ys);
    let c = 0;
    let vx = 0;
    let vy = 0;
    xs.forEach((x, i) => {
      c += (x - mx) * (ys[i]! - my);
      vx += (x - mx) ** 2;
      vy += (ys[i]! - my) ** 2;
    });
    return c / Math.sqrt(vx * vy);
  }

  it("version 1 leaned: on a bowl ∇L'(θ₀) pointed toward the nearer edges (the flaw T8 fixes)", () => {
    expect(lean(getSurface("plateau"), undefined)).toBeGreaterThan(0.6);
    expect(lean(getSurface("matyas"), undefined)).toBeGreaterThan(0.4);
  });

  it.each(surfaces.map((s) => s.id))("version 2, %s: no lean (|r| < 0.3 over 240 draws)", (id) => {
    expect(Math.abs(lean(getSurface(id), 2))).toBeLessThan(0.3);
  });
});

describe("T5 scores do not change under a transform (R13)", () => {
  const ME = "p";
  function play(ref: SurfaceRef, env: RoundEnv, moves: { angle: number; eta: number }[]) {
    const created = createRound(
      {
        surface: ref,
        settings: { turns: moves.length, bot: { optimizer: "none" } },
        seed: 1,
        players: [{ id: ME, nickname: "P" }],
      },
      env,
    );
    if (!created.ok) throw new Error(created.error.message);
    let state: RoundState = created.state;
    moves.forEach((m, turn) => {
      const moved = reduce(state, { type: "move", playerId: ME, ...m, at: turn, turn }, env);
      if (!moved.ok) throw new Error(moved.error.message);
      const resolved = reduce(moved.state, { type: "resolve", at: turn + 0.5, turn }, env);
      if (!resolved.ok) throw new Error(resolved.error.message);
      state = resolved.state;
    });
    return state;
  }

  it.each(surfaces.map((s) => s.id))("%s: the same moves score the same, shown or not", (id) => {
    const surface = getSurface(id);
    for (const seed of SEEDS) {
      const ref = withTransform(id, seed);
      const shown = resolveSurface(ref);
      const params = drawTransform(surface, seed);
      const map = transformMap(params);
      // The original surface started where the transform starts it (same box-free game: small
      // steps that never reach an edge), and the same moves mapped back.
      const original: Surface = {
        ...surface,
        start: params.origin,
        etaMax: params.etaMax / params.scale,
      };
      const env: RoundEnv = { resolveSurface: (r) => (r.transform ? shown : original) };
      const moves: { angle: number; eta: number }[] = [];
      let theta = shown.start;
      for (let k = 0; k < 5; k++) {
        const g = shown.gradient(theta);
        const angle = Math.atan2(-g[1], -g[0]) + 0.3 * (k - 2);
        const eta = shown.etaMax / 6;
        moves.push({ angle, eta });
        theta = [theta[0] + eta * Math.cos(angle), theta[1] + eta * Math.sin(angle)];
      }
      const mapped = moves.map((m) => {
        const a = map.back([
          shown.start[0] + Math.cos(m.angle),
          shown.start[1] + Math.sin(m.angle),
        ]);
        return {
          angle: Math.atan2(a[1] - params.origin[1], a[0] - params.origin[0]),
          eta: m.eta / params.scale,
        };
      });
      const a = play(ref, env, moves);
      const b = play({ kind: "catalog", id }, env, mapped);
      const fa = a.players[0]!.feedback;
      const fb = b.players[0]!.feedback;
      expect(fa.every((f) => !f.clamped)).toBe(true);
      expect(fb.every((f) => !f.clamped)).toBe(true);
      fa.forEach((f, i) => expect(Math.abs(f.beta! - fb[i]!.beta!)).toBeLessThan(1e-6)); // acos near π
      const ra = a.results!.ranking[0]!;
      const rb = b.results!.ranking[0]!;
      expect(Math.abs(ra.progress - rb.progress)).toBeLessThan(1e-9);
      expect(ra.score).toBe(rb.score);
      expect(ra.reachedTurn).toBe(rb.reachedTurn);
    }
  });
});
