import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { collectErrors, setTurns, snap, startSolo, waitForRevealAnimation } from "./helpers";

/**
 * Issue 16 §3 and §6, docs/SPEC.md G1–G4: a ghost appears in the race and in the reveal. A solo
 * player races their own last attempt: the ghost is seated for the next round, moves turn by turn
 * with the turns (the race shows it after each turn, never ahead of the players), and on the reveal
 * its path replays the stored one: its final loss is the one the first round ended with.
 */

const TURNS = 3;

async function playRound(page: Page) {
  for (let t = 1; t <= TURNS; t++) {
    await expect(page.getByTestId("turn")).toContainText(`Turn ${t} of ${TURNS}`);
    await page.getByTestId("submit-move").click();
  }
  await expect(page.getByTestId("reveal")).toBeVisible();
}

/** The final loss the reveal's ranking shows on the row whose name cell is `name`. */
async function finalLossOf(page: Page, name: string): Promise<string> {
  const row = page
    .getByTestId("ranking")
    .locator("tbody tr")
    .filter({ has: page.getByRole("rowheader", { name, exact: true }) });
  await expect(row).toHaveCount(1);
  return ((await row.locator("td").nth(1).textContent()) ?? "").trim();
}

test("a ghost of your last attempt races the next round and is revealed with its path", async ({
  page,
}, testInfo) => {
  const errors = collectErrors(page);
  await startSolo(page, "Kay");
  await setTurns(page, TURNS);
  await page.getByTestId("start-round").click();
  await playRound(page);
  const firstLoss = await finalLossOf(page, "Kay (you)");

  // The host (a solo player is one) has every one-click choice of G1 on the reveal.
  for (const id of ["ghost-best", "ghost-last", "ghost-winner"]) {
    await expect(page.getByTestId(id)).toBeVisible();
  }
  // The host races their own last attempt.
  await page.getByTestId("ghost-last").click();
  await expect(page.getByTestId("ghost-current")).toContainText("Ghost: Kay");
  await expect(page.getByTestId("ghost-error")).toHaveText("");
  await snap(page, testInfo, "ghost-added");

  await page.getByTestId("start-round").click();
  await expect(page.getByTestId("play")).toBeVisible();
  const race = page.getByRole("figure", { name: /Loss race/ });
  // Before any turn closes, the ghost stands at its start like everyone.
  await expect(race).toContainText("Ghost: Kay");
  await page.getByTestId("submit-move").click();
  await expect(page.getByTestId("turn")).toContainText(`Turn 2 of ${TURNS}`);
  await expect(race).toContainText("(1 of 3 turns played");
  await snap(page, testInfo, "ghost-race");
  for (let t = 2; t <= TURNS; t++) {
    await expect(page.getByTestId("turn")).toContainText(`Turn ${t} of ${TURNS}`);
    await page.getByTestId("submit-move").click();
  }
  await expect(page.getByTestId("reveal")).toBeVisible();
  await expect(page.getByTestId("ranking")).toContainText("Ghost: Kay");
  // The ghost's moves are the first round's, on the same surface: the same final loss.
  expect(await finalLossOf(page, "Ghost: Kay")).toBe(firstLoss);
  await waitForRevealAnimation(page, TURNS);
  await snap(page, testInfo, "ghost-reveal");
  expect(errors).toEqual([]);
});
