/**
 * Prints the fingerprinting bots' identification rates on seeded surprise rounds, with and
 * without the transforms (issue 17): `npx tsx tests/adversary/measure.ts [rounds] [test seed]
 * [training seed]` (default 4000 rounds, seeds 17 and 99).
 */
import { surfaces } from "../../lib/surfaces";
import {
  canonicalFingerprint,
  exactFingerprint,
  frameFingerprint,
  learnedFingerprint,
} from "./fingerprint";
import type { Adversary } from "./fingerprint";
import { binomialTail, chanceThreshold, observe, surpriseRounds, truth } from "./harness";
import type { SurpriseRound } from "./harness";

const rounds = Number(process.argv[2] ?? 4000);

function strip(list: readonly SurpriseRound[]): SurpriseRound[] {
  return list.map((r, i) => {
    const { transform: _transform, ...ref } = r.ref;
    return { ref, seen: observe(ref, i) };
  });
}

const test = surpriseRounds(Number(process.argv[3] ?? 17), rounds);
const train = surpriseRounds(Number(process.argv[4] ?? 99), rounds);
const chance = 1 / surfaces.length;
const n = test.length;
console.log(
  `${n} catalog rounds of ${rounds} surprise rounds; chance ${(100 * chance).toFixed(2)} %; ` +
    `limit at α = 1e-3: ${chanceThreshold(n, chance, 1e-3)} hits`,
);
for (const [label, testSet, trainSet] of [
  ["before (no transform)", strip(test), strip(train)],
  ["after (transformed)", test, train],
] as const) {
  const bots: [string, Adversary][] = [
    ["exact first-frame table", exactFingerprint()],
    ["catalog first turns by heart", canonicalFingerprint()],
    ["learned, first frame only", frameFingerprint(trainSet)],
    ["learned, first frame + first turn", learnedFingerprint(trainSet)],
  ];
  for (const [name, bot] of bots) {
    const hit = testSet.filter((r) => bot(r.seen) === truth(r.ref)).length;
    console.log(
      `${label.padEnd(22)} ${name.padEnd(34)} ${hit}/${n} = ${((100 * hit) / n).toFixed(1)} %` +
        `  P(≥ this | chance) = ${binomialTail(n, chance, hit).toExponential(1)}`,
    );
  }
}
