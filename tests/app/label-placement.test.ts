import { describe, expect, it } from "vitest";
import { labelWidth, placeMapLabels } from "../../app/components/label-placement";

const box = (l: { x: number; y: number; anchor: string }, text: string, size = 34) => {
  const w = labelWidth(text, size);
  const x0 = l.anchor === "start" ? l.x : l.anchor === "end" ? l.x - w : l.x - w / 2;
  return { x0, x1: x0 + w, y0: l.y - size * 0.8, y1: l.y + size * 0.25 };
};

describe("map labels (issue 13: reveal labels never overlap)", () => {
  it("two players ending on the same point get two separate labels inside the map", () => {
    const inputs = [
      { key: "a", x: 300, y: 640, text: "Zoë" },
      { key: "b", x: 300, y: 640, text: "Benjamin Alexander" },
      { key: "bot", x: 310, y: 630, text: "bot" },
      { key: "c", x: 990, y: 10, text: "Corner case" },
    ];
    const placed = placeMapLabels(inputs);
    const boxes = placed.map((l, i) => box(l, inputs[i]!.text));
    for (let i = 0; i < boxes.length; i++) {
      const b = boxes[i]!;
      expect(
        b.x0 >= 0 && b.x1 <= 1000 && b.y0 >= 0 && b.y1 <= 1000,
        `${inputs[i]!.key} inside`,
      ).toBe(true);
      for (let j = 0; j < i; j++) {
        const o = boxes[j]!;
        const overlap = b.x0 < o.x1 && b.x1 > o.x0 && b.y0 < o.y1 && b.y1 > o.y0;
        expect(overlap, `${inputs[i]!.key} over ${inputs[j]!.key}`).toBe(false);
      }
    }
  });
});
