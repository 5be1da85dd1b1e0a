"use client";

import { useCallback } from "react";
import type { KeyboardEvent } from "react";
import { useAngleDrag } from "../hooks/use-angle-drag";
import { degrees, r2, wrapAngle } from "../lib/plot";

const DEG = Math.PI / 180;

/**
 * The direction control: a dial whose needle is the direction u of the next step. Drag or touch
 * around it to aim; with the keyboard, ←/→ (or ↓/↑) turn it by 5° (15° with Shift), +/− change
 * the step size η, Enter submits. It is an ARIA slider whose value is the angle in degrees.
 */
export function DirectionDial({
  angle,
  onAngle,
  eta,
  etaMax,
  onEta,
  onSubmit,
  disabled = false,
  label = "Direction of your step",
  reference,
  size = 168,
  valueDetail,
}: {
  /** Radians, counter-clockwise from +w. */
  angle: number;
  onAngle: (angle: number) => void;
  eta: number;
  etaMax: number;
  onEta: (eta: number) => void;
  onSubmit?: () => void;
  disabled?: boolean;
  label?: string;
  /** A reference direction drawn faintly on the dial (e.g. the gradient, when it is granted). */
  reference?: { angle: number; label: string } | null;
  size?: number;
  /** Read after the angle and η by screen readers (e.g. the predicted ΔL under the Taylor hint). */
  valueDetail?: string;
}) {
  const centre = useCallback((el: Element): [number, number] => {
    const r = el.getBoundingClientRect();
    return [r.left + r.width / 2, r.top + r.height / 2];
  }, []);
  const drag = useAngleDrag(centre, (a) => onAngle(wrapAngle(a)), disabled);

  const etaStep = etaMax / 20;
  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    if (disabled) return;
    const big = event.shiftKey ? 15 : 5;
    let handled = true;
    switch (event.key) {
      case "ArrowLeft":
      case "ArrowUp":
        onAngle(wrapAngle(snap(angle + big * DEG)));
        break;
      case "ArrowRight":
      case "ArrowDown":
        onAngle(wrapAngle(snap(angle - big * DEG)));
        break;
      case "PageUp":
        onAngle(wrapAngle(snap(angle + 45 * DEG)));
        break;
      case "PageDown":
        onAngle(wrapAngle(snap(angle - 45 * DEG)));
        break;
      case "Home":
        onAngle(0);
        break;
      case "+":
      case "=":
        onEta(clampEta(eta + etaStep, etaMax));
        break;
      case "-":
      case "_":
        onEta(clampEta(eta - etaStep, etaMax));
        break;
      case "Enter":
      case " ":
        onSubmit?.();
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  };

  const c = 100;
  const r = 84;
  const needle = 70 * (0.35 + 0.65 * Math.min(1, eta / etaMax));
  const nx = r2(c + Math.cos(angle) * needle);
  const ny = r2(c - Math.sin(angle) * needle);
  const deg = degrees(wrapAngle(angle)) % 360;

  return (
    <div className="dial-wrap">
      <svg
        className="dial"
        viewBox="0 0 200 200"
        width={size}
        height={size}
        role="slider"
        tabIndex={disabled ? -1 : 0}
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={359}
        aria-valuenow={deg}
        aria-valuetext={`${deg}°, step size η ${formatEta(eta)}${valueDetail ? `, ${valueDetail}` : ""}`}
        aria-disabled={disabled || undefined}
        aria-keyshortcuts="ArrowLeft ArrowRight + - Enter"
        data-testid="direction-dial"
        onKeyDown={onKeyDown}
        {...drag}
      >
        <circle cx={c} cy={c} r={r} className="dial-face" />
        {Array.from({ length: 24 }, (_, k) => {
          const a = (k * 15 * Math.PI) / 180;
          const inner = k % 6 === 0 ? r - 14 : r - 7;
          return (
            <line
              key={k}
              x1={r2(c + Math.cos(a) * inner)}
              y1={r2(c - Math.sin(a) * inner)}
              x2={r2(c + Math.cos(a) * r)}
              y2={r2(c - Math.sin(a) * r)}
              className="dial-tick"
            />
          );
        })}
        {reference ? (
          <line
            x1={c}
            y1={c}
            x2={r2(c + Math.cos(reference.angle) * (r - 4))}
            y2={r2(c - Math.sin(reference.angle) * (r - 4))}
            className="dial-reference"
          >
            <title>{reference.label}</title>
          </line>
        ) : null}
        <line x1={c} y1={c} x2={nx} y2={ny} className="dial-needle" />
        <circle cx={nx} cy={ny} r={11} className="dial-handle" />
        <circle cx={c} cy={c} r={5} className="dial-hub" />
      </svg>
      <span className="dial-caption" aria-hidden="true" data-testid="dial-angle">
        {deg}° · η {formatEta(eta)}
      </span>
    </div>
  );
}

/** η clamped to [η_max/20, η_max]: a step is never zero and never above the cap. */
export function clampEta(eta: number, etaMax: number): number {
  const lo = etaMax / 20;
  return Math.min(etaMax, Math.max(lo, Number(eta.toPrecision(6))));
}

/** η as shown: 3 significant digits. */
export function formatEta(eta: number): string {
  return Number(eta.toPrecision(3)).toString();
}

/** Round to a whole degree so repeated key presses land on exact angles (0°, 5°, …, 180°). */
function snap(angle: number): number {
  return Math.round(angle / DEG) * DEG;
}

/** The step-size slider η ∈ [η_max/20, η_max], labelled for screen readers. */
export function StepSize({
  eta,
  etaMax,
  onEta,
  disabled = false,
}: {
  eta: number;
  etaMax: number;
  onEta: (eta: number) => void;
  disabled?: boolean;
}) {
  return (
    <label className="step-size">
      <span>
        Step size <span className="math">η = {formatEta(eta)}</span>
        <span className="muted"> (max {formatEta(etaMax)})</span>
      </span>
      <input
        type="range"
        min={etaMax / 20}
        max={etaMax}
        step={etaMax / 100}
        value={eta}
        disabled={disabled}
        onChange={(e) => onEta(clampEta(Number(e.target.value), etaMax))}
        data-testid="step-size"
      />
    </label>
  );
}
