"use client";

/**
 * What a route's error boundary (app/error.tsx, app/room/[code]/error.tsx) shows: a sentence
 * saying what went wrong, a way to try again and a way home. Never a blank screen.
 */
export function ErrorScreen({
  title,
  error,
  onRetry,
  detail,
}: {
  title: string;
  /** A sentence after the message (e.g. that a seat is kept). */
  detail?: string;
  error: Error & { digest?: string };
  onRetry: () => void;
}) {
  return (
    <main>
      <section
        className="card"
        role="alert"
        aria-labelledby="error-title"
        data-testid="error-screen"
      >
        <h1 id="error-title">{title}</h1>
        <p>
          {error.message ? `The page stopped with: ${error.message}` : "The page stopped working."}{" "}
          {detail}
        </p>
        {error.digest ? <p className="small muted">Reference: {error.digest}</p> : null}
        <div className="action-row">
          <button type="button" onClick={onRetry}>
            Try again
          </button>
          {/* A full page load on purpose: it starts from a clean state. */}
          {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
          <a className="button secondary" href="/">
            Back to the start
          </a>
        </div>
      </section>
    </main>
  );
}
