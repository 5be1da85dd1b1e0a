import { describe, expect, it } from "vitest";
import { surfaces } from "../../lib/surfaces";
import { canonicalFingerprint, exactFingerprint, frameFingerprint } from "./fingerprint";
import type { Adversary } from "./fingerprint";
import { chanceThreshold, observe, surpriseRounds, truth } from "./harness";
import type { SurpriseRound } from "./harness";

/**
 * Issue 17, docs/SPEC.md T3 and T8: a bot that knows the whole catalog and sees only what a non-host
 * connection receives before the reveal (the first frame and its own first turn) must not tell
 * which catalog surface a surprise round is on better than chance.
 *
 * The bound: over n catalog rounds, a bot at chance (p = 1/16, the picker's catalog draw is
 * uniform) has Binomial(n, p) hits; the test fails when the hits reach the count that chance
 * reaches with probability at most ALPHA. The rounds are seeded, so the outcome is reproducible.
 */

const ALPHA = 1e-3;
const CHANCE = 1 / surfaces.length;
/** Surprise rounds drawn by the picker (about half land on the catalog). */
const ROUNDS = 4000;

function hits(adversary: Adversary, rounds: readonly SurpriseRound[]): number {
  return rounds.filter((r) => adversary(r.seen) === truth(r.ref)).length;
}

/** The same rounds as they were before transforms (the ref without its transform). */
function untransformed(rounds: readonly SurpriseRound[]): SurpriseRound[] {
  return rounds.map((r, i) => {
    const { transform: _transform, ...ref } = r.ref;
    return { ref, seen: observe(ref, i) };
  });
}

describe("T3, T8 a fingerprinting bot cannot tell the surface (issue 17)", () => {
  const rounds = surpriseRounds(17, ROUNDS);
  const n = rounds.length;
  const limit = chanceThreshold(n, CHANCE, ALPHA);

  it("draws enough catalog rounds for the bound to mean something", () => {
    expect(n).toBeGreaterThan(1800);
    // At chance 1/16 the limit is below 8.5 %: a bot identifying 1 surface in 11 fails.
    expect(limit / n).toBeLessThan(0.085);
  });

  it("the fifty-line bot (a table of every catalog first frame) is at chance, and was at 100 %", () => {
    const bot = exactFingerprint();
    expect(hits(bot, rounds)).toBeLessThan(limit);
    const before = untransformed(rounds);
    expect(hits(bot, before)).toBe(before.length);
  });

  it("a bot that learnt every catalog surface's first turn by heart is at chance, and was at 100 %", () => {
    const bot = canonicalFingerprint();
    expect(hits(bot, rounds)).toBeLessThan(limit);
    const before = untransformed(rounds);
    expect(hits(bot, before)).toBe(before.length);
  });

  it("a bot that also knows the transform's code and learns from its own simulated rounds cannot tell from the first frame", () => {
    const training = surpriseRounds(99, ROUNDS);
    const bot = frameFingerprint(training);
    expect(hits(bot, rounds)).toBeLessThan(limit);
    expect(hits(frameFingerprint(untransformed(training)), untransformed(rounds))).toBeGreaterThan(
      0.95 * n,
    );
  });
});
