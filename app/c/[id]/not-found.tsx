import Link from "next/link";
import "../../replays/_lib/replays.css";

/** An unknown (or malformed) challenge id: served with status 404 (docs/SPEC.md C1). */
export default function ChallengeNotFound() {
  return (
    <main className="rp-page">
      <p className="rp-nav">
        <Link href="/">← Blind Descent</Link>
      </p>
      <h1>Challenge not found</h1>
      <div className="card rp-error" role="alert" data-testid="challenge-not-found">
        <p>
          <strong>404:</strong> no challenge has this link. It may be mistyped (a challenge id has
          10 letters and digits), or it may come from another server.
        </p>
      </div>
      <p>
        <Link href="/daily">Play today&apos;s daily descent</Link> · <Link href="/">Play solo</Link>
      </p>
    </main>
  );
}
