/**
 * Seeded finished rounds for the data-layer tests: played by lib/game's reducer with moves drawn
 * from lib/random, so every run stores the same rounds.
 */
import { createRound, recordOf, reduce } from "../../lib/game";
import type { RoundAction, RoundSettingsInput, RoundState } from "../../lib/game";
import { createRng } from "../../lib/random";
import type { SurfaceRef } from "../../lib/surface-ref";
import type { SaveRoundInput } from "../../server/db";

/** What to play. */
export interface PlayOptions {
  readonly surface?: SurfaceRef;
  readonly players?: number;
  readonly turns?: number;
  readonly bot?: RoundSettingsInput["bot"];
  readonly hint?: "gradient" | "taylor" | "blind";
  readonly roomCode?: string;
  readonly roundNumber?: number;
  /** Reveal time (ms). @default 1.7e12 + seed · 60 000 */
  readonly finishedAt?: number;
  readonly nicknames?: readonly string[];
  readonly competition?: { readonly id: string; readonly name: string };
}

/** A finished round as the game server hands it over, and its final state. */
export interface PlayedRound {
  readonly input: SaveRoundInput & { readonly roomCode: string };
  readonly state: RoundState;
}

const SURFACES: readonly SurfaceRef[] = [
  { kind: "catalog", id: "rosenbrock" },
  { kind: "catalog", id: "himmelblau" },
  { kind: "catalog", id: "booth" },
  { kind: "procedural", seed: 7, difficulty: "easy" },
  { kind: "procedural", seed: 42, difficulty: "medium" },
];

function must(result: { ok: true; state: RoundState } | { ok: false; error: { message: string } }) {
  if (!result.ok) throw new Error(result.error.message);
  return result.state;
}

/**
 * Play a whole round from a seed: each turn every player moves (random angle and step, or stays
 * with probability 0.15), then the turn resolves.
 */
export function playRound(seed: number, options: PlayOptions = {}): PlayedRound {
  const rng = createRng(seed);
  const surface = options.surface ?? SURFACES[seed % SURFACES.length]!;
  const playerCount = options.players ?? options.nicknames?.length ?? 1 + rng.int(4);
  const startedAt =
    options.finishedAt !== undefined ? options.finishedAt - 600_000 : 1.7e12 + seed * 60_000;
  const players = Array.from({ length: playerCount }, (_, i) => ({
    id: `secret-${seed}-${i}-${rng.int(1e9)}`,
    nickname: options.nicknames?.[i] ?? `player${(seed * 7 + i) % 97}`,
  }));
  let state = must(
    createRound({
      surface,
      settings: {
        turns: options.turns ?? 6,
        hint: options.hint ?? "gradient",
        bot: options.bot ?? { optimizer: "gd" },
      },
      seed,
      startedAt,
      players,
    }),
  );
  let at = startedAt;
  while (state.phase === "playing") {
    for (const player of players) {
      at += 1 + rng.int(500);
      if (rng.next() < 0.15) continue;
      const action: RoundAction = {
        type: "move",
        playerId: player.id,
        angle: rng.uniform(-Math.PI, Math.PI),
        eta: rng.uniform(0.01, 1) * state.settings.etaMax,
        at,
      };
      state = must(reduce(state, action));
    }
    at += 1000;
    state = must(reduce(state, { type: "resolve", at, turn: state.turn }));
  }
  return {
    state,
    input: {
      roomCode: options.roomCode ?? `R${seed % 1000}`,
      roundNumber: options.roundNumber ?? 1,
      finishedAt: options.finishedAt ?? at,
      record: recordOf(state),
      ...(options.competition && { competition: options.competition }),
    },
  };
}
