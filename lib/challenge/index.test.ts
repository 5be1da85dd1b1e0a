import { describe, expect, it } from "vitest";
import { challengeIdFromBytes, challengeIdSchema, resolveChallenge } from ".";

const ref = { kind: "procedural", seed: 42, difficulty: "medium", transform: { seed: 7 } } as const;

describe("challenge links (lib/challenge)", () => {
  it("C1: the id comes from random bytes alone, 10 characters of the id alphabet", () => {
    const a = challengeIdFromBytes(new Uint8Array(16).fill(0));
    const b = challengeIdFromBytes(Uint8Array.from({ length: 16 }, (_, i) => i * 37));
    expect(a).toBe("0000000000");
    expect(challengeIdSchema.safeParse(b).success).toBe(true);
    expect(b).not.toBe(a);
    expect(() => challengeIdFromBytes(new Uint8Array(3))).toThrow(/needs 10 bytes/);
    for (const bad of ["", "abc", "ABCDEFGHJK", "iiiiiiiiii", "0000000000x", 12]) {
      expect(challengeIdSchema.safeParse(bad).success).toBe(false);
    }
  });

  it("C2: a challenge resolves its settings as a round does (defaults applied, the ref kept)", () => {
    const result = resolveChallenge({ surface: ref, settings: { turns: 8, hint: "taylor" } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.surfaceKey).toBe("procedural:42:medium");
    expect(result.challenge.surface).toEqual(ref);
    expect(result.challenge.settings).toMatchObject({ turns: 8, hint: "taylor" });
    expect(result.challenge.settings.bot.optimizer).toBe("gd");
    // Resolving the stored value again gives the same value (opened = created).
    const again = resolveChallenge(result.challenge);
    expect(again.ok && again.challenge).toEqual(result.challenge);
  });

  it("C2: bad input is refused with a message naming the problem", () => {
    const cases: [unknown, RegExp][] = [
      [null, /must be \{ surface, settings \}/],
      [{ surface: ref, settings: {}, extra: 1 }, /unknown challenge field: extra/],
      [{ surface: { kind: "surprise" }, settings: {} }, /surface ref/],
      [{ surface: { kind: "catalog", id: "no-such-surface" }, settings: {} }, /no-such-surface/],
      [{ surface: { ...ref, transform: { seed: -1 } }, settings: {} }, /transform/],
      [{ surface: ref, settings: { turns: 0 } }, /turns must be an integer from 1 to 100/],
    ];
    for (const [input, message] of cases) {
      const result = resolveChallenge(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(message);
    }
  });
});
