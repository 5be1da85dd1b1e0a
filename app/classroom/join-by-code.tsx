"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import styles from "./classroom.module.css";
import { ROOM_CODE_LENGTH } from "../../lib/protocol/limits";

/** A code form for students, and the teacher's way in. */
export function JoinByCode() {
  const router = useRouter();
  const [code, setCode] = useState("");
  const clean = code.replace(/[\s-]/g, "").toUpperCase();
  return (
    <main className={styles.student}>
      {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
      <a href="/" className="brand">
        Blind Descent
      </a>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (clean.length === ROOM_CODE_LENGTH) router.push(`/classroom/${clean}`);
        }}
      >
        <h1>Join your class</h1>
        <label className="field">
          <span>The code on the board</span>
          <input
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoCapitalize="characters"
            autoComplete="off"
            maxLength={12}
            data-testid="class-code"
          />
        </label>
        <button type="submit" disabled={clean.length !== ROOM_CODE_LENGTH}>
          Continue
        </button>
      </form>
      <p>
        Teacher? <Link href="/classroom/new">Start a classroom competition</Link>.
      </p>
    </main>
  );
}
