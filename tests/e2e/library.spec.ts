import { expect, test } from "@playwright/test";
import { collectErrors, expectNoSidewaysScroll, snap } from "./helpers";

/**
 * Issue 14 §3 in the browser (docs/SPEC.md F13–F15): a teacher saves an accepted formula from the
 * room's settings to the library under a name, finds it on /surfaces by searching, and opens its
 * share link: a classroom plan whose first round is that formula, which creates a competition; its
 * other link makes it a new room's surface.
 * Screenshots at 1920×1080 and 390×844.
 */
const FORMULA = "(w - 1.25)^2 + 3 (b + 0.75)^2 + 0.2 sin(2 w)";

test("a saved surface is reused from the library in a classroom competition", async ({
  browser,
}, testInfo) => {
  test.skip(testInfo.project.name !== "laptop", "one run sets both viewports itself");
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const teacher = await context.newPage();
  const errors = collectErrors(teacher);
  const name = `Tilted bowl ${testInfo.repeatEachIndex}-${Date.now() % 100000}`;

  await teacher.goto("/");
  await teacher.getByLabel("Your nickname").fill("Teacher");
  await teacher.getByTestId("create-room").click();
  await expect(teacher.getByTestId("lobby")).toBeVisible();
  await teacher.getByTestId("setting-surface").selectOption("formula");
  await teacher.getByTestId("formula-text").fill(FORMULA);
  await teacher.getByTestId("formula-use").click();
  await expect(teacher.getByTestId("formula-preview")).toBeVisible();
  await teacher.getByTestId("library-name").fill(name);
  await teacher.getByTestId("library-save-button").click();
  const link = teacher.getByTestId("library-link");
  await expect(link).toHaveText(/^\/classroom\/new\?surface=[0-9a-z]{10}$/);
  const href = (await link.textContent())!;
  const id = href.split("=")[1]!;
  expect(
    await teacher.evaluate((key) => localStorage.getItem(key), `blind-descent.surface-edit.${id}`),
  ).toMatch(/^[A-Za-z0-9_-]{24}$/);
  await snap(teacher, testInfo, "library-saved-1920");

  // The library page finds it by a part of its name, in any case.
  await teacher.goto("/surfaces");
  await teacher.getByTestId("library-search").fill("TILTED BOWL");
  await teacher.getByTestId("library-search-submit").click();
  await expect(teacher).toHaveURL(/\/surfaces\?q=TILTED\+BOWL/);
  const item = teacher.getByTestId("library-item").filter({ hasText: name });
  await expect(item).toHaveCount(1);
  await expect(item).toContainText("a formula in w and b");
  await expectNoSidewaysScroll(teacher);
  await snap(teacher, testInfo, "library-list-1920");
  await teacher.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(teacher);
  await snap(teacher, testInfo, "library-list-390");
  await teacher.setViewportSize({ width: 1920, height: 1080 });

  // Its link opens it as round 1 of a classroom plan.
  await item.getByTestId("library-use").click();
  await expect(teacher).toHaveURL(new RegExp(`/classroom/new\\?surface=${id}$`));
  await expect(teacher.getByTestId("plan-from-library")).toContainText(name);
  const first = teacher.getByTestId("round-editor").first();
  await expect(first.getByTestId("round-surface")).toHaveValue("formula");
  await expect(first.getByTestId("plan-formula-text")).toHaveValue(FORMULA);
  await teacher.getByTestId("competition-name").fill("From the library");
  await snap(teacher, testInfo, "library-plan-1920");
  await teacher.getByTestId("create-competition").click();
  await expect(teacher).toHaveURL(/\/classroom\/[A-Z0-9]{6}\/host$/);
  await expect(teacher.getByTestId("competition-title")).toHaveText("From the library");

  // The other link (F14) makes it a new room's surface, in the room's own settings.
  await teacher.goto("/surfaces");
  await teacher
    .getByTestId("library-item")
    .filter({ hasText: name })
    .getByTestId("library-use-room")
    .click();
  await expect(teacher).toHaveURL(new RegExp(`/\\?surface=${id}$`));
  await expect(teacher.getByTestId("home-from-library")).toContainText(name);
  await teacher.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(teacher);
  await snap(teacher, testInfo, "library-home-390");
  await teacher.setViewportSize({ width: 1920, height: 1080 });
  await teacher.getByLabel("Your nickname").fill("Teacher");
  await teacher.getByTestId("create-room").click();
  await expect(teacher.getByTestId("lobby")).toBeVisible();
  await expect(teacher.getByTestId("setting-surface")).toHaveValue("formula");
  await expect(teacher.getByTestId("formula-text")).toHaveValue(FORMULA);
  await snap(teacher, testInfo, "library-room-1920");

  // The API: the share link's surface, and a wrong edit token changes nothing.
  const got = await (await teacher.request.get(`/api/surfaces/${id}`)).json();
  expect(got).toMatchObject({ id, name, kind: "formula", surface: { text: FORMULA } });
  const put = await teacher.request.put(`/api/surfaces/${id}`, {
    data: { editToken: "x".repeat(24), name: "hijacked" },
  });
  expect(put.status()).toBe(403);
  const refused = await teacher.request.post("/api/surfaces", {
    data: { name: "pole", surface: { kind: "formula", text: "1/w + b^2", box: FORMULA_BOX } },
  });
  expect(refused.status()).toBe(422);
  expect((await refused.json()).error.message).toContain("division by zero");
  expect(errors).toEqual([]);
  await context.close();
});

const FORMULA_BOX = { min: [-1, -1], max: [1, 1] };
