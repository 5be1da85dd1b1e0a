/**
 * The page's error line (always in the page, empty without an error, so a screen reader hears each
 * new one) with a button that dismisses it.
 */
export function ErrorBanner({ error, onDismiss }: { error: string | null; onDismiss: () => void }) {
  return (
    <p className="error-banner" role="alert" data-testid="error-banner">
      {error ? (
        <>
          {error}{" "}
          <button type="button" className="link" onClick={onDismiss}>
            Dismiss
          </button>
        </>
      ) : null}
    </p>
  );
}
