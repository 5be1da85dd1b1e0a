import type { RevealedPlayer, RoundView } from "./view";

/*
 * Only type imports here: lib/protocol's messages (and so the browser's stores) use these
 * functions without pulling the rules, the surfaces and the optimizers into the page.
 */

/**
 * Delivery of a big reveal (R11a). Every viewer who sees the other players at the room's public
 * level (named, or anonymous without rankings) gets the same entries for them in
 * `reveal.players`; with sixty players those entries are most of the reveal (every path and every
 * turn's feedback). A server may therefore send them once per room by reference instead of in
 * every snapshot: {@link withoutPeerReveal} keeps only the viewer's own entry, and
 * {@link withPeerReveal} puts the shared entries back (the spectator's `reveal.players` at the
 * same peers level), the viewer's own entry winning. For such a viewer,
 * `withPeerReveal(withoutPeerReveal(view), spectatorView.reveal.players)` equals `view`.
 * Nothing is hidden by this: it only changes how the same entries travel.
 */
export function withoutPeerReveal(view: RoundView): RoundView {
  const reveal = view.reveal;
  if (!reveal) return view;
  return { ...view, reveal: { ...reveal, players: reveal.players.filter((p) => p.you) } };
}

/** {@link withoutPeerReveal}'s inverse: `players` are the shared entries, in seat order. */
export function withPeerReveal(view: RoundView, players: readonly RevealedPlayer[]): RoundView {
  const reveal = view.reveal;
  if (!reveal) return view;
  const own = new Map(reveal.players.map((p) => [p.seat, p]));
  const merged = players.map((p) => own.get(p.seat) ?? p);
  // An own entry the shared list lacks (it cannot happen for the same round) is kept, not lost.
  const shared = new Set(players.map((p) => p.seat));
  for (const p of reveal.players) if (!shared.has(p.seat)) merged.push(p);
  merged.sort((a, b) => a.seat - b.seat);
  return { ...view, reveal: { ...reveal, players: merged } };
}
