"use client";

import { useState, useSyncExternalStore } from "react";
import type { RoomSnapshot } from "../../../../lib/protocol";
import { ErrorBanner } from "../../../components/error-banner";
import { hostLinkOf, loadHostToken, useClassroom } from "../../classroom-client";
import type { ClassroomConnection } from "../../classroom-client";
import styles from "../../classroom.module.css";
import type { JoinAddress } from "../../join-address";
import { ClassRace, joinUrl, JoinWarning, QrCode, StandingsTable, TurnLine } from "../../parts";
import { NicknameField, nicknameProblem } from "../../../components/nickname-field";

/**
 * The host console: start the next round, pause and resume the timer, lock joining, kick or
 * rename a student, end the competition, download the CSV. Every control is a request the
 * server checks against the host token; the page only shows what the server sends.
 */
export function HostConsole({ code, join }: { code: string; join: JoinAddress }) {
  const { state, connection } = useClassroom(code, "host");
  const snapshot = state.snapshot;
  const classroom = snapshot?.classroom ?? null;
  return (
    <main className={styles.console} data-testid="host-console">
      <header>
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
        <a href="/" className="brand">
          Blind Descent
        </a>
        <h1 data-testid="competition-title">{classroom?.name ?? "Classroom competition"}</h1>
        <p>
          Join code <strong data-testid="host-code">{code}</strong> ·{" "}
          <span className="muted" data-testid="host-join-url">
            {joinUrl(code, join)}
          </span>
          {state.connected ? "" : " · reconnecting…"}
        </p>
        <JoinWarning join={join} />
        <nav className={styles.links}>
          <a
            href={`/classroom/${code}/projector`}
            target="_blank"
            rel="noreferrer"
            data-testid="projector-link"
          >
            Open the projector view
          </a>
          <a href={`/classroom/${code}/results`} target="_blank" rel="noreferrer">
            Results page
          </a>
          <CsvLink code={code} />
        </nav>
      </header>
      {state.snapshot ? <HostLink code={code} join={join} /> : null}
      <ErrorBanner error={state.error} onDismiss={() => connection.clearError()} />
      {state.closed ? (
        <section className="card">
          <h2>The competition room is closed</h2>
          <p>{state.closed.message}</p>
        </section>
      ) : snapshot && classroom ? (
        <Console snapshot={snapshot} connection={connection} clockOffset={state.clockOffset} />
      ) : state.ready ? null : (
        <p aria-busy="true">Connecting…</p>
      )}
    </main>
  );
}

const noSubscribe = () => () => {};

/**
 * The console on another device: a link (and its QR code) that carries the host token in its
 * fragment. Folded away by default so it never shows on a shared screen by accident.
 */
function HostLink({ code, join }: { code: string; join: JoinAddress }) {
  const link = useSyncExternalStore(
    noSubscribe,
    () => hostLinkOf(code, join.base),
    () => null,
  );
  const [copied, setCopied] = useState(false);
  if (!link) return null;
  return (
    <details className="card" data-testid="host-link">
      <summary>Run the class from another device (your phone, a second laptop)</summary>
      <p className="small">
        Scan this on your phone, or open the link on another computer: it opens this console there,
        with every control. Anyone with it can run the class: never show it on the projector.
      </p>
      <QrCode url={link} className={styles.hostQr} />
      <p className="small">
        <a href={link} data-testid="host-link-url" className={styles.hostLinkText}>
          {link}
        </a>{" "}
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void navigator.clipboard?.writeText(link).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? "Copied" : "Copy the link"}
        </button>
      </p>
      <p className="small muted">
        Lost this console? Open the link again on any device; this browser keeps the console too.
      </p>
    </details>
  );
}

/**
 * The CSV export link (the host token, kept in this browser, goes in the query); shown only where
 * it works, i.e. in a browser that holds the token.
 */
function CsvLink({ code }: { code: string }) {
  const token = useSyncExternalStore(
    noSubscribe,
    () => loadHostToken(code),
    () => null,
  );
  if (!token) return null;
  const href = `/classroom/${code}/results.csv?token=${encodeURIComponent(token)}`;
  return (
    <a href={href} download data-testid="csv-link">
      Download the results (CSV)
    </a>
  );
}

