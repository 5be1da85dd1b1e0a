/** bench:rooms counts moves one by one (bench/stats.ts `movesCounted`), not as a net figure. */
import { describe, expect, it } from "vitest";
import { movesCounted } from "../../bench/stats";

describe("bench:rooms' move accounting", () => {
  it("a lost move and a move applied without its acknowledgement do not cancel out", () => {
    // Seat 0's turn-1 move was acknowledged and is missing from the reveal (lost); seat 1's was
    // applied but its acknowledgement died with a node. A net count (acked − applied) says 0.
    expect(
      movesCounted({
        ackedMoves: ["ROOM01:1:0:0", "ROOM01:1:0:1", "ROOM01:1:1:0"],
        appliedMoves: ["ROOM01:1:0:0", "ROOM01:1:0:1", "ROOM01:1:1:1"],
        extraMoves: 0,
      }),
    ).toEqual({ lost: 1, duplicated: 0, unacknowledged: 1 });
  });

  it("counts a seat and turn acknowledged or applied twice, and moves beyond the turns, as duplicated", () => {
    expect(
      movesCounted({
        ackedMoves: ["A:1:0:0", "A:1:0:0", "B:1:0:0"],
        appliedMoves: ["A:1:0:0", "B:1:0:0", "B:1:0:0"],
        extraMoves: 2,
      }),
    ).toEqual({ lost: 0, duplicated: 4, unacknowledged: 0 });
  });

  it("keeps rooms and rounds apart: the same seat and turn in another room or round is another move", () => {
    expect(
      movesCounted({
        ackedMoves: ["A:1:0:0", "A:2:0:0", "B:1:0:0"],
        appliedMoves: ["A:1:0:0", "A:2:0:0", "B:1:0:0"],
        extraMoves: 0,
      }),
    ).toEqual({ lost: 0, duplicated: 0, unacknowledged: 0 });
  });
});
