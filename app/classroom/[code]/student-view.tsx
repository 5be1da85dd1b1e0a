"use client";

import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { competitionVerdict, roundVerdict, standingBadge } from "../../../lib/game/verdict";
import { pendingRevealPlayers } from "../../../lib/protocol/messages";
import { ErrorBanner } from "../../components/error-banner";
import { useConfetti } from "../../hooks/use-confetti";
import { useRoom } from "../../hooks/use-room";
import { useScrollToTop } from "../../hooks/use-scroll-top";
import type { RoomClient, RoomClientState } from "../../lib/room-client";
import { lastNickname } from "../../lib/socket";
import { formatLoss } from "../../lib/plot";
import { Play } from "../../room/[code]/play";
import type { PlayProps } from "../../room/[code]/play";
import styles from "../classroom.module.css";
import { LearningCard } from "../../components/learning-card";
import { ShareRound } from "../../room/[code]/share-round";
import { CLASSROOM_CONFETTI, RevealMap, StandingsTable } from "../parts";
import { NicknameField, nicknameProblem } from "../../components/nickname-field";

/**
 * A student's phone: join with a nickname (the seat token is kept, so a refresh or a dropped
 * connection takes the seat back), then the room's play view during a round, your result at each
 * reveal, and the standings (or, without rankings, only your own progress).
 */
export function StudentView({ code }: { code: string }) {
  const { state, client } = useRoom(code);
  return (
    <main className={styles.student} data-testid="student">
      <header className="room-header">
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
        <a href="/" className="brand">
          Blind Descent
        </a>
        <span className="room-code">Class {code}</span>
        <span className="small muted">
          {state.connection === "connected" ? "" : "reconnecting…"}
        </span>
      </header>
      <ErrorBanner error={state.error} onDismiss={() => client.clearError()} />
      <Body code={code} state={state} client={client} />
    </main>
  );
}

function Body({
  code,
  state,
  client,
}: {
  code: string;
  state: RoomClientState;
  client: RoomClient;
}) {
  const snapshot = state.snapshot;
  if (state.closed) {
    return (
      <>
        <section className="card" data-testid="closed">
          <h1>{state.closed.reason === "kicked" ? "You were removed" : "You left the class"}</h1>
          <p>{state.closed.message}</p>
        </section>
        <JoinForm client={client} />
      </>
    );
  }
  if (state.missing) {
    return (
      <section className="card" data-testid="unknown-code">
        <h1>No class has the code {code}</h1>
        <p>Check the code on the big screen: six letters and digits, like K7M2QX.</p>
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
        <a className="button" href="/classroom">
          Type the code again
        </a>
      </section>
    );
  }
  if (!state.ready) return <p aria-busy="true">Connecting…</p>;
  if (!state.attached || !snapshot || snapshot.you.role !== "player") {
    return <JoinForm client={client} />;
  }
  return <Seated snapshot={snapshot} client={client} clockOffset={state.clockOffset} />;
}

function JoinForm({ client }: { client: RoomClient }) {
  const [nickname, setNickname] = useState("");
  useEffect(() => {
    // Storage is read after hydration: the server's HTML and the first render match (no #418).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setNickname((n) => n || lastNickname());
  }, []);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const clean = nickname.trim();
    if (!clean) return;
    setBusy(true);
    await client.join(clean);
    setBusy(false);
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} data-testid="join-form">
      <h1>Join the class</h1>
      <NicknameField value={nickname} onChange={setNickname} testId="nickname" />
      <p className="small muted">No account needed. Your classmates see this name.</p>
      <button
        type="submit"
        disabled={busy || !nickname.trim() || nicknameProblem(nickname) !== null}
        data-testid="join"
      >
        {busy ? "Joining…" : "Join"}
      </button>
    </form>
  );
}

