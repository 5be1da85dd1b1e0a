/**
 * lib/math: the same bits in every engine (R16: a replay in the browser equals the server's), and
 * accurate. The digests below are of outputs on seeded inputs; they were also computed in
 * Chromium 156 (a bundle of this module in headless Chromium) and are the same there, while the
 * same digests of `Math.cos` and `Math.exp` differ between Node 20 and Chromium 156.
 */
import { describe, expect, it } from "vitest";
import { acos, atan, atan2, cos, exp, hypot, log, pow, sin } from "./math";
import { createRng } from "./random";

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** FNV-1a over the bits of the values. */
function digest(values: readonly number[]): string {
  let h = 2166136261;
  for (const v of values) {
    f64[0] = v;
    for (const w of [u32[0]!, u32[1]!]) h = Math.imul(h ^ w, 16777619) >>> 0;
  }
  return h.toString(16);
}

/** Distance in ulps of b from a (a finite, nonzero). */
function ulps(a: number, b: number): number {
  return Math.abs(a - b) / (Math.abs(a) * 2 ** -52);
}

const rng = () => createRng(20261203);

function samples(draw: (r: ReturnType<typeof createRng>) => number, n = 20_000): number[] {
  const r = rng();
  return Array.from({ length: n }, () => draw(r));
}

/** A number with a random exponent in [2⁻⁴⁰, 2⁴⁰) and sign. */
const wide = (r: ReturnType<typeof createRng>) =>
  (r.next() - 0.5) * 2 ** (Math.floor(r.next() * 80) - 40);

describe("lib/math", () => {
  it("gives fixed bits on seeded inputs (the same in every engine)", () => {
    const got = {
      exp: digest(samples((r) => exp(r.uniform(-60, 60)))),
      log: digest(samples((r) => log(Math.abs(wide(r))))),
      sin: digest(samples((r) => sin(r.uniform(-200, 200)))),
      cos: digest(samples((r) => cos(r.uniform(-200, 200)))),
      cosHuge: digest(samples((r) => cos((r.next() - 0.5) * 2 ** (20 + r.int(1000))))),
      atan2: digest(samples((r) => atan2(wide(r), wide(r)))),
      acos: digest(samples((r) => acos(r.uniform(-1, 1)))),
      hypot: digest(samples((r) => hypot(wide(r), wide(r)))),
      pow: digest(samples((r) => pow(r.uniform(0.8, 1), 1 + r.int(100)))),
    };
    expect(got).toMatchInlineSnapshot(`
      {
        "acos": "e0d1874e",
        "atan2": "8d63ee1f",
        "cos": "e03a330b",
        "cosHuge": "16be5cc1",
        "exp": "3f477e0d",
        "hypot": "b5822ecb",
        "log": "803e10a1",
        "pow": "74a44fc7",
        "sin": "5ea5885e",
      }
    `);
  });

  it("is within 1 ulp of the engine's Math (which is within 1 ulp of the true value)", () => {
    const r = rng();
    let worst = 0;
    for (let i = 0; i < 20_000; i++) {
      const x = r.uniform(-50, 50);
      const y = wide(r);
      const pairs: [number, number][] = [
        [Math.exp(x), exp(x)],
        [Math.log(Math.abs(y)), log(Math.abs(y))],
        [Math.sin(x), sin(x)],
        [Math.cos(x), cos(x)],
        [Math.atan(y), atan(y)],
        [Math.atan2(x, y), atan2(x, y)],
        [Math.acos(x / 50), acos(x / 50)],
        [Math.hypot(x, y), hypot(x, y)],
        [Math.abs(y) ** (x / 10), pow(Math.abs(y), x / 10)],
      ];
      for (const [a, b] of pairs)
        if (a !== 0 && Number.isFinite(a)) worst = Math.max(worst, ulps(a, b));
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it("handles the special values as Math does", () => {
    const specials = [
      0,
      -0,
      Infinity,
      -Infinity,
      NaN,
      1,
      -1,
      5e-324,
      -1e-310,
      1.7976931348623157e308,
      709.79,
      -745.2,
      Math.PI / 2,
      1e300,
    ];
    for (const x of specials) {
      expect(exp(x), `exp(${x})`).toBe(Math.exp(x));
      expect(log(x), `log(${x})`).toBe(Math.log(x));
      expect(sin(x), `sin(${x})`).toBe(Math.sin(x));
      expect(cos(x), `cos(${x})`).toBe(Math.cos(x));
      expect(atan(x), `atan(${x})`).toBe(Math.atan(x));
      expect(acos(x), `acos(${x})`).toBe(Math.acos(x));
      for (const y of specials) {
        expect(atan2(y, x), `atan2(${y}, ${x})`).toBe(Math.atan2(y, x));
        expect(hypot(y, x), `hypot(${y}, ${x})`).toBe(Math.hypot(y, x));
        expect(pow(y, x), `pow(${y}, ${x})`).toBe(y ** x);
      }
    }
    // Ackley's minimum is exactly 0 only if e¹ is exactly Math.E.
    expect(exp(1)).toBe(Math.E);
    expect(cos(0)).toBe(1);
    expect(exp(0)).toBe(1);
  });
});
