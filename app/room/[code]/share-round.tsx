"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { dailyShareText } from "../../../lib/challenge/share";
import type { RoomSnapshot } from "../../../lib/protocol";
import { QrCode } from "../../components/qr-code";
import { dailyStatus, messageOf, shareRound } from "../../lib/room-client";
import { loadTokens } from "../../lib/socket";
import type { RoomContext } from "../../lib/socket";

/**
 * What the reveal adds for challenge links and the daily descent (docs/SPEC.md C4, C5, D2, D5):
 * "Share this round" with its link and QR code; the challenge's board; the daily's result to copy.
 */

/** What this browser opened room `code` as (from its saved tokens), read after hydration. */
export function useRoomContext(code: string): RoomContext | null {
  const [context, setContext] = useState<RoomContext | null>(null);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setContext(loadTokens(code).context ?? null);
  }, [code]);
  return context;
}

/** The reveal's extras: the daily's result for a daily room, else the share card. */
export function RevealExtras({
  snapshot,
  context,
}: {
  snapshot: RoomSnapshot;
  context: RoomContext | null;
}) {
  if (context?.kind === "daily") return <DailyResult snapshot={snapshot} context={context} />;
  return (
    <ShareRound
      code={snapshot.code}
      challengeId={context?.kind === "challenge" ? context.id : null}
    />
  );
}

/** C4: "Share this round": a challenge link (/c/<id>) and its QR code. */
export function ShareRound({ code, challengeId }: { code: string; challengeId: string | null }) {
  const [url, setUrl] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const share = async () => {
    setBusy(true);
    setError(null);
    try {
      const { path } = await shareRound(code);
      setUrl(`${window.location.origin}${path}`);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card share-round" aria-labelledby="share-title" data-testid="share-round">
      <h2 id="share-title" className="h3">
        {challengeId ? "A challenge" : "Challenge your friends"}
      </h2>
      {challengeId ? (
        <p>
          <Link href={`/c/${challengeId}`} prefetch={false} data-testid="challenge-board-link">
            See this challenge&apos;s leaderboard
          </Link>
        </p>
      ) : (
        <p className="muted">
          A link to this exact round: the same hidden surface, start and settings, for anyone to
          play solo. It gets its own leaderboard.
        </p>
      )}
      {url ? (
        <div className="share-box">
          <div className="share-link">
            <label className="field">
              <span>Challenge link</span>
              <input
                type="text"
                readOnly
                value={url}
                onFocus={(e) => e.target.select()}
                data-testid="challenge-link"
              />
            </label>
            <button
              type="button"
              className="secondary"
              onClick={() =>
                void navigator.clipboard?.writeText(url).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              {copied ? "Copied" : "Copy link"}
            </button>
          </div>
          <QrCode url={url} className="share-qr" />
        </div>
      ) : (
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => void share()}
          data-testid="share-round-button"
        >
          {busy ? "Making the link…" : "Share this round"}
        </button>
      )}
      <p className="error-line" role="alert">
        {error}
      </p>
    </section>
  );
}

/** D2, D5: the daily's result: scored or practice, the streak, and the text to copy. */
function DailyResult({
  snapshot,
  context,
}: {
  snapshot: RoomSnapshot;
  context: Extract<RoomContext, { kind: "daily" }>;
}) {
  const [status, setStatus] = useState<{ scoredRoundId: string | null; streak: number } | null>(
    null,
  );
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const replayId = snapshot.replayId;
  useEffect(() => {
    if (!replayId) return;
    let live = true;
    dailyStatus().then(
      (s) => live && setStatus(s),
      (e: unknown) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [replayId]);
  const reveal = snapshot.round?.reveal;
  const me = reveal?.results.ranking.find((r) => r.you);
  const mine = reveal?.players.find((p) => p.you);
  if (!reveal || !me || !mine) return null;
  // Until the server says, trust what it said when the round opened.
  const scored = status ? status.scoredRoundId === replayId : context.scored;
  const text = dailyShareText({
    day: context.day,
    turns: reveal.settings.turns,
    score: me.score,
    beatBot: me.beatBot,
    betas: mine.feedback.map((f) => (f.move ? f.beta : null)),
    unscored: !scored,
  });
  return (
    <section className="card daily-result" aria-labelledby="daily-title" data-testid="daily-result">
      <h2 id="daily-title" className="h3">
        Daily descent #{context.day}
      </h2>
      <p data-testid="daily-scored" data-scored={scored ? "yes" : "no"}>
        {scored
          ? "This was your scored attempt today: it is on the daily leaderboard."
          : "Practice: this attempt was not scored. Your first attempt today is the one that counts."}
        {status ? (
          <>
            {" "}
            Streak: <strong data-testid="daily-streak">{status.streak}</strong>{" "}
            {status.streak === 1 ? "day" : "days"}.
          </>
        ) : null}
      </p>
      <pre className="share-text" data-testid="daily-share-text">
        {text}
      </pre>
      <div className="action-row">
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard?.writeText(text).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
          data-testid="daily-copy"
        >
          {copied ? "Copied" : "Copy your result"}
        </button>
        <Link href="/daily" prefetch={false} className="button secondary">
          Today&apos;s leaderboard
        </Link>
      </div>
      <p className="error-line" role="alert">
        {error}
      </p>
    </section>
  );
}
