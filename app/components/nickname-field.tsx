"use client";

import { useId } from "react";
import { nicknameLength } from "../../lib/nickname";
import { NICKNAME_MAX_LENGTH } from "../../lib/protocol/limits";

/**
 * What is wrong with a nickname as typed, or null: the limit counts what a person sees (an emoji
 * is one character), as the server does; nothing is ever cut silently.
 */
export function nicknameProblem(value: string): string | null {
  const n = nicknameLength(value.trim().replace(/\s+/gu, " "));
  if (n > NICKNAME_MAX_LENGTH) {
    return `Too long: at most ${NICKNAME_MAX_LENGTH} characters (this one has ${n}).`;
  }
  return null;
}

/** A nickname box with its label and a live "n / 24" count (turns into the problem when over). */
export function NicknameField({
  value,
  onChange,
  label = "Your nickname",
  testId,
  id,
  placeholder,
  autoFocus,
  hideLabel = false,
}: {
  value: string;
  onChange: (value: string) => void;
  label?: string;
  testId?: string;
  id?: string;
  placeholder?: string;
  autoFocus?: boolean;
  hideLabel?: boolean;
}) {
  const countId = useId();
  const n = nicknameLength(value.trim());
  const problem = nicknameProblem(value);
  return (
    <label className="field nickname-field">
      <span className={hideLabel ? "sr-only" : undefined}>{label}</span>
      <input
        id={id}
        type="text"
        value={value}
        autoComplete="nickname"
        autoCapitalize="words"
        spellCheck={false}
        enterKeyHint="go"
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        aria-invalid={problem ? true : undefined}
        aria-describedby={countId}
        data-testid={testId}
        autoFocus={autoFocus}
      />
      <span
        id={countId}
        className={`nickname-count small${problem ? " bad" : " muted"}`}
        aria-live="polite"
        data-testid="nickname-count"
      >
        {problem ?? `${n} / ${NICKNAME_MAX_LENGTH}`}
      </span>
    </label>
  );
}
