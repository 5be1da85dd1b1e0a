"use client";

import { useCallback, useMemo, useRef } from "react";
import type { ReactNode } from "react";
import { stepWithinBox } from "../../lib/geometry";
import type { Box, Vec2 } from "../../lib/types";
import { useAngleDrag } from "../hooks/use-angle-drag";
import {
  arrowLengthInside,
  formatLoss,
  fromPixel,
  lossColour,
  lossNormaliser,
  screenDirection,
  thetaAngle,
  toPixel,
} from "../lib/plot";
import type { Frame } from "../lib/plot";
import { Arrow, PLOT_SIZE } from "./plot-layers";

/** Room around the box in the picture, so a marker on its edge is drawn whole (radius 20 + 6). */
const PAD = 28;
/** The gradient arrow's length, shortened near an edge so that it and its label stay on the map. */
const GRADIENT_LENGTH = 170;
const GRADIENT_MIN_LENGTH = 60;
/** Room the ∇L label takes beyond the arrow's tip. */
const LABEL_ROOM = 80;

/**
 * Where the ∇L arrow goes: from your position, shortened near an edge so that it and its label
 * stay on the map; when even a short one would leave it (on the edge, the gradient pointing out),
 * drawn ending at your position instead, the same direction (issue 13).
 */
function placeGradientArrow(frame: Frame, here: Vec2, gradient: Vec2) {
  if (gradient[0] === 0 && gradient[1] === 0) return null;
  const angle = Math.atan2(gradient[1], gradient[0]);
  const at = toPixel(frame, here);
  const dir = screenDirection(frame, angle);
  const room = arrowLengthInside(at, dir, GRADIENT_LENGTH, 0, LABEL_ROOM, PLOT_SIZE);
  if (room >= GRADIENT_MIN_LENGTH) return { from: here, angle, length: room, labelAt: undefined };
  const tailPx: [number, number] = [
    at[0] - dir[0] * GRADIENT_LENGTH,
    at[1] - dir[1] * GRADIENT_LENGTH,
  ];
  // The label goes beyond the tail (the tip is on the edge).
  const labelAt = {
    x: tailPx[0] + (dir[0] >= 0 ? -14 : 14),
    y: tailPx[1] + (dir[1] >= 0 ? -14 : 34),
    anchor: dir[0] >= 0 ? ("end" as const) : ("start" as const),
  };
  return { from: fromPixel(frame, tailPx), angle, length: GRADIENT_LENGTH, labelAt };
}

/**
 * Your map in fog: the box you play in, dark except for the points you have visited, each
 * coloured by its loss, joined by your path. The dashed arrow is the step you are aiming (where
 * it would land, stopped at the edge as the rules do); drag or touch anywhere on the map to aim
 * it from your position. With the `gradient` hint the gradient arrow ∇L is drawn at your position.
 */
export function FogMap({
  box,
  path,
  losses,
  angle,
  eta,
  onAngle,
  gradient,
  disabled = false,
  children,
}: {
  box: Box;
  path: readonly Vec2[];
  losses: readonly number[];
  angle: number;
  eta: number;
  onAngle?: (angle: number) => void;
  /** The gradient at your position, when the hint shows its arrow. */
  gradient?: Vec2 | null;
  disabled?: boolean;
  children?: ReactNode;
}) {
  const frame: Frame = useMemo(() => ({ box, width: PLOT_SIZE, height: PLOT_SIZE }), [box]);
  const here = path[path.length - 1];
  const svgRef = useRef<SVGSVGElement>(null);
  const centre = useCallback(
    (el: Element): [number, number] => {
      const r = el.getBoundingClientRect();
      const [x, y] = here ? toPixel(frame, here) : [PLOT_SIZE / 2, PLOT_SIZE / 2];
      const side = PLOT_SIZE + 2 * PAD;
      return [r.left + ((x + PAD) / side) * r.width, r.top + ((y + PAD) / side) * r.height];
    },
    [frame, here],
  );
  // The drag's angle is on screen; the step's is in θ (they differ when the box is not square).
  const drag = useAngleDrag(centre, (a) => onAngle?.(thetaAngle(frame, a)), disabled || !onAngle);

  const norm = useMemo(() => {
    const finite = losses.filter(Number.isFinite);
    return lossNormaliser(Math.min(...finite), Math.max(...finite));
  }, [losses]);
  const pts = path.map((p) => toPixel(frame, p));
  const landing = here ? stepWithinBox(here, [Math.cos(angle), Math.sin(angle)], eta, box) : null;
  const lastLoss = losses[losses.length - 1];
  const gradientArrow = here && gradient ? placeGradientArrow(frame, here, gradient) : null;

  return (
    <figure
      className="plot fog"
      role="img"
      aria-label={`Your map: ${path.length} visited point${path.length === 1 ? "" : "s"}, current loss ${formatLoss(lastLoss)}.${gradient ? " The red arrow is the gradient ∇L: downhill is the opposite way." : ""} Drag on the map to aim.`}
    >
      <svg
        ref={svgRef}
        className="plot-svg interactive"
        viewBox={`${-PAD} ${-PAD} ${PLOT_SIZE + 2 * PAD} ${PLOT_SIZE + 2 * PAD}`}
        data-testid="fog-map"
        {...drag}
      >
        <rect x={0} y={0} width={PLOT_SIZE} height={PLOT_SIZE} className="fog-bg" />
        {Array.from({ length: 9 }, (_, k) => (
          <g key={k} className="fog-grid">
            <line x1={(k + 1) * 100} y1={0} x2={(k + 1) * 100} y2={PLOT_SIZE} />
            <line x1={0} y1={(k + 1) * 100} x2={PLOT_SIZE} y2={(k + 1) * 100} />
          </g>
        ))}
        <polyline
          points={pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ")}
          fill="none"
          stroke="#e2e8f0"
          strokeWidth={4}
          strokeLinejoin="round"
          opacity={0.8}
        />
        {pts.map(([x, y], i) => (
          <circle
            key={i}
            cx={x}
            cy={y}
            r={i === pts.length - 1 ? 20 : 13}
            fill={lossColour(norm(losses[i] ?? NaN))}
            stroke={i === pts.length - 1 ? "#f8fafc" : "#0f172a"}
            strokeWidth={i === pts.length - 1 ? 6 : 3}
          />
        ))}
        {here && gradientArrow ? (
          <g data-testid="gradient-arrow">
            <Arrow
              frame={frame}
              from={gradientArrow.from}
              angle={gradientArrow.angle}
              pixelLength={gradientArrow.length}
              labelAt={gradientArrow.labelAt}
              colour="#f87171"
              label="∇L"
            />
          </g>
        ) : null}
        {here && landing && !disabled ? (
          <>
            <line
              x1={toPixel(frame, here)[0]}
              y1={toPixel(frame, here)[1]}
              x2={toPixel(frame, landing)[0]}
              y2={toPixel(frame, landing)[1]}
              stroke="#38bdf8"
              strokeWidth={5}
              strokeDasharray="14 10"
            />
            <circle
              cx={toPixel(frame, landing)[0]}
              cy={toPixel(frame, landing)[1]}
              r={14}
              fill="none"
              stroke="#38bdf8"
              strokeWidth={5}
            />
            <Arrow frame={frame} from={here} angle={angle} pixelLength={90} colour="#38bdf8" />
          </>
        ) : null}
      </svg>
      {children}
    </figure>
  );
}
