import { describe, expect, it } from "vitest";
import { computeStandings } from "./game";
import { nicknameKey } from "./index";

describe("nicknameKey", () => {
  it("folds case and compatibility forms, and nothing else", () => {
    expect(nicknameKey("Ann")).toBe(nicknameKey("ANN"));
    expect(nicknameKey("Ａｎｎ")).toBe(nicknameKey("ann")); // full-width letters
    expect(nicknameKey("ﬁona")).toBe(nicknameKey("FIONA")); // the "fi" ligature
    expect(nicknameKey("Ann")).not.toBe(nicknameKey("Anne"));
    expect(nicknameKey("Zoë")).not.toBe(nicknameKey("Zoe"));
  });

  it("is the order the standings break ties by", () => {
    const standings = computeStandings(
      [
        { key: "b", nickname: "bo", playerIds: [] },
        { key: "a", nickname: "Ａda", playerIds: [] },
        { key: "c", nickname: "ADA2", playerIds: [] },
      ],
      [],
    );
    expect(standings.map((s) => s.nickname)).toEqual(["Ａda", "ADA2", "bo"]);
  });
});
