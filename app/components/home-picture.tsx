"use client";

import { useMemo } from "react";
import { stepWithinBox } from "../../lib/geometry";
import { sampleGrid } from "../../lib/grid";
import { optimizers } from "../../lib/optimizers";
import { createRng } from "../../lib/random";
import { getSurface } from "../../lib/surfaces";
import type { Vec2 } from "../../lib/types";
import { ContourMap } from "./contour-map";
import type { PathSpec } from "./plot-layers";

const TURNS = 10;

/**
 * The home page's picture of the game (issue 13): what a reveal looks like, on Himmelblau (a
 * catalog surface as defined, which every reveal and /learn show anyway). Two players' paths are
 * played here by simple rules — one follows the gradient with a wobble, one takes bigger steps and overshoots —
 * and the bot is the catalog's gradient descent, so the picture is computed, never a stock image.
 */
export function HomePicture() {
  const { grid, paths, minima } = useMemo(() => {
    const surface = getSurface("himmelblau");
    const box = surface.domain;
    const play = (seed: number, eta: number, wobble: number): Vec2[] => {
      const rng = createRng(seed);
      const path: Vec2[] = [surface.start];
      for (let t = 0; t < TURNS; t++) {
        const here = path[path.length - 1]!;
        const g = surface.gradient(here);
        const angle = Math.atan2(-g[1], -g[0]) + wobble * rng.normal();
        path.push(stepWithinBox(here, [Math.cos(angle), Math.sin(angle)], eta, box));
      }
      return path;
    };
    const bot: Vec2[] = [surface.start];
    let state = optimizers.gd.init(surface.start);
    for (let t = 0; t < TURNS; t++) {
      state = optimizers.gd.step(state, surface, { eta: surface.botEta });
      bot.push(state.theta);
    }
    const paths: PathSpec[] = [
      { key: "bot", label: "Bot", colour: "#e2e8f0", points: bot, dashed: true },
      { key: "sam", label: "Sam", colour: "#f472b6", points: play(11, surface.etaMax * 0.6, 0.5) },
      {
        key: "you",
        label: "You",
        colour: "#f59e0b",
        points: play(2, surface.etaMax * 0.3, 0.3),
        highlight: true,
      },
    ];
    return {
      grid: sampleGrid(surface, 128, 128),
      paths,
      minima: surface.minima.map((m) => m.theta),
    };
  }, []);
  return (
    <figure className="card home-picture" data-testid="home-picture">
      <ContourMap
        grid={grid}
        paths={paths}
        minima={minima}
        label="A revealed round: the error surface as a contour map, with your path, a friend's and the bot's, and the minima as stars"
      />
      <figcaption className="muted">
        The reveal: the surface you played on blind, with every path and the minima (★).
      </figcaption>
    </figure>
  );
}
