import { dailySurface } from "../../lib/challenge/daily";
import { surfaceRefKey } from "../../lib/surface-ref";

/**
 * D6: the surface keys no public list may show yet: today's daily descent (UTC), whose replays
 * and leaderboard rows would show the day's surface to everyone who has not played it. They
 * appear in /replays and /leaderboard once the UTC day is over.
 */
export function unrevealedSurfaceKeys(now: number): string[] {
  return [surfaceRefKey(dailySurface(now))];
}

/** A Prisma filter on `surfaceKey`: `wanted` (or any) but none of {@link unrevealedSurfaceKeys}. */
export function publicSurfaceFilter(
  wanted: string | undefined,
  now: number,
): { equals?: string; notIn: string[] } {
  return { ...(wanted !== undefined && { equals: wanted }), notIn: unrevealedSurfaceKeys(now) };
}
