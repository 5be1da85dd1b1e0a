"use client";

import { useMemo, useState } from "react";
import { dot, norm, stepWithinBox } from "../../lib/geometry";
import { sampleGrid } from "../../lib/grid";
import { illConditionedBowl } from "../../lib/surfaces/teaching";
import { neuron } from "../../lib/surfaces/neuron";
import {
  angleToGradient,
  firstOrderChange,
  quadraticForm,
  secondOrderChange,
} from "../../lib/taylor";
import type { Surface, Vec2 } from "../../lib/types";
import { ContourMap } from "../components/contour-map";
import { DirectionDial, StepSize, formatEta } from "../components/direction-dial";
import { placeMapLabels } from "../components/label-placement";
import { Arrow } from "../components/plot-layers";
import {
  degrees,
  formatDelta,
  formatLoss,
  r2,
  readBeta,
  screenDirection,
  toPixel,
  wrapAngle,
} from "../lib/plot";

const CHOICES: readonly { surface: Surface; point: Vec2 }[] = [
  { surface: neuron, point: [-1.5, 1] },
  { surface: illConditionedBowl, point: [-3, 1] },
];

/**
 * The seed's argument as two widgets on a real surface: turning u around θ shows the first-order
 * change η uᵀ∇L = η‖u‖‖∇L‖cos β (lowest at β = 180°), and stepping along −∇L shows the
 * second-order term (η²/2) uᵀ∇²L u taking over as η grows: the overshoot.
 */
