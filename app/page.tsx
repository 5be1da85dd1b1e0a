import Link from "next/link";
import { HomePicture } from "./components/home-picture";
import { HomeActions } from "./home-actions";

export default function HomePage() {
  return (
    <main>
      <h1>Blind Descent</h1>
      <p className="tagline">
        You stand somewhere on an error surface you cannot see. Each turn, pick a direction and a
        step size, and race a gradient-descent bot to the bottom.
      </p>

      <Link href="/daily" prefetch={false} className="card daily-card" data-testid="home-daily">
        <span className="daily-card-kicker">New every day</span>
        <span className="daily-card-title">Today&apos;s daily descent</span>
        <span className="daily-card-text">
          One hidden surface, the same for everyone. One scored try, a streak, a result to share.
        </span>
        <span className="button daily-card-button" aria-hidden="true">
          Play the daily →
        </span>
      </Link>

      <HomeActions />

      <HomePicture />

      <nav className="card after-game" aria-labelledby="classroom">
        <h2 id="classroom">In class</h2>
        <ul className="link-list">
          <li>
            <Link href="/classroom/new" prefetch={false} data-testid="link-classroom-new">
              Run a class competition
            </Link>{" "}
            <span className="muted">— a projector view, a QR code to join, standings, CSV</span>
          </li>
          <li>
            <Link href="/classroom" prefetch={false} data-testid="link-classroom-join">
              Join your class
            </Link>{" "}
            <span className="muted">— with the code on the big screen</span>
          </li>
        </ul>
      </nav>

      <nav className="card after-game" aria-labelledby="after">
        <h2 id="after">After the game</h2>
        <ul className="link-list">
          <li>
            <Link href="/leaderboard" prefetch={false} data-testid="link-leaderboard">
              Leaderboards
            </Link>{" "}
            <span className="muted">— per surface, per competition, by day, week or all time</span>
          </li>
          <li>
            <Link href="/replays" prefetch={false} data-testid="link-replays">
              Replays
            </Link>{" "}
            <span className="muted">— watch any finished round again, turn by turn</span>
          </li>
          <li>
            <Link href="/learn">Learn</Link>{" "}
            <span className="muted">— why the steepest way down is opposite to the gradient</span>
          </li>
        </ul>
      </nav>

      <section className="card" aria-labelledby="how">
        <h2 id="how">How it works</h2>
        <ol className="steps">
          <li>
            A model&apos;s parameters are a point <span className="math">θ = [w, b]</span>. The
            error surface <span className="math">L(w, b)</span> is hidden: you only learn the loss
            at the points you visit.
          </li>
          <li>
            Each turn you choose a direction <span className="math">u</span> and a step size{" "}
            <span className="math">η</span>; everyone moves at once, and so does the bot.
          </li>
          <li>
            After each turn you see your new loss, the change <span className="math">ΔL</span>, the
            first-order prediction <span className="math">η uᵀ∇L</span> and the angle{" "}
            <span className="math">β</span> between your step and the gradient.
          </li>
          <li>
            When the turns run out the surface is revealed with every path, and the lowest loss
            wins.
          </li>
        </ol>
      </section>

      <div className="grid">
        <section className="card" aria-labelledby="why">
          <h2 id="why">Why downhill is opposite to the gradient</h2>
          <p>
            Taylor&apos;s series says <span className="math">L(θ + ηu) − L(θ) ≈ η uᵀ∇L(θ)</span> for
            a small step, and <span className="math">uᵀ∇L = ‖u‖‖∇L‖ cos β</span> is most negative
            when <span className="math">β = 180°</span>. The second-order term{" "}
            <span className="math">(η²/2) uᵀ∇²L u</span> is why a big step overshoots.
          </p>
          <p>
            <Link href="/learn">Turn the dial yourself on /learn →</Link>
          </p>
        </section>
        <section className="card" aria-labelledby="scoring">
          <h2 id="scoring">Scoring</h2>
          <p>
            <span className="math">progress = (L(θ₀) − L(θ_final)) / (L(θ₀) − L*)</span>, clamped to
            [0, 1]; your score is <span className="math">round(1000 × progress)</span>. Equal scores
            go to the lower final loss, then to whoever reached it first. Beat the bot by ending
            lower than it.
          </p>
        </section>
      </div>
    </main>
  );
}
