import { withRevealPlayers } from "../../lib/protocol/messages";
import type { RevealPlayersBody, RoomSnapshot } from "../../lib/protocol/messages";

/**
 * A big reveal's other players (docs/SPEC.md R11a): the snapshot holds only your own entry and
 * `revealPlayers.href`, where the rest waits, the same for everyone who sees the room like you.
 * The stores (room and classroom) pass every snapshot through {@link RevealPlayers.complete}: it
 * puts the entries back once they are here, and fetches them (once per reveal, retried a few
 * times, for minutes) when they are not, then calls `onLoaded` so the store completes its current snapshot.
 */
export class RevealPlayers {
  private body: { readonly href: string; readonly body: RevealPlayersBody } | null = null;
  private loading: string | null = null;

  constructor(
    private readonly onLoaded: () => void,
    private readonly fetcher: typeof fetch = (...args) => fetch(...args),
  ) {}

  /** `snapshot` with the other players put back, or as it is while they are on their way. */
  complete(snapshot: RoomSnapshot): RoomSnapshot {
    const ref = snapshot.revealPlayers;
    if (!ref) return snapshot;
    if (this.body?.href === ref.href) return withRevealPlayers(snapshot, this.body.body);
    void this.load(ref.href);
    return snapshot;
  }

  private async load(href: string): Promise<void> {
    if (this.loading === href) return;
    this.loading = href;
    // Retried while it is still the reveal wanted (a revealed room may send no new snapshot to
    // try again with), backing off to 8 s, for a few minutes at most.
    for (let attempt = 0; attempt < 24 && this.loading === href; attempt++) {
      if (attempt > 0) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(8_000, 500 * 2 ** attempt)));
      }
      try {
        const res = await this.fetcher(href, { headers: { accept: "application/json" } });
        // 404: the room has moved on (a newer snapshot brings a newer href); nothing to retry.
        if (res.status === 404) break;
        if (!res.ok) continue;
        const body = (await res.json()) as RevealPlayersBody;
        if (this.loading !== href) return;
        this.body = { href, body };
        this.loading = null;
        this.onLoaded();
        return;
      } catch {
        // A dropped connection: try again.
      }
    }
    if (this.loading === href) this.loading = null;
  }
}
