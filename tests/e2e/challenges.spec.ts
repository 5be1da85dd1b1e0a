import { expect, test } from "@playwright/test";
import type { Page, TestInfo } from "@playwright/test";
import {
  collectErrors,
  expectAccessible,
  expectNoSidewaysScroll,
  setTurns,
  snap,
  startSolo,
} from "./helpers";

/**
 * Issue 16 §1–2 in the browser (docs/SPEC.md C1–C5, D1–D5): a round shared from its reveal as a
 * challenge link, played by two other players who land on the challenge's leaderboard; an
 * unknown challenge is a 404 page; the daily descent played twice on one day is scored once, and
 * its result to share holds no coordinates and no surface name. Screenshots at 390×844 and
 * 1920×1080, and axe on the new pages.
 */

const PHONE = { width: 390, height: 844 };
const PROJECTOR = { width: 1920, height: 1080 };

/** Click "Step" until the reveal: the current turn's number must advance after each click. */
async function playToReveal(page: Page): Promise<void> {
  await expect(page.getByTestId("play")).toBeVisible();
  const text = (await page.getByTestId("turn").textContent()) ?? "";
  const turns = Number(/of (\d+)/.exec(text)?.[1] ?? NaN);
  expect(turns).toBeGreaterThan(0);
  for (let t = 1; t <= turns; t++) {
    await expect(page.getByTestId("turn")).toContainText(`Turn ${t} of ${turns}`);
    await page.getByTestId("submit-move").click();
  }
  await expect(page.getByTestId("reveal")).toBeVisible({ timeout: 20_000 });
}

/** Screenshots of the page at the phone's and the projector's size, each checked sideways. */
async function snapBoth(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const before = page.viewportSize();
  for (const [label, size] of [
    ["390x844", PHONE],
    ["1920x1080", PROJECTOR],
  ] as const) {
    await page.setViewportSize(size);
    await expectNoSidewaysScroll(page);
    await snap(page, testInfo, `${name}-${label}`);
  }
  if (before) await page.setViewportSize(before);
}

test("C3–C5: a shared round's link, played by two players, lands on the challenge's leaderboard", async ({
  browser,
}, testInfo) => {
  const use = testInfo.project.use;
  const contexts = await Promise.all([0, 1, 2].map(() => browser.newContext({ ...use })));
  const [ann, bea, cy] = await Promise.all(contexts.map((c) => c.newPage()));
  const errors = [...collectErrors(ann!), ...collectErrors(bea!), ...collectErrors(cy!)];

  await startSolo(ann!, "Ann");
  await setTurns(ann!, 3);
  await ann!.getByTestId("start-round").click();
  await playToReveal(ann!);
  const surfaceName = (await ann!.getByTestId("surface-name").textContent())!;
  await ann!.getByTestId("share-round-button").click();
  const link = ann!.getByTestId("challenge-link");
  await expect(link).toHaveValue(/\/c\/[0-9a-z]{10}$/);
  await expect(ann!.getByTestId("share-round").getByTestId("qr")).toBeVisible();
  await snapBoth(ann!, testInfo, "challenge-share");
  const url = new URL(await link.inputValue());
  const path = url.pathname;

  for (const [page, name] of [
    [bea!, "Bea"],
    [cy!, "Cy"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "A challenge" })).toBeVisible();
    // The page names the settings, never the surface.
    await expect(page.getByTestId("challenge-settings")).toContainText("3 turns");
    expect(await page.locator("main").textContent()).not.toContain(surfaceName);
    await page.getByLabel("Your nickname").fill(name);
    await page.getByTestId("challenge-play").click();
    await playToReveal(page);
    // The same surface as the shared round.
    await expect(page.getByTestId("surface-name")).toHaveText(surfaceName);
    await expect(page.getByTestId("challenge-board-link")).toBeVisible();
    // A challenge plays its own settings: no settings panel to change them.
    await expect(page.getByTestId("setting-turns")).toHaveCount(0);
  }

  await cy!.getByTestId("challenge-board-link").click();
  await expect(cy!).toHaveURL(new RegExp(`${path}$`));
  const rows = cy!.getByTestId("challenge-board-row");
  await expect(rows).toHaveCount(2);
  await expect(cy!.getByTestId("challenge-board")).toContainText("Bea");
  await expect(cy!.getByTestId("challenge-board")).toContainText("Cy");
  await expect(cy!.getByTestId("challenge-board")).not.toContainText("Ann");
  expect(await cy!.locator("main").textContent()).not.toContain(surfaceName);
  await expect(cy!).toHaveTitle("A challenge · Blind Descent");
  await expectAccessible(cy!, testInfo, "challenge-page");
  await snapBoth(cy!, testInfo, "challenge-page");

  // An unknown id and a malformed one: a clear 404 page, not a crash.
  for (const bad of ["/c/zzzzzzzzzz", "/c/not-an-id!"]) {
    const response = await cy!.goto(bad);
    expect(response?.status()).toBe(404);
    await expect(cy!.getByTestId("challenge-not-found")).toBeVisible();
    await expect(cy!).toHaveTitle("Challenge not found · Blind Descent");
  }
  await expectAccessible(cy!, testInfo, "challenge-not-found");
  await snapBoth(cy!, testInfo, "challenge-not-found");
  expect(errors).toEqual([]);
  await Promise.all(contexts.map((c) => c.close()));
});

