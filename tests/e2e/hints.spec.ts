import { expect, test } from "@playwright/test";
import { collectErrors, setTurns, snap, startSolo } from "./helpers";

/**
 * The host's hint levels as a player sees them (GAME.md "Hint levels"): `taylor` shows no arrow
 * but the predicted first-order change η uᵀ∇L for the direction and step being aimed, and
 * `blind` shows nothing but losses. (The `gradient` arrow is checked in game.spec.ts.)
 */

test("taylor shows the predicted ΔL while aiming; blind shows nothing but losses", async ({
  page,
}, testInfo) => {
  const errors = collectErrors(page);
  await startSolo(page, "Tay");
  await setTurns(page, 2);
  await page.getByTestId("setting-surface").selectOption("catalog:himmelblau");
  await page.getByTestId("setting-hint").selectOption("taylor");
  await expect(page.getByTestId("setting-hint")).toHaveValue("taylor");
  await page.getByTestId("start-round").click();
  await expect(page.getByTestId("play")).toBeVisible();

  // Taylor: no arrow, a prediction that follows the dial.
  const predicted = page.getByTestId("predicted");
  const dial = page.getByRole("slider", { name: "Direction of your step" });
  await expect(predicted).toContainText("Predicted ΔL ≈ η uᵀ∇L =");
  await expect(page.getByTestId("gradient-arrow")).toHaveCount(0);
  const valueOf = async () => Number(await predicted.getAttribute("data-value"));
  const at0 = await valueOf();
  expect(at0).not.toBe(0);
  await dial.focus();
  for (let k = 0; k < 18; k++) await page.keyboard.press("ArrowLeft"); // 90°
  const at90 = await valueOf();
  for (let k = 0; k < 18; k++) await page.keyboard.press("ArrowLeft"); // 180°
  await expect(dial).toHaveAttribute("aria-valuetext", /^180°.*predicted ΔL [−+]?\d/);
  const at180 = await valueOf();
  // η uᵀ∇L is linear in u: turning u around by 180° flips its sign; a quarter turn changes it.
  expect(at180).toBeCloseTo(-at0, 9);
  expect(at90).not.toBeCloseTo(at0, 9);
  // A bigger step predicts a proportionally bigger change (η is a factor).
  const etaBefore = Number(await page.getByTestId("step-size").inputValue());
  await page.keyboard.press("+");
  const etaAfter = Number(await page.getByTestId("step-size").inputValue());
  // (The step-size box shows η rounded, so the ratio holds to its digits.)
  expect((await valueOf()) / at180).toBeCloseTo(etaAfter / etaBefore, 4);

  // Go the way the prediction says is downhill; the feedback shows the same prediction.
  if ((await valueOf()) > 0) {
    for (let k = 0; k < 36; k++) await page.keyboard.press("ArrowLeft");
  }
  expect(await valueOf()).toBeLessThan(0);
  const shown = (await predicted.textContent())!.replace(/^.*= /, "");
  await snap(page, testInfo, "play-taylor");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("feedback")).toContainText("After turn 1");
  await expect(page.getByTestId("feedback")).toContainText(shown);
  await page.getByTestId("submit-move").click();
  await expect(page.getByTestId("reveal")).toBeVisible();

  // Next round, blind: no arrow, no prediction, no β; only losses.
  await page.getByTestId("setting-hint").selectOption("blind");
  await expect(page.getByTestId("setting-hint")).toHaveValue("blind");
  await page.getByTestId("start-round").click();
  await expect(page.getByTestId("play")).toBeVisible();
  await expect(page.getByTestId("turn")).toContainText("Turn 1 of 2");
  await expect(page.getByTestId("gradient-arrow")).toHaveCount(0);
  await expect(predicted).not.toHaveAttribute("data-value");
  await expect(predicted).not.toContainText(/\d/);
  await expect(dial).not.toHaveAttribute("aria-valuetext", /predicted/);
  await expect(page.getByTestId("current-loss")).toHaveText(/\d/);
  await page.getByTestId("submit-move").click();
  const feedback = page.getByTestId("feedback");
  await expect(feedback).toContainText("After turn 1");
  await expect(feedback.locator("dd").nth(0)).toHaveText(/\d/); // ΔL actual
  await expect(feedback.locator("dd").nth(1)).toHaveText("—"); // predicted
  await expect(feedback.locator("dd").nth(2)).toHaveText("—"); // β
  await expect(page.getByTestId("feedback-reading")).not.toContainText("β");
  await snap(page, testInfo, "play-blind");
  expect(errors).toEqual([]);
});

test("on the box's edge your marker is drawn whole and the ∇L arrow stays on the map", async ({
  page,
}, testInfo) => {
  const errors = collectErrors(page);
  await startSolo(page, "Edge");
  await setTurns(page, 6);
  await page.getByTestId("setting-surface").selectOption("catalog:himmelblau");
  await page.getByTestId("start-round").click();
  await expect(page.getByTestId("play")).toBeVisible();
  const map = page.getByTestId("fog-map");
  const marker = map.locator('circle[r="20"]');
  // Four full steps to the right: θ₀ is at most 0.65 of the way across (SPEC T8) and a step is
  // a fifth of the box (T3), so the last one stops on the right edge.
  for (let t = 1; t <= 4; t++) {
    await expect(page.getByTestId("turn")).toContainText(`Turn ${t} of 6`);
    await map.scrollIntoViewIfNeeded();
    const box = (await map.boundingBox())!;
    const at = (await marker.boundingBox())!;
    await page.mouse.move(box.x + box.width - 2, at.y + at.height / 2);
    await page.mouse.down();
    await page.mouse.up();
    await page.getByTestId("step-size").focus();
    await page.keyboard.press("End");
    await page.getByTestId("submit-move").click();
  }
  await expect(page.getByTestId("turn")).toContainText("Turn 5 of 6");
  const svg = (await map.boundingBox())!;
  const inside = (r: { x: number; y: number; width: number; height: number }) =>
    r.x >= svg.x - 0.5 &&
    r.y >= svg.y - 0.5 &&
    r.x + r.width <= svg.x + svg.width + 0.5 &&
    r.y + r.height <= svg.y + svg.height + 0.5;
  const here = (await marker.boundingBox())!;
  // On the edge: the marker's centre is within a marker's radius of the map's right side.
  expect(svg.x + svg.width - (here.x + here.width / 2)).toBeLessThan(here.width);
  expect(inside(here), "the marker is inside the map").toBe(true);
  const arrow = (await page.getByTestId("gradient-arrow").boundingBox())!;
  expect(inside(arrow), "the ∇L arrow and its label are inside the map").toBe(true);
  await snap(page, testInfo, "play-edge");
  expect(errors).toEqual([]);
});
