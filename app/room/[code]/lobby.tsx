"use client";

import { useEffect, useRef, useState } from "react";
import type { RoomSettingsInput, RoomSnapshot } from "../../../lib/protocol";
import type { RoomClient } from "../../lib/room-client";
import { SurfaceOptions, surfaceFromKey, surfaceKey } from "../../components/surface-options";
import { BOT_LEVELS } from "../../lib/surface-names";
import { FormulaSettings } from "./formula-settings";
import { DataSettings } from "./data-settings";
import { GhostPanel } from "./ghost-panel";

/** The lobby: who is here, the join link, and the host's settings (read-only for players). */
export function Lobby({ snapshot, client }: { snapshot: RoomSnapshot; client: RoomClient }) {
  const isHost = snapshot.you.isHost;
  return (
    <div className="lobby" data-testid="lobby">
      <section className="card" aria-labelledby="lobby-title">
        <h1 id="lobby-title">{snapshot.mode === "solo" ? "Solo practice" : "Lobby"}</h1>
        {snapshot.mode === "room" ? <ShareLink code={snapshot.code} /> : null}
        <Members snapshot={snapshot} />
      </section>
      <GhostPanel snapshot={snapshot} client={client} />
      <SettingsPanel snapshot={snapshot} client={client} />
      <StartBar snapshot={snapshot} client={client} isHost={isHost} />
    </div>
  );
}

/** The host's start (or next round) button; a waiting line for everyone else. */
export function StartBar({
  snapshot,
  client,
  isHost,
  next = false,
}: {
  snapshot: RoomSnapshot;
  client: RoomClient;
  isHost: boolean;
  next?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  if (!isHost) {
    return (
      <p className="waiting" role="status">
        Waiting for the host to start {next ? "the next round" : "the round"}…
      </p>
    );
  }
  const seated = snapshot.members.length;
  return (
    <div className="start-bar">
      <button
        type="button"
        disabled={busy || seated === 0}
        data-testid="start-round"
        onClick={async () => {
          setBusy(true);
          await client.startRound();
          setBusy(false);
        }}
      >
        {busy ? "Starting…" : next ? "Next round" : "Start the round"}
      </button>
      {seated === 0 ? <span className="muted">Waiting for players to join…</span> : null}
    </div>
  );
}

function ShareLink({ code }: { code: string }) {
  const [url, setUrl] = useState(`/room/${code}`);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    // The origin is only known in the browser.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setUrl(`${window.location.origin}/room/${code}`);
  }, [code]);
  return (
    <div className="share">
      <p>
        Code{" "}
        <strong className="big-code" data-testid="room-code">
          {code}
        </strong>
      </p>
      <div className="share-row">
        <input
          type="text"
          readOnly
          value={url}
          aria-label="Join link"
          onFocus={(e) => e.target.select()}
        />
        <button
          type="button"
          className="secondary"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(url);
              setCopied(true);
            } catch {
              setCopied(false);
            }
          }}
        >
          {copied ? "Copied" : "Copy link"}
        </button>
      </div>
    </div>
  );
}

/** Seated members with their connection state and, during a turn, whether they have moved. */
export function Members({
  snapshot,
  showMoved = false,
}: {
  snapshot: RoomSnapshot;
  showMoved?: boolean;
}) {
  return (
    <div>
      <h2 className="h3">Players ({snapshot.members.length})</h2>
      <ul className="members" data-testid="members">
        {snapshot.members.map((m) => (
          <li key={m.nickname} className={m.connected ? "" : "away"}>
            <span>
              {m.nickname}
              {m.you ? " (you)" : ""}
              {m.host ? " · host" : ""}
            </span>
            <span className="muted small">
              {!m.connected
                ? "away"
                : showMoved
                  ? m.moved
                    ? "✓ moved"
                    : "thinking…"
                  : m.inRound
                    ? ""
                    : "next round"}
            </span>
          </li>
        ))}
        {snapshot.members.length === 0 ? <li className="muted">Nobody yet.</li> : null}
      </ul>
    </div>
  );
}

/**
 * The round settings. The host edits them (each change is sent as the room's new settings; the
 * server checks them and answers with a clear error if one is out of range); players see them.
 */
