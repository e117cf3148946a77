// Night school on phones: applying offline, the admin's draw in the admin screens, confirming a
// won place offline, two organizer phones recording lessons offline at the door, attendance and
// the certificate with its public check, the learner's rating and the admin's view of it, and
// the public results page's recompute.
const { test, expect } = require("../support/test");
const { startServer } = require("../support/server");
const { AppPage } = require("../support/app");
const { signIn, expectTouchFriendly } = require("../support/accounts");
const { serverRegistrations, signUpOthers, syncNow } = require("../support/sync");
const { ADMIN, ORGANIZER, ORGANIZER_ID, YOUTH, PHONE, AdminPage, VenuePage, tokenFor } = require("../support/activities");

const TITLE = "书法入门·周二晚";
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.stop();
});

async function online(context, page) {
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
}

/** Four weekly lessons of 90 minutes from a week after `now` (Unix ms). */
function weeklyLessons(now) {
  return [0, 1, 2, 3].map((w) => {
    const start = now + (7 + 7 * w) * 86400_000;
    return { starts_at: iso(start), ends_at: iso(start + 90 * 60_000) };
  });
}

/** A lottery course of `capacity` places, applications closing `closesInMs` from `now`, with
 * `lessons` (default: four weekly ones from a week on), run by the demo organizer. */
