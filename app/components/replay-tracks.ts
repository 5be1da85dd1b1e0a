import type { RoundState } from "../../lib/game";
import type { Vec2 } from "../../lib/types";
import { botName } from "../lib/surface-names";
import { BOT_COLOUR, seatColour } from "./loss-race";

/** One path of a replay, a player's or the bot's: plain data a server page hands the viewer. */
export interface ReplayTrack {
  readonly key: string;
  readonly label: string;
  readonly colour: string;
  /** θ₀, θ₁, … after each turn. */
  readonly path: readonly Vec2[];
  /** L(θ₀), L(θ₁), … */
  readonly losses: readonly number[];
  readonly isBot: boolean;
}

/** The paths of a recomputed round: the players in seat order, then the bot (dashed, grey). */
export function replayTracks(state: RoundState | null): ReplayTrack[] {
  if (!state) return [];
  const players = state.players.map((player, seat) => ({
    key: `seat-${seat}`,
    label: player.nickname || `Player ${seat + 1}`,
    colour: seatColour(seat),
    path: player.path,
    losses: player.losses,
    isBot: false,
  }));
  const bot = state.bot
    ? [
        {
          key: "bot",
          label: `Bot (${botName(state.bot.optimizer)})`,
          colour: BOT_COLOUR,
          path: state.bot.path,
          losses: state.bot.losses,
          isBot: true,
        },
      ]
    : [];
  return [...players, ...bot];
}