export function SettingsPanel({
  snapshot,
  client,
}: {
  snapshot: RoomSnapshot;
  client: RoomClient;
}) {
  const s = snapshot.settings;
  const isHost = snapshot.you.isHost;
  const [turns, setTurns] = useState(String(s.turns));
  const [seconds, setSeconds] = useState(String(s.secondsPerTurn));
  const [etaMax, setEtaMax] = useState(s.etaMax === undefined ? "" : String(s.etaMax));
  useEffect(() => {
    // Follow the server's values when they change (another host tab, or a refused value).
    /* eslint-disable react-hooks/set-state-in-effect */
    setTurns(String(s.turns));
    setSeconds(String(s.secondsPerTurn));
    setEtaMax(s.etaMax === undefined ? "" : String(s.etaMax));
    /* eslint-enable react-hooks/set-state-in-effect */
  }, [s.turns, s.secondsPerTurn, s.etaMax]);

  // Each change sends the whole settings object. Changes made faster than the server answers
  // (two fields in a row) must build on each other, not on the last snapshot, or the second
  // would undo the first: `pending` holds what was sent until a snapshot reflects it.
  const pending = useRef<RoomSettingsInput | null>(null);
  const inFlight = useRef(0);
  useEffect(() => {
    if (inFlight.current === 0) pending.current = null;
  }, [s]);

  // "Your own formula" (or data) is chosen in the menu before it is sent (F8, F11): the box shows
  // meanwhile.
  const [ownMode, setOwnMode] = useState<"formula" | "data" | null>(null);
  const own =
    ownMode ??
    (s.surface?.kind === "formula" ? "formula" : s.surface?.kind === "data" ? "data" : null);
  const showFormula = own === "formula";
  const showData = own === "data";

  const base = (): RoomSettingsInput =>
    pending.current ?? {
      turns: s.turns,
      secondsPerTurn: s.secondsPerTurn,
      hint: s.hint,
      bot: { optimizer: s.bot.optimizer },
      surface: s.surface ?? { kind: "surprise" },
      ...(s.etaMax !== undefined ? { etaMax: s.etaMax } : {}),
    };

  const send = (patch: Partial<RoomSettingsInput>) => {
    const next = { ...base(), ...patch };
    if ("etaMax" in patch && patch.etaMax === undefined) delete next.etaMax;
    pending.current = next;
    inFlight.current += 1;
    void client.updateSettings(next).then((ok) => {
      inFlight.current -= 1;
      // A refused change is not kept: the next one starts again from the server's settings,
      // and the boxes show the values the server holds again (no snapshot comes for a refusal).
      if (!ok) {
        pending.current = null;
        setTurns(String(s.turns));
        setSeconds(String(s.secondsPerTurn));
        setEtaMax(s.etaMax === undefined ? "" : String(s.etaMax));
      }
    });
  };
  const num = (v: string) => (v.trim() === "" ? NaN : Number(v));

  if (!isHost) {
    return (
      <section className="card" aria-labelledby="settings-title">
        <h2 id="settings-title" className="h3">
          Settings
        </h2>
        <dl className="settings-read">
          <dt>Surface</dt>
          <dd>hidden until the reveal</dd>
          <dt>Turns</dt>
          <dd>{s.turns}</dd>
          <dt>Seconds per turn</dt>
          <dd>{s.secondsPerTurn === 0 ? "untimed" : s.secondsPerTurn}</dd>
          <dt>Hint</dt>
          <dd>{s.hint}</dd>
          <dt>Bot</dt>
          <dd>{BOT_LEVELS.find((b) => b.id === s.bot.optimizer)?.name ?? s.bot.optimizer}</dd>
        </dl>
      </section>
    );
  }

  return (
    <section className="card" aria-labelledby="settings-title">
      <h2 id="settings-title" className="h3">
        Settings
      </h2>
      <div className="settings-form">
        <label className="field">
          <span>Surface</span>
          <select
            value={own ?? surfaceKey(s.surface)}
            onChange={(e) => {
              const value = e.target.value;
              const mode = value === "formula" || value === "data" ? value : null;
              setOwnMode(mode);
              if (!mode) send({ surface: surfaceFromKey(value) });
            }}
            data-testid="setting-surface"
          >
            <SurfaceOptions formula />
          </select>
        </label>
        {showFormula ? (
          <FormulaSettings
            current={s.surface?.kind === "formula" ? s.surface : null}
            turns={s.turns}
            submit={async (surface) => {
              const next = { ...base(), surface };
              pending.current = next;
              inFlight.current += 1;
              const result = await client.updateFormulaSettings(next);
              inFlight.current -= 1;
              if (!result.ok) pending.current = null;
              return result;
            }}
          />
        ) : null}
        {showData ? (
          <DataSettings
            current={s.surface?.kind === "data" ? s.surface : null}
            turns={s.turns}
            submit={async (surface) => {
              const next = { ...base(), surface };
              pending.current = next;
              inFlight.current += 1;
              const result = await client.updateFormulaSettings(next);
              inFlight.current -= 1;
              if (!result.ok) pending.current = null;
              return result;
            }}
          />
        ) : null}
        <label className="field">
          <span>Turns</span>
          <input
            type="number"
            inputMode="numeric"
            min={1}
            max={100}
            value={turns}
            onChange={(e) => setTurns(e.target.value)}
            onBlur={() => num(turns) !== s.turns && send({ turns: num(turns) })}
            data-testid="setting-turns"
          />
        </label>
        <label className="field">
          <span>Seconds per turn (0 = untimed)</span>
          <input
            type="number"
            inputMode="numeric"
            min={0}
            max={600}
            value={seconds}
            onChange={(e) => setSeconds(e.target.value)}
            onBlur={() =>
              num(seconds) !== s.secondsPerTurn && send({ secondsPerTurn: num(seconds) })
            }
            data-testid="setting-seconds"
          />
        </label>
        <label className="field">
          <span>η_max (blank = the surface&apos;s own)</span>
          <input
            type="number"
            inputMode="decimal"
            min={0}
            step="any"
            value={etaMax}
            placeholder="auto"
            onChange={(e) => setEtaMax(e.target.value)}
            onBlur={() => {
              const v = etaMax.trim() === "" ? undefined : num(etaMax);
              if (v !== s.etaMax) send({ etaMax: v });
            }}
          />
        </label>
        <label className="field">
          <span>Hint</span>
          <select
            value={s.hint}
            onChange={(e) => send({ hint: e.target.value as RoomSettingsInput["hint"] })}
            data-testid="setting-hint"
          >
            <option value="gradient">Gradient: the arrow ∇L is shown</option>
            <option value="taylor">Taylor: predicted ΔL while you aim</option>
            <option value="blind">Blind: only your losses</option>
          </select>
        </label>
        <label className="field">
          <span>Bot difficulty</span>
          <select
            value={s.bot.optimizer}
            onChange={(e) =>
              send({
                bot: {
                  optimizer: e.target.value as NonNullable<RoomSettingsInput["bot"]>["optimizer"],
                },
              })
            }
            data-testid="setting-bot"
          >
            {BOT_LEVELS.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </label>
      </div>
    </section>
  );
}
