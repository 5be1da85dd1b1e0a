import Link from "next/link";
import "../_lib/replays.css";

/** An unknown (or malformed) replay id: served with status 404. */
export default function ReplayNotFound() {
  return (
    <main className="rp-page">
      <p className="rp-nav">
        <Link href="/">← Blind Descent</Link>
      </p>
      <h1>Replay not found</h1>
      <div className="card rp-error" role="alert" data-testid="replay-not-found">
        <p>
          <strong>404:</strong> no finished round has this id. It may be mistyped, or the link may
          come from another server.
        </p>
      </div>
      <p>
        <Link href="/replays">Browse the replays</Link> ·{" "}
        <Link href="/leaderboard">Leaderboard</Link>
      </p>
    </main>
  );
}