export function LearnLab() {
  const [choice, setChoice] = useState(0);
  const { surface, point: initialPoint } = CHOICES[choice] as (typeof CHOICES)[number];
  const [theta, setTheta] = useState<Vec2>(initialPoint);
  const grid = useMemo(() => sampleGrid(surface, 256, 256), [surface]);
  const g = surface.gradient(theta);
  const h = surface.hessian(theta);
  const gAngle = Math.atan2(g[1], g[0]);
  // The dial starts along the gradient (β = 0°): turning it half a turn finds the minimum.
  const [angle, setAngle] = useState(() => snapDeg(gAngle));
  const [eta, setEta] = useState(surface.etaMax / 10);

  const reset = (next: number, point: Vec2) => {
    const s = (CHOICES[next] as (typeof CHOICES)[number]).surface;
    const gg = s.gradient(point);
    setChoice(next);
    setTheta(point);
    setAngle(snapDeg(Math.atan2(gg[1], gg[0])));
    setEta(s.etaMax / 10);
  };

  const u: Vec2 = [Math.cos(angle), Math.sin(angle)];
  const beta = angleToGradient(u, g);
  const first = firstOrderChange(g, u, eta);
  const second = secondOrderChange(g, h, u, eta);
  const l0 = surface.loss(theta);
  const landing = stepWithinBox(theta, u, eta, surface.domain);
  const actual = surface.loss(landing) - l0;
  const k = norm(u) * norm(g);

  return (
    <div className="lab">
      <div className="lab-controls">
        <label>
          Surface{" "}
          <select
            value={choice}
            onChange={(e) => reset(Number(e.target.value), CHOICES[Number(e.target.value)]!.point)}
          >
            {CHOICES.map((c, i) => (
              <option key={c.surface.id} value={i}>
                {c.surface.name}
              </option>
            ))}
          </select>
        </label>
        <p className="muted small">{surface.formula}</p>
      </div>

      <section className="card" aria-labelledby="turn-u">
        <h2 id="turn-u">Turn u around θ</h2>
        <p>
          The map is the surface (dark = low loss). The red arrow is ∇L at θ, the blue one is your
          direction u, scaled by η. Turn the dial (drag it, or focus it and press ← →) and watch the
          first-order change <span className="math">η uᵀ∇L = η‖u‖‖∇L‖ cos β</span>. Click the map to
          move θ.
        </p>
        <div className="lab-grid">
          <div
            className="lab-map"
            onClick={(e) => {
              const r = e.currentTarget.getBoundingClientRect();
              const fx = (e.clientX - r.left) / r.width;
              const fy = 1 - (e.clientY - r.top) / r.height;
              const d = surface.domain;
              const p: Vec2 = [
                d.min[0] + fx * (d.max[0] - d.min[0]),
                d.min[1] + fy * (d.max[1] - d.min[1]),
              ];
              setTheta(p);
            }}
          >
            <ContourMap
              grid={grid}
              minima={surface.minima.map((m) => m.theta)}
              label={`Contour map of ${surface.name} with the point θ, the gradient and the direction u`}
              overlay={(frame) => {
                const [x, y] = toPixel(frame, theta).map(r2) as [number, number];
                // The two labels are placed together, so they never overlap when u and ∇L point
                // the same way (issue 13).
                const tip = (a: number, length: number) => {
                  const [dx, dy] = screenDirection(frame, a);
                  return { x: x + dx * length, y: y + dy * length };
                };
                const [gLabel, uLabel] = placeMapLabels([
                  { key: "g", ...tip(gAngle, 150), text: "∇L" },
                  { key: "u", ...tip(angle, 120), text: "u" },
                ]);
                return (
                  <>
                    <line
                      x1={x}
                      y1={y}
                      x2={r2(toPixel(frame, landing)[0])}
                      y2={r2(toPixel(frame, landing)[1])}
                      stroke="#38bdf8"
                      strokeWidth={4}
                      strokeDasharray="10 8"
                    />
                    <Arrow
                      frame={frame}
                      from={theta}
                      angle={gAngle}
                      pixelLength={150}
                      colour="#f87171"
                      label="∇L"
                      labelAt={gLabel}
                    />
                    <Arrow
                      frame={frame}
                      from={theta}
                      angle={angle}
                      pixelLength={120}
                      colour="#38bdf8"
                      label="u"
                      labelAt={uLabel}
                    />
                    <circle cx={x} cy={y} r={14} fill="#f8fafc" stroke="#0f172a" strokeWidth={4} />
                  </>
                );
              }}
            />
          </div>
          <div className="lab-side">
            <div className="dial-row">
              <DirectionDial
                angle={angle}
                onAngle={setAngle}
                eta={eta}
                etaMax={surface.etaMax}
                onEta={setEta}
                label="Direction u (β is measured from the gradient)"
                reference={{ angle: gAngle, label: "gradient ∇L" }}
              />
              <div className="readouts" aria-live="polite">
                <div>
                  β ={" "}
                  <strong data-testid="learn-beta">
                    {beta === null ? "—" : `${degrees(beta)}°`}
                  </strong>
                </div>
                <div>
                  cos β ={" "}
                  <span className="math">{beta === null ? "—" : Math.cos(beta).toFixed(3)}</span>
                </div>
                <div>
                  first order η uᵀ∇L ={" "}
                  <strong className="math" data-testid="learn-first-order" data-value={first}>
                    {formatDelta(first)}
                  </strong>
                </div>
                <div>
                  range ±η‖u‖‖∇L‖ = <span className="math">±{formatLoss(eta * k)}</span>
                </div>
              </div>
            </div>
            <StepSize eta={eta} etaMax={surface.etaMax} onEta={setEta} />
            <p className="reading" data-testid="learn-reading">
              {beta === null
                ? "θ is a stationary point: every direction is flat to first order."
                : `β = ${degrees(beta)}°: ${readBeta(beta)}.`}
            </p>
            <button
              type="button"
              onClick={() => setAngle(snapDeg(gAngle + Math.PI))}
              data-testid="learn-steepest"
            >
              Point u opposite to the gradient (β = 180°)
            </button>
            <CosineChart surface={surface} theta={theta} eta={eta} gAngle={gAngle} angle={angle} />
            <dl className="feedback-grid">
              <div>
                <dt>first order</dt>
                <dd>{formatDelta(first)}</dd>
              </div>
              <div>
                <dt>+ second order</dt>
                <dd data-testid="learn-second-order">{formatDelta(second)}</dd>
              </div>
              <div>
                <dt>actual ΔL</dt>
                <dd data-testid="learn-actual">{formatDelta(actual)}</dd>
              </div>
            </dl>
          </div>
        </div>
      </section>

      <Overshoot surface={illConditionedBowl} theta={[-3, 1]} />
    </div>
  );
}

