"use client";

import { useEffect, useMemo, useState } from "react";
import { sampleGrid } from "../../../lib/grid";
import { resolveSurface } from "../../../lib/surface-ref";
import { ContourMap } from "../../components/contour-map";
import { BOT_COLOUR, seatColour } from "../../components/loss-race";
import type { PathSpec } from "../../components/plot-layers";
import { botName } from "../../lib/surface-names";
import type { RevealData } from "./reveal";

/** Grid resolution of the reveal's contour map. */
const GRID = 256;

/**
 * The revealed surface as a filled contour map, every path (the bot's dashed) animated turn by
 * turn, with play/pause/step controls. The surface is rebuilt from the ref the server revealed.
 */
export function RevealMap({
  reveal,
  pending = 0,
}: {
  reveal: RevealData;
  /** Other players' paths still on their way (a big reveal's shared entries, R11a). */
  pending?: number;
}) {
  // The surface object survives the other paths' arrival: the grid is not sampled again.
  const surface = reveal.surface;
  const grid = useMemo(
    () => sampleGrid(resolveSurface(surface.ref), GRID, GRID, surface.domain),
    [surface],
  );
  const turns = Math.max(
    0,
    ...reveal.players.map((p) => p.path.length - 1),
    (reveal.bot?.path.length ?? 1) - 1,
  );
  const [step, setStep] = useState(0);
  const [playing, setPlaying] = useState(true);
  useEffect(() => {
    if (!playing) return;
    const id = window.setInterval(() => {
      setStep((s) => {
        if (s >= turns) {
          setPlaying(false);
          return s;
        }
        return s + 1;
      });
    }, 450);
    return () => window.clearInterval(id);
  }, [playing, turns]);

  const paths: PathSpec[] = [
    ...(reveal.bot
      ? [{ key: "bot", label: "bot", colour: BOT_COLOUR, points: reveal.bot.path, dashed: true }]
      : []),
    ...reveal.players.map((p) => ({
      key: `seat-${p.seat}`,
      label: p.nickname,
      colour: seatColour(p.seat),
      points: p.path,
      highlight: p.you,
    })),
  ];

  return (
    <div className="reveal-map">
      <ContourMap
        grid={grid}
        paths={paths}
        step={step}
        minima={reveal.surface.minima.map((m) => m.theta)}
        label={`Contour map of ${reveal.surface.name} with every path; global minimum marked with a star`}
      />
      <div className="replay-controls" role="group" aria-label="Replay the paths">
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setStep(0);
            setPlaying(true);
          }}
        >
          Replay
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => setPlaying((p) => !p)}
          aria-pressed={playing}
        >
          {playing ? "Pause" : "Play"}
        </button>
        <button
          type="button"
          className="secondary"
          aria-label="Step one turn forward"
          onClick={() => {
            setPlaying(false);
            setStep((s) => Math.min(turns, s + 1));
          }}
        >
          Step ▶
        </button>
        <span className="muted small" aria-live="off" data-testid="reveal-step">
          turn {Math.min(step, turns)} of {turns}
        </span>
      </div>
      <ul className="race-legend">
        {paths.map((p) => (
          <li key={p.key}>
            <span
              className={`swatch${p.dashed ? " dashed" : ""}`}
              style={{ borderColor: p.colour }}
              aria-hidden="true"
            />
            {p.key === "bot" && reveal.bot ? `Bot (${botName(reveal.bot.optimizer)})` : p.label}
          </li>
        ))}
        <li>★ global minimum</li>
      </ul>
      {pending > 0 ? (
        <p className="small muted" role="status" data-testid="reveal-pending">
          Loading the other {pending} {pending === 1 ? "path" : "paths"}…
        </p>
      ) : null}
    </div>
  );
}
