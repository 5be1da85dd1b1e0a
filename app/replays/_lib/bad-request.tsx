import Link from "next/link";

/**
 * What a page shows for bad query parameters. The proxy (proxy.ts) answers such a request with
 * status 400 before it reaches the page; this is the same message when the page is reached anyway.
 */
export function BadRequest({
  message,
  resetHref,
  resetLabel,
}: {
  message: string;
  resetHref: string;
  resetLabel: string;
}) {
  return (
    <main className="rp-page">
      <p className="rp-nav">
        <Link href="/">← Blind Descent</Link>
      </p>
      <h1>Bad request</h1>
      <div className="card rp-error" role="alert" data-testid="bad-request">
        <p>
          <strong>400:</strong> {message}
        </p>
      </div>
      <p>
        <Link href={resetHref}>{resetLabel}</Link>
      </p>
    </main>
  );
}
