import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { verifyReplay } from "../../../lib/game/replay-check";
import { rememberFormulaSurface, resolveSurface } from "../../../lib/surface-ref";
import type { SurfaceRef } from "../../../lib/surface-ref";
import type { Surface } from "../../../lib/types";
import { DataError } from "../../../server/db/inputs";
import { getReplay } from "../../../server/db/replays";
import { sharedDatabase } from "../../../server/db/shared";
import { sharedFormulaAnalyser } from "../../../server/formula-shared";
import { replayTracks } from "../../components/replay-tracks";
import { ReplayViewer } from "../../components/replay-viewer";
import { formatLoss } from "../../lib/plot";
import { BadRequest } from "../_lib/bad-request";
import { beatBotLabel, botLabel, formatDate, surfaceLabel } from "../_lib/format";
import { parseReplayViewQuery } from "../_lib/params";
import type { SearchParams } from "../_lib/params";
import "../_lib/replays.css";
import { FormulaText } from "../../components/formula-text";
import { RaceGhost } from "./race-ghost";

/** Rendered on every request from the database (never at build time). */
export const dynamic = "force-dynamic";

type Params = Promise<{ id: string }>;

/** The stored round, or null for an unknown or malformed id (both are a 404). */
const loadReplay = cache(async (id: string) => {
  try {
    return await getReplay(sharedDatabase(), decodeURIComponent(id));
  } catch (error) {
    if (error instanceof DataError && error.code === "INVALID_INPUT") return null;
    throw error;
  }
});

/**
 * F7: a formula round's surface is analysed on the server's analysis thread, never on the event
 * loop this page renders on; the analysis is joined here to this bundle's compiled formula (in
 * lib's cache, where the replay check and the name find it). Returns the thread's refusal, if
 * any. Without a server (no thread registered) lib analyses it where it is resolved.
 */
async function prepareSurface(ref: SurfaceRef): Promise<string | null> {
  if (ref.kind !== "formula") return null;
  const analyser = sharedFormulaAnalyser();
  if (!analyser) return null;
  const spec = { text: ref.text, box: ref.box };
  const analysed = await analyser.analyse(spec);
  if (!analysed.ok) return analysed.message;
  rememberFormulaSurface({ kind: "formula", text: ref.text, box: ref.box }, analysed.analysis);
  return null;
}

