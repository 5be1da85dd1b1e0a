import { deriveSeed } from "../random";
import type { SurfaceRef } from "../surface-ref";
import { TRANSFORM_VERSION } from "../surfaces/transform";

/**
 * The daily descent (issue 16 §2, docs/SPEC.md D1–D2): one procedural surface per UTC day, the
 * same for everyone, derived from the date alone; and the spoiler-free result a player copies
 * after the reveal. Pure: the date is an input (ms since the epoch), never read from a clock.
 */

const DAY_MS = 86_400_000;
/** Day 1 of the daily descent: 2026-12-01 UTC. */
export const DAILY_EPOCH_MS = Date.UTC(2026, 11, 1);

/** The UTC day (whole days since 1970-01-01) that contains `ms`; throws for a bad time. */
export function utcDay(ms: number): number {
  if (!Number.isFinite(ms)) throw new RangeError(`time must be a finite number, got ${ms}`);
  const rest = ((ms % DAY_MS) + DAY_MS) % DAY_MS;
  return (ms - rest) / DAY_MS;
}

/** D1: the daily's number shown to players (day 1 = 2026-12-01 UTC, then one a day). */
export function dailyNumber(ms: number): number {
  return utcDay(ms) - utcDay(DAILY_EPOCH_MS) + 1;
}

/** The date key of a day, `YYYY-MM-DD` (UTC): the daily's id in stored data. */
export function dailyKey(ms: number): string {
  return new Date(utcDay(ms) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The first day whose transform is drawn by version 2 (T8): 2026-12-04 UTC. The days before keep
 * version 1, so a day's surface never changes while it is being played, and their attempts replay.
 */
export const DAILY_TRANSFORM_2_MS = Date.UTC(2026, 11, 4);

/**
 * D1: the day's surface: a medium procedural surface and its transform (which fixes the start),
 * both seeded from the UTC day through lib/random's `deriveSeed`. Every time within one UTC day,
 * on every machine and in every time zone, gives the same ref.
 */
export function dailySurface(ms: number): SurfaceRef {
  const day = utcDay(ms);
  const seed = deriveSeed(day, "daily-transform");
  return {
    kind: "procedural",
    seed: deriveSeed(day, "daily-surface"),
    difficulty: "medium",
    transform:
      day >= utcDay(DAILY_TRANSFORM_2_MS) ? { seed, version: TRANSFORM_VERSION } : { seed },
  };
}

export { betaArrow, dailyShareText } from "./share";
export type { DailyResult } from "./share";

/**
 * D3: the player's streak on `today` (a UTC day number): how many consecutive days, ending today
 * or (when today is not played yet) yesterday, the player made a scored attempt. `days` are the
 * UTC day numbers with a scored attempt, in any order, repeats allowed.
 */
export function dailyStreak(days: readonly number[], today: number): number {
  const played = new Set(days);
  let day = played.has(today) ? today : today - 1;
  let streak = 0;
  while (played.has(day)) {
    streak++;
    day--;
  }
  return streak;
}

/** A player token for the daily: 22 to 64 characters of base64url, made by the browser. */
export const PLAYER_TOKEN_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;
