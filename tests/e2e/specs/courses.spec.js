// Night school on a phone: applying offline, the admin's draw, confirming a won place offline,
// the certificate and its public check, and the public results page's recompute.
const { test, expect } = require("@playwright/test");
const { startServer } = require("../support/server");
const { AppPage } = require("../support/app");
const { signIn, expectTouchFriendly } = require("../support/accounts");
const { serverRegistrations, signUpOthers, syncNow } = require("../support/sync");
const { ADMIN, ORGANIZER, ORGANIZER_ID, YOUTH, tokenFor } = require("../support/activities");

const TITLE = "书法入门·周二晚";
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.stop();
});

/** A lottery course of `capacity` places, applications closing `closesInMs` from now, four
 * weekly lessons from a week on, run by the demo organizer. */
async function createCourse(request, { capacity, closesInMs }) {
  const token = await tokenFor(request, server.url, ADMIN);
  const now = Date.now();
  const lessons = [0, 1, 2, 3].map((w) => {
    const start = now + (7 + 7 * w) * 86400_000;
    return { starts_at: iso(start), ends_at: iso(start + 90 * 60_000) };
  });
  const draft = {
    title: TITLE,
    summary: "从握笔开始，四次课写好一幅春联。",
    category: "书法",
    venue_id: "venue-binjiang",
    starts_at: lessons[0].starts_at,
    ends_at: lessons[3].ends_at,
    signup_closes_at: iso(now + closesInMs),
    allocation: "lottery",
    waitlist_enabled: true,
    quotas: [{ pool: "all", capacity }],
    programme: { kind: "course", term: "E2E 春", teacher: "王老师", lessons, confirm_hours: 24 },
  };
  const res = await request.post(server.url + "/api/v1/admin/offerings", {
    headers: { authorization: `Bearer ${token}` },
    data: { draft, publish: true, organizer_ids: [ORGANIZER_ID] },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).id;
}

/** Runs the draw as the admin through the API, once the list is frozen (the server's sweep
 * freezes it within a minute of the close; before that the draw is refused with 409). */
async function drawWhenFrozen(request, id) {
  const token = await tokenFor(request, server.url, ADMIN);
  const url = `${server.url}/api/v1/admin/offerings/${id}/draw`;
  let res;
  await expect
    .poll(
      async () => {
        res = await request.post(url, { headers: { authorization: `Bearer ${token}` }, data: { public_value: "现场摇号 7 3 9" } });
        return res.status();
      },
      { timeout: 100_000, intervals: [3000] },
    )
    .toBe(200);
  const again = await request.post(url, { headers: { authorization: `Bearer ${token}` }, data: { public_value: "1" } });
  expect(again.status(), "a second draw is refused").toBe(409);
  return res.json();
}

/** The organizer's door device records `lessons` for a registration (pushes of checkin.record). */
async function recordLessons(request, registrationId, lessons) {
  const token = await tokenFor(request, server.url, ORGANIZER);
  const push = await request.post(server.url + "/api/v1/sync/push", {
    headers: { authorization: `Bearer ${token}` },
    data: {
      schema_version: 1,
      client_id: crypto.randomUUID(),
      client_time: Date.now(),
      mutations: lessons.map((lesson, i) => ({
        id: i + 1,
        name: "checkin.record",
        args: {
          checkin_id: crypto.randomUUID(),
          registration_id: registrationId,
          kind: "in",
          scanned_at: Date.now(),
          device_id: "door-a",
          lesson,
        },
        created_at: Date.now(),
      })),
    },
  });
  expect(push.ok(), await push.text()).toBeTruthy();
  const { outcomes } = await push.json();
  for (const o of outcomes) expect(o.outcome, JSON.stringify(o)).toBe("applied");
}

test("a course from an offline application to the draw, an offline confirmation and a certificate anyone can check", async ({ page, context, request }) => {
  test.setTimeout(240_000);
  // Four applicants for four places: everyone wins, so the person on the phone does.
  const id = await createCourse(request, { capacity: 4, closesInMs: 40_000 });
  await signUpOthers(request, server.url, id, 3);

  await signIn(page, server.url, YOUTH);
  const app = new AppPage(page, server.url);
  await app.waitForOfflineReady();
  await app.goto(`/o/${id}`);
  const details = page.getByTestId("offering-page");
  await expect(details.getByTestId("offering-teacher")).toHaveText("王老师");
  await expect(details.getByTestId("offering-lessons").locator("li")).toHaveCount(4);
  await expect(details.getByTestId("offering-applied")).toHaveText("3 人已申请，共 4 个名额");
  await expectTouchFriendly(page, "a course's details");

  // Offline: the application is queued, and the page says it is not submitted yet.
  await context.setOffline(true);
  await page.reload();
  await expect(details.getByTestId("offering-teacher")).toHaveText("王老师");
  await expect(details.getByTestId("offering-applied")).toHaveCount(0);
  await details.getByRole("button", { name: "申请参加抽签" }).click();
  await expect(details.getByTestId("registration-state")).toHaveText(/待同步/);
  await expect(details.getByTestId("application-queued")).toContainText("申请尚未提交");
  expect(await serverRegistrations(request, server.url, YOUTH)).toHaveLength(0);

  // Online: it is sent, entered in the draw, and numbered.
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(details.getByTestId("registration-state")).toHaveText("已参加摇号");
  await expect(details.getByTestId("application-no")).toHaveText(/^申请编号 [0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await expect(details.getByTestId("application-queued")).toHaveCount(0);

  // The close, the freeze and the admin's draw.
  const drawn = await drawWhenFrozen(request, id);
  expect(drawn).toEqual({ entries: 4, winners: 4, waitlisted: 0 });

  // 我的: won, with the deadline; confirmed offline.
  await app.goto("/me");
  const row = page.getByTestId("my-registration").filter({ hasText: TITLE });
  await expect(row.getByTestId("registration-state")).toHaveText(/^已中签，请在 .+ 前确认$/);
  await expect(row.getByTestId("application-no")).toBeVisible();
  await expectTouchFriendly(page, "/me with a won place");
  await context.setOffline(true);
  await row.getByTestId("confirm-place").click();
  await expect(row.getByTestId("registration-state")).toHaveText("已报名");
  await expect(row.getByTestId("registration-state")).toHaveClass(/reg-pending/);
  await expect(row.getByTestId("confirm-place")).toHaveCount(0);
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(row.getByTestId("registration-state")).not.toHaveClass(/reg-pending/);
  const mine = (await serverRegistrations(request, server.url, YOUTH)).find((r) => r.offering_id === id);
  expect(mine.status).toBe("confirmed");

  // The ticket, as for activities, on the course's page.
  await app.goto(`/o/${id}`);
  await expect(page.getByTestId("ticket")).toBeVisible();

  // Three of four lessons recorded at the door: attendance and the certificate arrive.
  await recordLessons(request, mine.id, [1, 2, 3]);
  await app.goto("/me");
  await syncNow(page);
  await expect(row.getByTestId("attendance-count")).toHaveText("已出勤 3 / 4 课");
  await row.getByTestId("course-lessons").locator("summary").click();
  await expect(row.getByTestId("lesson").and(page.locator("[data-state=attended]"))).toHaveCount(3);
  await row.getByTestId("course-certificate-link").click();
  const certificate = page.getByTestId("course-certificate");
  await expect(certificate).toContainText("王青青");
  await expect(certificate).toContainText(TITLE);
  await expect(certificate).toContainText("出勤 3 / 4 课");
  const code = await page.getByTestId("certificate-code").textContent();
  expect(code).toMatch(/^QC1\./);
  await expectTouchFriendly(page, "a course certificate");

  // The public check, signed out in another browser context.
  await page.getByTestId("certificate-check-link").click();
  await expect(page.getByTestId("certificate-valid")).toBeVisible();
  const stranger = await (await page.context().browser().newContext({ viewport: { width: 360, height: 780 }, locale: "zh-CN" })).newPage();
  await stranger.goto(`${server.url}/certificates/verify`);
  await stranger.locator("#certificate_code").fill(code);
  await stranger.getByRole("button", { name: "核验", exact: true }).click();
  const valid = stranger.getByTestId("certificate-valid");
  await expect(valid).toContainText("证书有效");
  await expect(stranger.getByTestId("certificate-name")).toHaveText("王青青");
  await expect(stranger.getByTestId("certificate-course")).toHaveText(TITLE);
  await expect(stranger.getByTestId("certificate-attended")).toHaveText("3 / 4 课");
  await expectTouchFriendly(stranger, "the certificate check");
  const [body, sig] = [code.slice(0, code.lastIndexOf(".")), code.slice(code.lastIndexOf(".") + 1)];
  const altered = body.slice(0, -1) + (body.endsWith("A") ? "B" : "A") + "." + sig;
  await stranger.locator("#certificate_code").fill(altered);
  await stranger.getByRole("button", { name: "核验", exact: true }).click();
  await expect(stranger.getByTestId("certificate-invalid")).toContainText("证书无效");
  await stranger.context().close();
});

test("the public results page recomputes the draw, and finds a result that was altered", async ({ page, request }) => {
  test.setTimeout(180_000);
  const id = await createCourse(request, { capacity: 2, closesInMs: 5_000 });
  await signUpOthers(request, server.url, id, 5);
  await drawWhenFrozen(request, id);

  // Signed out: the page is public.
  await page.goto(`${server.url}/courses/${id}/results`);
  const results = page.getByTestId("results-page");
  await expect(results.getByTestId("results-course")).toHaveText(TITLE);
  await expect(results.getByTestId("list-hash")).toHaveText(/^[0-9a-f]{64}$/);
  await expect(results.getByTestId("commitment")).toHaveText(/^[0-9a-f]{64}$/);
  await expect(results.getByTestId("seed")).toHaveText(/^[0-9a-f]{64}$/);
  await expect(results.getByTestId("public-value")).toHaveText("现场摇号 7 3 9");
  const rows = results.getByTestId("result-row");
  await expect(rows).toHaveCount(5);
  await expect(rows.and(page.locator("[data-outcome=won]"))).toHaveCount(2);
  await expect(rows.and(page.locator("[data-outcome=waitlist]"))).toHaveCount(3);
  await expect(rows.first()).toContainText(/\d{4}/);
  await expectTouchFriendly(page, "the results page");
  await results.getByTestId("recompute").click();
  await expect(results.getByTestId("recompute-result")).toHaveAttribute("data-matches", "true");
  await expect(results.getByTestId("recompute-result")).toHaveText("一致：重新计算的顺序与本页公示的结果相同。");

  // The same page with two results swapped, as a tampered page would show them.
  await page.route("**/api/v1/courses/*/results", async (route) => {
    const answer = await route.fetch();
    const json = await answer.json();
    const [a, b] = json.drawn.results;
    [a.number, b.number] = [b.number, a.number];
    await route.fulfill({ response: answer, json });
  });
  await page.reload();
  await results.getByTestId("recompute").click();
  await expect(results.getByTestId("recompute-result")).toHaveAttribute("data-matches", "false");
  await expect(results.getByTestId("recompute-result")).toContainText(/^不一致：第 1 位公示为 [0-9A-Z-]+，计算结果为 [0-9A-Z-]+$/);
});
