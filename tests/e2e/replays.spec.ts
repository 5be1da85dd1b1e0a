import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { collectErrors, setTurns, startSolo } from "./helpers";

/**
 * Persistence in the browser (issue 5): finish a round, find it on the leaderboard, follow the
 * link to its replay and step through it; an unknown replay is a 404; a bad query a 400.
 */

const TURNS = 3;
const SURFACE = "matyas";

/** Play a solo practice round on {@link SURFACE} to the reveal. */
async function finishSoloRound(page: Page, nickname: string) {
  await startSolo(page, nickname);
  await setTurns(page, TURNS);
  await page.getByTestId("setting-surface").selectOption(`catalog:${SURFACE}`);
  await page.getByTestId("start-round").click();
  const dial = page.getByTestId("direction-dial");
  for (let t = 1; t <= TURNS; t++) {
    await expect(page.getByTestId("turn")).toContainText(`Turn ${t} of ${TURNS}`);
    await dial.focus();
    for (let k = 0; k < 3 * t; k++) await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("+");
    await page.getByTestId("submit-move").click();
  }
  await expect(page.getByTestId("reveal")).toBeVisible();
  await expect(page.getByTestId("ranking")).toContainText(nickname);
}

/** The text of the position row of a path in the replay viewer. */
function position(page: Page, key: string) {
  return page.getByTestId(`position-${key}`);
}

test("a finished round is on the leaderboard, and its replay steps through turn by turn", async ({
  page,
}, testInfo) => {
  const errors = collectErrors(page);
  // Unique across runs (the test server keeps its database between runs) and projects.
  const nickname = `Rp${testInfo.project.name.slice(0, 2)}${Date.now().toString(36).slice(-6)}`;
  await finishSoloRound(page, nickname);

  // The leaderboard, filtered to the round's surface with the form (no JavaScript needed).
  const response = await page.goto("/leaderboard");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "Leaderboard" })).toBeVisible();
  await page.getByTestId("filter-surface").selectOption(SURFACE);
  await page.getByTestId("filter-period").selectOption("day");
  await page.getByTestId("filter-submit").click();
  await expect(page).toHaveURL(new RegExp(`surface=${SURFACE}`));
  await expect(page.getByTestId("leaderboard")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("leaderboard.png"), fullPage: true });

  // Our row may be on a later page when earlier runs scored better.
  const row = page.getByTestId("leaderboard-row").filter({ hasText: nickname });
  for (let pages = 0; (await row.count()) === 0; pages++) {
    expect(pages, `${nickname} is not on the first 40 pages`).toBeLessThan(40);
    await page.getByTestId("page-next").click();
    await expect(page.getByTestId("page-prev")).toBeVisible();
  }
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(/\d/);
  await row.getByTestId("replay-link").click();

  // The replay: verified by the server and again in the browser.
  await expect(page).toHaveURL(/\/replays\/[A-Za-z0-9_-]+$/);
  await expect(page.getByTestId("surface-name")).toHaveText(/^Matyas, rotated \d+°/); // SPEC T6
  await expect(page.getByTestId("replay-verified")).toContainText("Verified");
  await expect(page.getByTestId("replay-verified")).toContainText("matches");
  await expect(page.getByTestId("replay-mismatch")).toHaveCount(0);
  await expect(page.getByTestId("replay-check-browser")).toHaveAttribute("data-ok", "true");
  await expect(page.getByTestId("replay-check-browser")).toContainText("matches");
  await expect(page.getByTestId("ranking")).toContainText(nickname);
  await expect(page.getByTestId("contour-canvas")).toHaveAttribute("data-draw-ms", /\d/);

  // It opens at the last turn; step back, to the start, forward: the turn and positions change.
  const turn = page.getByTestId("replay-turn");
  await expect(turn).toHaveText(`Turn ${TURNS} of ${TURNS}`);
  const me = page.getByTestId("replay-positions").getByRole("row", { name: nickname });
  const atEnd = await me.textContent();
  await page.getByTestId("replay-back").click();
  await expect(turn).toHaveText(`Turn ${TURNS - 1} of ${TURNS}`);
  await page.getByTestId("replay-start").click();
  await expect(turn).toHaveText(`Turn 0 of ${TURNS}`);
  const atStart = await me.textContent();
  expect(atStart).not.toEqual(atEnd);
  await expect(position(page, "bot")).toBeVisible();
  const botAtStart = await position(page, "bot").textContent();
  await page.getByTestId("replay-forward").click();
  await expect(turn).toHaveText(`Turn 1 of ${TURNS}`);
  await expect(me).not.toHaveText(atStart!);
  await expect(position(page, "bot")).not.toHaveText(botAtStart!);
  await expect(page.getByTestId("replay-turn-link")).toHaveAttribute("href", "?turn=1");

  // The turn slider works with the keyboard.
  await page.getByTestId("replay-slider").focus();
  await page.keyboard.press("ArrowRight");
  await expect(turn).toHaveText(`Turn 2 of ${TURNS}`);

  // Play runs to the end at the chosen speed.
  await page.getByTestId("replay-speed").selectOption({ label: "4×" });
  await page.getByTestId("replay-start").click();
  await page.getByTestId("replay-play").click();
  await expect(turn).toHaveText(`Turn ${TURNS} of ${TURNS}`);
  await expect(page.getByTestId("replay-play")).toHaveText("Replay");

  // Players can be hidden and shown again.
  await page.getByRole("checkbox", { name: /Bot/ }).uncheck();
  await expect(position(page, "bot")).toHaveCount(0);
  await page.getByRole("checkbox", { name: /Bot/ }).check();
  await expect(position(page, "bot")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("replay.png"), fullPage: true });

  // The shareable link opens the same replay at that turn.
  const url = new URL(page.url());
  await page.goto(`${url.pathname}?turn=1`);
  await expect(turn).toHaveText(`Turn 1 of ${TURNS}`);
  expect(errors).toEqual([]);
});

test("the replay list finds a round by nickname", async ({ page }) => {
  const errors = collectErrors(page);
  const response = await page.goto("/replays");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "Replays" })).toBeVisible();
  await page.getByTestId("filter-nickname").fill("no-one-is-called-this");
  await page.getByTestId("filter-submit").click();
  await expect(page).toHaveURL(/nickname=no-one-is-called-this/);
  await expect(page.getByTestId("replays-empty")).toBeVisible();
  expect(errors).toEqual([]);
});

test("an unknown replay id is a 404 page", async ({ page }) => {
  for (const id of ["no-such-round", "not%20an%20id!"]) {
    const response = await page.goto(`/replays/${id}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByTestId("replay-not-found")).toContainText("no finished round");
  }
});

test("bad query parameters get a 400 with a message naming the parameter", async ({ page }) => {
  const cases = [
    ["/leaderboard?period=year", "period: must be one of day, week, all"],
    ["/leaderboard?page=0", "page: must be an integer from 1 to 1000"],
    ["/leaderboard?sort=name", "unknown parameter sort"],
    ["/replays?surface=no%2Fsuch", "surface: must be a catalog id"],
    ["/replays/anything?turn=-1", "turn: must be an integer"],
  ] as const;
  for (const [url, message] of cases) {
    const response = await page.goto(url);
    expect(response?.status(), url).toBe(400);
    await expect(page.getByTestId("bad-request")).toContainText(message);
  }
});
