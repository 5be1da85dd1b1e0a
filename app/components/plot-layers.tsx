import type { ReactNode } from "react";
import type { Vec2 } from "../../lib/types";
import { r2, screenDirection, screenVector, toPixel as rawToPixel } from "../lib/plot";
import type { Frame } from "../lib/plot";
import { placeMapLabels } from "./label-placement";

/**
 * SVG layers drawn over a map, in the map's logical frame (see {@link PLOT_SIZE}): paths, minima,
 * arrows. Pure presentation; every number comes from props.
 */

function toPixel(frame: Frame, theta: Vec2): [number, number] {
  const [x, y] = rawToPixel(frame, theta);
  return [r2(x), r2(y)];
}

/** The logical size of every map's SVG overlay (a square viewBox; CSS scales it). */
export const PLOT_SIZE = 1000;

/** One path on a map: a player's or the bot's positions θ₀, θ₁, … */
export interface PathSpec {
  readonly key: string;
  readonly label: string;
  readonly colour: string;
  readonly points: readonly Vec2[];
  readonly dashed?: boolean;
  /** Drawn thicker, on top. */
  readonly highlight?: boolean;
}

/** Paths cut to their first `step + 1` points (the animation's current turn). */
export function PathsLayer({
  frame,
  paths,
  step,
}: {
  frame: Frame;
  paths: readonly PathSpec[];
  step: number;
}) {
  const ordered = [...paths].sort(
    (a, b) => Number(a.highlight ?? false) - Number(b.highlight ?? false),
  );
  return (
    <g>
      {ordered.map((path) => {
        const shown = path.points.slice(0, Math.max(1, step + 1));
        const pts = shown.map((p) => toPixel(frame, p));
        const width = path.highlight ? 7 : 4.5;
        return (
          <g key={path.key}>
            <polyline
              points={pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ")}
              fill="none"
              stroke="#0f172a"
              strokeWidth={width + 4}
              strokeLinejoin="round"
              strokeLinecap="round"
              opacity={0.55}
            />
            <polyline
              points={pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ")}
              fill="none"
              stroke={path.colour}
              strokeWidth={width}
              strokeDasharray={path.dashed ? "14 10" : undefined}
              strokeLinejoin="round"
              strokeLinecap="round"
            />
            {pts.map(([x, y], i) => (
              <circle
                key={i}
                cx={x}
                cy={y}
                r={i === pts.length - 1 ? 11 : 6}
                fill={path.colour}
                stroke="#0f172a"
                strokeWidth={3}
              />
            ))}
          </g>
        );
      })}
      <PathLabels frame={frame} paths={ordered} step={step} />
    </g>
  );
}

/** The paths' names at their current ends, placed so that no two overlap (on top of every path). */
function PathLabels({
  frame,
  paths,
  step,
}: {
  frame: Frame;
  paths: readonly PathSpec[];
  step: number;
}) {
  // The highlighted path (you) is placed first: it gets the best spot.
  const inputs = [...paths]
    .reverse()
    .filter((p) => p.points.length > 0 && p.label !== "")
    .map((p) => {
      const shown = p.points.slice(0, Math.max(1, step + 1));
      const [x, y] = toPixel(frame, shown[shown.length - 1]!);
      return { key: p.key, x, y, text: p.label };
    });
  const placed = placeMapLabels(inputs, { size: 34, extent: PLOT_SIZE });
  const text = new Map(inputs.map((i) => [i.key, i.text]));
  return (
    <g data-testid="path-labels">
      {placed.map((l) => (
        <text
          key={l.key}
          x={l.x}
          y={l.y}
          textAnchor={l.anchor}
          className="plot-label"
          fill="#f8fafc"
          stroke="#0f172a"
          strokeWidth={8}
          paintOrder="stroke"
        >
          {text.get(l.key)}
        </text>
      ))}
    </g>
  );
}

/** Global minima as white stars with a dark outline. */
export function MinimaLayer({ frame, minima }: { frame: Frame; minima: readonly Vec2[] }) {
  return (
    <g aria-hidden="true">
      {minima.map((m, i) => {
        const [x, y] = toPixel(frame, m);
        return (
          <path
            key={i}
            d={starPath(x, y, 22, 9)}
            fill="#ffffff"
            stroke="#0f172a"
            strokeWidth={4}
            data-testid="minimum-marker"
          />
        );
      })}
    </g>
  );
}

/** An arrow from θ in direction `angle` (radians, counter-clockwise from +w). */
export function Arrow({
  frame,
  from,
  angle,
  length,
  colour,
  pixelLength,
  dashed,
  label,
  labelAt,
}: {
  frame: Frame;
  from: Vec2;
  angle: number;
  /** Length in θ units (ignored when pixelLength is given). */
  length?: number;
  /** Length in logical pixels. */
  pixelLength?: number;
  colour: string;
  dashed?: boolean;
  label?: ReactNode;
  /** Where the label goes (placeMapLabels), instead of beside the tip. */
  labelAt?: { readonly x: number; readonly y: number; readonly anchor: "start" | "end" | "middle" };
}) {
  const [x0, y0] = toPixel(frame, from);
  let dx: number;
  let dy: number;
  if (pixelLength !== undefined) {
    // The θ direction as it looks on this map (a box that is not square is drawn squashed).
    const [ux, uy] = screenDirection(frame, angle);
    dx = ux * pixelLength;
    dy = uy * pixelLength;
  } else {
    [dx, dy] = screenVector(frame, angle, length ?? 0);
  }
  const x1 = r2(x0 + dx);
  const y1 = r2(y0 + dy);
  const a = Math.atan2(dy, dx);
  const head = 26;
  const h1 = [r2(x1 - head * Math.cos(a - 0.45)), r2(y1 - head * Math.sin(a - 0.45))];
  const h2 = [r2(x1 - head * Math.cos(a + 0.45)), r2(y1 - head * Math.sin(a + 0.45))];
  return (
    <g>
      <line
        x1={x0}
        y1={y0}
        x2={x1}
        y2={y1}
        stroke="#0f172a"
        strokeWidth={11}
        strokeLinecap="round"
        opacity={0.6}
      />
      <line
        x1={x0}
        y1={y0}
        x2={x1}
        y2={y1}
        stroke={colour}
        strokeWidth={6}
        strokeLinecap="round"
        strokeDasharray={dashed ? "16 12" : undefined}
      />
      <polygon
        points={`${x1},${y1} ${h1[0]},${h1[1]} ${h2[0]},${h2[1]}`}
        fill={colour}
        stroke="#0f172a"
        strokeWidth={3}
      />
      {label ? (
        <text
          x={labelAt ? r2(labelAt.x) : r2(x1 + (dx >= 0 ? 14 : -14))}
          y={labelAt ? r2(labelAt.y) : r2(y1 + (dy >= 0 ? 34 : -14))}
          textAnchor={labelAt ? labelAt.anchor : dx >= 0 ? "start" : "end"}
          className="plot-label"
          fill={colour}
          stroke="#0f172a"
          strokeWidth={8}
          paintOrder="stroke"
        >
          {label}
        </text>
      ) : null}
    </g>
  );
}

function starPath(cx: number, cy: number, outer: number, inner: number): string {
  const pts: string[] = [];
  for (let k = 0; k < 10; k++) {
    const r = k % 2 === 0 ? outer : inner;
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    pts.push(`${(cx + r * Math.cos(a)).toFixed(1)},${(cy + r * Math.sin(a)).toFixed(1)}`);
  }
  return `M${pts.join("L")}Z`;
}
