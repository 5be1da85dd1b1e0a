"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { FormEvent } from "react";
import { SurfaceOptions, surfaceFromKey, surfaceKey } from "../../components/surface-options";
import { BOT_LEVELS } from "../../lib/surface-names";
import { DEFAULT_DATA } from "../../room/[code]/data-settings";
import { DEFAULT_FORMULA } from "../../room/[code]/formula-settings";
import { OwnSurfaceFields } from "./own-surface";
import { createClassroom, errorText } from "../classroom-client";
import styles from "../classroom.module.css";
import { blankRound, PRESETS } from "../presets";
import type { PlannedRound } from "../presets";
import { COMPETITION_MAX_ROUNDS, COMPETITION_NAME_MAX_LENGTH } from "../../../lib/protocol/limits";
import { useLibraryLink } from "../../hooks/use-library-link";

/** The plan form: presets, then each round editable; "no rankings"; create. */
export function NewCompetitionForm() {
  const router = useRouter();
  const [name, setName] = useState("");
  const [rounds, setRounds] = useState<PlannedRound[]>(() => [...(PRESETS[0]?.rounds ?? [])]);
  const [noRankings, setNoRankings] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A planned round's own surface that cannot be sent yet (a line of points that is not x, y).
  const [problems, setProblems] = useState<Record<number, string>>({});
  // Editors keyed by a counter, so removing a round does not hand its text to the next one.
  const [keys, setKeys] = useState<number[]>(() => rounds.map((_, i) => i));
  const [nextKey, setNextKey] = useState(rounds.length);
  // F14: a library link (`?surface=ID`) opens the saved surface as round 1 of the plan.
  const [fromLibrary, setFromLibrary] = useState<string | null>(null);
  useLibraryLink<PlannedRound["surface"]>((name, surface) => {
    setRounds((rs) => rs.map((r, i) => (i === 0 ? { ...r, surface } : r)));
    setKeys((ks) => ks.map((k, i) => (i === 0 ? k + 1000 : k)));
    setFromLibrary(name);
  }, setError);

  const setProblem = (key: number, problem: string | null) =>
    setProblems((ps) => {
      const next = { ...ps };
      if (problem) next[key] = problem;
      else delete next[key];
      return next;
    });

  const update = (index: number, patch: Partial<PlannedRound>) =>
    setRounds((rs) => rs.map((r, i) => (i === index ? { ...r, ...patch } : r)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = Object.values(problems)[0];
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const code = await createClassroom({ name, rounds, noRankings });
      router.push(`/classroom/${code}/host`);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <main className={styles.console}>
      <header>
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
        <a href="/" className="brand">
          Blind Descent
        </a>
        <h1>New classroom competition</h1>
        <p className="muted">
          You host without playing. Students join on their phones with a code or a QR code and a
          nickname — no accounts. Put the projector view on the big screen and run the rounds from
          the host console.
        </p>
      </header>
      <form
        className={`card ${styles.planForm}`}
        onSubmit={(e) => void submit(e)}
        data-testid="new-competition"
      >
        <label className="field">
          <span>Competition name</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={COMPETITION_NAME_MAX_LENGTH}
            placeholder="e.g. Period 3 — gradient descent"
            data-testid="competition-name"
          />
        </label>
        <fieldset>
          <legend>Presets</legend>
          <div className={styles.controls}>
            {PRESETS.map((p) => (
              <button
                key={p.id}
                type="button"
                className="button secondary"
                onClick={() => {
                  setProblems({});
                  setKeys(p.rounds.map((_, j) => nextKey + j));
                  setNextKey((k) => k + p.rounds.length);
                  setRounds([...p.rounds]);
                }}
                data-testid={`preset-${p.id}`}
                title={p.description}
              >
                {p.label}
              </button>
            ))}
          </div>
          <p className="small muted">
            {PRESETS.map((p) => `${p.label}: ${p.description}`).join(" ")}
          </p>
        </fieldset>
        <fieldset>
          <legend>Rounds ({rounds.length})</legend>
          {fromLibrary ? (
            <p className="small" data-testid="plan-from-library">
              Round 1 plays “{fromLibrary}” from the <a href="/surfaces">library</a>.
            </p>
          ) : null}
          {rounds.map((r, i) => (
            <div key={i} className={styles.roundEditor} data-testid="round-editor">
              <strong className={styles.roundTitle}>Round {i + 1}</strong>
              <label className={`field ${styles.wide}`}>
                <span>Surface</span>
                <select
                  value={surfaceKey(r.surface)}
                  onChange={(e) => {
                    const value = e.target.value;
                    setProblem(keys[i]!, null);
                    update(i, {
                      surface:
                        value === "formula"
                          ? DEFAULT_FORMULA
                          : value === "data"
                            ? DEFAULT_DATA
                            : surfaceFromKey(value),
                    });
                  }}
                  data-testid="round-surface"
                >
                  <SurfaceOptions formula />
                </select>
              </label>
              {r.surface.kind === "formula" || r.surface.kind === "data" ? (
                <div className={styles.wide}>
                  <OwnSurfaceFields
                    key={`${keys[i]}-${r.surface.kind}`}
                    round={i + 1}
                    surface={r.surface}
                    onChange={(surface) => update(i, { surface })}
                    onProblem={(problem) => setProblem(keys[i]!, problem)}
                  />
                </div>
              ) : null}
              <label className="field">
                <span>Turns</span>
                <input
                  type="number"
                  min={1}
                  max={100}
                  value={r.turns}
                  onChange={(e) => update(i, { turns: Number(e.target.value) })}
                  data-testid="round-turns"
                />
              </label>
              <label className="field">
                <span>Seconds per turn</span>
                <input
                  type="number"
                  min={0}
                  max={600}
                  value={r.secondsPerTurn}
                  onChange={(e) => update(i, { secondsPerTurn: Number(e.target.value) })}
                  data-testid="round-seconds"
                />
              </label>
              <label className="field">
                <span>Hint</span>
                <select
                  value={r.hint}
                  onChange={(e) => update(i, { hint: e.target.value as PlannedRound["hint"] })}
                  data-testid="round-hint"
                >
                  <option value="gradient">Gradient arrow</option>
                  <option value="taylor">Taylor preview</option>
                  <option value="blind">Blind</option>
                </select>
              </label>
              <label className="field">
                <span>Bot</span>
                <select
                  value={r.bot.optimizer}
                  onChange={(e) =>
                    update(i, {
                      bot: { optimizer: e.target.value as PlannedRound["bot"]["optimizer"] },
                    })
                  }
                  data-testid="round-bot"
                >
                  {BOT_LEVELS.map((b) => (
                    <option key={b.id} value={b.id}>
                      {b.name}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="link"
                onClick={() => {
                  setProblem(keys[i]!, null);
                  setKeys((ks) => ks.filter((_, j) => j !== i));
                  setRounds((rs) => rs.filter((_, j) => j !== i));
                }}
                disabled={rounds.length <= 1}
              >
                Remove
              </button>
            </div>
          ))}
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              setKeys((ks) => [...ks, nextKey]);
              setNextKey((k) => k + 1);
              setRounds((rs) => [...rs, blankRound()]);
            }}
            disabled={rounds.length >= COMPETITION_MAX_ROUNDS}
            data-testid="add-round"
          >
            Add a round
          </button>
        </fieldset>
        <label className="field checkbox">
          <input
            type="checkbox"
            checked={noRankings}
            onChange={(e) => setNoRankings(e.target.checked)}
            data-testid="no-rankings"
          />
          <span>
            No rankings: students see only their own progress and whether they beat the bot; the
            projector shows the race without names.
          </span>
        </label>
        <p className="error-banner" role="alert" data-testid="error-banner">
          {error}
        </p>
        <button type="submit" disabled={busy} data-testid="create-competition">
          {busy ? "Creating…" : "Create the competition"}
        </button>
      </form>
    </main>
  );
}
