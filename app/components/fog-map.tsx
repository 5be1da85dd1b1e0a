"use client";

import { useCallback, useMemo, useRef } from "react";
import type { ReactNode } from "react";
import { stepWithinBox } from "../../lib/geometry";
import type { Box, Vec2 } from "../../lib/types";
import { useAngleDrag } from "../hooks/use-angle-drag";
import { formatLoss, lossColour, lossNormaliser, toPixel } from "../lib/plot";
import type { Frame } from "../lib/plot";
import { Arrow, PLOT_SIZE } from "./plot-layers";

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
      return [r.left + (x / PLOT_SIZE) * r.width, r.top + (y / PLOT_SIZE) * r.height];
    },
    [frame, here],
  );
  const drag = useAngleDrag(centre, (a) => onAngle?.(a), disabled || !onAngle);

  const norm = useMemo(() => {
    const finite = losses.filter(Number.isFinite);
    return lossNormaliser(Math.min(...finite), Math.max(...finite));
  }, [losses]);
  const pts = path.map((p) => toPixel(frame, p));
  const landing = here ? stepWithinBox(here, [Math.cos(angle), Math.sin(angle)], eta, box) : null;
  const lastLoss = losses[losses.length - 1];

  return (
    <figure
      className="plot fog"
      role="img"
      aria-label={`Your map: ${path.length} visited point${path.length === 1 ? "" : "s"}, current loss ${formatLoss(lastLoss)}.${gradient ? " The red arrow is the gradient ∇L: downhill is the opposite way." : ""} Drag on the map to aim.`}
    >
      <svg
        ref={svgRef}
        className="plot-svg interactive"
        viewBox={`0 0 ${PLOT_SIZE} ${PLOT_SIZE}`}
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
        {here && gradient && (gradient[0] !== 0 || gradient[1] !== 0) ? (
          <g data-testid="gradient-arrow">
            <Arrow
              frame={frame}
              from={here}
              angle={Math.atan2(gradient[1], gradient[0])}
              pixelLength={170}
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