function Console({
  snapshot,
  connection,
  clockOffset,
}: {
  snapshot: RoomSnapshot;
  connection: ClassroomConnection;
  clockOffset: number;
}) {
  const classroom = snapshot.classroom!;
  const planned = classroom.plan.length;
  const finishedRounds =
    classroom.status === "playing" ? classroom.roundsPlayed - 1 : classroom.roundsPlayed;
  const playing = classroom.status === "playing";
  const ended = classroom.status === "ended";
  const canStart = !playing && !ended && finishedRounds < planned;
  const [busy, setBusy] = useState(false);
  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    await fn();
    setBusy(false);
  };

  return (
    <>
      <section className="card" aria-labelledby="controls-title">
        <h2 id="controls-title" className="h3">
          Controls
        </h2>
        <p data-testid="host-status">
          {ended
            ? "The competition has ended."
            : playing
              ? `Round ${classroom.roundsPlayed} of ${planned} is being played.`
              : finishedRounds === 0
                ? `Waiting to start round 1 of ${planned}.`
                : finishedRounds < planned
                  ? `Round ${finishedRounds} is over. Next: round ${finishedRounds + 1} of ${planned}.`
                  : `All ${planned} rounds are played: end the competition for the final podium.`}
        </p>
        <div className={styles.controls}>
          <button
            type="button"
            disabled={!canStart || busy || snapshot.members.length === 0}
            onClick={() => void act(() => connection.control("round:start", {}))}
            data-testid="start-round"
          >
            {playing
              ? `Round ${classroom.roundsPlayed} in progress`
              : `Start round ${Math.min(finishedRounds + 1, planned)}`}
          </button>
          {playing ? (
            classroom.paused ? (
              <button
                type="button"
                onClick={() => void act(() => connection.control("classroom:resume", {}))}
                data-testid="resume"
              >
                Resume the timer
              </button>
            ) : (
              <button
                type="button"
                className="button secondary"
                onClick={() => void act(() => connection.control("classroom:pause", {}))}
                data-testid="pause"
              >
                Pause the timer
              </button>
            )
          ) : null}
          <button
            type="button"
            className="button secondary"
            disabled={ended}
            onClick={() =>
              void act(() => connection.control("classroom:lock", { locked: !classroom.locked }))
            }
            data-testid="lock"
            aria-pressed={classroom.locked}
          >
            {classroom.locked ? "Unlock joining" : "Lock joining"}
          </button>
          <button
            type="button"
            className="button secondary"
            disabled={ended || playing || busy}
            onClick={() => void act(() => connection.control("classroom:end", {}))}
            data-testid="end-competition"
          >
            End the competition
          </button>
        </div>
        <p className="small muted" data-testid="lock-state">
          {classroom.locked ? "Joining is locked." : "Joining is open."}
          {classroom.noRankings ? " No rankings: students see only their own progress." : ""}
        </p>
        {playing && snapshot.round ? (
          <TurnLine snapshot={snapshot} clockOffset={clockOffset} />
        ) : null}
      </section>
      <section className="card" aria-labelledby="students-title">
        <h2 id="students-title" className="h3">
          Students ({snapshot.members.length})
        </h2>
        {snapshot.members.length === 0 ? <p className="muted">Nobody has joined yet.</p> : null}
        {snapshot.members.map((m) => (
          <StudentRow
            key={m.nickname}
            nickname={m.nickname}
            connected={m.connected}
            status={
              m.inRound
                ? playing
                  ? m.moved
                    ? "moved"
                    : "thinking"
                  : ""
                : playing
                  ? "plays next round"
                  : ""
            }
            connection={connection}
          />
        ))}
      </section>
      {snapshot.round && playing ? (
        <section className="card" aria-label="Live race">
          <ClassRace round={snapshot.round} />
        </section>
      ) : null}
      <section className="card" aria-labelledby="standings-title">
        <h2 id="standings-title" className="h3">
          Standings
        </h2>
        {classroom.standings && classroom.standings.length > 0 ? (
          <StandingsTable
            standings={classroom.standings}
            rounds={Math.max(finishedRounds, 0)}
            aim
          />
        ) : (
          <p className="muted">After the first round.</p>
        )}
      </section>
    </>
  );
}

function StudentRow({
  nickname,
  connected,
  status,
  connection,
}: {
  nickname: string;
  connected: boolean;
  status: string;
  connection: ClassroomConnection;
}) {
  const [renaming, setRenaming] = useState(false);
  const [confirmKick, setConfirmKick] = useState(false);
  const [value, setValue] = useState("");
  return (
    <div
      className={`${styles.studentRow} ${connected ? "" : styles.offline}`}
      data-testid="student-row"
    >
      <span className={styles.studentName} data-testid="student-name">
        {nickname}
      </span>
      <span className="small muted">
        {connected ? "online" : "offline"}
        {status ? ` · ${status}` : ""}
      </span>
      {renaming ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void connection
              .control("classroom:rename", { nickname, newNickname: value })
              .then((r) => r && setRenaming(false));
          }}
        >
          <NicknameField
            value={value}
            onChange={setValue}
            label={`New nickname for ${nickname}`}
            hideLabel
            testId="rename-input"
            autoFocus
          />
          <button
            type="submit"
            disabled={!value.trim() || nicknameProblem(value) !== null}
            data-testid="rename-save"
          >
            Save
          </button>
          <button type="button" className="link" onClick={() => setRenaming(false)}>
            Cancel
          </button>
        </form>
      ) : confirmKick ? (
        <span className={styles.controls} role="group" aria-label={`Remove ${nickname}?`}>
          <span className="small">Remove {nickname} from the class?</span>
          <button
            type="button"
            className="button"
            onClick={() =>
              void connection.control("room:kick", { nickname }).then(() => setConfirmKick(false))
            }
            data-testid="kick-confirm"
            autoFocus
          >
            Remove
          </button>
          <button
            type="button"
            className="button secondary"
            onClick={() => setConfirmKick(false)}
            data-testid="kick-cancel"
          >
            Keep
          </button>
        </span>
      ) : (
        <span className={styles.controls}>
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              setValue("");
              setRenaming(true);
            }}
            data-testid="rename"
            aria-label={`Rename ${nickname}`}
          >
            Rename
          </button>
          <button
            type="button"
            className="button secondary"
            onClick={() => setConfirmKick(true)}
            data-testid="kick"
            aria-label={`Remove ${nickname}`}
          >
            Kick
          </button>
        </span>
      )}
    </div>
  );
}
