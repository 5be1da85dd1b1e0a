import type { Metadata } from "next";
import Link from "next/link";
import { LearnLab } from "./learn-lab";

export const metadata: Metadata = {
  title: "Why opposite to the gradient?",
  description: "The seed article's derivation of gradient descent, made interactive.",
};

/** /learn: the derivation the game is built on, step by step, with live widgets. */
export default function LearnPage() {
  return (
    <main className="learn">
      <p>
        <Link href="/">← Blind Descent</Link>
      </p>
      <h1>Why downhill is opposite to the gradient</h1>
      <p className="tagline">
        The derivation behind the game, from a model&apos;s parameters to the update rule, with a
        surface you can turn around on.
      </p>

      <section className="card" aria-labelledby="setting">
        <h2 id="setting">1. A point on an error surface</h2>
        <p>
          A model&apos;s weight and bias form a point <span className="math">θ = [w, b]</span>. Its
          loss <span className="math">L(θ)</span> is a surface over the (w, b) plane, and training
          means walking down it. From θ we take a step in a direction{" "}
          <span className="math">u = Δθ = [Δw, Δb]</span>, scaled by a small learning rate η:
        </p>
        <p className="formula">θ_new = θ + η·u</p>
        <p>Which u? Taylor&apos;s series answers it.</p>
      </section>

      <section className="card" aria-labelledby="taylor">
        <h2 id="taylor">2. Taylor&apos;s series</h2>
        <p className="formula">L(θ + ηu) = L(θ) + η uᵀ∇L(θ) + (η²/2) uᵀ∇²L(θ) u + O(η³)</p>
        <p>
          <span className="math">∇L(θ) = [∂L/∂w, ∂L/∂b]</span> is the gradient and{" "}
          <span className="math">∇²L(θ)</span> the Hessian. With η small, η² is much smaller, so to
          first order
        </p>
        <p className="formula">L(θ + ηu) − L(θ) ≈ η uᵀ∇L(θ)</p>
        <p>
          The loss goes down exactly when <span className="math">uᵀ∇L(θ) &lt; 0</span>.
        </p>
      </section>

      <section className="card" aria-labelledby="cosine">
        <h2 id="cosine">3. The angle β</h2>
        <p>
          With β the angle between u and ∇L(θ), the dot product is{" "}
          <span className="math">uᵀ∇L = ‖u‖‖∇L‖ cos β</span>. Writing{" "}
          <span className="math">k = ‖u‖‖∇L‖</span>, it ranges over{" "}
          <span className="math">−k ≤ k cos β ≤ k</span>. We want the change as negative as
          possible, so <span className="math">cos β = −1</span>:{" "}
          <strong>β = 180°, u opposite to the gradient.</strong>
        </p>
      </section>

      <LearnLab />

      <section className="card" aria-labelledby="rule">
        <h2 id="rule">4. The update rule</h2>
        <p className="formula">w ← w − η ∂L/∂w, b ← b − η ∂L/∂b</p>
        <p>
          That is gradient descent, and it is what the bot does in the game. You play without seeing
          the surface: <Link href="/">try to beat it</Link>.
        </p>
      </section>
    </main>
  );
}
