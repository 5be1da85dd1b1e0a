"use client";

import { useEffect, useId, useMemo, useState, useSyncExternalStore } from "react";
import type { RoundRecord } from "../../lib/game";
import { sampleGrid } from "../../lib/grid";
import { resolveSurface } from "../../lib/surface-ref";
import type { Vec2 } from "../../lib/types";
import type { CheckedParticipant, ReplayCheck } from "../../lib/game/replay-check";
import { formatLoss } from "../lib/plot";
import { ContourMap } from "./contour-map";
import { LossRace } from "./loss-race";
import type { RaceSeries } from "./loss-race";
import type { PathSpec } from "./plot-layers";
import type { ReplayTrack } from "./replay-tracks";

/** Grid resolution of the replay's contour map (the reveal's). */
const GRID = 256;

/** Playback speeds: milliseconds per turn. */
const SPEEDS = [
  { label: "0.5×", ms: 1000 },
  { label: "1×", ms: 500 },
  { label: "2×", ms: 250 },
  { label: "4×", ms: 125 },
] as const;

const noSubscribe = () => () => {};

/** True once the component runs in the browser (false while rendered on the server). */
function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
}

function formatTheta(theta: Vec2 | undefined): string {
  if (!theta) return "—";
  return `[${theta.map((v) => (Math.abs(v) < 1e-9 ? "0" : v.toFixed(3))).join(", ")}]`;
}

/** What the browser's own recomputation found (null while it runs). */
type BrowserCheck = Pick<ReplayCheck, "ok" | "moves"> & { readonly message?: string };

/**
 * The replay viewer: every path animated turn by turn on the revealed contour map with play /
 * pause / step / speed, players toggled on and off, a loss-per-turn chart, and a table of where
 * everyone stands at the shown turn. The paths come from the server's recomputation; after the
 * first paint the browser recomputes the round again from its record with lib/game's reducer (a
 * separate chunk: the rules and zod) and says whether that matches the stored results.
 */