function snapDeg(a: number): number {
  return wrapAngle(Math.round((a * 180) / Math.PI) * (Math.PI / 180));
}

const CW = 360;
const CH = 170;

/**
 * First-order change against the direction, all the way round: η‖∇L‖cos φ where φ is the angle
 * from ∇L; the actual ΔL (dots) follows it for small η. The lowest point is φ = 180°.
 */
function CosineChart({
  surface,
  theta,
  eta,
  gAngle,
  angle,
}: {
  surface: Surface;
  theta: Vec2;
  eta: number;
  gAngle: number;
  angle: number;
}) {
  const g = surface.gradient(theta);
  const l0 = surface.loss(theta);
  const pts = Array.from({ length: 73 }, (_, i) => {
    const phi = (i * 5 * Math.PI) / 180;
    const a = gAngle + phi;
    const u: Vec2 = [Math.cos(a), Math.sin(a)];
    return {
      phi,
      first: eta * dot(u, g),
      actual: surface.loss(stepWithinBox(theta, u, eta, surface.domain)) - l0,
    };
  });
  const m = Math.max(1e-12, ...pts.map((p) => Math.max(Math.abs(p.first), Math.abs(p.actual))));
  const x = (phi: number) => 30 + (phi / (2 * Math.PI)) * (CW - 40);
  const y = (v: number) => CH / 2 - (v / m) * (CH / 2 - 14);
  const phiNow = wrapAngle(angle - gAngle);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${CW} ${CH + 18}`} aria-hidden="true">
        <line x1={30} x2={CW - 10} y1={y(0)} y2={y(0)} className="race-grid" />
        {[0, 90, 180, 270, 360].map((d) => (
          <text
            key={d}
            x={x((d * Math.PI) / 180)}
            y={CH + 12}
            textAnchor="middle"
            className="race-tick"
          >
            {d}°
          </text>
        ))}
        <line
          x1={x(Math.PI)}
          x2={x(Math.PI)}
          y1={6}
          y2={CH - 6}
          stroke="#4ade80"
          strokeDasharray="4 4"
        />
        <polyline
          points={pts.map((p) => `${r2(x(p.phi))},${r2(y(p.first))}`).join(" ")}
          fill="none"
          stroke="#38bdf8"
          strokeWidth={2.5}
        />
        {pts.map((p, i) =>
          i % 2 === 0 ? (
            <circle key={i} cx={r2(x(p.phi))} cy={r2(y(p.actual))} r={2.2} fill="#fbbf24" />
          ) : null,
        )}
        <circle
          cx={x(phiNow)}
          cy={y(eta * dot([Math.cos(angle), Math.sin(angle)], g))}
          r={6}
          fill="#f8fafc"
          stroke="#0f172a"
        />
      </svg>
      <figcaption className="small muted">
        Blue: first-order change η‖∇L‖cos φ as u turns by φ from ∇L (β = φ up to 180°). Dots: the
        actual ΔL. The green line is φ = 180°, the lowest point of the cosine.
      </figcaption>
    </figure>
  );
}

/**
 * Along u = −∇L/‖∇L‖, ΔL(η) against η: first order −η‖∇L‖ (a straight line, always down),
 * second order −η‖∇L‖ + (η²/2) uᵀ∇²L u (a parabola that turns back up), and the actual change.
 */
function Overshoot({ surface, theta }: { surface: Surface; theta: Vec2 }) {
  const g = surface.gradient(theta);
  const h = surface.hessian(theta);
  const gn = norm(g);
  const u: Vec2 = gn > 0 ? [-g[0] / gn, -g[1] / gn] : [1, 0];
  const curv = quadraticForm(h, u);
  const best = curv > 0 ? gn / curv : null;
  const etaTop = best !== null ? Math.min(surface.etaMax * 4, best * 3) : surface.etaMax;
  const [frac, setFrac] = useState(0.2);
  const eta = etaTop * frac;
  const l0 = surface.loss(theta);
  const f1 = (e: number) => -e * gn;
  const f2 = (e: number) => -e * gn + 0.5 * e * e * curv;
  const fa = (e: number) => surface.loss(stepWithinBox(theta, u, e, surface.domain)) - l0;
  const n = 60;
  const es = Array.from({ length: n + 1 }, (_, i) => (etaTop * i) / n);
  const vals = es.flatMap((e) => [f1(e), f2(e), fa(e)]).filter(Number.isFinite);
  const lo = Math.min(...vals);
  const hi = Math.max(...vals, 0);
  const x = (e: number) => 40 + (e / etaTop) * (CW - 50);
  const y = (v: number) => 10 + ((hi - v) / Math.max(1e-12, hi - lo)) * (CH - 20);
  const line = (f: (e: number) => number) =>
    es.map((e) => `${x(e).toFixed(1)},${y(f(e)).toFixed(1)}`).join(" ");
  return (
    <section className="card" aria-labelledby="overshoot">
      <h2 id="overshoot">Why big steps overshoot</h2>
      <p>
        On the {surface.name.toLowerCase()}, from θ = [{theta[0]}, {theta[1]}]:
      </p>
      <p className="formula">{surface.formula}</p>
      <p>
        Step along the steepest way down, <span className="math">u = −∇L/‖∇L‖</span>. The
        first-order term <span className="math">−η‖∇L‖</span> promises more drop for every bigger η,
        forever. The second-order term <span className="math">(η²/2) uᵀ∇²L u</span> grows with η²
        and, where the surface curves up, turns the drop back into a climb
        {best !== null ? (
          <>
            : the parabola is lowest at{" "}
            <span className="math">η ≈ ‖∇L‖ / uᵀ∇²L u = {formatEta(best)}</span>
          </>
        ) : null}
        . That is why η is kept small. (This surface is quadratic, so the second-order prediction is
        exact and its curve lies under the actual one.)
      </p>
      <figure className="chart">
        <svg viewBox={`0 0 ${CW} ${CH + 18}`} aria-hidden="true">
          <line x1={40} x2={CW - 10} y1={y(0)} y2={y(0)} className="race-grid" />
          <polyline points={line(f1)} fill="none" stroke="#38bdf8" strokeWidth={2.5} />
          <polyline
            points={line(f2)}
            fill="none"
            stroke="#c084fc"
            strokeWidth={2.5}
            strokeDasharray="6 5"
          />
          <polyline points={line(fa)} fill="none" stroke="#fbbf24" strokeWidth={3} />
          <line
            x1={r2(x(eta))}
            x2={r2(x(eta))}
            y1={6}
            y2={CH - 6}
            stroke="#f8fafc"
            strokeDasharray="3 4"
          />
          <text x={CW - 10} y={CH + 12} textAnchor="end" className="race-tick">
            η → {formatEta(etaTop)}
          </text>
          <text x={40} y={CH + 12} className="race-tick">
            0
          </text>
        </svg>
        <figcaption className="small">
          <span style={{ color: "#38bdf8" }}>first order</span> ·{" "}
          <span style={{ color: "#c084fc" }}>second order</span> ·{" "}
          <span style={{ color: "#fbbf24" }}>actual ΔL</span>
        </figcaption>
      </figure>
      <label className="step-size">
        <span>
          Step size <span className="math">η = {formatEta(eta)}</span>
        </span>
        <input
          type="range"
          min={0}
          max={1}
          step={0.01}
          value={frac}
          onChange={(e) => setFrac(Number(e.target.value))}
        />
      </label>
      <dl className="feedback-grid">
        <div>
          <dt>first order</dt>
          <dd>{formatDelta(f1(eta))}</dd>
        </div>
        <div>
          <dt>second order</dt>
          <dd>{formatDelta(f2(eta))}</dd>
        </div>
        <div>
          <dt>actual ΔL</dt>
          <dd className={fa(eta) > 0 ? "bad" : "good"}>{formatDelta(fa(eta))}</dd>
        </div>
      </dl>
      <p className="small muted">
        θ = [{theta[0].toFixed(2)}, {theta[1].toFixed(2)}], L(θ) = {formatLoss(l0)}.
      </p>
    </section>
  );
}
