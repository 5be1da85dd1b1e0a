"use client";

import { useEffect, useState } from "react";
import type { FormEvent, ReactNode } from "react";
import type { RoomSnapshot } from "../../../lib/protocol";
import { ErrorBanner } from "../../components/error-banner";
import { useRoom } from "../../hooks/use-room";
import { useScrollToTop } from "../../hooks/use-scroll-top";
import type { RoomClient, RoomClientState } from "../../lib/room-client";
import { lastNickname } from "../../lib/socket";
import { Lobby } from "./lobby";
import { Play, Spectate } from "./play";
import { Reveal } from "./reveal";
import { NicknameField, nicknameProblem } from "../../components/nickname-field";
import { useRoomContext } from "./share-round";

/** The room page: connection banner, errors, then the phase the server says the room is in. */
export function RoomView({ code }: { code: string }) {
  const { state, client } = useRoom(code);
  const snapshot = state.snapshot;
  const context = useRoomContext(code);
  const label =
    context?.kind === "daily"
      ? `Daily descent #${context.day}${context.scored ? "" : " · practice, not scored"}`
      : context?.kind === "challenge"
        ? "Challenge"
        : snapshot?.mode === "solo"
          ? "Solo practice"
          : `Room ${code}`;
  return (
    <main className="room">
      <header className="room-header">
        {/* A full page load on purpose: it drops this tab's attachment to the room. */}
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
        <a href="/" className="brand">
          Blind Descent
        </a>
        <span
          className="room-code"
          aria-label={
            context || snapshot?.mode === "solo" ? label : `Room code ${code.split("").join(" ")}`
          }
          data-testid="room-label"
        >
          {label}
        </span>
        <ConnectionPill state={state} />
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
      <section className="card">
        <h1>This room is closed</h1>
        <p>{state.closed.message}</p>
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
        <a className="button" href="/">
          Back to the start
        </a>
      </section>
    );
  }
  if (state.missing) {
    return (
      <section className="card" data-testid="unknown-code">
        <h1>No room has the code {code}</h1>
        <p>Check the code with whoever shared it: the room may have closed.</p>
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
        <a className="button" href="/">
          Back to the start
        </a>
      </section>
    );
  }
  if (!state.ready && !snapshot) {
    return (
      <section className="card" aria-busy="true">
        <p>Connecting to room {code}…</p>
      </section>
    );
  }
  if (!state.attached || !snapshot) {
    return <JoinForm code={code} client={client} />;
  }
  const isPlayer = snapshot.round?.you != null;
  return (
    <Phase phase={`${snapshot.phase}-${snapshot.roundNumber}`}>
      {phaseView(snapshot, client, state.clockOffset, isPlayer)}
    </Phase>
  );
}

/** Each new phase starts at the top of the page. */
function Phase({ phase, children }: { phase: string; children: ReactNode }) {
  useScrollToTop(phase);
  return <>{children}</>;
}

function phaseView(
  snapshot: RoomSnapshot,
  client: RoomClient,
  clockOffset: number,
  isPlayer: boolean,
): ReactNode {
  if (snapshot.phase === "lobby" || !snapshot.round) {
    return <Lobby snapshot={snapshot} client={client} />;
  }
  if (snapshot.phase === "playing") {
    return isPlayer ? (
      <Play snapshot={snapshot} client={client} clockOffset={clockOffset} />
    ) : (
      <Spectate snapshot={snapshot} client={client} clockOffset={clockOffset} />
    );
  }
  return <Reveal snapshot={snapshot} client={client} />;
}

function ConnectionPill({ state }: { state: RoomClientState }) {
  const label =
    state.connection === "connected"
      ? "Online"
      : state.connection === "connecting"
        ? "Connecting…"
        : "Reconnecting…";
  return (
    <span className={`pill ${state.connection}`} role="status" data-testid="connection">
      {label}
    </span>
  );
}

function JoinForm({ code, client }: { code: string; client: RoomClient }) {
  const [nickname, setNickname] = useState("");
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setNickname((n) => n || lastNickname());
  }, []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    await client.join(nickname.trim());
    setBusy(false);
  };
  return (
    <section className="card" aria-labelledby="join-title">
      <h1 id="join-title">Join room {code}</h1>
      <form onSubmit={(e) => void submit(e)} className="join-row">
        <NicknameField value={nickname} onChange={setNickname} testId="join-nickname" />
        <button
          type="submit"
          disabled={busy || !nickname.trim() || nicknameProblem(nickname) !== null}
          data-testid="join-submit"
        >
          {busy ? "Joining…" : "Join"}
        </button>
      </form>
    </section>
  );
}
