/**
 * A token bucket per connection: `burst` events at once, refilled at `perSecond`. Every refused
 * event is a strike; strikes drain at the refill rate, and a connection that piles up
 * `maxStrikes` of them (it keeps flooding while refused) should be disconnected.
 */
export interface RateLimitOptions {
  /** Sustained events per second. */
  readonly perSecond: number;
  /** Events allowed in a burst (the bucket's capacity). */
  readonly burst: number;
  /** Refused events (net of the drain) after which the caller disconnects the socket. */
  readonly maxStrikes: number;
}

/** The verdict for one event. */
export type RateVerdict = "allow" | "refuse" | "disconnect";

/** One connection's bucket. */
export class TokenBucket {
  private tokens: number;
  private strikes = 0;
  private last: number;

  constructor(
    private readonly options: RateLimitOptions,
    now: number,
  ) {
    this.tokens = options.burst;
    this.last = now;
  }

  /** Take one token at time `now` (ms). */
  take(now: number): RateVerdict {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.options.burst, this.tokens + elapsed * this.options.perSecond);
    this.strikes = Math.max(0, this.strikes - elapsed * this.options.perSecond);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return "allow";
    }
    this.strikes += 1;
    return this.strikes >= this.options.maxStrikes ? "disconnect" : "refuse";
  }
}
