import type { SurfaceRef } from "../surface-ref";
import { defaultRoundEnv } from "./env";
import type { RoundEnv } from "./env";
import { fail, RoundErrorCode } from "./errors";
import { createRound, reduce } from "./rules";
import type { RoundOutcome } from "./rules";
import type { RoundSettings } from "./settings";
import type { PlayerInfo, RoundAction, RoundState } from "./state";

/**
 * Replays (docs/SPEC.md R16): a round is fully determined by its record, the data below. The
 * state keeps its own log of accepted actions, so {@link recordOf} can be taken from any state,
 * finished or not, and {@link replayRound} rebuilds the very same state by the very same rules.
 */

/** Everything needed to rebuild a round: plain JSON, what the server stores. */
export interface RoundRecord {
  readonly surface: SurfaceRef;
  /** The resolved settings (resolving them again changes nothing). */
  readonly settings: RoundSettings;
  readonly seed: number;
  readonly players: readonly PlayerInfo[];
  readonly startedAt: number | null;
  /** The accepted actions, in order. */
  readonly actions: readonly RoundAction[];
}

/** The record of a round so far (R16): its creation input and its log of accepted actions. */
export function recordOf(state: RoundState): RoundRecord {
  return {
    surface: state.surface,
    settings: state.settings,
    seed: state.seed,
    players: state.players.map((player) => ({
      id: player.id,
      nickname: player.nickname,
      ...(player.ghost === true && { ghost: true as const }),
    })),
    startedAt: state.startedAt,
    actions: state.log,
  };
}

/**
 * Rebuild a round from its record (R16): `createRound` then `reduce` each action in order. The
 * result deep-equals the state the record was taken from. A record whose creation or any action
 * is refused gives `INVALID_RECORD`, naming the action and the original error.
 */
export function replayRound(record: RoundRecord, env: RoundEnv = defaultRoundEnv): RoundOutcome {
  const created = createRound(
    {
      surface: record.surface,
      settings: record.settings,
      seed: record.seed,
      players: record.players,
      startedAt: record.startedAt,
    },
    env,
  );
  if (!created.ok) {
    return fail(
      RoundErrorCode.INVALID_RECORD,
      `the round cannot be created: ${created.error.message}`,
    );
  }
  if (!Array.isArray(record.actions)) {
    return fail(RoundErrorCode.INVALID_RECORD, "the record's actions must be an array");
  }
  let state = created.state;
  for (const [index, action] of record.actions.entries()) {
    const next = reduce(state, action, env);
    if (!next.ok) {
      return fail(
        RoundErrorCode.INVALID_RECORD,
        `action ${index} is refused (${next.error.code}): ${next.error.message}`,
      );
    }
    state = next.state;
  }
  return { ok: true, state };
}
