import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { challengeIdSchema } from "../../../lib/challenge";
import { challengeLeaderboard, getChallenge } from "../../../server/db/challenges";
import { sharedDatabase } from "../../../server/db/shared";
import { BoardTable } from "../../components/board-table";
import { botLabel } from "../../replays/_lib/format";
import { ChallengeStart } from "./challenge-start";
import "../../replays/_lib/replays.css";

/** Rendered on every request from the database (never at build time). */
export const dynamic = "force-dynamic";

type Params = Promise<{ id: string }>;

const HINTS = {
  gradient: "the gradient arrow is shown",
  taylor: "the predicted ΔL is shown while you aim",
  blind: "blind: only the losses you visit",
} as const;

/** The challenge, or null for an unknown or malformed id (both are a 404). */
const loadChallenge = cache(async (raw: string) => {
  const id = challengeIdSchema.safeParse(decodeURIComponent(raw).toLowerCase());
  if (!id.success) return null;
  return getChallenge(sharedDatabase(), id.data);
});

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const challenge = await loadChallenge((await params).id);
  return challenge
    ? {
        title: "A challenge",
        description: `A hidden surface, ${challenge.settings.turns} turns: can you beat the bot?`,
      }
    : { title: "Challenge not found" };
}

/**
 * /c/[id]: a challenge link (docs/SPEC.md C1–C5): what the round is (turns, hint, bot — never the
 * surface, which the server keeps until the reveal), a button that opens it as a solo round, and
 * the challenge's own leaderboard.
 */
export default async function ChallengePage({ params }: { params: Params }) {
  const challenge = await loadChallenge((await params).id);
  if (!challenge) notFound();
  const board = await challengeLeaderboard(sharedDatabase(), challenge.id);
  const { settings } = challenge;
  return (
    <main className="rp-page">
      <p className="rp-nav">
        <Link href="/">← Blind Descent</Link> · <Link href="/daily">Today&apos;s daily</Link>
      </p>
      <h1>A challenge</h1>
      <p className="tagline">
        Someone shared a round with you: the same hidden surface, the same start, the same settings.
        Descend as low as you can, then see how you did against everyone who took it.
      </p>
      <section className="card" aria-labelledby="rules-title">
        <h2 id="rules-title" className="h3">
          The round
        </h2>
        <ul className="link-list" data-testid="challenge-settings">
          <li>
            {settings.turns} turns, solo · {botLabel(settings.bot.optimizer)}
          </li>
          <li>Hint: {HINTS[settings.hint]}</li>
          <li>Largest step η_max ≈ {Number(settings.etaMax.toPrecision(3))}</li>
        </ul>
        <ChallengeStart id={challenge.id} />
      </section>
      <section aria-labelledby="board-title">
        <h2 id="board-title" className="h3">
          This challenge&apos;s leaderboard
        </h2>
        <BoardTable
          rows={board}
          labelledBy="board-title"
          empty="Nobody has finished this challenge yet: be the first."
          testId="challenge-board"
        />
      </section>
    </main>
  );
}
