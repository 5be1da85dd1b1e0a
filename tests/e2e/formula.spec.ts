import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import {
  collectErrors,
  expectNoSidewaysScroll,
  setTurns,
  snap,
  waitForRevealAnimation,
} from "./helpers";

/**
 * Issue 14 §1 in the browser (docs/SPEC.md F7–F8): the host types a formula into the room's
 * settings, sees the server's refusal of a bad one inline and the difficulty read-out of a good
 * one; a player on a phone sees neither the formula nor the read-out before the reveal; both
 * play a round and the reveal shows the formula typeset. Screenshots at 1920×1080 (the host's
 * projector) and 390×844 (the player's phone).
 */

const TURNS = 3;
const FORMULA = "(w - 1)^2 + 2 (b + 0.5)^2 + 0.3 sin(3 w)";

/** Aim by dragging on the fog map with the mouse, then click the step button. */
async function playTurnWithMouse(page: Page, aimAt: { x: number; y: number }) {
  const map = page.getByTestId("fog-map");
  await map.scrollIntoViewIfNeeded();
  const box = (await map.boundingBox())!;
  await page.mouse.move(box.x + box.width * aimAt.x, box.y + box.height * aimAt.y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * aimAt.x + 2, box.y + box.height * aimAt.y + 2);
  await page.mouse.up();
  await page.getByTestId("submit-move").click();
}

/** Aim by tapping on the fog map (a touch screen), then tap the step button. */
async function playTurnWithTouch(page: Page, aimAt: { x: number; y: number }) {
  const map = page.getByTestId("fog-map");
  const dial = page.getByTestId("direction-dial");
  const before = await dial.getAttribute("aria-valuenow");
  await map.scrollIntoViewIfNeeded();
  const box = (await map.boundingBox())!;
  await page.touchscreen.tap(box.x + box.width * aimAt.x, box.y + box.height * aimAt.y);
  await expect(dial).not.toHaveAttribute("aria-valuenow", before!);
  await page.getByTestId("submit-move").tap();
}

test("a host's own formula: refused inline, previewed for the host only, played, revealed typeset", async ({
  browser,
}, testInfo) => {
  test.skip(testInfo.project.name !== "laptop", "one run sets both viewports itself");
  const hostContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const guestContext = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
  });
  const host = await hostContext.newPage();
  const guest = await guestContext.newPage();
  const errors = [...collectErrors(host), ...collectErrors(guest)];

  await host.goto("/");
  await host.getByLabel("Your nickname").fill("Teacher");
  await host.getByTestId("create-room").click();
  await expect(host.getByTestId("lobby")).toBeVisible();
  const code = (await host.getByTestId("room-code").textContent())!.trim();
  await guest.goto(`/room/${code}`);
  await guest.getByTestId("join-nickname").fill("Stu");
  await guest.getByTestId("join-submit").click();
  await expect(guest.getByTestId("lobby")).toBeVisible();
  await expect(host.getByTestId("members")).toContainText("Stu");
  await setTurns(host, TURNS);

  // "Your own formula": the box opens; a formula with a pole on the box is refused where it is.
  await host.getByTestId("setting-surface").selectOption("formula");
  const text = host.getByTestId("formula-text");
  await expect(text).toBeVisible();
  await text.fill("1/w + b^2");
  await host.getByTestId("formula-use").click();
  await expect(host.getByTestId("formula-error")).toHaveText(
    "Not finite at w = 0, b = -1: division by zero",
  );
  await expect(host.getByTestId("error-banner")).toBeEmpty();
  await text.fill("w^2 + x");
  await host.getByTestId("formula-use").click();
  await expect(host.getByTestId("formula-error")).toContainText('Unknown name "x"');
  await snap(host, testInfo, "formula-refused-1920");

  // A good one: accepted, with the read-out only the host sees.
  await text.fill(FORMULA);
  await host.getByTestId("formula-use").click();
  await expect(host.getByTestId("formula-preview")).toContainText(`after ${TURNS} turns`);
  await expect(host.getByTestId("formula-error")).toHaveCount(0);
  await expect(host.getByTestId("formula-preview")).toContainText("apart");
  await expect(host.getByTestId("formula-map")).toHaveAttribute("data-drawn", "yes");
  await expectNoSidewaysScroll(host);
  await snap(host, testInfo, "formula-lobby-host-1920");
  await host.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(host);
  await snap(host, testInfo, "formula-lobby-host-390");
  await host.setViewportSize({ width: 1920, height: 1080 });

  // The player: the surface is hidden; no part of the formula is in the page or its HTML.
  await expect(guest.getByText("hidden until the reveal")).toBeVisible();
  await expect(guest.getByText(`${TURNS}`, { exact: true }).first()).toBeVisible();
  for (const html of [
    await guest.content(),
    await (await guest.request.get(`/room/${code}`)).text(),
  ]) {
    expect(html).not.toContain("sin(3");
    expect(html).not.toContain("(b + 0.5)");
  }
  await expect(guest.getByTestId("formula-preview")).toHaveCount(0);
  await expect(guest.getByTestId("formula-map")).toHaveCount(0);
  await expectNoSidewaysScroll(guest);
  await snap(guest, testInfo, "formula-lobby-guest-390");

  await host.getByTestId("start-round").click();
  await expect(host.getByTestId("play")).toBeVisible();
  await expect(guest.getByTestId("play")).toBeVisible();
  for (let t = 1; t <= TURNS; t++) {
    await expect(guest.getByTestId("turn")).toContainText(`Turn ${t} of ${TURNS}`);
    await playTurnWithMouse(host, { x: 0.3, y: 0.7 });
    await expect(host.getByTestId("submit-move")).toHaveText("Move sent");
    // Checked before the guest's move: after the last one the round is over and the reveal
    // shows the formula to everyone (checking after the loop raced the reveal).
    expect(await guest.content()).not.toContain("sin(3");
    await playTurnWithTouch(guest, t % 2 === 1 ? { x: 0.8, y: 0.2 } : { x: 0.2, y: 0.8 });
    if (t === 1) await snap(guest, testInfo, "formula-play-guest-390");
  }

  // The reveal: the formula, typeset with superscripts, for everyone.
  for (const page of [host, guest]) {
    await expect(page.getByTestId("reveal")).toBeVisible();
    await expect(page.getByTestId("surface-name")).toHaveText("the teacher's formula");
    const shown = page.getByTestId("reveal-formula");
    await expect(shown).toContainText("L(w, b) = (w − 1)");
    await expect(shown).toContainText("sin(3 w)");
    await expect(shown.locator("sup")).toHaveCount(2);
    await expect(page.getByTestId("contour-canvas")).toHaveAttribute("data-draw-ms", /\d/);
    await expect(page.getByTestId("minimum-marker").first()).toBeAttached();
  }
  await waitForRevealAnimation(host, TURNS);
  await waitForRevealAnimation(guest, TURNS);
  await expectNoSidewaysScroll(host);
  await expectNoSidewaysScroll(guest);
  await snap(host, testInfo, "formula-reveal-host-1920");
  await snap(guest, testInfo, "formula-reveal-guest-390");
  expect(errors).toEqual([]);
  await hostContext.close();
  await guestContext.close();
});
