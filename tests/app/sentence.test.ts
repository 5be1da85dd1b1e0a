import { describe, expect, it } from "vitest";
import { sentence } from "../../app/lib/sentence";

describe("server messages as sentences (issue 13)", () => {
  it("say η_max, not EtaMax, and drop the event name", () => {
    expect(sentence("room:settings: etaMax must be at most 10, got 12")).toBe(
      "η_max must be at most 10, got 12",
    );
    expect(sentence("turns must be an integer from 1 to 100, got 500")).toBe(
      "Turns must be an integer from 1 to 100, got 500",
    );
    expect(sentence("secondsPerTurn must be at most 600")).toBe(
      "Seconds per turn must be at most 600",
    );
  });
});
