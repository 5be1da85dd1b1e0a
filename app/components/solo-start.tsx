"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { ReactNode } from "react";
import { messageOf } from "../lib/room-client";
import { lastNickname } from "../lib/socket";
import { NicknameField, nicknameProblem } from "./nickname-field";

/**
 * A nickname and one button that opens a solo round (a challenge, the daily) and goes to its
 * room: `open` asks the server and resolves with the room code.
 */
export function SoloStart({
  open,
  label,
  busyLabel,
  testId,
  children,
}: {
  open: (nickname: string) => Promise<string>;
  label: string;
  busyLabel: string;
  testId: string;
  children?: ReactNode;
}) {
  const router = useRouter();
  const [nickname, setNickname] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    // Prefill the nickname used last time on this browser (storage is read after hydration).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setNickname((n) => n || lastNickname());
  }, []);
  const start = async () => {
    const name = nickname.trim();
    const problem = name ? nicknameProblem(name) : "Pick a nickname first.";
    if (problem) {
      setError(problem);
      document.getElementById(`${testId}-nickname`)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const code = await open(name);
      router.push(`/room/${code}`);
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };
  return (
    <form
      className="solo-start"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <NicknameField
        id={`${testId}-nickname`}
        value={nickname}
        onChange={setNickname}
        placeholder="e.g. Ada"
      />
      {children}
      <div className="action-row">
        <button type="submit" disabled={busy} data-testid={testId}>
          {busy ? busyLabel : label}
        </button>
      </div>
      <p className="error-line" role="alert">
        {error}
      </p>
    </form>
  );
}