test("D2–D5: the daily played twice on one day is scored once; its share text names nothing", async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ ...testInfo.project.use });
  await context.grantPermissions(["clipboard-read", "clipboard-write"]).catch(() => {});
  const page = await context.newPage();
  const errors = collectErrors(page);
  const nickname = `Dee${testInfo.project.name.slice(0, 3)}${Date.now() % 100000}`;

  // The home page leads with the daily.
  await page.goto("/");
  const card = page.getByTestId("home-daily");
  await expect(card).toBeVisible();
  const cardTop = (await card.boundingBox())!.y;
  const playTop = (await page.getByTestId("play-solo").boundingBox())!.y;
  expect(cardTop).toBeLessThan(playTop);
  await expectAccessible(page, testInfo, "home");
  await snapBoth(page, testInfo, "home-daily");
  await card.click();
  await expect(page).toHaveURL(/\/daily$/);
  await expect(page.getByTestId("daily-status")).toContainText("first attempt today");
  await expectAccessible(page, testInfo, "daily-page");
  await snapBoth(page, testInfo, "daily-page");

  // First attempt: scored.
  await page.getByLabel("Your nickname").fill(nickname);
  await page.getByTestId("daily-play").click();
  await expect(page.getByTestId("room-label")).toHaveText(/^Daily descent #\d+$/);
  await playToReveal(page);
  const surfaceName = (await page.getByTestId("surface-name").textContent())!;
  await expect(page.getByTestId("daily-scored")).toHaveAttribute("data-scored", "yes");
  await expect(page.getByTestId("daily-streak")).toHaveText("1");
  const text = (await page.getByTestId("daily-share-text").textContent())!;
  expect(text).toMatch(/^Blind Descent daily #\d+\n/);
  expect(text).not.toContain("(practice)");
  // No coordinates, losses or surface name: only the day, score, turns, the bot and arrows.
  expect(text).not.toContain(surfaceName);
  expect(text).not.toMatch(/\d\.\d/);
  expect(text).not.toMatch(/[θwb]\s*=|\(|\[/u);
  for (const line of text.split("\n")) {
    expect(line).toMatch(
      /^(Blind Descent daily #\d+|Score \d+ · \d+\/\d+ turns|🤖 (Beat the bot|The bot won)|[⬆️↗️➡️↘️⬇️⏸️\uFE0F]+)$/u,
    );
  }
  await page.getByTestId("daily-copy").click();
  await expect(page.getByTestId("daily-copy")).toHaveText("Copied");
  await page.getByTestId("daily-result").scrollIntoViewIfNeeded();
  await snapBoth(page, testInfo, "daily-reveal");

  // Second attempt: practice, and the day's board still holds the first.
  await page.goto("/daily");
  await expect(page.getByTestId("daily-status")).toContainText("Another attempt is practice");
  await expect(page.getByTestId("daily-play")).toHaveText("Play again (practice)");
  const board = page.getByTestId("daily-board-row").filter({ hasText: nickname });
  await expect(board).toHaveCount(1);
  const firstScore = await board.locator("td").nth(1).textContent();
  await page.getByTestId("daily-play").click();
  // Said while playing, too: this attempt is practice.
  await expect(page.getByTestId("room-label")).toContainText("practice, not scored");
  await playToReveal(page);
  await expect(page.getByTestId("daily-scored")).toHaveAttribute("data-scored", "no");
  await expect(page.getByTestId("daily-scored")).toContainText("not scored");
  await expect(page.getByTestId("daily-share-text")).toContainText("(practice)");
  await page.goto("/daily");
  await expect(board).toHaveCount(1);
  await expect(board.locator("td").nth(1)).toHaveText(firstScore!);
  expect(errors).toEqual([]);
  await context.close();
});
