"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import type { RoomSettingsInput } from "../lib/protocol";
import { createRoom, messageOf } from "./lib/room-client";
import { lastNickname } from "./lib/socket";
import { NicknameField, nicknameProblem } from "./components/nickname-field";
import { useLibraryLink } from "./hooks/use-library-link";

type LibrarySurface = Extract<
  NonNullable<RoomSettingsInput["surface"]>,
  { kind: "formula" } | { kind: "data" }
>;

const CODE_PATTERN = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/;

/** Home page actions: play solo against the bot, create a room, or join one by its code. */
export function HomeActions() {
  const router = useRouter();
  const [nickname, setNickname] = useState("");
  const [code, setCode] = useState("");
  const [hostPlays, setHostPlays] = useState(true);
  const [busy, setBusy] = useState<null | "solo" | "setup" | "room">(null);
  const [error, setError] = useState<string | null>(null);
  // F14: a library link (`/?surface=ID`) makes the saved surface the new room's (or solo game's).
  const [library, setLibrary] = useState<{ name: string; surface: LibrarySurface } | null>(null);

  useLibraryLink<LibrarySurface>((name, surface) => setLibrary({ name, surface }), setError);

  useEffect(() => {
    // Prefill the nickname used last time on this browser (storage is read after hydration).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setNickname((n) => n || lastNickname());
  }, []);

  /** "solo": straight into a round; "setup": a solo practice's lobby, to choose its settings. */
  const start = async (what: "solo" | "setup" | "room") => {
    const mode = what === "room" ? "room" : "solo";
    const name = nickname.trim();
    const plays = mode === "solo" || hostPlays;
    if (plays && !name) {
      setError("Pick a nickname first.");
      document.getElementById("nickname")?.focus();
      return;
    }
    const problem = plays ? nicknameProblem(name) : null;
    if (problem) {
      setError(problem);
      document.getElementById("nickname")?.focus();
      return;
    }
    setBusy(what);
    setError(null);
    try {
      const settings: RoomSettingsInput = {
        ...(mode === "solo" ? { secondsPerTurn: 0 } : {}),
        ...(library ? { surface: library.surface } : {}),
      };
      const created = await createRoom({
        mode,
        hostPlays: plays,
        ...(plays ? { nickname: name } : {}),
        ...(Object.keys(settings).length > 0 ? { settings } : {}),
        ...(what === "solo" ? { start: true } : {}),
      });
      router.push(`/room/${created}`);
    } catch (e) {
      setError(messageOf(e));
      setBusy(null);
    }
  };

  const join = (event: FormEvent) => {
    event.preventDefault();
    const c = code.replace(/[\s-]/g, "").toUpperCase();
    if (!CODE_PATTERN.test(c)) {
      setError("A room code has 6 letters and digits, like K7M2QX.");
      return;
    }
    router.push(`/room/${c}`);
  };

  return (
    <section className="card actions" aria-labelledby="play">
      <h2 id="play">Play</h2>
      {library ? (
        <p className="small" data-testid="home-from-library">
          From the library: <strong>{library.name}</strong> (
          {library.surface.kind === "formula"
            ? "a formula in w and b"
            : "the neuron on data points"}
          ). A solo game or a new room plays it.{" "}
          <button
            type="button"
            className="link"
            onClick={() => {
              setLibrary(null);
              window.history.replaceState(null, "", "/");
            }}
          >
            Use a surprise surface instead
          </button>
        </p>
      ) : null}
      {/* Enter in the nickname box starts a solo game: one click (or key) into a game. */}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void start("solo");
        }}
      >
        <NicknameField
          id="nickname"
          value={nickname}
          onChange={setNickname}
          placeholder="e.g. Ada"
        />
        <div className="action-row">
          <button type="submit" disabled={busy !== null} data-testid="play-solo">
            {busy === "solo" ? "Starting…" : "Play solo vs the bot"}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => void start("room")}
            disabled={busy !== null}
            data-testid="create-room"
          >
            {busy === "room" ? "Creating…" : "Create a room"}
          </button>
        </div>
        <p className="small">
          <button
            type="button"
            className="link"
            onClick={() => void start("setup")}
            disabled={busy !== null}
            data-testid="solo-settings"
          >
            {busy === "setup" ? "Opening…" : "Choose the surface, turns and hints first"}
          </button>{" "}
          (a solo practice you set up before it starts)
        </p>
      </form>
      <label className="check">
        <input
          type="checkbox"
          checked={!hostPlays}
          onChange={(e) => setHostPlays(!e.target.checked)}
        />
        I&apos;m hosting for a class and won&apos;t play myself
      </label>
      <form className="join-row" onSubmit={join}>
        <label className="field">
          <span>Join a room by code</span>
          <input
            type="text"
            value={code}
            onChange={(e) => setCode(e.target.value.toUpperCase())}
            placeholder="K7M2QX"
            autoCapitalize="characters"
            autoComplete="off"
            spellCheck={false}
            maxLength={9}
            data-testid="join-code"
          />
        </label>
        <button type="submit" className="secondary">
          Join
        </button>
      </form>
      <p className="error-line" role="alert">
        {error}
      </p>
    </section>
  );
}
