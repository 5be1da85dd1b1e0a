import { expect, test } from "@playwright/test";
import { collectErrors } from "./helpers";

test("/learn: turning the dial to β = 180° gives the most negative first-order change", async ({
  page,
}, testInfo) => {
  const errors = collectErrors(page);
  await page.goto("/learn");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("opposite to the gradient");
  const dial = page.getByRole("slider", { name: /Direction u/ });
  await dial.focus();
  // The dial starts along the gradient (β = 0°); 72 presses of 5° turn it all the way round.
  const seen: { beta: number; change: number }[] = [];
  for (let k = 0; k < 72; k++) {
    const beta = Number((await page.getByTestId("learn-beta").textContent())?.replace("°", ""));
    const change = Number(await page.getByTestId("learn-first-order").getAttribute("data-value"));
    seen.push({ beta, change });
    await page.keyboard.press("ArrowLeft");
  }
  expect(seen[0]?.beta).toBe(0);
  const lowest = seen.reduce((a, b) => (b.change < a.change ? b : a));
  expect(lowest.beta).toBe(180);
  expect(lowest.change).toBeLessThan(0);
  // The button jumps straight there too.
  await page.getByTestId("learn-steepest").click();
  await expect(page.getByTestId("learn-beta")).toHaveText("180°");
  await expect(page.getByTestId("learn-reading")).toContainText("steepest way down");
  await page.screenshot({ path: testInfo.outputPath("learn.png"), fullPage: true });
  expect(errors).toEqual([]);
});
