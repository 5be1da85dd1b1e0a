import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";

/**
 * Full games against the production server: a room with two players, solo practice with the
 * keyboard only, and a reload in the middle of a round. Screenshots land in test-results/e2e/.
 */

const TURNS = 3;

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

async function turnNumber(page: Page): Promise<number> {
  const text = (await page.getByTestId("turn").textContent()) ?? "";
  return Number(/Turn (\d+)/.exec(text)?.[1] ?? NaN);
}

/** Set the number of turns as the host, with the keyboard. */
async function setTurns(page: Page, turns: number) {
  const input = page.getByTestId("setting-turns");
  await input.focus();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type(String(turns));
  await page.keyboard.press("Tab");
  await expect(input).toHaveValue(String(turns));
}

/** Aim by dragging on the fog map with the mouse, then click the step button. */
async function playTurnWithMouse(page: Page, aimAt: { x: number; y: number }) {
  const map = page.getByTestId("fog-map");
  const box = (await map.boundingBox())!;
  await page.mouse.move(box.x + box.width * aimAt.x, box.y + box.height * aimAt.y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * aimAt.x + 2, box.y + box.height * aimAt.y + 2);
  await page.mouse.up();
  await page.getByTestId("submit-move").click();
}

test("two players in one room play a full round against the bot and see the same reveal", async ({
  browser,
}, testInfo) => {
  const use = testInfo.project.use;
  const hostContext = await browser.newContext({ ...use });
  const guestContext = await browser.newContext({ ...use });
  const host = await hostContext.newPage();
  const guest = await guestContext.newPage();
  const errors = [...collectErrors(host), ...collectErrors(guest)];

  await host.goto("/");
  await host.getByLabel("Your nickname").fill("Ann");
  await host.getByTestId("create-room").click();
  await expect(host.getByTestId("lobby")).toBeVisible();
  const code = (await host.getByTestId("room-code").textContent())!.trim();
  expect(code).toMatch(/^[A-Z0-9]{6}$/);

  await guest.goto(`/room/${code}`);
  await guest.getByTestId("join-nickname").fill("Bob");
  await guest.getByTestId("join-submit").click();
  await expect(guest.getByTestId("lobby")).toBeVisible();
  await expect(host.getByTestId("members")).toContainText("Bob");
  await expect(guest.getByTestId("members")).toContainText("Ann");

  await setTurns(host, TURNS);
  await host.getByTestId("setting-surface").selectOption("catalog:himmelblau");
  await expect(guest.getByText(`${TURNS}`, { exact: true }).first()).toBeVisible();
  await host.screenshot({ path: testInfo.outputPath("lobby-host.png"), fullPage: true });
  await guest.screenshot({ path: testInfo.outputPath("lobby-guest.png"), fullPage: true });

  await host.getByTestId("start-round").click();
  await expect(host.getByTestId("play")).toBeVisible();
  await expect(guest.getByTestId("play")).toBeVisible();

  for (let t = 1; t <= TURNS; t++) {
    await expect(host.getByTestId("turn")).toContainText(`Turn ${t} of ${TURNS}`);
    await expect(guest.getByTestId("turn")).toContainText(`Turn ${t} of ${TURNS}`);
    await playTurnWithMouse(host, { x: 0.3, y: 0.7 });
    await expect(host.getByTestId("submit-move")).toHaveText("Move sent");
    if (t === 1)
      await host.screenshot({ path: testInfo.outputPath("play-host.png"), fullPage: true });
    await playTurnWithMouse(guest, { x: 0.8, y: 0.2 });
    if (t < TURNS) {
      await expect(host.getByTestId("feedback")).toContainText(`After turn ${t}`);
      await expect(guest.getByTestId("feedback")).toContainText(`After turn ${t}`);
    }
  }
  await expect(host.getByTestId("reveal")).toBeVisible();
  await expect(guest.getByTestId("reveal")).toBeVisible();
  await expect(host.getByTestId("surface-name")).toHaveText("Himmelblau");
  await expect(host.getByTestId("contour-canvas")).toHaveAttribute("data-draw-ms", /\d/);
  const rows = async (page: Page) =>
    (await page.getByTestId("ranking").locator("tbody tr").allTextContents()).map((r) =>
      r.replace(" (you)", ""),
    );
  expect(await rows(host)).toEqual(await rows(guest));
  expect(await rows(host)).toHaveLength(3); // two players and the bot
  await host.waitForTimeout(2000); // let the paths animate
  await host.screenshot({ path: testInfo.outputPath("reveal-host.png"), fullPage: true });
  await guest.screenshot({ path: testInfo.outputPath("reveal-guest.png"), fullPage: true });
  expect(errors).toEqual([]);
  await hostContext.close();
  await guestContext.close();
});

test("solo practice to the reveal with the keyboard alone", async ({ page }, testInfo) => {
  const errors = collectErrors(page);
  await page.goto("/");
  await page.getByLabel("Your nickname").focus();
  await page.keyboard.type("Kay");
  await page.getByTestId("play-solo").focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("lobby")).toBeVisible();
  await setTurns(page, TURNS);
  await page.getByTestId("start-round").focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("play")).toBeVisible();
  await expect(page.getByTestId("turn"))
    .toContainText("untimed", { ignoreCase: true })
    .catch(() => undefined);

  const dial = page.getByTestId("direction-dial");
  for (let t = 1; t <= TURNS; t++) {
    await expect(page.getByTestId("turn")).toContainText(`Turn ${t} of ${TURNS}`);
    await dial.focus();
    for (let k = 0; k < 9; k++) await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("+");
    await page.keyboard.press("Enter");
    if (t < TURNS) await expect(page.getByTestId("feedback")).toContainText(`After turn ${t}`);
  }
  await expect(page.getByTestId("reveal")).toBeVisible();
  await expect(page.getByTestId("ranking")).toContainText("Kay");
  await page.waitForTimeout(1500);
  await page.screenshot({ path: testInfo.outputPath("solo-reveal.png"), fullPage: true });
  expect(errors).toEqual([]);
});

test("a reload in the middle of a round puts you back in your seat", async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto("/");
  await page.getByLabel("Your nickname").fill("Rae");
  await page.getByTestId("play-solo").click();
  await expect(page.getByTestId("lobby")).toBeVisible();
  await setTurns(page, TURNS);
  await page.getByTestId("start-round").click();
  await expect(page.getByTestId("turn")).toContainText(`Turn 1 of ${TURNS}`);
  await page.getByTestId("submit-move").click();
  await expect(page.getByTestId("turn")).toContainText(`Turn 2 of ${TURNS}`);
  const loss = await page.getByTestId("current-loss").textContent();

  await page.reload();
  await expect(page.getByTestId("play")).toBeVisible();
  await expect(page.getByTestId("turn")).toContainText(`Turn 2 of ${TURNS}`);
  await expect(page.getByTestId("current-loss")).toHaveText(loss!);
  await expect(page.getByTestId("feedback")).toContainText("After turn 1");
  expect(await turnNumber(page)).toBe(2);
  for (let t = 2; t <= TURNS; t++) {
    await expect(page.getByTestId("turn")).toContainText(`Turn ${t} of ${TURNS}`);
    await page.getByTestId("submit-move").click();
  }
  await expect(page.getByTestId("reveal")).toBeVisible();
  expect(errors).toEqual([]);
});
