/**
 * Where the names go on a map (issue 13: reveal labels never overlap). Each label tries spots
 * around its point (right-above first, then right-below, left-above, left-below, straight above
 * and below, then further out) and takes the first that stays inside the map and clear of the
 * labels already placed; as a last resort it stacks under the others. Pure: tested in tests/app.
 */
export interface LabelInput {
  readonly key: string;
  readonly x: number;
  readonly y: number;
  readonly text: string;
}

export interface PlacedLabel {
  readonly key: string;
  /** The text's anchor point (SVG `x`, `y` of a baseline) and its `text-anchor`. */
  readonly x: number;
  readonly y: number;
  readonly anchor: "start" | "end" | "middle";
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Rough width of a label in the map's units (bold sans at `size`). */
export function labelWidth(text: string, size: number): number {
  return [...text].length * size * 0.62;
}

export function placeMapLabels(
  labels: readonly LabelInput[],
  { size = 34, extent = 1000, gap = 16 }: { size?: number; extent?: number; gap?: number } = {},
): PlacedLabel[] {
  const placed: Box[] = [];
  const overlaps = (b: Box) =>
    placed.some((p) => b.x0 < p.x1 && b.x1 > p.x0 && b.y0 < p.y1 && b.y1 > p.y0);
  const inside = (b: Box) => b.x0 >= 0 && b.y0 >= 0 && b.x1 <= extent && b.y1 <= extent;
  const out: PlacedLabel[] = [];
  for (const label of labels) {
    const w = labelWidth(label.text, size);
    const boxOf = (x: number, y: number, anchor: PlacedLabel["anchor"]): Box => {
      const x0 = anchor === "start" ? x : anchor === "end" ? x - w : x - w / 2;
      return { x0, y0: y - size * 0.8, x1: x0 + w, y1: y + size * 0.25 };
    };
    const candidates: [number, number, PlacedLabel["anchor"]][] = [];
    for (const k of [1, 2, 3]) {
      const dy = (gap - 2) * k + (k - 1) * size * 0.6;
      candidates.push(
        [label.x + gap, label.y - dy, "start"],
        [label.x + gap, label.y + dy + size * 0.7, "start"],
        [label.x - gap, label.y - dy, "end"],
        [label.x - gap, label.y + dy + size * 0.7, "end"],
        [label.x, label.y - dy - gap, "middle"],
        [label.x, label.y + dy + gap + size * 0.7, "middle"],
      );
    }
    let chosen = candidates.find(([x, y, a]) => {
      const b = boxOf(x, y, a);
      return inside(b) && !overlaps(b);
    });
    if (!chosen) {
      // Stack below the lowest label, kept inside the map horizontally.
      const anchor: PlacedLabel["anchor"] = label.x + gap + w <= extent ? "start" : "end";
      const x = anchor === "start" ? label.x + gap : label.x - gap;
      const lowest = Math.max(label.y, ...placed.map((p) => p.y1));
      chosen = [x, Math.min(extent - size * 0.25, lowest + size), anchor];
    }
    placed.push(boxOf(...chosen));
    out.push({ key: label.key, x: chosen[0], y: chosen[1], anchor: chosen[2] });
  }
  return out;
}
