import { describe, expect, it } from "vitest";
import { resolveSurface, surfaceRefKey } from "./surface-ref";

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