async function createCourse(request, { capacity, closesInMs, now = Date.now(), lessons = weeklyLessons(now) }) {
  const token = await tokenFor(request, server.url, ADMIN);
  const draft = {
    title: TITLE,
    summary: "从握笔开始，四次课写好一幅春联。",
    category: "书法",
    venue_id: "venue-binjiang",
    starts_at: lessons[0].starts_at,
    ends_at: lessons[lessons.length - 1].ends_at,
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

/** Waits until the server's sweep has frozen the entry list (within a minute of the close). */
async function waitForFreeze(request, id) {
  const token = await tokenFor(request, server.url, ADMIN);
  await expect
    .poll(
      async () => {
        const res = await request.get(`${server.url}/api/v1/admin/offerings/${id}/course`, { headers: { authorization: `Bearer ${token}` } });
        expect(res.ok(), await res.text()).toBeTruthy();
        return (await res.json()).frozen;
      },
      { timeout: 100_000, intervals: [3000] },
    )
    .toBe(true);
}

/** An organizer's phone in its own browser context, with the course open in venue mode after
 * downloading the rosters. */
async function door(browser) {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await signIn(page, server.url, ORGANIZER);
  await new AppPage(page, server.url).waitForOfflineReady();
  const venue = new VenuePage(page, server.url);
  await venue.open(TITLE);
  return { context, page, venue };
}

/** The door's clock stops at `at` (Unix ms), in lesson `n`, and the organizer opens the course
 * again from the list of today's programmes (offline too). */
async function atLesson({ page }, n, at) {
  await page.clock.setFixedTime(at);
  await page.getByRole("link", { name: "← 全部活动" }).click();
  await page.getByTestId("venue-today").getByTestId("venue-pick").filter({ hasText: TITLE }).click();
  await expect(page.getByTestId("venue-title")).toHaveText(TITLE);
  await expect(page.getByTestId("venue-lesson")).toHaveText(`今天是第 ${n} 课`);
}

test("a course from an offline application to the admin's draw, an offline confirmation, lessons at two offline doors, a certificate anyone can check and a rating", async ({ page, context, request, browser }) => {
  test.setTimeout(420_000);
  // Four applicants for four places: everyone wins, so the person on the phone does. The
  // lessons are short and all today, soon after the close, so that the course is over (and
  // can be rated) before the test ends; each door's clock is stopped in its lesson.
  const now = Date.now();
  const closesInMs = 40_000;
  const lessons = [0, 1, 2, 3].map((k) => {
    const start = now + closesInMs + 5_000 + k * 30_000;
    return { start, end: start + 20_000 };
  });
  const during = (n) => lessons[n - 1].start + 10_000;
  const id = await createCourse(request, {
    capacity: 4,
    closesInMs,
    now,
    lessons: lessons.map((l) => ({ starts_at: iso(l.start), ends_at: iso(l.end) })),
  });
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

  // The close and the freeze; then the admin, on a phone, runs the draw in the admin screens.
  const adminCtx = await browser.newContext(PHONE);
  const adminPage = await adminCtx.newPage();
  await signIn(adminPage, server.url, ADMIN, "qingtuan-demo", "/admin");
  const admin = new AdminPage(adminPage, server.url);
  const course = admin.offering(TITLE);
  await expect(course.getByTestId("offering-status")).toHaveText("已发布");
  await waitForFreeze(request, id);
  await course.getByTestId("open-course").click();
  const panel = course.getByTestId("course-panel");
  await expect(panel.getByTestId("course-stands")).toContainText("报名 4 人");
  await expect(panel.getByTestId("run-draw")).toBeEnabled();
  await expect(panel.getByTestId("run-draw")).toHaveText("开始抽签");
  await expectTouchFriendly(adminPage, "/admin with a course's panel");
  await panel.getByTestId("draw-public-value").fill("现场摇号 7 3 9");
  await panel.getByTestId("run-draw").click();
  await expect(panel.getByRole("status")).toHaveText("抽签完成，结果已公示");
  await expect(panel.getByTestId("course-stands")).toContainText("中签待确认 4 人");
  await expect(panel.getByTestId("course-stands")).not.toContainText("候补");
  await expect(panel.getByTestId("run-draw")).toHaveCount(0);
  const adminToken = await tokenFor(request, server.url, ADMIN);
  const again = await request.post(`${server.url}/api/v1/admin/offerings/${id}/draw`, {
    headers: { authorization: `Bearer ${adminToken}` },
    data: { public_value: "1" },
  });
  expect(again.status(), "a second draw is refused").toBe(409);
  const published = await (await request.get(`${server.url}/api/v1/courses/${id}/results`)).json();
  expect(published.drawn.draw.public_value).toBe("现场摇号 7 3 9");
  expect(published.drawn.results.map((r) => r.outcome)).toEqual(["won", "won", "won", "won"]);

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
  const ticket = await page.getByTestId("ticket").getAttribute("data-ticket");
  expect(ticket).toMatch(/^QT1\./);

  // Two organizer phones download the rosters, then lose the network. Door A's clock is in
  // lesson 1, door B's in lesson 2.
  const a = await door(browser);
  const b = await door(browser);
  await atLesson(a, 1, during(1));
  await atLesson(b, 2, during(2));
  for (const d of [a, b]) {
    await expect(d.venue.registered).toHaveText("1");
    await expect(d.venue.checkedIn).toHaveText("0");
  }
  await expectTouchFriendly(a.page, "/venue/{id} for a course");
  await a.context.setOffline(true);
  await b.context.setOffline(true);

  // Lesson 1 at door A: found by name.
  await a.page.getByLabel("姓名或手机后四位").fill("王青青");
  const atA = a.page.getByTestId("search-results").getByTestId("person");
  await expect(atA).toHaveCount(1);
  await atA.getByRole("button", { name: "签到", exact: true }).click();
  await expect(a.venue.result).toHaveAttribute("data-outcome", "checked-in");
  await expect(a.venue.result).toContainText("签到成功：王青青");
  await expect(a.venue.checkedIn).toHaveText("1");

  // Lesson 2 at door B: found by the phone's last four digits.
  await b.page.getByLabel("姓名或手机后四位").fill("0003");
  const atB = b.page.getByTestId("search-results").getByTestId("person");
  await expect(atB).toHaveCount(1);
  await expect(atB).toContainText("王青青");
  await atB.getByRole("button", { name: "签到", exact: true }).click();
  await expect(b.venue.result).toHaveAttribute("data-outcome", "checked-in");
  await expect(b.venue.checkedIn).toHaveText("1");
  await expect(b.venue.waiting).toContainText("1 条记录待上传");

  // Lesson 3 at door A (its clock moved on), still offline: the learner checked in at lesson 1
  // is expected again, and comes in by the ticket; a second scan of it is a repeat.
  await atLesson(a, 3, during(3));
  await expect(a.venue.checkedIn).toHaveText("0");
  await a.page.getByLabel("姓名或手机后四位").fill("王青青");
  await expect(atA.getByTestId("person-state")).toHaveText("未签到");
  await expect(atA.getByRole("button", { name: "签到", exact: true })).toBeVisible();
  await a.venue.scan(ticket);
  await expect(a.venue.result).toHaveAttribute("data-outcome", "checked-in");
  await expect(a.venue.checkedIn).toHaveText("1");
  await a.venue.scan(ticket);
  await expect(a.venue.result).toHaveAttribute("data-outcome", "repeat");
  await expect(a.venue.waiting).toContainText("2 条记录待上传");

  // Both doors come back online and upload.
  await online(a.context, a.page);
  await expect(a.venue.waiting).toHaveCount(0);
  await online(b.context, b.page);
  await expect(b.venue.waiting).toHaveCount(0);
  await a.context.close();
  await b.context.close();

  // 我的: three of four lessons attended, and the certificate.
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

  // After the last lesson the learner rates the course in 我的.
  const over = lessons[3].end + 1_000 - Date.now();
  if (over > 0) await page.waitForTimeout(over);
  await app.goto("/me");
  const rating = row.getByTestId("rating-form");
  await expect(rating).toBeVisible();
  await rating.getByRole("button", { name: "提交评价" }).click();
  await expect(rating.getByRole("alert")).toHaveText("请选择 1–5 星");
  await rating.getByTestId("star-4").click();
  await expect(rating.getByTestId("star-4")).toHaveAttribute("aria-pressed", "true");
  await rating.getByLabel("留言（选填，300 字以内）").fill("老师讲得细，想再报进阶班。");
  await expectTouchFriendly(page, "/me rating a course");
  await rating.getByTestId("rate-submit").click();
  await expect(rating.getByTestId("rating-shown")).toHaveText("你的评价：4 星");
  await expect(rating.getByTestId("rate-submit")).toHaveText(/修改/);

  // The admin's panel: attendance per lesson, the completion, and the rating without names.
  await admin.open();
  await course.getByTestId("open-course").click();
  await expect(panel.getByTestId("course-stands")).toContainText("已确认 1 人");
  await expect(panel.getByTestId("course-stands")).toContainText("中签待确认 3 人");
  await expect(panel.getByTestId("course-stands")).toContainText("已结业 1 人");
  await expect(panel.getByTestId("course-attendance").locator("li")).toHaveText(["第 1 课：1 人", "第 2 课：1 人", "第 3 课：1 人", "第 4 课：0 人"]);
  await expect(panel.getByTestId("course-ratings")).toHaveText("评价 4.0 分（1 条）");
  await expect(panel.getByTestId("course-comments").locator("li")).toHaveText(["老师讲得细，想再报进阶班。"]);
  await expect(panel).not.toContainText("王青青");
  await expect(panel).not.toContainText("0003");
  await expectTouchFriendly(adminPage, "/admin with a course's ratings");
  await adminCtx.close();
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

  // The same page with two results swapped, as a tampered page would show them: in the API's
  // answer, and in the data a first visit's page comes with (ARCHITECTURE.md).
  const swap = (results) => {
    const [a, b] = results.drawn.results;
    [a.number, b.number] = [b.number, a.number];
  };
  await page.route("**/api/v1/courses/*/results", async (route) => {
    const answer = await route.fetch();
    const json = await answer.json();
    swap(json);
    await route.fulfill({ response: answer, json });
  });
  await page.route(`${server.url}/courses/${id}/results`, async (route) => {
    const answer = await route.fetch();
    const html = (await answer.text()).replace(
      /(<script type="application\/json" id="qt-first">)(.*?)(<\/script>)/s,
      (_, open, json, close) => {
        const data = JSON.parse(json);
        swap(data.course_results.results);
        return open + JSON.stringify(data).replace(/</g, "\\u003c") + close;
      },
    );
    const headers = { ...answer.headers() };
    delete headers["content-encoding"];
    delete headers["content-length"];
    await route.fulfill({ status: answer.status(), headers, body: html });
  });
  await page.reload();
  await results.getByTestId("recompute").click();
  await expect(results.getByTestId("recompute-result")).toHaveAttribute("data-matches", "false");
  await expect(results.getByTestId("recompute-result")).toContainText(/^不一致：第 1 位公示为 [0-9A-Z-]+，计算结果为 [0-9A-Z-]+$/);
});
