import { AxeBuilder } from "@axe-core/playwright";
import { expect } from "@playwright/test";
import type { Locator, Page, TestInfo } from "@playwright/test";

/** Shared steps of the browser tests (not a test file: Playwright only runs *.spec.ts). */

/** Uncaught page errors, collected for an `expect(errors).toEqual([])` at the end. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

/** Press Tab until `target` has the focus (keyboard-only navigation); fails if it never does. */
export async function tabTo(page: Page, target: Locator, maxPresses = 40): Promise<void> {
  for (let k = 0; k <= maxPresses; k++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`${target.toString()} was not reached with ${maxPresses} presses of Tab`);
}

/** Set the number of turns as the host, with the keyboard. */
export async function setTurns(page: Page, turns: number): Promise<void> {
  const input = page.getByTestId("setting-turns");
  await input.focus();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type(String(turns));
  await page.keyboard.press("Tab");
  await expect(input).toHaveValue(String(turns));
}

/** Open a solo practice from the home page and wait for its lobby (to choose its settings). */
export async function startSolo(page: Page, nickname: string): Promise<void> {
  await page.goto("/");
  await page.getByLabel("Your nickname").fill(nickname);
  await page.getByTestId("solo-settings").click();
  await expect(page.getByTestId("lobby")).toBeVisible();
}

/** Save a full-page screenshot as a test artefact (test-results/e2e/…) and attach it. */
export async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}-${testInfo.project.name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

/** Wait until the reveal's paths have been animated to the last turn. */
export async function waitForRevealAnimation(page: Page, turns: number): Promise<void> {
  await expect(page.getByTestId("reveal-step")).toHaveText(`turn ${turns} of ${turns}`, {
    timeout: 20_000,
  });
}

/** The page does not scroll sideways (nothing is wider than a phone's screen); names culprits. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const culprits = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    return [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.getAttribute("class") ?? "")}`)
      .slice(0, 8);
  });
  expect(culprits, "elements wider than the screen").toEqual([]);
}

/**
 * Every step of the podium in `podium` holds its content: nothing sticks out at the top (the
 * place's digit cut off) and the steps stand 1 above 2 above 3.
 */
export async function expectPodiumFits(podium: Locator): Promise<void> {
  const steps = await podium.locator("[data-place]").evaluateAll((els) =>
    els.map((el) => {
      const box = el.getBoundingClientRect();
      const tops = [...el.children].map((c) => c.getBoundingClientRect().top);
      return {
        place: Number(el.getAttribute("data-place")),
        height: box.height,
        overflow: el.scrollHeight - el.clientHeight,
        above: Math.max(0, box.top - Math.min(...tops)),
      };
    }),
  );
  expect(steps.length, "podium steps").toBeGreaterThan(0);
  for (const s of steps) {
    expect(s.overflow, `podium step ${s.place}: content taller than the step`).toBeLessThanOrEqual(
      1,
    );
    expect(s.above, `podium step ${s.place}: content above the step's top`).toBeLessThanOrEqual(1);
  }
  const byPlace = [...steps].sort((a, b) => a.place - b.place);
  for (let i = 1; i < byPlace.length; i++) {
    expect(
      byPlace[i]!.height,
      `step ${byPlace[i]!.place} lower than ${byPlace[i - 1]!.place}`,
    ).toBeLessThan(byPlace[i - 1]!.height);
  }
}

/** The page's CSS animations (the podium rising, the reveal fading in) have finished. */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getTiming().iterations !== Infinity)
        .map((a) => a.finished),
    ),
  );
}

/** axe-core: no serious or critical violation (moderate and minor ones are reported, not failed). */
export async function expectAccessible(
  page: Page,
  testInfo: TestInfo,
  name: string,
): Promise<void> {
  // Mid-animation (a fade-in) colours are not the page's colours: measure the settled page.
  await settled(page);
  // A dynamic page's metadata is streamed after its body (Next.js "streaming metadata"): the
  // <title> arrives a moment later, so axe would see a page without one. Every title ends with
  // the site's name (app/layout.tsx's template), so wait for it.
  await expect(page).toHaveTitle(/Blind Descent/);
  const result = await new AxeBuilder({ page }).analyze();
  await testInfo.attach(`axe-${name}`, {
    body: JSON.stringify(result.violations, null, 2),
    contentType: "application/json",
  });
  const bad = result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 4)
          .join(" | ")}`,
    );
  expect(bad, `axe on ${name}`).toEqual([]);
}
