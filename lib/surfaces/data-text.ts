/**
 * The class's points as text and back (docs/SPEC.md F9), for the settings forms: no neuron code,
 * so the lobby loads nothing of a surface.
 */

/** Points as text, one `x, y` a line. */
export function pointsText(points: readonly (readonly [number, number])[]): string {
  return points.map(([x, y]) => `${x}, ${y}`).join("\n");
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Points read from typed lines or pasted CSV: one point a line, `x,y`, `x;y`, `x y` or
 * tab-separated; blank lines and a first line of words (a header such as `x,y`) are skipped. A
 * line that is not two numbers is named by its number. The count and the ranges are checked by
 * lib/surfaces/data (`checkDataSpec`), on the server.
 */
export function readPoints(
  text: string,
): { ok: true; points: [number, number][] } | { ok: false; message: string } {
  const points: [number, number][] = [];
  const lines = String(text).split(/\r\n|\r|\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "") continue;
    const parts = line.split(/\s*[,;\t]\s*|\s+/).filter((p) => p !== "");
    if (points.length === 0 && parts.every((p) => /^[a-zA-Z_()]+$/.test(p))) continue;
    const nums = parts.map((p) => (NUMBER.test(p) ? Number(p) : NaN));
    if (nums.length !== 2 || !nums.every(Number.isFinite)) {
      return {
        ok: false,
        message: `Line ${i + 1} ("${line.slice(0, 40)}") is not two numbers x, y.`,
      };
    }
    points.push([nums[0]!, nums[1]!]);
  }
  return { ok: true, points };
}
