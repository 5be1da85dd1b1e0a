"use client";

import { ErrorScreen } from "../../components/error-screen";

/** The room page's error boundary: a clear message and a retry that re-attaches to the seat. */
export default function RoomError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <ErrorScreen
      title="The game page hit a problem"
      error={error}
      onRetry={reset}
      detail="Your seat is kept for two minutes: trying again (or reloading) takes it back."
    />
  );
}