function Seated({ snapshot, client, clockOffset }: PlayProps) {
  const classroom = snapshot.classroom;
  const round = snapshot.round;
  const me = classroom?.you ?? null;
  const planned = classroom?.plan.length ?? 0;
  const finished =
    classroom?.status === "playing"
      ? (classroom.roundsPlayed ?? 1) - 1
      : (classroom?.roundsPlayed ?? 0);
  const noRankings = classroom?.noRankings ?? false;
  const mine = round?.reveal?.results.ranking.find((r) => r.you) ?? null;
  const verdict =
    round?.reveal && mine
      ? roundVerdict(round.reveal.results, mine.seat, { formatLoss, noRankings })
      : null;
  const final = me ? competitionVerdict(me, classroom?.standings ?? null, { noRankings }) : null;
  const badge = standingBadge(me, noRankings);
  const celebrate =
    (classroom?.status === "between" && (verdict?.celebrate ?? false)) ||
    (classroom?.status === "ended" && (final?.celebrate ?? false));
  useConfetti(celebrate, `${snapshot.code}-${snapshot.roundNumber}`, CLASSROOM_CONFETTI);
  useScrollToTop(`${classroom?.status}-${round?.phase}-${snapshot.roundNumber}`);

  const head = (
    <p data-testid="student-hello">
      You are <strong data-testid="you-nickname">{snapshot.you.nickname}</strong>
      {me ? (
        <>
          {" "}
          · total <strong data-testid="you-total">{me.total}</strong>
          {badge ? ` · ${badge}` : ""} · beat the bot {me.botBeaten}×
        </>
      ) : null}
    </p>
  );

  if (classroom?.status === "playing" && round?.phase === "playing") {
    if (!snapshot.you.inRound) {
      return (
        <section className="card" data-testid="wait-next-round">
          {head}
          <h1>A round is under way</h1>
          <p>You joined during this round: you play from the next one.</p>
        </section>
      );
    }
    return (
      <>
        {classroom.paused ? (
          <p className={styles.banner} role="status" data-testid="student-paused">
            The teacher paused the game.
          </p>
        ) : null}
        <Play snapshot={snapshot} client={client} clockOffset={clockOffset} />
      </>
    );
  }

  if (classroom?.status === "ended") {
    return (
      <section className="card" data-testid="student-final">
        {head}
        <h1>That’s the end of the competition</h1>
        {final ? (
          <div className="verdict" data-testid="verdict" data-tone={final.tone}>
            <p className="verdict-headline" data-testid="verdict-headline">
              {final.headline}
            </p>
            <p className="verdict-detail">{final.detail}</p>
          </div>
        ) : null}
        {classroom.standings ? (
          <StandingsTable standings={classroom.standings} rounds={finished} />
        ) : null}
      </section>
    );
  }

  if (classroom?.status === "between" && round?.reveal) {
    // L4: the student's own round in one sentence, as on a room's reveal.
    const myPath = round.reveal.players.find((p) => p.you) ?? null;
    return (
      <>
        <section className="card" data-testid="student-reveal">
          {head}
          <h1>
            Round {finished}: it was{" "}
            <span data-testid="surface-name">{round.reveal.surface.name}</span>
          </h1>
          {verdict ? (
            <div className="verdict" data-testid="verdict" data-tone={verdict.tone}>
              <p className="verdict-headline" data-testid="verdict-headline">
                {verdict.headline}
              </p>
              <p className="verdict-detail">{verdict.detail}</p>
            </div>
          ) : (
            <p>You play from the next round.</p>
          )}
          <p className="muted">
            {finished < planned
              ? `Next: round ${finished + 1} of ${planned}. Wait for your teacher.`
              : "That was the last round."}
          </p>
        </section>
        <RevealMap reveal={round.reveal} pending={pendingRevealPlayers(snapshot)} />
        {myPath ? <LearningCard feedback={myPath.feedback} /> : null}
        {/* C4: a revealed class round is a challenge like any other: the same surface, solo. */}
        <ShareRound code={snapshot.code} challengeId={null} />
        {classroom.standings ? (
          <section className="card">
            <h2 className="h3">Standings</h2>
            <StandingsTable standings={classroom.standings} rounds={finished} />
          </section>
        ) : null}
      </>
    );
  }

  return (
    <section className="card" data-testid="student-lobby">
      {head}
      <h1>You’re in!</h1>
      <p>
        Look at the board: the teacher starts round {finished + 1} of {planned} soon.
      </p>
      {classroom?.noRankings ? (
        <p className="muted">This class plays without rankings: you see your own progress.</p>
      ) : null}
    </section>
  );
}
