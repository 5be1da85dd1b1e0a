import { expect, test } from "@playwright/test";
import { collectErrors, snap } from "./helpers";

/**
 * The host console on another device (issue 13): the teacher opens the host link on a phone and
 * runs the class from there; the token leaves the phone's address bar at once, never appears on
 * the projector, and a wrong or missing token opens no console.
 */

test("the teacher runs the class from a phone through the host link; the projector never shows the token", async ({
  browser,
}, testInfo) => {
  test.skip(testInfo.project.name !== "laptop", "one run is enough: the second device is a phone");
  const laptop = await browser.newContext({ ...testInfo.project.use });
  const teacher = await laptop.newPage();
  const errors = collectErrors(teacher);
  await teacher.goto("/classroom/new");
  await teacher.getByTestId("competition-name").fill("Host link demo");
  await teacher.getByTestId("preset-first-lesson").click();
  await teacher.getByTestId("create-competition").click();
  await expect(teacher).toHaveURL(/\/classroom\/[A-Z0-9]{6}\/host$/);
  const code = /\/classroom\/([A-Z0-9]{6})\/host/.exec(teacher.url())![1]!;

  await teacher.getByTestId("host-link").locator("summary").click();
  const link = (await teacher.getByTestId("host-link-url").getAttribute("href"))!;
  const token = /#host=([A-Za-z0-9_-]+)$/.exec(link)?.[1];
  expect(token, `a host link with the token in the fragment: ${link}`).toBeTruthy();

  // The projector (same laptop) shows the code and the join address, never the host token.
  const projector = await laptop.newPage();
  errors.push(...collectErrors(projector));
  await projector.goto(`/classroom/${code}/projector`);
  await expect(projector.getByTestId("join-code")).toHaveText(code);
  expect(await projector.content()).not.toContain(token!);

  // The phone: a context of its own (no shared storage), opened by the link alone.
  const phoneContext = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const phone = await phoneContext.newPage();
  errors.push(...collectErrors(phone));
  await phone.goto(new URL(link).pathname + new URL(link).hash);
  await expect(phone.getByTestId("host-console")).toBeVisible();
  await expect(phone.getByTestId("competition-title")).toHaveText("Host link demo");
  // The token leaves the address bar (it stays in the phone's storage).
  await expect.poll(() => phone.url()).not.toContain("#host=");

  // A student joins; the phone's console sees them and starts the round for everyone.
  const student = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const ann = await student.newPage();
  errors.push(...collectErrors(ann));
  await ann.goto(`/classroom/${code}`);
  await ann.getByTestId("nickname").fill("Ann");
  await ann.getByTestId("join").click();
  await expect(phone.getByTestId("student-row")).toHaveCount(1);
  await phone.getByTestId("start-round").click();
  await expect(projector.getByTestId("live")).toBeVisible();
  await expect(ann.getByTestId("turn")).toContainText("Turn 1 of");
  await snap(phone, testInfo, "host-console-on-phone");
  expect(await projector.content()).not.toContain(token!);

  // Without the token, the console does not open (a stranger who guesses the address).
  const stranger = await browser.newContext();
  const guess = await stranger.newPage();
  await guess.goto(`/classroom/${code}/host`);
  await expect(guess.getByText("does not hold the host token")).toBeVisible();
  await expect(guess.getByTestId("start-round")).toHaveCount(0);

  expect(errors).toEqual([]);
  for (const c of [laptop, phoneContext, student, stranger]) await c.close();
});
