"use client";

import type { RoomSnapshot } from "../../lib/protocol";
import { useCountdown } from "./use-countdown";

/** A round's turn line as the room and the classroom show it. */
export interface TurnClock {
  /** The turn being played, 1-based ("Turn 3 of 10"; the last one once every turn is played). */
  readonly turn: number;
  readonly turns: number;
  /** Every turn is played (the round is being stored, the reveal follows). */
  readonly over: boolean;
  /** Whole seconds left in this turn, or null when untimed. */
  readonly left: number | null;
  /** Players of the round who have moved this turn, and players in the round. */
  readonly moved: number;
  readonly inRound: number;
}

/** The turn, the countdown and who has moved, or null outside a round. */
export function useTurnClock(snapshot: RoomSnapshot, clockOffset: number): TurnClock | null {
  const left = useCountdown(
    snapshot.turnDeadline,
    clockOffset,
    snapshot.round?.settings.secondsPerTurn || Infinity,
  );
  const round = snapshot.round;
  if (!round) return null;
  const turns = round.settings.turns;
  return {
    turn: Math.min(round.turn + 1, turns),
    turns,
    over: round.turn >= turns,
    left,
    moved: snapshot.members.filter((m) => m.inRound && m.moved).length,
    inRound: snapshot.members.filter((m) => m.inRound).length,
  };
}
