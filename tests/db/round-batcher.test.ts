import { describe, expect, it } from "vitest";
import { batchedRoundSaver, DataError, roundsPerBatch } from "../../server/db";
import type { RoundToSave, SaveRoundInput, SaveRoundOutcome } from "../../server/db";

/** A stand-in round: only its roomCode matters to the recording saver below. */
const round = (code: string) => ({ roomCode: code }) as unknown as SaveRoundInput;

/** A saver that records each batch and answers per round: `BAD…` codes fail, the rest are saved. */
function recording(delayMs = 5) {
  const batches: string[][] = [];
  const saveMany = async (rounds: readonly RoundToSave[]): Promise<SaveRoundOutcome[]> => {
    batches.push(rounds.map((r) => r.input.roomCode));
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return rounds.map(({ input }) =>
      input.roomCode.startsWith("BAD")
        ? { ok: false, error: new DataError("INVALID_RECORD", `${input.roomCode} is bad`) }
        : { ok: true, result: { status: "saved", id: `id-${input.roomCode}` } },
    );
  };
  return { batches, saveMany };
}

describe("batchedRoundSaver (issue 15)", () => {
  it("saves a round alone at once, and the rounds arriving meanwhile together next", async () => {
    const { batches, saveMany } = recording();
    const save = batchedRoundSaver(saveMany, 3);
    const first = save(round("A"));
    await new Promise((resolve) => setTimeout(resolve, 1)); // A's batch is being stored
    const rest = ["B", "C", "D", "E"].map((code) => save(round(code)));
    const results = await Promise.all([first, ...rest]);
    expect(results.map((r) => r.id)).toEqual(["id-A", "id-B", "id-C", "id-D", "id-E"]);
    expect(batches).toEqual([["A"], ["B", "C", "D"], ["E"]]);
  });

  it("settles each round by its own outcome", async () => {
    const { saveMany } = recording();
    const save = batchedRoundSaver(saveMany, 16);
    const settled = await Promise.allSettled(["A", "BAD1", "B"].map((code) => save(round(code))));
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const reason = (settled[1] as PromiseRejectedResult).reason as DataError;
    expect(reason).toBeInstanceOf(DataError);
    expect(reason.message).toMatch(/BAD1 is bad/);
  });

  it("fails a whole batch when the saver throws, and goes on with the next", async () => {
    let calls = 0;
    const save = batchedRoundSaver(async (rounds) => {
      calls += 1;
      if (calls === 1) throw new Error("the database is down");
      return rounds.map(() => ({ ok: true, result: { status: "saved", id: "x" } }));
    }, 16);
    await expect(save(round("A"))).rejects.toThrow(/database is down/);
    await expect(save(round("B"))).resolves.toEqual({ status: "saved", id: "x" });
  });

  it("reads SAVE_BATCH, refusing what is not 1 to 64", () => {
    expect(roundsPerBatch({})).toBe(16);
    expect(roundsPerBatch({ SAVE_BATCH: "1" })).toBe(1);
    expect(roundsPerBatch({ SAVE_BATCH: " 64 " })).toBe(64);
    for (const bad of ["0", "65", "2.5", "many"]) {
      expect(() => roundsPerBatch({ SAVE_BATCH: bad })).toThrow(
        /SAVE_BATCH must be an integer from 1 to 64/,
      );
    }
  });
});
