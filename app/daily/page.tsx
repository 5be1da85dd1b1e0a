import type { Metadata } from "next";
import Link from "next/link";
import { dailyKey, dailyNumber } from "../../lib/challenge/daily";
import { DAILY_ROOM_SETTINGS } from "../../lib/challenge/room";
import { roomSettingsSchema } from "../../lib/protocol";
import { dailyLeaderboard } from "../../server/db/daily";
import { sharedDatabase } from "../../server/db/shared";
import { BoardTable } from "../components/board-table";
import { botLabel } from "../replays/_lib/format";
import { DailyStart } from "./daily-start";
import "../replays/_lib/replays.css";

export const metadata: Metadata = {
  title: "The daily descent",
  description:
    "One hidden surface a day, the same for everyone: one scored attempt, a streak, and a result to share.",
};

/** Rendered on every request: the day changes at midnight UTC. */
export const dynamic = "force-dynamic";

/** The time of this request (the page is dynamic: rendered per request, never cached). */
function requestTime(): number {
  return Date.now();
}

/**
 * /daily: today's descent (docs/SPEC.md D1–D5): one procedural surface per UTC day, the same for
 * everyone; the first attempt of this browser's player token is scored, later ones are practice;
 * the day's leaderboard. The surface is the server's until the reveal.
 */
export default async function DailyPage() {
  const now = requestTime();
  const day = dailyNumber(now);
  const key = dailyKey(now);
  const board = await dailyLeaderboard(sharedDatabase(), key);
  const settings = roomSettingsSchema.parse(DAILY_ROOM_SETTINGS);
  return (
    <main className="rp-page">
      <p className="rp-nav">
        <Link href="/">← Blind Descent</Link> · <Link href="/leaderboard">Leaderboards</Link>
      </p>
      <h1>
        Daily descent <span data-testid="daily-number">#{day}</span>
      </h1>
      <p className="tagline">
        One hidden surface a day, the same for everyone ({key}, UTC). Your first attempt today is
        scored; after it you can play again for practice. Come back tomorrow to keep your streak.
      </p>
      <section className="card" aria-labelledby="daily-play-title">
        <h2 id="daily-play-title" className="h3">
          Today&apos;s round
        </h2>
        <p className="muted" data-testid="daily-settings">
          {settings.turns} turns, solo · {botLabel(settings.bot.optimizer)} · hint: {settings.hint}
        </p>
        <DailyStart />
      </section>
      <section aria-labelledby="board-title">
        <h2 id="board-title" className="h3">
          Today&apos;s leaderboard
        </h2>
        <BoardTable
          rows={board}
          labelledBy="board-title"
          empty="Nobody has finished today's descent yet: be the first."
          testId="daily-board"
        />
      </section>
    </main>
  );
}
