"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { roundVerdict } from "../../../lib/game/verdict";
import { pendingRevealPlayers } from "../../../lib/protocol/messages";
import type { RoomSnapshot } from "../../../lib/protocol";
import { ErrorBoundary } from "../../components/error-boundary";
import { LossRace, raceSeries } from "../../components/loss-race";
import { useConfetti } from "../../hooks/use-confetti";
import type { ConfettiBurst } from "../../hooks/use-confetti";
import type { RoomClient } from "../../lib/room-client";
import { formatLoss } from "../../lib/plot";
import { botName } from "../../lib/surface-names";
import { GhostPanel } from "./ghost-panel";
import { SettingsPanel, StartBar } from "./lobby";
import { FormulaText } from "../../components/formula-text";
import { DataFit, fitCurves } from "../../components/data-fit";
import { LearningCard } from "../../components/learning-card";
import { RevealExtras, useRoomContext } from "./share-round";

type Round = NonNullable<RoomSnapshot["round"]>;
export type RevealData = NonNullable<Round["reveal"]>;

/**
 * The contour map is loaded only now: its chunk holds the catalog's formulas and the procedural
 * generator, which a player's browser must not have before the round is over.
 */
const RevealMap = dynamic(() => import("./reveal-map").then((m) => m.RevealMap), {
  ssr: false,
  loading: () => <div className="plot placeholder" aria-busy="true" />,
});

/** The reveal: the surface with every path, the ranking and scores, and the next round. */
export function Reveal({ snapshot, client }: { snapshot: RoomSnapshot; client: RoomClient }) {
  const round = snapshot.round as Round;
  const reveal = round.reveal;
  const me = reveal?.results.ranking.find((r) => r.you) ?? null;
  const verdict =
    reveal && me
      ? roundVerdict(reveal.results, me.seat, {
          formatLoss,
          noRankings: snapshot.classroom?.noRankings ?? false,
        })
      : null;
  const celebrate = verdict?.celebrate ?? false;
  // For the winner and everyone who beat the bot, once per round.
  useConfetti(
    celebrate,
    `${snapshot.code}-${snapshot.roundNumber}`,
    ROOM_CONFETTI,
    CONFETTI_DELAY_MS,
  );
  // A challenge or the daily plays fixed settings (C5): no settings panel for them.
  const context = useRoomContext(snapshot.code);
  if (!reveal) return null;
  const { ranking, bot } = reveal.results;
  const mine = reveal.players.find((p) => p.you) ?? null;
  return (
    <div className="reveal" data-testid="reveal">
      <section className="card reveal-head" aria-labelledby="reveal-title">
        <h1 id="reveal-title">
          It was <span data-testid="surface-name">{reveal.surface.name}</span>
        </h1>
        {verdict ? (
          <div
            className="verdict"
            data-testid="verdict"
            data-celebrate={celebrate ? "yes" : "no"}
            data-tone={verdict.tone}
          >
            <p className="verdict-headline" data-testid="verdict-headline">
              {verdict.headline}
            </p>
            <p className="verdict-detail">{verdict.detail}</p>
          </div>
        ) : null}
        <p className="muted">{reveal.surface.description}</p>
        <p className="formula" data-testid="reveal-formula">
          <FormulaText
            formula={reveal.surface.formula}
            typeset={reveal.surface.ref.kind === "formula"}
          />
        </p>
        {snapshot.replayId ? (
          <p className="small">
            <Link
              href={`/replays/${snapshot.replayId}`}
              prefetch={false}
              data-testid="replays-link"
            >
              Watch this round again in its replay
            </Link>
          </p>
        ) : me ? (
          <p className="small">
            {/* Not stored (yet): the replays list shows your rounds once they are. */}
            <Link
              href={`/replays?nickname=${encodeURIComponent(me.nickname)}`}
              prefetch={false}
              data-testid="replays-link"
            >
              Watch your rounds again in the replays
            </Link>
          </p>
        ) : null}
      </section>
      {/* The daily's result comes first: it is what a daily player came for (D2). */}
      {context?.kind === "daily" ? <RevealExtras snapshot={snapshot} context={context} /> : null}
      <div className="reveal-grid">
        <ErrorBoundary
          fallback={(message, retry) => (
            <div className="plot placeholder map-error" role="alert" data-testid="map-error">
              <p>
                The map could not be drawn ({message}). The ranking below is unaffected.{" "}
                <button type="button" className="link" onClick={retry}>
                  Try again
                </button>
              </p>
            </div>
          )}
        >
          <RevealMap reveal={reveal} pending={pendingRevealPlayers(snapshot)} />
        </ErrorBoundary>
        <div>
          {reveal.surface.ref.kind === "data" ? (
            <DataFit points={reveal.surface.ref.points} curves={fitCurves(reveal)} />
          ) : null}
          <section className="card" aria-labelledby="ranking-title">
            <h2 id="ranking-title" className="h3">
              Ranking
            </h2>
            <div className="table-box" role="region" aria-labelledby="ranking-title" tabIndex={0}>
              <table className="ranking" data-testid="ranking">
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">Player</th>
                    <th scope="col">Final loss</th>
                    <th scope="col">Score</th>
                    <th scope="col">vs bot</th>
                  </tr>
                </thead>
                <tbody>
                  {ranking.map((r) => (
                    <tr key={r.seat} className={r.you ? "you" : ""}>
                      <td>{r.rank === 0 ? "—" : r.rank}</td>
                      <th scope="row">
                        {r.nickname}
                        {r.you ? " (you)" : ""}
                      </th>
                      <td className="num">{formatLoss(r.finalLoss)}</td>
                      <td className="num">{r.score}</td>
                      <td>{r.beatBot === null ? "—" : r.beatBot ? "beat the bot" : "behind"}</td>
                    </tr>
                  ))}
                  {bot ? (
                    <tr className="bot-row">
                      <td>–</td>
                      <th scope="row">Bot ({botName(bot.optimizer)})</th>
                      <td className="num">{formatLoss(bot.finalLoss)}</td>
                      <td className="num">{bot.score}</td>
                      <td />
                    </tr>
                  ) : null}
                </tbody>
              </table>
            </div>
            <p className="small muted">
              score = round(1000 × progress), progress = (L(θ₀) − L_final) / (L(θ₀) − L*) with L(θ₀)
              = {formatLoss(reveal.results.scale.startLoss)} and L* ={" "}
              {formatLoss(reveal.results.scale.minLoss)}.
            </p>
          </section>
          {mine ? <LearningCard feedback={mine.feedback} /> : null}
          <LossRace series={raceSeries(round)} turns={round.settings.turns} />
        </div>
      </div>
      {context?.kind === "daily" ? null : <RevealExtras snapshot={snapshot} context={context} />}
      {context?.kind === "daily" ? null : <GhostPanel snapshot={snapshot} client={client} />}
      {snapshot.you.isHost && !context ? (
        <SettingsPanel snapshot={snapshot} client={client} />
      ) : null}
      <StartBar snapshot={snapshot} client={client} isHost={snapshot.you.isHost} next />
    </div>
  );
}

/** The room's confetti: a smaller burst than the classroom's. */
const ROOM_CONFETTI: ConfettiBurst = { particleCount: 140, spread: 75, originY: 0.6 };

/**
 * How long after the reveal the confetti starts: the contour map draws first, without the
 * confetti's animation competing with it for the processor.
 */
const CONFETTI_DELAY_MS = 600;
