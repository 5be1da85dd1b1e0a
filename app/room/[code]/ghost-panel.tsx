"use client";

import { useState } from "react";
import type { RoomSnapshot } from "../../../lib/protocol";
import type { GhostChoice, RoomClient } from "../../lib/room-client";

/**
 * The room's ghost (docs/SPEC.md G1–G4): who races with the players, and for the host one-click
 * choices (the best on this surface, your last attempt, a past class winner) or a replay id.
 * Labelled in text ("Ghost"), not an emoji: Debian's Chromium has no glyph for one.
 */
export function GhostPanel({ snapshot, client }: { snapshot: RoomSnapshot; client: RoomClient }) {
  const ghost = snapshot.ghost;
  const isHost = snapshot.you.isHost;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [replay, setReplay] = useState("");
  if (!isHost && !ghost) return null;
  const add = async (from: GhostChoice) => {
    setBusy(true);
    setError(null);
    const result = await client.addGhost(from);
    setBusy(false);
    if (!result.ok) setError(result.message);
  };
  // "Your last attempt": the round just revealed, when it is stored and you played it.
  const canRaceLast = snapshot.phase === "revealed" && !!snapshot.replayId && snapshot.you.inRound;
  return (
    <section className="card ghost-panel" aria-labelledby="ghost-title" data-testid="ghost-panel">
      <h2 id="ghost-title" className="h3">
        <span className="ghost-tag">Ghost</span> Race a past round
      </h2>
      {ghost ? (
        <p data-testid="ghost-current">
          <strong>{ghost.nickname}</strong> races in the next round: the moves of a stored round (
          {ghost.turns} turns), played again turn by turn on its own surface.
          {isHost ? " The settings follow the ghost's round until you remove it." : ""}
        </p>
      ) : (
        <p className="muted small">
          A ghost replays a stored player&apos;s moves, turn by turn, on the same hidden surface.
        </p>
      )}
      {isHost ? (
        <div className="ghost-actions">
          <div className="action-row">
            <button
              type="button"
              className="secondary"
              disabled={busy}
              data-testid="ghost-best"
              onClick={() => void add({ kind: "best" })}
            >
              Race the best on this surface
            </button>
            {canRaceLast ? (
              <button
                type="button"
                className="secondary"
                disabled={busy}
                data-testid="ghost-last"
                onClick={() => void add({ kind: "last" })}
              >
                Race your last attempt
              </button>
            ) : null}
            {/* The best student of the latest classroom competition with a stored round. */}
            <button
              type="button"
              className="secondary"
              disabled={busy}
              data-testid="ghost-winner"
              onClick={() => void add({ kind: "winner" })}
            >
              Race a past class winner
            </button>
            {ghost ? (
              <button
                type="button"
                className="secondary"
                disabled={busy}
                data-testid="ghost-remove"
                onClick={async () => {
                  setBusy(true);
                  setError(null);
                  await client.removeGhost();
                  setBusy(false);
                }}
              >
                Remove the ghost
              </button>
            ) : null}
          </div>
          <form
            className="share-row"
            onSubmit={(e) => {
              e.preventDefault();
              const id = replay
                .trim()
                .replace(/^.*\/replays\//u, "")
                .replace(/[?#].*$/u, "");
              if (id) void add({ kind: "round", roundId: id });
            }}
          >
            <input
              type="text"
              value={replay}
              onChange={(e) => setReplay(e.target.value)}
              placeholder="a replay link or id"
              aria-label="Replay link or id"
              data-testid="ghost-replay"
            />
            <button type="submit" className="secondary" disabled={busy || replay.trim() === ""}>
              Race it
            </button>
          </form>
        </div>
      ) : null}
      <p className="error-line" role="alert" data-testid="ghost-error">
        {error}
      </p>
    </section>
  );
}
