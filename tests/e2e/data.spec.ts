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
 * Issue 14 §2 in the browser (docs/SPEC.md F9–F12): the host pastes the class's points as CSV
 * into the room's settings, sees a malformed line and a bad point refused inline and the read-out
 * of good ones; a player on a phone sees no point before the reveal; both play, and the reveal
 * draws the points and the fitted curves σ(w x + b) of the best player and the bot beside the
 * map. Screenshots at 1920×1080 and 390×844.
 */

const TURNS = 3;
const CSV = "x,y\n-2.25, 0.125\n-0.75, 0.375\n0.5, 0.5625\n1.75, 0.6875\n3.25, 0.9375";

async function step(page: Page) {
  await page.getByTestId("submit-move").click();
}

test("the neuron on the class's data: pasted as CSV, refused inline, hidden, played, fitted curves at the reveal", async ({
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

  await host.getByTestId("setting-surface").selectOption("data");
  const points = host.getByTestId("data-points");
  await expect(points).toBeVisible();
  // A line that is not two numbers is named by the page; a point outside 0…1 by the server.
  await points.fill("0.5, 0.2\n2.5, lots");
  await host.getByTestId("data-use").click();
  await expect(host.getByTestId("data-error")).toHaveText(
    'Line 2 ("2.5, lots") is not two numbers x, y.',
  );
  await points.fill("0.5, 0.2\n2.5, 1.9");
  await host.getByTestId("data-use").click();
  await expect(host.getByTestId("data-error")).toContainText("Point 2: y = 1.9 is outside 0…1");
  await points.fill("0, 0\n1, 1");
  await host.getByTestId("data-use").click();
  await expect(host.getByTestId("data-error")).toContainText("edge of the box");
  await expect(host.getByTestId("error-banner")).toBeEmpty();
  await snap(host, testInfo, "data-refused-1920");

  await points.fill(CSV);
  await host.getByTestId("data-use").click();
  await expect(host.getByTestId("data-preview")).toContainText(`after ${TURNS} turns`);
  await expect(host.getByTestId("data-error")).toHaveCount(0);
  await expect(host.getByTestId("formula-map")).toHaveAttribute("data-drawn", "yes");
  await expectNoSidewaysScroll(host);
  await snap(host, testInfo, "data-lobby-host-1920");
  await host.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(host);
  await snap(host, testInfo, "data-lobby-host-390");
  await host.setViewportSize({ width: 1920, height: 1080 });

  // The player: no point in the page or its HTML before the reveal.
  await expect(guest.getByText("hidden until the reveal")).toBeVisible();
  for (const html of [
    await guest.content(),
    await (await guest.request.get(`/room/${code}`)).text(),
  ]) {
    expect(html).not.toContain("0.5625");
    expect(html).not.toContain("0.6875");
  }
  await expect(guest.getByTestId("data-preview")).toHaveCount(0);

  await host.getByTestId("start-round").click();
  await expect(guest.getByTestId("play")).toBeVisible();
  await expect(host.getByTestId("play")).toBeVisible();
  for (let t = 1; t <= TURNS; t++) {
    await expect(guest.getByTestId("turn")).toContainText(`Turn ${t} of ${TURNS}`);
    await step(host);
    await expect(host.getByTestId("submit-move")).toHaveText("Move sent");
    const html = await guest.content();
    expect(html).not.toContain("0.5625");
    expect(html).not.toContain("0.9375");
    await guest.getByTestId("submit-move").tap();
    if (t === 1) await snap(guest, testInfo, "data-play-guest-390");
  }

  for (const page of [host, guest]) {
    await expect(page.getByTestId("reveal")).toBeVisible();
    await expect(page.getByTestId("surface-name")).toHaveText(
      "one sigmoid neuron on the class's data",
    );
    const fit = page.getByTestId("data-fit");
    await expect(fit).toBeVisible();
    await expect(fit.getByTestId("fit-point")).toHaveCount(5);
    await expect(fit.getByTestId("fit-best")).toBeAttached();
    await expect(fit.getByTestId("fit-bot")).toBeAttached();
    await expect(fit).toContainText("(best)");
    await expect(page.getByTestId("contour-canvas")).toHaveAttribute("data-draw-ms", /\d/);
  }
  await waitForRevealAnimation(host, TURNS);
  await waitForRevealAnimation(guest, TURNS);
  await expectNoSidewaysScroll(host);
  await expectNoSidewaysScroll(guest);
  await snap(host, testInfo, "data-reveal-host-1920");
  await guest.getByTestId("data-fit").scrollIntoViewIfNeeded();
  await snap(guest, testInfo, "data-reveal-guest-390");
  expect(errors).toEqual([]);
  await hostContext.close();
  await guestContext.close();
});