function surfaceOrNull(
  replay: NonNullable<Awaited<ReturnType<typeof loadReplay>>>,
): Surface | null {
  try {
    // The record's ref, transform included (SPEC T6: "Matyas, rotated 37°").
    return resolveSurface(replay.record.surface);
  } catch {
    return null;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const replay = await loadReplay((await params).id);
  if (!replay) return { title: "Replay not found" };
  const names = replay.participants
    .filter((p) => !p.isBot)
    .map((p) => p.nickname)
    .join(", ");
  return {
    title: `Replay: ${surfaceLabel(replay.surface)}`,
    description: `${names} on ${surfaceLabel(replay.surface)}, ${formatDate(replay.finishedAt)}: every path, turn by turn.`,
  };
}

/**
 * /replays/[id]: one stored round. The server recomputes it from its moves with lib/game's rules
 * and says whether that matches the stored results (a mismatch is an alert, never hidden); the
 * viewer recomputes it again in the browser and animates it. Unknown id: a real 404.
 */
export default async function ReplayPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: Promise<SearchParams>;
}) {
  const { id } = await params;
  const replay = await loadReplay(id);
  if (!replay) notFound();
  const here = `/replays/${replay.id}`;
  const parsed = parseReplayViewQuery(await searchParams);
  const turn = parsed.ok ? (parsed.query.turn ?? null) : null;
  if (!parsed.ok || (turn !== null && turn > replay.turns)) {
    return (
      <BadRequest
        message={
          parsed.ok
            ? `Bad replay query: turn: must be an integer from 0 to ${replay.turns} (this round has ${replay.turns} turns)`
            : parsed.message
        }
        resetHref={here}
        resetLabel="Open the replay at its last turn"
      />
    );
  }

  const refused = await prepareSurface(replay.record.surface);
  if (refused) {
    return (
      <main className="rp-page rp-replay">
        <p className="rp-nav">
          <Link href="/">← Blind Descent</Link> · <Link href="/replays">Replays</Link>
        </p>
        <div className="card rp-error" role="alert" data-testid="replay-mismatch">
          <p>
            <strong>This replay cannot be checked now:</strong> its formula&apos;s analysis was
            refused ({refused}). Reload the page to try again.
          </p>
        </div>
      </main>
    );
  }
  const check = verifyReplay(replay);
  const surface = surfaceOrNull(replay);
  const name = surface?.name ?? surfaceLabel(replay.surface);
  const players = replay.participants.filter((p) => !p.isBot);
  const bot = replay.participants.find((p) => p.isBot) ?? null;
  const settings = replay.record.settings;

  return (
    <main className="rp-page rp-replay">
      <p className="rp-nav">
        <Link href="/">← Blind Descent</Link> · <Link href="/replays">Replays</Link> ·{" "}
        <Link href="/leaderboard">Leaderboard</Link>
      </p>
      <h1>
        Replay: <span data-testid="surface-name">{name}</span>
      </h1>
      <p className="muted">
        <time dateTime={replay.finishedAt}>{formatDate(replay.finishedAt)}</time> · room{" "}
        {replay.roomCode}
        {replay.competition ? ` · ${replay.competition.name}` : ""} · {replay.turns} turns ·{" "}
        {replay.hint} hint · {botLabel(replay.botOptimizer)}
      </p>
      {surface ? (
        <>
          <p>{surface.description}</p>
          <p className="formula" aria-label="Formula">
            <FormulaText formula={surface.formula} typeset={replay.surface.kind === "formula"} />
          </p>
        </>
      ) : null}

      {check.ok ? (
        <p className="card rp-verified good" role="status" data-testid="replay-verified">
          ✓ Verified: recomputed from its {check.moves} stored moves with the game&apos;s rules;
          every final loss, score and rank matches the stored results.
        </p>
      ) : (
        <div className="card rp-error" role="alert" data-testid="replay-mismatch">
          <p>
            <strong>Mismatch:</strong> recomputing this round from its {check.moves} stored moves
            does not give the stored results. {check.message}
          </p>
          <p className="small">The stored results are shown below as they were saved.</p>
        </div>
      )}

      {check.ok ? <RaceGhost roundId={replay.id} /> : null}

      <ReplayViewer
        record={replay.record}
        participants={replay.participants}
        tracks={replayTracks(check.state)}
        turns={replay.turns}
        initialTurn={turn}
        surfaceName={name}
      />

      <section className="card" aria-labelledby="ranking-title">
        <h2 id="ranking-title" className="h3">
          Ranking (as stored)
        </h2>
        <div className="rp-table-wrap" role="region" aria-labelledby="ranking-title" tabIndex={0}>
          <table className="ranking" data-testid="ranking">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Player</th>
                <th scope="col" className="num">
                  Final loss
                </th>
                <th scope="col" className="num">
                  Score
                </th>
                <th scope="col">Beat the bot</th>
                <th scope="col" className="num">
                  Turns
                </th>
              </tr>
            </thead>
            <tbody>
              {players.map((p) => (
                <tr key={p.seat}>
                  <td>{p.rank}</td>
                  <th scope="row">{p.nickname}</th>
                  <td className="num">{formatLoss(p.finalLoss)}</td>
                  <td className="num">{p.score}</td>
                  <td>{beatBotLabel(p.beatBot)}</td>
                  <td className="num">{p.turnsPlayed}</td>
                </tr>
              ))}
              {bot ? (
                <tr className="bot-row">
                  <td>–</td>
                  <th scope="row">{botLabel(replay.botOptimizer)}</th>
                  <td className="num">{formatLoss(bot.finalLoss)}</td>
                  <td className="num">{bot.score}</td>
                  <td />
                  <td className="num">{bot.turnsPlayed}</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        <p className="small muted">
          score = round(1000 × progress), progress = (L(θ₀) − L_final) / (L(θ₀) − L*) with L(θ₀) ={" "}
          {formatLoss(replay.startLoss)} and L* = {formatLoss(replay.minLoss)}. Settings: η_max ={" "}
          {formatLoss(settings.etaMax)}
          {settings.secondsPerTurn > 0 ? `, ${settings.secondsPerTurn} s per turn` : ", untimed"}.
        </p>
        <p className="small">
          Share this replay: <a href={here}>{here}</a>
        </p>
      </section>
    </main>
  );
}
