import { expect, test } from "@playwright/test";
import { collectErrors, expectNoSidewaysScroll } from "./helpers";

test("the home page says what the game is", async ({ page }, testInfo) => {
  const errors = collectErrors(page);
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "Blind Descent" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "How it works" })).toBeVisible();
  await expect(page.getByText("opposite to the gradient", { exact: false }).first()).toBeVisible();
  // After the game: the leaderboards and the replays (and the lesson).
  await expect(page.getByRole("link", { name: "Leaderboards" })).toHaveAttribute(
    "href",
    "/leaderboard",
  );
  await expect(page.getByRole("link", { name: "Replays" })).toHaveAttribute("href", "/replays");
  await expect(page.getByRole("link", { name: "Learn", exact: true })).toHaveAttribute(
    "href",
    "/learn",
  );
  // A teacher finds the classroom from here; a student the join page.
  await expect(page.getByRole("link", { name: "Run a class competition" })).toHaveAttribute(
    "href",
    "/classroom/new",
  );
  await expect(page.getByRole("link", { name: "Join your class" })).toHaveAttribute(
    "href",
    "/classroom",
  );
  // A picture of the game: a drawn reveal with the paths named (issue 13).
  const picture = page.getByTestId("home-picture");
  await expect(picture.getByTestId("contour-canvas")).toHaveAttribute("data-draw-ms", /\d/);
  await expect(picture.getByTestId("path-labels")).toContainText("You");
  await expect(picture.getByTestId("path-labels")).toContainText("Bot");
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: testInfo.outputPath("home.png"), fullPage: true });
  expect(errors).toEqual([]);
});

test("the health endpoint answers", async ({ request }) => {
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ ok: true });
});
