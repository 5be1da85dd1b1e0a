"use client";

import { useState } from "react";

type Own =
  | { kind: "formula"; text: string; box: { min: [number, number]; max: [number, number] } }
  | {
      kind: "data";
      points: [number, number][];
      box: { min: [number, number]; max: [number, number] };
    };

/** Where a saved surface's edit token is kept in this browser (never sent anywhere but PUT). */
export function editTokenKey(id: string): string {
  return `blind-descent.surface-edit.${id}`;
}

/**
 * Save the host's accepted formula or data to the library under a name (docs/SPEC.md F13): the
 * server checks it again and answers with the id and the private edit token, which stays in this
 * browser's localStorage. Shows the share link (it opens the surface in a classroom plan).
 */
export function SaveToLibrary({ surface }: { surface: Own }) {
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/surfaces", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name, surface }),
      });
      const body = (await res.json()) as {
        id?: string;
        editToken?: string;
        error?: { message: string };
      };
      if (!res.ok || !body.id || !body.editToken) {
        setError(body.error?.message ?? `the server answered ${res.status}`);
      } else {
        try {
          localStorage.setItem(editTokenKey(body.id), body.editToken);
        } catch {
          // Private mode: the surface is saved, but this browser cannot edit it later.
        }
        setSaved(body.id);
      }
    } catch (e) {
      setError(String(e));
    }
    setBusy(false);
  };

  if (saved) {
    const link = `/classroom/new?surface=${saved}`;
    return (
      <p className="small" data-testid="library-saved">
        Saved to the <a href="/surfaces">library</a>. Share it: in a competition{" "}
        <a href={link} data-testid="library-link">
          {link}
        </a>
        , in a room or solo{" "}
        <a href={`/?surface=${saved}`} data-testid="library-room-link">
          /?surface={saved}
        </a>
      </p>
    );
  }
  return (
    <div className="formula-ranges" data-testid="library-save">
      <input
        type="text"
        aria-label="Name in the library"
        placeholder="Name in the library"
        maxLength={80}
        value={name}
        onChange={(e) => setName(e.target.value)}
        style={{ width: "14rem" }}
        data-testid="library-name"
      />
      <button
        type="button"
        className="secondary"
        disabled={busy || name.trim() === ""}
        onClick={() => void save()}
        data-testid="library-save-button"
      >
        {busy ? "Saving…" : "Save to the library"}
      </button>
      {error ? (
        <span className="formula-error" role="alert" data-testid="library-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}
