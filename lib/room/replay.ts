import { reduceRoom } from "./reduce";
import type { RoomOutcome } from "./reduce";
import type { CompetitionSnapshot, FinishedRound, RoomAction, RoomEnv, RoomState } from "./state";

/** A room rebuilt from its log (R37): its state and the work the log left undone. */
export interface ReplayedRoom {
  readonly state: RoomState;
  /** Rounds handed to the save whose `stored` is not in the log, in round order. */
  readonly unsaved: readonly FinishedRound[];
  /** The last competition the log handed to be stored, if any. */
  readonly competition: CompetitionSnapshot | null;
}

/**
 * R37: fold a room's log of accepted actions (in order, as parsed JSON) through {@link reduceRoom},
 * the same reducer the live room ran, so a rebuilt room cannot drift from the one that wrote the
 * log. An entry the rules refuse, or one that changes nothing (every logged action changed the
 * room when it was accepted), means a corrupt log or one written by another version: the reason
 * comes back instead, naming the entry.
 */
export function replayRoomLog(
  actions: readonly unknown[],
  env: RoomEnv,
): ReplayedRoom | { readonly error: string } {
  let state: RoomState | null = null;
  const unsaved = new Map<number, FinishedRound>();
  let competition: CompetitionSnapshot | null = null;
  for (const [index, entry] of actions.entries()) {
    const action = entry as RoomAction;
    const type = typeof entry === "object" && entry !== null ? String(action.type) : typeof entry;
    const outcome: RoomOutcome = reduceRoom(state, action, env);
    if (!outcome.ack.ok || !outcome.state || (outcome.state === state && index > 0)) {
      const why = outcome.ack.ok ? "changed nothing" : outcome.ack.error.message;
      return { error: `entry ${index} (${type}) does not replay: ${why}` };
    }
    state = outcome.state;
    for (const effect of outcome.effects) {
      if (effect.type === "saveRound") unsaved.set(effect.round.roundNumber, effect.round);
      if (effect.type === "storeCompetition") competition = effect.competition;
    }
    if (action.type === "stored") unsaved.delete(action.roundNumber);
  }
  if (!state) return { error: "the log is empty" };
  return { state, unsaved: [...unsaved.values()], competition };
}
