"use client";

import { classRoundVerdict } from "../../../../lib/game/verdict";
import { pendingRevealPlayers } from "../../../../lib/protocol/messages";
import { formatLoss } from "../../../lib/plot";
import type { RoomSnapshot } from "../../../../lib/protocol";
import { useConfetti } from "../../../hooks/use-confetti";
import { useClassroom } from "../../classroom-client";
import styles from "../../classroom.module.css";
import { ClassLearningSummary } from "../../learning-parts";
import type { JoinAddress } from "../../join-address";
import {
  CLASSROOM_CONFETTI,
  ClassRace,
  joinUrl,
  JoinWarning,
  Podium,
  QrCode,
  RevealMap,
  roundPodium,
  StandingsTable,
  standingsPodium,
  TurnLine,
} from "../../parts";

/**
 * The projector: readable from the back of the room, nothing to click. Lobby: the join code, URL
 * and QR code, names as students join. A round: the live loss race (no names without rankings).
 * The reveal: the surface with every path, the round's podium with confetti. The end: the final
 * podium and standings. The results page is the same view without the join panel.
 */
export function ProjectorView({
  code,
  variant,
  join,
}: {
  code: string;
  variant: "projector" | "results";
  join: JoinAddress;
}) {
  const { state } = useClassroom(code, "projector");
  const snapshot = state.snapshot;
  const classroom = snapshot?.classroom ?? null;
  return (
    <main
      className={`${styles.projector} ${variant === "results" ? styles.resultsPage : ""}`}
      data-testid={variant}
    >
      <div className={styles.projectorTop}>
        <h1>{classroom?.name ?? "Classroom competition"}</h1>
        <span>
          {variant === "projector" && classroom?.status !== "ended" ? (
            <span data-testid="join-at">
              Join at <span className={styles.smallCode}>{code}</span>
            </span>
          ) : null}
          {state.connected ? "" : " · reconnecting…"}
        </span>
      </div>
      {state.closed ? (
        <p className={styles.status}>{state.closed.message}</p>
      ) : state.error && !snapshot ? (
        <p className={styles.status} role="alert">
          {state.error}
        </p>
      ) : snapshot && classroom ? (
        <Stage snapshot={snapshot} clockOffset={state.clockOffset} variant={variant} join={join} />
      ) : (
        <p aria-busy="true">Connecting…</p>
      )}
    </main>
  );
}

