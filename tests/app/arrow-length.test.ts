import { describe, expect, it } from "vitest";
import {
  arrowLengthInside,
  fromPixel,
  screenDirection,
  thetaAngle,
  toPixel,
} from "../../app/lib/plot";
import type { Frame } from "../../app/lib/plot";

/** Issue 13 (polish): the fog map's arrows point where θ goes and stay on the map. */
describe("arrowLengthInside", () => {
  const right: [number, number] = [1, 0];
  it("keeps the full length in the middle of the map", () => {
    expect(arrowLengthInside([500, 500], right, 170, 60, 80)).toBe(170);
    expect(arrowLengthInside([500, 500], [-0.6, 0.8], 170, 60, 80)).toBe(170);
  });

  it("shortens an arrow that would leave the map, so its tip stays the margin inside", () => {
    // Pointing right from x = 900: room for 1000 − 80 − 900 = 20, at least 60.
    expect(arrowLengthInside([900, 500], right, 170, 60, 80)).toBe(60);
    // Pointing up the screen from y = 200: 200 − 80 = 120.
    expect(arrowLengthInside([500, 200], [0, -1], 170, 60, 80)).toBeCloseTo(120, 9);
    // Diagonally toward the bottom left corner from (150, 850): 70 / cos 45° on both axes.
    const d = Math.SQRT1_2;
    expect(arrowLengthInside([150, 850], [-d, d], 170, 10, 80)).toBeCloseTo(70 * Math.SQRT2, 9);
  });

  it("ignores the edges behind the arrow", () => {
    expect(arrowLengthInside([20, 500], right, 170, 60, 80)).toBe(170);
  });
});

describe("directions on a map whose box is not square", () => {
  // 10 wide, 5 high, drawn on a square: b is stretched twice as much as w.
  const frame: Frame = { box: { min: [0, 0], max: [10, 5] }, width: 1000, height: 1000 };

  it("draws a θ direction where a step that way lands", () => {
    const from: [number, number] = [4, 2];
    const angle = 0.6;
    const to: [number, number] = [from[0] + Math.cos(angle), from[1] + Math.sin(angle)];
    const [ax, ay] = toPixel(frame, from);
    const [bx, by] = toPixel(frame, to);
    const n = Math.hypot(bx - ax, by - ay);
    const [dx, dy] = screenDirection(frame, angle);
    expect(dx).toBeCloseTo((bx - ax) / n, 12);
    expect(dy).toBeCloseTo((by - ay) / n, 12);
  });

  it("turns a screen angle back into the θ angle it shows", () => {
    for (const angle of [0, 0.6, 2, -2.5]) {
      const [dx, dy] = screenDirection(frame, angle);
      expect(thetaAngle(frame, Math.atan2(-dy, dx))).toBeCloseTo(angle, 12);
    }
  });

  it("fromPixel inverts toPixel", () => {
    const p = fromPixel(frame, toPixel(frame, [3.5, 1.25]));
    expect(p[0]).toBeCloseTo(3.5, 12);
    expect(p[1]).toBeCloseTo(1.25, 12);
  });
});
