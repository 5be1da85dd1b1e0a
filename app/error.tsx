"use client";

import { ErrorScreen } from "./components/error-screen";

/** Any page that throws while rendering shows what happened instead of a blank screen. */
export default function PageError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <ErrorScreen title="Something went wrong" error={error} onRetry={reset} />;
}