function Stage({
  snapshot,
  clockOffset,
  variant,
  join,
}: {
  snapshot: RoomSnapshot;
  clockOffset: number;
  variant: "projector" | "results";
  join: JoinAddress;
}) {
  const classroom = snapshot.classroom!;
  const planned = classroom.plan.length;
  const round = snapshot.round;
  const finished =
    classroom.status === "playing" ? classroom.roundsPlayed - 1 : classroom.roundsPlayed;
  const ended = classroom.status === "ended";
  const revealed = classroom.status === "between" && round?.reveal != null;
  const finalPodium = standingsPodium(classroom.standings);
  const podium = ended ? finalPodium : roundPodium(round);
  const verdict =
    revealed && round?.reveal
      ? classRoundVerdict(round.reveal.results, { formatLoss, noRankings: classroom.noRankings })
      : null;
  useConfetti(
    (ended && finalPodium.some((p) => p.score > 0)) || (verdict?.celebrate ?? false),
    ended ? "final" : `round-${snapshot.roundNumber}`,
    CLASSROOM_CONFETTI,
  );

  if (ended || (variant === "results" && classroom.status !== "playing")) {
    return (
      <section data-testid="final">
        <h2>{ended ? "Final results" : `Standings after round ${finished} of ${planned}`}</h2>
        {finalPodium.length > 0 && classroom.standings ? (
          <Podium places={finalPodium} testId="final-podium" />
        ) : null}
        {/* The projector: standings and the class summary side by side (one screen, no scroll). */}
        <div className={variant === "projector" ? styles.finalGrid : undefined}>
          {classroom.standings ? (
            <StandingsTable
              standings={
                variant === "projector" ? classroom.standings.slice(0, 8) : classroom.standings
              }
              rounds={finished}
              compact={variant === "projector"}
              aim={variant === "results"}
            />
          ) : (
            <ClassNumbers snapshot={snapshot} />
          )}
          {finished > 0 ? (
            <ClassLearningSummary
              learning={classroom.class.learning}
              large={variant === "projector"}
            />
          ) : null}
        </div>
      </section>
    );
  }

  if (classroom.status === "lobby" || !round) {
    return (
      <section className={styles.joinGrid} data-testid="lobby">
        <div>
          <p>Join on your phone:</p>
          <div
            className={styles.bigCode}
            data-testid="join-code"
            aria-label={`Code ${code(snapshot)}`}
          >
            {snapshot.code}
          </div>
          <p className={styles.joinUrl} data-testid="join-url">
            {joinUrl(snapshot.code, join)}
          </p>
          <JoinWarning join={join} />
          <p className={styles.status}>
            {snapshot.members.length === 0
              ? "Waiting for students…"
              : `${snapshot.members.length} joined`}
            {classroom.locked ? " · joining is locked" : ""}
          </p>
          <ul className={styles.names} data-testid="joined-names" aria-live="polite">
            {snapshot.members.map((m) => (
              <li key={m.nickname}>{m.nickname}</li>
            ))}
          </ul>
        </div>
        {variant === "projector" ? (
          <QrCode url={joinUrl(snapshot.code, join)} className={styles.qr} />
        ) : null}
      </section>
    );
  }

  if (classroom.status === "playing") {
    return (
      <section data-testid="live">
        <h2>
          Round {classroom.roundsPlayed} of {planned} · hint: {round.settings.hint}
        </h2>
        <TurnLine snapshot={snapshot} clockOffset={clockOffset} />
        <ClassRace round={round} />
      </section>
    );
  }

  // Between rounds: the reveal of the round just played.
  return (
    <section data-testid="round-reveal" className={styles.revealIn}>
      <h2>
        Round {finished} of {planned}: it was{" "}
        <span data-testid="surface-name">{round.reveal?.surface.name}</span>
      </h2>
      <div className={styles.projectorGrid}>
        <div>
          {round.reveal ? (
            <RevealMap reveal={round.reveal} pending={pendingRevealPlayers(snapshot)} />
          ) : null}
        </div>
        <div>
          {verdict ? (
            <div className="verdict" data-testid="verdict" data-tone={verdict.tone}>
              <p className="verdict-headline" data-testid="verdict-headline">
                {verdict.headline}
              </p>
              <p className="verdict-detail">{verdict.detail}</p>
            </div>
          ) : null}
          {podium.length > 0 ? <Podium places={podium} /> : null}
          <ClassNumbers snapshot={snapshot} />
          {classroom.standings ? (
            <StandingsTable standings={classroom.standings.slice(0, 5)} rounds={finished} compact />
          ) : null}
          {finished >= planned ? (
            <ClassLearningSummary learning={classroom.class.learning} chart={false} />
          ) : null}
          <p className={styles.status}>
            {finished < planned
              ? `Next: round ${finished + 1} of ${planned}`
              : "That was the last round."}
          </p>
        </div>
      </div>
    </section>
  );
}

function code(snapshot: RoomSnapshot): string {
  return snapshot.code.split("").join(" ");
}

function ClassNumbers({ snapshot }: { snapshot: RoomSnapshot }) {
  const last = snapshot.classroom?.class.lastRound;
  if (!last) return null;
  return (
    <p className={styles.status} data-testid="class-numbers">
      <span className={styles.bigNumber}>{last.beatBot}</span> of {last.players} beat the bot
    </p>
  );
}
