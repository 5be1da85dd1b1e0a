"use client";

import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { ErrorBanner } from "../../components/error-banner";
import { useRoom } from "../../hooks/use-room";
import type { RoomClient, RoomClientState } from "../../lib/room-client";
import { lastNickname } from "../../lib/socket";
import { Lobby } from "./lobby";
import { Play, Spectate } from "./play";
import { Reveal } from "./reveal";
import { NICKNAME_MAX_LENGTH } from "../../../lib/protocol/limits";

/** The room page: connection banner, errors, then the phase the server says the room is in. */
export function RoomView({ code }: { code: string }) {
  const { state, client } = useRoom(code);
  const snapshot = state.snapshot;
  return (
    <main className="room">
      <header className="room-header">
        {/* A full page load on purpose: it drops this tab's attachment to the room. */}
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
        <a href="/" className="brand">
          Blind Descent
        </a>
        <span className="room-code" aria-label={`Room code ${code.split("").join(" ")}`}>
          {snapshot?.mode === "solo" ? "Solo practice" : `Room ${code}`}
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
  if (snapshot.phase === "lobby" || !snapshot.round) {
    return <Lobby snapshot={snapshot} client={client} />;
  }
  if (snapshot.phase === "playing") {
    return isPlayer ? (
      <Play snapshot={snapshot} client={client} clockOffset={state.clockOffset} />
    ) : (
      <Spectate snapshot={snapshot} client={client} clockOffset={state.clockOffset} />
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
        <label className="field">
          <span>Your nickname</span>
          <input
            type="text"
            value={nickname}
            maxLength={NICKNAME_MAX_LENGTH}
            required
            autoComplete="nickname"
            onChange={(e) => setNickname(e.target.value)}
            data-testid="join-nickname"
          />
        </label>
        <button type="submit" disabled={busy || !nickname.trim()} data-testid="join-submit">
          {busy ? "Joining…" : "Join"}
        </button>
      </form>
    </section>
  );
}
