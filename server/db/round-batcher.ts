/**
 * Saving finished rounds in batches (issue 15): the rounds that arrive while a batch is being
 * stored wait, and go together in the next one (at most {@link MAX_ROUNDS_PER_BATCH}), one
 * transaction for all of them (`saveRounds`). A round arriving while nothing is being stored goes
 * alone at once, so a quiet server saves each round as soon as it finishes; 500 rounds finishing
 * together cost about 500 / 16 transactions instead of 500.
 */
import { intFromEnv } from "../config";
import type { SaveRoundInput } from "./inputs";
import { saveRounds } from "./save-round";
import type { RoundToSave, SaveRoundOutcome } from "./save-round";
import type { Database, SaveRoundOptions, SaveRoundResult } from "./types";

/** The most rounds one transaction stores (each of 10 players and 12 turns is ~130 rows). */
export const MAX_ROUNDS_PER_BATCH = 16;

/**
 * The most rounds per transaction the environment asks for: `SAVE_BATCH`, 1 to 64 (1: every
 * round in a transaction of its own, as before batching; for comparisons, `bench:rooms
 * --env-compare SAVE_BATCH=1`), default {@link MAX_ROUNDS_PER_BATCH}. Throws a clear error for
 * anything else.
 */
export function roundsPerBatch(
  env: Readonly<Record<string, string | undefined>> = process.env,
): number {
  return intFromEnv("SAVE_BATCH", MAX_ROUNDS_PER_BATCH, 1, 64, env);
}

/** Saves one round: resolves once it is stored (or was), rejects with its own error. */
export type RoundSaver = (
  input: SaveRoundInput,
  options?: SaveRoundOptions,
) => Promise<SaveRoundResult>;

/**
 * A {@link RoundSaver} that stores rounds with `saveMany` one batch at a time, each batch in an
 * event-loop task of its own (what arrived meanwhile, other queries or messages included, goes
 * first), each round's promise settled by its own outcome. `saveMany` is called with at most
 * `maxBatch` rounds and never twice at once.
 */
export function batchedRoundSaver(
  saveMany: (rounds: readonly RoundToSave[]) => Promise<readonly SaveRoundOutcome[]>,
  maxBatch = roundsPerBatch(),
): RoundSaver {
  const queue: {
    readonly round: RoundToSave;
    readonly resolve: (result: SaveRoundResult) => void;
    readonly reject: (error: unknown) => void;
  }[] = [];
  let running = false;
  const pump = async (): Promise<void> => {
    running = true;
    try {
      while (queue.length > 0) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        const batch = queue.splice(0, maxBatch);
        let outcomes: readonly SaveRoundOutcome[];
        try {
          outcomes = await saveMany(batch.map((entry) => entry.round));
        } catch (error) {
          outcomes = batch.map(() => ({ ok: false, error }));
        }
        batch.forEach((entry, i) => {
          const outcome = outcomes[i];
          if (outcome?.ok) entry.resolve(outcome.result);
          else
            entry.reject(
              outcome ? outcome.error : new Error("the batch gave no outcome for this round"),
            );
        });
      }
    } finally {
      running = false;
    }
  };
  return (input, options) =>
    new Promise<SaveRoundResult>((resolve, reject) => {
      queue.push({ round: { input, ...(options && { options }) }, resolve, reject });
      if (!running) void pump();
    });
}

/**
 * How the game server stores its finished rounds on `db`: in the database's own thread, batched
 * there (embedded PGlite, `saveRoundInThread`), else batched in this thread.
 */
export function roundSaver(db: Database): RoundSaver {
  // Read here, at start, so that a bad SAVE_BATCH stops the server with its message instead of
  // failing every save in the database's thread.
  const maxBatch = roundsPerBatch();
  return db.saveRoundInThread ?? batchedRoundSaver((rounds) => saveRounds(db, rounds), maxBatch);
}
