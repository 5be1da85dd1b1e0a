/** saveRoundWithRetry: retries a failing database with back-off, never throws, logs each step. */
import { describe, expect, it } from "vitest";
import { saveRoundWithRetry } from "../../server/db";
import type { Database } from "../../server/db";
import { playRound } from "./fixtures";

/** A database whose first `failures` queries fail, then report the round as already stored. */
function flakyDatabase(failures: number): { db: Database; calls: () => number } {
  let calls = 0;
  const prisma = {
    round: {
      findUnique: async () => {
        calls++;
        if (calls <= failures) throw new Error(`connection reset (${calls})`);
        return { id: "stored" };
      },
    },
  };
  const db = {
    kind: "postgres",
    label: "stub",
    prisma,
    migrate: async () => ({ applied: [] }),
    afterWrite: async () => {},
    close: async () => {},
  };
  return { db: db as unknown as Database, calls: () => calls };
}

function recordingLogger() {
  const lines: string[] = [];
  return {
    lines,
    info: (message: string) => lines.push(`info ${message}`),
    error: (message: string, fields?: Record<string, unknown>) =>
      lines.push(`error ${message} ${String(fields?.attempt ?? fields?.code ?? "")}`.trim()),
  };
}

describe("saveRoundWithRetry", () => {
  const input = playRound(9001, { players: 2 }).input;

  it("retries with doubling delays until the save goes through", async () => {
    const { db, calls } = flakyDatabase(2);
    const logger = recordingLogger();
    const delays: number[] = [];
    const result = await saveRoundWithRetry(db, input, {
      logger,
      baseDelayMs: 100,
      sleep: async (ms) => void delays.push(ms),
    });
    expect(result?.status).toBe("duplicate");
    expect(calls()).toBe(3);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(80);
    expect(delays[0]).toBeLessThanOrEqual(120);
    expect(delays[1]).toBeGreaterThanOrEqual(160);
    expect(delays[1]).toBeLessThanOrEqual(240);
    expect(logger.lines).toEqual([
      "error storing a round failed; retrying 1",
      "error storing a round failed; retrying 2",
    ]);
  });

  it("gives up after the last attempt without throwing", async () => {
    const { db, calls } = flakyDatabase(99);
    const logger = recordingLogger();
    const result = await saveRoundWithRetry(db, input, {
      logger,
      attempts: 3,
      sleep: async () => {},
    });
    expect(result).toBeNull();
    expect(calls()).toBe(3);
    expect(logger.lines.at(-1)).toBe("error storing a round failed for good 3");
  });

  it("does not retry an input that can never be stored", async () => {
    const { db, calls } = flakyDatabase(0);
    const logger = recordingLogger();
    const result = await saveRoundWithRetry(
      db,
      { ...input, roomCode: "" },
      { logger, sleep: async () => {} },
    );
    expect(result).toBeNull();
    expect(calls()).toBe(0);
    expect(logger.lines).toEqual(["error a round cannot be stored INVALID_INPUT"]);
  });
});