export function ReplayViewer({
  record,
  participants,
  tracks,
  turns,
  initialTurn,
  surfaceName,
}: {
  /** lib/game's record of the round (players anonymised). */
  record: RoundRecord;
  /** What was stored: players by rank, then the bot. */
  participants: readonly CheckedParticipant[];
  /** The recomputed paths (empty when the record cannot be replayed). */
  tracks: readonly ReplayTrack[];
  /** The round's number of turns. */
  turns: number;
  /** The turn to open at (`?turn=N`); null: the last turn (every path complete). */
  initialTurn: number | null;
  surfaceName: string;
}) {
  const hydrated = useHydrated();
  const ids = useId();
  const [check, setCheck] = useState<BrowserCheck | null>(null);
  useEffect(() => {
    let live = true;
    import("../../lib/game/replay-check")
      .then(({ verifyReplay }) => {
        const result = verifyReplay({ record, participants });
        return {
          ok: result.ok,
          moves: result.moves,
          ...(result.ok ? {} : { message: result.message }),
        };
      })
      .catch((error: unknown) => ({
        ok: false,
        moves: 0,
        message: `the rules could not be loaded (${error instanceof Error ? error.message : String(error)})`,
      }))
      .then((result) => {
        if (live) setCheck(result);
      });
    return () => {
      live = false;
    };
  }, [record, participants]);
  const surface = useMemo(() => {
    try {
      return resolveSurface(record.surface);
    } catch {
      return null;
    }
  }, [record.surface]);
  const grid = useMemo(
    () => (surface ? sampleGrid(surface, GRID, GRID, surface.domain) : null),
    [surface],
  );

  const [step, setStep] = useState(() => Math.min(turns, initialTurn ?? turns));
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => new Set());
  const ms = SPEEDS[speed]?.ms ?? 500;

  useEffect(() => {
    if (!playing) return;
    const timer = window.setInterval(() => {
      setStep((s) => {
        if (s >= turns) {
          setPlaying(false);
          return s;
        }
        return s + 1;
      });
    }, ms);
    return () => window.clearInterval(timer);
  }, [playing, turns, ms]);

  const shown = tracks.filter((t) => !hidden.has(t.key));
  const paths: PathSpec[] = shown.map((t) => ({
    key: t.key,
    label: t.isBot ? "bot" : t.label,
    colour: t.colour,
    points: t.path,
    dashed: t.isBot,
  }));
  const series: RaceSeries[] = shown.map((t) => ({
    key: t.key,
    label: t.label,
    colour: t.colour,
    losses: t.losses.slice(0, step + 1),
    dashed: t.isBot,
  }));

  const goTo = (next: number) => {
    setPlaying(false);
    setStep(Math.max(0, Math.min(turns, next)));
  };
  const togglePlay = () => {
    if (playing) {
      setPlaying(false);
      return;
    }
    if (step >= turns) setStep(0);
    setPlaying(true);
  };
  const disabled = !hydrated || tracks.length === 0;

  return (
    <section className="rp-viewer" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className="sr-only">
        Replay
      </h2>
      <p
        className={`rp-check ${check === null ? "muted" : check.ok ? "good" : "bad"}`}
        role={check === null || check.ok ? "status" : "alert"}
        data-testid="replay-check-browser"
        data-ok={check === null ? undefined : String(check.ok)}
      >
        {check === null
          ? "Recomputing the round in your browser…"
          : check.ok
            ? `Your browser recomputed the round from its ${check.moves} moves with the game's rules too: every final loss, score and rank matches.`
            : `Your browser's recomputation does not match what was stored: ${check.message}`}
      </p>

      <div className="rp-viewer-grid">
        <div className="rp-map">
          {grid ? (
            <ContourMap
              grid={grid}
              paths={paths}
              step={step}
              minima={surface?.minima.map((m) => m.theta) ?? []}
              label={`Contour map of ${surfaceName} with ${shown.length} path${shown.length === 1 ? "" : "s"} up to turn ${step} of ${turns}; global minima marked with stars`}
            />
          ) : (
            <p className="card bad" role="alert">
              The surface of this round cannot be drawn: {JSON.stringify(record.surface)} is unknown
              to this version of the game.
            </p>
          )}
          <div className="replay-controls rp-controls" role="group" aria-label="Playback">
            <button
              type="button"
              className="secondary"
              onClick={() => goTo(0)}
              disabled={disabled || step === 0}
              aria-label="Go to the start"
              data-testid="replay-start"
            >
              Start
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => goTo(step - 1)}
              disabled={disabled || step === 0}
              aria-label="Step back one turn"
              data-testid="replay-back"
            >
              ◀ Back
            </button>
            <button
              type="button"
              onClick={togglePlay}
              disabled={disabled}
              aria-pressed={playing}
              data-testid="replay-play"
            >
              {playing ? "Pause" : step >= turns ? "Replay" : "Play"}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => goTo(step + 1)}
              disabled={disabled || step >= turns}
              aria-label="Step forward one turn"
              data-testid="replay-forward"
            >
              Forward ▶
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => goTo(turns)}
              disabled={disabled || step >= turns}
              aria-label="Go to the last turn"
              data-testid="replay-end"
            >
              End
            </button>
          </div>
          <div className="rp-scrub">
            <output
              htmlFor={`${ids}-turn`}
              aria-live={playing ? "off" : "polite"}
              className="rp-turn"
              data-testid="replay-turn"
            >
              Turn {step} of {turns}
            </output>
            <input
              id={`${ids}-turn`}
              type="range"
              min={0}
              max={turns}
              step={1}
              value={step}
              disabled={disabled}
              aria-label="Turn"
              aria-valuetext={`Turn ${step} of ${turns}`}
              onChange={(e) => goTo(Number(e.target.value))}
              data-testid="replay-slider"
            />
            <label className="rp-speed">
              <span>Speed</span>
              <select
                value={speed}
                disabled={disabled}
                onChange={(e) => setSpeed(Number(e.target.value))}
                data-testid="replay-speed"
              >
                {SPEEDS.map((s, i) => (
                  <option key={s.label} value={i}>
                    {s.label}
                  </option>
                ))}
              </select>
            </label>
            <a href={`?turn=${step}`} className="small" data-testid="replay-turn-link">
              Link to turn {step}
            </a>
          </div>
          <p className="small muted">
            Keyboard: Tab to the controls; on the turn slider ←/→ step one turn, Home/End jump to
            the start/end.
          </p>
        </div>

        <div className="rp-side">
          <fieldset className="rp-toggles" disabled={disabled}>
            <legend>Paths shown</legend>
            {tracks.map((t) => (
              <label key={t.key} className="check">
                <input
                  type="checkbox"
                  checked={!hidden.has(t.key)}
                  onChange={(e) => {
                    const next = new Set(hidden);
                    if (e.target.checked) next.delete(t.key);
                    else next.add(t.key);
                    setHidden(next);
                  }}
                  data-testid={`toggle-${t.key}`}
                />
                <span
                  className={`swatch${t.isBot ? " dashed" : ""}`}
                  style={{ borderColor: t.colour }}
                  aria-hidden="true"
                />
                {t.label}
              </label>
            ))}
            <p className="small muted">★ global minimum</p>
          </fieldset>

          <table className="ranking rp-positions" data-testid="replay-positions">
            <caption className="rp-caption">Where everyone stands after turn {step}</caption>
            <thead>
              <tr>
                <th scope="col">Who</th>
                <th scope="col">θ = [w, b]</th>
                <th scope="col" className="num">
                  Loss
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((t) => {
                const k = Math.min(step, t.path.length - 1);
                return (
                  <tr key={t.key} data-testid={`position-${t.key}`}>
                    <th scope="row">{t.label}</th>
                    <td className="math-cell">{formatTheta(t.path[k])}</td>
                    <td className="num">{formatLoss(t.losses[k])}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>

          <LossRace series={series} turns={turns} />
        </div>
      </div>
    </section>
  );
}
